"""Employers post opportunities and move applications on, through pages that work without
JavaScript. The rules themselves live in journey.py and are tested in test_journey.py; these
tests prove the pages use them and reject bad input without storing anything."""

import datetime as dt

import pytest
import sqlalchemy as sa

from marketplace.employers.forms import CONFIRMED_ACTIONS
from marketplace.models import AuditEvent, Opportunity, Placement
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    InterviewStatus,
    OffenceCategory,
    OpportunityKind,
    OpportunityStatus,
    OrganisationStatus,
    Role,
)
from tests import factories
from tests.pages import PageClient

NEXT_MONTH = dt.date.today() + dt.timedelta(days=30)


def _date(prefix: str, day: dt.date) -> dict:
    return {prefix: [str(day.day), str(day.month), str(day.year)]}


def _answers(**changes) -> dict:
    answers = {"kind": "vacancy", "title": "Kitchen porter", "description": "Washing up, "
               "keeping the kitchen clean, helping the chefs.", "sector": "hospitality_catering",
               "skills_text": "kitchen porter, food hygiene", "postcode_district": "ls11",
               "hours": "full_time", "hours_per_week": "37", "paid": "yes", "pay_min": "£12.71",
               "pay_period": "hour", "pays_minimum_wage": "y", "contract": "permanent",
               "places": "2", "check_level": "basic", "regulated_activity": "none",
               **_date("closing_date", NEXT_MONTH)}
    answers.update(changes)
    return {k: v for k, v in answers.items() if v is not None}


@pytest.fixture()
def employer(db_session):
    return factories.user(Role.EMPLOYER)


def _count(db_session) -> int:
    return db_session.scalar(sa.select(sa.func.count(Opportunity.id)))


def test_employer_posts_a_draft_then_publishes_and_closes_it(app, db_session, employer):
    pages = PageClient(app.test_client(user=employer))
    pages.get("/employer/opportunities/new")
    response = pages.post("/employer/opportunities/new",
                          _answers(exclusions=["arson", "driving"]), expected_status=302)
    opportunity = db_session.scalar(sa.select(Opportunity).where(
        Opportunity.title == "Kitchen porter"))
    assert response.headers["Location"].endswith(f"/employer/opportunities/{opportunity.id}")
    assert opportunity.status is OpportunityStatus.DRAFT
    assert opportunity.postcode_district == "LS11"
    assert opportunity.pay_min_pence == 1271
    assert "food_hygiene" in opportunity.skills
    assert opportunity.exclusion_categories == {OffenceCategory.ARSON, OffenceCategory.DRIVING}
    assert "This is a draft" in pages.get(f"/employer/opportunities/{opportunity.id}").get_text()

    pages.post(f"/employer/opportunities/{opportunity.id}/publish",
               form_url=f"/employer/opportunities/{opportunity.id}", expected_status=302)
    assert opportunity.status is OpportunityStatus.OPEN and opportunity.published_at
    pages.post(f"/employer/opportunities/{opportunity.id}/close",
               form_url=f"/employer/opportunities/{opportunity.id}", expected_status=302)
    assert opportunity.status is OpportunityStatus.CLOSED
    actions = set(db_session.scalars(sa.select(AuditEvent.action).where(
        AuditEvent.subject_id == opportunity.id, AuditEvent.action.like("opportunity.%"))))
    assert actions == {"opportunity.saved", "opportunity.published", "opportunity.closed"}


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": "  "}, "Enter a title"),
    ({"postcode_district": "ZZ99"}, "We cannot find the postcode area ZZ99"),
    ({"pay_min": "twelve"}, "Enter pay in pounds, like 12.71"),
    ({"pay_min": ""}, "Enter the pay, like 12.71"),
    ({"pay_max": "10"}, "The most it pays must be at least the pay from"),
    ({"pay_period": ""}, "Select whether the pay is for each hour, week or year"),
    ({"regulated_activity": "children"}, "Regulated activity needs an enhanced DBS check"),
    ({"exclusions": ["other"]}, "Enter why you cannot accept “other” offences"),
    ({"closing_date": ["1", "1", "2020"]}, "The closing date must be today or in the future"),
    ({"closing_date": ["31", "2", "2027"]}, "The closing date must be a real date"),
    ({"places": "0"}, "The number of places must be between 1 and 500"),
    ({"kind": "nonsense"}, "Not a valid choice"),
    ({"title": "x" * 161}, "The title must be 160 characters or fewer"),
])
def test_bad_answers_name_the_problem_and_store_nothing(app, db_session, employer, changes,
                                                        message):
    before = _count(db_session)
    pages = PageClient(app.test_client(user=employer))
    response = pages.post("/employer/opportunities/new", _answers(**changes),
                          expected_status=200)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert _count(db_session) == before


def test_unpaid_roles_store_no_pay(app, db_session, employer):
    pages = PageClient(app.test_client(user=employer))
    pages.post("/employer/opportunities/new",
               _answers(paid="no", pay_min="", pay_period="", kind="employability_activity",
                        title="Mock interviews", contract="none"), expected_status=302)
    saved = db_session.scalar(sa.select(Opportunity).where(Opportunity.title == "Mock interviews"))
    assert saved.pay_min_pence is None and saved.pay_period is None and not saved.paid


def test_kinds_offered_follow_the_alliance_level(app, db_session):
    level_one = factories.user(Role.EMPLOYER,
                               organisation=factories.organisation(alliance_level=1))
    pages = PageClient(app.test_client(user=level_one))
    kinds = {i["value"] for i in pages.get("/employer/opportunities/new")
             .select("input[name=kind]")}
    assert kinds == {OpportunityKind.EMPLOYABILITY.value}


def test_an_employer_below_the_level_cannot_post_that_kind_even_by_hand(app, db_session):
    level_one = factories.user(Role.EMPLOYER,
                               organisation=factories.organisation(alliance_level=1))
    before = _count(db_session)
    pages = PageClient(app.test_client(user=level_one))
    response = pages.post("/employer/opportunities/new", _answers(kind="vacancy"),
                          expected_status=200)
    assert "Not a valid choice" in response.get_data(as_text=True)
    draft = factories.opportunity(level_one.organisation, kind=OpportunityKind.EMPLOYABILITY,
                                  status=OpportunityStatus.DRAFT)
    pages.post(f"/employer/opportunities/{draft.id}/edit", _answers(kind="vacancy"),
               expected_status=200)
    assert draft.kind is OpportunityKind.EMPLOYABILITY
    assert _count(db_session) == before + 1  # only the draft made here


def test_the_save_service_refuses_a_kind_above_the_level(app, db_session):
    from marketplace.employers import services
    from marketplace.employers.forms import OpportunityForm

    level_three = factories.organisation(alliance_level=3)
    level_one = factories.organisation(alliance_level=1)
    before = _count(db_session)
    with app.test_request_context(method="POST", data=_answers(kind="vacancy")):
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            form = OpportunityForm(organisation=level_three)
            assert form.validate(), form.errors
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
        with pytest.raises(ValueError, match="Corporate Alliance level does not allow"):
            services.save_opportunity(None, form, organisation=level_one,
                                      actor=factories.user(Role.EMPLOYER,
                                                           organisation=level_one))
    assert _count(db_session) == before


def test_a_draft_above_the_level_cannot_be_published(app, db_session, employer):
    """An organisation whose Alliance level went down keeps its drafts but cannot publish a
    kind it may no longer post."""
    draft = factories.opportunity(employer.organisation, kind=OpportunityKind.VACANCY,
                                  status=OpportunityStatus.DRAFT)
    employer.organisation.alliance_level = 2
    pages = PageClient(app.test_client(user=employer))
    url = f"/employer/opportunities/{draft.id}"
    response = pages.post(f"{url}/publish", form_url=url, follow_redirects=True)
    assert "Corporate Alliance level does not allow" in response.get_data(as_text=True)
    assert draft.status is OpportunityStatus.DRAFT


def test_editing_keeps_answers_and_changes_exclusions(app, db_session, employer):
    opportunity = factories.opportunity(employer.organisation)
    pages = PageClient(app.test_client(user=employer))
    form = pages.get(f"/employer/opportunities/{opportunity.id}/edit")
    assert form.select_one("input[name=title]")["value"] == opportunity.title
    assert form.select_one("input[name=pay_min]")["value"] == "12.21"
    pages.post(f"/employer/opportunities/{opportunity.id}/edit",
               _answers(title="Senior warehouse operative", exclusions=["other"],
                        exclusion_reason="Handles controlled drugs"), expected_status=302)
    assert opportunity.title == "Senior warehouse operative"
    assert opportunity.exclusion_categories == {OffenceCategory.OTHER}
    assert opportunity.exclusion_reason == "Handles controlled drugs"


def test_pending_organisation_cannot_post_and_is_told(app, db_session):
    pending = factories.user(Role.EMPLOYER,
                             organisation=factories.organisation(status=OrganisationStatus.PENDING))
    assert app.test_client(user=pending).get("/employer/opportunities/new").status_code == 403


def test_another_organisation_cannot_see_or_change_an_opportunity(app, db_session, employer):
    opportunity = factories.opportunity()  # another organisation's
    client = app.test_client(user=employer)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        for url in (f"/employer/opportunities/{opportunity.id}",
                    f"/employer/opportunities/{opportunity.id}/edit"):
            assert client.get(url).status_code == 404
        for url in (f"/employer/opportunities/{opportunity.id}/publish",
                    f"/employer/opportunities/{opportunity.id}/close"):
            assert client.post(url).status_code == 404
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert opportunity.status is OpportunityStatus.OPEN


# --- moving an application on -----------------------------------------------------------------


def _application(employer, **opportunity):
    return factories.application(factories.opportunity(employer.organisation, **opportunity),
                                 factories.candidate())


def _act(pages, application, action, data=None, expected_status=302):
    """The step as the employer takes it: from its check page, where it has one."""
    url = f"/employer/applications/{application.id}"
    confirm = {"confirm": "yes"} if action in CONFIRMED_ACTIONS else {}
    data = {"csrf_token": pages.token(url), **confirm, **(data or {})}
    return pages.post(f"{url}/{action}", {f"{action}-{k}": v for k, v in data.items()},
                      form_url=url, expected_status=expected_status)


def test_employer_takes_an_application_from_applied_to_started(app, db_session, employer):
    application = _application(employer)
    pages = PageClient(app.test_client(user=employer))
    page = pages.get(f"/employer/applications/{application.id}").get_text()
    assert application.candidate.full_name in page  # stage 2: applied, so named
    _act(pages, application, "shortlist")
    assert application.status is ApplicationStatus.SHORTLISTED
    day = dt.date.today() + dt.timedelta(days=7)
    _act(pages, application, "book_interview",
         {"time": "10:30", "location": "Unit 4, Leeds", **_date("day", day)})
    assert application.status is ApplicationStatus.INTERVIEW
    assert application.interviews[0].location == "Unit 4, Leeds"
    # As if booked for yesterday: an outcome is recorded only once the interview has happened.
    application.interviews[0].scheduled_at -= dt.timedelta(days=8)
    _act(pages, application, "record_interview", {"attended": "yes"})
    assert application.interviews[0].status is InterviewStatus.COMPLETED
    _act(pages, application, "make_conditional_offer")
    assert application.status is ApplicationStatus.CONDITIONAL_OFFER
    _act(pages, application, "confirm_offer")
    _act(pages, application, "start", _date("started_on", dt.date.today()))
    assert application.status is ApplicationStatus.STARTED
    placement = db_session.scalar(sa.select(Placement).where(
        Placement.application_id == application.id))
    assert [c.week for c in placement.check_ins] == [13, 26]


@pytest.mark.parametrize(("action", "data", "message"), [
    ("book_interview", {"time": "25:00", "location": "Leeds"}, "Enter the time as hours"),
    ("book_interview", {"time": "10:00", "location": ""}, "Enter where the interview will be"),
    ("reject", {"reason": " "}, "Enter the reason. The candidate will see it"),
])
def test_action_with_bad_answers_says_what_is_wrong(app, db_session, employer, action, data,
                                                    message):
    application = _application(employer)
    pages = PageClient(app.test_client(user=employer))
    day = _date("day", dt.date.today() + dt.timedelta(days=3))
    response = _act(pages, application, action, {**data, **day}, expected_status=200)
    assert message in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.APPLIED


def test_a_guaranteed_interview_cannot_be_skipped_from_the_page(app, db_session, employer):
    application = _application(employer, guaranteed_interview=True,
                               required_skills=["forklift"])
    application.candidate.skills = ["forklift"]
    pages = PageClient(app.test_client(user=employer))
    page = pages.get(f"/employer/applications/{application.id}")
    assert "Interview them before you decide" in page.get_text()
    assert not page.select("a[href$='/reject'], form[action$='/reject']")
    response = _act(pages, application, "reject", {"reason": "Not for us"}, expected_status=200)
    assert "You cannot do this now" in response.get_data(as_text=True)
    assert application.status is ApplicationStatus.APPLIED


def test_rejection_reason_reaches_the_candidate(app, db_session, employer):
    application = _application(employer)
    pages = PageClient(app.test_client(user=employer))
    _act(pages, application, "reject", {"reason": "We needed a forklift licence"})
    assert application.status is ApplicationStatus.UNSUCCESSFUL
    text = PageClient(app.test_client(user=application.candidate.user)).get("/me/").get_text()
    assert "We needed a forklift licence" in text


def test_another_organisation_cannot_act_on_an_application(app, db_session, employer):
    application = factories.application()  # another organisation's
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = app.test_client(user=employer).post(
            f"/employer/applications/{application.id}/shortlist")
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 404
    assert application.status is ApplicationStatus.APPLIED


def _ref(app, candidate, organisation) -> str:
    from marketplace.disclosure.policy import candidate_ref

    with app.test_request_context():
        return candidate_ref(candidate.id, organisation_id=organisation.id)


def test_opportunity_lists_applicants_by_reference_not_name(app, db_session, employer):
    opportunity = factories.opportunity(employer.organisation)
    applied = factories.application(opportunity, factories.candidate())
    text = PageClient(app.test_client(user=employer)).get(
        f"/employer/opportunities/{opportunity.id}").get_text()
    assert f"Candidate {_ref(app, applied.candidate, employer.organisation)}" in text
    assert applied.candidate.last_name not in text


def test_each_organisation_knows_a_candidate_by_its_own_reference(app, db_session, employer):
    """References are per-organisation pseudonyms: the same on every page one organisation
    sees, different for another, so employers cannot pool them to link cards to a person."""
    from marketplace import journey

    other = factories.user(Role.EMPLOYER)
    person = factories.candidate()
    seen = {}
    for member in (employer, other):
        application = factories.application(factories.opportunity(member.organisation), person)
        # Withdrawn, so the application page names them only by reference (stage 1).
        journey.withdraw(application, actor=person.user, reason="Found another job")
        pages = PageClient(app.test_client(user=member))
        listed = pages.get(f"/employer/opportunities/{application.opportunity_id}").select_one(
            f"a[href$='/applications/{application.id}']").get_text(strip=True)
        page = pages.get(f"/employer/applications/{application.id}").select_one("h1")
        assert listed == page.get_text(strip=True)
        seen[member.organisation_id] = listed
    assert seen[employer.organisation_id] == f"Candidate {_ref(app, person, employer.organisation)}"
    assert seen[employer.organisation_id] != seen[other.organisation_id]


# --- what an employer may see of an application ----------------------------------------------


@pytest.fixture()
def nominations(db_session, employer):
    """Three people nominated by their PEL for one of the employer's roles, each with a note:
    one still to answer, one who declined, one who agreed."""
    from marketplace import journey

    pel = factories.user(Role.PEL)
    opportunity = factories.opportunity(employer.organisation, title="Stores assistant")
    found = {}
    for answer in ("waiting", "declined", "agreed"):
        person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                     release_date=dt.date.today() + dt.timedelta(days=20))
        found[answer] = journey.nominate(person, opportunity, pel=pel,
                                         note=f"Note from the PEL, {answer}")
        if answer != "waiting":
            journey.respond_to_nomination(found[answer], actor=pel, accept=answer == "agreed")
    return opportunity, found


def test_employer_sees_nothing_of_a_nomination_the_person_has_not_agreed_to(
        app, db_session, employer, nominations):
    opportunity, found = nominations
    pages = PageClient(app.test_client(user=employer))
    page = pages.get(f"/employer/opportunities/{opportunity.id}").get_text()
    assert f"Candidate {_ref(app, found['agreed'].candidate, employer.organisation)}" in page
    for hidden in ("waiting", "declined"):
        assert _ref(app, found[hidden].candidate, employer.organisation) not in page
        assert f"Note from the PEL, {hidden}" not in page
    assert "Declined the nomination" not in page

    listed = pages.get("/employer/opportunities")
    row = listed.select_one(f"a[href$='/opportunities/{opportunity.id}']").find_parent("tr")
    # applications counted (the cell's own text; its heading shows only on a phone)
    assert row.select("td")[-1].find(string=True, recursive=False).strip() == "1"

    dashboard = pages.get("/employer/")
    waiting_for_answer = {a["href"] for a in dashboard.select("a[href*='/applications/']")}
    assert waiting_for_answer == {f"/employer/applications/{found['agreed'].id}"}

    for hidden in ("waiting", "declined"):
        url = f"/employer/applications/{found[hidden].id}"
        assert pages.client.get(url).status_code == 404
        app.config["WTF_CSRF_ENABLED"] = False
        try:
            assert pages.client.post(f"{url}/shortlist").status_code == 404
        finally:
            app.config["WTF_CSRF_ENABLED"] = True
    assert found["declined"].status is ApplicationStatus.WITHDRAWN


def test_an_agreed_nomination_shows_from_when_the_person_agreed(app, db_session, employer,
                                                                nominations):
    from marketplace.filters import date

    opportunity, found = nominations
    agreed = found["agreed"]
    nominated_event = agreed.events[0]
    # Nominated a month ago; the person agreed today.
    agreed.created_at = nominated_event.at = nominated_event.at - dt.timedelta(days=30)
    pages = PageClient(app.test_client(user=employer))
    page = pages.get(f"/employer/applications/{agreed.id}")
    heading = next(h for h in page.select("h2") if h.get_text(strip=True) == "What has happened")
    history = [li.get_text(" ", strip=True) for li in heading.find_next("ul").select("li")]
    assert history and all("Nominated" not in item for item in history)
    assert "Note from the PEL" not in heading.find_next("ul").get_text()
    assert any(item.endswith("Applied. Agreed to the nomination") for item in history)
    row = pages.get(f"/employer/opportunities/{opportunity.id}").select_one(
        f"a[href$='/applications/{agreed.id}']").find_parent("tr")
    assert row.select("td")[-1].find(string=True, recursive=False).strip() == \
        date(agreed.events[-1].at)


# --- 13- and 26-week check-ins --------------------------------------------------------------


def _started(employer, weeks_ago: int):
    from marketplace import journey

    application = _application(employer)
    application.status = ApplicationStatus.OFFER_CONFIRMED
    started_on = dt.date.today() - dt.timedelta(weeks=weeks_ago)
    placement = journey.start(application, actor=employer, started_on=started_on)
    return application, placement


def test_employer_records_a_due_check_in_from_the_dashboard(app, db_session, employer):
    from marketplace.types import CheckInOutcome

    application, placement = _started(employer, weeks_ago=14)
    pages = PageClient(app.test_client(user=employer))
    dashboard = pages.get("/employer/").get_text()
    assert "Check-ins due" in dashboard and "week 13" in dashboard
    page = pages.get(f"/employer/applications/{application.id}")
    week_13, week_26 = placement.check_ins
    check = f"/employer/check-ins/{week_13.id}?choice=yes"
    assert page.select(f"a[href='{check}']")
    assert not page.select(f"a[href^='/employer/check-ins/{week_26.id}']")  # not due yet
    text = " ".join(pages.get(check).get_text().split())
    assert "You cannot change it afterwards." in text
    pages.post(f"/employer/check-ins/{week_13.id}", {"choice": "yes"}, form_url=check,
               expected_status=200)
    assert week_13.outcome is None  # the check page first
    pages.post(f"/employer/check-ins/{week_13.id}", {"choice": "yes", "confirm": "yes"},
               form_url=check, expected_status=302)
    assert week_13.outcome is CheckInOutcome.IN_WORK and week_13.recorded_by_id == employer.id
    assert "Check-ins due" not in pages.get("/employer/").get_text()


def test_a_check_in_not_yet_due_is_refused(app, db_session, employer):
    application, placement = _started(employer, weeks_ago=2)
    pages = PageClient(app.test_client(user=employer))
    response = pages.post(f"/employer/check-ins/{placement.check_ins[0].id}",
                          {"choice": "no", "confirm": "yes"},
                          form_url=f"/employer/applications/{application.id}",
                          follow_redirects=True)
    assert "This check-in is not due until" in response.get_data(as_text=True)
    assert placement.check_ins[0].outcome is None


def test_another_organisation_cannot_record_a_check_in(app, db_session, employer):
    other = factories.user(Role.EMPLOYER)
    _, placement = _started(other, weeks_ago=30)
    app.config["WTF_CSRF_ENABLED"] = False
    try:
        response = app.test_client(user=employer).post(
            f"/employer/check-ins/{placement.check_ins[0].id}",
            data={"choice": "yes", "confirm": "yes"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert response.status_code == 404
    assert placement.check_ins[0].outcome is None
