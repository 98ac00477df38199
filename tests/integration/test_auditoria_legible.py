"""The record of actions reads as people know things (issue 11 §3): the person's name and identification, the
role's name, the identification type, the permission's name in the tree; never «Usuario de la empresa 8»,
«Rol 4», «Cuenta: 2» or «empresa.ver». The same on the screen and in the CSV, in a fixed number of statements
per page, and only with the company's own names."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.models.empresas import DocumentoEmpresa, Membresia, RolEmpresa
from app.models.personas import Usuario
from app.models.referencias import Profesion, TipoIdentificacion
from app.services import auditoria
from app.services.cuentas import perfil
from app.services.empresas import auditoria as auditoria_empresa
from app.services.empresas import invitaciones, membresias, registro, roles, tecnicos
from app.services.reloj import ahora
from tests import factories, factories_empresas
from tests.helpers import cliente_de, contar_sentencias

# What today's page showed instead of names (ids and codes).
SIN_IDS = ("Usuario de la empresa 2", "Rol 4", "Cuenta: 2", "Tipo de identificación: 1", "empresa.ver", "1-10203")


def _rol(nombre: str, empresa_id: int) -> RolEmpresa:
    return db.session.scalar(select(RolEmpresa).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == nombre))


def _datos_rol(nombre: str, *permisos: str) -> roles.DatosRol:
    return roles.DatosRol(nombre, "", "activo", frozenset(permisos))


def _historia(app) -> dict:
    """Company «Cosméticos Andinos» with a row of every kind its services write, plus rows in the shape older
    versions stored (no names in the snapshots)."""
    with app.app_context():
        s = db.session
        laura = factories.crear_usuario(numero="79111222", nombres="Laura", apellidos="Gómez")
        ana = factories.crear_usuario(numero="1020304050", nombres="Ana", apellidos="Pérez")
        tomas = factories.crear_usuario(numero="80999111", nombres="Tomás", apellidos="Ríos")
        empresa = factories_empresas.crear_empresa(administrador=laura, razon_social="Cosméticos Andinos S.A.S.")
        e = empresa.id
        radicador = roles.crear(s, e, laura.id, _datos_rol("Radicador", "expedientes.radicar", "empresa.ver"))
        temporal = roles.crear(s, e, laura.id, _datos_rol("Temporal", "pagos.ver"))
        roles.eliminar(s, e, temporal.id, laura.id)
        m = membresias.invitar(s, e, laura.id, ana.tipo_identificacion_id, ana.numero_identificacion, [radicador.id])
        invitaciones.aceptar(s, ana, m.id)
        membresias.cambiar_roles(s, e, m.id, laura.id, [radicador.id, _rol("Financiero", e).id])
        perfil.cambiar_invitaciones(tomas, True)
        perfil.agregar_profesion(s, tomas, str(s.scalar(select(Profesion.id).limit(1))), "TP-5501")
        s.flush()
        tecnicos.invitar_tecnico(
            s, e, laura.id, tomas.tipo_identificacion_id, tomas.numero_identificacion, "Responsable técnico"
        )
        datos = {campo: getattr(empresa, campo) for campo in registro.CAMPOS_EDITABLES}
        registro.actualizar_datos(s, e, laura.id, {**datos, "tamano": "Mediana"})
        _filas_de_antes(s, e, laura, ana, m.id)
        s.commit()
        s.refresh(laura)  # the clients log in with it after the app context ends
        return {"laura": laura, "empresa_id": e, "membresia_ana": m.id, "radicador": radicador.id}


def _filas_de_antes(s, e: int, laura, ana, membresia_id: int) -> None:
    """Rows as they were stored before snapshots carried names: ids only."""
    cc = s.scalar(select(TipoIdentificacion.id).where(TipoIdentificacion.codigo == "CC"))
    documento = DocumentoEmpresa(
        empresa_id=e, tipo="NIT/RUT", nombre_archivo="rut.pdf", sha256="0" * 64, tamano=10, creado_en=ahora()
    )
    s.add(documento)
    s.flush()
    antiguos = [
        ("invitacion_vinculada", "membresia", membresia_id, None, {"usuario_id": ana.id}),
        (
            "membresia_creada",
            "membresia",
            membresia_id,
            None,
            {"tipo_identificacion_id": cc, "numero_identificacion": "1020304050", "usuario_id": ana.id},
        ),
        ("invitacion_reenviada", "membresia", membresia_id, {"identificacion": f"{cc}-1020304050"}, None),
        (
            "documento_empresa",
            "documento_empresa",
            documento.id,
            None,
            {"tipo": "NIT/RUT", "nombre_archivo": "rut.pdf"},
        ),
        ("rol_eliminado", "rol_empresa", 999, None, None),
        ("rol_inactivado", "rol_empresa", _rol("Radicador", e).id, None, {"estado": "inactivo"}),
    ]
    for accion, objeto, objeto_id, antes, despues in antiguos:
        auditoria.registrar(s, accion, objeto, objeto_id, laura.id, antes=antes, despues=despues, empresa_id=e)


def _csv(respuesta) -> list[dict]:
    return list(csv.DictReader(io.StringIO(respuesta.get_data(as_text=True).lstrip("\ufeff"))))


def test_la_pantalla_nombra_personas_roles_y_permisos(app):
    h = _historia(app)
    html = cliente_de(app, h["laura"], h["empresa_id"]).get("/empresa/auditoria/").get_data(as_text=True)
    assert "Usuario de la empresa: Ana Pérez (CC 1020304050)" in html
    assert "Rol: Radicador" in html and "Rol: Temporal (ya no existe)" in html and "Rol eliminado (n.º 999)" in html
    assert "<strong>Cuenta:</strong> Ana Pérez (CC 1020304050)" in html
    assert "<strong>Tipo de identificación:</strong> Cédula de ciudadanía" in html
    assert "<strong>Identificación:</strong> CC 1020304050" in html
    assert "<strong>Permisos:</strong> Empresa → Ver, Expedientes → Radicar" in html
    assert "<strong>Roles:</strong> Financiero, Radicador" in html and "<strong>Estado:</strong> Inactivo" in html
    assert "Vínculo técnico: Tomás Ríos (CC 80999111), Responsable técnico" in html
    assert "Documento: NIT/RUT (rut.pdf)" in html and "Empresa: Cosméticos Andinos S.A.S." in html
    assert "Rol inactivado" in html and "Laura Gómez" in html and "CC 79111222" in html
    for crudo in SIN_IDS:
        assert crudo not in html, crudo


def test_el_csv_dice_lo_mismo_que_la_pantalla(app):
    h = _historia(app)
    filas = _csv(cliente_de(app, h["laura"], h["empresa_id"]).get("/empresa/auditoria/exportar.csv"))
    assert list(filas[0]) == list(auditoria_empresa.COLUMNAS_CSV) and "Id del objeto" not in filas[0]
    por_accion = {f["Acción"]: f for f in filas}
    vinculada = por_accion["Invitación vinculada a la cuenta"]
    assert (vinculada["Objeto"], vinculada["Nombre del objeto"]) == (
        "Usuario de la empresa",
        "Ana Pérez (CC 1020304050)",
    )
    assert vinculada["Después"] == "Cuenta: Ana Pérez (CC 1020304050)"
    assert "Tipo de identificación: Cédula de ciudadanía" in por_accion["Usuario agregado a la empresa"]["Después"]
    assert por_accion["Invitación reenviada"]["Antes"] == "Identificación: CC 1020304050"
    assert "Permisos: Empresa → Ver, Expedientes → Radicar" in por_accion["Rol creado"]["Después"]
    eliminados = {f["Nombre del objeto"] for f in filas if f["Acción"] == "Rol eliminado"}
    assert eliminados == {"Temporal (ya no existe)", "Rol eliminado (n.º 999)"}
    assert por_accion["Rol inactivado"]["Nombre del objeto"] == "Radicador"
    assert por_accion["Datos de la empresa actualizados"]["Nombre del objeto"] == "Cosméticos Andinos S.A.S."
    assert (por_accion["Rol creado"]["Usuario"], por_accion["Rol creado"]["Identificación"]) == (
        "Laura Gómez",
        "CC 79111222",
    )
    assert por_accion["Invitación aceptada"]["Usuario"] == "Ana Pérez"
    texto = "\n".join(v for f in filas for v in f.values())
    for crudo in SIN_IDS:
        assert crudo not in texto, crudo


def test_un_rol_eliminado_se_sigue_leyendo_con_el_nombre_que_tenia(app):
    h = _historia(app)
    filas = _csv(cliente_de(app, h["laura"], h["empresa_id"]).get("/empresa/auditoria/exportar.csv?q=temporal"))
    assert {(f["Acción"], f["Nombre del objeto"]) for f in filas} == {
        ("Rol creado", "Temporal (ya no existe)"),
        ("Rol eliminado", "Temporal (ya no existe)"),
    }
    assert "Nombre: Temporal" in filas[0]["Antes"] and "Pagos → Ver" in filas[0]["Antes"]


def test_se_busca_por_lo_que_se_lee(app):
    h = _historia(app)
    cliente = cliente_de(app, h["laura"], h["empresa_id"])

    def acciones(q: str) -> set[str]:
        return {f["Acción"] for f in _csv(cliente.get("/empresa/auditoria/exportar.csv", query_string={"q": q}))}

    # The person a row is about, by name (no accents, no case) or identification; the actor too.
    assert "Invitación aceptada" in acciones("ana perez") and "Roles cambiados" in acciones("1020304050")
    assert "Invitación como responsable o director técnico enviada" in acciones("Tomás")
    assert len(acciones("laura")) > 5
    # A role by its name now or as a snapshot stored it; an object by its Spanish name.
    assert {"Rol creado", "Rol inactivado", "Invitación enviada"} <= acciones("radicador")
    assert acciones("documento") == {"Documento anexado"} and acciones("rut.pdf") == {"Documento anexado"}
    assert acciones("nadie se llama así") == set()


def test_una_pagina_de_25_filas_mezcladas_cuesta_una_sentencia_por_clase_de_nombre(app):
    h = _historia(app)
    with app.app_context():
        s = db.session
        for i in range(6):
            persona = factories.crear_usuario(nombres=f"Persona {i}")
            rol = roles.crear(s, h["empresa_id"], None, _datos_rol(f"Rol {i}", "pagos.ver"))
            membresias.invitar(
                s, h["empresa_id"], None, persona.tipo_identificacion_id, persona.numero_identificacion, [rol.id]
            )
        s.commit()
    cliente = cliente_de(app, h["laura"], h["empresa_id"])
    with contar_sentencias(app) as sin_filas:
        assert "No hay registros" in cliente.get("/empresa/auditoria/?q=nadie").get_data(as_text=True)
    with contar_sentencias(app) as sentencias:
        html = cliente.get("/empresa/auditoria/").get_data(as_text=True)
    assert html.count("<tr>") == 1 + 25 and "Página 1 de 2" in html
    assert "Rol: Rol 5" in html and "Usuario de la empresa: Persona 5" in html and "Documento: NIT/RUT" in html
    # The same statements as an empty page, plus at most one per kind of row named: accounts, identification
    # types, members, RT/DT links, roles, documents and the company; however many rows.
    assert len(sentencias) - len(sin_filas) <= 7, sentencias


def test_el_csv_carga_los_nombres_por_lotes(app, monkeypatch):
    h = _historia(app)
    with app.app_context():
        s = db.session
        for _ in range(30):
            auditoria.registrar(
                s, "invitacion_reenviada", "membresia", h["membresia_ana"], None, empresa_id=h["empresa_id"]
            )
        s.commit()
    monkeypatch.setattr(auditoria_empresa, "LOTE_EXPORTAR", 10)
    cliente = cliente_de(app, h["laura"], h["empresa_id"])
    with contar_sentencias(app) as sentencias:
        filas = _csv(cliente.get("/empresa/auditoria/exportar.csv"))
    assert len(filas) > 40 and sum(f["Nombre del objeto"] == "Ana Pérez (CC 1020304050)" for f in filas) > 30
    de_miembros = [x for x in sentencias if x.startswith("SELECT membresia.id, ab_user.first_name")]
    assert 1 <= len(de_miembros) <= -(-len(filas) // 10), de_miembros


def test_los_nombres_de_otra_empresa_nunca_aparecen(app):
    h = _historia(app)
    with app.app_context():
        s = db.session
        bruno = factories.crear_usuario(numero="91555666", nombres="Bruno", apellidos="Beta")
        otra = factories_empresas.crear_empresa(administrador=bruno, razon_social="Secretos Beta S.A.S.")
        secreto = roles.crear(s, otra.id, bruno.id, _datos_rol("Rol secreto de Beta", "pagos.ver")).id
        administrador_b = _rol("Administrador", otra.id)
        membresia_b = s.scalar(select(Membresia.id).where(Membresia.empresa_id == otra.id))
        # Rows of company A that (wrongly) carry ids of company B's rows.
        for objeto, objeto_id in (("rol_empresa", secreto), ("membresia", membresia_b), ("empresa", otra.id)):
            auditoria.registrar(s, "rol_editado", objeto, objeto_id, None, empresa_id=h["empresa_id"])
        auditoria.registrar(
            s,
            "roles_cambiados",
            "membresia",
            h["membresia_ana"],
            None,
            despues={"rol_ids": [administrador_b.id]},
            empresa_id=h["empresa_id"],
        )
        s.commit()
    cliente = cliente_de(app, h["laura"], h["empresa_id"])
    html = cliente.get("/empresa/auditoria/").get_data(as_text=True)
    texto = cliente.get("/empresa/auditoria/exportar.csv").get_data(as_text=True)
    for ajeno in ("Rol secreto de Beta", "Bruno", "91555666", "Secretos Beta"):
        assert ajeno not in html and ajeno not in texto, ajeno
    assert f"Rol eliminado (n.º {secreto})" in html and "Usuario de la empresa eliminado" in html
    assert "Rol secreto" not in cliente.get("/empresa/auditoria/?q=secreto").get_data(as_text=True)


def test_si_la_cuenta_se_borra_la_fila_sigue_nombrando_a_la_persona(app):
    h = _historia(app)
    with app.app_context():
        s = db.session
        ana = s.scalar(select(Usuario).where(Usuario.numero_identificacion == "1020304050"))
        s.delete(ana)  # its membership goes with it (ON DELETE CASCADE); the audit rows stay
        s.commit()
    filas = _csv(cliente_de(app, h["laura"], h["empresa_id"]).get("/empresa/auditoria/exportar.csv"))
    aceptada = next(f for f in filas if f["Acción"] == "Invitación aceptada")
    assert aceptada["Usuario"] == ""  # the actor was Ana: PostgreSQL set it to NULL
    assert aceptada["Nombre del objeto"] == "Ana Pérez (CC 1020304050) (ya no existe)"
    assert "Cuenta: Ana Pérez (cuenta eliminada)" in aceptada["Después"]
    # Rows written before snapshots kept the name still say who it was by the identification.
    reenviada = next(f for f in filas if f["Acción"] == "Invitación reenviada")
    assert reenviada["Nombre del objeto"] == "CC 1020304050 (ya no existe)"
