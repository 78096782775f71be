"""Jobpoint kiosk mode (issue 13): a terminal a PEL sets up shows open jobs near a home area
with no contact details and no links out, takes "ask your employment lead" requests by prison
number (unknown numbers accepted silently, limited per device), and its cookie opens no
signed-in page."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.config import Config, ConfigError
from marketplace.models import KioskDevice, KioskRequest
from marketplace.types import CandidateStatus, OpportunityStatus, Role
from tests import factories
from tests.pages import PageClient


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL)


@pytest.fixture()
def jobpoint(app, pel):
    """A client that a PEL made into a Jobpoint (and was signed out of)."""
    client = app.test_client(user=pel)
    pages = PageClient(client)
    response = pages.post("/prison/jobpoints", {"label": "A wing"}, expected_status=302)
    assert response.headers["Location"].endswith("/jobpoint/")
    client._signed_in_as = None  # the test client would sign in again on every request
    return pages


def test_setting_up_a_jobpoint_signs_the_pel_out_and_shows_jobpoint_pages(
        app, db_session, pel, jobpoint):
    (device,) = db_session.scalars(sa.select(KioskDevice))
    assert device.prison_id == pel.prison_id and device.label == "A wing"
    page = jobpoint.get("/jobpoint/")
    assert "Find jobs near your home area" in page.get_text()
    assert page.select("meta[http-equiv=refresh]")[0]["content"].startswith("180;")
    assert not page.select("a[href^='/prison']") and "Sign in" not in page.get_text()
    assert "/sign-in" in jobpoint.client.get("/prison/").headers["Location"]


def test_without_a_device_cookie_there_is_no_jobpoint(app, db_session, pel):
    assert app.test_client().get("/jobpoint/").status_code == 404
    assert app.test_client(user=pel).get("/jobpoint/").status_code == 404
    forged = app.test_client()
    forged.set_cookie("jobpoint", "eyJkZXZpY2UiOjF9.forged", path="/jobpoint")
    assert forged.get("/jobpoint/").status_code == 404


def test_a_jobpoint_cookie_opens_no_signed_in_page(app, db_session, jobpoint):
    for url in ("/prison/", "/me/", "/employer/", "/messages/", "/admin/", "/dashboard"):
        response = jobpoint.client.get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


def test_jobs_near_a_home_area_without_contact_details_or_links(app, db_session, jobpoint):
    org = factories.organisation(website="https://example.com")
    near = factories.opportunity(
        org, title="Kitchen porter", postcode_district="LS10", guaranteed_interview=True,
        accepts_rotl=True, how_to_apply="Email jobs@example.com",
        description="Call Sam on 07700 900123 or see www.example.com/jobs for more.")
    factories.opportunity(org, title="Far away role", postcode_district="SW1A")
    factories.opportunity(org, title="Closed role", postcode_district="LS10",
                          status=OpportunityStatus.CLOSED)
    factories.opportunity(org, title="Past closing", postcode_district="LS10",
                          closing_date=dt.date.today() - dt.timedelta(days=1))
    factories.opportunity(org, title="Anywhere role", postcode_district="SW1A", national=True)

    listing = jobpoint.get("/jobpoint/jobs?area=ls11&miles=10")
    titles = [a.get_text() for a in listing.select("h2 a")]
    assert sorted(titles) == ["Anywhere role", "Kitchen porter"]
    assert "Guaranteed interview: Yes" in " ".join(listing.get_text().split())
    assert [a.get_text() for a in jobpoint.get(
        "/jobpoint/jobs?area=LS11&miles=10&q=porter").select("h2 a")] == ["Kitchen porter"]

    page = jobpoint.get(f"/jobpoint/jobs/{near.id}")
    text = page.get_text()
    for hidden in ("07700", "example.com", "jobs@", "https://"):
        assert hidden not in text, hidden
    assert "Yes, it takes people on day release" in text
    assert all(a["href"].startswith("/jobpoint") for a in page.select("a[href]")
               if a["href"] != "#main-content")


def test_bad_search_answers_are_explained(app, db_session, jobpoint):
    page = jobpoint.get("/jobpoint/jobs?area=ZZ99&miles=1000")
    assert "We cannot find the postcode area ZZ99" in page.get_text()
    assert "Enter the first part of the postcode" in jobpoint.get("/jobpoint/jobs").get_text()


def test_asking_the_employment_lead_reaches_their_queue_and_unknown_numbers_are_silent(
        app, db_session, pel, jobpoint):
    opportunity = factories.opportunity(postcode_district="LS10")
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY,
                                    prison=factories.prison("WDI"))
    url = f"/jobpoint/jobs/{opportunity.id}"
    known = jobpoint.post(url, {"prison_number": person.prison_number.lower()},
                          expected_status=302)
    unknown = jobpoint.post(url, {"prison_number": "Z9999ZZ"}, expected_status=302)
    other = jobpoint.post(url, {"prison_number": elsewhere.prison_number},
                          expected_status=302)
    assert known.headers["Location"] == unknown.headers["Location"] == \
        other.headers["Location"]
    thanks = jobpoint.get(known.headers["Location"]).get_text()
    assert "If your prison number is right" in thanks
    (request,) = db_session.scalars(sa.select(KioskRequest))
    assert request.candidate_id == person.id and request.opportunity_id == opportunity.id

    staff = PageClient(app.test_client(user=pel))
    assert "1 waiting" in staff.get("/prison/").get_text()
    queue = staff.get("/prison/jobpoint-requests")
    assert person.full_name in queue.get_text() and opportunity.title in queue.get_text()
    staff.post(f"/prison/jobpoint-requests/{request.id}/done", {},
               form_url="/prison/jobpoint-requests", expected_status=302)
    assert request.handled_by_id == pel.id
    empty = jobpoint.post(url, {"prison_number": ""}, expected_status=200)
    assert "Enter your prison number" in empty.get_data(as_text=True)


def test_requests_are_rate_limited_per_device(app, db_session, pel, jobpoint):
    opportunity = factories.opportunity(postcode_district="LS10")
    before, app.config["JOBPOINT_RATE_LIMIT"] = app.config["JOBPOINT_RATE_LIMIT"], "2 per minute"
    try:
        url = f"/jobpoint/jobs/{opportunity.id}"
        for number in ("Z0001ZZ", "Z0002ZZ"):
            jobpoint.post(url, {"prison_number": number}, expected_status=302)
        assert jobpoint.post(url, {"prison_number": "Z0003ZZ"}).status_code == 429
    finally:
        app.config["JOBPOINT_RATE_LIMIT"] = before


def test_a_revoked_jobpoint_stops_at_once(app, db_session, pel, jobpoint):
    (device,) = db_session.scalars(sa.select(KioskDevice))
    staff = PageClient(app.test_client(user=pel))
    assert "A wing" in staff.get("/prison/jobpoints").get_text()
    other = factories.user(Role.PEL, prison=factories.prison("WDI"))
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        assert app.test_client(user=other).post(
            f"/prison/jobpoints/{device.id}/revoke").status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert jobpoint.client.get("/jobpoint/").status_code == 200
    staff.post(f"/prison/jobpoints/{device.id}/revoke", {}, form_url="/prison/jobpoints",
               expected_status=302)
    assert device.revoked_by_id == pel.id
    assert jobpoint.client.get("/jobpoint/").status_code == 404


def test_a_jobpoint_can_be_set_by_configuration_and_stopped_by_a_pel(app, db_session, pel):
    before, app.config["JOBPOINT_NETWORKS"] = app.config["JOBPOINT_NETWORKS"], [
        ("10.77.0.0/24", "LEI")]
    try:
        terminal, outside = app.test_client(), app.test_client()
        terminal.environ_base["REMOTE_ADDR"] = "10.77.0.9"
        outside.environ_base["REMOTE_ADDR"] = "10.78.0.9"
        assert terminal.get("/jobpoint/").status_code == 200
        assert outside.get("/jobpoint/").status_code == 404
        (device,) = db_session.scalars(sa.select(KioskDevice))
        assert device.prison_id == pel.prison_id and device.created_by_id is None
        staff = PageClient(app.test_client(user=pel))
        assert "10.77.0.0/24" in staff.get("/prison/jobpoints").get_text()
        staff.post(f"/prison/jobpoints/{device.id}/revoke", {}, form_url="/prison/jobpoints",
                   expected_status=302)
        assert terminal.get("/jobpoint/").status_code == 404
    finally:
        app.config["JOBPOINT_NETWORKS"] = before


def test_jobpoint_networks_are_read_from_the_environment():
    config = Config.from_env({"JOBPOINT_NETWORKS": "10.20.1.0/24=lei, 10.20.2.7=WDI"})
    assert config.JOBPOINT_NETWORKS == [("10.20.1.0/24", "LEI"), ("10.20.2.7/32", "WDI")]
    assert Config.from_env({}).JOBPOINT_NETWORKS == []
    for bad in ("10.20.1.0/24", "not-a-network=LEI"):
        with pytest.raises(ConfigError, match="JOBPOINT_NETWORKS"):
            Config.from_env({"JOBPOINT_NETWORKS": bad})
