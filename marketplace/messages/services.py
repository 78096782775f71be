"""The messages area's data layer: finding the application a thread is about. The rules are in
marketplace/custody/messages.py."""

from marketplace.extensions import db
from marketplace.models import Application


def application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)
