"""The custody channel in the demo data (`flask demo`): the demo PEL's prison with consent on
file for everyone in it, work readiness with some history, checked messages waiting (one held
for a phone number), a Jobpoint and a request from it, and someone released this month whose
record the PEL can still read. Everything goes through the custody functions, with the clock
set to the day each step happened."""

import datetime as dt

import sqlalchemy as sa

from marketplace import clock, permissions
from marketplace.custody import kiosk, messages, people
from marketplace.extensions import db
from marketplace.models import Application, Candidate, Opportunity, User
from marketplace.types import (
    CandidateStatus,
    OpportunityStatus,
    ReadinessLevel,
    Role,
    SupportNeed,
)


def _at(days_ago: int):
    return clock.frozen(clock.uk_today() - dt.timedelta(days=days_ago))


def build(*, pel_email: str) -> None:
    pel = db.session.scalar(sa.select(User).where(User.email == pel_email))
    caseload = list(db.session.scalars(
        sa.select(Candidate).where(permissions.candidates_in_prison_of(pel),
                                   Candidate.status == CandidateStatus.IN_CUSTODY)
        .order_by(Candidate.release_date, Candidate.id)))
    if not caseload:
        return
    version = people.CONSENT_FORM_VERSIONS[0]
    with _at(40):
        for person in caseload:
            people.give_consent(person, actor=pel, signed_on=clock.uk_today(),
                                form_version=version)
    for n, person in enumerate(caseload[:6]):
        with _at(30):
            people.record_readiness(person, actor=pel, level=ReadinessLevel.NOT_YET,
                                    support=[SupportNeed.ID, SupportNeed.BANK_ACCOUNT],
                                    note="Waiting for a birth certificate to apply for ID.")
        with _at(5):
            people.record_readiness(
                person, actor=pel,
                level=ReadinessLevel.READY if n % 2 else ReadinessLevel.READY_WITH_SUPPORT,
                support=[] if n % 2 else [SupportNeed.TRAVEL],
                note="ID and bank account in place." if n % 2 else "Needs a travel pass.")
    _messages(pel, caseload)
    _jobpoint(pel, caseload)
    with _at(10):
        people.release(caseload[-1], pel=pel, released_on=clock.uk_today(),
                       status=CandidateStatus.ON_LICENCE)


def _messages(pel: User, caseload: list[Candidate]) -> None:
    application = next((a for a in db.session.scalars(
        sa.select(Application).where(Application.candidate_id.in_([c.id for c in caseload[:-1]]))
        .order_by(Application.id)) if messages.put_to_employer(a)), None)
    if application is None:
        return
    employer = db.session.scalar(sa.select(User).where(
        User.organisation_id == application.opportunity.organisation_id,
        User.role == Role.EMPLOYER).order_by(User.id))
    with _at(2):
        messages.write(application, author=pel,
                       body="Thank you for looking at my application. Could I come to the "
                            "interview on day release?")
    if employer is not None:
        with _at(1):
            messages.write(application, author=employer,
                           body="Yes, that is fine. Ring me on 0113 496 0000 to arrange it.")


def _jobpoint(pel: User, caseload: list[Candidate]) -> None:
    with _at(20):
        device = kiosk.set_up(pel, label="A wing library")
    opportunity = db.session.scalar(
        sa.select(Opportunity).where(Opportunity.status == OpportunityStatus.OPEN)
        .order_by(Opportunity.closing_date.desc(), Opportunity.id))
    if opportunity is not None:
        with _at(1):
            kiosk.ask(device, prison_number=caseload[0].prison_number or "",
                      opportunity=opportunity)
