"""Outcome reports: nominations, interviews, offers, starts and retention, grouped by prison,
employer, sector or region (DOMAIN.md, The journey: "the data behind the outcome reports").

Counts come from the application history (application_events), so an application that moved on
still counts at every step it reached. One query per report, whatever the number of rows.
"""

import enum
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    Candidate,
    CheckIn,
    Opportunity,
    Organisation,
    Placement,
    PostcodeDistrict,
    Prison,
)
from marketplace.types import SECTOR_LABELS, ApplicationSource, ApplicationStatus, CheckInOutcome


class GroupBy(enum.StrEnum):
    PRISON = "prison"
    EMPLOYER = "employer"
    SECTOR = "sector"
    REGION = "region"

    @property
    def label(self) -> str:
        return {"prison": "Prison", "employer": "Employer", "sector": "Sector",
                "region": "Region of the job"}[self.value]


@dataclass(frozen=True)
class OutcomeRow:
    group: str
    nominations: int
    applications: int
    interviews: int
    offers: int
    starts: int
    in_work_26_weeks: int
    checked_26_weeks: int

    @property
    def retention(self) -> str:
        if not self.checked_26_weeks:
            return "No 26-week check-ins yet"
        return f"{round(100 * self.in_work_26_weeks / self.checked_26_weeks)}%"


def _reached(status: ApplicationStatus):
    """1 if the application ever reached `status`, from its history."""
    return sa.func.max(sa.case((ApplicationEvent.to_status == status, 1), else_=0))


def outcomes(group_by: GroupBy) -> list[OutcomeRow]:
    group_column = {
        GroupBy.PRISON: sa.func.coalesce(Prison.name, "Not in prison when nominated"),
        GroupBy.EMPLOYER: Organisation.name,
        GroupBy.SECTOR: sa.cast(Opportunity.sector, sa.String),
        GroupBy.REGION: PostcodeDistrict.region,
    }[group_by]
    per_application = (
        sa.select(
            group_column.label("grp"),
            Application.id.label("application_id"),
            sa.case((Application.source == ApplicationSource.NOMINATED, 1), else_=0)
            .label("nominated"),
            _reached(ApplicationStatus.INTERVIEW).label("interviewed"),
            _reached(ApplicationStatus.CONDITIONAL_OFFER).label("offered"),
            _reached(ApplicationStatus.STARTED).label("started"),
        )
        .join(ApplicationEvent, ApplicationEvent.application_id == Application.id)
        .join(Opportunity, Opportunity.id == Application.opportunity_id)
        .join(Organisation, Organisation.id == Opportunity.organisation_id)
        .join(PostcodeDistrict, PostcodeDistrict.district == Opportunity.postcode_district)
        .join(Candidate, Candidate.id == Application.candidate_id)
        .outerjoin(Prison, Prison.id == Candidate.prison_id)
        .group_by(group_column, Application.id, Application.source)
        .subquery()
    )
    week_26 = (
        sa.select(Placement.application_id.label("application_id"),
                  sa.case((CheckIn.outcome == CheckInOutcome.IN_WORK, 1), else_=0)
                  .label("in_work"))
        .join(CheckIn, CheckIn.placement_id == Placement.id)
        .where(CheckIn.week == 26, CheckIn.outcome.is_not(None))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            per_application.c.grp,
            sa.func.sum(per_application.c.nominated),
            sa.func.count(per_application.c.application_id),
            sa.func.sum(per_application.c.interviewed),
            sa.func.sum(per_application.c.offered),
            sa.func.sum(per_application.c.started),
            sa.func.coalesce(sa.func.sum(week_26.c.in_work), 0),
            sa.func.count(week_26.c.application_id),
        )
        .outerjoin(week_26, week_26.c.application_id == per_application.c.application_id)
        .group_by(per_application.c.grp)
        .order_by(sa.func.count(per_application.c.application_id).desc(), per_application.c.grp)
    )
    result = []
    for grp, *numbers in rows:
        label = SECTOR_LABELS.get(grp, grp) if group_by is GroupBy.SECTOR else grp
        result.append(OutcomeRow(str(label), *(int(n or 0) for n in numbers)))
    return result
