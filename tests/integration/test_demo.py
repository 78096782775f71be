import pytest
import sqlalchemy as sa

from marketplace import demo
from marketplace.auth import services
from marketplace.models import Candidate, Opportunity, Organisation, User
from marketplace.types import CandidateStatus, OpportunityKind, OrganisationStatus, Role

pytestmark = pytest.mark.xdist_group("demo")


def _count(session, model, *where):
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_demo_data_is_varied_complete_and_idempotent(db_session):
    from marketplace import mail
    from marketplace.models import Notification

    mail.outbox.clear()
    first = demo.run(seed=7, echo=lambda line: None)
    # Its people are told what needs them, in their lists; made-up addresses get no email.
    assert mail.outbox == [] and _count(db_session, Notification) > 0
    assert first.created
    assert (first.organisations, first.opportunities, first.candidates) == (25, 300, 600)
    assert _count(db_session, Organisation,
                  Organisation.status == OrganisationStatus.PENDING) == 2
    assert set(db_session.scalars(sa.select(Opportunity.kind).distinct())) == set(OpportunityKind)
    assert set(db_session.scalars(sa.select(Candidate.status).distinct())) == set(CandidateStatus)
    assert _count(db_session, Candidate, Candidate.status == CandidateStatus.IN_CUSTODY,
                  sa.or_(Candidate.prison_id.is_(None), Candidate.release_date.is_(None))) == 0
    for email, role in [("admin@", Role.ADMIN), ("employer@", Role.EMPLOYER),
                        ("pel@", Role.PEL), ("candidate@", Role.CANDIDATE)]:
        user = services.authenticate(email + demo.DOMAIN, demo.PASSWORD)
        assert user is not None and user.role is role

    _demo_shows_a_journey_to_disclosure(db_session)

    second = demo.run(seed=7, echo=lambda line: None)
    assert not second.created
    assert (second.organisations, second.opportunities, second.candidates,
            second.applications) == (first.organisations, first.opportunities,
                                     first.candidates, first.applications)
    assert _count(db_session, User, User.email == f"admin@{demo.DOMAIN}") == 1


def _demo_shows_a_journey_to_disclosure(db_session):
    from marketplace.disclosure import policy
    from marketplace.models import Application
    from marketplace.types import ApplicationStatus

    person = services.find_user("candidate@" + demo.DOMAIN)
    employer = services.find_user("employer@" + demo.DOMAIN)
    application = db_session.scalar(sa.select(Application).join(Candidate).where(
        Candidate.user_id == person.id, Application.status == ApplicationStatus.DISCLOSURE))
    view = policy.candidate_view(employer, application.candidate, application)
    assert view.stage is policy.Stage.DISCLOSURE
    shown = {c.offence for c in view.convictions}
    assert shown == {"Burglary", "Driving without insurance"}  # the old fine is filtered
