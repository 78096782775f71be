"""Steps that cannot be undone have a check page saying what will happen and to whom, and happen
only from its button (issue 9, item 4); consent says when and how it was given; and the right to
answer a withdrawal leads the candidate's and their PEL's home pages (item 5)."""

import datetime as dt

import pytest

from marketplace import clock, journey
from marketplace.disclosure import consent
from marketplace.disclosure.calculator import DisposalKind
from marketplace.employers.forms import CONFIRMED_ACTIONS
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckLevel,
    OffenceCategory,
    OfferStatus,
    Role,
    RotlStatus,
)
from tests import factories
from tests.pages import PageClient, check_page, visible_text

S = ApplicationStatus
# A Friday: a withdrawal proposed today may be made final on Friday 4 December, so the last day
# to answer is Thursday 3 December.
FRIDAY = dt.datetime(2026, 11, 27, 15, 4, tzinfo=clock.UK)
UNSPENT = dict(category=OffenceCategory.THEFT, disposal=DisposalKind.COMMUNITY_ORDER,
               length_months=24)


def _text(page) -> str:
    return " ".join(page.get_text().split())


@pytest.fixture()
def frozen():
    with clock.frozen(FRIDAY) as now:
        yield now


@pytest.fixture()
def northgate(db_session):
    org = factories.organisation(name="Northgate Logistics")
    return factories.user(Role.EMPLOYER, organisation=org, full_name="Erin Evans")


def _at(employer, status, person=None, **opportunity):
    """An application of `person` (a released Sam by default) at `status`, the way the journey
    gets there."""
    person = person or factories.candidate()
    application = factories.application(
        factories.opportunity(employer.organisation, title="Warehouse operative",
                              check_level=CheckLevel.BASIC, **opportunity),
        person, status=S.INTERVIEW if status is not S.APPLIED else S.APPLIED)
    if status in (S.CONDITIONAL_OFFER, S.DISCLOSURE):
        journey.make_conditional_offer(application, actor=employer)
    if status is S.DISCLOSURE:
        consent.give(application, actor=person.user)
    return application


# --- employer ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "status"), [
    ("make_conditional_offer", S.INTERVIEW), ("confirm_offer", S.CONDITIONAL_OFFER),
    ("withdraw_offer", S.CONDITIONAL_OFFER), ("reject", S.APPLIED)])
def test_employer_step_happens_only_from_its_check_page(app, db_session, northgate, action,
                                                       status):
    application = _at(northgate, status)
    name = application.candidate.full_name
    pages = PageClient(app.test_client(user=northgate))
    url = f"/employer/applications/{application.id}"
    page = pages.get(url)
    # The application page leads to the check page: no form there does it in one click.
    assert page.select_one(f"a[href='{url}/{action}']") is not None
    assert page.select_one(f"form[action='{url}/{action}']") is None

    check = pages.get(f"{url}/{action}")
    assert name in check.h1.get_text()
    assert check.select_one(f"a[href='{url}']").get_text() == "Cancel"
    form = check.select_one(f"form[action='{url}/{action}']")
    assert form.select_one(f"input[name='{action}-confirm'][value='yes']") is not None

    reason = {f"{action}-reason": "We needed a forklift licence"}
    token = {f"{action}-csrf_token": pages.token(url)}
    # The old one-click request: the check page again, and nothing changes.
    again = pages.post(f"{url}/{action}", {**token, **reason}, form_url=url,
                       expected_status=200)
    assert name in again.get_data(as_text=True)
    assert application.status is status
    pages.post(f"{url}/{action}", {**token, **reason, f"{action}-confirm": "yes"}, form_url=url,
               expected_status=302)
    assert application.status is not status
    assert set(CONFIRMED_ACTIONS) == {"make_conditional_offer", "confirm_offer",
                                      "withdraw_offer", "reject"}


def test_conditional_offer_check_page_says_who_is_told_what(app, db_session, northgate):
    application = _at(northgate, S.INTERVIEW)
    name = application.candidate.full_name
    page = PageClient(app.test_client(user=northgate)).get(
        f"/employer/applications/{application.id}/make_conditional_offer")
    assert page.h1.get_text() == f"Make a conditional offer to {name}?"
    assert (f"{name} will be told you are offering them the job of Warehouse operative, if "
            "their criminal record check is all right.") in _text(page)


def test_withdrawal_after_disclosure_check_page_gives_the_candidates_time(app, db_session,
                                                                         northgate, frozen):
    application = _at(northgate, S.DISCLOSURE)
    pages = PageClient(app.test_client(user=northgate))
    url = f"/employer/applications/{application.id}/withdraw_offer"
    text = _text(pages.get(url))
    assert "will be told you plan to withdraw the offer, and your reason" in text
    assert "You can make it final from 4 December 2026." in text
    pages.post(url, {"withdraw_offer-reason": "The role handles cash",
                     "withdraw_offer-confirm": "yes"},
               form_url=f"/employer/applications/{application.id}", expected_status=302)
    assert application.offer.provisional_until == dt.date(2026, 12, 4)
    assert application.offer.status is OfferStatus.CONDITIONAL
    # Before that day the page says so and offers no button.
    page = pages.get(url)
    assert "They can answer until 3 December 2026." in _text(page)
    assert page.select_one("form[action$='/withdraw_offer']") is None


def test_a_step_not_allowed_now_has_no_check_page(app, db_session, northgate):
    application = _at(northgate, S.APPLIED)
    pages = PageClient(app.test_client(user=northgate))
    url = f"/employer/applications/{application.id}"
    page = pages.get(f"{url}/confirm_offer")
    assert "You cannot do this now" in page.get_text()
    assert application.status is S.APPLIED
    pages.get(f"{url}/shortlist", expected_status=404)  # one click is fine: it harms nobody


# --- prison employment lead -------------------------------------------------------------------


@pytest.fixture()
def pel(db_session):
    return factories.user(Role.PEL, full_name="Jo Smith")


@pytest.fixture()
def inside(pel):
    return factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison, rotl_eligible=True,
                               user=factories.user(Role.CANDIDATE, full_name="Sam Inside"))


@pytest.mark.parametrize(("decision", "said", "status"), [
    ("approve", "will be told they can leave on day release to go to the interview on "
                "4 December 2026 at 10:00am.", RotlStatus.APPROVED),
    ("refuse", "will be told you have refused day release for the interview on 4 December 2026 "
               "at 10:00am.", RotlStatus.REFUSED)])
def test_day_release_is_decided_from_a_page_saying_who_is_told(app, db_session, northgate, pel,
                                                             inside, frozen, decision, said,
                                                             status):
    application = _at(northgate, S.APPLIED, inside, accepts_rotl=True)
    interview = journey.book_interview(
        application, actor=northgate, location="Unit 4, Leeds",
        when=dt.datetime(2026, 12, 4, 10, 0, tzinfo=clock.UK))
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/interviews/{interview.id}/day-release/{decision}"
    assert pages.get("/prison/").select_one(f"a[href='{url}']") is not None
    page = pages.get(url)
    text = _text(page)
    assert f"{inside.first_name} {said}" in text
    assert "Northgate Logistics will be told too" in text
    assert page.select_one(".govuk-button-group a[href='/prison/']").get_text() == "Cancel"
    pages.post(url, {}, expected_status=200)  # the one-click request decides nothing
    assert interview.rotl_status is RotlStatus.PENDING
    pages.post(url, {"confirm": "yes"}, expected_status=302)
    assert interview.rotl_status is status


def test_pel_checks_what_the_employer_will_see_before_recording_consent(
        app, db_session, northgate, pel, inside):
    for offence in ("Theft from a shop", "Handling stolen goods"):
        factories.conviction(inside, actor=pel, offence=offence,
                             date=dt.date.today() - dt.timedelta(days=100), **UNSPENT)
    consent.save_statement(inside, "I have changed.", actor=pel)
    application = _at(northgate, S.CONDITIONAL_OFFER, inside)
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/applications/{application.id}/consent"
    signed = dt.date.today() - dt.timedelta(days=1)
    answer = {"signed_on": [str(signed.day), str(signed.month), str(signed.year)]}

    page = check_page(pages.post(url, answer, expected_status=200).get_data(as_text=True))
    text = _text(page)
    assert page.h1.get_text() == "Check before you record consent"
    assert ("Northgate Logistics will see Sam’s disclosure statement and the 2 convictions "
            "listed below.") in text
    assert "Theft from a shop" in text and "Handling stolen goods" in text
    assert page.select_one(f"a[href='/prison/people/{inside.id}']").get_text() == "Cancel"
    assert consent.current(application) is None  # nothing recorded yet

    with clock.frozen(FRIDAY):
        pages.post(url, {**answer, "confirm": "yes"}, expected_status=302)
    assert consent.current(application).signed_on == signed
    text = _text(pages.get(url))
    assert (f"Recorded by Jo Smith, prison employment lead, on 27 November 2026 at 3:04pm, "
            f"from a consent form signed on {signed.day} {signed:%B %Y}.") in text


# --- candidate --------------------------------------------------------------------------------


def test_candidate_stops_sharing_from_a_page_saying_what_it_means(app, db_session, northgate):
    person = factories.candidate(user=factories.user(Role.CANDIDATE, full_name="Sam Taylor"))
    with clock.frozen(FRIDAY):
        application = _at(northgate, S.DISCLOSURE, person)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{application.id}"
    page = pages.get(url)
    assert "Given by Sam Taylor on this website on 27 November 2026 at 3:04pm." in _text(page)
    assert page.select_one(f"a[href='{url}/withdraw-consent']").get_text() == "Stop sharing"

    check = pages.get(f"{url}/withdraw-consent")
    assert check.h1.get_text() == "Stop sharing your disclosure with Northgate Logistics?"
    assert "Northgate Logistics will not see your statement or your convictions again." \
        in _text(check)
    assert check.select_one(f"a[href='{url}']").get_text() == "Cancel"
    pages.post(f"{url}/withdraw-consent", {}, expected_status=200)
    assert consent.disclosure_consent_in_force(application)
    pages.post(f"{url}/withdraw-consent", {"confirm": "yes"}, expected_status=302)
    assert not consent.disclosure_consent_in_force(application)
    # The message says so in words, not as escaped HTML.
    told = pages.get(url).select_one(".govuk-notification-banner--success")
    assert told.select_one(".govuk-notification-banner__heading").get_text(strip=True) == (
        "You have stopped sharing. The employer will not see your disclosure again.")
    assert "<p" not in told.get_text()


@pytest.mark.parametrize("who", ["person", "pel"])
def test_a_conviction_is_deleted_only_from_its_check_page(app, db_session, pel, inside, who):
    from marketplace.disclosure import records

    record = factories.conviction(inside, actor=pel, offence="Theft from a shop")
    user, base = ((inside.user, "/me/disclosure") if who == "person"
                  else (pel, f"/prison/people/{inside.id}/convictions"))
    pages = PageClient(app.test_client(user=user))
    url = (f"{base}/convictions/{record.id}/delete" if who == "person"
           else f"{base}/{record.id}/delete")
    assert pages.get(base).select_one(f"a[href='{url}']") is not None
    check = pages.get(url)
    assert check.h1.get_text() == "Delete this conviction or caution?"
    assert "Theft from a shop" in _text(check) and "You cannot undo this." in _text(check)
    assert check.select_one(f".govuk-button-group a[href='{base}']").get_text() == "Cancel"
    pages.post(url, {}, expected_status=200)
    assert records.get(inside, record.id) is not None
    pages.post(url, {"confirm": "yes"}, expected_status=302)
    assert records.get(inside, record.id) is None


@pytest.mark.parametrize(("choice", "said", "status"), [
    ("yes", "Northgate Logistics will see your name and profile, and that you want this job.",
     S.APPLIED),
    ("no", "Northgate Logistics will not be told anything about you.", S.WITHDRAWN)])
def test_a_nomination_is_answered_from_a_page_saying_what_the_answer_means(
        app, db_session, northgate, pel, choice, said, status):
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 user=factories.user(Role.CANDIDATE))
    nomination = journey.nominate(
        person, factories.opportunity(northgate.organisation, accepts_in_custody=True), pel=pel)
    pages = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{nomination.id}"
    check = f"{url}/answer?choice={choice}"
    assert pages.get(url).select_one(f"a[href='{check}']") is not None
    page = pages.get(check)
    assert said in _text(page) and "You cannot undo this." in _text(page)
    assert page.select_one(f".govuk-button-group a[href='{url}']").get_text() == "Cancel"
    pages.post(f"{url}/answer", {"choice": choice}, form_url=url, expected_status=200)
    assert nomination.status is S.NOMINATED
    pages.post(f"{url}/answer", {"choice": choice, "confirm": "yes"}, form_url=url,
               expected_status=302)
    assert nomination.status is status


def test_what_the_employer_will_see_is_said_in_one_sentence(app, db_session, northgate):
    person = factories.candidate()
    application = _at(northgate, S.CONDITIONAL_OFFER, person)
    assert consent.preview(application).employer_will_see("Northgate Logistics", "your") == (
        "Northgate Logistics will see no convictions for this job, and there is no disclosure "
        "statement.")
    factories.conviction(person, actor=person.user,
                         date=dt.date.today() - dt.timedelta(days=100), **UNSPENT)
    assert consent.preview(application).employer_will_see("Northgate Logistics", "your") == (
        "Northgate Logistics will see the 1 conviction listed below. There is no disclosure "
        "statement.")
    text = _text(PageClient(app.test_client(user=person.user)).get(
        f"/me/applications/{application.id}"))
    assert "Northgate Logistics will see the 1 conviction listed below." in text


# --- item 5: the deadline to answer leads the home pages --------------------------------------


def _withdrawal_planned(employer, person, answer=None):
    application = _at(employer, S.DISCLOSURE, person)
    journey.withdraw_offer(application, actor=employer, reason="The role handles cash")
    if answer:
        journey.respond_to_withdrawal(application, actor=person.user, response=answer)
    return application


def _banner(page):
    main = page.select_one("main")
    first = next(tag for tag in main.children if getattr(tag, "name", None))
    assert "govuk-notification-banner" in first.get("class", [])
    return first


def test_candidate_home_page_leads_with_the_time_to_answer(app, db_session, northgate, frozen):
    person = factories.candidate()
    application = _withdrawal_planned(northgate, person)
    pages = PageClient(app.test_client(user=person.user))
    banner = _banner(pages.get("/me/"))
    assert visible_text(banner.select_one(".govuk-notification-banner__heading")) == (
        "Northgate Logistics plan to withdraw your offer for Warehouse operative. You have "
        "until 3 December 2026 to answer.")
    link = banner.select_one("a.govuk-notification-banner__link")
    assert link["href"] == f"/me/applications/{application.id}#answer-response"
    assert link.get_text() == "Answer Northgate Logistics"
    assert pages.get(f"/me/applications/{application.id}").select_one("#answer-response")


def test_the_banner_goes_once_the_time_to_answer_is_over(app, db_session, northgate, frozen):
    person = factories.candidate()
    application = _withdrawal_planned(northgate, person)
    pages = PageClient(app.test_client(user=person.user))
    with clock.frozen(dt.date(2026, 12, 3)):
        assert pages.get("/me/").select_one(".govuk-notification-banner")
    with clock.frozen(dt.date(2026, 12, 4)):
        assert pages.get("/me/").select_one(".govuk-notification-banner") is None
        # Nor is there a form to answer that would only refuse.
        page = pages.get(f"/me/applications/{application.id}")
        assert "The time to answer ended on 3 December 2026." in _text(page)
        assert page.select_one("#answer-response") is None


def test_no_banner_without_a_planned_withdrawal(app, db_session, northgate):
    person = factories.candidate()
    _at(northgate, S.DISCLOSURE, person)
    page = PageClient(app.test_client(user=person.user)).get("/me/")
    assert page.select_one(".govuk-notification-banner") is None


def test_pel_home_page_leads_with_the_time_to_answer_for_someone_inside(
        app, db_session, northgate, pel, inside, frozen):
    _withdrawal_planned(northgate, inside)
    elsewhere = factories.candidate(CandidateStatus.IN_CUSTODY, prison=factories.prison("WDI"),
                                    user=factories.user(Role.CANDIDATE))
    _withdrawal_planned(northgate, elsewhere)
    banner = _banner(PageClient(app.test_client(user=pel)).get("/prison/"))
    headings = [visible_text(h) for h in
                banner.select(".govuk-notification-banner__heading")]
    assert headings == [
        f"{inside.full_name}: Northgate Logistics plan to withdraw their offer for Warehouse "
        "operative. Sam has until 3 December 2026 to answer."]
    assert banner.select_one(f"a[href='/prison/people/{inside.id}']")
    other = PageClient(app.test_client(user=factories.user(Role.PEL, prison=elsewhere.prison)))
    assert elsewhere.full_name in _text(other.get("/prison/").select_one(
        ".govuk-notification-banner"))
