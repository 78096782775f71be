"""Disclosure consent per application. Conviction records and consent rows arrive with the
disclosure workflow; until then no consent is ever in force, so no stage 3 reveal can happen."""

import datetime as dt

from marketplace.models import Application


def disclosure_consent_in_force(application: Application) -> bool:
    return False


def disclosable_for(application: Application, *, today: dt.date | None = None):
    raise PermissionError("No disclosure consent is in force for this application.")
