"""The candidates data layer."""

import datetime as dt

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import selectinload

from marketplace import clock, pagination
from marketplace.extensions import db
from marketplace.models import Application, Candidate, Interview, Opportunity, User
from marketplace.types import ApplicationStatus, InterviewStatus


def for_user(user: User) -> Candidate:
    candidate = db.session.scalar(sa.select(Candidate).where(Candidate.user_id == user.id))
    if candidate is None:
        abort(404)
    return candidate


def applications(candidate: Candidate) -> list[Application]:
    """The person's applications and nominations, newest first, with what the page shows."""
    return list(db.session.scalars(
        sa.select(Application).where(Application.candidate_id == candidate.id)
        .options(selectinload(Application.opportunity).joinedload(Opportunity.organisation),
                 selectinload(Application.interviews), selectinload(Application.offer))
        .order_by(Application.updated_at.desc(), Application.id.desc())))


def applications_page(candidate: Candidate, *, page: int = 1) -> pagination.Page[Application]:
    """A page of the person's applications and nominations, newest first, with what the list
    shows. Three queries however many there are."""
    return pagination.of_query(
        sa.select(Application).where(Application.candidate_id == candidate.id)
        .options(selectinload(Application.opportunity).joinedload(Opportunity.organisation))
        .order_by(Application.updated_at.desc(), Application.id.desc()), page)


def withdrawals_to_answer(applications: list[Application]
                          ) -> list[tuple[Application, dt.date]]:
    """Offers the employer plans to withdraw that the person can still answer, each with the
    last day to answer, soonest first: their home page leads with these."""
    from marketplace import journey

    return sorted(((a, journey.answer_by(a)) for a in applications
                   if journey.withdrawal_answer_open(a)), key=lambda row: (row[1], row[0].id))


def waiting_for_answer(applications: list[Application]) -> list[Application]:
    return [a for a in applications if a.status is ApplicationStatus.NOMINATED]


def upcoming_interviews(applications: list[Application]) -> list[Interview]:
    now = clock.utc_now()
    return sorted((i for a in applications for i in a.interviews
                   if i.status is InterviewStatus.BOOKED and i.scheduled_at >= now),
                  key=lambda i: (i.scheduled_at, i.id))


def application(candidate: Candidate, application_id: int) -> Application | None:
    """The person's own application with this id; None for anyone else's (the view 404s)."""
    found = db.session.get(Application, application_id)
    return found if found is not None and found.candidate_id == candidate.id else None


def activity(candidate: Candidate):
    """Who saw or changed what about this person, newest first: the audit log they may read."""
    from marketplace.models import AuditEvent

    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.candidate_id == candidate.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def save_profile(candidate: Candidate, *, actor: User, headline: str, skills_text: str,
                 summary: str, preferred_sectors: list[str], preferred_hours: str | None,
                 max_travel_miles: int, home_district: str, visible: bool) -> None:
    """Saves the profile and normalises the skills; the search index follows after commit."""
    from marketplace import audit
    from marketplace.matching import skills
    from marketplace.types import HoursPattern

    candidate.headline = headline
    candidate.skills_text = skills_text
    candidate.skills = skills.normalise(skills_text)
    candidate.summary = summary
    candidate.preferred_sectors = list(preferred_sectors)
    candidate.preferred_hours = HoursPattern(preferred_hours) if preferred_hours else None
    candidate.max_travel_miles = max_travel_miles
    candidate.home_district = home_district
    candidate.visible_to_employers = visible
    db.session.flush()
    audit.record("candidate.profile_saved", actor=actor, candidate=candidate, subject=candidate)


def listed_opportunity(opportunity_id: int) -> Opportunity | None:
    """An opportunity candidates and PELs may open (permissions.is_listed); None hides the
    rest (a 404, not a 403)."""
    from marketplace.permissions import is_listed

    found = db.session.get(Opportunity, opportunity_id)
    return found if found is not None and is_listed(found) else None


def existing_application(candidate: Candidate, opportunity: Opportunity) -> Application | None:
    return db.session.scalar(sa.select(Application).where(
        Application.candidate_id == candidate.id, Application.opportunity_id == opportunity.id))


def respond_to_withdrawal(application: Application, *, actor: User, response: str) -> None:
    """journey.respond_to_withdrawal, keeping nothing of an answer it refuses (the page is
    shown again, and committed, with the error)."""
    from marketplace import journey

    with db.session.begin_nested():
        journey.respond_to_withdrawal(application, actor=actor, response=response)
