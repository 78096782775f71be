"""Signing in and out, registering, invitations and password reset."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from marketplace.auth import claim, routes  # noqa: E402,F401
