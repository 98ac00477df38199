"""The declarative form rules (app/services/esquemas.py and the schemas built on them), without a database:
wrong types, huge values, bad e-mails and bad dates get their exact Spanish message on their own field."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from app.services import esquemas, ubicacion
from app.services.cuentas import registro
from app.services.cuentas.identificacion import MSG_NACIMIENTO_INVALIDA
from app.services.cuentas.perfil import MSG_CORREO_INVALIDO, MSG_OPCION_INVALIDA, InformacionPerfil
from app.services.empresas import registro as registro_empresa
from app.services.errores import Errores, ErroresValidacion

HOY = date(2025, 6, 1)


def revisar_general(**datos):
    esquema = registro.InformacionGeneral(None, tipo=None, hoy=HOY, edad_minima=18, verificar_duplicados=False)
    return esquemas.revisar(esquema, datos)


def empresa_valida(**cambios) -> dict:
    datos = {
        "contacto_nombre": "Ana Pérez",
        "contacto_cargo": "Gerente",
        "contacto_correo": "ana@empresa.co",
        "contacto_telefono": "601 234 5678",
        "tamano": "Micro",
        "sector": "Cosméticos",
        "correo": "info@empresa.co",
    }
    datos.update(cambios)
    return datos


# ---------------------------------------------------------------- the one date reader


@pytest.mark.parametrize(
    ("texto", "fecha"),
    [
        ("1990-05-17", date(1990, 5, 17)),
        ("17/05/1990", date(1990, 5, 17)),
        (" 1/2/2000 ", date(2000, 2, 1)),
        (date(1990, 5, 17), date(1990, 5, 17)),
        ("2001-02-30", None),
        ("99999-01-01", None),
        ("1990-05-17T00:00", None),
        ("١٩٩٠-٠٥-١٧", None),  # Arabic-Indic digits are digits for \d, not for a date
        (19900517, None),
        (None, None),
    ],
)
def test_leer_fecha_acepta_los_dos_formatos_y_nada_mas(texto, fecha):
    assert esquemas.leer_fecha(texto) == fecha


@pytest.mark.parametrize("fecha", ["31/02/1990", "1990-13-01", "mañana", "1" * 5000, "00/00/0000"])
def test_fecha_de_nacimiento_invalida_del_registro(fecha):
    _, errores = revisar_general(fecha_nacimiento=fecha)
    assert errores["fecha_nacimiento"] == ["La fecha de nacimiento no es una fecha válida (dd/mm/aaaa)."]


def test_fecha_de_nacimiento_futura_menor_de_edad_y_centenaria():
    assert revisar_general(fecha_nacimiento="2025-06-01")[1]["fecha_nacimiento"] == [
        "La fecha de nacimiento debe ser anterior a la fecha de hoy."
    ]
    assert revisar_general(fecha_nacimiento="2010-01-01")[1]["fecha_nacimiento"] == [
        "Debe tener al menos 18 años para tener una cuenta en InvimÁgil."
    ]
    assert revisar_general(fecha_nacimiento="01/06/1905")[1]["fecha_nacimiento"] == [
        "La fecha de nacimiento no puede ser de hace más de 120 años."
    ]


def test_mi_perfil_revisa_la_fecha_de_nacimiento_como_el_registro():
    esquema = InformacionPerfil(None, usuario=None, hoy=HOY, edad_minima=18)
    _, errores = esquemas.revisar(esquema, {"fecha_nacimiento": "01/01/1899"})
    assert errores["fecha_nacimiento"] == ["La fecha de nacimiento no puede ser de hace más de 120 años."]
    _, errores = esquemas.revisar(esquema, {"fecha_nacimiento": "31/02/1990"})
    assert errores["fecha_nacimiento"] == [MSG_NACIMIENTO_INVALIDA]


# ---------------------------------------------------------------- e-mail (email-validator)


@pytest.mark.parametrize(
    "correo",
    [
        "sin-arroba",
        "a@b",
        "a@@b.co",
        "a..b@c.co",
        ".a@b.co",
        "ñoño@dominio.co",
        "a@dominio.local",
        "x" * 65 + "@b.co",
        "a@" + "b" * 250 + ".co",
    ],
)
def test_correo_invalido_del_registro(correo):
    _, errores = revisar_general(correo=correo, confirmar_correo=correo)
    assert errores["correo"] == ["Ingrese un correo electrónico válido, por ejemplo nombre@dominio.com."]


def test_correo_valido_queda_en_minusculas_y_el_alternativo_debe_ser_otro():
    limpio, errores = revisar_general(
        correo=" Ana.Perez@Correo.Test ",
        confirmar_correo="ana.perez@correo.test",
        correo_alternativo="ANA.PEREZ@correo.test",
    )
    assert limpio["correo"] == "ana.perez@correo.test"
    assert "confirmar_correo" not in errores
    assert errores["correo_alternativo"] == ["El correo electrónico alternativo debe ser diferente del principal."]
    assert "correo_alternativo" not in limpio


def test_correo_alternativo_invalido_en_mi_perfil():
    esquema = InformacionPerfil(None, usuario=None, hoy=HOY, edad_minima=18)
    _, errores = esquemas.revisar(esquema, {"correo_alternativo": "no es un correo"})
    assert errores["correo_alternativo"] == [MSG_CORREO_INVALIDO]


def test_correo_de_la_empresa_invalido():
    _, errores = esquemas.revisar(registro_empresa.DatosEditables(), empresa_valida(correo="info@empresa"))
    assert errores == {"correo": ["El correo electrónico de la empresa no es válido (ejemplo: nombre@dominio.com)."]}


# ---------------------------------------------------------------- wrong types and huge values


@pytest.mark.parametrize("valor", [12345, 3.5, True, ["Ana"], {"a": 1}, None, "", "   "])
def test_texto_que_no_es_texto_cuenta_como_ausente(valor):
    _, errores = revisar_general(nombres=valor)
    assert errores["nombres"] == ["Ingrese los nombres."]


@pytest.mark.parametrize("valor", ["abc", "-1", "0", "99999999999999999999", "1.5", 2**40, -3, True, [1]])
def test_eleccion_que_no_nombra_una_fila(valor):
    _, errores = revisar_general(nacionalidad=valor)
    assert errores["nacionalidad"] == ["Seleccione la nacionalidad."]


def test_eleccion_invalida_de_mi_perfil_y_la_que_falta():
    esquema = InformacionPerfil(None, usuario=None, hoy=HOY, edad_minima=18)
    _, errores = esquemas.revisar(esquema, {"sexo_nacer_id": "x" * 1000})
    assert errores["sexo_nacer_id"] == [MSG_OPCION_INVALIDA]
    assert errores["nivel_academico_id"] == ["Este campo es obligatorio."]


def test_nombre_enorme_y_con_numeros_tiene_los_dos_mensajes():
    _, errores = revisar_general(nombres="Ana1" * 100)
    assert errores["nombres"] == [
        "Máximo 64 caracteres.",
        "Escriba los nombres solo con letras, espacios, tildes, apóstrofos o guiones.",
    ]


def test_texto_enorme_de_la_empresa_solo_dice_el_maximo():
    _, errores = esquemas.revisar(registro_empresa.DatosEditables(), empresa_valida(contacto_cargo="<" * 10_000))
    assert errores == {"contacto_cargo": ["El cargo admite hasta 100 caracteres."]}


def test_telefono_y_celular_de_la_empresa():
    limpio, errores = esquemas.revisar(
        registro_empresa.DatosEditables(), empresa_valida(telefono="+57 (601) 234-5678", celular="2001234567")
    )
    assert limpio["telefono"] == "+576012345678"
    assert errores == {"celular": ["El celular debe tener 10 dígitos y empezar por 3."]}


def test_datos_editables_validos_con_opcionales_vacios():
    limpio, errores = esquemas.revisar(registro_empresa.DatosEditables(), MultiDict(empresa_valida(sigla="  ")))
    assert errores == {}
    assert limpio["sigla"] is None and limpio["telefono"] is None and limpio["celular"] is None
    assert limpio["contacto_telefono"] == "6012345678"


def test_tamano_y_sector_fuera_de_la_lista():
    _, errores = esquemas.revisar(registro_empresa.DatosEditables(), empresa_valida(tamano="Enorme", sector=7))
    assert errores == {
        "tamano": ["Seleccione el tamaño de la empresa."],
        "sector": ["Seleccione el sector o actividad."],
    }


# ---------------------------------------------------------------- the address dialog


def test_direccion_urbana_valida_y_compuesta():
    componentes, errores = ubicacion.revisar_direccion(
        {
            "dir_rural": "no",
            "dir_principal": "Calle",
            "dir_numero_principal": "26",
            "dir_sufijo": "c",
            "dir_numero_secundario": " 68 ",
            "dir_numero_final": "10",
            "dir_complemento": "Interior 2",
        },
        en_colombia=True,
    )
    assert errores == {}
    assert ubicacion.componer_direccion(componentes) == "Calle 26C # 68 - 10 Interior 2"


def test_direccion_urbana_con_errores_en_cada_parte():
    componentes, errores = ubicacion.revisar_direccion(
        {
            "dir_principal": "Callejón",
            "dir_numero_principal": "1234",
            "dir_numero_secundario": 12,
            "dir_sufijo": "muy largo",
            "dir_complemento": "x" * 61,
        },
        en_colombia=True,
    )
    assert errores == {
        "dir_principal": ["Seleccione una vía principal de la lista."],
        "dir_numero_principal": ["Escriba el número principal solo con números (hasta 3 dígitos)."],
        "dir_numero_secundario": ["Ingrese el número secundario."],
        "dir_numero_final": ["Ingrese el número final."],
        "dir_sufijo": ["El sufijo solo admite letras o las palabras Bis, Sur, Este, Oeste o Norte."],
        "dir_complemento": ["Máximo 60 caracteres."],
    }
    assert componentes == {"rural": False}


def test_direccion_en_el_exterior_es_texto_libre():
    componentes, errores = ubicacion.revisar_direccion({"dir_texto": "<b>10 Downing St</b>"}, en_colombia=False)
    assert errores == {"dir_texto": ["La dirección contiene caracteres no permitidos."]}
    componentes, errores = ubicacion.revisar_direccion({"dir_texto": "10 Downing St"}, en_colombia=False)
    assert (componentes, errores) == ({"rural": True, "texto": "10 Downing St"}, {})


# ---------------------------------------------------------------- the one accumulator


def test_errores_acumula_suma_y_lanza_todo_junto():
    errores = Errores()
    errores.lanzar_si_hay()  # nothing collected: nothing raised
    errores.agregar("correo", "uno")
    errores.sumar({"correo": ["dos"], "nit": ["tres"]})
    with pytest.raises(ErroresValidacion) as lanzado:
        errores.lanzar_si_hay()
    assert lanzado.value.errores == {"correo": ["uno", "dos"], "nit": ["tres"]}
    assert lanzado.value.mensaje == "uno"
