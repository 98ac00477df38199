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
    assert t.como_texto({"expira": None, "nombre": "Ñandú"}) == "Vence: —\nNombre: Ñandú"
    assert t.lineas(None) == [] and t.como_texto(None) == ""


def test_buscar_acciones_por_su_nombre_en_espanol():
    assert t.acciones_que_dicen("invitación ACEPTADA") == ["invitacion_aceptada"]
    assert "rol_creado" in t.acciones_que_dicen("rol") and t.acciones_que_dicen("  ") == []


def test_fechas_y_datos_anidados_legibles():
    assert t.como_texto({"expira": "2026-12-08T15:05:59.133279+00:00"}) == "Vence: 08/12/2026 10:05 a. m."
    assert t.lineas({"representante_legal": {"nombres": "Ana", "apellidos": "Díaz"}}) == [
        ("Representante legal", "Nombre(s): Ana; Apellido(s): Díaz")
    ]
