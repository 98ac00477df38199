"""Extension instances, created unbound and initialised in create_app()."""

from flask_appbuilder import AppBuilder
from flask_appbuilder.models.sqla.base import SQLA
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from app.correo.smtp import Mail  # Flask-Mail with MAIL_TIMEOUT and verified TLS

db = SQLA()
migrate = Migrate()
mail = Mail()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
appbuilder = AppBuilder()
