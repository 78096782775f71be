"""Outcome reports and skills-gap analytics for administrators, employers and prison employment
leads: each sees their own slice (services.Scope), with charts, tables and CSV downloads."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")

from marketplace.reports import routes  # noqa: E402,F401
