"""FAB's own self-service views, replaced by the app's: one password policy and one profile everywhere."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.views import PermissionModelView as _PermissionModelView
from flask_appbuilder.security.views import PermissionViewModelView as _PermissionViewModelView
from flask_appbuilder.security.views import ResetMyPasswordView, UserInfoEditView
from flask_appbuilder.security.views import RoleModelView as _RoleModelView
from flask_appbuilder.security.views import UserGroupModelView as _UserGroupModelView
from flask_appbuilder.security.views import ViewMenuModelView as _ViewMenuModelView

from app.services.cuentas import contrasenas
from app.web.vistas_modelo import FiltrosPorPeticion


def validar_complejidad(contrasena: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: FAB's own password forms (admin reset) apply the manual's rules."""
    fallas = contrasenas.incumplimientos(contrasena or "")
    if fallas:
        raise PasswordComplexityValidationError(" ".join(fallas))


class _SoloRedirige:
    """Before a FAB self-service form: both of its routes only send the person to the app's page `destino`.

    No permission of its own: the target view checks access.
    """

    destino = ""

    @expose("/form", methods=["GET"])
    def this_form_get(self):
        return redirect(url_for(self.destino))

    @expose("/form", methods=["POST"])
    def this_form_post(self):
        return redirect(url_for(self.destino))


class MiContrasenaView(_SoloRedirige, ResetMyPasswordView):
    """FAB's "reset my password" skips the current password: send people to "Cambiar contraseña" instead."""

    destino = "CambioContrasenaView.index"


class MiInformacionView(_SoloRedirige, UserInfoEditView):
    """FAB's "edit my info" would let anyone rename themselves: names never change (manual 4.2.2)."""

    route_base = "/userinfoeditview"
    destino = "PerfilView.index"


# FAB's own security screens, with their search per request like every other generated screen
# (app/web/vistas_modelo.py). Same class names, so their endpoints and permissions do not change.


class RoleModelView(FiltrosPorPeticion, _RoleModelView):
    pass


class UserGroupModelView(FiltrosPorPeticion, _UserGroupModelView):
    pass


class PermissionModelView(FiltrosPorPeticion, _PermissionModelView):
    pass


class ViewMenuModelView(FiltrosPorPeticion, _ViewMenuModelView):
    pass


class PermissionViewModelView(FiltrosPorPeticion, _PermissionViewModelView):
    pass
