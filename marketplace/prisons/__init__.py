"""Prison employment leads: their prison's caseload, nominations, consent, ROTL."""

from flask import Blueprint

bp = Blueprint("prisons", __name__, url_prefix="/prison")

from marketplace.prisons import conviction_routes, routes  # noqa: E402,F401
