"""Twenty requests at the same instant for the same new thing (issue 9 §2): one succeeds, the others get the
Spanish form error (HTML) or a 400 (API), never a 500 (UniqueViolation) and never two rows.

Real parallel requests: one thread per request, each with its own test client carrying the same session, all
released together by a barrier, against the real PostgreSQL.
"""

from __future__ import annotations

import html
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from app.extensions import db
from app.models.auditoria import Auditoria
from app.models.catalogo import Tramite, TramiteVersion
from app.models.empresas import CALIDAD_DIRECTOR_TECNICO, Membresia, RolEmpresa, VinculoTecnico
from app.models.referencias import Profesion
from app.services import catalogo
from app.services.cuentas import perfil
from app.services.empresas import membresias
from app.services.empresas import roles as roles_empresa
from tests import factories
from tests.factories_catalogo import catalogo_de_prueba

PARALELAS = 20


def _a_la_vez(app, cliente, peticion) -> list[tuple[int, str]]:
    """Run `peticion(client, i)` PARALELAS times at once, each on its own client with `cliente`'s session."""
    sesion = cliente.get_cookie("session").value
    clientes = []
    for _ in range(PARALELAS):
        otro = app.test_client()
        otro.set_cookie("session", sesion)
        clientes.append(otro)
    barrera = threading.Barrier(PARALELAS)

    def una(i):
        barrera.wait()
        try:
            respuesta = peticion(clientes[i], i)
        except Exception as error:  # the test app propagates what would be a 500
            return 500, repr(error)
        if respuesta.is_json:
            return respuesta.status_code, json.dumps(respuesta.get_json(), ensure_ascii=False)
        return respuesta.status_code, html.unescape(respuesta.get_data(as_text=True))

    with ThreadPoolExecutor(PARALELAS) as hilos:
        return list(hilos.map(una, range(PARALELAS)))


def _codigos(resultados) -> list[int]:
    return sorted(codigo for codigo, _ in resultados)


def _contar(app, consulta) -> int:
    with app.app_context():
        return db.session.scalar(consulta)


def test_veinte_formularios_crean_el_mismo_rol_a_la_vez(app, cliente_empresa_a):
    cliente, token, empresa_id = cliente_empresa_a, cliente_empresa_a.csrf, cliente_empresa_a.empresa_id
    # The same name written with other capitals: names are unique per company ignoring case.
    nombres = ["Consulta de pagos", "CONSULTA DE PAGOS", "consulta de pagos", "Consulta De Pagos"]
    resultados = _a_la_vez(
        app,
        cliente,
        lambda c, i: c.post(
            "/empresa/roles/add",
            data={
                "csrf_token": token,
                "nombre": nombres[i % len(nombres)],
                "descripcion": "Ver pagos",
                "estado": "activo",
                "permiso": ["pagos.ver"],
            },
        ),
    )
    codigos = _codigos(resultados)
    assert codigos[0] in (302, 303) and codigos[1:] == [400] * (PARALELAS - 1), [
        (c, t[:300]) for c, t in resultados if c == 500
    ]
    for codigo, cuerpo in resultados:
        if codigo == 400:
            assert "Ya existe un rol llamado" in cuerpo
    roles = (
        select(func.count())
        .select_from(RolEmpresa)
        .where(RolEmpresa.empresa_id == empresa_id, func.lower(RolEmpresa.nombre) == "consulta de pagos")
    )
    assert _contar(app, roles) == 1
    assert _contar(app, select(func.count()).select_from(Auditoria).where(Auditoria.accion == "rol_creado")) == 1


def test_veinte_llamadas_al_api_crean_el_mismo_rol_a_la_vez(app, cliente_empresa_a):
    cliente, token, empresa_id = cliente_empresa_a, cliente_empresa_a.csrf, cliente_empresa_a.empresa_id
    resultados = _a_la_vez(
        app,
        cliente,
        lambda c, i: c.post(
            "/api/v1/empresa/roles/",
            json={"nombre": "Auditor externo", "permisos": ["auditoria.ver"]},
            headers={"X-CSRFToken": token},
        ),
    )
    assert _codigos(resultados) == [201] + [400] * (PARALELAS - 1), [(c, t[:300]) for c, t in resultados if c == 500]
    assert all("Ya existe un rol llamado" in cuerpo for codigo, cuerpo in resultados if codigo == 400)
    roles = (
        select(func.count())
        .select_from(RolEmpresa)
        .where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == "Auditor externo")
    )
    assert _contar(app, roles) == 1


def test_veinte_invitaciones_a_la_misma_persona_a_la_vez(app, cliente_empresa_a):
    cliente, token, empresa_id = cliente_empresa_a, cliente_empresa_a.csrf, cliente_empresa_a.empresa_id
    with app.app_context():
        invitada = factories.crear_usuario(nombres="Invitada")
        tipo, numero = invitada.tipo_identificacion_id, invitada.numero_identificacion
        rol = db.session.scalar(
            select(RolEmpresa.id).where(RolEmpresa.empresa_id == empresa_id, RolEmpresa.nombre == "Financiero")
        )

    def invitar(c, i):
        if i % 2:  # half through the form, half through the API
            return c.post(
                "/empresa/usuarios/invitar",
                data={
                    "csrf_token": token,
                    "tipo_identificacion": str(tipo),
                    "numero_identificacion": numero,
                    "roles": [str(rol)],
                },
            )
        return c.post(
            "/api/v1/empresa/usuarios/",
            json={"tipo_identificacion_id": tipo, "numero_identificacion": numero, "roles": [rol]},
            headers={"X-CSRFToken": token},
        )

    resultados = _a_la_vez(app, cliente, invitar)
    codigos = _codigos(resultados)
    assert 500 not in codigos, [t[:300] for c, t in resultados if c == 500]
    assert len([c for c in codigos if c in (201, 302, 303)]) == 1 and codigos.count(400) == PARALELAS - 1, codigos
    assert all(membresias.MSG_YA_INVITADA in cuerpo for codigo, cuerpo in resultados if codigo == 400)
    invitaciones = (
        select(func.count())
        .select_from(Membresia)
        .where(Membresia.empresa_id == empresa_id, Membresia.numero_identificacion == numero)
    )
    assert _contar(app, invitaciones) == 1


def test_el_servicio_rechaza_el_nombre_tomado_aunque_la_validacion_ya_paso(app, cliente_empresa_a):
    """What the lock guarantees, without threads: `validar` ran before the other creation committed."""
    empresa_id = cliente_empresa_a.empresa_id
    with app.app_context():
        admin_id = db.session.scalar(select(Membresia.usuario_id).where(Membresia.empresa_id == empresa_id))
        datos = roles_empresa.validar(db.session, empresa_id, "Compras", "", "activo", ["pagos.ver"])
        roles_empresa.crear(db.session, empresa_id, admin_id, datos)
        db.session.commit()
        otra = roles_empresa.DatosRol("COMPRAS", "", "activo", datos.permisos)
        try:
            roles_empresa.crear(db.session, empresa_id, admin_id, otra)
        except roles_empresa.ErroresValidacion as error:
            assert "Ya existe un rol llamado" in error.errores["nombre"][0]
        else:
            raise AssertionError("se crearon dos roles con el mismo nombre")
        finally:
            db.session.rollback()


def test_veinte_invitaciones_como_director_tecnico_a_la_vez(app, cliente_empresa_a):
    cliente, token, empresa_id = cliente_empresa_a, cliente_empresa_a.csrf, cliente_empresa_a.empresa_id
    with app.app_context():
        tecnico = factories.crear_usuario(nombres="Técnica", acepta_invitaciones_rt_dt=True)
        profesion_id = db.session.scalar(select(Profesion.id).limit(1))
        perfil.agregar_profesion(db.session, tecnico, str(profesion_id), "TP-CONCURRENCIA")
        db.session.commit()
        tipo, numero, usuario_id = tecnico.tipo_identificacion_id, tecnico.numero_identificacion, tecnico.id
    resultados = _a_la_vez(
        app,
        cliente,
        lambda c, i: c.post(
            "/empresa/usuarios/tecnicos/invitar",
            data={
                "csrf_token": token,
                "tipo_identificacion": str(tipo),
                "numero_identificacion": numero,
                "calidad": CALIDAD_DIRECTOR_TECNICO,
            },
        ),
    )
    codigos = _codigos(resultados)
    assert codigos[0] in (302, 303) and codigos[1:] == [400] * (PARALELAS - 1), [
        t[:300] for c, t in resultados if c == 500
    ]
    vinculos = (
        select(func.count())
        .select_from(VinculoTecnico)
        .where(VinculoTecnico.empresa_id == empresa_id, VinculoTecnico.usuario_id == usuario_id)
    )
    assert _contar(app, vinculos) == 1


def _version_publicada(app, prefijo: str) -> int:
    """The published NSO of a test catalog of its own (`prefijo`), committed: the requests must see it."""
    with app.app_context():
        catalogo.cargar_semilla(db.session, *catalogo_de_prueba(prefijo))
        db.session.commit()
        return db.session.scalar(select(TramiteVersion.id).join(Tramite).where(Tramite.codigo == f"{prefijo}-nso"))


def _auditadas(app, accion: str, version_ids) -> int:
    return _contar(
        app,
        select(func.count())
        .select_from(Auditoria)
        .where(Auditoria.accion == accion, Auditoria.objeto_id.in_([str(i) for i in version_ids])),
    )


def test_veinte_clics_en_publicar_esta_version_publican_una_vez(app, cliente_admin):
    publicada = _version_publicada(app, "doblepub")
    with app.app_context():
        borrador_id = catalogo.nueva_version(db.session, publicada, None).id
        db.session.commit()
    url, token = f"/administracion/catalogo/tramites/publicar/{borrador_id}", cliente_admin.csrf
    resultados = _a_la_vez(
        app, cliente_admin, lambda c, i: c.post(url, data={"csrf_token": token}, follow_redirects=True)
    )
    assert _codigos(resultados) == [200] * PARALELAS, [t[:300] for c, t in resultados if c == 500]
    publicaron = [t for _, t in resultados if "publicada: los nuevos expedientes se radican con ella" in t]
    assert len(publicaron) == 1
    ya = [
        t for _, t in resultados if "La versión 2 de «Notificación Sanitaria Obligatoria (NSO)» ya está publicada" in t
    ]
    assert len(ya) == PARALELAS - 1
    assert _auditadas(app, "version_tramite_publicada", [borrador_id]) == 1
    with app.app_context():
        assert db.session.get(TramiteVersion, publicada).estado == "Reemplazada"
        assert db.session.get(TramiteVersion, borrador_id).estado == "Publicada"


def test_veinte_clics_en_crear_nueva_version_crean_un_solo_borrador(app, cliente_admin):
    publicada = _version_publicada(app, "doblebor")
    url, token = f"/administracion/catalogo/tramites/nueva-version/{publicada}", cliente_admin.csrf
    resultados = _a_la_vez(
        app, cliente_admin, lambda c, i: c.post(url, data={"csrf_token": token}, follow_redirects=True)
    )
    assert _codigos(resultados) == [200] * PARALELAS, [t[:300] for c, t in resultados if c == 500]
    assert len([t for _, t in resultados if "Borrador creado: versión 2" in t]) == 1
    ya = [t for _, t in resultados if "ya tiene un borrador (versión 2): edítelo o publíquelo" in t]
    assert len(ya) == PARALELAS - 1
    with app.app_context():
        tramite_id = db.session.get(TramiteVersion, publicada).tramite_id
        versiones = db.session.scalars(select(TramiteVersion.id).where(TramiteVersion.tramite_id == tramite_id)).all()
    assert len(versiones) == 2
    assert _auditadas(app, "version_tramite_creada", versiones) == 1
