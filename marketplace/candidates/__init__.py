"""Candidates: their profile, recommended opportunities, applications and consents."""

from flask import Blueprint

bp = Blueprint("candidates", __name__, url_prefix="/me")

from marketplace.candidates import routes  # noqa: E402,F401
