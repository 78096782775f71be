"""`flask demo --scale N`: the demo plus N people and N/5 roles in bulk, on both databases."""

import pytest
import sqlalchemy as sa
from flask import current_app

from marketplace import demo, demo_scale
from marketplace.auth import services as accounts
from marketplace.custody import kiosk, messages
from marketplace.disclosure import records
from marketplace.models import (
    Application,
    Candidate,
    Opportunity,
    Organisation,
    User,
)
from marketplace.models.disclosure import ConvictionRecord
from marketplace.prisons import services as prison_services
from marketplace.types import ApplicationStatus, CandidateStatus, Role
from tests import factories
from tests.pages import PageClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("demo")]


def _count(session, model, *where) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_scale_adds_people_and_roles_on_top_of_the_demo_once(app, db_session):
    lines: list[str] = []
    made = demo_scale.run(300, seed=7, echo=lines.append)
    assert (made.candidates, made.opportunities) == (300, 60)
    assert _count(db_session, Candidate) == demo.N_CANDIDATES + 300
    assert _count(db_session, Opportunity, Opportunity.source == demo_scale.SOURCE) == 60
    assert _count(db_session, Organisation) > 25
    # Applications in every status the demo's journeys reach, nominations among them.
    scaled = sa.select(Application.status).join(Opportunity).where(
        Opportunity.source == demo_scale.SOURCE).distinct()
    assert set(db_session.scalars(scaled)) >= {
        ApplicationStatus.APPLIED, ApplicationStatus.SHORTLISTED, ApplicationStatus.NOMINATED,
        ApplicationStatus.UNSUCCESSFUL, ApplicationStatus.STARTED}
    # In custody means a prison and a release date; everyone has a home.
    assert _count(db_session, Candidate, Candidate.status == CandidateStatus.IN_CUSTODY,
                  sa.or_(Candidate.prison_id.is_(None),
                         Candidate.release_date.is_(None))) == 0
    # Conviction records went through the real path: encrypted at rest, readable by the app.
    assert made.convictions > 0
    record = db_session.scalars(sa.select(ConvictionRecord).order_by(
        ConvictionRecord.id.desc())).first()
    raw = db_session.connection().execute(sa.text(
        "SELECT payload FROM conviction_records WHERE id = :id"), {"id": record.id}).scalar()
    assert "offence" not in raw
    person = db_session.get(Candidate, record.candidate_id)
    assert records.for_candidate(person)

    # The demo sign-ins still work, and the new accounts share its password.
    for email in ("admin@", "employer@", "pel@", "candidate@"):
        assert accounts.authenticate(email + demo.DOMAIN, demo.PASSWORD) is not None
    scaled_user = db_session.scalar(sa.select(User).where(
        User.email.endswith(demo_scale.DOMAIN), User.role == Role.CANDIDATE).limit(1))
    assert accounts.authenticate(scaled_user.email, demo.PASSWORD) is not None

    # Ids were given in bulk: the app's own next rows must not collide with them.
    factories.candidate()
    factories.application(factories.opportunity(), factories.candidate())

    # The indices hold every row: the scaled ones with random vectors, said in the output.
    search = current_app.extensions["search"]
    assert search.index("candidates").stats()["documents"] == _count(db_session, Candidate) - 2
    assert search.index("opportunities").stats()["documents"] == \
        _count(db_session, Opportunity) - 1
    assert any("random vectors" in line for line in lines)

    with pytest.raises(demo_scale.ScaleError, match="already loaded"):
        demo_scale.run(300, seed=7, echo=lines.append)
    assert _count(db_session, Opportunity, Opportunity.source == demo_scale.SOURCE) == 60

    _pages_work(app, db_session)


def _pages_work(app, db_session):
    pel = accounts.find_user("pel@" + demo.DOMAIN)
    # The home page's counts are the lists' lengths (the demo has messages and a Jobpoint
    # request waiting for this PEL).
    assert prison_services.messages_waiting_count(pel) == len(messages.queue(pel)) == 2
    assert prison_services.jobpoint_requests_count(pel) == len(kiosk.requests_for(pel)) == 1
    employer = accounts.find_user("employer@" + demo.DOMAIN)
    role = db_session.scalar(sa.select(Opportunity.id).where(
        Opportunity.organisation_id == employer.organisation_id,
        Opportunity.source == demo_scale.SOURCE).limit(1)) or db_session.scalar(
        sa.select(Opportunity.id).where(Opportunity.organisation_id == employer.organisation_id)
        .limit(1))
    pages = {
        "pel@": ["/prison/", "/prison/caseload", "/prison/caseload?page=3",
                 "/prison/nominations", "/prison/day-release", "/reports/"],
        "admin@": ["/admin/", "/admin/organisations", "/reports/", "/reports/?by=employer"],
        "employer@": ["/employer/", "/employer/opportunities", f"/employer/opportunities/{role}",
                      f"/employer/opportunities/{role}/matches", "/reports/"],
        "candidate@": ["/me/", "/me/jobs", "/me/activity"],
    }
    for who, urls in pages.items():
        client = PageClient(app.test_client(user=accounts.find_user(who + demo.DOMAIN)))
        for url in urls:
            client.get(url)  # 200 and a well-formed page, or the test fails here


def test_scale_out_of_range_is_refused_in_plain_words(app, db_session):
    runner = app.test_cli_runner()
    for n in ("5", "2000000"):
        result = runner.invoke(args=["demo", "--scale", n])
        assert result.exit_code != 0
        assert "The scale must be a whole number from 10 to 1,000,000" in result.output
    assert _count(db_session, Opportunity, Opportunity.source == demo_scale.SOURCE) == 0


def test_scale_is_all_or_nothing(app, db_session, monkeypatch):
    demo.run(seed=7, echo=lambda line: None)
    before = _count(db_session, Candidate)

    def fail(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_scale._Builder, "_convictions", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        demo_scale.run(50, seed=7, echo=lambda line: None, index=False)
    assert _count(db_session, Candidate) == before
    assert demo_scale.loaded() == 0
