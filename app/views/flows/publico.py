"""Public pages that need no account: "Consulta de autorizaciones y certificados", «Ayuda» and «Oferta de
servicios» (the catalog of trámites)."""

from __future__ import annotations

from flask import abort, current_app, make_response, request, session
from flask_appbuilder import BaseView, expose

from app.extensions import db
from app.models.catalogo import SATISFACE
from app.services import catalogo
from app.services.cuentas import captcha
from app.web.transaccion import unidad_de_trabajo

# Forms that show a CAPTCHA; each keeps its own challenge in the session.
CAPTCHAS = ("registro", "recuperacion", "activacion")


def captcha_resuelto(formulario: str, respuesta: str | None) -> bool:
    """Check the answer to the form's CAPTCHA and consume the challenge, right or wrong.

    Commits at once: the consumed challenge must stay consumed whatever the rest of the request does (a rolled
    back consumption would let a copied cookie answer the same image again).
    """
    with unidad_de_trabajo():  # the challenge is spent either way
        return captcha.verificar(
            db.session,
            session,
            current_app.config["SECRET_KEY"],
            respuesta,
            clave=f"captcha_{formulario}",
            codigo_prueba=current_app.config.get("CAPTCHA_TEST_CODE"),
        )


class AyudaView(BaseView):
    """«Ayuda»: the support and attention channels, for everyone (the footer of every page links here)."""

    route_base = "/ayuda"
    default_view = "index"

    @expose("/")
    def index(self):
        return self.render_template("publico/ayuda.html", title="Ayuda y canales de atención")


class OfertaServiciosView(BaseView):
    """«Oferta de servicios»: every trámite by product family with its tarifa code(s), vigencia and requisitos per
    modality, as the catalog's published versions say (seed 002 and 004), with a search box. No login."""

    route_base = "/oferta-de-servicios"
    default_view = "index"

    @expose("/")
    def index(self):
        texto = (request.args.get("q") or "").strip()[:100]
        return self.render_template(
            "publico/oferta.html",
            title="Oferta de servicios",
            familias=catalogo.oferta(db.session, texto),
            q=texto,
            satisface=SATISFACE,
        )


class ConsultaPublicaView(BaseView):
    route_base = "/consulta"
    default_view = "index"

    @expose("/")
    def index(self):
        # Expedientes and their constancias arrive with the expedientes issue; until then the search
        # honestly finds nothing and says so.
        numero = (request.args.get("numero") or "").strip()[:40]
        return self.render_template(
            "publico/consulta.html", numero=numero, resultados=[], title="Consulta de autorizaciones y certificados"
        )


class CaptchaView(BaseView):
    """Serves a fresh CAPTCHA image; loading it (or pressing "recargar") replaces the previous challenge."""

    route_base = "/captcha"

    @expose("/<formulario>.png")
    def imagen(self, formulario: str):
        if formulario not in CAPTCHAS:
            abort(404)
        with unidad_de_trabajo():
            texto = captcha.nuevo_reto(
                db.session,
                session,
                current_app.config["SECRET_KEY"],
                clave=f"captcha_{formulario}",
                longitud=current_app.config["CAPTCHA_LONGITUD"],
            )
        respuesta = make_response(captcha.imagen_png(texto))
        respuesta.headers["Content-Type"] = "image/png"
        respuesta.headers["Cache-Control"] = "no-store"
        return respuesta


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(ConsultaPublicaView())
    appbuilder.add_view_no_menu(AyudaView())
    appbuilder.add_view_no_menu(OfertaServiciosView())
    appbuilder.add_view_no_menu(CaptchaView())
