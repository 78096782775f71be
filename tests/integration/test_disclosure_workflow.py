"""Conviction records, consent and the stage 3 reveal, end to end."""

import datetime as dt
import itertools

import jinja2
import pytest
import sqlalchemy as sa
from jinja2 import nodes

from marketplace import journey
from marketplace.disclosure import consent, policy, records
from marketplace.disclosure.calculator import DisposalKind as D
from marketplace.disclosure.policy import Stage
from marketplace.journey import JourneyError
from marketplace.models import AuditEvent
from marketplace.models.disclosure import ConvictionRecord
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckLevel,
    OffenceCategory,
    Role,
)
from tests import factories
from tests.pages import PageClient

S = ApplicationStatus
TODAY = dt.date.today()
YEARS = 365

# One conviction of each kind the policy must tell apart, as of today.
UNSPENT = dict(offence="Unspent burglary", category=OffenceCategory.THEFT,
               date=TODAY - dt.timedelta(days=200), disposal=D.COMMUNITY_ORDER,
               length_months=24)
SPENT_RECENT = dict(offence="Spent recent fine", category=OffenceCategory.DRIVING,
                    date=TODAY - dt.timedelta(days=3 * YEARS), disposal=D.FINE)
PROTECTED = dict(offence="Protected old fine", category=OffenceCategory.FRAUD,
                 date=TODAY - dt.timedelta(days=13 * YEARS), disposal=D.FINE)
EXPECTED = {
    CheckLevel.NONE: {"Unspent burglary"},
    CheckLevel.BASIC: {"Unspent burglary"},
    CheckLevel.STANDARD: {"Unspent burglary", "Spent recent fine"},
    CheckLevel.ENHANCED: {"Unspent burglary", "Spent recent fine"},
    CheckLevel.ENHANCED_BARRED: {"Unspent burglary", "Spent recent fine"},
}


@pytest.fixture()
def person(db_session):
    candidate = factories.candidate(first_name="Robin", last_name="Hale")
    for fields in (UNSPENT, SPENT_RECENT, PROTECTED):
        factories.conviction(candidate, actor=candidate.user, **fields)
    consent.save_statement(candidate, "I have changed. I want this job.",
                           actor=candidate.user)
    return candidate


def test_conviction_is_encrypted_at_rest(db_session, person):
    raw = db_session.execute(sa.text("SELECT payload FROM conviction_records")).scalars().all()
    assert raw and all("burglary" not in value and "Theft" not in value for value in raw)
    assert {c.offence for _r, c in records.for_candidate(person)} == {
        "Unspent burglary", "Spent recent fine", "Protected old fine"}


def test_audit_of_a_conviction_change_does_not_say_what_it_is(db_session, person):
    details = [repr(e.detail) + (e.reason or "") for e in db_session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "conviction.added"))]
    assert details and not any("burglary" in d.lower() for d in details)


@pytest.mark.parametrize("level", list(CheckLevel))
def test_considerable_offences_follow_the_law_at_each_level(db_session, person, level):
    categories = {OffenceCategory.THEFT} | (
        {OffenceCategory.DRIVING} if level not in (CheckLevel.NONE, CheckLevel.BASIC) else set())
    assert records.considerable_offences(person, level) == categories


def test_offence_exclusion_uses_only_unspent_convictions_for_a_basic_role(db_session, person):
    employer = factories.user(Role.EMPLOYER)
    from marketplace.models import OpportunityExclusion

    driving_excluded = factories.opportunity(
        employer.organisation, check_level=CheckLevel.BASIC,
        exclusions=[OpportunityExclusion(category=OffenceCategory.DRIVING)])
    theft_excluded = factories.opportunity(
        employer.organisation, check_level=CheckLevel.BASIC,
        exclusions=[OpportunityExclusion(category=OffenceCategory.THEFT)])
    journey.apply(person, driving_excluded, actor=person.user)  # spent: may not be used
    with pytest.raises(JourneyError, match="cannot consider your application"):
        journey.apply(person, theft_excluded, actor=person.user)


def _application_at(person, level, status, employer):
    return factories.application(factories.opportunity(employer.organisation, check_level=level),
                                 person, status=status)


@pytest.mark.parametrize("level, status, consented", list(itertools.product(
    list(CheckLevel), [S.APPLIED, S.INTERVIEW, S.CONDITIONAL_OFFER, S.OFFER_CONFIRMED],
    [False, True])))
def test_employer_sees_exactly_what_the_law_and_consent_allow(db_session, person, level, status,
                                                              consented):
    employer = factories.user(Role.EMPLOYER)
    application = _application_at(person, level, status, employer)
    if consented and status in consent.CONSENT_STATUSES:
        consent.give(application, actor=person.user)
    view = policy.candidate_view(employer, person, application)
    shown = {c.offence for c in view.convictions or ()}
    text = repr(view)
    if consented and status in consent.CONSENT_STATUSES:
        assert view.stage is Stage.DISCLOSURE
        assert shown == EXPECTED[level]
        assert view.disclosure_statement == "I have changed. I want this job."
    else:
        assert view.stage is Stage.PROFILE and view.convictions is None
        assert "changed" not in text
    assert "Protected old fine" not in text
    if level in (CheckLevel.NONE, CheckLevel.BASIC):
        assert "Spent recent fine" not in text


def test_consent_cannot_be_given_before_a_conditional_offer(db_session, person):
    employer = factories.user(Role.EMPLOYER)
    application = _application_at(person, CheckLevel.BASIC, S.INTERVIEW, employer)
    with pytest.raises(consent.ConsentError, match="after a conditional job offer"):
        consent.give(application, actor=person.user)


def test_journey_to_disclosure_in_pages_with_withdrawal_taking_effect(app, db_session, person):
    employer = factories.user(Role.EMPLOYER)
    application = _application_at(person, CheckLevel.STANDARD, S.INTERVIEW, employer)
    journey.make_conditional_offer(application, actor=employer)
    mine = PageClient(app.test_client(user=person.user))
    theirs = PageClient(app.test_client(user=employer))
    url = f"/me/applications/{application.id}"

    preview = mine.get(url).get_text()
    assert "Unspent burglary" in preview and "Spent recent fine" in preview
    assert "Protected old fine" not in preview
    employer_page = theirs.get(f"/employer/applications/{application.id}").get_text()
    assert "Robin Hale" in employer_page and "Unspent burglary" not in employer_page

    mine.post(url, {"agree": "y"}, expected_status=302)
    assert application.status is S.DISCLOSURE
    employer_page = theirs.get(f"/employer/applications/{application.id}").get_text()
    assert "Unspent burglary" in employer_page and "I have changed" in employer_page
    assert "Protected old fine" not in employer_page

    mine.post(f"/me/applications/{application.id}/withdraw-consent", {"confirm": "yes"},
              form_url=url, expected_status=302)
    employer_page = theirs.get(f"/employer/applications/{application.id}").get_text()
    assert "Unspent burglary" not in employer_page and "I have changed" not in employer_page

    # Each line names the job, so a person with several applications knows which one.
    activity = mine.get("/me/activity").get_text()
    job = application.opportunity.title
    assert f"saw your statement and the convictions that the check for {job} shows" in activity
    assert f"{employer.organisation.name} saw your name and profile for {job}" in activity
    assert f"agreed to share your record for {job}" in activity


def test_pel_records_signed_consent_with_date(app, db_session):
    pel = factories.user(Role.PEL)
    employer = factories.user(Role.EMPLOYER)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    application = _application_at(person, CheckLevel.BASIC, S.CONDITIONAL_OFFER, employer)
    pages = PageClient(app.test_client(user=pel))
    url = f"/prison/applications/{application.id}/consent"
    response = pages.post(url, {"signed_on": ["1", "1", str(TODAY.year + 2)]},
                          expected_status=200)
    assert "must be today or in the past" in response.get_data(as_text=True)
    pages.post(url, {"signed_on": [str(TODAY.day), str(TODAY.month), str(TODAY.year)],
                     "confirm": "yes"}, expected_status=302)
    current = consent.current(application)
    assert current.signed_on == TODAY and current.given_by_id == pel.id


def test_another_employer_and_guessed_ids_reveal_nothing(app, db_session, person):
    owner = factories.user(Role.EMPLOYER)
    application = _application_at(person, CheckLevel.BASIC, S.APPLIED, owner)
    other = app.test_client(user=factories.user(Role.EMPLOYER))
    assert other.get(f"/employer/applications/{application.id}").status_code == 404
    assert other.get(f"/employer/applications/{application.id + 1000}").status_code == 404
    stranger = app.test_client(user=factories.candidate().user)
    assert stranger.get(f"/me/applications/{application.id}").status_code == 404
    record_id = records.for_candidate(person)[0][0].id
    assert stranger.get(f"/me/disclosure/convictions/{record_id}").status_code == 404


def test_pel_of_another_prison_cannot_see_or_change_a_record(app, db_session):
    home_pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, prison=home_pel.prison)
    record = factories.conviction(person, actor=home_pel)
    other_pel = app.test_client(user=factories.user(Role.PEL, prison=factories.prison("WDI")))
    for url in (f"/prison/people/{person.id}", f"/prison/people/{person.id}/convictions",
                f"/prison/people/{person.id}/convictions/{record.id}"):
        assert other_pel.get(url).status_code == 404


def test_candidate_adds_a_conviction_and_sees_what_to_disclose(app, db_session):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    pages.get("/me/disclosure/convictions/new")
    bad = pages.post("/me/disclosure/convictions/new", {
        "offence": "Criminal damage", "categories": "other", "date": ["1", "2", "2024"],
        "under_18": "no", "disposal": "custody"}, expected_status=200)
    assert "Enter how long the sentence was, in months" in bad.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(ConvictionRecord.id))) == 0
    pages.post("/me/disclosure/convictions/new", {
        "offence": "Criminal damage", "categories": "other", "date": ["1", "2", "2024"],
        "under_18": "no", "disposal": "custody", "length_months": "6"}, expected_status=302)
    text = pages.get("/me/disclosure").get_text()
    assert "Criminal damage" in text
    assert "This will become spent on 1 August 2025." in text or "became spent" in text


@pytest.mark.parametrize("disposal, months, message", [
    ("detention_training_order", "30",
     "A detention and training order can be no longer than 24 months"),
    ("suspended", "36", "A suspended sentence can be no longer than 2 years (24 months)"),
])
def test_conviction_form_refuses_a_length_over_the_statutory_maximum(app, db_session, disposal,
                                                                      months, message):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    page = pages.post("/me/disclosure/convictions/new", {
        "offence": "Burglary", "categories": "other", "date": ["1", "2", "2024"],
        "under_18": "yes", "disposal": disposal, "length_months": months}, expected_status=200)
    assert message in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(ConvictionRecord.id))) == 0


def test_records_refuse_a_length_over_the_statutory_maximum(db_session):
    person = factories.candidate()
    conviction = records.Conviction(
        offence="Burglary", categories=(OffenceCategory.OTHER,),
        date=TODAY - dt.timedelta(days=400), under_18=True,
        sentences=(records.Sentence(D.DTO, length_months=30),))
    with pytest.raises(ValueError, match="no longer than 24 months"):
        records.add(person, conviction, actor=person.user)


def _names_and_attributes(template: nodes.Template) -> set[str]:
    found = {n.name for n in template.find_all(nodes.Name)}
    found |= {n.attr for n in template.find_all(nodes.Getattr)}
    return found


def test_employer_templates_render_view_objects_never_the_candidate_model(app):
    """Every page an employer sees gets candidates only as CandidateView objects."""
    loader = app.jinja_loader
    env = jinja2.Environment(loader=loader)
    employer_templates = [name for name in loader.list_templates()
                          if name.startswith(("employers/", "components/candidate"))]
    assert "employers/application.html" in employer_templates
    forbidden = {"candidate", "candidates", "prison_number", "risk_notes",
                 "exclusion_districts", "barred_children", "barred_adults", "payload",
                 "licence_end_date", "needs", "readiness"}
    for name in employer_templates:
        source = loader.get_source(env, name)[0]
        used = _names_and_attributes(env.parse(source))
        assert not used & forbidden, (name, used & forbidden)


@pytest.mark.parametrize("parts", [[], ["1"], ["1", "2"], ["1", "2", "2024", "9"],
                                   ["31", "2", "2024"], ["a", "b", "c"]])
def test_broken_dates_get_a_message_not_an_error(app, db_session, parts):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    response = pages.post("/me/disclosure/convictions/new", {
        "offence": "Theft", "categories": "theft", "date": parts, "end_date": parts,
        "under_18": "no", "disposal": "fine"}, expected_status=200)
    assert "Enter the date of the conviction or caution" in response.get_data(as_text=True)


def _listed(page) -> list[dict[str, str]]:
    """The records the consent page says the employer will see, field by field."""
    return [{row.dt.get_text(strip=True): row.dd.get_text(strip=True)
             for row in listing.select(".govuk-summary-list__row")}
            for listing in page.select(".govuk-inset-text .govuk-summary-list")]


@pytest.mark.parametrize("level", [CheckLevel.STANDARD, CheckLevel.BASIC])
def test_consent_page_shows_exactly_what_this_roles_check_reveals_and_why(app, db_session,
                                                                          person, level):
    """Issue 8, item 12: a spent but unfiltered conviction is shown for a standard check role,
    and the page the person agrees on says so, from the same object the reveal uses."""
    from marketplace.disclosure.calculator import add_months

    employer = factories.user(Role.EMPLOYER)
    application = _application_at(person, level, S.CONDITIONAL_OFFER, employer)
    mine = PageClient(app.test_client(user=person.user))
    url = f"/me/applications/{application.id}"
    page = mine.get(url)
    text = " ".join(page.get_text().split())
    listed = _listed(page)
    assert {item["Offence"] for item in listed} == EXPECTED[level]
    assert "never shown" not in text
    why = {item["Offence"]: item["Why it is shown"] for item in listed}
    assert why["Unspent burglary"].startswith("It is not spent yet. It will be spent on ")
    filtered_on = add_months(SPENT_RECENT["date"], 132)
    if level is CheckLevel.STANDARD:
        assert "They will also see spent ones that this check still shows." in text
        assert why["Spent recent fine"] == ("It is spent. But a standard check shows it until "
                                            f"{filtered_on.day} {filtered_on:%B %Y}.")
        assert "1 other conviction or caution on the record will not be shown." in text
    else:
        assert "They will not see spent ones." in text and "Spent recent fine" not in text
        assert "2 other convictions or cautions on the record will not be shown." in text

    mine.post(url, {"agree": "y"}, expected_status=302)
    view = policy.candidate_view(employer, person, application)
    assert [c.offence for c in view.convictions] == [item["Offence"] for item in listed]
    assert [c.disposal for c in view.convictions] == [item["Sentence"] for item in listed]


def test_pel_sees_the_same_list_and_reasons_before_recording_consent(app, db_session):
    pel = factories.user(Role.PEL)
    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison)
    factories.conviction(inside, actor=pel, **SPENT_RECENT)
    application = _application_at(inside, CheckLevel.ENHANCED, S.CONDITIONAL_OFFER,
                                  factories.user(Role.EMPLOYER))
    page = PageClient(app.test_client(user=pel)).get(
        f"/prison/applications/{application.id}/consent")
    text = " ".join(page.get_text().split())
    assert "Spent recent fine" in text and "But an enhanced check shows it until" in text
    assert "Nothing else on the record will be shown." in text


@pytest.mark.parametrize("order_end, end_date, expected", [
    ("until_further_order", None, "The order lasts until a court ends it. It is not spent"),
    ("until_further_order", ["15", "6", "2020"],
     "This became spent on 15 June 2020: when another order ended it (ROA s.5(2))."),
    ("unknown", None, "We cannot be sure when it will be spent."),
    ("no_provision", None, "This became spent on 1 March 2014: 24 months after the "
     "conviction, as the order does not say when it ends (ROA s.5(3))."),
    ("date", ["1", "3", "2013"], "This became spent on 1 March 2013: the day the order ends "
     "(ROA s.5(2))."),
])
def test_conviction_form_asks_whether_the_order_has_an_end_date(app, db_session, order_end,
                                                                 end_date, expected):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    form = {"offence": "Harassment", "categories": "other", "date": ["1", "3", "2012"],
            "under_18": "no", "disposal": "relevant_order", "order_end": order_end}
    if end_date:
        form["end_date"] = end_date
    pages.post("/me/disclosure/convictions/new", form, expected_status=302)
    text = pages.get("/me/disclosure").get_text()
    assert expected in text
    if order_end == "unknown":
        assert "ask the court that made the order" in text


def test_conviction_form_wants_the_date_when_the_order_has_one(app, db_session):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    page = pages.post("/me/disclosure/convictions/new", {
        "offence": "Harassment", "categories": "other", "date": ["1", "3", "2012"],
        "under_18": "no", "disposal": "relevant_order", "order_end": "date"},
        expected_status=200)
    assert "Enter the date the order ends, or how long it lasts" in page.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(ConvictionRecord.id))) == 0


@pytest.mark.parametrize("form, expected", [
    ({"disposal": "penalty_points"}, "We cannot be sure of this date."),
    ({"disposal": "service_detention", "length_months": "6"},
     "This became spent on 1 September 2025: 1 year after the detention ends (ROA "
     "s.5(2))."),
    ({"disposal": "removal_from_service"}, "This became spent on 1 March 2025: 12 months "
     "after the conviction (ROA s.5(2))."),
])
def test_conviction_form_takes_penalty_points_and_service_disposals(app, db_session, form,
                                                                    expected):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    pages.post("/me/disclosure/convictions/new", {
        "offence": "Speeding" if form["disposal"] == "penalty_points" else "Absence",
        "categories": "other", "date": ["1", "3", "2024"], "under_18": "no", **form},
        expected_status=302)
    text = pages.get("/me/disclosure").get_text()
    assert expected in text


def test_api_serialisers_carry_view_objects_never_conviction_data(app):
    """The employer API's schemas (marketplace/api/schemas.py) are its serialisers: no field,
    at any depth, is a candidate model's private field or conviction or disclosure data, and
    its candidate is built only from policy.CandidateView (api/v1_routes.py `candidate`)."""
    import marshmallow as ma

    from marketplace.api import schemas
    from marketplace.disclosure.policy import CandidateView

    forbidden = {"candidate_id", "prison_number", "risk_notes", "exclusion_districts",
                 "barred_children", "barred_adults", "payload", "licence_end_date", "needs",
                 "readiness", "convictions", "conviction", "disclosure_statement", "offence",
                 "offences", "spent", "spent_status", "disposal", "sentence", "sentences"}

    def names(schema: ma.Schema) -> set[str]:
        found = set(schema.fields)
        for field in schema.fields.values():
            inner = getattr(field, "inner", None) or field
            if isinstance(inner, ma.fields.Nested):
                found |= names(inner.schema)
        return found

    serialisers = [value for value in vars(schemas).values()
                   if isinstance(value, type) and issubclass(value, ma.Schema)
                   and value.__module__ == schemas.__name__]
    assert schemas.CandidateSchema in serialisers and schemas.OpportunitySchema in serialisers
    for serialiser in serialisers:
        assert not names(serialiser()) & forbidden, serialiser
    # Every candidate field the API shows is one of CandidateView's.
    assert set(schemas.CandidateSchema().fields) <= set(CandidateView.__dataclass_fields__)
