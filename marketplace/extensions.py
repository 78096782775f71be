"""Extensions, created unbound and bound to the app in create_app (nothing connects at import)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from marketplace.matching.engine import Search
from marketplace.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are declared on the views that need them (sign-in, password reset), not globally.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
search = Search()
