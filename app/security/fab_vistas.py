"""FAB's own self-service views, replaced by the app's: one password policy and one profile everywhere."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import expose
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_appbuilder.security.views import ResetMyPasswordView, UserInfoEditView

from app.services import contrasenas


def validar_complejidad(contrasena: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: FAB's own password forms (admin reset) apply the manual's rules."""
    fallas = contrasenas.incumplimientos(contrasena or "")
    if fallas:
        raise PasswordComplexityValidationError(" ".join(fallas))


class MiContrasenaView(ResetMyPasswordView):
    """FAB's "reset my password" skips the current password: send people to "Cambiar contraseña" instead.

    Only redirects, so no permission of its own: the target view checks access.
    """

    @expose("/form", methods=["GET"])
    def this_form_get(self):
        return redirect(url_for("CambioContrasenaView.index"))

    @expose("/form", methods=["POST"])
    def this_form_post(self):
        return redirect(url_for("CambioContrasenaView.index"))


class MiInformacionView(UserInfoEditView):
    """FAB's "edit my info" would let anyone rename themselves: names never change (manual 4.2.2)."""

    route_base = "/userinfoeditview"

    @expose("/form", methods=["GET"])
    def this_form_get(self):
        return redirect(url_for("PerfilView.index"))

    @expose("/form", methods=["POST"])
    def this_form_post(self):
        return redirect(url_for("PerfilView.index"))
