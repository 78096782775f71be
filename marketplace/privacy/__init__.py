"""Data rights: download what the product holds about you, ask for it to be deleted, and the
retention rule for criminal offence data (`flask privacy retention`)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

from marketplace.privacy import routes  # noqa: E402,F401
