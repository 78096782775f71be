"""Administrators: approve organisations, invite staff, see outcomes."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from marketplace.admin import routes  # noqa: E402,F401
