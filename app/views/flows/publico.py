"""Public pages that need no account: «Consulta de autorizaciones y certificados» (verifying a constancia), «Ayuda»
and «Oferta de servicios» (the catalog of trámites)."""

from __future__ import annotations

from flask import abort, current_app, make_response, request, session
from flask_appbuilder import BaseView, expose

from app.extensions import db, limiter
from app.models.catalogo import SATISFACE
from app.services import catalogo, constancia, registros
from app.services.cuentas import captcha
from app.services.expedientes import verificacion
from app.services.fechas import hoy_en_bogota
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


def _limite_verificacion() -> str:
    return current_app.config["LIMITE_VERIFICACION"]


MSG_LIMITE = "Demasiadas consultas seguidas. Espere un momento e intente de nuevo."
MSG_SIN_PDF = "Adjunte el archivo PDF de la constancia o del acto."
MSG_FALTA_RADICADO = "Escriba el número de radicado y el código de verificación impresos en la constancia."
MSG_FALTA_ACTO = "Escriba el número del auto o de la resolución y el código de verificación impresos en él."
MSG_FALTA_REGISTRO = "Escriba el número del registro sanitario o de la NSO."


class ConsultaPublicaView(BaseView):
    """«Consulta de autorizaciones y certificados»: verify a constancia de radicación by radicado + code (or its QR,
    which carries both), an administrative act by its number + code (or its QR), or any of them — and a constancia
    de notificación — by uploading the PDF (app/services/expedientes/verificacion.py); and look a registro
    sanitario or NSO up by its number, to know whether it stands today (app/services/registros.py). No login."""

    route_base = "/consulta"
    default_view = "index"

    def _pagina(self, status=200, **contexto):
        valores = dict(radicado="", codigo="", datos=None, numero_acto="", codigo_acto="", acto=None)
        valores.update(numero_registro="", registro=None)
        valores.update(resultado_pdf=None, mensaje="")
        return self.render_template(
            "publico/consulta.html", title="Consulta de autorizaciones y certificados", **{**valores, **contexto}
        ), status

    def _incompleta(self, mensaje: str, **contexto):
        """A query sent with a field empty says what is missing (400); the bare page (no query) just shows the forms."""
        if not request.args and not request.view_args:
            return self._pagina(**contexto)
        return self._pagina(mensaje=mensaje, status=400, **contexto)

    def _consultar(self, radicado: str, codigo: str):
        radicado, codigo = radicado.strip()[:40], codigo.strip()[:20]
        if not (radicado and codigo):
            return self._incompleta(MSG_FALTA_RADICADO, radicado=radicado, codigo=codigo)
        datos = verificacion.consultar(db.session, radicado, codigo)
        mensaje = "" if datos else verificacion.MSG_NO_COINCIDE
        return self._pagina(
            radicado=radicado, codigo=codigo, datos=datos, mensaje=mensaje, status=200 if datos else 404
        )

    def _consultar_acto(self, numero: str, codigo: str):
        numero, codigo = numero.strip()[: verificacion.MAX_NUMERO_ACTO], codigo.strip()[:20]
        if not (numero and codigo):
            return self._incompleta(MSG_FALTA_ACTO, numero_acto=numero, codigo_acto=codigo)
        acto = verificacion.consultar_acto(db.session, numero, codigo)
        mensaje = "" if acto else verificacion.MSG_ACTO_NO_COINCIDE
        contexto = dict(numero_acto=numero, codigo_acto=codigo, acto=acto, mensaje=mensaje)
        return self._pagina(status=200 if acto else 404, **contexto)

    @expose("/")
    @limiter.limit(_limite_verificacion, error_message=MSG_LIMITE)
    def index(self):
        if "acto" in request.args:
            return self._consultar_acto(request.args.get("acto") or "", request.args.get("codigo") or "")
        return self._consultar(request.args.get("radicado") or "", request.args.get("codigo") or "")

    @expose("/acto/<numero>")
    @limiter.limit(_limite_verificacion, error_message=MSG_LIMITE)
    def acto(self, numero: str):
        """The address an act's QR carries (with ?codigo=): see url_verificacion_acto."""
        return self._consultar_acto(numero, request.args.get("codigo") or "")

    @expose("/radicado/<radicado>")
    @limiter.limit(_limite_verificacion, error_message=MSG_LIMITE)
    def radicado(self, radicado: str):
        """The address the constancia's QR carries (with ?codigo=)."""
        return self._consultar(radicado, request.args.get("codigo") or "")

    @expose("/registro")
    @limiter.limit(_limite_verificacion, error_message=MSG_LIMITE)
    def registro(self):
        """A registro sanitario or NSO by its number (printed on the product): whether it stands today."""
        numero = (request.args.get("numero") or "").strip()[: registros.MAX_NUMERO]
        if not numero:
            return self._incompleta(MSG_FALTA_REGISTRO, numero_registro=numero)
        datos = registros.consulta_publica(db.session, numero, hoy_en_bogota())
        mensaje = "" if datos else registros.MSG_NO_HAY
        return self._pagina(numero_registro=numero, registro=datos, mensaje=mensaje, status=200 if datos else 404)

    @expose("/verificar-pdf", methods=["POST"])
    @limiter.limit(_limite_verificacion, error_message=MSG_LIMITE)
    def verificar_pdf(self):
        archivo = request.files.get("constancia")  # the field's name predates acts: any of our PDFs
        if not archivo or not archivo.filename:
            return self._pagina(mensaje=MSG_SIN_PDF, status=400)
        contenido = archivo.stream.read(current_app.config["DOCUMENTO_MAX_BYTES"] + 1)
        resultado = verificacion.verificar_pdf(db.session, contenido, constancia.firmante_de_app(current_app.config))
        contexto = dict(datos=resultado.datos, acto=resultado.acto, resultado_pdf=resultado)
        return self._pagina(status=200 if resultado.autentica else 422, **contexto)


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
