"""A candidate reads an opportunity in full and applies; the hard constraints in journey.py
decide whether they may, and the page says why not in plain words."""

import sqlalchemy as sa

from marketplace.models import Application
from marketplace.types import ApplicationStatus, OpportunityStatus
from tests import factories
from tests.pages import PageClient


def _applications(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count(Application.id)))


def test_candidate_reads_a_job_and_applies(app, db_session):
    person = factories.candidate()
    opportunity = factories.opportunity(title="Forklift driver", guaranteed_interview=True,
                                        required_skills=["food_hygiene"])
    pages = PageClient(app.test_client(user=person.user))
    page = pages.get(f"/me/jobs/{opportunity.id}")
    assert "Forklift driver" in page.get_text()
    assert "For a guaranteed interview you also need: Food hygiene" in page.get_text()
    response = pages.post(f"/me/jobs/{opportunity.id}", {"statement": "I drove forklifts "
                          "for two years"}, expected_status=302)
    application = db_session.scalar(sa.select(Application))
    assert response.headers["Location"].endswith(f"/me/applications/{application.id}")
    assert application.status is ApplicationStatus.APPLIED
    assert application.supporting_statement == "I drove forklifts for two years"
    again = pages.get(f"/me/jobs/{opportunity.id}")
    assert "You have already applied" in again.get_text()
    pages.post(f"/me/jobs/{opportunity.id}", {"statement": "again"}, expected_status=200)
    assert _applications(db_session) == 1


def test_too_long_statement_is_refused_and_nothing_stored(app, db_session):
    person = factories.candidate()
    opportunity = factories.opportunity()
    pages = PageClient(app.test_client(user=person.user))
    response = pages.post(f"/me/jobs/{opportunity.id}", {"statement": "x" * 2001},
                          expected_status=200)
    assert "Why you want this job must be 2,000 characters or fewer" in \
        response.get_data(as_text=True)
    assert _applications(db_session) == 0


def test_person_who_cannot_apply_is_told_why_and_cannot_post(app, db_session):
    person = factories.candidate(right_to_work=False)
    opportunity = factories.opportunity()
    pages = PageClient(app.test_client(user=person.user))
    page = pages.get(f"/me/jobs/{opportunity.id}")
    assert "You need the right to work in the UK for this role." in page.get_text()
    assert not page.select("form textarea")
    pages.post(f"/me/jobs/{opportunity.id}", {"statement": ""}, expected_status=200)
    assert _applications(db_session) == 0


def test_closed_job_says_so_and_drafts_are_hidden(app, db_session):
    person = factories.candidate()
    closed = factories.opportunity(status=OpportunityStatus.CLOSED)
    draft = factories.opportunity(status=OpportunityStatus.DRAFT, published_at=None)
    pages = PageClient(app.test_client(user=person.user))
    assert "not taking applications" in pages.get(f"/me/jobs/{closed.id}").get_text()
    assert app.test_client(user=person.user).get(f"/me/jobs/{draft.id}").status_code == 404
    assert app.test_client(user=person.user).get("/me/jobs/999999").status_code == 404
