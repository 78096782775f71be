"""Disclosure consent, per application (DOMAIN.md, Disclosure, stage 3).

The candidate gives consent themselves, or their PEL records consent the person signed on paper
(with the date signed and who recorded it). Consent can be withdrawn at any time; from the next
request no further reveal happens. Rows are kept: they are evidence of what was agreed when.
"""

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from marketplace import audit, clock, journey
from marketplace.disclosure import calculator, explain, records
from marketplace.disclosure.policy import DisclosedConviction
from marketplace.extensions import db
from marketplace.models import Application, DisclosureConsent, DisclosureStatement, User
from marketplace.permissions import can_act_for_candidate
from marketplace.types import ApplicationStatus, CheckLevel, Role

# Consent may be given once the employer has made a conditional offer (Ban the Box: ask late).
CONSENT_STATUSES = {ApplicationStatus.CONDITIONAL_OFFER, ApplicationStatus.DISCLOSURE,
                    ApplicationStatus.OFFER_CONFIRMED}


class ConsentError(ValueError):
    """The message is written for the person who tried."""


def current(application: Application) -> DisclosureConsent | None:
    return db.session.scalar(
        sa.select(DisclosureConsent).where(DisclosureConsent.application_id == application.id)
        .order_by(DisclosureConsent.given_at.desc(), DisclosureConsent.id.desc()).limit(1))


def disclosure_consent_in_force(application: Application) -> bool:
    consent = current(application)
    return consent is not None and consent.withdrawn_at is None


@dataclass(frozen=True)
class ConsentRecord:
    """When and how consent for one application was given (and stopped), for the person and
    their PEL to read: given by the person on this website, or recorded by a PEL from a consent
    form the person signed on paper."""

    given_at: dt.datetime
    given_by: str  # the full name of whoever gave or recorded it
    online: bool  # given by the person themself, on this website
    signed_on: dt.date | None  # the date on the paper form a PEL recorded
    withdrawn_at: dt.datetime | None
    withdrawn_by: str | None


def record(application: Application) -> ConsentRecord | None:
    """The latest consent for the application, described; None when none was ever given."""
    consent = current(application)
    if consent is None:
        return None
    given_by = db.session.get(User, consent.given_by_id)
    withdrawn_by = (db.session.get(User, consent.withdrawn_by_id)
                    if consent.withdrawn_by_id is not None else None)
    return ConsentRecord(given_at=consent.given_at, given_by=given_by.full_name,
                         online=given_by.role is Role.CANDIDATE, signed_on=consent.signed_on,
                         withdrawn_at=consent.withdrawn_at,
                         withdrawn_by=withdrawn_by.full_name if withdrawn_by else None)


def give(application: Application, *, actor: User, signed_on: dt.date | None = None
         ) -> DisclosureConsent:
    candidate = application.candidate
    if not can_act_for_candidate(actor, candidate):
        raise ConsentError("Only the person, or their prison employment lead, can give consent.")
    journey.lock(application)
    if application.status not in CONSENT_STATUSES:
        raise ConsentError("You can only agree to share this after a conditional job offer.")
    if disclosure_consent_in_force(application):
        raise ConsentError("You have already agreed to share this.")
    if actor.role is Role.PEL:
        if signed_on is None:
            raise ConsentError("Enter the date the person signed the consent form")
        if signed_on > clock.uk_today():
            raise ConsentError("The date the consent form was signed must be today or in the "
                               "past")
    consent = DisclosureConsent(application_id=application.id, given_by_id=actor.id,
                                signed_on=signed_on if actor.role is Role.PEL else None)
    db.session.add(consent)
    db.session.flush()
    audit.record("disclosure.consent_given", actor=actor, candidate=candidate,
                 subject=application, signed_on=signed_on.isoformat() if signed_on else None)
    if application.status is ApplicationStatus.CONDITIONAL_OFFER:
        journey.move_to_disclosure(application, actor=actor)
    return consent


def withdraw(application: Application, *, actor: User) -> None:
    if not can_act_for_candidate(actor, application.candidate):
        raise ConsentError("Only the person, or their prison employment lead, can withdraw "
                           "consent.")
    journey.lock(application)
    consent = current(application)
    if consent is None or consent.withdrawn_at is not None:
        raise ConsentError("There is no consent to withdraw.")
    consent.withdrawn_at = clock.utc_now()
    consent.withdrawn_by_id = actor.id
    audit.record("disclosure.consent_withdrawn", actor=actor, candidate=application.candidate,
                 subject=application)


def statement_for(candidate) -> DisclosureStatement | None:
    return db.session.scalar(sa.select(DisclosureStatement)
                             .where(DisclosureStatement.candidate_id == candidate.id))


def save_statement(candidate, text: str, *, actor: User) -> DisclosureStatement:
    if not can_act_for_candidate(actor, candidate):
        raise ConsentError("Only the person, or their prison employment lead, can write this.")
    if not text.strip():
        raise ConsentError("Enter your disclosure statement")
    if len(text) > 5000:
        raise ConsentError("Your statement must be 5,000 characters or fewer")
    statement = statement_for(candidate) or DisclosureStatement(candidate_id=candidate.id,
                                                                text="")
    statement.text = text
    statement.updated_by_id = actor.id
    db.session.add(statement)
    db.session.flush()
    audit.record("disclosure.statement_saved", actor=actor, candidate=candidate,
                 subject=statement)
    return statement


@dataclass(frozen=True)
class ShownConviction:
    """One record the employer will see: exactly their view of it, and why it is included
    (the why is for the person and their PEL; the employer is not told it)."""

    shown: DisclosedConviction
    why: str


@dataclass(frozen=True)
class Preview:
    """What sharing means for one application, built once from the role's check level: the
    person reads it before they agree, and the employer's stage 3 view is taken from it, so the
    words and the reveal cannot disagree (issue 8, item 12)."""

    check_level: CheckLevel
    rule: tuple[str, ...]  # what a check at this level shows, in short sentences
    statement: str | None
    convictions: tuple[ShownConviction, ...]
    not_shown: int  # records on the person's file this role does not show

    def employer_will_see(self, employer: str, whose: str) -> str:
        """The sentence a check page leads with: "Northgate Logistics will see Sam’s disclosure
        statement and the 2 convictions listed below." `whose` is "your" or "Sam’s"."""
        n = len(self.convictions)
        convictions = f"the {n} conviction{'s' if n != 1 else ''} listed below" if n else ""
        statement = f"{whose} disclosure statement" if self.statement else ""
        if statement and convictions:
            return f"{employer} will see {statement} and {convictions}."
        if statement or convictions:
            return f"{employer} will see {statement or convictions}. " + (
                "No convictions will be shown for this job." if statement
                else "There is no disclosure statement.")
        return f"{employer} will see no convictions for this job, and there is no disclosure " \
               "statement."

    @property
    def not_shown_sentence(self) -> str:
        if not self.not_shown:
            return "Nothing else on the record will be shown."
        if self.not_shown == 1:
            return "1 other conviction or caution on the record will not be shown."
        return f"{self.not_shown} other convictions or cautions on the record will not be shown."


def preview(application: Application, *, today: dt.date | None = None) -> Preview:
    """Exactly what the employer would see at stage 3, with the rule and the reason for each
    record, for the person to check before they agree. Only ever shown to the person and their
    PEL; the employer gets `disclosable_for`, taken from this."""
    level = application.opportunity.check_level
    statement = statement_for(application.candidate)
    assessed = records.assess(application.candidate, today)
    shown = [
        ShownConviction(
            DisclosedConviction(offence=a.conviction.offence, date=a.conviction.date,
                                disposal=explain.sentences_words(a.conviction.sentences),
                                spent_status=explain.employer_status(a.outcome)),
            why=explain.why_shown(a.conviction, a.outcome, level))
        for a in assessed if calculator.disclosable(a.outcome, level)
    ]
    return Preview(check_level=level, rule=tuple(explain.what_a_check_shows(level)),
                   statement=statement.text if statement else None, convictions=tuple(shown),
                   not_shown=len(assessed) - len(shown))


def disclosable_for(application: Application, *, today: dt.date | None = None
                    ) -> tuple[str | None, list[DisclosedConviction]]:
    """What stage 3 shows the employer: the statement and exactly the convictions the role's
    check level makes disclosable, as the person saw them in `preview`. Raises PermissionError
    without consent in force."""
    if not disclosure_consent_in_force(application):
        raise PermissionError("No disclosure consent is in force for this application.")
    seen = preview(application, today=today)
    return seen.statement, [c.shown for c in seen.convictions]
