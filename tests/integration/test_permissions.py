"""Object rules in permissions.py that both filter lists and guard one object: the SQL clause
and the predicate are one rule, so they must agree on every case (STYLE.md, convention 6)."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace import journey, permissions
from marketplace.models import Application, Candidate, Opportunity
from marketplace.types import ApplicationStatus, CandidateStatus, OpportunityKind, Role
from tests import factories


def _ids(db_session, model, clause) -> set[int]:
    return set(db_session.scalars(sa.select(model.id).where(clause)))


def test_only_the_organisations_own_members_manage_its_opportunity(db_session):
    employer = factories.user(Role.EMPLOYER)
    opportunity = factories.opportunity(employer.organisation)
    factories.opportunity()  # another organisation's
    colleague = factories.user(Role.EMPLOYER, organisation=employer.organisation)
    for user in (employer, colleague):
        assert permissions.can_manage_opportunity(user, opportunity)
        assert _ids(db_session, Opportunity,
                    permissions.opportunities_managed_by(user)) == {opportunity.id}
    # Administrators act on organisations, not on their opportunities: one rule, no exception.
    for user in (factories.user(Role.ADMIN), factories.user(Role.EMPLOYER),
                 factories.user(Role.PEL), factories.user(Role.CANDIDATE)):
        assert not permissions.can_manage_opportunity(user, opportunity)
        assert opportunity.id not in _ids(db_session, Opportunity,
                                          permissions.opportunities_managed_by(user))


def test_a_pel_works_only_with_people_in_their_own_prison(db_session):
    pel = factories.user(Role.PEL)
    other_prison = factories.prison("WDI")
    own = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    moved = factories.candidate(CandidateStatus.IN_CUSTODY, prison=other_prison)
    released = factories.candidate(CandidateStatus.RELEASED)
    people = (own, moved, released)
    users = (pel, factories.user(Role.PEL, prison=other_prison), factories.user(Role.ADMIN),
             factories.user(Role.EMPLOYER), factories.user(Role.CANDIDATE))
    for user in users:
        by_predicate = {p.id for p in people if permissions.in_pels_prison(user, p)}
        by_clause = _ids(db_session, Candidate, permissions.candidates_in_prison_of(user)) & {
            p.id for p in people}
        assert by_predicate == by_clause
    assert {p.id for p in people if permissions.in_pels_prison(pel, p)} == {own.id}
    assert {p.id for p in people if permissions.in_pels_prison(users[1], p)} == {moved.id}


@pytest.fixture()
def applications(db_session):
    """One organisation's applications at every point where visibility could change, and one
    of another organisation's."""
    employer = factories.user(Role.EMPLOYER)
    pel = factories.user(Role.PEL)
    opportunity = factories.opportunity(employer.organisation)

    def nominated(answer: bool | None, then_withdrawn: bool = False) -> Application:
        person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                     release_date=dt.date.today() + dt.timedelta(days=20))
        nomination = journey.nominate(person, opportunity, pel=pel, note="Reliable")
        if answer is not None:
            journey.respond_to_nomination(nomination, actor=pel, accept=answer)
        if then_withdrawn:
            journey.withdraw(nomination, actor=pel, reason="Moved to another prison")
        return nomination

    found = {
        "applied": factories.application(opportunity, factories.candidate()),
        "applied then withdrew": factories.application(
            opportunity, factories.candidate(), status=ApplicationStatus.WITHDRAWN,
            outcome_reason="Found another job"),
        "nomination waiting": nominated(None),
        "nomination declined": nominated(False),
        "nomination agreed": nominated(True),
        "nomination agreed then withdrawn": nominated(True, then_withdrawn=True),
        "another organisation's": factories.application(),
    }
    return employer, found


def test_an_employer_sees_an_application_once_it_is_put_to_them(db_session, applications):
    employer, found = applications
    by_clause = _ids(db_session, Application,
                     permissions.applications_visible_to(employer.organisation_id))
    visible = {name for name, a in found.items() if a.id in by_clause}
    assert visible == {"applied", "applied then withdrew", "nomination agreed",
                       "nomination agreed then withdrawn"}
    assert {name for name, a in found.items()
            if permissions.can_view_application(employer, a)} == visible
    assert {name for name, a in found.items()
            if permissions.can_manage_application(employer, a)} == visible


def test_the_alliance_level_decides_the_kinds(db_session):
    assert [k for k in OpportunityKind
            if permissions.can_post_kind(factories.organisation(alliance_level=2), k)] == [
        OpportunityKind.EMPLOYABILITY, OpportunityKind.TRAINING, OpportunityKind.PLACEMENT]
    assert permissions.kinds_allowed(factories.organisation(alliance_level=1)) == [
        OpportunityKind.EMPLOYABILITY]
    assert permissions.kinds_allowed(factories.organisation(alliance_level=3)) == list(
        OpportunityKind)
