"""Domain models. Importing this package registers every table on flask_appbuilder.Model.metadata."""

from app.models import auditoria, captcha, correo, empresas, referencias, verificacion  # noqa: F401
from app.security import models as security_models  # noqa: F401
