"""Small catalogs of trámites for tests (the shape of seed/data/catalogo, see seed/data/catalogo/LEEME.md).

`catalogo_de_prueba(prefijo)` gives (familias, modalidades, trámites) whose codes all start with `prefijo`, so a test
that commits its catalog (a page test) never meets another test's."""

from __future__ import annotations

import copy

FAMILIAS = [
    {"codigo": "prueba_cos", "nombre": "Cosméticos de prueba", "fuente": "002 p. 1", "agotamiento_meses": 12},
    {"codigo": "prueba_pla", "nombre": "Plaguicidas de prueba", "fuente": "002 p. 40", "agotamiento_tramite": "x"},
]
MODALIDADES = [
    {"codigo": "prueba_fab", "nombre": "Fabricar y vender", "origen": "Nacional", "fuente": "004"},
    {"codigo": "prueba_imp", "nombre": "Importar y vender", "origen": "Importado", "fuente": "004"},
]
NSO = {
    "codigo": "prueba-nso",
    "familia": "prueba_cos",
    "nombre": "Notificación Sanitaria Obligatoria (NSO)",
    "tipo": "notificacion",
    "seccion": "1.1",
    "fuente": "002 §1.1",
    "vigencia_anios": 7,
    "persona_natural": True,
    "modalidades": ["prueba_fab", "prueba_imp"],
    "tarifa": [{"codigo": "1027", "variante": ""}],
    "requisito": [
        {"codigo": "formulario", "nombre": "Formulario único FNSOC-001", "satisface": "documento", "fuente": "002"},
        {
            "codigo": "cle",
            "nombre": "Certificado de venta libre del país de origen",
            "satisface": "documento",
            "modalidades": ["prueba_imp"],
            "fuente": "002",
            "nota": "Solo importados.",
        },
        {"codigo": "rues", "nombre": "Representación legal en el RUES", "satisface": "interno", "fuente": "002"},
    ],
}
CVL = {
    "codigo": "prueba-cvl",
    "familia": "prueba_pla",
    "nombre": "Certificado de venta libre (CVL)",
    "tipo": "certificado",
    "fuente": "002 §1.4.3",
    "modalidades": [],
    "tarifa": [
        {"codigo": "4002-2", "variante": "Certificado con observaciones"},
        {"codigo": "4002-4", "variante": "CVL automático con firma digital"},
    ],
    "requisito": [
        {"codigo": "pago", "nombre": "Comprobante de pago", "satisface": "documento", "fuente": "002"},
        {
            "codigo": "oficio",
            "nombre": "Oficio con las observaciones",
            "satisface": "documento",
            "variantes": ["Certificado con observaciones"],
            "fuente": "002",
        },
    ],
}


def catalogo_de_prueba(prefijo: str = "prueba") -> tuple[list[dict], list[dict], list[dict]]:
    def renombrar(codigo: str) -> str:
        return codigo.replace("prueba", prefijo, 1)

    # Another prefix, another name too: catalogs stay between tests, and two families of one name would be two
    # landmarks of one name on the Oferta de servicios (whichever order pytest-xdist runs the modules in).
    sufijo = "" if prefijo == "prueba" else f" ({prefijo})"
    familias = [dict(f, codigo=renombrar(f["codigo"]), nombre=f["nombre"] + sufijo) for f in FAMILIAS]
    modalidades = [dict(m, codigo=renombrar(m["codigo"])) for m in MODALIDADES]
    tramites = []
    for original in (NSO, CVL):
        t = copy.deepcopy(original)
        t["codigo"], t["familia"] = renombrar(t["codigo"]), renombrar(t["familia"])
        t["modalidades"] = [renombrar(c) for c in t["modalidades"]]
        for r in t["requisito"]:
            r["modalidades"] = [renombrar(c) for c in r.get("modalidades", [])]
        tramites.append(t)
    return familias, modalidades, tramites
