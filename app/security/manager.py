"""Security manager: the app's user model and views, ID-based login, cached permission checks."""

from __future__ import annotations

from flask import g, has_request_context
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import Group
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload, load_only
from werkzeug.local import LocalProxy

from app.models.personas import Usuario
from app.security import contexto, fab_vistas, sesiones
from app.security.arbol_permisos import VISTAS
from app.security.fab_vistas import MiContrasenaView, MiInformacionView
from app.security.permissions import columna_permisos, guardar_en_peticion, pares, permisos_cacheados
from app.security.views import LoginView, UsuarioDatos, UsuarioModelView

# What nearly every request reads of the logged-in user (FAB's checks, the menu's name, the state). The other 33
# columns (address, profile, FAB's counters) are marked expired by load_user, so the first view that reads one
# (Mi perfil, the services given g.user) loads them all in ONE statement. Fewer columns means less work in the
# driver and the ORM on every request: ~5 % of a help-desk lookup (bench/RESULTADOS.md).
COLUMNAS_POR_PETICION = (
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "active",
    "tipo_identificacion_id",
    "numero_identificacion",
    "activada_en",
    "bloqueada_hasta",
    "generacion_sesion",
)


def permisos_de_empresa() -> frozenset[tuple[str, str]]:
    """FAB pairs granted by the leaves of the company roles of the company the person acts as (contexto.py)."""
    actuacion = getattr(g, "actuacion", None) if has_request_context() else None
    return VISTAS.de(actuacion.permisos) if actuacion is not None else frozenset()


def _como_empresa() -> bool:
    return has_request_context() and getattr(g, "actuacion", None) is not None


class SinApiDeTokens(SecurityApi):
    """FAB's JWT login (/api/v1/security/login, /refresh) with no routes: nothing in the product uses tokens, and
    that login had none of /login/'s lock-out, limits, CSRF or session ending. The API uses the browser session."""

    include_route_methods: set[str] = set()


class InvimaSecurityManager(SecurityManager):
    security_api = SinApiDeTokens
    user_model = Usuario
    userdbmodelview = UsuarioModelView
    authdbview = LoginView
    resetmypasswordview = MiContrasenaView
    userinfoeditview = MiInformacionView
    rolemodelview = fab_vistas.RoleModelView
    groupmodelview = fab_vistas.UserGroupModelView
    permissionmodelview = fab_vistas.PermissionModelView
    viewmenumodelview = fab_vistas.ViewMenuModelView
    permissionviewmodelview = fab_vistas.PermissionViewModelView

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        self.userdbmodelview.datamodel = UsuarioDatos(self.user_model)
        self._consultas_usuario: dict[bool, object] = {}
        self._columnas_diferidas = [
            c.key for c in Usuario.__mapper__.column_attrs if c.key not in COLUMNAS_POR_PETICION
        ]

    # FAB registers resetpassword / userinfo views; ours replace them (Mi perfil, cambiar contraseña).

    def create_login_manager(self, app):
        """FAB points Flask-Login at an endpoint named "login", which is not ours, and its message is English."""
        gestor = super().create_login_manager(app)
        gestor.login_view = "LoginView.login"
        gestor.login_message = "Inicie sesión para continuar."
        gestor.login_message_category = "info"
        return gestor

    def load_user(self, pk):
        """Load the logged-in user, roles, groups and permission set in one statement; inactive users are logged out.

        Runs on every request (nothing is cached between requests), so deactivating a user or changing their
        roles or permissions applies on the very next request.
        """
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        empresa_id = contexto.empresa_en_sesion() if has_request_context() else None
        consulta = self._consulta_usuario(con_empresa=empresa_id is not None)
        parametros = {"usuario_id": pk} if empresa_id is None else {"usuario_id": pk, "empresa_id": empresa_id}
        fila = self.session.execute(consulta, parametros).unique().first()
        if fila is None:
            return None
        user, permisos, *actuacion = fila
        if not user.is_active or not sesiones.vigente(user):
            return None
        # The other columns were not read (see _consulta_usuario): mark them expired, so the first one a view
        # reads loads them all in one SELECT instead of one SELECT per column.
        self.session.expire(user, self._columnas_diferidas)
        guardar_en_peticion(self._role_ids(user), pares(permisos))
        if empresa_id is not None:
            contexto.precargar(user.id, empresa_id, actuacion[0])
        return user

    def _consulta_usuario(self, con_empresa: bool):
        """The user, roles, groups and FAB permissions — and, acting as a company, the company context (contexto.py).

        Built once per variant (it only depends on the builtin role names), so SQLAlchemy reuses its cache key.
        LIMIT 1 makes SQLAlchemy put the user row (and its subqueries) in an inner query, so each subquery runs
        once, not once per role row.
        """
        if con_empresa not in self._consultas_usuario:
            columnas = [Usuario, columna_permisos(Usuario.__table__, tuple(sorted(self.builtin_roles)))]
            if con_empresa:
                columnas.append(contexto.columna_actuacion(Usuario.__table__))
            self._consultas_usuario[con_empresa] = (
                select(*columnas)
                .where(Usuario.id == bindparam("usuario_id"))
                .options(
                    load_only(*(getattr(Usuario, c) for c in COLUMNAS_POR_PETICION)),
                    lazyload(Usuario.tipo_identificacion),
                    joinedload(Usuario.roles),
                    joinedload(Usuario.groups).joinedload(Group.roles),
                )
                .limit(1)
                # No company data here (users, roles, groups): skip the per-company loader criteria of
                # app/security/tenancy.py, which would also rebuild the statement's cache key on every request.
                .execution_options(todas_las_empresas=True)
            )
        return self._consultas_usuario[con_empresa]

    def _role_ids(self, user, roles=None) -> tuple[int, ...]:
        roles = self.get_user_roles(user) if roles is None else roles
        return tuple(sorted(r.id for r in roles if r is not None and r.name not in self.builtin_roles))

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """FAB's check; a menu entry is looked up in the request's set of visible menus (`menus_visibles`)."""
        if permission_name == "menu_access" and has_request_context():
            return view_name in self.menus_visibles()
        return super().has_access(permission_name, view_name)

    def menus_visibles(self) -> frozenset[str]:
        """Every menu entry the request's user may see, worked out once per request with FAB's bulk check
        (`get_user_menu_access`, what FAB's own menu API uses): FAB's navbar template asks entry by entry, ~50
        times a page, and each `has_access` resolves the user through Flask-Login's proxies again
        (bench/RESULTADOS.md, decimoctava medición)."""
        if "_invima_menus" not in g:
            g._invima_menus = frozenset(self.get_user_menu_access(self.appbuilder.menu.get_flat_name_list()))
        return g._invima_menus

    def _has_view_access(self, user, permission_name: str, view_name: str) -> bool:
        # FAB passes g.user, which is flask_login's `current_user` proxy: every attribute read through it looks the
        # user up again (~10 per check, ~90 per help-desk page). Resolve it once, and read the roles once.
        user = user._get_current_object() if isinstance(user, LocalProxy) else user
        roles = self.get_user_roles(user)
        if any(
            r is not None
            and r.name in self.builtin_roles
            and self._has_access_builtin_roles(r, permission_name, view_name)
            for r in roles
        ):
            return True
        if _como_empresa() and view_name in VISTAS.de_funcionario:
            return False  # Invima's staff act as nobody: the back office is closed while acting as a company
        if _como_empresa() and view_name in VISTAS.de_titular:
            return (permission_name, view_name) in permisos_de_empresa()  # not the persona's platform role
        if (permission_name, view_name) in permisos_cacheados(self.session, self._role_ids(user, roles)):
            return True
        return (permission_name, view_name) in permisos_de_empresa()

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        roles = [self.get_public_role()] if user is None else self.get_user_roles(user)
        roles = [r for r in roles if r is not None]
        granted = permisos_cacheados(
            self.session, tuple(sorted(r.id for r in roles if r.name not in self.builtin_roles))
        )
        if _como_empresa():
            granted = {par for par in granted if par[1] not in VISTAS.de_titular | VISTAS.de_funcionario}
        result = {v for (p, v) in granted | permisos_de_empresa() if p == permission_name and v in view_menus_name}
        for role in roles:
            if role.name in self.builtin_roles:
                result.update(v for v in view_menus_name if self._has_access_builtin_roles(role, permission_name, v))
        return result

    def get_public_role(self):
        from flask import g, has_request_context

        if has_request_context():
            if not hasattr(g, "_invima_public_role"):
                g._invima_public_role = super().get_public_role()
            return g._invima_public_role
        return super().get_public_role()
