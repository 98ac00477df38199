"""Mi perfil (manual 4.6, 4.6.1, 4.6.1.1, 4.6.2) through HTTP on the real database."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.correo import MensajeCorreo
from app.models.personas import Usuario, UsuarioProfesion
from app.models.referencias import Departamento, Municipio, Pais, Profesion
from app.models.verificacion import PROPOSITO_CAMBIO_CORREO, Verificacion
from app.services import outbox
from app.services.cuentas import contrasenas
from tests import factories
from tests.helpers import csrf_de, iniciar_sesion, mensajes_de_correo

NUEVA = "Otra#Clave2027"


# --------------------------------------------------------------------------------------------------------- helpers


def _ref(app):
    """Ids of reference data used by the forms: Colombia, another country, two departamentos and municipios."""
    with app.app_context():
        s = db.session
        colombia = s.scalar(select(Pais.id).where(Pais.codigo == "CO"))
        argentina = s.scalar(select(Pais.id).where(Pais.codigo == "AR"))
        antioquia = s.scalar(select(Departamento).where(Departamento.codigo == "05"))
        cundinamarca = s.scalar(select(Departamento).where(Departamento.codigo == "25"))
        medellin = s.scalar(select(Municipio).where(Municipio.codigo == "05001"))
        soacha = s.scalar(select(Municipio).where(Municipio.codigo == "25754"))
        profesiones = s.scalars(select(Profesion.id).order_by(Profesion.id)).all()
        from app.services import listas

        def primero(opciones):
            return opciones[1][0]

        return {
            "colombia": str(colombia),
            "argentina": str(argentina),
            "antioquia": str(antioquia.id),
            "cundinamarca": str(cundinamarca.id),
            "medellin": str(medellin.id),
            "soacha": str(soacha.id),
            "profesiones": [str(p) for p in profesiones],
            "sexo": primero(listas.opciones_sexo(s)),
            "nivel": primero(listas.opciones_nivel_academico(s)),
            "grupo": primero(listas.opciones_grupo_etnico(s)),
            "estrato": primero(listas.opciones_estrato(s)),
        }


def _datos(cliente, ref, **cambios):
    """A complete, valid profile form for a person living in Medellín, with the page's CSRF token."""
    datos = {
        "csrf_token": csrf_de(cliente.get("/perfil/").get_data(as_text=True)),
        "email": cliente.usuario.email,
        "correo_alternativo": "alterno@correo.test",
        "fecha_nacimiento": "1985-03-09",
        "sexo_nacer_id": ref["sexo"],
        "nivel_academico_id": ref["nivel"],
        "grupo_etnico_id": ref["grupo"],
        "pais_residencia": ref["colombia"],
        "departamento": ref["antioquia"],
        "municipio": ref["medellin"],
        "vereda": "",
        "estrato": ref["estrato"],
        # The "Ingrese la dirección" dialog, as in the signup: Calle 10 # 43 - 12.
        "dir_rural": "no",
        "dir_principal": "Calle",
        "dir_numero_principal": "10",
        "dir_numero_secundario": "43",
        "dir_numero_final": "12",
        "indicaciones": "Edificio azul",
        "localizacion_geografica": "Urbana",
        "telefono": "6041234567",
        "celular": "3001234567",
    }
    datos.update(cambios)
    return datos


def _usuario(app, usuario_id) -> Usuario:
    with app.app_context():
        u = db.session.get(Usuario, usuario_id)
        db.session.expunge(u)
        return u


def _html(respuesta) -> str:
    return respuesta.get_data(as_text=True)


@pytest.fixture
def ref(app):
    return _ref(app)


# --------------------------------------------------------------------------------------------------------- acceso


def test_mi_perfil_exige_iniciar_sesion(client):
    r = client.get("/perfil/")
    assert r.status_code == 302
    assert "/login/" in r.headers["Location"]
    assert client.get("/perfil/contrasena/").status_code == 302
    assert client.post("/perfil/profesiones/nueva").status_code in (302, 400)


def test_mi_perfil_se_enlaza_desde_el_encabezado_y_el_inicio(cliente_usuario):
    inicio = _html(cliente_usuario.get("/", follow_redirects=True))
    assert inicio.count('href="/perfil/"') >= 2  # header link and home page entry
    assert "Mi perfil" in inicio


def test_mesa_de_ayuda_tambien_tiene_su_perfil(cliente_mesa_ayuda):
    assert cliente_mesa_ayuda.get("/perfil/").status_code == 200
    assert cliente_mesa_ayuda.get("/perfil/contrasena/").status_code == 200


# --------------------------------------------------------------------------------------------------------- información general


def test_perfil_muestra_solo_lectura_los_datos_de_identidad(app, cliente_usuario):
    html = _html(cliente_usuario.get("/perfil/"))
    for texto in (
        "Información general",
        "Nacionalidad",
        "Tipo de identificación",
        "Número de identificación",
        "Nombre(s)",
        "Apellido(s)",
        "Correo electrónico alternativo",
        "Fecha de nacimiento",
        "Sexo al nacer",
        "Nivel académico",
        "Grupo étnico",
        "País de residencia",
        "Departamento",
        "Municipio",
        "Vereda",
        "Estrato",
        "Dirección",
        "Indicaciones",
        "Localización geográfica",
        "Teléfono",
        "Celular",
        "Estado/Provincia",
        "Ciudad",
        "Localidad",
        "Actualizar",
        "Cancelar",
    ):
        assert texto in html, texto
    usuario = cliente_usuario.usuario
    assert usuario.numero_identificacion in html and "María José" in html and "Pérez Gómez" in html
    # The identity is shown, never offered as an input.
    for nombre in ("first_name", "last_name", "numero_identificacion", "tipo_identificacion_id", "nacionalidad_id"):
        assert f'name="{nombre}"' not in html


def test_actualizar_guarda_y_muestra_la_confirmacion(app, cliente_usuario, ref):
    r = cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref))
    assert r.status_code == 302
    pagina = _html(cliente_usuario.get(r.headers["Location"]))
    assert "La información se actualizó correctamente." in pagina
    u = _usuario(app, cliente_usuario.usuario.id)
    assert u.fecha_nacimiento == date(1985, 3, 9)
    assert str(u.municipio_id) == ref["medellin"] and str(u.departamento_id) == ref["antioquia"]
    assert u.celular == "3001234567" and u.correo_alternativo == "alterno@correo.test"
    assert u.direccion == "Calle 10 # 43 - 12" and u.localizacion_geografica == "Urbana"
    assert u.direccion_componentes["principal"] == "Calle" and u.direccion_componentes["numero_final"] == "12"
    assert 'value="Calle 10 # 43 - 12"' in pagina


def test_actualizar_ignora_los_campos_de_solo_lectura(app, cliente_usuario, ref):
    datos = _datos(
        cliente_usuario,
        ref,
        first_name="Impostor",
        last_name="Falso",
        numero_identificacion="999",
        tipo_identificacion_id="3",
        nacionalidad_id=ref["argentina"],
        username="CC-999",
    )
    assert cliente_usuario.post("/perfil/", data=datos).status_code == 302
    u = _usuario(app, cliente_usuario.usuario.id)
    assert (u.first_name, u.last_name) == ("María José", "Pérez Gómez")
    assert u.numero_identificacion == cliente_usuario.usuario.numero_identificacion
    assert u.tipo_identificacion_id == cliente_usuario.usuario.tipo_identificacion_id
    assert u.nacionalidad_id is None and u.username == cliente_usuario.usuario.username


def test_actualizar_rechaza_municipio_de_otro_departamento_sin_guardar_nada(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/", data=_datos(cliente_usuario, ref, municipio=ref["soacha"], celular="3119998877")
    )
    assert r.status_code == 400
    assert "El municipio seleccionado no pertenece al departamento." in _html(r)
    u = _usuario(app, cliente_usuario.usuario.id)
    assert u.celular is None and u.municipio_id is None


@pytest.mark.parametrize(
    ("fecha", "mensaje"),
    [
        ("2999-01-01", "La fecha de nacimiento debe ser anterior a la fecha de hoy."),
        ("31/02/1990", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."),
        ("ayer", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."),
        ("01/01/1890", "La fecha de nacimiento no puede ser de hace más de 120 años."),  # as at signup
        ("", "Este campo es obligatorio."),
    ],
)
def test_actualizar_rechaza_fechas_de_nacimiento_invalidas(app, cliente_usuario, ref, fecha, mensaje):
    r = cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref, fecha_nacimiento=fecha))
    assert r.status_code == 400
    assert mensaje in _html(r)
    assert _usuario(app, cliente_usuario.usuario.id).fecha_nacimiento == date(1990, 5, 17)


def test_actualizar_rechaza_menores_de_la_edad_minima(app, cliente_usuario, ref):
    hace_diez = (date.today() - timedelta(days=365 * 10)).isoformat()
    r = cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref, fecha_nacimiento=hace_diez))
    assert r.status_code == 400
    assert f"Debe tener al menos {app.config['EDAD_MINIMA_ANOS']} años" in _html(r)


def test_actualizar_valida_telefono_y_celular_colombianos(app, cliente_usuario, ref):
    r = cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref, telefono="12ab", celular="2001234567"))
    assert r.status_code == 400
    html = _html(r)
    assert "El teléfono solo admite números." in html
    assert "El celular debe tener 10 dígitos y empezar por 3" in html
    assert "no se guardó ningún cambio" in html


def test_residente_en_el_exterior_diligencia_estado_ciudad_y_celular_internacional(app, cliente_usuario, ref):
    faltan = cliente_usuario.post(
        "/perfil/", data=_datos(cliente_usuario, ref, pais_residencia=ref["argentina"], celular="+5491122334455")
    )
    assert faltan.status_code == 400
    html = _html(faltan)
    assert "Ingrese el estado o provincia." in html and "Ingrese la ciudad." in html
    assert "Digite su dirección." in html  # abroad the dialog takes the address as typed text
    r = cliente_usuario.post(
        "/perfil/",
        data=_datos(
            cliente_usuario,
            ref,
            pais_residencia=ref["argentina"],
            estado_provincia="Buenos Aires",
            ciudad="La Plata",
            localidad="Tolosa",
            dir_texto="Calle 7 N° 1234, piso 3",
            celular="+5491122334455",
        ),
    )
    assert r.status_code == 302
    u = _usuario(app, cliente_usuario.usuario.id)
    assert (u.estado_provincia, u.ciudad, u.localidad) == ("Buenos Aires", "La Plata", "Tolosa")
    assert u.direccion == "Calle 7 N° 1234, piso 3"
    assert u.direccion_componentes == {"rural": True, "texto": "Calle 7 N° 1234, piso 3"}
    assert u.departamento_id is None and u.municipio_id is None and u.celular == "+5491122334455"


def test_actualizar_rechaza_valores_enormes_e_ids_absurdos_con_400(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/",
        data=_datos(
            cliente_usuario,
            ref,
            dir_rural="si",
            dir_texto="x" * 5000,
            sexo_nacer_id="99999999999999999999",
            grupo_etnico_id="-1",
            departamento="abc",
            correo_alternativo="no-es-correo",
        ),
    )
    assert r.status_code == 400
    html = _html(r)
    assert "Máximo 200 caracteres." in html
    assert html.count("Seleccione una opción válida de la lista.") >= 2
    assert "Seleccione el departamento." in html
    assert "Ingrese un correo electrónico válido" in html


def test_doble_envio_del_perfil_no_falla(app, cliente_usuario, ref):
    datos = _datos(cliente_usuario, ref)
    assert cliente_usuario.post("/perfil/", data=datos).status_code == 302
    assert cliente_usuario.post("/perfil/", data=datos).status_code == 302


def test_cargar_municipios_sin_javascript_no_guarda(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/",
        data=_datos(cliente_usuario, ref, departamento=ref["cundinamarca"], municipio="", accion="recargar"),
    )
    assert r.status_code == 200
    html = _html(r)
    assert "Soacha" in html and "Medellín" not in html
    assert _usuario(app, cliente_usuario.usuario.id).departamento_id is None


def test_perfil_usa_el_mismo_endpoint_de_municipios_que_el_registro(cliente_usuario, ref):
    html = _html(cliente_usuario.get("/perfil/"))
    assert 'data-municipios-url="/registro/municipios"' in html
    assert "/static/js/ubicacion.js" in html
    nombres = [
        m["nombre"]
        for m in cliente_usuario.get(f"/registro/municipios?departamento={ref['antioquia']}").get_json()["municipios"]
    ]
    assert "Medellín" in nombres and "Soacha" not in nombres
    assert cliente_usuario.get("/perfil/municipios/?departamento=1").status_code == 404


def test_perfil_muestra_el_dialogo_de_direccion_prellenado_con_los_componentes(app, cliente_usuario, ref):
    assert (
        cliente_usuario.post(
            "/perfil/", data=_datos(cliente_usuario, ref, dir_sufijo="bis", dir_complemento="Apto 301")
        ).status_code
        == 302
    )
    html = _html(cliente_usuario.get("/perfil/"))
    assert "Ingrese la dirección" in html and 'id="dialogo-direccion"' in html
    assert 'name="direccion" value="Calle 10 Bis # 43 - 12 Apto 301" readonly' in html
    assert re.search(r'<option selected value="Calle">Calle</option>', html)
    assert 'name="dir_numero_principal" type="text" value="10"' in html
    assert 'value="bis"' in html and 'value="Apto 301"' in html
    assert re.search(r'id="dir_rural-no" value="no"\s+checked', html)


def test_sin_javascript_aceptar_la_direccion_la_compone_sin_guardar(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/",
        data=_datos(cliente_usuario, ref, dir_principal="Carrera", dir_sufijo_secundario="a", accion="direccion"),
    )
    assert r.status_code == 200
    assert 'value="Carrera 10 # 43A - 12"' in _html(r)
    assert _usuario(app, cliente_usuario.usuario.id).direccion is None


def test_direccion_rural_desde_el_dialogo(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/",
        data=_datos(
            cliente_usuario, ref, dir_rural="si", dir_texto="Vereda La Clara, km 4", localizacion_geografica="Rural"
        ),
    )
    assert r.status_code == 302
    u = _usuario(app, cliente_usuario.usuario.id)
    assert u.direccion == "Vereda La Clara, km 4"
    assert u.direccion_componentes == {"rural": True, "texto": "Vereda La Clara, km 4"}


def test_dialogo_con_errores_se_abre_y_no_guarda(app, cliente_usuario, ref):
    r = cliente_usuario.post(
        "/perfil/", data=_datos(cliente_usuario, ref, dir_numero_secundario="", telefono="6012425000")
    )
    assert r.status_code == 400
    html = _html(r)
    assert "Ingrese el número secundario." in html and 'data-abrir="1"' in html
    assert "Ingrese la dirección completa" in html
    assert _usuario(app, cliente_usuario.usuario.id).telefono is None


def test_celular_y_estrato_obligatorios_en_colombia_con_los_mensajes_del_registro(app, client, cliente_usuario, ref):
    r = cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref, celular="", estrato=""))
    assert r.status_code == 400
    html = _html(r)
    assert "Ingrese el número de celular." in html and "Seleccione el estrato socioeconómico." in html
    assert "no se guardó ningún cambio" in html


def test_actualizar_otro_campo_conserva_los_componentes_de_la_direccion(app, cliente_usuario, ref):
    """The page comes prefilled from direccion_componentes: posting it back unchanged keeps them."""
    assert (
        cliente_usuario.post("/perfil/", data=_datos(cliente_usuario, ref, dir_sufijo_secundario="C")).status_code
        == 302
    )
    antes = _usuario(app, cliente_usuario.usuario.id).direccion_componentes
    html = _html(cliente_usuario.get("/perfil/"))
    # What a browser would post back from the page: every dialog field as prefilled, only Teléfono changed.
    datos = _datos(cliente_usuario, ref, telefono="6012425000")
    for campo in [c for c in datos if c.startswith("dir_")]:
        del datos[campo]
    for campo, valor in re.findall(r'name="(dir_[a-z_]+)"[^>]* type="text" value="([^"]*)"', html):
        datos[campo] = valor
    datos["dir_rural"] = re.search(r'name="dir_rural" id="dir_rural-\w+" value="(\w+)"\s+checked', html).group(1)
    datos["dir_principal"] = re.search(r'<option selected value="([^"]+)">', html.split('id="dir_principal"')[1]).group(
        1
    )
    assert cliente_usuario.post("/perfil/", data=datos).status_code == 302
    u = _usuario(app, cliente_usuario.usuario.id)
    assert u.telefono == "6012425000"
    assert u.direccion == "Calle 10 # 43C - 12" and u.direccion_componentes == antes


# --------------------------------------------------------------------------------------------------------- correo


def _codigo_de(smtp_sink, correo: str) -> str:
    mensaje = smtp_sink.esperar(correo)[-1]
    return re.search(r"Código de verificación: (\d{6})", smtp_sink.texto(mensaje)).group(1)


def _pedir_cambio(cliente, ref, nuevo):
    return cliente.post("/perfil/", data=_datos(cliente, ref, email=nuevo))


def test_cambio_de_correo_conserva_el_anterior_hasta_confirmar_el_codigo(app, cliente_usuario, ref, smtp_sink):
    anterior = cliente_usuario.usuario.email
    r = _pedir_cambio(cliente_usuario, ref, "Nuevo.Correo@Ejemplo.test")
    assert r.status_code == 302
    assert _usuario(app, cliente_usuario.usuario.id).email == anterior
    pagina = _html(cliente_usuario.get("/perfil/"))
    assert "Cambio de correo electrónico pendiente" in pagina and "nuevo.correo@ejemplo.test" in pagina

    outbox.enviar_pendientes(app)
    codigo = _codigo_de(smtp_sink, "nuevo.correo@ejemplo.test")
    aviso = smtp_sink.esperar(anterior)[-1]
    assert "Solicitud de cambio de correo" in aviso["asunto"]
    assert codigo not in smtp_sink.texto(aviso) and codigo not in smtp_sink.html(aviso)

    mal = "000000" if codigo != "000000" else "111111"
    r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": csrf_de(pagina), "codigo": mal})
    assert r.status_code == 400
    assert "Le quedan 4 intentos" in _html(r)
    assert _usuario(app, cliente_usuario.usuario.id).email == anterior

    r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": csrf_de(pagina), "codigo": codigo})
    assert r.status_code == 302
    assert "Su correo electrónico se actualizó a nuevo.correo@ejemplo.test." in _html(cliente_usuario.get("/perfil/"))
    assert _usuario(app, cliente_usuario.usuario.id).email == "nuevo.correo@ejemplo.test"
    outbox.enviar_pendientes(app)
    smtp_sink.esperar_asunto(anterior, "fue cambiado")
    # The code is single-use.
    otra = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": csrf_de(pagina), "codigo": codigo})
    assert otra.status_code == 400


def test_cambio_de_correo_rechaza_direccion_de_otra_cuenta_sin_importar_mayusculas(app, cliente_usuario, ref):
    with app.app_context():
        factories.crear_usuario(email="ocupado@correo.test")
    r = _pedir_cambio(cliente_usuario, ref, "OCUPADO@Correo.Test")
    assert r.status_code == 400
    assert "ya está registrado en otra cuenta" in _html(r)
    with app.app_context():
        assert (
            db.session.scalar(select(Verificacion.id).where(Verificacion.proposito == PROPOSITO_CAMBIO_CORREO)) is None
        )
        assert db.session.scalar(select(MensajeCorreo.id)) is None


def test_cambio_de_correo_se_rechaza_si_otra_cuenta_lo_tomo_antes_de_confirmar(app, cliente_usuario, ref, smtp_sink):
    _pedir_cambio(cliente_usuario, ref, "disputado@correo.test")
    outbox.enviar_pendientes(app)
    codigo = _codigo_de(smtp_sink, "disputado@correo.test")
    with app.app_context():
        factories.crear_usuario(email="Disputado@correo.test")
    pagina = _html(cliente_usuario.get("/perfil/"))
    r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": csrf_de(pagina), "codigo": codigo})
    assert r.status_code == 400
    assert "ya está registrado en otra cuenta" in _html(r)
    assert _usuario(app, cliente_usuario.usuario.id).email == cliente_usuario.usuario.email


def test_cambio_de_correo_anula_el_codigo_tras_cinco_intentos(app, cliente_usuario, ref, smtp_sink):
    _pedir_cambio(cliente_usuario, ref, "intentos@correo.test")
    outbox.enviar_pendientes(app)
    codigo = _codigo_de(smtp_sink, "intentos@correo.test")
    mal = "000000" if codigo != "000000" else "111111"
    token = csrf_de(_html(cliente_usuario.get("/perfil/")))
    for _ in range(5):
        r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": token, "codigo": mal})
        assert r.status_code == 400
    assert "Superó el número de intentos permitidos" in _html(r)
    r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": token, "codigo": codigo})
    assert r.status_code == 400
    assert _usuario(app, cliente_usuario.usuario.id).email != "intentos@correo.test"
    assert "Cambio de correo electrónico pendiente" not in _html(cliente_usuario.get("/perfil/"))


def test_cambio_de_correo_vencido_no_se_puede_confirmar(app, cliente_usuario, ref, smtp_sink):
    _pedir_cambio(cliente_usuario, ref, "tarde@correo.test")
    outbox.enviar_pendientes(app)
    codigo = _codigo_de(smtp_sink, "tarde@correo.test")
    with app.app_context():
        v = db.session.scalar(select(Verificacion).where(Verificacion.proposito == PROPOSITO_CAMBIO_CORREO))
        v.expira_en = v.creado_en - timedelta(minutes=1)
        db.session.commit()
    token = csrf_de(_html(cliente_usuario.get("/perfil/")))
    r = cliente_usuario.post("/perfil/correo/confirmar", data={"csrf_token": token, "codigo": codigo})
    assert r.status_code == 400
    assert "El código venció" in _html(r)
    assert _usuario(app, cliente_usuario.usuario.id).email != "tarde@correo.test"


def test_cancelar_y_reenviar_el_cambio_de_correo(app, cliente_usuario, ref, smtp_sink):
    _pedir_cambio(cliente_usuario, ref, "reenvio@correo.test")
    token = csrf_de(_html(cliente_usuario.get("/perfil/")))
    assert cliente_usuario.post("/perfil/correo/reenviar", data={"csrf_token": token}).status_code == 302
    outbox.enviar_pendientes(app)
    assert len(smtp_sink.esperar("reenvio@correo.test", 2)) == 2
    assert cliente_usuario.post("/perfil/correo/cancelar", data={"csrf_token": token}).status_code == 302
    pagina = _html(cliente_usuario.get("/perfil/"))
    assert "Se canceló el cambio de correo electrónico." in pagina
    assert "Cambio de correo electrónico pendiente" not in pagina


# --------------------------------------------------------------------------------------------------------- RT/DT


def _interruptor(cliente, encendido: bool):
    token = csrf_de(_html(cliente.get("/perfil/")))
    datos = {"csrf_token": token}
    if encendido:
        datos["permitir"] = "y"
    return cliente.post("/perfil/invitaciones", data=datos)


def _agregar(cliente, profesion_id, tarjeta):
    token = csrf_de(_html(cliente.get("/perfil/profesiones/nueva")))
    return cliente.post(
        "/perfil/profesiones/nueva",
        data={"csrf_token": token, "profesion_id": profesion_id, "tarjeta_profesional": tarjeta},
    )


def _filas(app, usuario_id):
    with app.app_context():
        return db.session.scalars(
            select(UsuarioProfesion).where(UsuarioProfesion.usuario_id == usuario_id).order_by(UsuarioProfesion.id)
        ).all()


def test_interruptor_rt_dt_apagado_por_defecto_sin_seccion_profesiones(cliente_usuario):
    html = _html(cliente_usuario.get("/perfil/"))
    assert "¿Permitir que me lleguen invitaciones de responsable técnico / director técnico?" in html
    assert "(Aplica únicamente a productos cosméticos, productos de aseo y absorbentes de higiene personal)" in html
    assert 'role="switch"' in html and "checked" not in html.split('id="permitir"')[0][-200:]
    assert "Agregar profesión" not in html


def test_al_activar_el_interruptor_aparece_la_tabla_de_profesiones(app, cliente_usuario):
    assert _interruptor(cliente_usuario, True).status_code == 302
    html = _html(cliente_usuario.get("/perfil/"))
    for texto in (
        "Profesiones",
        "Profesión",
        "Tarjeta profesional",
        "Acciones",
        "No hay datos",
        "Agregar profesión",
        "Seleccione una profesión",
        "Ingrese el número de tarjeta profesional",
        "Aceptar",
    ):
        assert texto in html, texto
    assert 'id="modal-profesion"' in html
    assert _usuario(app, cliente_usuario.usuario.id).acepta_invitaciones_rt_dt is True


def test_agregar_editar_y_eliminar_una_profesion(app, cliente_usuario, ref):
    _interruptor(cliente_usuario, True)
    r = _agregar(cliente_usuario, ref["profesiones"][0], " 123456 ")
    assert r.status_code == 302
    html = _html(cliente_usuario.get("/perfil/"))
    assert "123456" in html and "No hay datos" not in html
    fila = _filas(app, cliente_usuario.usuario.id)[0]

    editar = f"/perfil/profesiones/{fila.id}/editar"
    pagina = _html(cliente_usuario.get(editar))
    assert 'value="123456"' in pagina
    r = cliente_usuario.post(
        editar,
        data={"csrf_token": csrf_de(pagina), "profesion_id": ref["profesiones"][1], "tarjeta_profesional": "ab-777"},
    )
    assert r.status_code == 302
    fila = _filas(app, cliente_usuario.usuario.id)[0]
    assert fila.tarjeta_profesional == "AB-777" and str(fila.profesion_id) == ref["profesiones"][1]

    eliminar = f"/perfil/profesiones/{fila.id}/eliminar"
    confirmacion = _html(cliente_usuario.get(eliminar))
    assert "¿Desea eliminar" in confirmacion
    assert _filas(app, cliente_usuario.usuario.id)  # GET only asks
    assert cliente_usuario.post(eliminar, data={"csrf_token": csrf_de(confirmacion)}).status_code == 302
    assert _filas(app, cliente_usuario.usuario.id) == []
    assert "No hay datos" in _html(cliente_usuario.get("/perfil/"))


def test_eliminar_profesion_sin_csrf_es_rechazado(app, cliente_usuario, ref):
    _interruptor(cliente_usuario, True)
    _agregar(cliente_usuario, ref["profesiones"][0], "555111")
    fila = _filas(app, cliente_usuario.usuario.id)[0]
    assert cliente_usuario.post(f"/perfil/profesiones/{fila.id}/eliminar").status_code == 400
    assert len(_filas(app, cliente_usuario.usuario.id)) == 1


def test_tarjeta_profesional_es_unica_entre_todos_los_usuarios(app, cliente_usuario, ref):
    with app.app_context():
        otra = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
        db.session.add(
            UsuarioProfesion(usuario_id=otra.id, profesion_id=int(ref["profesiones"][0]), tarjeta_profesional="TP-9090")
        )
        db.session.commit()
    _interruptor(cliente_usuario, True)
    r = _agregar(cliente_usuario, ref["profesiones"][1], "tp-9090")
    assert r.status_code == 400
    assert "El número de tarjeta profesional ya está registrado en la plataforma." in _html(r)
    assert _filas(app, cliente_usuario.usuario.id) == []


def test_profesion_exige_ambos_campos_y_tarjeta_valida(app, cliente_usuario, ref):
    _interruptor(cliente_usuario, True)
    r = _agregar(cliente_usuario, "", "")
    assert r.status_code == 400
    assert "Seleccione una profesión." in _html(r) and "Ingrese el número de tarjeta profesional." in _html(r)
    r = _agregar(cliente_usuario, "999999", "<script>" + "9" * 50)
    assert r.status_code == 400
    assert "Seleccione una opción válida de la lista." in _html(r)
    assert "La tarjeta profesional solo admite letras, números y guiones" in _html(r)


def test_no_se_puede_editar_ni_eliminar_la_profesion_de_otro_usuario(app, cliente_usuario, ref):
    with app.app_context():
        otra = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
        ajena = UsuarioProfesion(
            usuario_id=otra.id, profesion_id=int(ref["profesiones"][0]), tarjeta_profesional="AJENA1"
        )
        db.session.add(ajena)
        db.session.commit()
        ajena_id, otra_id = ajena.id, otra.id
    _interruptor(cliente_usuario, True)
    token = csrf_de(_html(cliente_usuario.get("/perfil/")))
    assert cliente_usuario.get(f"/perfil/profesiones/{ajena_id}/editar").status_code == 404
    r = cliente_usuario.post(
        f"/perfil/profesiones/{ajena_id}/editar",
        data={"csrf_token": token, "profesion_id": ref["profesiones"][0], "tarjeta_profesional": "ROBADA"},
    )
    assert r.status_code == 404
    assert (
        cliente_usuario.post(f"/perfil/profesiones/{ajena_id}/eliminar", data={"csrf_token": token}).status_code == 404
    )
    assert cliente_usuario.get("/perfil/profesiones/99999999999999/eliminar").status_code == 404
    filas = _filas(app, otra_id)
    assert len(filas) == 1 and filas[0].tarjeta_profesional == "AJENA1"


def test_apagar_el_interruptor_conserva_las_profesiones_ocultas(app, cliente_usuario, ref):
    _interruptor(cliente_usuario, True)
    _agregar(cliente_usuario, ref["profesiones"][0], "777888")
    assert _interruptor(cliente_usuario, False).status_code == 302
    html = _html(cliente_usuario.get("/perfil/"))
    assert "777888" not in html and "Sus profesiones registradas se conservan" in html
    assert len(_filas(app, cliente_usuario.usuario.id)) == 1
    # While off, no professions can be added.
    r = _agregar(cliente_usuario, ref["profesiones"][1], "777999")
    assert r.status_code == 400
    assert "Active la opción" in _html(r)
    _interruptor(cliente_usuario, True)
    assert "777888" in _html(cliente_usuario.get("/perfil/"))


# --------------------------------------------------------------------------------------------------------- contraseña


def _cambiar(cliente, actual, nueva, confirmacion):
    token = csrf_de(_html(cliente.get("/perfil/contrasena/")))
    return cliente.post(
        "/perfil/contrasena/",
        data={"csrf_token": token, "actual": actual, "nueva": nueva, "confirmacion": confirmacion},
    )


def test_cambiar_contrasena_muestra_los_campos_y_reglas_del_manual(cliente_usuario):
    html = _html(cliente_usuario.get("/perfil/contrasena/"))
    for texto in (
        "Contraseña actual",
        "Contraseña nueva",
        "Confirme contraseña",
        "Reglas mínimas de seguridad para su contraseña:",
        "Debe contener mínimo 8 caracteres.",
        "Debe contener mayúsculas o minúsculas.",
        "Debe contener al menos un número.",
        "Debe contener al menos un carácter especial.",
        "Cancelar",
        "Cambiar contraseña",
    ):
        assert texto in html, texto
    assert 'href="/perfil/contrasena/"' in _html(cliente_usuario.get("/perfil/"))


def test_cambiar_contrasena_rechaza_la_actual_incorrecta(cliente_usuario):
    r = _cambiar(cliente_usuario, "Equivocada#1", NUEVA, NUEVA)
    assert r.status_code == 400
    assert "La contraseña actual no coincide con la registrada en la plataforma." in _html(r)


def test_cambiar_contrasena_explica_cada_regla_incumplida(cliente_usuario):
    r = _cambiar(cliente_usuario, factories.CONTRASENA, "abc", "abd")
    assert r.status_code == 400
    html = _html(r)
    for mensaje in (
        "Debe contener mínimo 8 caracteres.",
        "Debe contener al menos un número.",
        "Debe contener al menos un carácter especial.",
        "La confirmación de contraseña no coincide con la contraseña nueva.",
    ):
        assert html.count(mensaje) >= (2 if mensaje.startswith("Debe") else 1), mensaje  # rule list + error
    r = _cambiar(cliente_usuario, factories.CONTRASENA, "12345678#", "12345678#")
    assert "mensaje-error" in _html(r) and _html(r).count("Debe contener mayúsculas o minúsculas.") == 2


def test_cambiar_contrasena_no_acepta_la_misma(cliente_usuario):
    r = _cambiar(cliente_usuario, factories.CONTRASENA, factories.CONTRASENA, factories.CONTRASENA)
    assert r.status_code == 400
    assert "La nueva contraseña no puede ser igual a la contraseña actual." in _html(r)


def test_cambiar_contrasena_la_anterior_deja_de_funcionar(app, cliente_usuario):
    r = _cambiar(cliente_usuario, factories.CONTRASENA, NUEVA, NUEVA)
    assert r.status_code == 302
    assert "La contraseña se cambió correctamente." in _html(cliente_usuario.get(r.headers["Location"]))
    usuario = cliente_usuario.usuario
    assert iniciar_sesion(app.test_client(), usuario, factories.CONTRASENA).status_code == 401
    assert iniciar_sesion(app.test_client(), usuario, NUEVA).status_code == 302


def test_cambiar_contrasena_avisa_al_correo_de_la_cuenta_sin_la_contrasena(app, cliente_usuario, monkeypatch):
    """QA: changing the password sent no notice; now exactly one, with when (Colombian time) and what to do."""
    monkeypatch.setattr(contrasenas, "ahora", lambda: datetime(2026, 3, 5, 1, 30, tzinfo=UTC))
    assert _cambiar(cliente_usuario, "Equivocada#1", NUEVA, NUEVA).status_code == 400
    assert _cambiar(cliente_usuario, factories.CONTRASENA, NUEVA, NUEVA).status_code == 302
    avisos = [m for m in mensajes_de_correo(app) if m.plantilla == "contrasena_cambiada"]
    assert len(avisos) == 1
    aviso = avisos[0]
    assert aviso.destinatario == cliente_usuario.usuario.email
    assert aviso.asunto == "Se cambió la contraseña de su cuenta de InvimÁgil"
    for cuerpo in (aviso.cuerpo_texto, aviso.cuerpo_html):
        assert "04/03/2026 08:30 p. m. (hora de Colombia)" in cuerpo  # 01:30 UTC is the evening before in Bogotá
        assert "«Cambiar contraseña» en" in cuerpo and "/cuenta/recuperar/" in cuerpo and "/ayuda/" in cuerpo
        assert NUEVA not in cuerpo and factories.CONTRASENA not in cuerpo and "/cuenta/restablecer/" not in cuerpo


def test_cambiar_contrasena_tiene_limite_de_intentos(app, cliente_usuario):
    anterior = app.config["LIMITE_PIN"]
    app.config["LIMITE_PIN"] = "3 per minute"
    try:
        codigos = [_cambiar(cliente_usuario, "Equivocada#1", NUEVA, NUEVA).status_code for _ in range(4)]
    finally:
        app.config["LIMITE_PIN"] = anterior
    assert codigos == [400, 400, 400, 429]
