"""The employers data layer."""

import dataclasses
import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace import audit, clock, invitations, pagination, permissions
from marketplace.extensions import db
from marketplace.models import (
    Application,
    ApplicationEvent,
    CheckIn,
    Opportunity,
    OpportunityExclusion,
    Organisation,
    Placement,
    User,
)
from marketplace.types import (
    ApplicationStatus,
    CheckLevel,
    ContractType,
    HoursPattern,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    PayPeriod,
    RegulatedActivity,
    Sector,
)


def _with_counts(viewer: User) -> sa.Select:
    """The opportunities the employer manages with the number of applications they may see
    (permissions.applications_visible_to), by status then closing date."""
    counts = (sa.select(Application.opportunity_id, sa.func.count(Application.id).label("n"))
              .where(permissions.applications_visible_to(viewer.organisation_id))
              .group_by(Application.opportunity_id).subquery())
    return (sa.select(Opportunity, sa.func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.opportunity_id == Opportunity.id)
            .where(permissions.opportunities_managed_by(viewer))
            .order_by(Opportunity.status, Opportunity.closing_date, Opportunity.id))


def opportunities_page(viewer: User, *, search: str | None = None, page: int = 1
                       ) -> pagination.Page[tuple[Opportunity, int]]:
    """One page of _with_counts, narrowed to titles containing `search` when one is given. Two
    queries however many there are."""
    query = _with_counts(viewer)
    if search:
        query = query.where(sa.func.lower(Opportunity.title).contains(search.lower(),
                                                                      autoescape=True))
    found = pagination.of_query(query, page, scalars=False)
    return dataclasses.replace(found, items=[(o, count) for o, count in found.items])


KIND_NOT_ALLOWED = ("Your Corporate Alliance level does not allow this kind of opportunity. "
                    "Choose another kind.")


def open_count(viewer: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Opportunity.id)).where(
        permissions.opportunities_managed_by(viewer),
        Opportunity.status == OpportunityStatus.OPEN)) or 0


def application(application_id: int) -> Application | None:
    return db.session.get(Application, application_id)


# Form answers copied onto the model as they are (text left blank is stored as ""); the rest
# are converted in `save_opportunity`. The form starts from the same fields (routes.py).
TEXT_FIELDS = ("title", "description", "skills_text", "qualifications_wanted",
               "postcode_district", "minimum_requirements", "how_to_apply")
PLAIN_FIELDS = (*TEXT_FIELDS, "remote", "national", "hours_per_week", "pays_minimum_wage",
                "places", "start_date", "closing_date", "guaranteed_interview", "bond_backed",
                "accepts_in_custody", "accepts_rotl", "latest_release_date", "case_by_case",
                "ring_fenced")


def save_opportunity(opportunity: Opportunity | None, form, *, organisation: Organisation,
                     actor: User) -> Opportunity:
    """Create or update from a validated OpportunityForm. New ones start as drafts; the search
    index follows after the request commits (matching/engine.py). Raises ValueError, before
    changing anything, for a kind the organisation's Alliance level does not allow."""
    from marketplace.matching import skills

    kind = OpportunityKind(form.kind.data)
    if not permissions.can_post_kind(organisation, kind):
        raise ValueError(KIND_NOT_ALLOWED)

    if opportunity is None:
        opportunity = Opportunity(organisation=organisation, created_by=actor,
                                  status=OpportunityStatus.DRAFT, source=organisation.name)
        db.session.add(opportunity)
    for name in PLAIN_FIELDS:
        value = getattr(form, name).data
        setattr(opportunity, name, value or "" if name in TEXT_FIELDS else value)
    paid = form.paid.data == "yes"
    opportunity.kind = kind
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
    has not passed. Raises ValueError, saying why, when it cannot be published."""
    if not permissions.can_post_kind(opportunity.organisation, opportunity.kind):
        raise ValueError(KIND_NOT_ALLOWED)
    if opportunity.closing_date < clock.uk_today():
        raise ValueError("The closing date has passed. Change it before you publish.")
    opportunity.status = OpportunityStatus.OPEN
    opportunity.published_at = opportunity.published_at or clock.utc_now()
    opportunity.closed_at = None
    audit.record("opportunity.published", actor=actor, subject=opportunity)


def close(opportunity: Opportunity, *, actor: User) -> None:
    """Closed roles disappear from every search at once (DOMAIN.md: no stale vacancies)."""
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.closed_at = clock.utc_now()
    audit.record("opportunity.closed", actor=actor, subject=opportunity)
    invitations.expire(opportunity)


def applications_for(opportunity: Opportunity, viewer: User, *, page: int = 1
                     ) -> pagination.Page[tuple[Application, dt.datetime]]:
    """A page of the applications for this opportunity that the employer may see (never a
    nomination the person has not agreed to: permissions.applications_visible_to), each with
    when it was put to the employer, in that order. For an agreed nomination that is when the
    person agreed, not when their PEL nominated them. Two queries however many there are."""
    agreed_at = (sa.select(sa.func.min(ApplicationEvent.at))
                 .where(ApplicationEvent.application_id == Application.id,
                        ApplicationEvent.to_status == ApplicationStatus.APPLIED)
                 .scalar_subquery())
    put_at = sa.func.coalesce(agreed_at, Application.created_at)
    found = pagination.of_query(
        sa.select(Application, put_at)
        .where(Application.opportunity_id == opportunity.id,
               permissions.applications_visible_to(viewer.organisation_id))
        .order_by(put_at, Application.id), page, scalars=False)
    return dataclasses.replace(found, items=[(application, at) for application, at in found.items])


NOT_NOW = "You cannot do this now. The page shows what you can do."


def act(application: Application, action: str, form, *, actor: User) -> str:
    """Carry out one of journey.allowed_actions from its validated form. Returns what to tell
    the employer; journey.JourneyError says why a step is not allowed now."""
    from marketplace import journey

    if action not in journey.allowed_actions(application):
        raise journey.JourneyError(NOT_NOW)
    # A step refused part way keeps nothing (the page is shown again, and committed, with its
    # errors and its audited reveal).
    with db.session.begin_nested():
        return _act(application, action, form, actor=actor)


def _act(application: Application, action: str, form, *, actor: User) -> str:
    from marketplace import journey

    if action == "shortlist":
        journey.shortlist(application, actor=actor)
        return "Shortlisted."
    if action == "book_interview":
        journey.book_interview(application, actor=actor, when=form.when,
                               location=form.location.data)
        return "Interview booked. The candidate sees it on their page."
    if action == "record_interview":
        journey.record_interview(journey.interview_to_record(application), actor=actor,
                                 attended=form.attended.data == "yes")
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
        return (f"The candidate can answer until {journey.answer_by(application):%d %B %Y}. "
                f"You can make it final from {application.offer.provisional_until:%d %B %Y}.")
    return "Decision recorded. The candidate sees it, with your reason, on their page."


def placement_of(application: Application) -> Placement | None:
    return db.session.scalar(sa.select(Placement).where(Placement.application_id == application.id))


def check_in(check_in_id: int) -> CheckIn | None:
    return db.session.get(CheckIn, check_in_id)


def opportunity(opportunity_id: int) -> Opportunity | None:
    return db.session.get(Opportunity, opportunity_id)


def check_ins_due(organisation: Organisation, *, today: dt.date | None = None) -> list[CheckIn]:
    """13- and 26-week check-ins that are due and not yet recorded, oldest first."""
    today = today or clock.uk_today()
    return list(db.session.scalars(
        sa.select(CheckIn).join(Placement).join(Application)
        .where(permissions.applications_visible_to(organisation.id),
               CheckIn.recorded_at.is_(None),
               CheckIn.due_on <= today)
        .options(selectinload(CheckIn.placement).selectinload(Placement.application)
                 .selectinload(Application.opportunity))
        .order_by(CheckIn.due_on, CheckIn.id)))
