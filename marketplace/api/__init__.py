"""The JSON API (signed-in sessions). A later issue defines it fully; for now it offers the two
matching calls the pages use, answering with the same data and the same rules."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from marketplace.api import routes  # noqa: E402,F401
