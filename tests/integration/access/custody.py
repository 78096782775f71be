"""The custody channel's own areas (issue 13): checked messages and the Jobpoint kiosk."""

from tests.integration.access import C, E, P

ACCESS = {
    "messages.inbox": (E, C),
    "messages.thread": (E, C, P),
}
URL_ARGS = {
    "messages.thread": lambda w: {"application_id": w["application"].id},
}
POST_ONLY: set[str] = set()
