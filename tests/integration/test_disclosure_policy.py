"""The one policy that decides what an employer sees of a candidate."""

import dataclasses
import datetime as dt
import itertools
import re

import pytest

from marketplace.disclosure import policy
from marketplace.disclosure.policy import Stage
from marketplace.models import AuditEvent
from marketplace.types import ApplicationStatus, CandidateStatus, Role
from tests import factories

S = ApplicationStatus
PRIVATE_VALUES = ("A9876ZZ", "Risk: see OASys", "M14", "Leeds Prison")


@pytest.fixture()
def candidate(db_session):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison_number="A9876ZZ",
                               risk_notes="Risk: see OASys", exclusion_districts=["M14"],
                               barred_children=True, first_name="Jordan", last_name="Price")


def _strings(view) -> str:
    return repr(dataclasses.asdict(view))


@pytest.mark.parametrize("status", list(ApplicationStatus))
def test_private_fields_never_reach_an_employer_at_any_stage(db_session, candidate, status):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), candidate,
                                        status=status,
                                        outcome_reason="x" if status in (S.UNSUCCESSFUL,
                                                                         S.WITHDRAWN) else None,
                                        source="nominated" if status is S.NOMINATED
                                        else "applied",
                                        nominated_by_id=factories.user(Role.PEL).id
                                        if status is S.NOMINATED else None)
    for context in (None, application):
        view = policy.candidate_view(employer, candidate, context)
        if view is None:  # a nomination not yet agreed to: the employer sees nothing at all
            assert status is S.NOMINATED and context is application
            continue
        text = _strings(view)
        for private in PRIVATE_VALUES:
            assert private not in text
        field_names = {f.name for f in dataclasses.fields(view)}
        assert not field_names & {"prison_number", "risk_notes", "exclusion_districts",
                                  "barred_children", "barred_adults", "licence_end_date",
                                  "needs", "readiness", "prison"}


def test_browsing_is_anonymous(db_session, candidate):
    employer = factories.user(Role.EMPLOYER)
    view = policy.candidate_view(employer, candidate)
    assert view.stage is Stage.ANONYMISED
    assert view.name is None and "Jordan" not in _strings(view) and "Price" not in _strings(view)
    # Opaque: twelve hex digits from a keyed hash, not the id in any spelling. (A short id can
    # still turn up inside the hex by chance, so "not a substring" would be a coin toss.)
    assert re.fullmatch(r"[0-9A-F]{12}", view.ref)
    assert view.ref not in {str(candidate.id), f"{candidate.id:012d}", f"{candidate.id:012X}"}


@pytest.mark.parametrize("status, stage", [
    (S.APPLIED, Stage.PROFILE), (S.INTERVIEW, Stage.PROFILE),
    (S.CONDITIONAL_OFFER, Stage.PROFILE), (S.WITHDRAWN, Stage.ANONYMISED)])
def test_name_only_after_application_or_agreed_nomination(db_session, candidate, status, stage):
    employer = factories.user(Role.EMPLOYER)
    extra = {"outcome_reason": "Changed my mind"} if status is S.WITHDRAWN else {}
    application = factories.application(factories.opportunity(employer.organisation), candidate,
                                        status=status, **extra)
    view = policy.candidate_view(employer, candidate, application)
    assert view.stage is stage
    assert (view.name == "Jordan Price") is (stage >= Stage.PROFILE)


@pytest.mark.parametrize("answer", [None, False, True], ids=["waiting", "declined", "agreed"])
def test_a_nomination_reaches_the_employer_only_once_the_person_agrees(db_session, candidate,
                                                                       answer):
    from marketplace import journey

    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL, prison=candidate.prison)
    after_release = candidate.release_date + dt.timedelta(days=7)
    nomination = journey.nominate(candidate, factories.opportunity(employer.organisation,
                                                                   start_date=after_release),
                                  pel=pel, note="Keen, reliable, ask for Jordan on the wing")
    if answer is not None:
        journey.respond_to_nomination(nomination, actor=pel, accept=answer)
    view = policy.candidate_view(employer, candidate, nomination)
    history = policy.history(employer, nomination)
    if answer:
        assert view.stage is Stage.PROFILE and view.name == "Jordan Price"
        # The nomination step is not the employer's: its note is not in the history.
        assert [(h.status, h.note) for h in history] == [(S.APPLIED, "Agreed to the nomination")]
    else:
        assert view is None and history == ()


def test_no_conviction_data_without_consent_even_at_offer(db_session, candidate):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), candidate,
                                        status=S.CONDITIONAL_OFFER)
    view = policy.candidate_view(employer, candidate, application)
    assert view.convictions is None and view.disclosure_statement is None


def test_other_organisation_sees_nothing(db_session, candidate):
    owner = factories.user(Role.EMPLOYER)
    other = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(owner.organisation), candidate)
    assert policy.candidate_view(other, candidate, application) is None


@pytest.mark.parametrize("role", [Role.PEL, Role.ADMIN, Role.CANDIDATE])
def test_policy_is_for_employers_only(db_session, candidate, role):
    assert policy.candidate_view(factories.user(role), candidate) is None


def test_reveal_of_name_is_audited_and_browsing_is_not(db_session, candidate):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation), candidate)
    card = policy.candidate_view(employer, candidate)
    policy.record_reveal(employer, candidate, card, None, why="search")
    view = policy.candidate_view(employer, candidate, application)
    policy.record_reveal(employer, candidate, view, application, why="reviewing application")
    events = db_session.query(AuditEvent).filter_by(candidate_id=candidate.id).filter(
        AuditEvent.action.like("candidate.reveal%")).all()
    assert [(e.action, e.actor_id, e.organisation_id, e.reason) for e in events] == [
        ("candidate.reveal.stage2", employer.id, employer.organisation_id,
         "reviewing application")]
    assert events[0].detail["what"] == ["name", "profile"]


def test_refs_are_per_organisation_stable_and_distinct(db_session, candidate):
    employer, other = factories.user(Role.EMPLOYER), factories.user(Role.EMPLOYER)
    colleague = factories.user(Role.EMPLOYER, organisation=employer.organisation)
    ref = policy.candidate_view(employer, candidate).ref
    assert policy.candidate_view(employer, candidate).ref == ref
    assert policy.candidate_view(colleague, candidate).ref == ref  # one organisation, one ref
    assert policy.candidate_view(other, candidate).ref != ref  # cannot be pooled across them
    assert policy.candidate_view(employer, factories.candidate()).ref != ref
    assert ref == policy.candidate_ref(candidate.id, organisation_id=employer.organisation_id)


@pytest.mark.parametrize("status, rotl, expected", list(itertools.product(
    [CandidateStatus.RELEASED], [False], ["Available now"])))
def test_availability_wording(db_session, status, rotl, expected):
    assert policy.availability(factories.candidate(status, rotl_eligible=rotl)) == expected


def test_availability_in_custody_mentions_day_release(db_session):
    person = factories.candidate(CandidateStatus.IN_CUSTODY, rotl_eligible=True)
    assert policy.availability(person).startswith("Available from ")
    assert "day release" in policy.availability(person)
