"""Invima's staff for tests: a user with a staff role (Coordinador, Revisor legal, Revisor técnico) who is a
funcionario of some grupos de revisión, logged in."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.extensions import db
from app.models.expedientes import Expediente
from app.models.funcionarios import Funcionario, GrupoRevision
from app.models.personas import Usuario
from app.models.revision import NO_CUMPLE, VerificacionRequisito, Vobo
from app.security.tenancy import todas_las_empresas
from app.services import constancia
from app.services.expedientes import borradores, radicacion
from app.services.expedientes.borradores import Titular
from app.services.fechas import en_bogota
from app.services.reloj import ahora
from tests.helpers import ClientePrueba, cliente_de
from tests.helpers_expedientes import borrador_listo

_codigos = itertools.count(1)
COSMETICOS = "cosmeticos_higiene"
PLAGUICIDAS = "plaguicidas"
TRAMITE = "pld-registro"  # plaguicidas de uso doméstico: grupo Plaguicidas, requisitos legales y técnicos


def crear_funcionario(rol: str, grupos=(COSMETICOS,), codigo: str | None = None, **datos):
    """A user with the platform role `rol` and a funcionario of the grupos (by código). Call inside an app context;
    commits. The Usuario."""
    from tests import factories

    usuario = factories.crear_usuario(roles=[rol], **datos)
    funcionario = Funcionario(
        usuario_id=usuario.id,
        codigo=codigo or f"F{next(_codigos):04d}",
        creado_en=ahora(),
        grupos=list(db.session.scalars(select(GrupoRevision).where(GrupoRevision.codigo.in_(grupos)))),
    )
    db.session.add(funcionario)
    db.session.commit()
    db.session.refresh(usuario)
    return usuario


def funcionario(app, rol: str, grupos=(COSMETICOS,), codigo: str | None = None, **datos) -> ClientePrueba:
    """crear_funcionario, logged in (as persona natural: staff act as nobody)."""
    with app.app_context():
        usuario = crear_funcionario(rol, grupos, codigo, **datos)
    return cliente_de(app, usuario)


def radicado(
    app,
    cliente,
    codigo: str = TRAMITE,
    documentos: int = 100,
    bajo_insistencia: str | None = None,
    autoriza_notificacion: bool = True,
    producto: dict | None = None,
) -> int:
    """A radicated expediente of the client's company (`.usuario.id`, `.empresa_id`), filed at service level with
    its PDFs (tests/helpers_expedientes.borrador_listo); without `autoriza_notificacion`, FM003's box unticked;
    `producto`, the trámite's own section instead of the helper's. Its id."""
    if bajo_insistencia is None and documentos < 100:
        bajo_insistencia = "Los demás documentos se allegan con la respuesta al requerimiento."
    with app.app_context(), todas_las_empresas():
        titular = Titular(empresa_id=cliente.empresa_id)
        expediente_id = borrador_listo(
            db.session, titular, cliente.usuario.id, codigo, app.config["DOCUMENTOS_DIR"], documentos, producto
        )
        if not autoriza_notificacion:
            expediente = db.session.get(Expediente, expediente_id)
            expediente.datos = {**expediente.datos, "notificacion": {"autoriza": "no"}}
        radicacion.radicar(
            db.session,
            expediente_id,
            db.session.get(Usuario, cliente.usuario.id),
            bajo_insistencia,
            firmante=constancia.firmante_de_app(app.config),
            config=app.config,
            url_verificacion=lambda numero, codigo=None: f"http://127.0.0.1/consulta/{numero}",
        )
        db.session.commit()
    return expediente_id


def verificar_todo(app, expediente_id: int, no_cumple: str | None = None, vobos=("legal", "tecnico")) -> None:
    """Every requisito not yet verified verified (one «No cumple» if asked) and the VoBos given, straight in the
    database (the verification screen has its own tests)."""
    with app.app_context(), todas_las_empresas():
        expediente = borradores.obtener(db.session, expediente_id)
        hechas = set(
            db.session.scalars(
                select(VerificacionRequisito.clave).where(VerificacionRequisito.expediente_id == expediente_id)
            )
        )
        for linea in borradores.checklist(expediente):
            clave = linea.requisito.codigo
            if clave in hechas:
                continue
            falla = clave == no_cumple
            db.session.add(
                VerificacionRequisito(
                    expediente_id=expediente_id,
                    clave=clave,
                    parte=linea.requisito.parte,
                    resultado=NO_CUMPLE if falla else "Cumple",
                    observacion="Falta la firma del representante legal." if falla else None,
                    en=ahora(),
                )
            )
        for parte in vobos:
            db.session.add(
                Vobo(
                    expediente_id=expediente_id,
                    parte=parte,
                    codigo="F0001",
                    fecha=en_bogota(ahora()).date(),
                    en=ahora(),
                )
            )
        db.session.commit()


def abrir_ultima_notificacion(app, cliente) -> str:
    """The titular opens the link of the last notification e-mail (the act is notified at that moment): the page."""
    import re

    from app.models.correo import MensajeCorreo

    with app.app_context(), todas_las_empresas():
        correo = db.session.scalar(
            select(MensajeCorreo).where(MensajeCorreo.plantilla == "notificacion").order_by(MensajeCorreo.id.desc())
        )
        enlace = re.search(r"/expedientes/notificaciones/[\w-]+", correo.cuerpo_texto).group(0)
    return cliente.get(enlace, follow_redirects=True).get_data(as_text=True)


def texto_del_acto(app, acto_id: int) -> str:
    """The act's PDF text on one line (the PDF breaks lines anywhere)."""
    from app.models.actos import ActoAdministrativo
    from app.services import documentos
    from tests.helpers_pdf import texto_pdf

    with app.app_context(), todas_las_empresas():
        acto = db.session.get(ActoAdministrativo, acto_id)
        return " ".join(texto_pdf(documentos.leer(app.config["DOCUMENTOS_DIR"], acto.sha256)).split())
