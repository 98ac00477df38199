"""Registrar una empresa (persona jurídica, seed 003 §4.1) and the permission-checked download of its documents.

One page with the guide's sections; the address is written in the signup's "Ingrese la dirección" dialog. It works
without JavaScript ("Cargar municipios" and the dialog's "Aceptar" reload the page, the dialog is a plain section).
Attachments that pass the PDF check are held for the person outside the document store (app/services/documentos.py)
and remembered in the signed session, so a reload or a correction does not force them to attach the files again;
each submit keeps only the files the form still uses. The database is written only when the whole form is valid,
and the held files move into the store only when that transaction commits. The rules live in
app/services/empresas/registro.py.
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, StringField

from app.extensions import db
from app.models.empresas import (
    DOC_CEDULA_CONTACTO,
    DOC_CEDULA_REPRESENTANTE,
    DOC_NIT_RUT,
    DOC_OTRO,
    DocumentoEmpresa,
    Empresa,
)
from app.security.arbol_permisos import VISTAS
from app.security.contexto import tiene_permiso
from app.services import documentos, listas
from app.services.documentos import DocumentoGuardado
from app.services.empresas import registro as servicio
from app.services.errores import ErrorDominio, ErroresValidacion
from app.services.ids import como_id
from app.services.listas import VACIO
from app.services.reloj import ahora
from app.services.texto import normalizar_busqueda
from app.views.forms import RepresentanteLegalForm, campo_lista
from app.views.formulario_direccion import DireccionForm, preparar_direccion
from app.web.descargas import respuesta_pdf
from app.web.transaccion import unidad_de_trabajo

CLAVE_DOCUMENTOS = "registro_empresa_documentos"
CLAVE_REGISTRADA = "empresa_registrada"
MSG_REVISE = "Revise los campos marcados; hay información por corregir."
# Upload field of each document type (the form's <input type="file"> names).
CAMPOS_DOCUMENTO = {
    DOC_NIT_RUT: "doc_nit_rut",
    DOC_CEDULA_REPRESENTANTE: "doc_cedula_representante",
    DOC_CEDULA_CONTACTO: "doc_cedula_contacto",
    DOC_OTRO: "doc_otros",
}
VENTANA_DOBLE_ENVIO = timedelta(minutes=10)


class RegistroEmpresaForm(DireccionForm, RepresentanteLegalForm):
    """The guide's sections; the address comes from the «Ingrese la dirección» dialog of DireccionForm."""

    contacto_nombre = StringField(_("Nombre completo"))
    contacto_cargo = StringField(_("Cargo"))
    contacto_correo = StringField(_("Correo electrónico"))
    contacto_telefono = StringField(_("Teléfono"))
    tamano = campo_lista(_("Tamaño de la empresa"))
    sector = campo_lista(_("Sector o actividad"))
    nit = StringField(_("NIT"))
    digito_verificacion = StringField(_("DV"))
    razon_social = StringField(_("Razón social"))
    sigla = StringField(_("Sigla"))
    correo = StringField(_("Correo electrónico de la empresa"))
    telefono = StringField(_("Teléfono"))
    celular = StringField(_("Celular"))
    pais = campo_lista(_("País"))
    departamento = campo_lista(_("Departamento"))
    municipio = campo_lista(_("Municipio"))
    acepta_terminos = BooleanField(
        _(
            "Declaro que la información suministrada es veraz y autorizo el tratamiento de mis datos personales "
            "conforme a la Ley 1581 de 2012 y a la política de tratamiento de datos del Invima."
        )
    )


# ---------------------------------------------------------------- attachments kept between submits


def _adjuntos() -> dict[str, list[DocumentoGuardado]]:
    guardado = session.get(CLAVE_DOCUMENTOS)
    if not isinstance(guardado, dict) or guardado.get("usuario") != g.user.id:
        return {}
    directorio = current_app.config["DOCUMENTOS_DIR"]
    resultado: dict[str, list[DocumentoGuardado]] = {}
    for tipo in CAMPOS_DOCUMENTO:
        for sha, nombre, tamano in guardado.get(tipo) or []:
            if documentos.retenido(directorio, g.user.id, sha):
                resultado.setdefault(tipo, []).append(DocumentoGuardado(sha, nombre, int(tamano)))
    return resultado


def _guardar_adjuntos(adjuntos: dict[str, list[DocumentoGuardado]]) -> None:
    valor: dict = {"usuario": g.user.id}
    for tipo, lista in adjuntos.items():
        valor[tipo] = [[d.sha256, d.nombre_archivo, d.tamano] for d in lista]
    session[CLAVE_DOCUMENTOS] = valor


def _shas(adjuntos: dict[str, list[DocumentoGuardado]]) -> list[str]:
    return [d.sha256 for lista in adjuntos.values() for d in lista]


def _recibir_adjuntos() -> tuple[dict[str, list[DocumentoGuardado]], dict[str, list[str]]]:
    """Hold the files of this submit that pass the PDF check; a new file replaces the kept one of its type, and
    held files the form no longer uses are deleted."""
    adjuntos = _adjuntos()
    errores: dict[str, list[str]] = {}
    directorio = current_app.config["DOCUMENTOS_DIR"]
    maximo = current_app.config["DOCUMENTO_MAX_BYTES"]
    horas = current_app.config["DOCUMENTO_RETENCION_HORAS"]
    if request.form.get("accion") == "quitar_otros":
        adjuntos.pop(DOC_OTRO, None)
    for tipo, campo in CAMPOS_DOCUMENTO.items():
        for archivo in request.files.getlist(campo):
            if not archivo or not archivo.filename:
                continue
            contenido = archivo.stream.read(maximo + 1)
            try:
                guardado = documentos.retener(directorio, g.user.id, contenido, archivo.filename, maximo, horas)
            except ErrorDominio as error:
                errores.setdefault(campo, []).append(f"{documentos.nombre_seguro(archivo.filename)}: {error.mensaje}")
                continue
            if tipo == DOC_OTRO:
                otros = adjuntos.setdefault(DOC_OTRO, [])
                if guardado.sha256 not in {d.sha256 for d in otros}:
                    otros.append(guardado)
            else:
                adjuntos[tipo] = [guardado]
    if len(adjuntos.get(DOC_OTRO) or []) > servicio.MAX_OTROS:
        adjuntos[DOC_OTRO] = adjuntos[DOC_OTRO][: servicio.MAX_OTROS]
        errores.setdefault(CAMPOS_DOCUMENTO[DOC_OTRO], []).append(servicio.MSG_DEMASIADOS_OTROS)
    documentos.soltar_retenidos(directorio, g.user.id, conservar=_shas(adjuntos))
    _guardar_adjuntos(adjuntos)
    return adjuntos, errores


# ---------------------------------------------------------------- views


class RegistroEmpresaView(BaseView):
    route_base = "/empresas/registrar"
    default_view = "formulario"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def formulario(self):
        if request.method == "GET":
            form = RegistroEmpresaForm(data=self._valores_iniciales())
            return self._render(form, _adjuntos(), {})
        form = RegistroEmpresaForm()
        if not form.validate_on_submit():
            abort(400)
        servicio.bloquear_formulario(db.session, g.user.id)
        adjuntos, errores_adjuntos = _recibir_adjuntos()
        if request.form.get("accion") != "registrar":
            # "Cargar municipios" / "Cambiar país" / "Quitar" without JavaScript: redraw with what was typed.
            return self._render(form, adjuntos, errores_adjuntos, 400 if errores_adjuntos else 200)
        datos = request.form.to_dict()
        datos["acepta_terminos"] = bool(form.acepta_terminos.data)
        if errores_adjuntos:
            errores = {**servicio.revisar_documentos(adjuntos), **errores_adjuntos}
            try:
                servicio.validar_datos(db.session, datos)
            except ErroresValidacion as error:
                errores.update(error.errores)
            return self._render(form, adjuntos, errores, 400)
        try:
            with unidad_de_trabajo():
                empresa = self._registrar(datos, adjuntos)
        except ErroresValidacion as error:
            return self._render(form, adjuntos, error.errores, 400)
        except (servicio.EmpresaYaRegistrada, IntegrityError):
            # Duplicate NIT, or a simultaneous submit won the race for it.
            propia = self._registrada_por_mi(datos.get("nit", ""), datos.get("razon_social", ""))
            if propia is not None and self._mismo_representante(propia, datos):
                return self._exito_de(propia.id)
            mensaje = servicio.MSG_YA_REGISTRADA_POR_USTED if propia is not None else servicio.MSG_NIT_REGISTRADO
            return self._render(form, adjuntos, {"nit": [mensaje]}, 409)
        return self._exito_de(empresa.id)

    @expose("/exito")
    @has_access
    def exito(self):
        empresa_id = session.get(CLAVE_REGISTRADA)
        empresa = db.session.get(Empresa, empresa_id) if isinstance(empresa_id, int) else None
        if empresa is None or empresa.creado_por_id != g.user.id:
            return redirect(url_for("RegistroEmpresaView.formulario"))
        return self.render_template(
            "empresa_registro/exito.html",
            empresa=empresa,
            membresias=servicio.membresias(db.session, empresa.id),
            documentos=servicio.documentos_de(db.session, empresa.id),
            title="Registro de empresa exitoso",
        )

    # ------------------------------------------------------------ helpers

    def _registrar(self, datos: dict, adjuntos: dict):
        empresa = servicio.registrar_empresa(
            db.session,
            g.user,
            datos,
            adjuntos,
            vigencia_dias=current_app.config["INVITACION_VIGENCIA_DIAS"],
            enlace_invitacion=current_app.config["PUBLIC_URL"] + url_for("LoginView.login"),
            ip=request.remote_addr,
        )
        documentos.mover_al_confirmar(db.session, current_app.config["DOCUMENTOS_DIR"], g.user.id, _shas(adjuntos))
        return empresa

    def _exito_de(self, empresa_id: int):
        # The commit moved the held files into the store (a double submit's copies expire with the rest).
        session.pop(CLAVE_DOCUMENTOS, None)
        session[CLAVE_REGISTRADA] = empresa_id
        return redirect(url_for("RegistroEmpresaView.exito"))

    @staticmethod
    def _mismo_representante(empresa: Empresa, datos: dict) -> bool:
        """A double submit names the same representante legal; other data is a change the success page would hide."""
        numero = (datos.get("rl_numero_identificacion") or "").replace(" ", "").upper()
        tipo = como_id(datos.get("rl_tipo_identificacion"))
        return (tipo, numero) == (empresa.rl_tipo_identificacion_id, empresa.rl_numero_identificacion)

    @staticmethod
    def _registrada_por_mi(nit: str, razon_social: str) -> Empresa | None:
        """The company with this NIT if this person registered it a moment ago with the same razón social (a double
        submit). Another razón social is a new company with a NIT already taken: refused like anyone else's."""
        nit = (nit or "").strip().replace(".", "").replace(" ", "")
        if not nit.isdigit() or len(nit) > 9:
            return None
        empresa = db.session.scalar(select(Empresa).where(Empresa.nit == nit))
        if empresa is None or empresa.creado_por_id != g.user.id or empresa.creado_en < ahora() - VENTANA_DOBLE_ENVIO:
            return None
        return empresa if normalizar_busqueda(empresa.razon_social) == normalizar_busqueda(razon_social) else None

    @staticmethod
    def _valores_iniciales() -> dict:
        usuario = g.user
        return {
            "contacto_nombre": f"{usuario.first_name} {usuario.last_name}".strip(),
            "contacto_correo": usuario.email or "",
            "contacto_telefono": getattr(usuario, "celular", None) or getattr(usuario, "telefono", None) or "",
            "pais": str(listas.id_colombia(db.session) or ""),
        }

    def _render(self, form, adjuntos, errores: dict[str, list[str]], status: int = 200):
        for campo, mensajes in errores.items():
            field = getattr(form, campo, None)
            if field is not None:
                field.errors = list(mensajes)
        errores_documentos: dict[str, list[str]] = {}
        for campo, mensajes in errores.items():
            if campo in CAMPOS_DOCUMENTO or campo in CAMPOS_DOCUMENTO.values():
                errores_documentos.setdefault(CAMPOS_DOCUMENTO.get(campo, campo), []).extend(mensajes)
        s = db.session
        colombia = str(listas.id_colombia(s) or "")
        form.tamano.choices = [VACIO] + [(v, v) for v in servicio.TAMANOS]
        form.sector.choices = [VACIO] + [(v, v) for v in servicio.SECTORES]
        form.pais.choices = listas.opciones_pais(s)
        form.departamento.choices = listas.opciones_departamento(s)
        departamento = str(form.departamento.data or "")
        form.municipio.choices = listas.opciones_municipio(
            s, int(departamento) if departamento.isdigit() and len(departamento) <= 9 else None
        )
        form.rl_tipo_identificacion.choices = listas.opciones_tipo_identificacion(s)
        en_colombia = str(form.pais.data or colombia) == colombia
        abrir_direccion = preparar_direccion(form, request.form, en_colombia, errores) and status == 400
        if status >= 400:
            flash(MSG_REVISE if status == 400 else servicio.MSG_NIT_REGISTRADO, "danger")
        return (
            self.render_template(
                "empresa_registro/formulario.html",
                form=form,
                adjuntos=adjuntos,
                campos_documento=CAMPOS_DOCUMENTO,
                obligatorios=servicio.DOCUMENTOS_OBLIGATORIOS,
                errores_documentos=errores_documentos,
                max_documento=documentos.megabytes(current_app.config["DOCUMENTO_MAX_BYTES"]),
                max_otros=servicio.MAX_OTROS,
                en_colombia=en_colombia,
                abrir_direccion=abrir_direccion,
                colombia_id=colombia,
                title="Registrar una empresa",
            ),
            status,
        )


class DocumentoEmpresaView(BaseView):
    """A company's attached documents: for Invima's administrators, and for members acting as that company whose
    role grants Empresa → Ver. DocumentoEmpresa is a tenant model, so another company's id is simply not found."""

    route_base = "/empresas/documentos"
    default_view = "descargar"

    @expose("/<int:documento_id>/descargar")
    @has_access
    def descargar(self, documento_id: int):
        es_admin = any(r.name == "Admin" for r in g.user.roles)
        if not es_admin and (g.get("empresa_id") is None or not tiene_permiso("empresa.ver")):
            abort(404)
        documento = db.session.scalar(select(DocumentoEmpresa).where(DocumentoEmpresa.id == documento_id))
        if documento is None or not (es_admin or documento.empresa_id == g.empresa_id):
            abort(404)
        return respuesta_pdf(documento.sha256, documento.nombre_archivo)


MENU_REGISTRAR = "Registrar una empresa"


def register(appbuilder) -> None:
    appbuilder.add_view_no_menu(RegistroEmpresaView())
    # In the menu too, not only on the home page (INM guide §4.1): a person may register more than one company.
    appbuilder.add_link(MENU_REGISTRAR, href="/empresas/registrar/", icon="fa-building")
    appbuilder.add_view_no_menu(DocumentoEmpresaView())
    VISTAS.registrar("empresa.ver", ("can_descargar", "DocumentoEmpresaView"))  # leaf → FAB pair, at registration
