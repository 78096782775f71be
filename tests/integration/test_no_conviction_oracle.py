"""Nothing an employer can see depends on a person's conviction records before they consent to
disclosure at a conditional offer (issue 8, item 10).

A black-box probe: the same world is built twice, with two candidates who differ only in their
records — in one world the first has an unspent conviction for violence, in the other the
second has it — and an employer with two otherwise identical roles, one of which excludes
violence. Every employer route (found from the URL map, so a new one is probed or fails this
test by name) is fetched in the same order in both worlds, and every response must be the same
once database ids are replaced by names. If the employer could tell the worlds apart, they would
know which of the two people has the record.
"""

import contextlib
import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass

import pytest
from flask import current_app

from marketplace import journey
from marketplace.bonds import services as bonds
from marketplace.disclosure import policy
from marketplace.disclosure.calculator import DisposalKind
from marketplace.extensions import db
from marketplace.models import OpportunityExclusion
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckLevel,
    OffenceCategory,
    Role,
)
from tests import factories
from tests.pages import PageClient

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("search")]
TODAY = dt.date.today()
PROFILE = dict(skills_text="forklift counterbalance licence, stock control, picking and packing",
               skills=["forklift", "stock_control"], summary="Two years in a warehouse.",
               headline="Reliable and careful", home_district="LS11")
VIOLENCE = dict(offence="Assault occasioning actual bodily harm", category=OffenceCategory.VIOLENCE,
                disposal=DisposalKind.COMMUNITY_ORDER, length_months=24,
                date=TODAY - dt.timedelta(days=100))
THEFT = dict(offence="Theft from a shop", category=OffenceCategory.THEFT,
             disposal=DisposalKind.COMMUNITY_ORDER, length_months=24,
             date=TODAY - dt.timedelta(days=100))
NEVER = 999_999_999  # an id that names nothing, in both worlds


@dataclass
class World:
    employer: object
    people: list  # the two candidates, in the order they were made
    ids: dict[str, str]  # "/opportunities/12" -> "/opportunities/excluding", and so on
    refs: dict[str, str]  # the employer's reference for each person -> "PERSON-1"
    holder: int  # which of the people has the violence record


@contextlib.contextmanager
def _rolled_back(db_session):
    """Run a block against the database and undo everything it did, requests' commits too:
    they are savepoints inside this one."""
    db_session.commit()
    connection = db_session.get_bind()
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        db_session.rollback()
        db_session.expunge_all()
        savepoint.rollback()


def _build(record_holder: int, other_record: dict | None) -> World:
    """The employer, two otherwise identical roles (one excluding violence), and two people
    identical but for their records; both applied to the role that does not exclude violence,
    and the first, interviewed, has a conditional offer (no consent to disclose yet)."""
    org = factories.organisation(name="Northern Freight Ltd")
    employer = factories.user(Role.EMPLOYER, organisation=org, full_name="Erin Evans",
                              email="erin@freight.example")
    roles = {name: factories.opportunity(
        org, title="Warehouse operative", check_level=CheckLevel.BASIC,
        exclusions=[OpportunityExclusion(category=OffenceCategory.VIOLENCE)]
        if name == "excluding" else [], bond_backed=name == "open")
        for name in ("excluding", "open")}
    bonds.add_product(provider="Unlock Bonds", cover_pence=500_000, term_months=12,
                      premium_pence=9_000, terms="Cover for dishonesty.", actor=None)
    people = []
    for n, (first, last) in enumerate((("Alex", "Morgan"), ("Jordan", "Reeve"))):
        person = factories.candidate(
            first_name=first, last_name=last,
            user=factories.user(Role.CANDIDATE, full_name=f"{first} {last}",
                                email=f"{first.lower()}@example.com"), **PROFILE)
        record = VIOLENCE if n == record_holder else other_record
        if record is not None:
            factories.conviction(person, actor=person.user, **record)
        people.append(person)
    applications = [
        factories.application(roles["open"], people[0], status=ApplicationStatus.INTERVIEW),
        journey.apply(people[1], roles["open"], actor=people[1].user,
                      statement="I want to work in a warehouse again.")]
    journey.make_conditional_offer(applications[0], actor=employer)
    current_app.extensions["search"].rebuild()
    ids = {f"/opportunities/{o.id}": f"/opportunities/{name}" for name, o in roles.items()}
    ids |= {f"/applications/{a.id}": f"/applications/of-person-{n + 1}"
            for n, a in enumerate(applications)}
    refs = {policy.candidate_view(employer, p).ref: f"PERSON-{n + 1}"
            for n, p in enumerate(people)}
    return World(employer, people, ids, refs, record_holder)


def _normalise(text: str, world: World) -> str:
    for real, label in world.refs.items():
        text = text.replace(real, label)
    text = re.sub(r"/(opportunities|applications)/\d+",
                  lambda m: world.ids.get(m.group(0), m.group(0)), text)
    # The one fidelity bond bought in each world: its id, and its random reference; and the
    # one bond product on offer (PostgreSQL does not roll back the sequence behind its id).
    text = re.sub(r"/bonds/\d+", "/bonds/the-bond", text)
    text = re.sub(r'(name="product" type="radio" value=")\d+"', r'\1PRODUCT"', text)
    text = re.sub(r"FB-[A-Z0-9]{8}", "FB-REFERENCE", text)
    # Per-session and per-response values, the same in kind in both worlds.
    text = re.sub(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]*"', r'\1"', text)
    text = re.sub(r'(value="[^"]*"[^>]*name="[\w-]*csrf_token")', 'name="csrf_token"', text)
    # The employer API (issue 14): the token and its prefix are random, and JSON answers carry
    # row ids and times, the same in kind in both worlds.
    text = re.sub(r"fcm_[a-z0-9]{12}(_[A-Za-z0-9_-]{43})?", "fcm_TOKEN", text)
    text = re.sub(r"/employer/api/tokens/\d+", "/employer/api/tokens/ID", text)
    text = re.sub(r'"(id|opportunity_id)": \d+', r'"\1": "ID"', text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?", "TIME", text)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', text)


def _probe(app, world: World) -> tuple[list[tuple[str, int, str, str]], set[str]]:
    """Every employer page and call, in a fixed order: (what, status, location, body), and the
    endpoints used."""
    client = app.test_client(user=world.employer)
    pages = PageClient(client)
    adapter = app.url_map.bind("localhost")
    seen: list[tuple[str, int, str, str]] = []
    used: set[str] = set()

    def record(method: str, url: str, response) -> None:
        used.add(adapter.match(url.split("?")[0], method=method)[0])
        body = response.get_data(as_text=True)
        if response.is_json:
            body = json.dumps(response.get_json(), sort_keys=True, indent=1)
        seen.append((f"{method} {_normalise(url, world)}", response.status_code,
                     _normalise(response.headers.get("Location", ""), world),
                     _normalise(body, world)))

    def get(url: str) -> None:
        record("GET", url, client.get(url))

    def post(url: str, data: dict, form_url: str, prefix: str | None = None) -> None:
        data = {"csrf_token": pages.token(form_url), **data}
        if prefix:  # the application page's action forms are prefixed by their action
            data = {f"{prefix}-{name}": value for name, value in data.items()}
        response = client.post(url, data=data)
        record("POST", url, response)
        if response.status_code == 302:  # the page it leads to, with its message
            get(response.headers["Location"])

    role = {label.rsplit("/", 1)[1]: real for real, label in world.ids.items()
            if real.startswith("/opportunities/")}
    offered, applied = (next(real for real, label in world.ids.items()
                             if label == f"/applications/of-person-{n}") for n in (1, 2))
    get("/dashboard")
    get("/employer/")
    get("/employer/opportunities")
    get("/employer/opportunities/new")
    for name in ("excluding", "open"):
        base = f"/employer{role[name]}"
        get(base)
        get(f"{base}/edit")
        get(f"{base}/matches")
        get(f"{base}/matches?q=forklift+warehouse&miles=25")
        get(f"{base}/matches?q=" + "x" * 201)  # an error message
        get(f"/api/v1{role[name]}/matches")
        get(f"/api/v1{role[name]}/matches?q=forklift")
        get(f"/api/v1{role[name]}/matches?miles=7")  # an error message
    # Both people invited to the role that excludes violence, then each answers in their own
    # way: the one with the record tries to apply and is refused (told why, privately), the
    # other says no thanks. The employer's cards must look the same in both worlds.
    excluding = f"/employer{role['excluding']}"
    for label in ("PERSON-1", "PERSON-2"):
        ref = next(real for real, name in world.refs.items() if name == label)
        post(f"{excluding}/matches/{ref}/invite?q=forklift", {},
             form_url=f"{excluding}/matches")
    post(f"{excluding}/matches/{'0' * 12}/invite", {}, form_url=f"{excluding}/matches")
    _answer_invitations(app, world, int(role["excluding"].rsplit("/", 1)[1]))
    get(f"{excluding}/matches")
    for application in (offered, applied):
        get(f"/employer{application}")
        # Each step that cannot be undone has a check page (or a message: not now).
        for action in ("make_conditional_offer", "confirm_offer", "withdraw_offer", "reject"):
            get(f"/employer{application}/{action}")
    get(f"/employer{applied}/shortlist")  # no check page: not found
    for application, action, data in (
            (applied, "shortlist", {}),
            (applied, "make_conditional_offer", {}),  # not allowed yet: a message
            (applied, "reject", {"reason": ""}),  # the check page, with a message
            (applied, "reject", {"reason": "Not for us"}),  # not confirmed: the check page
            (offered, "withdraw_offer", {"reason": "Not now"}),  # not confirmed: the check page
            (offered, "confirm_offer", {}),  # not confirmed: the check page
            (offered, "confirm_offer", {"confirm": "yes"})):
        post(f"/employer{application}/{action}", data, form_url=f"/employer{application}",
             prefix=action)
    _probe_bond(world, get, post, offered)
    _probe_api(app, world, get, post, record, role, (offered, applied))
    _probe_messages(get, post, (offered, applied))
    get(f"/employer/check-ins/{NEVER}?choice=yes")
    post(f"/employer/check-ins/{NEVER}", {"choice": "yes", "confirm": "yes"},
         form_url="/employer/")
    post(f"/employer/opportunities/{NEVER}/publish", {}, form_url="/employer/")
    post("/employer/opportunities/new", {"title": ""}, form_url="/employer/opportunities/new")
    post(f"/employer{role['excluding']}/edit", {"title": ""},
         form_url=f"/employer{role['excluding']}/edit")
    post(f"/employer{role['excluding']}/close", {}, form_url=f"/employer{role['excluding']}")
    post(f"/employer{role['excluding']}/publish", {}, form_url=f"/employer{role['excluding']}")
    get(f"/employer{role['excluding']}/matches")
    _probe_reports_and_own_data(client, get, record)
    _probe_notifications(client, pages, record)
    post("/sign-out", {}, form_url="/employer/")
    return seen, used


def _probe_reports_and_own_data(client, get, record) -> None:
    """The employer's outcome reports, every CSV, and the download of their own data (its
    ids and times differ from world to world, so numbers are masked; any words that differ
    still show)."""
    from flask import Response

    from marketplace.reports import services as reports

    for query in ("", "?by=employer", "?by=prison", "?by=month&from=2000-01-01"):
        get(f"/reports/{query}")
    for name in reports.table_names():
        get(f"/reports/download/{name}.csv")
    get("/privacy/my-data")
    for fmt in ("json", "html"):
        url = f"/privacy/my-data/download.{fmt}"
        body = re.sub(r"\d+", "N", client.get(url).get_data(as_text=True))
        record("GET", url, Response(body, mimetype="text/plain"))


def _probe_notifications(client, pages, record) -> None:
    """The employer's notices (applications received, written while the world was built) and
    their email choices. Times are masked: the two worlds are built moments apart."""
    from flask import Response

    for url in ("/notifications", "/notifications/settings"):
        body = re.sub(r"\d+", "N", client.get(url).get_data(as_text=True))
        record("GET", url, Response(body, mimetype="text/plain"))
    record("POST", "/notifications/settings", client.post("/notifications/settings", data={
        "emails": ["check_in_due"], "csrf_token": pages.token("/notifications/settings")}))


def _probe_api(app, world: World, get, post, record, role: dict, applications) -> None:
    """The employer API (issue 14): the token and import pages, then every token call that
    shows opportunities, matched candidates or applications."""
    from marketplace.api import services as api_services
    from marketplace.permissions import API_SCOPES

    get("/employer/api/tokens")
    post("/employer/api/tokens", {"name": "ATS", "scopes": list(API_SCOPES)},
         form_url="/employer/api/tokens")
    get("/employer/api/import")
    get("/employer/api/import/template.csv")
    _, token = api_services.create_token(world.employer.organisation, actor=world.employer,
                                         name="Probe", scopes=API_SCOPES)
    caller = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def call(method: str, url: str, **kwargs) -> None:
        record(method, url, getattr(caller, method.lower())(url, headers=headers, **kwargs))

    call("GET", "/api/v1/organisation")
    call("GET", "/api/v1/opportunities")
    call("GET", "/api/v1/applications")
    for name in ("excluding", "open"):
        call("GET", f"/api/v1{role[name]}")
        call("GET", f"/api/v1{role[name]}/matched-candidates")
        call("GET", f"/api/v1{role[name]}/matched-candidates?q=forklift&miles=25")
    for application in applications:
        call("GET", f"/api/v1{application}")
        call("POST", f"/api/v1{application}/shortlist", json={})
    call("POST", f"/api/v1/applications/{NEVER}/shortlist", json={})
    token_id = api_services.tokens_of(world.employer.organisation)[0].id
    post(f"/employer/api/tokens/{token_id}/revoke", {}, form_url="/employer/api/tokens")


def _probe_messages(get, post, applications) -> None:
    """Checked messages (issue 13): the employer writes to each person, reads each thread
    (with the message it sent, and its time: the same moment in both worlds) and the inbox."""
    from marketplace import clock

    with clock.frozen(dt.datetime.combine(TODAY, dt.time(10), tzinfo=clock.UK)):
        for application in applications:
            thread = f"/messages{application}"
            get(thread)
            post(thread, {"body": ""}, form_url=thread)  # an error message
            post(thread, {"body": "When could you start?"}, form_url=thread)
        get("/messages/")


def _probe_bond(world: World, get, post, offered: str) -> None:
    """Fidelity bond cover for the confirmed hire: choosing it, paying by invoice (an
    administrator marks it paid), the bond, its certificate, a claim and cancelling."""
    from marketplace.models import Application

    choose = f"/employer{offered}/bond"
    get("/employer/bonds")
    get(choose)
    post(choose, {"product": ""}, form_url=choose)  # nothing chosen: an error message
    product = bonds.products()[0]
    post(choose, {"product": str(product.id)}, form_url=choose)
    application = db.session.get(Application, int(offered.rsplit("/", 1)[1]))
    bond = bonds.live_bond(application)
    base = f"/employer/bonds/{bond.id}"
    get(base)
    post(f"{base}/card", {"payment_method": "card_1"}, form_url=f"{base}/pay")  # not set up
    post(f"{base}/retry", {}, form_url=f"{base}/pay", prefix="retry")  # nothing failed
    get(f"{base}/authenticate")  # no bank check waiting
    post(f"{base}/check", {}, form_url=f"{base}/pay", prefix="check")
    post(f"{base}/invoice", {}, form_url=f"{base}/pay", prefix="invoice")
    bonds.mark_invoice_paid(bond.id, actor=factories.user(Role.ADMIN, email="admin@x.example"))
    for page in ("", "/pay", "/certificate", "/claim", "/cancel"):
        get(f"{base}{page}")
    post(f"{base}/claim", {"amount": "nothing"}, form_url=f"{base}/claim")  # error messages
    post(f"{base}/cancel", {}, form_url=f"{base}/cancel")
    get(f"/employer{offered}")


def _answer_invitations(app, world: World, role_id: int) -> None:
    from marketplace import invitations

    for n, person in enumerate(world.people):
        pages = PageClient(app.test_client(user=person.user))
        if n == world.holder:
            refused = pages.post(f"/me/jobs/{role_id}", {"statement": "Please"},
                                 expected_status=200)
            assert "cannot consider your application" in refused.get_data(as_text=True)
        else:
            invitation = invitations.waiting_for(person)[0]
            pages.post(f"/me/invitations/{invitation.id}/decline", form_url="/me/",
                       expected_status=302)


def _employer_endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules()
            if Role.EMPLOYER in getattr(app.view_functions[rule.endpoint], "access_rule", ())}


@pytest.mark.parametrize("other_record", [None, THEFT], ids=["other-has-none",
                                                            "other-has-theft"])
def test_employer_cannot_tell_which_of_two_people_has_the_record(app, db_session,
                                                                other_record):
    snapshots, used = [], set()
    for record_holder in (0, 1):
        with _rolled_back(db_session):
            world = _build(record_holder, other_record)
            seen, endpoints = _probe(app, world)
            snapshots.append(seen)
            used |= endpoints
    assert _employer_endpoints(app) - used == set(), "employer routes this probe does not fetch"
    first, second = snapshots
    assert [s[0] for s in first] == [s[0] for s in second]
    for a, b in zip(first, second, strict=True):
        if a != b:
            diff = difflib.unified_diff(a[3].splitlines(), b[3].splitlines(), lineterm="", n=1)
            pytest.fail(f"{a[0]} differs with the record on the other person: status {a[1]} "
                        f"and {b[1]}, location {a[2]!r} and {b[2]!r}\n"
                        + "\n".join(diff)[:4000])
    matched = [s for s in first if s[0] == "GET /employer/opportunities/excluding/matches"]
    assert "PERSON-1" in matched[0][3] and "PERSON-2" in matched[0][3]  # both, whoever has it
    # After inviting both and their answers: both cards say "Invited", neither offers more.
    assert len(re.findall(r">\s*Invited\s*<", matched[1][3])) == 2
    assert "Invite to apply" not in matched[1][3]
    api_matched = [s for s in first
                   if s[0] == "GET /api/v1/opportunities/excluding/matched-candidates"]
    assert api_matched[0][1] == 200
    assert "PERSON-1" in api_matched[0][3] and "PERSON-2" in api_matched[0][3]


def _roles(world: World) -> dict[str, int]:
    return {label.rsplit("/", 1)[1]: int(real.rsplit("/", 1)[1])
            for real, label in world.ids.items() if real.startswith("/opportunities/")}


def test_the_person_is_told_privately_and_the_role_is_not_recommended(app, db_session):
    world = _build(0, None)
    roles = _roles(world)
    holder, other = world.people
    pages = PageClient(app.test_client(user=holder.user))
    recommended = pages.get("/me/jobs").select(".fcm-card__title a")
    assert [a["href"] for a in recommended] == [f"/me/jobs/{roles['open']}"]
    job = pages.get(f"/me/jobs/{roles['excluding']}").get_text()
    assert "This employer cannot consider your application for this role." in job
    assert "violence" not in job.lower()
    refused = pages.post(f"/me/jobs/{roles['excluding']}", {"statement": "Please"},
                         expected_status=200)
    assert "cannot consider your application" in refused.get_data(as_text=True)
    others = PageClient(app.test_client(user=other.user)).get("/me/jobs")
    assert len(others.select(".fcm-card__title a")) == 2


def test_the_prison_employment_lead_is_told_privately_too(app, db_session):
    world = _build(1, None)
    roles = _roles(world)
    pel = factories.user(Role.PEL)
    inside = factories.candidate(CandidateStatus.IN_CUSTODY, prison=pel.prison,
                                 release_date=TODAY + dt.timedelta(days=10), **PROFILE)
    factories.conviction(inside, actor=pel, **VIOLENCE)
    current_app.extensions["search"].rebuild()
    pages = PageClient(app.test_client(user=pel))
    suggested = pages.get(f"/prison/people/{inside.id}/jobs").select(".fcm-card a.govuk-button")
    assert [a["href"] for a in suggested] == [
        f"/prison/people/{inside.id}/nominate/{roles['open']}"]
    refused = pages.post(f"/prison/people/{inside.id}/nominate/{roles['excluding']}", {},
                         expected_status=200)
    assert "cannot consider your application" in refused.get_data(as_text=True)


def test_licence_zones_and_barring_stop_the_person_applying_not_the_employer_seeing(
        app, db_session):
    """The same principle for what follows from a record: a licence exclusion zone or a bar
    from regulated activity keeps the role from the person, never the person from the
    employer's matches (presence there would tell the employer about their licence or bar)."""
    from marketplace.matching import constraints, service
    from marketplace.types import RegulatedActivity, Sector

    employer = factories.user(Role.EMPLOYER)
    role = factories.opportunity(employer.organisation, title="Care assistant",
                                 sector=Sector.CARE, postcode_district="LS10",
                                 regulated_activity=RegulatedActivity.ADULTS,
                                 check_level=CheckLevel.ENHANCED_BARRED)
    free = factories.candidate(**PROFILE)
    restricted = factories.candidate(exclusion_districts=["LS10"], barred_adults=True,
                                     **PROFILE)
    current_app.extensions["search"].rebuild()
    matched = {m.candidate.id for m in service.candidates_for(role, k=50)}
    assert {free.id, restricted.id} <= matched
    page = PageClient(app.test_client(user=employer)).get(
        f"/employer/opportunities/{role.id}/matches").get_text()
    assert all(policy.candidate_view(employer, p).ref in page for p in (free, restricted))

    assert role.id not in {m.opportunity.id for m in service.opportunities_for(restricted)}
    assert set(journey.eligibility(restricted, role).reasons) == {
        constraints.Reason.EXCLUSION_ZONE, constraints.Reason.BARRED}
