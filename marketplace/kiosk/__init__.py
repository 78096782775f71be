"""Jobpoint kiosk mode (issue 13): the locked-down pages a terminal on a prison wing shows.
No sign-in, no contact details, no links out, nothing typed sent anywhere but a prison number
to the person's employment lead. A device is set up (and revoked) by a PEL: a signed cookie
naming a device row (marketplace/custody/kiosk.py)."""

from flask import Blueprint

bp = Blueprint("kiosk", __name__, url_prefix="/jobpoint")

from marketplace.kiosk import routes  # noqa: E402,F401
