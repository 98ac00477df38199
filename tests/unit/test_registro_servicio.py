"""Rules of the signup wizard (manual 4.3.2–4.3.5), checked on the service without HTTP."""

from __future__ import annotations

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
from app.models.verificacion import Verificacion
from app.services import esquemas, ubicacion
from app.services.cuentas import identificacion, registro
from app.services.errores import ErroresValidacion
from tests import factories

HOY = date(2026, 3, 15)


def tipo(codigo: str, nombre: str, regla: str, longitud: int) -> TipoIdentificacion:
    return TipoIdentificacion(codigo=codigo, nombre=nombre, regla=regla, longitud_maxima=longitud)


CC = tipo("CC", "Cédula de ciudadanía", "numerico", 10)
CE = tipo("CE", "Cédula de extranjería", "numerico", 7)
PA = tipo("PA", "Pasaporte", "alfanumerico", 10)
OT = tipo("OT", "Otro", "libre", 20)


# ------------------------------------------------------------------ identification rules per tipo


@pytest.mark.parametrize(
    ("tipo_id", "numero", "mensajes"),
    [
        (CC, "1032456789", []),
        (CC, "1", []),
        (CC, "10324567890", ["El número de cédula de ciudadanía admite hasta 10 dígitos."]),
        (CC, "1032A", ["El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales."]),
        (CC, "١٢٣", ["El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales."]),
        # Dots or spaces break the format; the length they add is not said on top of it.
        (
            CC,
            "1.032.456.789",
            ["El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales."],
        ),
        (
            CC,
            "1032 456 789",
            ["El número de cédula de ciudadanía debe ser numérico, sin letras ni caracteres especiales."],
        ),
        (CE, "1234567", []),
        (CE, "12345678", ["El número de cédula de extranjería admite hasta 7 dígitos."]),
        (CE, "E12345", ["El número de cédula de extranjería debe ser numérico, sin letras ni caracteres especiales."]),
        (PA, "AB1234567C", []),
        (PA, "AB12345678C", ["El número de pasaporte admite hasta 10 caracteres."]),
        (PA, "AB-1234", ["El número de pasaporte debe ser alfanumérico: solo letras y números."]),
        (PA, "ÑA1234", ["El número de pasaporte debe ser alfanumérico: solo letras y números."]),
        (OT, "PPT-2024/001.9", []),
        (OT, "X" * 21, ["El número de identificación admite hasta 20 caracteres."]),
        (
            OT,
            "AB 12",
            ["El número de identificación solo admite letras, números, puntos, guiones y barras, sin espacios."],
        ),
    ],
)
def test_reglas_del_numero_segun_el_tipo(tipo_id, numero, mensajes):
    assert identificacion.reglas_numero_identificacion(tipo_id, numero) == mensajes


# ------------------------------------------------------------------ address composition


@pytest.mark.parametrize(
    ("componentes", "texto"),
    [
        (
            {
                "principal": "Calle",
                "numero_principal": "26",
                "numero_secundario": "68",
                "sufijo_secundario": "c",
                "numero_final": "10",
                "complemento": "Interior 2",
            },
            "Calle 26 # 68C - 10 Interior 2",
        ),
        (
            {"principal": "Carrera", "numero_principal": "7", "numero_secundario": "32", "numero_final": "16"},
            "Carrera 7 # 32 - 16",
        ),
        (
            {
                "principal": "Avenida Calle",
                "numero_principal": "68",
                "sufijo": "a bis",
                "numero_secundario": "24",
                "sufijo_secundario": "sur",
                "numero_final": "5",
            },
            "Avenida Calle 68A Bis # 24 Sur - 5",
        ),
        ({"principal": "Diagonal", "numero_principal": "40", "sufijo": "bis"}, "Diagonal 40 Bis"),
        ({"rural": True, "texto": "  Vereda  El Carmen,  finca La Palma "}, "Vereda El Carmen, finca La Palma"),
        ({"rural": True, "texto": "742 Evergreen Terrace, Springfield"}, "742 Evergreen Terrace, Springfield"),
    ],
)
def test_componer_direccion(componentes, texto):
    assert ubicacion.componer_direccion(componentes) == texto


@pytest.mark.parametrize(
    ("valor", "valido"),
    [
        ("A", True),
        ("c", True),
        ("Bis", True),
        ("A Bis", True),
        ("sur", True),
        ("12", False),
        ("ABC", False),
        ("", False),
    ],
)
def test_sufijo_valido(valor, valido):
    assert ubicacion.sufijo_valido(valor) is valido


def test_revisar_direccion_urbana_devuelve_cada_mensaje():
    componentes, errores = ubicacion.revisar_direccion(
        {
            "dir_rural": "no",
            "dir_principal": "Callejón",
            "dir_numero_principal": "",
            "dir_numero_secundario": "6A",
            "dir_numero_final": "1234",
            "dir_sufijo": "9",
            "dir_complemento": "x" * 61,
        },
        en_colombia=True,
    )
    assert errores == {
        "dir_principal": ["Seleccione una vía principal de la lista."],
        "dir_numero_principal": ["Ingrese el número principal."],
        "dir_numero_secundario": ["Escriba el número secundario solo con números (hasta 3 dígitos)."],
        "dir_numero_final": ["Escriba el número final solo con números (hasta 3 dígitos)."],
        "dir_sufijo": ["El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte."],
        "dir_complemento": ["Máximo 60 caracteres."],
    }
    assert componentes == {"rural": False}


def test_en_el_exterior_la_direccion_siempre_es_texto_libre():
    componentes, errores = ubicacion.revisar_direccion(
        {"dir_rural": "no", "dir_texto": "Rua Augusta 1500", "dir_indicaciones": "Apto 12"}, en_colombia=False
    )
    assert errores == {}
    assert componentes == {"rural": True, "texto": "Rua Augusta 1500", "indicaciones": "Apto 12"}
    _, errores = ubicacion.revisar_direccion({"dir_texto": ""}, en_colombia=False)
    assert errores == {"dir_texto": ["Digite su dirección."]}
    _, errores = ubicacion.revisar_direccion({"dir_texto": "<script>"}, en_colombia=False)
    assert errores == {"dir_texto": ["La dirección contiene caracteres no permitidos."]}


# ------------------------------------------------------------------ dates and age


@pytest.mark.parametrize(
    ("texto", "fecha"),
    [
        ("1990-05-17", date(1990, 5, 17)),
        ("17/05/1990", date(1990, 5, 17)),
        ("2001-02-30", None),
        ("30/02/2001", None),
        ("1990-13-01", None),
        ("mañana", None),
        ("", None),
    ],
)
def test_leer_fecha(texto, fecha):
    assert esquemas.leer_fecha(texto) == fecha


@pytest.fixture
def ids(db_session):
    def por(modelo, **filtro):
        return db_session.scalar(select(modelo.id).filter_by(**filtro))

    return {
        "CC": por(TipoIdentificacion, codigo="CC"),
        "OT": por(TipoIdentificacion, codigo="OT"),
        "colombia": por(Pais, codigo="CO"),
        "chile": por(Pais, codigo="CL"),
        "antioquia": por(Departamento, codigo="05"),
        "medellin": por(Municipio, codigo="05001"),
        "bogota": por(Municipio, codigo="11001"),
        "sexo": por(SexoNacer, nombre="Masculino"),
        "nivel": por(NivelAcademico, nombre="Posgrado"),
        "grupo": por(GrupoEtnico, nombre="Afrocaribeño"),
        "estrato": por(Estrato, nombre="2"),
    }


def datos_generales(ids, **cambios) -> dict:
    datos = {
        "nacionalidad": str(ids["colombia"]),
        "tipo_identificacion": str(ids["CC"]),
        "numero_identificacion": " 80123456 ",
        "confirmar_identificacion": "80123456",
        "nombres": "  Juan   Pablo ",
        "apellidos": "García-Márquez",
        "correo": "Juan.Garcia@Correo.Test",
        "confirmar_correo": "juan.garcia@correo.test",
        "correo_alternativo": "",
        "fecha_nacimiento": "1985-10-02",
        "sexo_nacer": str(ids["sexo"]),
        "nivel_academico": str(ids["nivel"]),
        "grupo_etnico": str(ids["grupo"]),
    }
    datos.update(cambios)
    return datos


def datos_ubicacion(ids, **cambios) -> dict:
    datos = {
        "pais_residencia": str(ids["colombia"]),
        "departamento": str(ids["antioquia"]),
        "municipio": str(ids["medellin"]),
        "estrato": str(ids["estrato"]),
        "dir_rural": "no",
        "dir_principal": "Carrera",
        "dir_numero_principal": "43",
        "dir_sufijo": "a",
        "dir_numero_secundario": "1",
        "dir_sufijo_secundario": "sur",
        "dir_numero_final": "50",
        "localizacion_geografica": "Urbana",
        "celular": "310 555 1234",
    }
    datos.update(cambios)
    return datos


def test_informacion_general_valida_se_limpia(db_session, ids):
    limpio = registro.validar_informacion_general(db_session, datos_generales(ids), hoy=HOY)
    assert limpio == {
        "nacionalidad": ids["colombia"],
        "tipo_identificacion": ids["CC"],
        "numero_identificacion": "80123456",
        "nombres": "Juan Pablo",
        "apellidos": "García-Márquez",
        "correo": "juan.garcia@correo.test",
        "fecha_nacimiento": "1985-10-02",
        "sexo_nacer": ids["sexo"],
        "nivel_academico": ids["nivel"],
        "grupo_etnico": ids["grupo"],
    }


@pytest.mark.parametrize(
    ("fecha", "mensaje"),
    [
        ("2008-03-16", "Debe tener al menos 18 años para tener una cuenta en InvimÁgil."),
        ("2026-03-15", "La fecha de nacimiento debe ser anterior a la fecha de hoy."),
        ("2027-01-01", "La fecha de nacimiento debe ser anterior a la fecha de hoy."),
        ("1906-03-15", "La fecha de nacimiento no puede ser de hace más de 120 años."),
        ("2001-02-29", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."),
        ("1990-05-17T00:00:00", "La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."),
    ],
)
def test_reglas_de_la_fecha_de_nacimiento(db_session, ids, fecha, mensaje):
    _, errores = registro.revisar_informacion_general(db_session, datos_generales(ids, fecha_nacimiento=fecha), HOY)
    assert errores == {"fecha_nacimiento": [mensaje]}


def test_cumple_dieciocho_hoy_y_ciento_diecinueve_anos_son_validos(db_session, ids):
    for fecha in ("2008-03-15", "1906-03-16"):
        _, errores = registro.revisar_informacion_general(db_session, datos_generales(ids, fecha_nacimiento=fecha), HOY)
        assert errores == {}, fecha


def test_edad_minima_configurable(db_session, ids):
    _, errores = registro.revisar_informacion_general(
        db_session, datos_generales(ids, fecha_nacimiento="2010-01-01"), HOY, edad_minima=14
    )
    assert errores == {}


def test_cada_campo_vacio_tiene_su_mensaje(db_session, ids):
    _, errores = registro.revisar_informacion_general(db_session, {}, HOY)
    assert errores == {
        "nacionalidad": ["Seleccione la nacionalidad."],
        "tipo_identificacion": ["Seleccione el tipo de identificación."],
        "numero_identificacion": ["Ingrese el número de identificación."],
        "nombres": ["Ingrese los nombres."],
        "apellidos": ["Ingrese los apellidos."],
        "correo": ["Ingrese el correo electrónico."],
        "fecha_nacimiento": ["Seleccione la fecha de nacimiento."],
        "sexo_nacer": ["Seleccione el sexo al nacer."],
        "nivel_academico": ["Seleccione el nivel académico."],
        "grupo_etnico": ["Seleccione el grupo étnico."],
    }


def test_confirmaciones_y_correo_alternativo(db_session, ids):
    _, errores = registro.revisar_informacion_general(
        db_session,
        datos_generales(
            ids, confirmar_identificacion="", confirmar_correo="", correo_alternativo="JUAN.GARCIA@correo.test"
        ),
        HOY,
    )
    assert errores == {
        "confirmar_identificacion": ["Confirme el número de identificación."],
        "confirmar_correo": ["Confirme el correo electrónico."],
        "correo_alternativo": ["El correo electrónico alternativo debe ser diferente del principal."],
    }


@pytest.mark.parametrize(
    "nombre", ["Ana", "José María", "D'Alessandro", "Ana-Lucía", "Ñuñez Ávila", "Zoë", "O’Brien", "Müller"]
)
def test_nombres_aceptados(db_session, ids, nombre):
    _, errores = registro.revisar_informacion_general(db_session, datos_generales(ids, nombres=nombre), HOY)
    assert "nombres" not in errores


@pytest.mark.parametrize("nombre", ["Ana2", "Ana_Lucía", "<b>Ana</b>", "Ana.", "-Ana", "A" * 65])
def test_nombres_rechazados(db_session, ids, nombre):
    _, errores = registro.revisar_informacion_general(db_session, datos_generales(ids, nombres=nombre), HOY)
    assert "nombres" in errores


@pytest.mark.parametrize(
    "correo", ["sin-arroba", "a@b", "a@@b.co", "a b@c.co", ".a@b.co", "a..b@c.co", ("x" * 250) + "@b.co"]
)
def test_correos_invalidos(db_session, ids, correo):
    _, errores = registro.revisar_informacion_general(
        db_session, datos_generales(ids, correo=correo, confirmar_correo=correo), HOY
    )
    assert errores["correo"] == ["Ingrese un correo electrónico válido, por ejemplo nombre@dominio.com."]


def test_otro_tipo_exige_su_descripcion(db_session, ids):
    datos = datos_generales(
        ids, tipo_identificacion=str(ids["OT"]), numero_identificacion="PPT-1", confirmar_identificacion="ppt-1"
    )
    _, errores = registro.revisar_informacion_general(db_session, datos, HOY)
    assert errores == {"otro_tipo_identificacion": ["Ingrese el otro tipo de identificación."]}
    datos["otro_tipo_identificacion"] = "Permiso por protección temporal"
    limpio = registro.validar_informacion_general(db_session, datos, HOY)
    assert limpio["otro_tipo_identificacion"] == "Permiso por protección temporal"
    assert limpio["numero_identificacion"] == "PPT-1"


def test_duplicados_de_identificacion_y_correo(app, db_session, ids):
    factories.crear_usuario(numero="80123456", email="JUAN.GARCIA@correo.test")
    with pytest.raises(ErroresValidacion) as error:
        registro.validar_informacion_general(db_session, datos_generales(ids), HOY)
    assert error.value.errores == {
        "numero_identificacion": [registro.MSG_IDENTIFICACION_REGISTRADA],
        "correo": [registro.MSG_CORREO_REGISTRADO],
    }
    assert "El usuario ya existe" in registro.MSG_IDENTIFICACION_REGISTRADA
    assert "¿Olvidó su contraseña?" in registro.MSG_IDENTIFICACION_REGISTRADA


def test_identificador_de_lista_inexistente_o_inactivo(db_session, ids):
    grupo = db_session.get(GrupoEtnico, ids["grupo"])
    grupo.activo = False
    db_session.flush()
    _, errores = registro.revisar_informacion_general(
        db_session, datos_generales(ids, sexo_nacer="-3", nivel_academico="99999999999"), HOY
    )
    assert errores == {
        "sexo_nacer": ["Seleccione el sexo al nacer."],
        "nivel_academico": ["Seleccione el nivel académico."],
        "grupo_etnico": ["Seleccione el grupo étnico."],
    }


# ------------------------------------------------------------------ step 2


def test_ubicacion_en_colombia_valida(db_session, ids):
    limpio = ubicacion.validar_ubicacion(db_session, datos_ubicacion(ids))
    assert limpio["celular"] == "3105551234"
    assert limpio["municipio"] == ids["medellin"]
    assert ubicacion.componer_direccion(limpio["direccion_componentes"]) == "Carrera 43A # 1 Sur - 50"
    # Back to form fields and validated again: the same values (the wizard's round trip).
    assert ubicacion.validar_ubicacion(db_session, ubicacion.datos_de_ubicacion(limpio)) == limpio


def test_ubicacion_en_colombia_cada_mensaje(db_session, ids):
    _, errores = ubicacion.revisar_ubicacion(
        db_session, {"pais_residencia": str(ids["colombia"]), "dir_rural": "si", "municipio": str(ids["bogota"])}
    )
    assert errores == {
        "departamento": ["Seleccione el departamento."],
        "estrato": ["Seleccione el estrato socioeconómico."],
        "dir_texto": ["Digite su dirección."],
        "direccion": ["Ingrese la dirección completa: revise los campos de «Ingrese la dirección»."],
        "localizacion_geografica": ["Seleccione la localización geográfica."],
        "celular": ["Ingrese el número de celular."],
    }
    _, errores = ubicacion.revisar_ubicacion(db_session, datos_ubicacion(ids, municipio=str(ids["bogota"])))
    assert errores == {"municipio": ["El municipio seleccionado no pertenece al departamento."]}


@pytest.mark.parametrize(
    ("telefono", "celular", "errores"),
    [
        ("6012425000", "3001234567", {}),
        ("2425000", "300 123 4567", {}),
        ("242500", "3001234567", {"telefono": ["El teléfono debe tener entre 7 y 10 dígitos."]}),
        ("+576012425000", "3001234567", {"telefono": ["El teléfono solo admite números."]}),
        (
            "",
            "300123456",
            {"celular": ["El celular debe tener 10 dígitos y empezar por 3, por ejemplo 3001234567."]},
        ),
        (
            "",
            "+573001234567",
            {"celular": ["El celular debe tener 10 dígitos y empezar por 3, por ejemplo 3001234567."]},
        ),
    ],
)
def test_telefonos_en_colombia(db_session, ids, telefono, celular, errores):
    _, encontrados = ubicacion.revisar_ubicacion(db_session, datos_ubicacion(ids, telefono=telefono, celular=celular))
    assert encontrados == errores


def test_ubicacion_en_el_exterior(db_session, ids):
    datos = {
        "pais_residencia": str(ids["chile"]),
        "departamento": str(ids["antioquia"]),  # ignored abroad
        "estado_provincia": "Región Metropolitana",
        "ciudad": "Santiago",
        "dir_texto": "Av. Providencia 1234, depto. 56",
        "localizacion_geografica": "Urbana",
        "celular": "+56912345678",
        "telefono": "",
    }
    limpio = ubicacion.validar_ubicacion(db_session, datos)
    assert "departamento" not in limpio
    assert limpio["direccion_componentes"] == {"rural": True, "texto": "Av. Providencia 1234, depto. 56"}
    _, errores = ubicacion.revisar_ubicacion(db_session, {"pais_residencia": str(ids["chile"]), "celular": "+12"})
    assert errores == {
        "estado_provincia": ["Ingrese el estado o provincia."],
        "ciudad": ["Ingrese la ciudad."],
        "dir_texto": ["Digite su dirección."],
        "direccion": ["Ingrese la dirección completa: revise los campos de «Ingrese la dirección»."],
        "localizacion_geografica": ["Seleccione la localización geográfica."],
        "celular": ["El celular debe tener entre 7 y 15 dígitos."],
    }


# ------------------------------------------------------------------ account creation


def test_registrar_cuenta_crea_una_cuenta_inactiva_con_pin(app, db_session, ids):
    general = registro.validar_informacion_general(db_session, datos_generales(ids), HOY)
    lugar = ubicacion.validar_ubicacion(db_session, datos_ubicacion(ids))
    usuario = registro.registrar_cuenta(
        db_session, {"general": general, "ubicacion": lugar, "acepta_terminos": True}, hoy=HOY
    )
    assert usuario.id is not None
    assert usuario.active is False and usuario.password is None and usuario.activada_en is None
    assert usuario.email == "juan.garcia@correo.test"
    assert usuario.username == "CC-80123456"
    assert usuario.direccion == "Carrera 43A # 1 Sur - 50"
    assert [r.name for r in usuario.roles] == ["Usuario"]
    assert usuario.terminos_aceptados_en is not None
    assert db_session.scalar(select(func.count(Verificacion.id)).where(Verificacion.usuario_id == usuario.id)) == 1
    assert db_session.scalar(select(func.count(MensajeCorreo.id))) == 1


def test_registrar_cuenta_valida_todo_de_nuevo(db_session, ids):
    general = registro.validar_informacion_general(db_session, datos_generales(ids), HOY)
    general["numero_identificacion"] = "ABC"  # tampered between steps
    with pytest.raises(ErroresValidacion) as error:
        registro.registrar_cuenta(db_session, {"general": general, "ubicacion": {}, "acepta_terminos": False}, hoy=HOY)
    assert error.value.errores["acepta_terminos"] == [registro.MSG_TERMINOS]
    assert "numero_identificacion" in error.value.errores
    assert "pais_residencia" in error.value.errores
    assert db_session.scalar(select(func.count(Usuario.id))) == 0


def test_enmascarar_correo():
    assert registro.enmascarar_correo("maria.perez@correo.test") == "ma***@correo.test"
    assert registro.enmascarar_correo("ab@x.co") == "a***@x.co"
