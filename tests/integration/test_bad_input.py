"""Whatever a client sends, the answer is a page or a 404, never a 500: ids the database cannot
hold, dates far outside what a field means, JSON where a form is expected, over-long text and
control characters. Run on PostgreSQL too: it refuses what SQLite stores."""

import datetime as dt
import importlib
import re

import pytest
import sqlalchemy as sa
import wtforms
from werkzeug.routing import IntegerConverter
from wtforms.fields.core import UnboundField
from wtforms.validators import AnyOf

from marketplace.converters import MAX_ID, IdConverter
from marketplace.employers.forms import ACTION_FORMS
from marketplace.extensions import db
from marketplace.forms import DateRange, Form, MaxLength, PlainText, PostcodeDistrict
from marketplace.models import Candidate, Interview, User
from marketplace.permissions import PUBLIC
from marketplace.types import ApplicationStatus, Role
from tests import factories
from tests.integration import test_route_access
from tests.integration.access import ACCESS, URL_ARGS
from tests.pages import PageClient, check_page

world = test_route_access.world

FORM_MODULES = ("marketplace.forms", "marketplace.auth.forms", "marketplace.candidates.forms",
                "marketplace.employers.forms", "marketplace.prisons.forms",
                "marketplace.admin.forms")
# A Text column has no length of its own; no answer typed into a form needs more than this.
TEXT_LIMIT = 5000


def _signed_in(app, endpoint):
    """A client signed in as someone the endpoint lets in (anonymous for public pages)."""
    rule = ACCESS[endpoint]
    if rule == PUBLIC:
        return app.test_client()
    if isinstance(rule, str) and rule.startswith("token:"):  # the employer API: every scope
        from marketplace.api import services
        from marketplace.permissions import API_SCOPES

        employer = factories.user(Role.EMPLOYER)
        _, token = services.create_token(employer.organisation, actor=employer, name="Test",
                                         scopes=API_SCOPES)
        client = app.test_client()
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return client
    role = rule[0]
    user = factories.candidate().user if role is Role.CANDIDATE else factories.user(role)
    return app.test_client(user=user)


# --- ids beyond what the database holds -----------------------------------------------------------


def _id_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if any(isinstance(c, IdConverter) for c in rule._converters.values())),
                  key=lambda rule: rule.rule)


_PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class _Anything:
    """Stands in for every object of the access tables' URL arguments: the ids are replaced."""

    id = 1


def _url_with_id(rule, value: str) -> str:
    others = URL_ARGS.get(rule.endpoint, lambda w: {})(_AnyWorld())
    return _PART.sub(lambda m: value if m[1] == "id" else str(others[m[2]]), rule.rule)


class _AnyWorld(dict):
    def __missing__(self, key):
        return _Anything()


def test_every_id_in_a_url_uses_the_id_converter(app):
    loose = [rule.rule for rule in app.url_map.iter_rules()
             for name, converter in rule._converters.items()
             if (name.endswith("_id") or isinstance(converter, IntegerConverter))
             and not isinstance(converter, IdConverter)]
    assert loose == []
    assert len(_id_rules(app)) >= 25


@pytest.mark.parametrize("value", [str(MAX_ID + 1), "9223372036854775808", "1" + "0" * 40,
                                   "0", "-1", "007", "1.5", "abc", "٣", str(MAX_ID)])
def test_an_id_the_database_cannot_hold_is_404_on_every_route(app, db_session, value):
    """Signed in as someone each route lets in, so nothing but the id can refuse the request.
    MAX_ID itself is a valid id that no row has: the view runs its query and answers 404."""
    answers = {}
    for rule in _id_rules(app):
        client = _signed_in(app, rule.endpoint)
        url = _url_with_id(rule, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            app.config["WTF_CSRF_ENABLED"] = False
            try:
                response = client.open(url, method=method)
            finally:
                app.config["WTF_CSRF_ENABLED"] = True
            answers[f"{method} {url}"] = response.status_code
            if rule.endpoint.startswith("api."):
                assert response.get_json()["status"] == 404
    assert {request: code for request, code in answers.items() if code != 404} == {}
    assert len(answers) >= 25


# --- dates far outside what a field means ---------------------------------------------------------


def _form_classes(app) -> list[type[Form]]:
    for module in FORM_MODULES:
        importlib.import_module(module)
    found, stack = set(), [Form]
    while stack:
        for subclass in stack.pop().__subclasses__():
            found.add(subclass)
            stack.append(subclass)
    return sorted(found, key=lambda cls: cls.__qualname__)


def _fields(form_class) -> list[tuple[str, UnboundField]]:
    return [(name, getattr(form_class, name)) for name in dir(form_class)
            if isinstance(getattr(form_class, name), UnboundField)]


def _validators(unbound: UnboundField) -> list:
    return list(unbound.kwargs.get("validators") or
                (unbound.args[1] if len(unbound.args) > 1 else []))


def _make(form_class, db_session):
    """A form bound to the current request, given what its constructor asks for."""
    extra = {}
    if form_class.__init__ is not Form.__init__:
        import inspect

        wanted = inspect.signature(form_class.__init__).parameters
        if "organisation" in wanted:
            extra["organisation"] = factories.user(Role.EMPLOYER).organisation
        if "alliance_level" in wanted:
            extra["alliance_level"] = 3
    return form_class(**extra)


def _date_fields(app):
    return [(form_class, name, unbound) for form_class in _form_classes(app)
            for name, unbound in _fields(form_class)
            if issubclass(unbound.field_class, wtforms.DateField)]


def test_every_date_field_has_a_range(app):
    assert _date_fields(app), "no date fields found"
    missing = [f"{form_class.__name__}.{name}" for form_class, name, unbound in _date_fields(app)
               if not any(isinstance(v, DateRange) for v in _validators(unbound))]
    assert missing == []


@pytest.mark.parametrize("year", ["9999", "0001"])
def test_every_date_field_refuses_a_far_year_with_a_message(app, db_session, year):
    checked = 0
    for form_class, name, unbound in _date_fields(app):
        (date_range,) = [v for v in _validators(unbound) if isinstance(v, DateRange)]
        with app.test_request_context(method="POST", data={name: ["1", "1", year]}):
            form = _make(form_class, db_session)
            form.validate()
            errors = getattr(form, name).errors
        assert any(e.startswith(f"{date_range.name} must be") for e in errors), \
            (form_class.__name__, name, errors)
        checked += 1
    assert checked >= 8


def _act(pages, application, action, data, expected_status=200):
    url = f"/employer/applications/{application.id}"
    data = {"csrf_token": pages.token(url), **data}
    return pages.post(f"{url}/{action}", {f"{action}-{k}": v for k, v in data.items()},
                      form_url=url, expected_status=expected_status)


@pytest.mark.parametrize("day", [["31", "12", "9999"], ["1", "1", "0001"]])
def test_a_start_in_a_far_year_is_a_message_not_an_overflow(app, db_session, day):
    """The 26-week check-in of a start on 31 December 9999 would be in year 10000."""
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=ApplicationStatus.OFFER_CONFIRMED)
    pages = PageClient(app.test_client(user=employer))
    response = _act(pages, application, "start", {"started_on": day})
    assert "The start date must be the same as or" in check_page(
        response.get_data(as_text=True)).select_one(".govuk-error-summary").get_text()
    assert application.status is ApplicationStatus.OFFER_CONFIRMED


@pytest.mark.parametrize("year", ["9999", "0001"])
def test_a_conviction_ending_in_a_far_year_is_a_message(app, db_session, year):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    response = pages.post("/me/disclosure/convictions/new", {
        "offence": "Theft", "categories": "theft", "date": ["1", "2", "2020"],
        "end_date": ["1", "1", year], "under_18": "no", "disposal": "community_order"},
        expected_status=200)
    assert "The date it ended must be the same as or" in response.get_data(as_text=True)


# --- JSON posted to a form ------------------------------------------------------------------------


def _post_routes(app):
    """Every POST route, and every action of the one route that takes several."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.endpoint):
        # The JSON APIs are not forms (test_api.py and test_api_fuzz.py send them JSON).
        if "POST" not in rule.methods or rule.endpoint.startswith(("api.", "api_v1.")):
            continue
        if rule.endpoint == "employers.application_action":
            for action in ACTION_FORMS:
                yield rule.endpoint, {"action": action}
        else:
            yield rule.endpoint, {}


# Every kind of JSON value, under the names the forms use.
JSON_BODY = {"headline": 5, "skills_text": ["a", "b"], "home_district": {"x": 1}, "title": None,
             "choice": True, "text": 1.5, "note": [], "email": 7, "full_name": {"a": [1]},
             "reason": 0, "decision": "approve", "day": [1, 1, 2030], "signed_on": 3}


def test_json_posted_to_any_form_is_an_empty_submission(app, world):
    """With a valid CSRF token, so the form itself sees the JSON. An empty submission may be a
    complete one (sign out, shortlist), so the rule is: no 500 and a valid page."""
    from flask import url_for

    answers = {}
    for endpoint, extra in _post_routes(app):
        rule = ACCESS[endpoint]
        user = None if rule == PUBLIC else world["users"][rule[0]]
        client = app.test_client(user=user) if user else app.test_client()
        with app.test_request_context():
            url = url_for(endpoint, **{**URL_ARGS.get(endpoint, lambda w: {})(world), **extra})
        token = PageClient(client).token("/sign-in" if user is None else "/accessibility")
        response = client.post(url, json=JSON_BODY, headers={"X-CSRFToken": token})
        answers[url] = response.status_code
        if response.status_code == 200 and response.mimetype == "text/html":
            check_page(response.get_data(as_text=True))
    assert {url: code for url, code in answers.items() if code >= 500} == {}
    assert len(answers) >= 25


def test_json_profile_answers_are_not_read(app, db_session):
    person = factories.candidate()
    client = app.test_client(user=person.user)
    token = PageClient(client).token("/me/profile/edit")
    response = client.post("/me/profile/edit", headers={"X-CSRFToken": token},
                           json={"headline": 5, "skills_text": "Welding", "home_district": "M4"})
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    assert "Tell us what you can do" in page.select_one(".govuk-error-summary").get_text()
    assert person.skills_text.startswith("Forklift") and person.home_district == "LS11"


# --- text longer than its column, and control characters ------------------------------------------


def _text_fields(app):
    return [(form_class, name, unbound) for form_class in _form_classes(app)
            for name, unbound in _fields(form_class)
            if issubclass(unbound.field_class, wtforms.StringField)
            and not issubclass(unbound.field_class, wtforms.PasswordField)]


# Where a field's name is not its column's (the form asks in the person's words).
COLUMNS_OF = {
    "organisation_name": ["organisations.name"],
    "statement": ["applications.supporting_statement"],
    "response": ["offers.candidate_response"],
    "CandidateRegistrationForm.full_name": ["users.full_name", "candidates.first_name",
                                            "candidates.last_name"],
}


def _column_limits() -> dict[str, list[tuple[str, int]]]:
    """Column name -> (table.column, the most characters it holds) for every text column."""
    limits: dict[str, list] = {}
    for table in db.metadata.tables.values():
        for column in table.columns:
            kind = column.type
            if isinstance(kind, sa.types.TypeDecorator):
                kind = kind.impl_instance
            if isinstance(kind, sa.String):
                limits.setdefault(column.name, []).append(
                    (f"{table.name}.{column.name}", kind.length or TEXT_LIMIT))
    return limits


def test_every_text_field_has_a_length_limit_within_its_column(app):
    limits = _column_limits()
    by_path = {path: n for found in limits.values() for path, n in found}
    problems = []
    for form_class, name, unbound in _text_fields(app):
        where = f"{form_class.__name__}.{name}"
        validators = _validators(unbound)
        if any(isinstance(v, AnyOf) for v in validators):
            continue  # a fixed set of short values
        lengths = [v for v in validators if isinstance(v, MaxLength)]
        if not lengths:
            problems.append(f"{where} has no MaxLength")
            continue
        most = lengths[0].max
        if any(isinstance(v, PostcodeDistrict) for v in validators):
            columns = []  # stored as the district it finds (4 characters at most)
        elif where in COLUMNS_OF or name in COLUMNS_OF:
            paths = COLUMNS_OF.get(where) or COLUMNS_OF[name]
            columns = [(path, by_path[path]) for path in paths]
        else:
            columns = limits.get(name, [])
        for path, holds in columns or [("(no column)", TEXT_LIMIT)]:
            if most > holds:
                problems.append(f"{where} allows {most} characters, {path} holds {holds}")
    assert problems == []


def test_every_text_field_refuses_control_characters(app, db_session):
    checked = 0
    for form_class, name, _ in _text_fields(app):
        with app.test_request_context(method="POST", data={name: "Leeds\x00\x1b[2J"}):
            form = _make(form_class, db_session)
            form.validate()
            errors = getattr(form, name).errors
        assert any(e.startswith("Remove the unusual characters from") for e in errors), \
            (form_class.__name__, name, errors)
        checked += 1
    assert checked >= 30


def test_line_breaks_and_tabs_are_kept_in_multi_line_answers(app, db_session):
    with app.test_request_context(method="POST", data={"text": "First line\r\n\tSecond"}):
        from marketplace.candidates.forms import StatementForm

        form = StatementForm()
        form.validate()
    assert form.text.errors == [] and form.text.data == "First line\r\n\tSecond"
    assert PlainText()(None, type("F", (), {"data": "ok", "validators": []})()) is None


def test_an_interview_location_longer_than_its_column_is_a_message(app, db_session):
    employer = factories.user(Role.EMPLOYER)
    application = factories.application(factories.opportunity(employer.organisation),
                                        status=ApplicationStatus.SHORTLISTED)
    pages = PageClient(app.test_client(user=employer))
    day = dt.date.today() + dt.timedelta(days=7)
    response = _act(pages, application, "book_interview",
                    {"time": "10:30", "location": "L" * 250,
                     "day": [str(day.day), str(day.month), str(day.year)]})
    assert "The interview location must be 200 characters or fewer" in \
        response.get_data(as_text=True)
    assert db_session.scalar(sa.select(sa.func.count(Interview.id))) == 0


def test_a_candidate_name_longer_than_its_column_is_a_message(app, db_session):
    pages = PageClient(app.test_client())
    response = pages.post("/register/candidate", {
        "full_name": "N" * 100, "email": "long.name@example.com", "status": "released",
        "home_district": "LS11", "password": "correct horse battery staple",
        "confirm": "correct horse battery staple"}, expected_status=200)
    assert "Your full name must be 60 characters or fewer" in response.get_data(as_text=True)
    assert db_session.scalar(sa.select(User).where(
        User.email == "long.name@example.com")) is None
    assert db_session.scalar(sa.select(sa.func.count(Candidate.id))) == 0


@pytest.mark.parametrize(("url", "data", "message"), [
    ("/sign-in", {"email": "a\x00@example.com", "password": "x" * 12},
     "Remove the unusual characters from your email address"),
    ("/reset-password", {"email": "a\x00@example.com"},
     "Remove the unusual characters from your email address"),
])
def test_a_nul_byte_is_a_message_not_a_database_error(app, db_session, url, data, message):
    pages = PageClient(app.test_client())
    response = pages.post(url, data, expected_status=200)
    assert message in response.get_data(as_text=True)


def test_a_nul_byte_in_a_profile_is_a_message_and_nothing_is_saved(app, db_session):
    person = factories.candidate()
    pages = PageClient(app.test_client(user=person.user))
    response = pages.post("/me/profile/edit", {
        "headline": "Hard\x00working", "skills_text": "Welding", "home_district": "LS11",
        "max_travel_miles": "15"}, expected_status=200)
    assert "Remove the unusual characters from the words that describe you" in \
        response.get_data(as_text=True)
    assert person.skills_text.startswith("Forklift")


def test_a_nul_byte_in_a_search_is_a_message(app, db_session):
    person = factories.candidate()
    page = PageClient(app.test_client(user=person.user)).get("/me/jobs?q=fork%00lift")
    assert "Remove the unusual characters from your search" in page.get_text()
