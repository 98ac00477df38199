"""The company permission tree (circular 1000-011-2025: "permisos asignados mediante un árbol jerárquico de
funcionalidades") and how each leaf maps to FAB permissions, so generated screens and the REST API honour it.

Leaves are stored on rol_empresa_permiso as codes such as "usuarios.invitar". `VISTAS` is filled by the views
that implement each leaf (FAB class permission names and permission names); a leaf without views yet grants
nothing in FAB but is still checked by the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rama:
    codigo: str
    nombre: str
    hojas: tuple[tuple[str, str], ...]  # (código de la hoja, nombre)


ARBOL: tuple[Rama, ...] = (
    Rama(
        "expedientes",
        "Expedientes",
        (
            ("expedientes.ver", "Ver"),
            ("expedientes.borradores", "Crear y editar borradores"),
            ("expedientes.radicar", "Radicar"),
            ("expedientes.requerimientos", "Responder requerimientos"),
        ),
    ),
    Rama("pagos", "Pagos", (("pagos.ver", "Ver"), ("pagos.registrar", "Registrar"))),
    Rama(
        "usuarios",
        "Usuarios",
        (
            ("usuarios.ver", "Ver"),
            ("usuarios.invitar", "Invitar"),
            ("usuarios.cambiar_roles", "Cambiar roles"),
            ("usuarios.inactivar", "Inactivar"),
            ("usuarios.eliminar", "Eliminar"),
        ),
    ),
    Rama(
        "roles",
        "Roles",
        (("roles.ver", "Ver"), ("roles.crear", "Crear"), ("roles.editar", "Editar"), ("roles.eliminar", "Eliminar")),
    ),
    Rama("auditoria", "Auditoría", (("auditoria.ver", "Ver"),)),
    Rama("empresa", "Empresa", (("empresa.ver", "Ver"), ("empresa.editar", "Editar"))),
)

HOJAS: frozenset[str] = frozenset(codigo for rama in ARBOL for codigo, _ in rama.hojas)
NOMBRES: dict[str, str] = {codigo: f"{rama.nombre} → {nombre}" for rama in ARBOL for codigo, nombre in rama.hojas}

# Predefined roles: fixed permissions nobody can edit.
PERMISOS_ADMINISTRADOR: frozenset[str] = HOJAS
PERMISOS_FINANCIERO: frozenset[str] = frozenset({"pagos.ver", "pagos.registrar", "expedientes.ver", "empresa.ver"})


@dataclass
class Vistas:
    """leaf code → FAB (permission_name, view_menu_name) pairs, registered by the views."""

    pares: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    # Views and menus of the titular's (expedientes): a persona natural uses them through the platform role
    # «Usuario»; acting as a company, only the company's leaves open them (app/security/manager.py).
    de_titular: set[str] = field(default_factory=set)
    # Views and menus of Invima's back office: staff never act as a company, so acting as one closes them.
    de_funcionario: set[str] = field(default_factory=set)

    def registrar(self, hoja: str, *pares: tuple[str, str]) -> None:
        if hoja not in HOJAS:
            raise ValueError(f"Hoja desconocida del árbol de permisos: {hoja}")
        self.pares.setdefault(hoja, set()).update(pares)

    def registrar_de_titular(self, *nombres: str) -> None:
        self.de_titular.update(nombres)

    def registrar_de_funcionario(self, *nombres: str) -> None:
        self.de_funcionario.update(nombres)

    def de(self, hojas) -> frozenset[tuple[str, str]]:
        return frozenset(par for hoja in hojas for par in self.pares.get(hoja, ()))


VISTAS = Vistas()


def expandir(seleccion) -> frozenset[str]:
    """Checking a branch checks its leaves: turn a selection of branch and leaf codes into leaf codes.

    Unknown codes are ignored here; `validar` reports them.
    """
    hojas = set()
    ramas = {rama.codigo: rama for rama in ARBOL}
    for codigo in seleccion or ():
        if codigo in ramas:
            hojas.update(h for h, _ in ramas[codigo].hojas)
        elif codigo in HOJAS:
            hojas.add(codigo)
    return frozenset(hojas)


def desconocidos(seleccion) -> list[str]:
    ramas = {rama.codigo for rama in ARBOL}
    return [c for c in seleccion or () if c not in HOJAS and c not in ramas]
