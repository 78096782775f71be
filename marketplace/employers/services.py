"""The employers data layer."""

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import Application, Opportunity, Organisation
from marketplace.types import OpportunityStatus


def opportunities(organisation: Organisation) -> list[tuple[Opportunity, int]]:
    """The organisation's opportunities with their number of applications, by status then
    closing date. One query, however many there are."""
    counts = (sa.select(Application.opportunity_id, sa.func.count(Application.id).label("n"))
              .group_by(Application.opportunity_id).subquery())
    rows = db.session.execute(
        sa.select(Opportunity, sa.func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.opportunity_id == Opportunity.id)
        .where(Opportunity.organisation_id == organisation.id)
        .order_by(Opportunity.status, Opportunity.closing_date, Opportunity.id))
    return [(opportunity, count) for opportunity, count in rows]


def open_count(rows: list[tuple[Opportunity, int]]) -> int:
    return sum(1 for o, _ in rows if o.status is OpportunityStatus.OPEN)


def application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


def own_opportunity(organisation: Organisation, opportunity_id: int) -> Opportunity | None:
    found = db.session.get(Opportunity, opportunity_id)
    return found if found is not None and found.organisation_id == organisation.id else None
