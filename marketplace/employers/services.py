"""The employers data layer."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit
from marketplace.extensions import db
from marketplace.models import (
    Application,
    CheckIn,
    Opportunity,
    OpportunityExclusion,
    Organisation,
    Placement,
    User,
)
from marketplace.models.base import utcnow
from marketplace.types import (
    ApplicationStatus,
    CheckLevel,
    ContractType,
    HoursPattern,
    InterviewStatus,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    PayPeriod,
    RegulatedActivity,
    Sector,
)


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


# Form answers copied onto the model as they are (text left blank is stored as ""); the rest
# are converted in `save_opportunity`.
TEXT_FIELDS = ("title", "description", "skills_text", "qualifications_wanted",
               "postcode_district", "minimum_requirements", "how_to_apply")
PLAIN_FIELDS = (*TEXT_FIELDS, "remote", "national", "hours_per_week", "pays_minimum_wage",
                "places", "start_date", "closing_date", "guaranteed_interview", "bond_backed",
                "accepts_in_custody", "accepts_rotl", "latest_release_date", "case_by_case",
                "ring_fenced")


def opportunity_answers(opportunity: Opportunity) -> dict:
    """The form's starting answers for an existing opportunity."""
    from marketplace.employers.forms import pounds_text

    answers = {name: getattr(opportunity, name) for name in PLAIN_FIELDS}
    answers.update(
        kind=opportunity.kind.value, sector=opportunity.sector.value,
        hours=opportunity.hours.value, paid="yes" if opportunity.paid else "no",
        pay_min=pounds_text(opportunity.pay_min_pence),
        pay_max=pounds_text(opportunity.pay_max_pence),
        pay_period=opportunity.pay_period.value if opportunity.pay_period else "",
        contract=opportunity.contract.value, check_level=opportunity.check_level.value,
        regulated_activity=opportunity.regulated_activity.value,
        exclusions=[c.value for c in opportunity.exclusion_categories],
        exclusion_reason=opportunity.exclusion_reason or "")
    return answers


def save_opportunity(opportunity: Opportunity | None, form, *, organisation: Organisation,
                     actor: User) -> Opportunity:
    """Create or update from a validated OpportunityForm. New ones start as drafts; the search
    index follows after the request commits (matching/engine.py)."""
    from marketplace.matching import skills

    if opportunity is None:
        opportunity = Opportunity(organisation=organisation, created_by=actor,
                                  status=OpportunityStatus.DRAFT, source=organisation.name)
        db.session.add(opportunity)
    for name in PLAIN_FIELDS:
        value = getattr(form, name).data
        setattr(opportunity, name, value or "" if name in TEXT_FIELDS else value)
    paid = form.paid.data == "yes"
    opportunity.kind = OpportunityKind(form.kind.data)
    opportunity.sector = Sector(form.sector.data)
    opportunity.hours = HoursPattern(form.hours.data)
    opportunity.contract = ContractType(form.contract.data)
    opportunity.check_level = CheckLevel(form.check_level.data)
    opportunity.regulated_activity = RegulatedActivity(form.regulated_activity.data)
    opportunity.paid = paid
    opportunity.pay_min_pence = form.pay_min.pence if paid else None
    opportunity.pay_max_pence = form.pay_max.pence if paid else None
    opportunity.pay_period = PayPeriod(form.pay_period.data) if paid else None
    opportunity.pays_minimum_wage = paid and form.pays_minimum_wage.data
    opportunity.skills = skills.normalise(form.skills_text.data)
    opportunity.required_skills = (skills.normalise(form.minimum_requirements.data)
                                   if form.guaranteed_interview.data else [])
    chosen = {OffenceCategory(c) for c in form.exclusions.data or []}
    opportunity.exclusions = [e for e in opportunity.exclusions if e.category in chosen] + [
        OpportunityExclusion(category=c) for c in sorted(chosen - opportunity.exclusion_categories)]
    opportunity.exclusion_reason = (form.exclusion_reason.data or None
                                    if OffenceCategory.OTHER in chosen else None)
    db.session.flush()
    audit.record("opportunity.saved", actor=actor, subject=opportunity)
    return opportunity


def publish(opportunity: Opportunity, *, actor: User) -> None:
    """Open it to candidates and PELs. Reopening a closed one is allowed while its closing date
    has not passed."""
    if opportunity.closing_date < dt.date.today():
        raise ValueError("The closing date has passed. Change it before you publish.")
    opportunity.status = OpportunityStatus.OPEN
    opportunity.published_at = opportunity.published_at or utcnow()
    opportunity.closed_at = None
    audit.record("opportunity.published", actor=actor, subject=opportunity)


def close(opportunity: Opportunity, *, actor: User) -> None:
    """Closed roles disappear from every search at once (DOMAIN.md: no stale vacancies)."""
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = utcnow()
    audit.record("opportunity.closed", actor=actor, subject=opportunity)


def applications_for(opportunity: Opportunity) -> list[Application]:
    """Everyone the employer may see for this opportunity: not nominations still waiting for
    the person's answer (permissions.can_view_application)."""
    return list(db.session.scalars(
        sa.select(Application)
        .where(Application.opportunity_id == opportunity.id,
               Application.status != ApplicationStatus.NOMINATED)
        .order_by(Application.created_at, Application.id)))


def act(application: Application, action: str, form, *, actor: User) -> str:
    """Carry out one of journey.allowed_actions from its validated form. Returns what to tell
    the employer; journey.JourneyError says why a step is not allowed now."""
    from marketplace import journey

    if action not in journey.allowed_actions(application):
        raise journey.JourneyError("You cannot do this now. The page shows what you can do.")
    if action == "shortlist":
        journey.shortlist(application, actor=actor)
        return "Shortlisted."
    if action == "book_interview":
        journey.book_interview(application, actor=actor, when=form.when,
                               location=form.location.data)
        return "Interview booked. The candidate sees it on their page."
    if action == "record_interview":
        booked = [i for i in application.interviews if i.status is InterviewStatus.BOOKED]
        if not booked:
            raise journey.JourneyError("There is no booked interview to record.")
        journey.record_interview(booked[-1], actor=actor, attended=form.attended.data == "yes")
        return "Interview recorded."
    if action == "make_conditional_offer":
        journey.make_conditional_offer(application, actor=actor)
        return "Conditional offer made. The candidate decides whether to share their disclosure."
    if action == "confirm_offer":
        journey.confirm_offer(application, actor=actor)
        return "Offer confirmed."
    if action == "start":
        journey.start(application, actor=actor, started_on=form.started_on.data)
        return "Start recorded. We will ask how it is going at 13 and 26 weeks."
    if action == "withdraw_offer":
        journey.withdraw_offer(application, actor=actor, reason=form.reason.data)
    else:
        journey.reject(application, actor=actor, reason=form.reason.data)
    if journey.withdrawal_pending(application):
        return (f"The candidate has until {application.offer.provisional_until:%d %B %Y} to "
                "respond. You can make it final after that.")
    return "Decision recorded. The candidate sees it, with your reason, on their page."


def placement_of(application: Application) -> Placement | None:
    return db.session.scalar(sa.select(Placement).where(Placement.application_id == application.id))


def check_in(check_in_id: int) -> CheckIn | None:
    return db.session.get(CheckIn, check_in_id)


def opportunity(opportunity_id: int) -> Opportunity | None:
    return db.session.get(Opportunity, opportunity_id)


def check_ins_due(organisation: Organisation, *, today: dt.date | None = None) -> list[CheckIn]:
    """13- and 26-week check-ins that are due and not yet recorded, oldest first."""
    today = today or dt.date.today()
    return list(db.session.scalars(
        sa.select(CheckIn).join(Placement).join(Application).join(Opportunity)
        .where(Opportunity.organisation_id == organisation.id, CheckIn.recorded_at.is_(None),
               CheckIn.due_on <= today)
        .options(selectinload(CheckIn.placement).selectinload(Placement.application)
                 .selectinload(Application.opportunity))
        .order_by(CheckIn.due_on, CheckIn.id)))
