"""Domain models. Importing this package registers every table on flask_appbuilder.Model.metadata."""

from app.models import auditoria, captcha, catalogo, correo, empresas, personas, referencias, verificacion  # noqa: F401
