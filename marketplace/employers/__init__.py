"""Employers: their organisation, opportunities, matched candidates and applicants."""

from flask import Blueprint

bp = Blueprint("employers", __name__, url_prefix="/employer")

from marketplace.employers import routes  # noqa: E402,F401
