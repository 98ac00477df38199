"""The catalog of trámites in seed/data/catalogo/ (issue 12 §1): every file parses, keeps the agreed format, its
references resolve, and the codes and vigencias the seeds state are the ones transcribed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

CATALOGO = Path(__file__).resolve().parents[2] / "seed" / "data" / "catalogo"

TIPOS = {
    "registro",
    "notificacion",
    "renovacion",
    "modificacion",
    "certificado",
    "autorizacion",
    "desglose",
    "cancelacion",
    "agotamiento",
    "comunicacion",
    "otro",
}
SATISFACE = {"documento", "dato", "declaracion", "interno"}
ORIGENES = {"Nacional", "Importado"}
# Seven of the tarifas for the registro de plaguicida have five digits as 002 writes them (90093, 91127, …).
TARIFA = re.compile(r"^\d{4,5}(-\d{1,2})?$")

# The only trámites the seeds offer free of charge, each with an explicit `tarifa = []`: 002 §3.6 calls the
# cancelación of a plaguicida «un trámite gratuito», and 004 says the bank transaction «No aplica para desgloses ni
# cancelaciones».
# The OEC communication of the INM: 003 names no payment.
SIN_TARIFA = {"pld-cancelacion", "plsp-cancelacion", "pld-desglose", "plsp-desglose", "inm-oec"}

CLAVES_FAMILIA = {
    "codigo": str,
    "nombre": str,
    "fuente": str,
    "agotamiento_prorrogas": int,
    "agotamiento_tramite": str,
    "agotamiento_nota": str,
}
OPCIONALES_FAMILIA = {"agotamiento_meses": int, "formato_registro": str, "clase_registro": str}
CLAVES_MODALIDAD = {"codigo": str, "nombre": str, "origen": str, "fuente": str}
CLAVES_TRAMITE = {
    "codigo": str,
    "familia": str,
    "nombre": str,
    "tipo": str,
    "seccion": str,
    "fuente": str,
    "descripcion": str,
    "persona_natural": bool,
    "modalidades": list,
}
OPCIONALES_TRAMITE = {
    "vigencia_anios": int,
    "renovacion": str,
    "renueva": str,
    "renovacion_desde_meses": int,
    "renovacion_hasta_meses": int,
    "espera_tras_vencimiento_meses": int,
    "requiere_responsable_tecnico": bool,
    "una_vez_por_titular": bool,
    "tarifa": list,
    "tipo_modificacion": list,
    "requisito": list,
    "termino_decision_dias": int,
}
CLAVES_TARIFA = {"codigo": str, "variante": str}
CLAVES_TIPO_MODIFICACION = {"codigo": str, "nombre": str, "tarifa": str, "fuente": str}
CLAVES_REQUISITO = {
    "codigo": str,
    "nombre": str,
    "satisface": str,
    "modalidades": list,
    "obligatorio": bool,
    "fuente": str,
}
OPCIONALES_REQUISITO = {"nota": str, "variantes": list, "parte": str}


def _leer(nombre: str) -> dict:
    with (CATALOGO / nombre).open("rb") as archivo:
        return tomllib.load(archivo)


def _archivos_de_tramites() -> list[Path]:
    return sorted(CATALOGO.glob("tramites_*.toml"))


FAMILIAS = {f["codigo"]: f for f in _leer("familias.toml")["familia"]}
MODALIDADES = {m["codigo"]: m for m in _leer("modalidades.toml")["modalidad"]}
TRAMITES_POR_ARCHIVO = {ruta.name: _leer(ruta.name)["tramite"] for ruta in _archivos_de_tramites()}
TRAMITES = [t for lista in TRAMITES_POR_ARCHIVO.values() for t in lista]
POR_CODIGO = {t["codigo"]: t for t in TRAMITES}


def _errores_de_forma(fila: dict, requeridas: dict, opcionales: dict, donde: str) -> list[str]:
    errores = []
    for clave, tipo in requeridas.items():
        if clave not in fila:
            errores.append(f"{donde}: falta «{clave}»")
        elif type(fila[clave]) is not tipo:
            errores.append(f"{donde}: «{clave}» debe ser {tipo.__name__}")
    for clave, tipo in opcionales.items():
        if clave in fila and type(fila[clave]) is not tipo:
            errores.append(f"{donde}: «{clave}» debe ser {tipo.__name__}")
    for clave in fila.keys() - requeridas.keys() - opcionales.keys():
        errores.append(f"{donde}: clave desconocida «{clave}»")
    for clave in ("fuente", "nombre", "codigo"):
        if clave in requeridas and isinstance(fila.get(clave), str) and not fila[clave].strip():
            errores.append(f"{donde}: «{clave}» vacío")
    return errores


def _tarifas(tramite: dict) -> list[str]:
    return [t["codigo"] for t in tramite.get("tarifa", [])]


def test_hay_un_archivo_de_tramites_por_familia_y_cada_uno_lleva_solo_los_suyos():
    assert {f"tramites_{codigo}.toml" for codigo in FAMILIAS} == set(TRAMITES_POR_ARCHIVO)
    for archivo, tramites in TRAMITES_POR_ARCHIVO.items():
        assert tramites, archivo
        assert {t["familia"] for t in tramites} == {archivo.removeprefix("tramites_").removesuffix(".toml")}


def test_familias_tienen_el_formato_acordado():
    errores = []
    for codigo, familia in FAMILIAS.items():
        errores += _errores_de_forma(familia, CLAVES_FAMILIA, OPCIONALES_FAMILIA, f"familia {codigo}")
        if familia.get("agotamiento_tramite") and familia["agotamiento_tramite"] not in POR_CODIGO:
            errores.append(f"familia {codigo}: agotamiento_tramite «{familia['agotamiento_tramite']}» no existe")
    assert errores == []
    assert set(FAMILIAS) == {
        "cosmeticos",
        "higiene",
        "plaguicidas_domesticos",
        "plaguicidas_salud_publica",
        "sin_registro",
        "inm",
    }


def test_modalidades_tienen_el_formato_acordado():
    errores = []
    for codigo, modalidad in MODALIDADES.items():
        errores += _errores_de_forma(modalidad, CLAVES_MODALIDAD, {}, f"modalidad {codigo}")
        if modalidad.get("origen") not in ORIGENES:
            errores.append(f"modalidad {codigo}: origen «{modalidad.get('origen')}»")
    assert errores == []
    assert {codigo: m["origen"] for codigo, m in MODALIDADES.items()} == {
        "fabricar_vender": "Nacional",
        "fabricar_exportar": "Nacional",
        "semielaborar_exportar": "Nacional",
        "importar_vender": "Importado",
        "importar_envasar_vender": "Importado",
        "importar_semielaborar_vender": "Importado",
    }


def test_codigos_de_tramite_son_unicos_en_todos_los_archivos():
    codigos = [t["codigo"] for t in TRAMITES]
    assert len(codigos) == len(set(codigos)), sorted(c for c in codigos if codigos.count(c) > 1)


def test_cada_tramite_tiene_el_formato_acordado():
    errores = []
    for t in TRAMITES:
        donde = f"trámite {t.get('codigo')}"
        errores += _errores_de_forma(t, CLAVES_TRAMITE, OPCIONALES_TRAMITE, donde)
        if t.get("tipo") not in TIPOS:
            errores.append(f"{donde}: tipo «{t.get('tipo')}»")
        if t.get("familia") not in FAMILIAS:
            errores.append(f"{donde}: familia «{t.get('familia')}» no existe")
        for clave in ("seccion", "descripcion"):
            if not str(t.get(clave, "")).strip():
                errores.append(f"{donde}: «{clave}» vacío")
        desconocidas = set(t.get("modalidades", [])) - MODALIDADES.keys()
        if desconocidas:
            errores.append(f"{donde}: modalidades desconocidas {sorted(desconocidas)}")
        if len(set(t.get("modalidades", []))) != len(t.get("modalidades", [])):
            errores.append(f"{donde}: modalidad repetida")
    assert errores == []


def test_cada_tramite_tiene_tarifa_salvo_los_gratuitos_que_lo_dicen():
    errores = []
    for t in TRAMITES:
        donde = f"trámite {t['codigo']}"
        if t["codigo"] in SIN_TARIFA:
            if t.get("tarifa") != []:
                errores.append(f"{donde}: debe declarar tarifa = [] explícitamente")
            continue
        tarifas = t.get("tarifa", [])
        if not tarifas:
            errores.append(f"{donde}: sin tarifa")
        for tarifa in tarifas:
            errores += _errores_de_forma(tarifa, CLAVES_TARIFA, {}, f"{donde}, tarifa")
            if not TARIFA.match(tarifa.get("codigo", "")):
                errores.append(f"{donde}: código de tarifa «{tarifa.get('codigo')}»")
            if len(tarifas) > 1 and not tarifa.get("variante"):
                errores.append(f"{donde}: tarifa {tarifa.get('codigo')} sin variante entre varias")
        if len(tarifas) == 1 and tarifas[0].get("variante"):
            errores.append(f"{donde}: una sola tarifa debe llevar variante vacía")
        codigos = _tarifas(t)
        if len(codigos) != len(set(codigos)):
            errores.append(f"{donde}: tarifa repetida")
    assert errores == []


def test_tipos_de_modificacion_solo_en_modificaciones_y_con_una_tarifa_del_tramite():
    errores = []
    for t in TRAMITES:
        tipos = t.get("tipo_modificacion", [])
        donde = f"trámite {t['codigo']}"
        if tipos and t["tipo"] != "modificacion":
            errores.append(f"{donde}: tipo_modificacion en un trámite de tipo {t['tipo']}")
        for tipo in tipos:
            errores += _errores_de_forma(tipo, CLAVES_TIPO_MODIFICACION, {}, f"{donde}, tipo_modificacion")
            if tipo.get("tarifa") not in _tarifas(t):
                errores.append(f"{donde}: tipo {tipo.get('codigo')} con tarifa ajena «{tipo.get('tarifa')}»")
        codigos = [tipo.get("codigo") for tipo in tipos]
        if len(codigos) != len(set(codigos)):
            errores.append(f"{donde}: tipo de modificación repetido")
    assert errores == []


def test_cada_requisito_dice_que_lo_satisface_y_para_que_modalidades():
    errores = []
    for t in TRAMITES:
        donde = f"trámite {t['codigo']}"
        requisitos = t.get("requisito", [])
        if not requisitos:
            errores.append(f"{donde}: sin requisitos")
        codigos = [r.get("codigo") for r in requisitos]
        if len(codigos) != len(set(codigos)):
            errores.append(f"{donde}: requisito repetido {sorted(c for c in codigos if codigos.count(c) > 1)}")
        for r in requisitos:
            en = f"{donde}, requisito {r.get('codigo')}"
            errores += _errores_de_forma(r, CLAVES_REQUISITO, OPCIONALES_REQUISITO, en)
            if r.get("satisface") not in SATISFACE:
                errores.append(f"{en}: satisface «{r.get('satisface')}»")
            ajenas = set(r.get("modalidades", [])) - set(t["modalidades"])
            if ajenas:
                errores.append(f"{en}: modalidades que el trámite no acepta {sorted(ajenas)}")
            variantes = {tarifa.get("variante") for tarifa in t.get("tarifa", []) if tarifa.get("variante")}
            if set(r.get("variantes", [])) - variantes:
                errores.append(f"{en}: variantes que la tarifa del trámite no tiene {r.get('variantes')}")
    assert errores == []


def test_el_oficio_de_observaciones_es_solo_del_cvl_con_observaciones():
    for codigo in ("cos-cvl", "hig-cvl", "pld-cvl"):
        (tramite,) = [t for t in TRAMITES if t["codigo"] == codigo]
        (oficio,) = [r for r in tramite["requisito"] if r["codigo"] == "oficio_observaciones"]
        assert oficio["variantes"] == ["Certificado con observaciones"] and oficio["obligatorio"] is True, codigo


def test_vigencia_y_renovacion_solo_donde_el_registro_vence():
    errores = []
    for t in TRAMITES:
        donde = f"trámite {t['codigo']}"
        if "vigencia_anios" in t and t["vigencia_anios"] <= 0:
            errores.append(f"{donde}: vigencia_anios no positiva")
        if "renovacion" in t and "vigencia_anios" not in t:
            errores.append(f"{donde}: ventana de renovación sin vigencia")
        if t["tipo"] == "renovacion":
            renovado = POR_CODIGO.get(t.get("renueva", ""))
            if renovado is None:
                errores.append(f"{donde}: renueva «{t.get('renueva')}» no existe")
            elif "vigencia_anios" not in renovado or renovado["familia"] != t["familia"]:
                errores.append(f"{donde}: renueva un trámite sin vigencia o de otra familia")
        elif "renueva" in t:
            errores.append(f"{donde}: «renueva» en un trámite que no es renovación")
    assert errores == []


@pytest.mark.parametrize(
    ("codigo", "tarifas", "vigencia"),
    [
        ("cos-nso", ["1027"], 7),
        ("cos-nso-renovacion", ["1029"], 7),
        ("cos-importador-paralelo", ["1030"], None),
        ("hig-nso", ["3010"], 7),
        ("pld-registro", ["3006", "90093", "91127", "91128", "91129", "92127", "92128", "92129"], 10),
        ("plsp-registro", ["3006", "90093", "91127", "91128", "91129", "92127", "92128", "92129"], None),
        ("pld-modificacion", ["4001"], None),
        ("pld-publicidad", ["4004-1"], None),
        ("pld-exclusion-iva", ["4045"], None),
        ("sin-no-obligatoriedad", ["4002-3"], None),
    ],
)
def test_tarifas_y_vigencias_que_los_seeds_escriben(codigo, tarifas, vigencia):
    tramite = POR_CODIGO[codigo]
    assert _tarifas(tramite) == tarifas
    assert tramite.get("vigencia_anios") == vigencia


def test_la_renovacion_de_la_nso_cosmetica_renueva_la_nso():
    assert POR_CODIGO["cos-nso-renovacion"]["renueva"] == "cos-nso"
    assert POR_CODIGO["pld-renovacion"]["renueva"] == "pld-registro"


def test_modificaciones_de_nso_por_cambio_legal_tecnico_y_tecnico_legal():
    for codigo in ("cos-modificacion", "hig-modificacion"):
        tipos = {t["nombre"]: t["tarifa"] for t in POR_CODIGO[codigo]["tipo_modificacion"]}
        assert tipos == {"Cambio legal": "4001-21", "Cambio técnico": "4001-22", "Cambio técnico-legal": "4001-23"}


def test_cvl_con_dos_variantes_y_los_de_salud_publica_con_4002_3():
    for codigo in ("cos-cvl", "hig-cvl", "pld-cvl"):
        assert {t["variante"]: t["codigo"] for t in POR_CODIGO[codigo]["tarifa"]} == {
            "Certificado con observaciones": "4002-2",
            "CVL automático con firma digital": "4002-4",
        }
    assert _tarifas(POR_CODIGO["plsp-cvl"]) == ["4002-3"]


def test_agotamiento_de_existencias_difiere_por_familia_como_en_002():
    assert (FAMILIAS["cosmeticos"]["agotamiento_meses"], FAMILIAS["cosmeticos"]["agotamiento_prorrogas"]) == (12, 0)
    assert (FAMILIAS["higiene"]["agotamiento_meses"], FAMILIAS["higiene"]["agotamiento_prorrogas"]) == (12, 1)
    assert FAMILIAS["cosmeticos"]["agotamiento_tramite"] == FAMILIAS["higiene"]["agotamiento_tramite"] == ""
    for familia in ("plaguicidas_domesticos", "plaguicidas_salud_publica"):
        tramite = POR_CODIGO[FAMILIAS[familia]["agotamiento_tramite"]]
        assert (tramite["familia"], tramite["tipo"], _tarifas(tramite)) == (familia, "agotamiento", ["4002-5"])


def test_registro_de_salud_publica_no_vence_ni_se_renueva():
    assert "vigencia_anios" not in POR_CODIGO["plsp-registro"]
    assert not [t for t in TRAMITES if t["familia"] == "plaguicidas_salud_publica" and t["tipo"] == "renovacion"]


def test_cada_tipo_de_fm003_esta_en_las_dos_familias_de_plaguicidas():
    for prefijo in ("pld", "plsp"):
        tipos = {t["tipo"] for t in TRAMITES if t["codigo"].startswith(f"{prefijo}-")}
        assert {"registro", "modificacion", "certificado", "agotamiento", "desglose", "cancelacion"} <= tipos
    assert POR_CODIGO["pld-renovacion"]["tipo"] == "renovacion"


def test_los_formatos_de_registro_dan_numeros_distintos_por_familia():
    """The number format of what an approval grants (familias.toml, issue 13 §4): {numero}, {anio}, {aa} only."""
    formatos = {c: f["formato_registro"] for c, f in FAMILIAS.items() if f.get("formato_registro")}
    assert set(formatos) == {"cosmeticos", "higiene", "plaguicidas_domesticos", "plaguicidas_salud_publica"}
    ejemplos = {c: f.format(numero=12, anio=2026, aa="26") for c, f in formatos.items()}
    assert ejemplos["cosmeticos"] == "NSOC00012-26CO" and ejemplos["plaguicidas_domesticos"] == "PUD2026-000012"
    assert len(set(ejemplos.values())) == len(ejemplos)
    assert all(FAMILIAS[c].get("clase_registro") for c in formatos)


def test_las_partes_legales_son_requisitos_del_catalogo():
    """revision.toml names only requisito codes the trámite files use (a typo would silently make one técnico)."""
    revision = _leer("revision.toml")
    codigos = {r["codigo"] for t in TRAMITES for r in t.get("requisito", [])}
    assert set(revision["partes"]["legales"]) <= codigos
    familias = [f for g in revision["grupo"] for f in g["familias"]]
    assert sorted(familias) == sorted(FAMILIAS) and len(familias) == len(set(familias))
