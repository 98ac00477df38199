"""Company registration rules, at the service level (real PostgreSQL, no HTTP)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.auditoria import Auditoria
from app.models.correo import MensajeCorreo
from app.models.empresas import (
    DOC_CEDULA_CONTACTO,
    DOC_CEDULA_REPRESENTANTE,
    DOC_NIT_RUT,
    DocumentoEmpresa,
    Empresa,
    Membresia,
)
from app.models.referencias import Municipio, Pais
from app.services import ubicacion
from app.services.cuentas.identificacion import tipo_por_codigo
from app.services.documentos import DocumentoGuardado
from app.services.empresas import alta
from app.services.empresas import registro as servicio
from app.services.errores import ErrorDominio, ErroresValidacion
from tests import factories, factories_empresas
from tests.factories_empresas import DIRECCION_URBANA, NIT, datos_validos


def _doc(n: int) -> DocumentoGuardado:
    return DocumentoGuardado(sha256=f"{n:064x}", nombre_archivo=f"doc{n}.pdf", tamano=1000 + n)


def _documentos():
    return {DOC_NIT_RUT: [_doc(1)], DOC_CEDULA_REPRESENTANTE: [_doc(2)], DOC_CEDULA_CONTACTO: [_doc(3)]}


def _registrar(session, usuario, datos, documentos=None):
    return servicio.registrar_empresa(
        session, usuario, datos, _documentos() if documentos is None else documentos, 15, "http://x/login/", "10.0.0.1"
    )


def test_nit_con_digito_de_verificacion_errado_se_rechaza(db_session):
    datos = datos_validos(db_session, digito_verificacion=str((int(alta.digito_verificacion(NIT)) + 1) % 10))
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos)
    assert error.value.errores["digito_verificacion"] == ["El dígito de verificación no corresponde al NIT."]


@pytest.mark.parametrize("nit", ["12345", "1234567890", "90037311A", ""])
def test_nit_debe_tener_entre_6_y_9_digitos(db_session, nit):
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos_validos(db_session, nit=nit))
    assert error.value.errores["nit"] == [servicio.MSG_NIT]


def test_caracterizacion_fuera_de_la_lista_se_rechaza(db_session):
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos_validos(db_session, tamano="Enorme", sector="Alimentos"))
    assert set(error.value.errores) == {"tamano", "sector"}


def test_municipio_de_otro_departamento_se_rechaza(db_session):
    otro = db_session.scalar(select(Municipio).order_by(Municipio.id.desc()).limit(1))
    datos = datos_validos(db_session)
    assert str(otro.departamento_id) != datos["departamento"]
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, {**datos, "municipio": str(otro.id)})
    assert "municipio" in error.value.errores


def test_sin_aceptar_terminos_no_se_registra(db_session):
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos_validos(db_session, acepta_terminos=False))
    assert error.value.errores["acepta_terminos"] == [servicio.MSG_TERMINOS]


def test_documentos_obligatorios(db_session):
    usuario = factories.crear_usuario()
    with pytest.raises(ErroresValidacion) as error:
        _registrar(db_session, usuario, datos_validos(db_session), {DOC_NIT_RUT: [_doc(1)]})
    assert set(error.value.errores) == {DOC_CEDULA_REPRESENTANTE, DOC_CEDULA_CONTACTO}
    db_session.rollback()
    assert db_session.scalar(select(Empresa.id)) is None


def test_quien_registra_queda_como_administrador_y_representante_legal(db_session):
    usuario = factories.crear_usuario()
    empresa = _registrar(db_session, usuario, datos_validos(db_session, rl=usuario))
    db_session.commit()
    [membresia] = db_session.scalars(select(Membresia).where(Membresia.empresa_id == empresa.id)).all()
    assert membresia.usuario_id == usuario.id
    assert membresia.estado == "Aceptado"
    assert membresia.es_representante_legal is True
    assert [r.nombre for r in membresia.roles] == ["Administrador"]
    assert {r.nombre for r in empresas_roles(db_session, empresa.id)} == {"Administrador", "Financiero"}
    assert len(db_session.scalars(select(DocumentoEmpresa).where(DocumentoEmpresa.empresa_id == empresa.id)).all()) == 3
    acciones = db_session.scalars(select(Auditoria.accion).where(Auditoria.empresa_id == empresa.id)).all()
    assert "registro_empresa" in acciones and "membresia_creada" in acciones


def empresas_roles(session, empresa_id):
    from app.models.empresas import RolEmpresa

    return session.scalars(select(RolEmpresa).where(RolEmpresa.empresa_id == empresa_id)).all()


def test_representante_legal_con_cuenta_recibe_invitacion_pendiente_y_correo(db_session):
    usuario = factories.crear_usuario()
    rl = factories.crear_usuario(email="rl@andinos.test", nombres="Jorge", apellidos="Rodríguez")
    empresa = _registrar(db_session, usuario, datos_validos(db_session, rl=rl))
    db_session.commit()
    propia, invitacion = db_session.scalars(
        select(Membresia).where(Membresia.empresa_id == empresa.id).order_by(Membresia.id)
    ).all()
    assert propia.es_representante_legal is False
    assert invitacion.estado == "Pendiente"
    assert invitacion.usuario_id == rl.id  # linked to the account that was told
    assert (invitacion.tipo_identificacion_id, invitacion.numero_identificacion) == (
        rl.tipo_identificacion_id,
        rl.numero_identificacion,
    )
    assert invitacion.es_representante_legal is True
    assert [r.nombre for r in invitacion.roles] == ["Administrador"]
    dias = (invitacion.invitacion_expira_en - invitacion.creado_en).days
    assert dias in (14, 15)
    correo = db_session.scalar(select(MensajeCorreo).where(MensajeCorreo.destinatario == "rl@andinos.test"))
    assert "Cosméticos Andinos S.A.S." in correo.asunto


def test_representante_legal_sin_cuenta_queda_esperando_sin_correo(db_session):
    usuario = factories.crear_usuario()
    empresa = _registrar(db_session, usuario, datos_validos(db_session))
    db_session.commit()
    pendiente = db_session.scalar(
        select(Membresia).where(Membresia.empresa_id == empresa.id, Membresia.estado == "Pendiente")
    )
    assert pendiente.numero_identificacion == "79123456"
    assert db_session.scalar(select(MensajeCorreo.id)) is None


def test_un_nit_es_una_empresa(db_session):
    factories_empresas.crear_empresa(nit=NIT)
    usuario = factories.crear_usuario()
    with pytest.raises(servicio.EmpresaYaRegistrada):
        _registrar(db_session, usuario, datos_validos(db_session))


def test_cambiar_representante_legal_invita_al_nuevo_y_desmarca_al_anterior(db_session):
    admin = factories.crear_usuario()
    empresa = factories_empresas.crear_empresa(administrador=admin)
    cc = tipo_por_codigo(db_session, "CC")
    servicio.cambiar_representante_legal(
        db_session,
        empresa.id,
        {
            "rl_tipo_identificacion": str(cc.id),
            "rl_numero_identificacion": "80111222",
            "rl_nombres": "Ana",
            "rl_apellidos": "Gómez",
        },
        actor_id=admin.id,
        vigencia_dias=15,
        enlace_invitacion="http://x/login/",
    )
    db_session.commit()
    miembros = db_session.scalars(
        select(Membresia).where(Membresia.empresa_id == empresa.id).order_by(Membresia.id)
    ).all()
    assert [(m.numero_identificacion, m.estado, m.es_representante_legal) for m in miembros] == [
        (admin.numero_identificacion, "Aceptado", False),
        ("80111222", "Pendiente", True),
    ]
    assert [r.nombre for r in miembros[1].roles] == ["Administrador"]
    db_session.refresh(empresa)
    assert (empresa.rl_numero_identificacion, empresa.rl_nombres) == ("80111222", "Ana")
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == "cambio_representante_legal"))
    assert fila.antes["representante_legal"]["numero_identificacion"] == admin.numero_identificacion
    assert fila.despues["representante_legal"]["numero_identificacion"] == "80111222"


def test_cambiar_al_mismo_representante_legal_se_rechaza(db_session):
    admin = factories.crear_usuario()
    empresa = factories_empresas.crear_empresa(administrador=admin)
    with pytest.raises(ErroresValidacion) as error:
        servicio.cambiar_representante_legal(
            db_session,
            empresa.id,
            {
                "rl_tipo_identificacion": str(admin.tipo_identificacion_id),
                "rl_numero_identificacion": admin.numero_identificacion,
                "rl_nombres": admin.first_name,
                "rl_apellidos": admin.last_name,
            },
            actor_id=admin.id,
            vigencia_dias=15,
            enlace_invitacion="",
        )
    assert error.value.errores["rl_numero_identificacion"] == [servicio.MSG_MISMO_RL]


def test_suspender_exige_motivo_y_queda_auditado(db_session):
    admin = factories.crear_usuario()
    empresa = factories_empresas.crear_empresa()
    with pytest.raises(ErroresValidacion):
        servicio.cambiar_estado(db_session, empresa.id, True, "  ", admin.id)
    servicio.cambiar_estado(db_session, empresa.id, True, "Documentos falsos", admin.id, ip="10.1.1.1")
    db_session.commit()
    with pytest.raises(ErrorDominio, match="ya está suspendida"):
        servicio.cambiar_estado(db_session, empresa.id, True, "Otra vez", admin.id)
    db_session.rollback()
    servicio.cambiar_estado(db_session, empresa.id, False, "Aclarado el caso", admin.id)
    db_session.commit()
    acciones = db_session.execute(
        select(Auditoria.accion, Auditoria.antes, Auditoria.despues).order_by(Auditoria.id)
    ).all()
    assert [a[0] for a in acciones] == ["suspension_empresa", "reactivacion_empresa"]
    assert acciones[0][1]["estado"] == "Activa" and acciones[0][2]["estado"] == "Suspendida"


# ---------------------------------------------------------------- address: the signup's «Ingrese la dirección» dialog


def _otro_pais(session) -> Pais:
    return session.scalar(select(Pais).where(Pais.codigo == "EC"))


def test_la_direccion_urbana_se_compone_y_guarda_con_sus_partes(db_session):
    datos = datos_validos(db_session, dir_sufijo="bis", dir_complemento="Oficina 201", dir_indicaciones="Torre B")
    empresa = _registrar(db_session, factories.crear_usuario(), datos)
    db_session.commit()
    assert empresa.direccion == "Calle 26 Bis # 68D - 35 Oficina 201"
    assert empresa.direccion_componentes == {
        "rural": False,
        "principal": "Calle",
        "numero_principal": "26",
        "sufijo": "bis",
        "numero_secundario": "68",
        "sufijo_secundario": "d",
        "numero_final": "35",
        "complemento": "Oficina 201",
    }  # the company keeps no «Indicaciones»


def test_la_direccion_rural_en_colombia_es_el_texto_digitado(db_session):
    datos = datos_validos(db_session, dir_rural="si", dir_texto="  Vereda El Salitre,   finca La Esperanza ")
    limpio = servicio.validar_datos(db_session, datos)
    assert limpio["direccion"] == "Vereda El Salitre, finca La Esperanza"
    assert limpio["direccion_componentes"] == {"rural": True, "texto": "Vereda El Salitre, finca La Esperanza"}


def test_empresa_en_el_exterior_usa_la_direccion_internacional(db_session):
    # Outside Colombia the dialog takes only the free text, even if urban parts were posted.
    datos = datos_validos(db_session, pais=str(_otro_pais(db_session).id), departamento="", municipio="")
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos)
    assert error.value.errores["dir_texto"] == ["Digite su dirección."]
    assert error.value.errores["direccion"] == [ubicacion.MSG_DIRECCION_INCOMPLETA]
    limpio = servicio.validar_datos(db_session, {**datos, "dir_texto": "Av. Amazonas N34-451, Quito"})
    assert (limpio["direccion"], limpio["departamento"], limpio["municipio"]) == (
        "Av. Amazonas N34-451, Quito",
        None,
        None,
    )
    assert limpio["direccion_componentes"] == {"rural": True, "texto": "Av. Amazonas N34-451, Quito"}


@pytest.mark.parametrize(
    ("cambios", "campo", "mensaje"),
    [
        ({"dir_numero_final": ""}, "dir_numero_final", "Ingrese el número final."),
        ({"dir_principal": "Callejón"}, "dir_principal", "Seleccione una vía principal de la lista."),
        ({"dir_numero_principal": "26A"}, "dir_numero_principal", "Escriba el número principal solo con números"),
        ({"dir_sufijo": "x1"}, "dir_sufijo", "El sufijo solo admite letras"),
        ({"dir_complemento": "<b>Of. 2</b>"}, "dir_complemento", "El complemento solo admite letras"),
        ({"dir_rural": "si", "dir_texto": ""}, "dir_texto", "Digite su dirección."),
        ({"dir_rural": "si", "dir_texto": "x" * 201}, "dir_texto", "Máximo 200 caracteres."),
    ],
)
def test_errores_de_la_direccion_van_al_campo_del_dialogo(db_session, cambios, campo, mensaje):
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_datos(db_session, datos_validos(db_session, **cambios))
    assert error.value.errores[campo][0].startswith(mensaje)
    assert error.value.errores["direccion"] == [ubicacion.MSG_DIRECCION_INCOMPLETA]


def test_una_direccion_con_errores_no_deja_empresa(db_session):
    with pytest.raises(ErroresValidacion):
        _registrar(db_session, factories.crear_usuario(), datos_validos(db_session, dir_principal=""))
    db_session.rollback()
    assert db_session.scalar(select(Empresa.id)) is None


def test_editar_la_direccion_cambia_texto_y_partes_y_queda_auditado(db_session):
    admin = factories.crear_usuario()
    contacto = {
        "contacto_nombre": "Ana Ruiz",
        "contacto_cargo": "Gerente",
        "contacto_correo": "ana@x.test",
        "contacto_telefono": "6012425000",
        "tamano": "Micro",
        "sector": "Cosméticos",
    }
    empresa = factories_empresas.crear_empresa(administrador=admin, direccion="Calle 26 # 68D - 35", **contacto)
    valores = servicio.valores_de_edicion(empresa)
    # Typed before the dialog existed: it opens as free text, and saving it unchanged keeps it as it was.
    assert (valores["dir_rural"], valores["dir_texto"]) == ("si", "Calle 26 # 68D - 35")
    assert servicio.validar_edicion(valores)["direccion"] == "Calle 26 # 68D - 35"
    nuevos = {
        "dir_rural": "no",
        "dir_principal": "Avenida Carrera",
        "dir_numero_principal": "68",
        "dir_numero_secundario": "24",
        "dir_sufijo_secundario": "b sur",
        "dir_numero_final": "9",
    }
    limpio = servicio.validar_edicion({**valores, **nuevos})
    servicio.actualizar_datos(db_session, empresa.id, admin.id, limpio)
    db_session.commit()
    assert empresa.direccion == "Avenida Carrera 68 # 24B Sur - 9"
    assert empresa.direccion_componentes["sufijo_secundario"] == "b sur"
    fila = db_session.scalar(select(Auditoria).where(Auditoria.accion == servicio.ACCION_EDICION))
    assert fila.antes["direccion"] == "Calle 26 # 68D - 35"
    assert fila.despues["direccion"] == "Avenida Carrera 68 # 24B Sur - 9"
    # Opened again, the dialog shows the stored parts.
    otra_vez = servicio.valores_de_edicion(empresa)
    assert (otra_vez["dir_rural"], otra_vez["dir_principal"], otra_vez["dir_numero_final"]) == (
        "no",
        "Avenida Carrera",
        "9",
    )


def test_editar_una_empresa_del_exterior_pide_el_texto_internacional(db_session):
    empresa = factories_empresas.crear_empresa(pais_id=_otro_pais(db_session).id, direccion="Calle 10 # 5 - 3")
    assert servicio.en_colombia(empresa) is False
    with pytest.raises(ErroresValidacion) as error:
        servicio.validar_edicion({**DIRECCION_URBANA}, en_colombia=False)
    assert error.value.errores["dir_texto"] == ["Digite su dirección."]


def test_datos_de_direccion_sin_direccion_abre_el_dialogo_vacio():
    assert ubicacion.datos_de_direccion(None, None) == {}
    assert ubicacion.datos_de_direccion("Km 5 vía Chía", {}) == {"dir_rural": "si", "dir_texto": "Km 5 vía Chía"}
