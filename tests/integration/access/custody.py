"""The custody channel's own areas (issue 13): checked messages and the Jobpoint kiosk."""

from marketplace.permissions import PUBLIC
from tests.integration.access import C, E, P

# Jobpoint pages are public (nobody signs in) but answer only a device a PEL set up: without
# its cookie every role gets a 404 here. test_kiosk.py tries them with a device.
ACCESS = {
    "messages.inbox": (E, C),
    "messages.thread": (E, C, P),
    "kiosk.start": PUBLIC,
    "kiosk.jobs": PUBLIC,
    "kiosk.job": PUBLIC,
    "kiosk.asked": PUBLIC,
}
URL_ARGS = {
    "messages.thread": lambda w: {"application_id": w["application"].id},
    "kiosk.job": lambda w: {"opportunity_id": w["opportunity"].id},
    "kiosk.asked": lambda w: {"opportunity_id": w["opportunity"].id},
}
POST_ONLY: set[str] = set()
