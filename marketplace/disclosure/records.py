"""Conviction records as the rest of the product may use them.

Until conviction records are stored (the disclosure workflow), no one has any, so there is
nothing an employer could consider."""

from marketplace.models import Candidate
from marketplace.types import CheckLevel, OffenceCategory


def considerable_offences(candidate: Candidate, check_level: CheckLevel) -> set[OffenceCategory]:
    """Offence categories of the candidate's convictions that the law lets an employer consider
    at `check_level`: unspent only for no/basic check; unspent and unprotected spent for
    standard and enhanced."""
    return set()
