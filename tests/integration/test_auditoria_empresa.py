"""The company's record of actions: only its own rows, searchable, paginated, exportable as CSV;
only for members whose roles grant Auditoría → Ver."""

from __future__ import annotations

import csv
import io

from app.extensions import db
from app.models.empresas import RolEmpresa
from app.services import auditoria
from app.services.empresas import roles as roles_empresa
from app.services.empresas.roles import DatosRol
from tests import factories, factories_empresas
from tests.helpers import cliente_de


def _empresa_con_registros(app, nombre: str, acciones: list[str]):
    with app.app_context():
        admin = factories.crear_usuario(nombres=f"Admin {nombre}")
        empresa = factories_empresas.crear_empresa(administrador=admin, razon_social=nombre)
        for accion in acciones:
            auditoria.registrar(
                db.session,
                accion,
                "rol_empresa",
                1,
                admin.id,
                despues={"empresa": nombre},
                ip="10.0.0.1",
                empresa_id=empresa.id,
            )
        db.session.commit()
        db.session.refresh(admin)
        return admin, empresa.id


def test_el_administrador_ve_solo_el_registro_de_su_empresa(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["rol_creado", "invitacion_enviada"])
    _, b = _empresa_con_registros(app, "Empresa B", ["secreto_de_b"])
    cliente = cliente_de(app, admin_a, a)
    html = cliente.get("/empresa/auditoria/").get_data(as_text=True)
    # Actions and objects read in Spanish; values as «campo: valor», accents as written.
    assert "Rol creado" in html and "Invitación enviada" in html and "rol_creado" not in html
    assert "<strong>Empresa:</strong> Empresa A" in html
    assert "Secreto de b" not in html and "Empresa B" not in html
    # Search by the code or by the Spanish name, accents or not.
    for q in ("invitacion_env", "invitación enviada", "INVITACION ENVIADA"):
        filtrado = cliente.get("/empresa/auditoria/", query_string={"q": q}).get_data(as_text=True)
        assert "Invitación enviada" in filtrado and "Rol creado" not in filtrado, q


def test_exportar_csv_trae_solo_filas_de_la_empresa(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["rol_creado"])
    _empresa_con_registros(app, "Empresa B", ["secreto_de_b"])
    r = cliente_de(app, admin_a, a).get("/empresa/auditoria/exportar.csv")
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    texto = r.get_data(as_text=True)
    assert texto.startswith("\ufeffFecha y hora,Usuario,Identificación,Acción,Objeto,Nombre del objeto,Antes")
    # Row 1 of rol_empresa is company A's first role; the object is named, not numbered.
    assert ",Rol creado,Rol,Administrador,,Empresa: Empresa A," in texto and "ecreto de b" not in texto


def test_el_csv_no_lleva_formulas_que_una_hoja_de_calculo_ejecute(app):
    """QA: a role named =HYPERLINK(…) went into the export as a live formula."""
    admin_a, a = _empresa_con_registros(app, "Empresa A", [])
    formula = '=HYPERLINK("http://x")'
    with app.app_context():
        roles_empresa.crear(db.session, a, admin_a.id, DatosRol(formula, "+cmd|' /C calc'!A0", "activo", {"pagos.ver"}))
        db.session.commit()
    r = cliente_de(app, admin_a, a).get("/empresa/auditoria/exportar.csv")
    filas = list(csv.reader(io.StringIO(r.get_data(as_text=True).removeprefix("\ufeff"))))
    assert [f[5] for f in filas if f[3] == "Rol creado"] == ["'" + formula]  # shown as text, not run
    assert not [c for f in filas for c in f if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_paginacion_de_25_en_25(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", [f"accion_{i:02d}" for i in range(30)])
    cliente = cliente_de(app, admin_a, a)
    primera = cliente.get("/empresa/auditoria/").get_data(as_text=True)
    assert "Página 1 de 2" in primera and "Accion 29" in primera and "Accion 00" not in primera
    segunda = cliente.get("/empresa/auditoria/?pagina=2").get_data(as_text=True)
    assert "Accion 00" in segunda and "Accion 29" not in segunda


def test_un_miembro_sin_auditoria_ver_no_entra(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["crear_rol"])
    with app.app_context():
        financiero = factories.crear_usuario(nombres="Fabio")
        rol = db.session.query(RolEmpresa).filter_by(empresa_id=a, nombre="Financiero").one()
        from app.services.empresas.alta import agregar_miembro_aceptado

        agregar_miembro_aceptado(db.session, rol.empresa, financiero, [rol])
        db.session.commit()
        db.session.refresh(financiero)
    r = cliente_de(app, financiero, a).get("/empresa/auditoria/")
    assert r.status_code in (302, 403)
    assert "Crear rol" not in r.get_data(as_text=True)


def test_persona_natural_no_ve_registros(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["crear_rol"])
    r = cliente_de(app, admin_a, None).get("/empresa/auditoria/")
    assert "Crear rol" not in r.get_data(as_text=True)


def test_fecha_invalida_es_400(app):
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["crear_rol"])
    cliente = cliente_de(app, admin_a, a)
    for consulta, mensaje in (
        ("desde=ayer", "La fecha «Desde» no es válida"),
        ("hasta=2026-13-45", "La fecha «Hasta» no es válida"),
        ("desde=2026-12-04&hasta=2026-12-01", "La fecha «Desde» (2026-12-04) es posterior a «Hasta» (2026-12-01)"),
    ):
        r = cliente.get(f"/empresa/auditoria/?{consulta}")
        assert r.status_code == 400 and mensaje in r.get_data(as_text=True), consulta
    assert cliente.get("/empresa/auditoria/?desde=01/12/2026&hasta=2026-12-04").status_code == 200


def test_un_comodin_escrito_en_la_busqueda_se_busca_tal_cual(app):
    """«%» typed by a person is text, not a LIKE wildcard that matches every row."""
    admin_a, a = _empresa_con_registros(app, "Empresa A", ["rol_creado", "invitacion_enviada"])
    cliente = cliente_de(app, admin_a, a)
    for comodin in ("%", "%%", "\\"):
        html = cliente.get("/empresa/auditoria/", query_string={"q": comodin}).get_data(as_text=True)
        assert "Rol creado" not in html and "Invitación enviada" not in html, comodin
