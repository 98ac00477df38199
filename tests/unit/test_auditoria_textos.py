"""Audit rows read in Spanish: action and object names, before/after values as «campo: valor»."""

from __future__ import annotations

from app.services import auditoria_textos as t


def test_acciones_y_objetos_conocidos_y_desconocidos():
    assert t.accion("invitacion_aceptada") == "Invitación aceptada"
    assert t.accion("algo_nuevo") == "Algo nuevo"
    assert t.objeto("membresia") == "Usuario de la empresa" and t.objeto("Usuario") == "Cuenta"


def test_valores_legibles_con_tildes():
    lineas = t.lineas({"razon_social": "Cosméticos Zeta", "es_representante_legal": True, "roles": ["A", "B"]})
    assert lineas == [("Razón social", "Cosméticos Zeta"), ("Representante legal", "Sí"), ("Roles", "A, B")]
    # In reading order (JSONB keeps none): the name first.
    assert t.como_texto({"expira": None, "nombre": "Ñandú"}) == "Nombre: Ñandú\nVence: —"
    assert t.lineas(None) == [] and t.como_texto(None) == ""


def test_buscar_acciones_por_su_nombre_en_espanol():
    assert t.acciones_que_dicen("invitación ACEPTADA") == ["invitacion_aceptada"]
    assert "rol_creado" in t.acciones_que_dicen("rol") and t.acciones_que_dicen("  ") == []


def test_fechas_y_datos_anidados_legibles():
    assert t.como_texto({"expira": "2026-12-08T15:05:59.133279+00:00"}) == "Vence: 08/12/2026 10:05 a. m."
    assert t.lineas({"representante_legal": {"nombres": "Ana", "apellidos": "Díaz"}}) == [
        ("Representante legal", "Nombre(s): Ana; Apellido(s): Díaz")
    ]


class _Fila:
    def __init__(self, objeto, objeto_id=None, antes=None, despues=None):
        self.objeto, self.objeto_id, self.antes, self.despues = objeto, objeto_id, antes, despues


NOMBRES = {
    t.CUENTA: {2: "Ana Pérez (CC 1020304050)"},
    t.TIPO_IDENTIFICACION: {1: "Cédula de ciudadanía"},
    t.SIGLA_IDENTIFICACION: {1: "CC"},
    t.MEMBRESIA: {8: "Ana Pérez (CC 1020304050)"},
    t.ROL: {4: "Radicador"},
}


def test_las_filas_dicen_que_ids_nombran():
    filas = [
        _Fila("membresia", "8", despues={"usuario_id": 2, "identificacion": "1-1020304050", "roles": ["Radicador"]}),
        _Fila("rol_empresa", "4", antes={"rol_ids": [5, 6]}),
        _Fila("empresa", "3", despues={"representante_legal": {"tipo_identificacion_id": 1}}),
        _Fila("algo_nuevo", "99"),
    ]
    assert t.referencias(filas) == {
        t.MEMBRESIA: {8},
        t.CUENTA: {2},
        t.TIPO_IDENTIFICACION: {1},
        t.ROL: {4, 5, 6},
        t.EMPRESA: {3},
    }


def test_los_ids_se_leen_como_nombres():
    datos = {"usuario_id": 2, "tipo_identificacion_id": 1, "identificacion": "1-1020304050", "rol_ids": [4, 7]}
    assert t.lineas(datos, NOMBRES) == [
        ("Identificación", "CC 1020304050"),
        ("Tipo de identificación", "Cédula de ciudadanía"),
        ("Cuenta", "Ana Pérez (CC 1020304050)"),
        ("Roles", "Radicador, Rol eliminado (n.º 7)"),
    ]
    assert t.lineas({"estado": "inactivo", "permisos": ["empresa.ver", "roles.crear"]}, NOMBRES) == [
        ("Estado", "Inactivo"),
        ("Permisos", "Empresa → Ver, Roles → Crear"),
    ]
    # The address's parts repeat the address: not shown.
    assert t.lineas({"direccion": "Calle 1 # 2 - 3", "direccion_componentes": {"rural": False}}) == [
        ("Dirección", "Calle 1 # 2 - 3")
    ]


def test_el_objeto_se_nombra_aunque_ya_no_exista():
    assert (
        str(t.objeto_nombrado(_Fila("membresia", "8"), NOMBRES)) == "Usuario de la empresa: Ana Pérez (CC 1020304050)"
    )
    assert str(t.objeto_nombrado(_Fila("rol_empresa", "4"), NOMBRES)) == "Rol: Radicador"
    borrado = _Fila("rol_empresa", "5", antes={"nombre": "Temporal"})
    assert str(t.objeto_nombrado(borrado, NOMBRES)) == "Rol: Temporal (ya no existe)"
    sin_foto = t.objeto_nombrado(_Fila("rol_empresa", "6"), NOMBRES)
    assert (str(sin_foto), sin_foto.tipo, sin_foto.nombre) == ("Rol eliminado (n.º 6)", "Rol", "Rol eliminado (n.º 6)")
    retirado = _Fila("membresia", "9", antes={"nombre_cuenta": "Luis Mora", "identificacion": "1-777"})
    assert str(t.objeto_nombrado(retirado, NOMBRES)) == "Usuario de la empresa: Luis Mora (CC 777) (ya no existe)"
    documento = _Fila("documento_empresa", "3", despues={"tipo": "NIT/RUT", "nombre_archivo": "rut.pdf"})
    assert str(t.objeto_nombrado(documento, NOMBRES)) == "Documento: NIT/RUT (rut.pdf) (ya no existe)"
    assert str(t.objeto_nombrado(_Fila("empresa"), NOMBRES)) == "Empresa"


def test_una_cuenta_eliminada_se_lee_con_el_nombre_guardado():
    foto = {"nombre_cuenta": "Luis Mora", "usuario_id": 5, "estado": "Aceptado"}
    assert t.lineas(foto, NOMBRES) == [("Cuenta", "Luis Mora (cuenta eliminada)"), ("Estado", "Aceptado")]
    assert t.lineas({**foto, "usuario_id": 2}, NOMBRES)[0] == ("Cuenta", "Ana Pérez (CC 1020304050)")


def test_acciones_de_roles_inactivados_y_reactivados():
    assert t.accion("rol_inactivado") == "Rol inactivado" and t.accion("rol_reactivado") == "Rol reactivado"
    assert t.objetos_que_dicen("usuario de la EMPRESA") == ["membresia"]
