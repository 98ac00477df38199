"""REST API for the company one acts as: roles and users (issue 4 §6).

Same rules and permissions as the screens: every endpoint is a FAB permission mapped from a leaf of the company
permission tree (app/security/arbol_permisos.VISTAS), writes go through the same services, and the tenant filter
makes another company's ids answer 404. Authentication is the browser session (allow_browser_login); writes need
the CSRF token in the X-CSRFToken header, as any form does. The company is the one chosen with "Ingresar como".
"""

from __future__ import annotations

import yaml
from flask import Blueprint, current_app, g, redirect, request
from flask_appbuilder.api import BaseApi, expose, safe
from flask_appbuilder.security.decorators import protect
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from app.extensions import csrf, db
from app.security.autorizacion import ApiDeEmpresa, registrar_hojas
from app.services.empresas import membresias
from app.services.empresas import roles as roles_empresa
from app.services.errores import ErrorDominio, ErroresValidacion
from app.web.transaccion import respuesta_de_error, unidad_de_trabajo

VERBOS_HTTP = ("GET", "HEAD", "POST", "PUT", "DELETE")
_PK = {"in": "path", "name": "pk", "schema": {"type": "integer"}, "required": True}
_IDS = {"type": "array", "items": {"type": "integer"}}


def documentar(
    verbo: str,
    resumen: str,
    ok: tuple[int, str],
    *,
    pk=False,
    cuerpo=None,
    consulta=(),
    errores=(400, 404),
    resultado: str | None = None,
):
    """OpenAPI for an endpoint, written as the YAML docstring FAB's spec generator reads (after "---").

    Goes right above the `def` (under @expose/@protect/@safe), so the wrappers copy the finished docstring.
    `cuerpo`: JSON object properties; `consulta`: (name, schema) query parameters; `errores`: shared responses;
    `resultado`: the marshmallow schema of the answer's «result» (a component), «[Nombre]» for a list of them.
    """

    def decorador(funcion):
        operacion: dict = {"summary": resumen}
        parametros = ([_PK] if pk else []) + [{"in": "query", "name": n, "schema": e} for n, e in consulta]
        if parametros:
            operacion["parameters"] = parametros
        if cuerpo:
            esquema = {"type": "object", "properties": cuerpo}
            operacion["requestBody"] = {"required": True, "content": {"application/json": {"schema": esquema}}}
        respuestas = {ok[0]: {"description": ok[1]}}
        if resultado:
            ref = {"$ref": f"#/components/schemas/{resultado.strip('[]')}"}
            esquema = {"type": "array", "items": ref} if resultado.startswith("[") else ref
            contenido = {"schema": {"type": "object", "properties": {"result": esquema}}}
            respuestas[ok[0]]["content"] = {"application/json": contenido}
        respuestas.update({c: {"$ref": f"#/components/responses/{401 if c == 403 else c}"} for c in errores})
        operacion["responses"] = respuestas
        primera = (funcion.__doc__ or funcion.__name__).strip().splitlines()[0]
        funcion.__doc__ = f"{primera}\n---\n" + yaml.safe_dump({verbo: operacion}, allow_unicode=True, sort_keys=False)
        return funcion

    return decorador


def punto(verbo: str, url: str, resumen: str, ok: tuple[int, str], **documentacion):
    """An endpoint of this API: FAB's route (`expose`), its permission check (`protect`), `safe` and the OpenAPI of
    `documentar` (same arguments; the path parameter when the URL has one), in the order FAB needs — none left out."""

    def decorador(funcion):
        documentada = documentar(verbo, resumen, ok, pk="<int:pk>" in url, **documentacion)(funcion)
        return expose(url, methods=[verbo.upper()])(protect()(safe(documentada)))

    return decorador


_CUERPO_ROL = {
    "nombre": {"type": "string"},
    "descripcion": {"type": "string"},
    "activo": {"type": "boolean"},
    "permisos": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Códigos de ramas u hojas del árbol, p. ej. usuarios o usuarios.ver",
    },
}
_CUERPO_INVITAR = {
    "tipo_identificacion_id": {"type": "integer"},
    "numero_identificacion": {"type": "string"},
    "roles": _IDS,
}
_CONSULTA_USUARIOS = (
    ("q", {"type": "string"}),
    ("estado", {"type": "string", "enum": ["Pendiente", "Aceptado", "Inactivo"]}),
    ("pagina", {"type": "integer", "minimum": 1}),
)
MSG_JSON = "El cuerpo de la solicitud debe ser un objeto JSON."
MSG_PERMISOS = "Los permisos deben ser una lista de códigos del árbol."
MSG_ACTIVO = "«activo» debe ser true o false (sin comillas)."


def _texto(campo: str) -> fields.String:
    return fields.String(load_default="", allow_none=True, error_messages={"invalid": f"«{campo}» debe ser un texto."})


class CuerpoRolSchema(Schema):
    """A role's body as the API takes it, JSON types as documented (`_CUERPO_ROL`): a list or an object where a text
    goes, or "true" where a boolean goes, is refused, never stored as its Python spelling or read as false."""

    class Meta:
        unknown = EXCLUDE

    nombre = _texto("nombre")
    descripcion = _texto("descripcion")
    activo = fields.Boolean(
        truthy={True}, falsy={False}, load_default=True, error_messages={"invalid": MSG_ACTIVO, "null": MSG_ACTIVO}
    )
    permisos = fields.List(
        fields.String(error_messages={"invalid": MSG_PERMISOS}),
        load_default=list,
        allow_none=True,
        error_messages={"invalid": MSG_PERMISOS},
    )


CUERPO_ROL = CuerpoRolSchema()


def _cargar(esquema: Schema, cuerpo: dict) -> dict:
    """The body under `esquema`, or ErroresValidacion with one list of Spanish messages per field."""
    try:
        return esquema.load(cuerpo)
    except ValidationError as error:
        planos = {
            campo: sorted({m for ms in mensajes.values() for m in ms}) if isinstance(mensajes, dict) else mensajes
            for campo, mensajes in error.messages.items()
        }
        raise ErroresValidacion(planos) from None


class RolEmpresaSchema(Schema):
    """A role as the API answers it: `roles_empresa.FilaRol` (the role, its leaves and its active users)."""

    id = fields.Integer(attribute="rol.id")
    nombre = fields.String(attribute="rol.nombre")
    descripcion = fields.String(attribute="rol.descripcion", allow_none=True)
    activo = fields.Boolean(attribute="rol.activo")
    predefinido = fields.Boolean(attribute="rol.predefinido")
    permisos = fields.Function(lambda fila: sorted(fila.permisos), metadata={"type": "array"})
    usuarios_activos = fields.Integer()


def _de(objeto, atributo: str):
    return None if objeto is None else getattr(objeto, atributo)


class RolAsignadoSchema(Schema):
    id = fields.Integer()
    nombre = fields.String()


class UsuarioEmpresaSchema(Schema):
    """A user (or invitation) of the company: the membership, the account's names and the visible state."""

    id = fields.Integer()
    # A pending invitation may have no account yet: those fields are null, never left out.
    tipo_identificacion = fields.Function(lambda m: _de(m.tipo_identificacion, "nombre"), metadata={"type": "string"})
    numero_identificacion = fields.String()
    nombres = fields.Function(lambda m: _de(m.usuario, "first_name"), metadata={"type": "string"})
    apellidos = fields.Function(lambda m: _de(m.usuario, "last_name"), metadata={"type": "string"})
    correo = fields.Function(lambda m: _de(m.usuario, "email"), metadata={"type": "string"})
    estado = fields.Function(membresias.estado_visible)
    es_representante_legal = fields.Boolean()
    roles = fields.List(fields.Nested(RolAsignadoSchema))


ROL = RolEmpresaSchema()
USUARIOS = UsuarioEmpresaSchema(many=True)


class _ApiEmpresa(ApiDeEmpresa, BaseApi):
    allow_browser_login = True
    csrf_exempt = False
    openapi_spec_tag = "Empresa"
    openapi_spec_component_schemas = (RolEmpresaSchema, UsuarioEmpresaSchema)

    def _cuerpo(self) -> dict:
        datos = request.get_json(silent=True)
        if not isinstance(datos, dict):
            raise ErrorDominio(MSG_JSON)
        return datos

    def _ejecutar(self, accion, codigo_ok: int = 200):
        """Run `accion` in one unit of work; domain errors become 400/404 JSON with the Spanish message."""
        try:
            with unidad_de_trabajo():
                resultado = accion()
        except ErrorDominio as error:
            status, mensaje = respuesta_de_error(error)
            return self.response(status, message=mensaje)
        return self.response(codigo_ok, **resultado) if resultado is not None else self.response(codigo_ok)

    def _sobre(self, servicio, pk: int):
        """`servicio` on the row `pk` of the acting company, by the person acting (with the IP): 200 without a body."""

        def accion() -> None:
            servicio(db.session, g.empresa_id, pk, g.user.id, ip=request.remote_addr)

        return self._ejecutar(accion)


class RolesEmpresaApi(_ApiEmpresa):
    resource_name = "empresa/roles"
    class_permission_name = "RolesEmpresaApi"
    method_permission_name = {
        "listar": "ver",
        "ver": "ver",
        "crear": "crear",
        "editar": "editar",
        "eliminar": "eliminar",
        "inactivar": "editar",
        "reactivar": "editar",
    }

    @punto(
        "get",
        "/",
        "Roles de la empresa (predefinidos y personalizados) con sus permisos",
        (200, "Lista de roles"),
        errores=(403,),
        resultado="[RolEmpresaSchema]",
    )
    def listar(self):
        """Roles of the company one acts as."""
        return self._ejecutar(lambda: {"result": ROL.dump(roles_empresa.listar(db.session, g.empresa_id), many=True)})

    @punto(
        "get",
        "/<int:pk>",
        "Un rol de la empresa",
        (200, "El rol"),
        errores=(404,),
        resultado="RolEmpresaSchema",
    )
    def ver(self, pk: int):
        """One role."""

        def accion():
            rol = roles_empresa.obtener(db.session, g.empresa_id, pk)
            fila = roles_empresa.FilaRol(
                rol, roles_empresa.permisos_de(db.session, rol.id), roles_empresa.usuarios_activos(db.session, rol.id)
            )
            return {"result": ROL.dump(fila)}

        return self._ejecutar(accion)

    def _datos(self, excepto_id=None) -> roles_empresa.DatosRol:
        cuerpo = _cargar(CUERPO_ROL, self._cuerpo())
        return roles_empresa.validar(
            db.session,
            g.empresa_id,
            cuerpo["nombre"] or "",
            cuerpo["descripcion"] or "",
            "activo" if cuerpo["activo"] else "inactivo",
            roles_empresa.resolver_seleccion(cuerpo["permisos"] or [], ()),
            excepto_id=excepto_id,
        )

    @punto("post", "/", "Crear un rol personalizado", (201, "Rol creado"), cuerpo=_CUERPO_ROL, errores=(400,))
    def crear(self):
        """Create a custom role."""

        def accion():
            rol = roles_empresa.crear(db.session, g.empresa_id, g.user.id, self._datos(), ip=request.remote_addr)
            return {"id": rol.id}

        return self._ejecutar(accion, 201)

    @punto(
        "put",
        "/<int:pk>",
        "Editar un rol personalizado (no asignado a usuarios activos)",
        (200, "Rol editado"),
        cuerpo=_CUERPO_ROL,
    )
    def editar(self, pk: int):
        """Edit a custom role that is not assigned to active users."""

        def accion():
            roles_empresa.exigir_libre(db.session, roles_empresa.obtener(db.session, g.empresa_id, pk))
            roles_empresa.editar(
                db.session, g.empresa_id, pk, g.user.id, self._datos(excepto_id=pk), ip=request.remote_addr
            )
            return {"id": pk}

        return self._ejecutar(accion)

    @punto(
        "delete",
        "/<int:pk>",
        "Eliminar un rol personalizado (no asignado a usuarios activos)",
        (200, "Rol eliminado"),
    )
    def eliminar(self, pk: int):
        """Delete a custom role that is not assigned to active users."""
        return self._sobre(roles_empresa.eliminar, pk)

    @punto(
        "post",
        "/<int:pk>/inactivar",
        "Inactivar un rol personalizado (también si está asignado: deja de otorgar sus permisos)",
        (200, "Rol inactivado"),
        errores=(400, 404),
    )
    def inactivar(self, pk: int):
        """Pause a custom role: its holders keep it but get none of its permissions until it is reactivated."""
        return self._sobre(roles_empresa.inactivar, pk)

    @punto("post", "/<int:pk>/reactivar", "Reactivar un rol personalizado", (200, "Rol reactivado"), errores=(400, 404))
    def reactivar(self, pk: int):
        """Resume an inactive custom role."""
        return self._sobre(roles_empresa.reactivar, pk)


class UsuariosEmpresaApi(_ApiEmpresa):
    resource_name = "empresa/usuarios"
    class_permission_name = "UsuariosEmpresaApi"
    method_permission_name = {
        "listar": "ver",
        "invitar": "invitar",
        "cambiar_roles": "cambiar_roles",
        "inactivar": "inactivar",
        "reactivar": "inactivar",
        "eliminar": "eliminar",
    }

    @punto(
        "get",
        "/",
        "Usuarios e invitaciones de la empresa (búsqueda y paginación)",
        (200, "Una página de usuarios"),
        consulta=_CONSULTA_USUARIOS,
        errores=(),
        resultado="[UsuarioEmpresaSchema]",
    )
    def listar(self):
        """Users and invitations of the company, 20 per page."""

        def accion():
            try:
                pagina = int(request.args.get("pagina", "1"))
            except ValueError:
                raise ErrorDominio("El parámetro «pagina» debe ser un número.") from None
            filtro = membresias.Filtro(
                texto=(request.args.get("q") or "")[:80], estado=(request.args.get("estado") or "")[:20]
            )
            resultado = membresias.buscar(db.session, g.empresa_id, filtro, pagina)
            return {
                "result": USUARIOS.dump(resultado.filas),
                "count": resultado.total,
                "pagina": resultado.pagina,
                "paginas": resultado.paginas,
            }

        return self._ejecutar(accion)

    @punto(
        "post",
        "/",
        "Invitar a una persona por tipo y número de identificación",
        (201, "Invitación creada"),
        cuerpo=_CUERPO_INVITAR,
        errores=(400,),
    )
    def invitar(self):
        """Invite a person by identification."""

        def accion():
            cuerpo = self._cuerpo()
            membresia = membresias.invitar(
                db.session,
                g.empresa_id,
                g.user.id,
                cuerpo.get("tipo_identificacion_id"),
                str(cuerpo.get("numero_identificacion") or ""),
                cuerpo.get("roles") or [],
                ip=request.remote_addr,
            )
            return {"id": membresia.id}

        return self._ejecutar(accion, 201)

    @punto(
        "put",
        "/<int:pk>/roles",
        "Cambiar los roles de un usuario de la empresa",
        (200, "Roles cambiados"),
        cuerpo={"roles": _IDS},
    )
    def cambiar_roles(self, pk: int):
        """Replace a user's roles."""

        def accion():
            roles = self._cuerpo().get("roles") or []
            membresias.cambiar_roles(db.session, g.empresa_id, pk, g.user.id, roles, ip=request.remote_addr)
            return {"id": pk}

        return self._ejecutar(accion)

    @punto("post", "/<int:pk>/inactivar", "Inactivar un usuario de la empresa", (200, "Usuario inactivado"))
    def inactivar(self, pk: int):
        """Inactivate a user (never the representante legal or the last administrator)."""
        return self._sobre(membresias.inactivar, pk)

    @punto(
        "post",
        "/<int:pk>/reactivar",
        "Reactivar un usuario de la empresa",
        (200, "Usuario reactivado"),
        errores=(404,),
    )
    def reactivar(self, pk: int):
        """Reactivate an inactive user."""
        return self._sobre(membresias.reactivar, pk)

    @punto("delete", "/<int:pk>", "Eliminar un usuario o invitación de la empresa", (200, "Eliminado"))
    def eliminar(self, pk: int):
        """Delete a user or invitation (never the representante legal or the last administrator)."""
        return self._sobre(membresias.eliminar, pk)


# The users' API was /api/v1/empresa/miembros/ until the product said «usuarios» everywhere: old links and clients
# are sent to the same place under the new address (301; 308 for writes, so the method and body are kept).
ANTIGUA = Blueprint("api_empresa_miembros", __name__)


@ANTIGUA.route("/api/v1/empresa/miembros/", defaults={"resto": ""}, methods=list(VERBOS_HTTP))
@ANTIGUA.route("/api/v1/empresa/miembros/<path:resto>", methods=list(VERBOS_HTTP))
def direccion_antigua(resto: str):
    destino = "/api/v1/empresa/usuarios/" + resto
    if request.query_string:
        destino += "?" + request.query_string.decode("latin-1")
    return redirect(destino, 301 if request.method in ("GET", "HEAD") else 308)


def register(appbuilder) -> None:
    appbuilder.add_api(RolesEmpresaApi)
    appbuilder.add_api(UsuariosEmpresaApi)
    csrf.exempt(ANTIGUA)  # it only redirects: the new address checks the token
    current_app.register_blueprint(ANTIGUA)
    # Leaves → FAB pairs of each API (the permission names are the method_permission_name values).
    registrar_hojas(RolesEmpresaApi, *((f"roles.{p}", p) for p in ("ver", "crear", "editar", "eliminar")))
    registrar_hojas(
        UsuariosEmpresaApi,
        *((f"usuarios.{p}", p) for p in ("ver", "invitar", "cambiar_roles", "inactivar", "eliminar")),
    )
