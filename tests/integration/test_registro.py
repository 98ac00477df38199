"""Crear cuenta: the 3-step wizard of manual 4.3.2–4.3.5, through HTTP on the real database."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from app.models.correo import MensajeCorreo
from app.models.personas import Usuario
from app.models.referencias import (
    Departamento,
    Estrato,
    GrupoEtnico,
    Municipio,
    NivelAcademico,
    Pais,
    SexoNacer,
    TipoIdentificacion,
)
from app.services import outbox
from tests import factories
from tests.helpers import CAPTCHA_PRUEBA, csrf_de

MSG_USUARIO_EXISTE = "El usuario ya existe"
MSG_CORREO_EXISTE = "Este correo electrónico ya está registrado en InvimÁgil."


@pytest.fixture(scope="module")
def ids(app):
    from app.extensions import db

    with app.app_context():
        s = db.session

        def por(modelo, **filtro):
            return s.scalar(select(modelo.id).filter_by(**filtro))

        valores = {
            "CC": por(TipoIdentificacion, codigo="CC"),
            "CE": por(TipoIdentificacion, codigo="CE"),
            "PA": por(TipoIdentificacion, codigo="PA"),
            "OT": por(TipoIdentificacion, codigo="OT"),
            "colombia": por(Pais, codigo="CO"),
            "argentina": por(Pais, codigo="AR"),
            "antioquia": por(Departamento, codigo="05"),
            "medellin": por(Municipio, codigo="05001"),
            "bogota_dep": por(Departamento, codigo="11"),
            "bogota": por(Municipio, codigo="11001"),
            "femenino": por(SexoNacer, nombre="Femenino"),
            "pregrado": por(NivelAcademico, nombre="Pregrado"),
            "afro": por(GrupoEtnico, nombre="Afrocolombiano"),
            "estrato3": por(Estrato, nombre="3"),
        }
        s.rollback()
    assert all(valores.values()), valores
    return valores


def general(ids, **cambios) -> dict:
    datos = {
        "nacionalidad": ids["colombia"],
        "tipo_identificacion": ids["CC"],
        "otro_tipo_identificacion": "",
        "numero_identificacion": "1032456789",
        "confirmar_identificacion": "1032456789",
        "nombres": "María José",
        "apellidos": "Pérez O'Neill",
        "correo": "Maria.Perez@Correo.test",
        "confirmar_correo": "maria.perez@correo.test",
        "correo_alternativo": "",
        "fecha_nacimiento": "1990-05-17",
        "sexo_nacer": ids["femenino"],
        "nivel_academico": ids["pregrado"],
        "grupo_etnico": ids["afro"],
    }
    datos.update(cambios)
    return {k: str(v) for k, v in datos.items()}


def ubicacion(ids, **cambios) -> dict:
    datos = {
        "pais_residencia": ids["colombia"],
        "departamento": ids["antioquia"],
        "municipio": ids["medellin"],
        "vereda": "",
        "estrato": ids["estrato3"],
        "dir_rural": "no",
        "dir_principal": "Calle",
        "dir_numero_principal": "26",
        "dir_sufijo": "",
        "dir_numero_secundario": "68",
        "dir_sufijo_secundario": "c",
        "dir_numero_final": "10",
        "dir_complemento": "Interior 2",
        "dir_texto": "",
        "dir_indicaciones": "",
        "indicaciones": "Frente al parque",
        "localizacion_geografica": "Urbana",
        "telefono": "6012425000",
        "celular": "3001234567",
    }
    datos.update(cambios)
    return {k: str(v) for k, v in datos.items()}


def abroad(ids, **cambios) -> dict:
    datos = {
        "pais_residencia": ids["argentina"],
        "estado_provincia": "Buenos Aires",
        "ciudad": "La Plata",
        "localidad": "Tolosa",
        "dir_rural": "si",
        "dir_texto": "Avenida 7 N.º 1234, piso 3",
        "dir_indicaciones": "Timbre B",
        "indicaciones": "",
        "localizacion_geografica": "Urbana",
        "telefono": "+542214567890",
        "celular": "",
    }
    datos.update(cambios)
    return {k: str(v) for k, v in datos.items()}


def token(client) -> str:
    return csrf_de(client.get("/registro/paso/1").get_data(as_text=True))


def enviar(client, numero: int, datos: dict, accion: str = "siguiente"):
    return client.post(f"/registro/paso/{numero}", data={"csrf_token": token(client), "accion": accion, **datos})


def terminos(client, captcha: str = CAPTCHA_PRUEBA, acepta: bool = True):
    client.get("/captcha/registro.png")
    datos = {"captcha": captcha, "accion": "crear"}
    if acepta:
        datos["acepta_terminos"] = "y"
    return client.post("/registro/paso/3", data={"csrf_token": token(client), **datos})


def hasta_paso_tres(client, ids, datos_generales=None, datos_ubicacion=None):
    r1 = enviar(client, 1, datos_generales or general(ids))
    assert r1.status_code == 302, r1.get_data(as_text=True)
    assert r1.headers["Location"].endswith("/registro/paso/2")
    r2 = enviar(client, 2, datos_ubicacion or ubicacion(ids))
    assert r2.status_code == 302, r2.get_data(as_text=True)
    assert r2.headers["Location"].endswith("/registro/paso/3")


def cuentas(app) -> int:
    from app.extensions import db

    with app.app_context():
        n = db.session.scalar(select(func.count(Usuario.id)))
        db.session.rollback()
        return n


def errores_de(respuesta) -> str:
    return respuesta.get_data(as_text=True)


# ------------------------------------------------------------------------------------------ happy path


def test_registro_completo_crea_una_cuenta_inactiva_y_envia_el_pin(app, client, ids, smtp_sink):
    hasta_paso_tres(client, ids)
    r = terminos(client)
    assert r.status_code == 302
    assert r.headers["Location"].endswith("/registro/exito")
    exito = client.get("/registro/exito").get_data(as_text=True)
    assert "Cuenta creada con éxito" in exito
    assert "ma***@correo.test" in exito
    assert "no quedará activa hasta que complete el proceso de activación" in exito
    assert "Finalizar" in exito and 'href="/login/"' in exito

    from app.extensions import db

    with app.app_context():
        usuarios = db.session.scalars(select(Usuario)).all()
        assert len(usuarios) == 1
        u = usuarios[0]
        assert u.email == "maria.perez@correo.test"
        assert u.active is False and u.activada_en is None and u.password is None
        assert u.username == "CC-1032456789"
        assert (u.first_name, u.last_name) == ("María José", "Pérez O'Neill")
        assert u.fecha_nacimiento == date(1990, 5, 17)
        assert u.municipio.nombre == "Medellín" and u.departamento.nombre == "Antioquia"
        assert u.direccion == "Calle 26 # 68C - 10 Interior 2"
        assert u.direccion_componentes["principal"] == "Calle"
        assert u.direccion_componentes["rural"] is False
        assert u.localizacion_geografica == "Urbana"
        assert u.celular == "3001234567" and u.telefono == "6012425000"
        assert u.indicaciones == "Frente al parque"
        assert u.terminos_aceptados_en is not None
        assert [r.name for r in u.roles] == ["Usuario"]
        assert u.estado == "Pendiente de activación"
        db.session.rollback()

    outbox.enviar_pendientes(app)
    (correo,) = smtp_sink.esperar("maria.perez@correo.test")
    texto = smtp_sink.texto(correo)
    assert re.search(r"PIN de activación: \d{6}\b", texto)
    assert "http://127.0.0.1:5000/cuenta/activar/" in texto
    # The wizard's data is gone from the session once the account exists.
    assert client.get("/registro/paso/2").headers["Location"].endswith("/registro/paso/1")


def test_paso_uno_muestra_la_advertencia_y_los_campos_del_manual(client):
    html = client.get("/registro/paso/1").get_data(as_text=True)
    assert "Importante:" in html
    assert "tipo de identificación, número de identificación, nombres y apellidos" in html
    for etiqueta in (
        "Nacionalidad",
        "Tipo de identificación",
        "Número de identificación",
        "Confirmar identificación",
        "Nombre(s)",
        "Apellido(s)",
        "Correo electrónico",
        "Confirmar correo electrónico",
        "Correo electrónico alternativo",
        "Fecha de nacimiento",
        "Sexo al nacer",
        "Nivel académico",
        "Grupo étnico",
        "Cancelar",
        "Siguiente",
    ):
        assert f"{etiqueta}</label>" in html or f"{etiqueta}\n" in html or etiqueta in html, etiqueta
    posiciones = [html.index(t) for t in ("Cédula de ciudadanía", "Cédula de extranjería", "Pasaporte", ">Otro<")]
    assert posiciones == sorted(posiciones)
    assert re.search(r'<option selected value="\d+">Colombia</option>', html)
    # The step list on the left, the current step marked.
    assert 'aria-current="step"' in html
    for paso in ("Información general", "Datos de ubicación", "Términos e indicaciones"):
        assert paso in html
    # Every input has a visible label.
    for campo_id in re.findall(r'<(?:input|select)[^>]*\bid="([a-z_]+)"', html):
        if campo_id != "csrf_token":
            assert f'for="{campo_id}"' in html, campo_id


# ------------------------------------------------------------------------------------------ step 1 rules


@pytest.mark.parametrize(
    ("tipo", "numero", "mensaje"),
    [
        (
            "CC",
            "10324A6789",
            "El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales.",
        ),
        (
            "CC",
            "10.324.567",
            "El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales.",
        ),
        ("CC", "12345678901", "El número de cédula de ciudadanía admite hasta 10 dígitos."),
        ("CE", "12345678", "El número de cédula de extranjería admite hasta 7 dígitos."),
        ("CE", "12A45", "El número de cédula de extranjería debe ser numérico, sin letras ni caracteres especiales."),
        ("PA", "AB-12345", "El número de pasaporte debe ser alfanumérico: solo letras y números."),
        ("PA", "AB123456789", "El número de pasaporte admite hasta 10 caracteres."),
        ("OT", "A" * 21, "El número de identificación admite hasta 20 caracteres."),
    ],
)
def test_registro_rechaza_numero_que_no_cumple_la_regla_del_tipo(app, client, ids, tipo, numero, mensaje):
    datos = general(ids, tipo_identificacion=ids[tipo], numero_identificacion=numero, confirmar_identificacion=numero)
    if tipo == "OT":
        datos["otro_tipo_identificacion"] = "Permiso por protección temporal"
    r = enviar(client, 1, datos)
    assert r.status_code == 400
    assert mensaje in errores_de(r)
    assert cuentas(app) == 0


def test_registro_rechaza_cedula_con_letras(client, ids):
    r = enviar(client, 1, general(ids, numero_identificacion="ABC", confirmar_identificacion="ABC"))
    assert r.status_code == 400
    assert "debe ser numérico, sin letras ni caracteres especiales" in errores_de(r)


@pytest.mark.parametrize(
    ("tipo", "numero"), [("CC", "1234567890"), ("CE", "1234567"), ("PA", "AB12345678"), ("OT", "PPT-2024/001.9")]
)
def test_registro_acepta_numeros_validos_de_cada_tipo(client, ids, tipo, numero):
    datos = general(ids, tipo_identificacion=ids[tipo], numero_identificacion=numero, confirmar_identificacion=numero)
    datos["otro_tipo_identificacion"] = "Permiso por protección temporal"
    r = enviar(client, 1, datos)
    assert r.status_code == 302, errores_de(r)


def test_otro_tipo_de_identificacion_es_obligatorio_solo_con_otro(client, ids):
    html = client.get("/registro/paso/1").get_data(as_text=True)
    assert re.search(r'id="bloque-otro-tipo"\s+hidden', html)
    r = enviar(
        client,
        1,
        general(ids, tipo_identificacion=ids["OT"], numero_identificacion="X1", confirmar_identificacion="X1"),
    )
    assert r.status_code == 400
    html = errores_de(r)
    assert "Ingrese el otro tipo de identificación." in html
    assert not re.search(r'id="bloque-otro-tipo"\s+hidden', html)  # shown without JavaScript
    # With Cédula de ciudadanía the field is ignored.
    r = enviar(client, 1, general(ids, otro_tipo_identificacion=""))
    assert r.status_code == 302


def test_registro_exige_que_la_confirmacion_de_identificacion_coincida(client, ids):
    r = enviar(client, 1, general(ids, confirmar_identificacion="1032456788"))
    assert r.status_code == 400
    assert "La confirmación no coincide con el número de identificación." in errores_de(r)


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("nombres", "", "Ingrese los nombres."),
        ("nombres", "María 2", "Escriba los nombres solo con letras, espacios, tildes, apóstrofos o guiones."),
        ("apellidos", "Pérez_Gómez", "Escriba los apellidos solo con letras, espacios, tildes, apóstrofos o guiones."),
        ("apellidos", "A" * 65, "Máximo 64 caracteres."),
        ("correo", "maria@", "Ingrese un correo electrónico válido, por ejemplo nombre@dominio.com."),
        ("confirmar_correo", "otra@correo.test", "La confirmación no coincide con el correo electrónico."),
        ("correo_alternativo", "no-es-correo", "Ingrese un correo electrónico alternativo válido."),
        (
            "correo_alternativo",
            "MARIA.PEREZ@correo.test",
            "El correo electrónico alternativo debe ser diferente del principal.",
        ),
        ("fecha_nacimiento", "", "Seleccione la fecha de nacimiento."),
        ("fecha_nacimiento", "2001-02-30", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."),
        ("fecha_nacimiento", "2999-01-01", "La fecha de nacimiento debe ser anterior a la fecha de hoy."),
        ("fecha_nacimiento", "1890-01-01", "La fecha de nacimiento no puede ser de hace más de 120 años."),
        ("sexo_nacer", "", "Seleccione el sexo al nacer."),
        ("nivel_academico", "abc", "Seleccione el nivel académico."),
        ("grupo_etnico", "999999", "Seleccione el grupo étnico."),
        ("nacionalidad", "", "Seleccione la nacionalidad."),
        ("tipo_identificacion", "", "Seleccione el tipo de identificación."),
    ],
)
def test_registro_valida_cada_campo_de_informacion_general(client, ids, campo, valor, mensaje):
    r = enviar(client, 1, general(ids, **{campo: valor}))
    assert r.status_code == 400
    html = errores_de(r)
    assert mensaje in html
    assert f'id="error-{campo}"' in html  # the message sits next to its field


def test_registro_exige_mayoria_de_edad(app, client, ids):
    hoy = date.today()
    menor = date(hoy.year - 17, 1, 1).isoformat()
    r = enviar(client, 1, general(ids, fecha_nacimiento=menor))
    assert r.status_code == 400
    assert (
        f"Debe tener al menos {app.config['EDAD_MINIMA_ANOS']} años para tener una cuenta en InvimÁgil."
        in errores_de(r)
    )


def test_correo_y_su_confirmacion_no_distinguen_mayusculas(client, ids):
    r = enviar(client, 1, general(ids, correo="ANA@CORREO.TEST", confirmar_correo="ana@correo.test"))
    assert r.status_code == 302


def test_identificacion_ya_registrada_se_rechaza_en_el_paso_uno(app, client, ids):
    with app.app_context():
        factories.crear_usuario(numero="1032456789", email="otra@correo.test")
    r = enviar(client, 1, general(ids))
    assert r.status_code == 400
    html = errores_de(r)
    assert MSG_USUARIO_EXISTE in html
    assert "¿Olvidó su contraseña?" in html and 'href="/cuenta/recuperar/"' in html
    assert cuentas(app) == 1


def test_correo_ya_registrado_se_rechaza_sin_importar_mayusculas(app, client, ids):
    with app.app_context():
        factories.crear_usuario(numero="79000111", email="maria.perez@correo.test")
    r = enviar(client, 1, general(ids, correo="MARIA.Perez@CORREO.test", confirmar_correo="maria.perez@correo.test"))
    assert r.status_code == 400
    html = errores_de(r)
    assert MSG_CORREO_EXISTE in html
    assert 'href="/cuenta/recuperar/"' in html


# ------------------------------------------------------------------------------------------ navigation


def test_los_valores_sobreviven_al_ir_y_volver(client, ids):
    hasta_paso_tres(client, ids)
    paso1 = client.get("/registro/paso/1").get_data(as_text=True)
    assert 'value="1032456789"' in paso1
    assert 'value="María José"' in paso1
    assert 'value="maria.perez@correo.test"' in paso1
    assert 'value="1990-05-17"' in paso1
    paso2 = client.get("/registro/paso/2").get_data(as_text=True)
    assert 'value="Interior 2"' in paso2
    assert 'value="Calle 26 # 68C - 10 Interior 2"' in paso2
    assert re.search(r'<option selected value="\d+">Medellín</option>', paso2)
    # Going back from step 3 keeps the data and the steps already done.
    r = client.post("/registro/paso/3", data={"csrf_token": token(client), "accion": "anterior"})
    assert r.headers["Location"].endswith("/registro/paso/2")
    assert client.get("/registro/paso/3").status_code == 200
    html = client.get("/registro/paso/3").get_data(as_text=True)
    assert html.count(">Completado<") == 2


def test_anterior_en_el_paso_dos_guarda_lo_valido(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, ubicacion(ids, celular="777", vereda="La Esperanza"), accion="anterior")
    assert r.status_code == 302 and r.headers["Location"].endswith("/registro/paso/1")
    paso2 = client.get("/registro/paso/2").get_data(as_text=True)
    assert 'value="La Esperanza"' in paso2
    assert 'name="celular" value=""' in paso2  # an invalid value is not kept
    # Step 3 stays closed until step 2 is complete.
    assert client.get("/registro/paso/3").headers["Location"].endswith("/registro/paso/2")


def test_no_se_puede_saltar_pasos(client):
    assert client.get("/registro/paso/3").headers["Location"].endswith("/registro/paso/1")
    assert client.get("/registro/paso/2").headers["Location"].endswith("/registro/paso/1")
    assert client.get("/registro/paso/4").status_code == 404
    assert client.get("/registro/").headers["Location"].endswith("/registro/paso/1")


def test_cancelar_borra_los_datos_y_vuelve_al_login(app, client, ids):
    hasta_paso_tres(client, ids)
    r = client.post("/registro/cancelar", data={"csrf_token": token(client)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/")
    assert "Se canceló la creación de la cuenta" in client.get("/login/").get_data(as_text=True)
    assert client.get("/registro/paso/2").headers["Location"].endswith("/registro/paso/1")
    assert 'value="1032456789"' not in client.get("/registro/paso/1").get_data(as_text=True)
    assert cuentas(app) == 0


def test_abandonar_el_asistente_no_guarda_nada(app, client, ids):
    hasta_paso_tres(client, ids)
    assert cuentas(app) == 0
    from app.extensions import db

    with app.app_context():
        assert db.session.scalar(select(func.count(MensajeCorreo.id))) == 0
        db.session.rollback()


def test_formulario_sin_csrf_es_rechazado(app, client, ids):
    r = client.post("/registro/paso/1", data=general(ids))
    assert r.status_code == 400
    assert cuentas(app) == 0


# ------------------------------------------------------------------------------------------ step 2


def test_paso_dos_muestra_los_campos_de_colombia(client, ids):
    enviar(client, 1, general(ids))
    html = client.get("/registro/paso/2").get_data(as_text=True)
    for etiqueta in (
        "País de residencia",
        "Departamento",
        "Municipio",
        "Vereda",
        "Estrato socioeconómico",
        "Dirección",
        "Ingrese la dirección",
        "¿Su dirección es rural?",
        "Principal",
        "Número principal",
        "Sufijo",
        "Número secundario",
        "Sufijo secundario",
        "Número final",
        "Complemento",
        "Digite su dirección",
        "Indicaciones",
        "Localización geográfica",
        "Teléfono",
        "Celular",
        "Anterior",
        "Siguiente",
    ):
        assert etiqueta in html, etiqueta
    assert re.search(r'id="bloque-exterior"\s+hidden', html)
    assert not re.search(r'id="bloque-colombia"\s+hidden', html)
    for campo_id in re.findall(r'<(?:input|select)[^>]*\bid="([a-z_]+)"', html):
        if campo_id != "csrf_token":
            assert f'for="{campo_id}"' in html, campo_id


def test_sin_javascript_cargar_municipios_muestra_los_del_departamento(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, {"pais_residencia": str(ids["colombia"]), "departamento": str(ids["bogota_dep"])}, "recargar")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Bogotá, D.C.</option>" in html and "Medellín" not in html
    assert "mensaje-error" not in html  # reloading is not a validation


def test_sin_javascript_cambiar_pais_muestra_los_campos_del_exterior(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, {"pais_residencia": str(ids["argentina"])}, "recargar")
    html = r.get_data(as_text=True)
    assert re.search(r'id="bloque-colombia"\s+hidden', html)
    assert not re.search(r'id="bloque-exterior"\s+hidden', html)
    assert re.search(r'class="pregunta-exterior"\s*>', html)


def test_sin_javascript_aceptar_la_direccion_la_compone(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, ubicacion(ids, dir_sufijo="bis"), "direccion")
    assert r.status_code == 200
    assert 'value="Calle 26 Bis # 68C - 10 Interior 2"' in r.get_data(as_text=True)


def test_endpoint_de_municipios_por_departamento(client, ids):
    datos = client.get(f"/registro/municipios?departamento={ids['antioquia']}").get_json()
    nombres = [m["nombre"] for m in datos["municipios"]]
    assert "Medellín" in nombres and "Bogotá, D.C." not in nombres
    assert client.get("/registro/municipios?departamento=abc").status_code == 400
    assert client.get("/registro/municipios?departamento=999999").status_code == 404


def test_municipio_que_no_pertenece_al_departamento_se_rechaza(app, client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, ubicacion(ids, departamento=ids["antioquia"], municipio=ids["bogota"]))
    assert r.status_code == 400
    assert "El municipio seleccionado no pertenece al departamento." in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("departamento", "", "Seleccione el departamento."),
        ("municipio", "", "Seleccione el municipio."),
        ("estrato", "", "Seleccione el estrato socioeconómico."),
        ("localizacion_geografica", "", "Seleccione la localización geográfica."),
        ("localizacion_geografica", "Lunar", "Seleccione Urbana o Rural."),
        ("telefono", "12345", "El teléfono debe tener entre 7 y 10 dígitos."),
        ("telefono", "601-ABC-55", "El teléfono solo admite números."),
        ("celular", "", "Ingrese el número de celular."),
        ("celular", "6001234567", "El celular debe tener 10 dígitos y empezar por 3, por ejemplo 3001234567."),
        ("dir_principal", "", "Seleccione la vía principal."),
        ("dir_principal", "Callejón", "Seleccione una vía principal de la lista."),
        ("dir_numero_principal", "", "Ingrese el número principal."),
        ("dir_numero_secundario", "6A", "Escriba el número secundario solo con números (hasta 3 dígitos)."),
        ("dir_numero_final", "", "Ingrese el número final."),
        ("dir_sufijo", "12", "El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte."),
        ("dir_complemento", "Interior <b>", "El complemento solo admite letras, números y los signos . , # - /."),
    ],
)
def test_registro_valida_cada_campo_de_ubicacion_en_colombia(client, ids, campo, valor, mensaje):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, ubicacion(ids, **{campo: valor}))
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert mensaje in html
    if campo.startswith("dir_"):
        assert "Ingrese la dirección completa" in html
        assert 'data-abrir="1"' in html  # with JavaScript the dialog opens on its errors


def test_direccion_rural_en_colombia(app, client, ids):
    datos = ubicacion(
        ids,
        dir_rural="si",
        dir_texto="Vereda El Carmen, finca La Palma",
        dir_principal="",
        localizacion_geografica="Rural",
    )
    hasta_paso_tres(client, ids, datos_ubicacion=datos)
    assert terminos(client).status_code == 302
    from app.extensions import db

    with app.app_context():
        u = db.session.scalars(select(Usuario)).one()
        assert u.direccion == "Vereda El Carmen, finca La Palma"
        assert u.direccion_componentes == {"rural": True, "texto": "Vereda El Carmen, finca La Palma"}
        db.session.rollback()


def test_direccion_rural_exige_digitar_la_direccion(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, ubicacion(ids, dir_rural="si", dir_texto=""))
    assert r.status_code == 400
    assert "Digite su dirección." in r.get_data(as_text=True)


def test_registro_con_residencia_en_el_exterior(app, client, ids, smtp_sink):
    hasta_paso_tres(client, ids, datos_ubicacion=abroad(ids))
    paso2 = client.get("/registro/paso/2").get_data(as_text=True)
    assert "¿Su dirección es rural/internacional?" in paso2
    assert 'value="Buenos Aires"' in paso2
    assert terminos(client).status_code == 302
    from app.extensions import db

    with app.app_context():
        u = db.session.scalars(select(Usuario)).one()
        assert u.pais_residencia.nombre == "Argentina"
        assert (u.estado_provincia, u.ciudad, u.localidad) == ("Buenos Aires", "La Plata", "Tolosa")
        assert u.direccion == "Avenida 7 N.º 1234, piso 3"
        assert u.departamento_id is None and u.municipio_id is None and u.estrato_id is None
        assert u.telefono == "+542214567890" and u.celular is None
        assert u.indicaciones == "Timbre B"  # taken from the dialog when the main field is empty
        db.session.rollback()
    outbox.enviar_pendientes(app)
    assert smtp_sink.esperar("maria.perez@correo.test")


@pytest.mark.parametrize(
    ("campo", "valor", "mensaje"),
    [
        ("estado_provincia", "", "Ingrese el estado o provincia."),
        ("ciudad", "", "Ingrese la ciudad."),
        ("dir_texto", "", "Digite su dirección."),
        ("localizacion_geografica", "", "Seleccione la localización geográfica."),
        ("telefono", "+54 221", "El teléfono debe tener entre 7 y 15 dígitos."),
        ("celular", "54+2214567", "El celular solo admite números, con el signo + opcional al inicio."),
    ],
)
def test_registro_valida_los_campos_del_exterior(client, ids, campo, valor, mensaje):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, abroad(ids, **{campo: valor}))
    assert r.status_code == 400
    assert mensaje in r.get_data(as_text=True)


def test_en_el_exterior_no_se_exigen_departamento_ni_celular(client, ids):
    enviar(client, 1, general(ids))
    r = enviar(client, 2, abroad(ids, localidad="", telefono="", celular=""))
    assert r.status_code == 302, r.get_data(as_text=True)


# ------------------------------------------------------------------------------------------ step 3


def test_paso_tres_muestra_terminos_y_captcha(client, ids):
    hasta_paso_tres(client, ids)
    html = client.get("/registro/paso/3").get_data(as_text=True)
    assert "Declaración bajo la gravedad de juramento" in html
    assert "Ley 1581 de 2012" in html and "INVIMA" in html
    assert "He leído y acepto los términos y condiciones de uso." in html
    assert "Caracteres de verificación" in html
    assert re.search(r'<img src="/captcha/registro\.png\?v=[0-9a-f]+"', html)
    assert 'id="recargar-captcha"' in html and 'href="/registro/paso/3"' in html
    assert "Mesa de ayuda" in html
    imagen = client.get("/captcha/registro.png")
    assert imagen.status_code == 200 and imagen.data.startswith(b"\x89PNG")


def test_captcha_incorrecto_muestra_mensaje_y_no_crea_la_cuenta(app, client, ids):
    hasta_paso_tres(client, ids)
    r = terminos(client, captcha="ZZZZZ")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "Los caracteres de verificación no coinciden. Se generó un nuevo código" in html
    assert 'name="captcha" value=""' in html
    assert cuentas(app) == 0
    with client.session_transaction() as sesion:
        assert "captcha_registro" not in sesion  # the wrong try consumed the challenge
    assert terminos(client).status_code == 302
    assert cuentas(app) == 1


def test_la_respuesta_del_captcha_no_llega_al_navegador(client, ids):
    from app.services.cuentas import captcha

    hasta_paso_tres(client, ids)
    original = captcha.nuevo_reto
    textos = []

    def espia(*args, **kwargs):
        textos.append(original(*args, **kwargs))
        return textos[-1]

    captcha.nuevo_reto = espia
    try:
        r = client.get("/captcha/registro.png")
    finally:
        captcha.nuevo_reto = original
    pagina = client.get("/registro/paso/3").get_data(as_text=True)
    with client.session_transaction() as sesion:
        guardado = str(dict(sesion))
    assert textos and textos[0] not in pagina and textos[0] not in guardado
    assert textos[0].encode() not in r.data


def test_sin_aceptar_los_terminos_no_se_crea_la_cuenta(app, client, ids):
    hasta_paso_tres(client, ids)
    r = terminos(client, acepta=False)
    assert r.status_code == 400
    assert "Debe aceptar los términos y condiciones de uso para crear la cuenta." in r.get_data(as_text=True)
    assert cuentas(app) == 0


def test_doble_envio_del_ultimo_paso_crea_una_sola_cuenta(app, client, ids):
    hasta_paso_tres(client, ids)
    client.get("/captcha/registro.png")
    csrf = token(client)
    galleta = client.get_cookie("session").value  # what a second click would send again
    datos = {"csrf_token": csrf, "captcha": CAPTCHA_PRUEBA, "acepta_terminos": "y", "accion": "crear"}
    primero = client.post("/registro/paso/3", data=datos)
    assert primero.status_code == 302
    client.set_cookie("session", galleta)
    segundo = client.post("/registro/paso/3", data=datos)
    assert segundo.status_code == 409
    assert "Ya existe una cuenta" in segundo.get_data(as_text=True)
    assert cuentas(app) == 1


def test_carrera_entre_dos_envios_la_resuelve_la_restriccion_unica(app, client, ids, monkeypatch):
    """Both requests passed the duplicate check at once: the unique constraint answers 409, not 500."""
    from app.extensions import db
    from app.services.cuentas import registro

    hasta_paso_tres(client, ids)
    with app.app_context():
        factories.crear_usuario(numero="1032456789", email="otra.persona@correo.test")
    monkeypatch.setattr(registro, "identificacion_registrada", lambda *a, **k: False)
    r = terminos(client)
    assert r.status_code == 409
    assert "Ya existe una cuenta" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Usuario.id))) == 1
        assert db.session.scalar(select(func.count(MensajeCorreo.id))) == 0
        db.session.rollback()


# ------------------------------------------------------------------------------------------ robustness


def test_valores_enormes_reciben_400_y_no_500(app, client, ids):
    enorme = "9" * 5000
    r = enviar(
        client, 1, general(ids, numero_identificacion=enorme, confirmar_identificacion=enorme, nombres="A" * 5000)
    )
    assert r.status_code == 400
    enviar(client, 1, general(ids))
    r = enviar(
        client,
        2,
        ubicacion(ids, vereda="V" * 5000, dir_complemento="C" * 5000, indicaciones="I" * 5000, celular=enorme),
    )
    assert r.status_code == 400
    assert "Máximo 120 caracteres." in r.get_data(as_text=True)
    r = enviar(client, 2, ubicacion(ids, departamento=enorme, municipio="-1", estrato="1e9"))
    assert r.status_code == 400
    with client.session_transaction() as sesion:
        assert len(str(dict(sesion))) < 3000  # nothing huge is kept in the cookie
    assert cuentas(app) == 0


def test_la_sesion_cabe_en_la_galleta_con_valores_maximos(client, ids):
    correo = ("a" * 60) + "@" + ("b" * 60) + ".example.test"
    alternativo = ("c" * 60) + "@" + ("d" * 60) + ".example.test"
    datos1 = general(
        ids,
        tipo_identificacion=ids["OT"],
        otro_tipo_identificacion="O" * 60,
        numero_identificacion="N" * 20,
        confirmar_identificacion="N" * 20,
        nombres="Ñ" * 64,
        apellidos="Á" * 64,
        correo=correo,
        confirmar_correo=correo,
        correo_alternativo=alternativo,
    )
    datos2 = ubicacion(
        ids,
        vereda="V" * 120,
        dir_sufijo="A Bis",
        dir_sufijo_secundario="B Sur",
        dir_complemento="Interior 2 " * 5 + "Apto",
        dir_indicaciones="D" * 200,
        indicaciones="I" * 200,
    )
    hasta_paso_tres(client, ids, datos1, datos2)
    assert len(client.get_cookie("session").value) < 4000
    assert 'value="' + "I" * 200 + '"' in client.get("/registro/paso/2").get_data(as_text=True)


def test_datos_que_dejaron_de_ser_validos_antes_del_ultimo_paso(app, client, ids):
    from app.extensions import db

    hasta_paso_tres(client, ids)
    with app.app_context():
        grupo = db.session.get(GrupoEtnico, ids["afro"])
        grupo.activo = False
        db.session.commit()
    try:
        r = terminos(client)
    finally:
        with app.app_context():
            db.session.get(GrupoEtnico, ids["afro"]).activo = True
            db.session.commit()
    assert r.status_code == 400
    assert "Seleccione el grupo étnico." in r.get_data(as_text=True)
    assert cuentas(app) == 0


def test_los_envios_tienen_limite_de_frecuencia(app, client, ids):
    app.config["LIMITE_REGISTRO"] = "3 per minute"
    try:
        codigos = [enviar(client, 1, general(ids, nombres="")).status_code for _ in range(4)]
    finally:
        app.config["LIMITE_REGISTRO"] = "1000 per minute"
    assert codigos[:3] == [400, 400, 400]
    assert codigos[3] == 429


def test_el_paso_uno_recomienda_un_correo_personal(client):
    html = client.get("/registro/paso/1").get_data(as_text=True)
    assert "Se recomienda un correo personal, no el de una empresa" in html
