"""Domain models. Importing this package registers every table on flask_appbuilder.Model.metadata."""

from app.models import (  # noqa: F401
    actos,
    auditoria,
    captcha,
    catalogo,
    correo,
    empresas,
    expedientes,
    funcionarios,
    personas,
    recursos,
    referencias,
    registros,
    requerimientos,
    revision,
    verificacion,
)
