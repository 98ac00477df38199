"""The one gate of the company screens: FAB's permission check plus «acting as a company».

A company screen (Mi empresa → Roles, Usuarios, Datos de la empresa, Registro de acciones, the company API) answers
only while the person acts as a company ("Ingresar como", re-verified on every request by app/security/contexto.py).
Invima's platform staff hold every FAB permission but act as nobody: they get the «elija la empresa» page, as a
persona natural does.

The permission is FAB's: the method's permission name (`method_permission_name`, or the method's own name, as
@has_access reads it) on the view's `class_permission_name`. Only the pairs granted by the leaves of the person's
active company roles count (arbol_permisos.VISTAS, filled by each view's `register` through `registrar_hojas`), never
a platform role. A refusal names the leaf in Spanish («Roles → Eliminar»).

- `@acceso_de_empresa` on a BaseView method, instead of @has_access (it applies @has_access too);
- `VistaDeEmpresa`, a mixin before a generated ModelView: FAB's own routes and actions pass the same check in a
  declared `before_request` hook;
- `ApiDeEmpresa`, the same for a REST API (JSON answers).

Invima's back office (issue 13) has its own gate: `@acceso_de_funcionario` / `VistaDeFuncionario` pass FAB's check
of the staff role's pair, refuse while acting as a company, and require an active funcionario with grupos; they
set g.grupos_revision, which scopes `__titular__` rows to those grupos (app/security/tenancy.py).

Expedientes also belong to persons: `@acceso_de_titular` and `VistaDeTitular` pass the same company check when the
person acts as a company, and let a persona natural through to their own expedientes (the tenancy filter,
`__titular__`, keeps everyone else's out; the platform role «Usuario» holds the FAB pairs @has_access checks).
"""

from __future__ import annotations

import functools

from flask import abort, g, redirect, render_template, request, url_for
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.hooks import before_request
from flask_appbuilder.security.decorators import has_access
from flask_login import current_user

from app.extensions import db
from app.security.arbol_permisos import NOMBRES, VISTAS
from app.security.manager import permisos_de_empresa
from app.services import funcionarios

MSG_SIN_PERMISO = "Su rol en {empresa} no le permite esta acción ({permiso}). Pida el permiso al administrador."
MSG_SIN_EMPRESA = "Debe actuar como una empresa (Ingresar como → Persona jurídica) para usar este recurso."
PLANTILLA_SIN_EMPRESA = "empresa_admin/elegir_empresa.html"
TITULO_SIN_EMPRESA = "Administración de la empresa"


def registrar_hojas(vista, *hojas: tuple[str, str], menu: tuple[str, ...] = ()) -> None:
    """Leaf → FAB pair of `vista` (class permission name), plus the menu entries each leaf opens.

    `hojas`: (leaf, permission name without «can_»). Called by the views' `register`, never at import time.
    """
    nombre_vista = vista.class_permission_name or vista.__name__
    for hoja, permiso in hojas:
        VISTAS.registrar(hoja, (PERMISSION_PREFIX + permiso, nombre_vista), *(("menu_access", m) for m in menu))


def _hoja_de(par: tuple[str, str]) -> str | None:
    return next((hoja for hoja, pares in VISTAS.pares.items() if par in pares), None)


def motivo_de_rechazo(vista, permiso: str) -> tuple[int, str] | None:
    """(status, Spanish message) refusing `permiso` (e.g. «can_ver») of `vista` in this request, or None if allowed.

    401: not logged in; 403: not acting as a company (message "") or no company leaf grants the pair.
    """
    if not current_user.is_authenticated:
        return 401, ""
    actuacion = g.get("actuacion")
    if actuacion is None:
        return 403, ""
    par = (permiso, vista.class_permission_name)
    if permiso in vista.base_permissions and par in permisos_de_empresa():
        return None
    hoja = _hoja_de(par)
    return 403, MSG_SIN_PERMISO.format(empresa=actuacion.razon_social, permiso=NOMBRES.get(hoja, permiso))


def motivo_de_rechazo_titular(vista, permiso: str) -> tuple[int, str] | None:
    """As `motivo_de_rechazo`, but a persona natural acting as themself passes (their own expedientes)."""
    if current_user.is_authenticated and g.get("actuacion") is None:
        return None
    return motivo_de_rechazo(vista, permiso)


def rechazo(vista, permiso: str, persona_natural: bool = False):
    """The HTML response refusing this request (login, «elija la empresa», the leaf's 403 page) or None.

    `persona_natural`: a screen of the titular's (expedientes), open to a person acting as themself."""
    motivo = (motivo_de_rechazo_titular if persona_natural else motivo_de_rechazo)(vista, permiso)
    if motivo is None:
        return None
    status, mensaje = motivo
    if status == 401:
        return redirect(url_for("LoginView.login", next=request.full_path))
    if not mensaje:
        plantilla = getattr(vista, "plantilla_sin_empresa", PLANTILLA_SIN_EMPRESA)
        return render_template(plantilla, title=getattr(vista, "titulo_sin_empresa", TITULO_SIN_EMPRESA)), 403
    return render_template("error.html", codigo=403, mensaje=mensaje), 403


def _con_rechazo(funcion, persona_natural: bool):
    protegida = has_access(funcion)

    @functools.wraps(protegida)
    def envoltura(self, *args, **kwargs):
        permiso = PERMISSION_PREFIX + self.get_method_permission(funcion.__name__)
        respuesta = rechazo(self, permiso, persona_natural)
        return respuesta if respuesta is not None else protegida(self, *args, **kwargs)

    return envoltura


def acceso_de_empresa(funcion):
    """@has_access for a company screen's method: login, acting as a company, and the company leaf of its pair."""
    return _con_rechazo(funcion, persona_natural=False)


def acceso_de_titular(funcion):
    """@has_access for an expediente screen's method: as a company, its leaf; as persona natural, their own."""
    return _con_rechazo(funcion, persona_natural=True)


def permiso_de_la_peticion(vista) -> str | None:
    """The FAB permission the request's endpoint of `vista` needs (an action: that action's); None if unknown."""
    metodo = (request.endpoint or "").rsplit(".", 1)[-1]
    acciones = getattr(vista, "actions", None) or {}
    if metodo in ("action", "action_post"):
        nombre = request.view_args.get("name") if metodo == "action" else request.form.get("action")
        return vista.get_action_permission_name(nombre) if nombre in acciones else None
    nombre = (vista.method_permission_name or {}).get(metodo) or getattr(
        getattr(vista, metodo, None), "_permission_name", None
    )
    return PERMISSION_PREFIX + nombre if nombre else None


class VistaDeEmpresa:
    """Mixin before a generated ModelView of the company one acts as: every FAB route passes `rechazo` first."""

    plantilla_sin_empresa = PLANTILLA_SIN_EMPRESA

    @before_request
    def _solo_actuando_como_empresa(self):
        permiso = permiso_de_la_peticion(self)
        if permiso is None:
            abort(404)  # an action that does not exist
        return rechazo(self, permiso)


class VistaDeTitular:
    """Mixin before a generated ModelView of the titular's rows (expedientes): `rechazo` for persona or company."""

    @before_request
    def _solo_del_titular(self):
        permiso = permiso_de_la_peticion(self)
        if permiso is None:
            abort(404)
        return rechazo(self, permiso, persona_natural=True)


MSG_FUNCIONARIO_COMO_EMPRESA = (
    "Los funcionarios del Invima no actúan como empresa: elija «Persona natural» en «Ingresar como» para revisar."
)
MSG_SIN_GRUPO = (
    "Su usuario no es un funcionario activo de un grupo de revisión. Pida al administrador de la plataforma que lo "
    "registre en Revisión → Funcionarios."
)


def rechazo_de_funcionario():
    """The response refusing a back-office request (login, acting as a company, not a funcionario with grupos) or
    None, after setting g.grupos_revision and g.codigo_funcionario for the request."""
    if not current_user.is_authenticated:
        return redirect(url_for("LoginView.login", next=request.full_path))
    if g.get("actuacion") is not None:
        return render_template("error.html", codigo=403, mensaje=MSG_FUNCIONARIO_COMO_EMPRESA), 403
    funcionario = funcionarios.del_usuario(db.session, current_user.id)
    if funcionario is None or not funcionario[1]:
        return render_template("error.html", codigo=403, mensaje=MSG_SIN_GRUPO), 403
    g.codigo_funcionario, g.grupos_revision = funcionario
    return None


def acceso_de_funcionario(funcion):
    """@has_access for a back-office method: the staff role's pair, acting as nobody, a funcionario's grupos."""
    protegida = has_access(funcion)

    @functools.wraps(protegida)
    def envoltura(self, *args, **kwargs):
        respuesta = rechazo_de_funcionario()
        return respuesta if respuesta is not None else protegida(self, *args, **kwargs)

    return envoltura


class VistaDeFuncionario:
    """Mixin before a generated ModelView of the back office: every FAB route passes `rechazo_de_funcionario`."""

    @before_request
    def _solo_funcionarios(self):
        if permiso_de_la_peticion(self) is None:
            abort(404)
        return rechazo_de_funcionario()


class ApiDeEmpresa:
    """Mixin before a REST API of the company one acts as: the same check, answered in JSON (401/403)."""

    @before_request
    def _solo_actuando_como_empresa(self):
        if not current_user.is_authenticated:
            return None  # FAB's @protect answers as for any API (401, or a public role's grant)
        permiso = permiso_de_la_peticion(self)
        motivo = (404, "") if permiso is None else motivo_de_rechazo(self, permiso)
        if motivo is None:
            return None
        status, mensaje = motivo
        if status == 403 and not mensaje:
            mensaje = MSG_SIN_EMPRESA
        return self.response(status, message=mensaje or "No encontrado.")
