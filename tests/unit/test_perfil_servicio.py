"""Mi perfil service rules (app/services/cuentas/perfil.py), on the real database without HTTP."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models.personas import UsuarioProfesion
from app.models.referencias import Departamento, Municipio, Pais, Profesion
from app.models.verificacion import PROPOSITO_CAMBIO_CORREO, PROPOSITO_RECUPERACION
from app.services import ubicacion
from app.services.cuentas import perfil, verificaciones
from app.services.errores import ErrorDominio, ErroresValidacion
from tests import factories

HOY = date(2026, 6, 15)


@pytest.fixture
def ref(db_session):
    s = db_session
    return {
        "colombia": s.scalar(select(Pais.id).where(Pais.codigo == "CO")),
        "peru": s.scalar(select(Pais.id).where(Pais.codigo == "PE")),
        "antioquia": s.scalar(select(Departamento.id).where(Departamento.codigo == "05")),
        "medellin": s.scalar(select(Municipio.id).where(Municipio.codigo == "05001")),
        "soacha": s.scalar(select(Municipio.id).where(Municipio.codigo == "25754")),
        "profesiones": s.scalars(select(Profesion.id).order_by(Profesion.id)).all(),
    }


def _datos(db_session, ref, **cambios) -> dict:
    from app.services import listas

    datos = {
        "fecha_nacimiento": "1990-01-31",
        "sexo_nacer_id": listas.opciones_sexo(db_session)[1][0],
        "nivel_academico_id": listas.opciones_nivel_academico(db_session)[1][0],
        "grupo_etnico_id": listas.opciones_grupo_etnico(db_session)[1][0],
        "pais_residencia": str(ref["colombia"]),
        "departamento": str(ref["antioquia"]),
        "municipio": str(ref["medellin"]),
        "estrato": listas.opciones_estrato(db_session)[1][0],
        "dir_rural": "no",
        "dir_principal": "Carrera",
        "dir_numero_principal": "7",
        "dir_numero_secundario": "12",
        "dir_numero_final": "34",
        "localizacion_geografica": "Urbana",
        "celular": "3001234567",
    }
    datos.update(cambios)
    return datos


def _actualizar(db_session, usuario, ref, **cambios):
    return perfil.actualizar_informacion(
        db_session, usuario, _datos(db_session, ref, **cambios), edad_minima=18, hoy=HOY
    )


def _errores(funcion, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ErroresValidacion) as info:
        funcion(*args, **kwargs)
    return info.value.errores


# ------------------------------------------------------------------------------------------ información general


def test_actualizar_informacion_guarda_los_campos_editables(db_session, ref):
    usuario = factories.crear_usuario()
    assert _actualizar(db_session, usuario, ref, telefono="604 123 4567", celular="300-123-4567") is True
    assert usuario.fecha_nacimiento == date(1990, 1, 31)
    assert usuario.telefono == "6041234567" and usuario.celular == "3001234567"
    assert usuario.municipio_id == ref["medellin"]


def test_actualizar_informacion_nunca_lee_los_campos_de_identidad(db_session, ref):
    usuario = factories.crear_usuario()
    _actualizar(db_session, usuario, ref, first_name="Otro", numero_identificacion="1", nacionalidad_id="5")
    assert usuario.first_name == "María José" and usuario.numero_identificacion.startswith("52")
    assert usuario.nacionalidad_id is None


def test_edad_minima_se_cuenta_hasta_el_dia(db_session, ref):
    usuario = factories.crear_usuario()
    errores = _errores(_actualizar, db_session, usuario, ref, fecha_nacimiento="2008-06-16")
    assert errores["fecha_nacimiento"] == ["Debe tener al menos 18 años para tener una cuenta en InvimÁgil."]
    assert _actualizar(db_session, usuario, ref, fecha_nacimiento="15/06/2008") is True  # cumple 18 hoy


def test_municipio_debe_pertenecer_al_departamento(db_session, ref):
    usuario = factories.crear_usuario()
    errores = _errores(_actualizar, db_session, usuario, ref, municipio=str(ref["soacha"]))
    assert errores == {"municipio": ["El municipio seleccionado no pertenece al departamento."]}
    assert usuario.municipio_id is None  # nothing written


def test_en_el_exterior_se_exigen_estado_y_ciudad_y_se_borran_los_datos_colombianos(db_session, ref):
    usuario = factories.crear_usuario()
    _actualizar(db_session, usuario, ref)
    errores = _errores(_actualizar, db_session, usuario, ref, pais_residencia=str(ref["peru"]))
    assert set(errores) == {"estado_provincia", "ciudad", "dir_texto", "direccion"}
    _actualizar(
        db_session,
        usuario,
        ref,
        pais_residencia=str(ref["peru"]),
        estado_provincia="Lima",
        ciudad="Lima",
        localidad="Miraflores",
        dir_texto="Av. José Larco 1232, Of. 501",
        celular="+51987654321",
    )
    assert usuario.departamento_id is None and usuario.municipio_id is None and usuario.estrato_id is None
    assert (usuario.estado_provincia, usuario.ciudad, usuario.localidad) == ("Lima", "Lima", "Miraflores")
    assert usuario.direccion == "Av. José Larco 1232, Of. 501"
    assert usuario.direccion_componentes == {"rural": True, "texto": "Av. José Larco 1232, Of. 501"}


@pytest.mark.parametrize(
    ("telefono", "celular", "valido"),
    [
        ("1234567", "3101234567", True),
        ("123456", "3101234567", False),
        ("12345678901", "3101234567", False),
        ("", "310123456", False),
        ("", "4101234567", False),
        ("", "+573101234567", False),
    ],
)
def test_telefono_y_celular_en_colombia(db_session, ref, telefono, celular, valido):
    usuario = factories.crear_usuario()
    if valido:
        _actualizar(db_session, usuario, ref, telefono=telefono, celular=celular)
    else:
        _errores(_actualizar, db_session, usuario, ref, telefono=telefono, celular=celular)


def test_correo_alternativo_distinto_del_principal(db_session, ref):
    usuario = factories.crear_usuario(email="yo@correo.test")
    errores = _errores(_actualizar, db_session, usuario, ref, correo_alternativo="YO@correo.test")
    assert errores["correo_alternativo"] == [perfil.MSG_CORREO_ALTERNATIVO_IGUAL]


def test_direccion_urbana_se_compone_desde_el_dialogo_y_guarda_sus_componentes(db_session, ref):
    usuario = factories.crear_usuario()
    _actualizar(
        db_session,
        usuario,
        ref,
        dir_principal="Calle",
        dir_numero_principal="26",
        dir_sufijo="a bis",
        dir_numero_secundario="68",
        dir_sufijo_secundario="c",
        dir_numero_final="10",
        dir_complemento="Interior 2",
        dir_indicaciones="Portería norte",
    )
    assert usuario.direccion == "Calle 26A Bis # 68C - 10 Interior 2"
    assert usuario.direccion_componentes == {
        "rural": False,
        "indicaciones": "Portería norte",
        "principal": "Calle",
        "numero_principal": "26",
        "sufijo": "a bis",
        "numero_secundario": "68",
        "sufijo_secundario": "c",
        "numero_final": "10",
        "complemento": "Interior 2",
    }
    assert usuario.indicaciones == "Portería norte"  # the dialog's indicaciones, as in the signup


def test_direccion_rural_es_el_texto_digitado(db_session, ref):
    usuario = factories.crear_usuario()
    _actualizar(
        db_session,
        usuario,
        ref,
        dir_rural="si",
        dir_texto="Vereda El Hato, finca La Esperanza",
        localizacion_geografica="Rural",
    )
    assert usuario.direccion == "Vereda El Hato, finca La Esperanza"
    assert usuario.direccion_componentes == {"rural": True, "texto": "Vereda El Hato, finca La Esperanza"}
    errores = _errores(_actualizar, db_session, usuario, ref, dir_rural="si", dir_texto="")
    assert errores["dir_texto"] == ["Digite su dirección."]
    assert usuario.direccion == "Vereda El Hato, finca La Esperanza"


def test_direccion_urbana_incompleta_no_guarda_nada(db_session, ref):
    usuario = factories.crear_usuario(direccion="Carrera 7 # 12 - 34", telefono="6041234567")
    errores = _errores(_actualizar, db_session, usuario, ref, dir_numero_final="", dir_sufijo="###", telefono="1234567")
    assert errores["dir_numero_final"] == ["Ingrese el número final."]
    assert "dir_sufijo" in errores and "direccion" in errores
    assert usuario.direccion == "Carrera 7 # 12 - 34" and usuario.telefono == "6041234567"


def test_celular_y_estrato_son_obligatorios_en_colombia_como_en_el_registro(db_session, ref):
    usuario = factories.crear_usuario()
    datos = _datos(db_session, ref, celular="", estrato="")
    errores = _errores(perfil.actualizar_informacion, db_session, usuario, datos, edad_minima=18, hoy=HOY)
    _, errores_registro = ubicacion.revisar_ubicacion(db_session, datos)
    assert errores["celular"] == ["Ingrese el número de celular."] == errores_registro["celular"]
    assert errores["estrato"] == ["Seleccione el estrato socioeconómico."] == errores_registro["estrato"]


def test_los_componentes_sobreviven_a_una_actualizacion_que_no_toca_la_direccion(db_session, ref):
    componentes = {
        "rural": False,
        "principal": "Calle",
        "numero_principal": "26",
        "numero_secundario": "68",
        "sufijo_secundario": "C",
        "numero_final": "10",
    }
    usuario = factories.crear_usuario(
        direccion="Calle 26 # 68C - 10",
        direccion_componentes=componentes,
        pais_residencia_id=ref["colombia"],
        departamento_id=ref["antioquia"],
        municipio_id=ref["medellin"],
        localizacion_geografica="Urbana",
        celular="3001234567",
    )
    datos = {**_datos(db_session, ref), **ubicacion.datos_de_usuario(usuario), "telefono": "6012425000"}
    assert perfil.actualizar_informacion(db_session, usuario, datos, edad_minima=18, hoy=HOY) is True
    assert usuario.telefono == "6012425000"
    assert usuario.direccion == "Calle 26 # 68C - 10" and usuario.direccion_componentes == componentes


def test_direccion_sin_componentes_se_conserva_como_texto(db_session, ref):
    """An address typed before the dialog existed comes back as the dialog's free text and is kept as is."""
    usuario = factories.crear_usuario(direccion="Cra 7 No. 12-34 Apto 5")
    datos = {**_datos(db_session, ref), **ubicacion.datos_de_usuario(usuario)}
    assert datos["dir_rural"] == "si" and datos["dir_texto"] == "Cra 7 No. 12-34 Apto 5"
    _actualizar(db_session, usuario, ref, dir_rural="si", dir_texto=datos["dir_texto"])
    assert usuario.direccion == "Cra 7 No. 12-34 Apto 5"


# ------------------------------------------------------------------------------------------ cambio de correo


def test_solicitar_cambio_de_correo_no_toca_la_cuenta_y_encola_dos_correos(db_session):
    from app.models.correo import MensajeCorreo

    usuario = factories.crear_usuario(email="viejo@correo.test")
    emitida = perfil.solicitar_cambio_correo(db_session, usuario, " Nuevo@Correo.TEST ", timedelta(minutes=60))
    assert usuario.email == "viejo@correo.test"
    assert emitida.verificacion.dato == "nuevo@correo.test" and len(emitida.codigo) == 6
    assert emitida.verificacion.codigo_hash != emitida.codigo
    mensajes = db_session.scalars(select(MensajeCorreo).order_by(MensajeCorreo.id)).all()
    assert [m.destinatario for m in mensajes] == ["nuevo@correo.test", "viejo@correo.test"]
    assert emitida.codigo in mensajes[0].cuerpo_texto and emitida.codigo not in mensajes[1].cuerpo_texto
    assert "nuevo@correo.test" not in mensajes[1].cuerpo_texto  # masked in the notice: nu*****@correo.test


def test_solicitar_cambio_de_correo_rechaza_el_mismo_o_uno_ajeno(db_session):
    factories.crear_usuario(email="ajeno@correo.test")
    usuario = factories.crear_usuario(email="propio@correo.test")
    vigencia = timedelta(minutes=60)
    assert _errores(perfil.solicitar_cambio_correo, db_session, usuario, "AJENO@correo.test", vigencia) == {
        "email": [perfil.MSG_CORREO_EN_USO]
    }
    assert (
        "igual al actual"
        in _errores(perfil.solicitar_cambio_correo, db_session, usuario, "Propio@Correo.test", vigencia)["email"][0]
    )
    assert "email" in _errores(perfil.solicitar_cambio_correo, db_session, usuario, "sin-arroba", vigencia)


def test_confirmar_cambio_de_correo_con_el_codigo(db_session):
    usuario = factories.crear_usuario(email="antes@correo.test", correo_alternativo="despues@correo.test")
    emitida = perfil.solicitar_cambio_correo(db_session, usuario, "despues@correo.test", timedelta(minutes=60))
    with pytest.raises(ErroresValidacion):
        perfil.confirmar_cambio_correo(db_session, usuario, "abc", max_intentos=5)
    assert emitida.verificacion.intentos == 1 and usuario.email == "antes@correo.test"
    assert perfil.confirmar_cambio_correo(db_session, usuario, emitida.codigo, max_intentos=5) == "despues@correo.test"
    assert usuario.email == "despues@correo.test"
    assert usuario.correo_alternativo is None  # it would duplicate the main address
    assert verificaciones.estado(emitida.verificacion) == "usada"
    assert perfil.cambio_correo_pendiente(db_session, usuario) is None


def test_un_nuevo_pedido_anula_el_codigo_anterior(db_session):
    usuario = factories.crear_usuario()
    primera = perfil.solicitar_cambio_correo(db_session, usuario, "uno@correo.test", timedelta(minutes=60))
    segunda = perfil.solicitar_cambio_correo(db_session, usuario, "dos@correo.test", timedelta(minutes=60))
    db_session.refresh(primera.verificacion)
    assert verificaciones.estado(primera.verificacion) == "anulada"
    assert perfil.cambio_correo_pendiente(db_session, usuario).id == segunda.verificacion.id
    errores = _errores(perfil.confirmar_cambio_correo, db_session, usuario, primera.codigo, 5)
    assert "codigo" in errores or segunda.codigo == primera.codigo


def test_cancelar_cambio_de_correo(db_session):
    usuario = factories.crear_usuario()
    assert perfil.cancelar_cambio_correo(db_session, usuario) is False
    perfil.solicitar_cambio_correo(db_session, usuario, "x@correo.test", timedelta(minutes=60))
    assert perfil.cancelar_cambio_correo(db_session, usuario) is True
    assert perfil.cambio_correo_pendiente(db_session, usuario) is None
    assert _errores(perfil.confirmar_cambio_correo, db_session, usuario, "123456", 5) == {
        "codigo": [perfil.MSG_SIN_CAMBIO_PENDIENTE]
    }


# ------------------------------------------------------------------------------------------ RT/DT


def test_puede_recibir_invitaciones_solo_con_interruptor_y_profesion(db_session, ref):
    usuario = factories.crear_usuario()
    assert perfil.puede_recibir_invitaciones_rt_dt(usuario) is False
    perfil.cambiar_invitaciones(usuario, True)
    assert perfil.puede_recibir_invitaciones_rt_dt(usuario) is False
    perfil.agregar_profesion(db_session, usuario, str(ref["profesiones"][0]), "12345")
    assert perfil.puede_recibir_invitaciones_rt_dt(usuario) is True
    perfil.cambiar_invitaciones(usuario, False)
    assert perfil.puede_recibir_invitaciones_rt_dt(usuario) is False
    assert len(usuario.profesiones) == 1  # kept while the switch is off


def test_agregar_profesion_exige_el_interruptor_encendido(db_session, ref):
    usuario = factories.crear_usuario()
    with pytest.raises(ErrorDominio, match="Active la opción"):
        perfil.agregar_profesion(db_session, usuario, str(ref["profesiones"][0]), "12345")


def test_tarjeta_profesional_se_normaliza_y_es_unica(db_session, ref):
    otro = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    perfil.agregar_profesion(db_session, otro, str(ref["profesiones"][0]), " rt 55-a ")
    assert otro.profesiones[0].tarjeta_profesional == "RT55-A"
    usuario = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    errores = _errores(perfil.agregar_profesion, db_session, usuario, str(ref["profesiones"][1]), "Rt55-a")
    assert errores == {"tarjeta_profesional": [perfil.MSG_TARJETA_EN_USO]}


def test_misma_profesion_no_se_repite_en_un_perfil(db_session, ref):
    usuario = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    perfil.agregar_profesion(db_session, usuario, str(ref["profesiones"][0]), "1111")
    errores = _errores(perfil.agregar_profesion, db_session, usuario, str(ref["profesiones"][0]), "2222")
    assert errores == {"profesion_id": [perfil.MSG_PROFESION_REPETIDA]}
    # Editing a row keeps its own profession without tripping over itself.
    fila = usuario.profesiones[0]
    perfil.editar_profesion(db_session, usuario, fila.id, str(ref["profesiones"][0]), "1112")
    assert fila.tarjeta_profesional == "1112"


def test_carrera_por_la_misma_tarjeta_da_un_error_claro(db_session, ref, monkeypatch):
    """Two people submit the same tarjeta at once: both pass the check, the unique index decides."""
    otro = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    db_session.add(UsuarioProfesion(usuario_id=otro.id, profesion_id=ref["profesiones"][0], tarjeta_profesional="9999"))
    db_session.flush()
    usuario = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    monkeypatch.setattr(perfil, "_validar_profesion", lambda s, u, p, t, f: (int(p), t))
    errores = _errores(perfil.agregar_profesion, db_session, usuario, str(ref["profesiones"][1]), "9999")
    assert errores == {"tarjeta_profesional": [perfil.MSG_TARJETA_EN_USO]}
    # The savepoint kept the rest of the transaction usable.
    perfil.cambiar_invitaciones(usuario, False)
    db_session.flush()
    assert db_session.scalar(select(UsuarioProfesion.id).where(UsuarioProfesion.usuario_id == usuario.id)) is None


def test_profesion_ajena_no_se_encuentra(db_session, ref):
    otro = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    fila = perfil.agregar_profesion(db_session, otro, str(ref["profesiones"][0]), "4444")
    usuario = factories.crear_usuario(acepta_invitaciones_rt_dt=True)
    for accion in (
        lambda: perfil.editar_profesion(db_session, usuario, fila.id, str(ref["profesiones"][0]), "5555"),
        lambda: perfil.eliminar_profesion(db_session, usuario, fila.id),
        lambda: perfil.profesion_propia(db_session, usuario, 10**15),
    ):
        with pytest.raises(perfil.NoEncontrado):
            accion()
    assert fila.tarjeta_profesional == "4444"


# ------------------------------------------------------------------------------------------ contraseña


def test_cambiar_contrasena_reune_todos_los_errores(db_session):
    usuario = factories.crear_usuario()
    errores = _errores(perfil.cambiar_contrasena, db_session, usuario, "mala", "corta", "otra")
    assert errores["actual"] == ["La contraseña actual no coincide con la registrada en la plataforma."]
    assert "Debe contener mínimo 8 caracteres." in errores["nueva"]
    assert errores["confirmacion"] == ["La confirmación de contraseña no coincide con la contraseña nueva."]


def test_cambiar_contrasena_anula_los_enlaces_de_recuperacion(db_session):
    from werkzeug.security import check_password_hash

    usuario = factories.crear_usuario()
    enlace = verificaciones.emitir(db_session, usuario.id, PROPOSITO_RECUPERACION, timedelta(hours=1), False)
    cambio = verificaciones.emitir(db_session, usuario.id, PROPOSITO_CAMBIO_CORREO, timedelta(hours=1), True, "a@b.co")
    perfil.cambiar_contrasena(db_session, usuario, factories.CONTRASENA, "Nueva#Clave9", "Nueva#Clave9")
    assert check_password_hash(usuario.password, "Nueva#Clave9")
    db_session.refresh(enlace.verificacion)
    db_session.refresh(cambio.verificacion)
    assert verificaciones.estado(enlace.verificacion) == "anulada"
    assert verificaciones.estado(cambio.verificacion) == "valida"
