"""SQL statements per request stay constant (issue 3 §6): counted with a before_cursor_execute listener."""

from __future__ import annotations

from tests import factories
from tests.helpers import contar_sentencias


def test_busqueda_exacta_de_la_mesa_de_ayuda_usa_maximo_4_sentencias(app, cliente_mesa_ayuda):
    with app.app_context():
        factories.crear_usuario(numero="1032456789", email="exacta@correo.test")
    for url in ("/mesa-ayuda/?q=1032456789", "/mesa-ayuda/?q=EXACTA@correo.test"):
        with contar_sentencias(app) as sentencias:
            r = cliente_mesa_ayuda.get(url)
        assert r.status_code == 200 and "exacta@correo.test" in r.get_data(as_text=True)
        assert len(sentencias) <= 4, sentencias
        # The audit INSERT travels in the look-up's own statement (a data-modifying CTE).
        assert any("INSERT INTO auditoria" in s for s in sentencias)


def test_busqueda_por_nombre_usa_maximo_4_sentencias(app, cliente_mesa_ayuda):
    with app.app_context():
        for _ in range(5):
            factories.crear_usuario(apellidos="Quintero Mejía")
    with contar_sentencias(app) as sentencias:
        r = cliente_mesa_ayuda.get("/mesa-ayuda/?q=quinter")
    assert r.get_data(as_text=True).count("Quintero Mejía") == 5
    assert len(sentencias) <= 4, sentencias


def _sentencias_de_la_lista(app, cliente) -> list[str]:
    with contar_sentencias(app) as sentencias:
        r = cliente.get("/usuarios/list/")
    assert r.status_code == 200
    return [s.split(" WHERE")[0][:120] for s in sentencias]


def test_la_lista_de_usuarios_no_crece_con_las_filas(app, cliente_admin):
    with app.app_context():
        for _ in range(2):
            factories.crear_usuario(roles=["Usuario", "Mesa de ayuda"])
    con_pocas = _sentencias_de_la_lista(app, cliente_admin)  # admin + 2 = 3 users
    with app.app_context():
        for _ in range(27):
            factories.crear_usuario(roles=["Usuario", "Mesa de ayuda"])
    con_30 = _sentencias_de_la_lista(app, cliente_admin)
    assert len(con_30) == len(con_pocas), (con_pocas, con_30)
    assert len(con_30) <= 6


def test_los_archivos_estaticos_no_cargan_al_usuario(app, cliente_mesa_ayuda):
    # A page asks for ~20 stylesheets and scripts; none of them needs the logged-in user or the database.
    for url in ("/static/css/invima.css", "/static/appbuilder/css/ab.css"):
        with contar_sentencias(app) as sentencias:
            r = cliente_mesa_ayuda.get(url)
        assert r.status_code == 200
        assert sentencias == []
    with contar_sentencias(app) as sentencias:
        assert cliente_mesa_ayuda.get("/mesa-ayuda/").status_code == 200
    assert any("ab_user" in s for s in sentencias)  # a page still loads the user (and checks it is active)


def test_el_usuario_de_la_peticion_lee_solo_las_columnas_de_cada_peticion(app, cliente_usuario):
    # load_user reads ~10 of the 43 columns; a page that shows the rest (Mi perfil) loads them all in ONE more
    # statement, not one per column.
    with contar_sentencias(app) as en_inicio:
        assert cliente_usuario.get("/").status_code == 200
    carga = [s for s in en_inicio if "FROM ab_user" in s]
    assert len(carga) == 1 and "ab_user.direccion" not in carga[0] and "ab_user.password" not in carga[0]
    with contar_sentencias(app) as en_perfil:
        r = cliente_usuario.get("/perfil/")
    assert r.status_code == 200
    de_usuario = [s for s in en_perfil if s.lstrip().startswith("SELECT") and "FROM ab_user" in s]
    assert len(de_usuario) == 2, de_usuario  # load_user + the rest of the columns, together
    assert "ab_user.direccion" in de_usuario[1] and "ab_user.fecha_nacimiento" in de_usuario[1]
