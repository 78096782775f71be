"""The administrators' data layer: organisation approval, staff invitations, counts."""

import datetime as dt

import sqlalchemy as sa

from marketplace import audit, notify, pagination
from marketplace.clock import utc_now
from marketplace.extensions import db
from marketplace.models import (
    Application,
    Candidate,
    Invite,
    Opportunity,
    Organisation,
    Placement,
    User,
)
from marketplace.types import ApplicationStatus, OpportunityStatus, OrganisationStatus


def organisations(*, search: str | None = None, page: int = 1) -> pagination.Page[Organisation]:
    """One page of every organisation, those waiting for a decision first, then the newest;
    narrowed to names containing `search` when one is given. Two queries."""
    query = sa.select(Organisation).order_by(
        sa.case((Organisation.status == OrganisationStatus.PENDING, 0), else_=1),
        Organisation.created_at.desc(), Organisation.id.desc())
    if search:
        query = query.where(sa.func.lower(Organisation.name).contains(search.lower(),
                                                                      autoescape=True))
    return pagination.of_query(query, page)


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def decide(organisation: Organisation, *, admin: User, approve: bool, reason: str | None) -> None:
    """Approve or reject a pending organisation. Rejection needs a reason the employer sees."""
    if organisation.status is not OrganisationStatus.PENDING:
        raise ValueError("This organisation has already been decided")
    if not approve and not reason:
        raise ValueError("Enter a reason for rejecting the organisation")
    organisation.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.REJECTED
    organisation.decided_at = utc_now()
    organisation.decision_reason = reason
    audit.record("organisation.approved" if approve else "organisation.rejected", actor=admin,
                 subject=organisation, reason=reason)
    if approve:
        notify.employer_approved(organisation)


def pending_invites() -> list[Invite]:
    return list(db.session.scalars(
        sa.select(Invite).where(Invite.used_at.is_(None), Invite.expires_at > utc_now())
        .order_by(Invite.created_at.desc(), Invite.id)))


def summary() -> dict[str, int]:
    """Counts for the home page. Counting 100,000 people takes tens of milliseconds, so the
    counts are kept until the app changes something (reports.services.kept), and always
    exact: a decision just made shows at once."""
    from marketplace.reports import services as reports

    return reports.kept("admin-summary", _counts, fresh_for=dt.timedelta(0))


def _counts() -> dict[str, int]:
    def count(query) -> int:
        return db.session.scalar(query) or 0

    return {
        "pending_organisations": count(sa.select(sa.func.count(Organisation.id)).where(
            Organisation.status == OrganisationStatus.PENDING)),
        "open_opportunities": count(sa.select(sa.func.count(Opportunity.id)).where(
            Opportunity.status == OpportunityStatus.OPEN)),
        "candidates": count(sa.select(sa.func.count(Candidate.id))),
        "applications": count(sa.select(sa.func.count(Application.id))),
        "offers": count(sa.select(sa.func.count(Application.id)).where(Application.status.in_([
            ApplicationStatus.CONDITIONAL_OFFER, ApplicationStatus.DISCLOSURE,
            ApplicationStatus.OFFER_CONFIRMED, ApplicationStatus.STARTED]))),
        "starts": count(sa.select(sa.func.count(Placement.id))),
    }
