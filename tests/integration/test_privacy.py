"""Data rights: a subject access download holds every table that refers to the person (found by
walking the models' foreign keys, so a table added later is covered or this fails), erasure
leaves nothing that says who they were while the outcome reports' totals stay the same, and
`flask privacy retention` deletes old conviction data."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from marketplace import audit, clock, invitations, journey
from marketplace.disclosure import consent, records
from marketplace.extensions import db
from marketplace.models import (
    AuditEvent,
    Base,
    PrisonTransfer,
    Qualification,
    ResettlementNeed,
    User,
    WorkHistory,
    WorkReadiness,
)
from marketplace.privacy import services
from marketplace.reports import services as reports
from marketplace.types import (
    ApplicationStatus,
    CandidateStatus,
    CheckInOutcome,
    Pathway,
    Rag,
    Role,
    WorkReadinessStatus,
)
from tests import factories
from tests.pages import PageClient

NAME = "Zebedee"
SURNAME = "Quatermain-Oduya"
STATEMENT = "I was young and I have changed, said Zebedee."


@pytest.fixture()
def person(db_session):
    """Someone with something in as many tables as the product has: applications at every
    stage, a placement with check-ins, a record and statement, consent, an invitation, a
    transfer, readiness and needs."""
    pel = factories.user(Role.PEL)
    employer = factories.user(Role.EMPLOYER)
    user = factories.user(Role.CANDIDATE, email="zebedee@example.com",
                          full_name=f"{NAME} {SURNAME}")
    candidate = factories.candidate(
        CandidateStatus.IN_CUSTODY, prison=pel.prison, user=user, first_name=NAME,
        last_name=SURNAME, prison_number="Z9999ZZ", rotl_eligible=True,
        skills_text=f"{NAME} cooked for 300 on the wing", risk_notes=f"{NAME} private note")
    candidate.qualifications = [Qualification(name="Forklift licence", gained_in_custody=True)]
    candidate.work_history = [WorkHistory(role="Kitchen orderly", start_year=2024,
                                          description=f"{NAME} ran the servery")]
    candidate.readiness = WorkReadiness(status=WorkReadinessStatus.READY, updated_by_id=pel.id)
    candidate.needs = [ResettlementNeed(pathway=Pathway.ACCOMMODATION, rag=Rag.RED)]
    db.session.add(PrisonTransfer(candidate_id=candidate.id, from_prison_id=factories.prison(
        "HDI").id, to_prison_id=pel.prison_id, moved_on=dt.date.today(),
        recorded_by_id=pel.id))
    factories.conviction(candidate, actor=pel)
    consent.save_statement(candidate, STATEMENT, actor=user)
    roles = [factories.opportunity(employer.organisation, accepts_in_custody=True,
                                   accepts_rotl=True) for _ in range(3)]
    started = factories.application(roles[0], candidate, status=ApplicationStatus.INTERVIEW,
                                    supporting_statement=f"{NAME} is keen",
                                    prison_at_application_id=pel.prison_id)
    journey.make_conditional_offer(started, actor=employer)
    consent.give(started, actor=user)
    journey.confirm_offer(started, actor=employer)
    placement = journey.start(started, actor=employer,
                              started_on=dt.date.today() - dt.timedelta(weeks=30))
    for check_in in placement.check_ins:
        journey.record_check_in(check_in, actor=employer, outcome=CheckInOutcome.IN_WORK,
                                note=f"{NAME} is doing well")
    in_progress = factories.application(roles[1], candidate,
                                        prison_at_application_id=pel.prison_id)
    journey.book_interview(in_progress, actor=employer, location="The depot",
                           when=clock.utc_now() + dt.timedelta(days=2))
    invitations.invite(roles[2], candidate, actor=employer)
    db.session.flush()
    return {"candidate": candidate, "user": user, "pel": pel, "employer": employer,
            "in_progress": in_progress}


def _rows_referring_to(candidate, user) -> dict[str, set]:
    """The test's own walk: rows of every table whose foreign key points at the candidate, at
    their account, or at a row found so far from the candidate (an application's events...)."""
    found: dict[str, set] = {}
    frontier = {"candidates": {candidate.id}}
    while frontier:
        reached: dict[str, set] = {}
        for parent, ids in frontier.items():
            for table in Base.metadata.sorted_tables:
                for fk in table.foreign_keys:
                    if fk.column.table.name != parent:
                        continue
                    pk = list(table.primary_key.columns)
                    for row in db.session.execute(sa.select(*pk).where(fk.parent.in_(ids))):
                        if tuple(row) not in found.setdefault(table.name, set()):
                            found[table.name].add(tuple(row))
                            if len(pk) == 1:
                                reached.setdefault(table.name, set()).add(row[0])
        frontier = reached
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "users":
                pk = list(table.primary_key.columns)
                found.setdefault(table.name, set()).update(
                    tuple(r) for r in db.session.execute(sa.select(*pk).where(
                        fk.parent == user.id)))
    return found


def test_subject_access_holds_every_table_that_refers_to_the_person(person):
    candidate, user = person["candidate"], person["user"]
    data = services.export(candidate=candidate)
    tables = data["tables"]
    referring = {t.name for t in Base.metadata.sorted_tables for fk in t.foreign_keys
                 if fk.column.table.name in ("candidates", "users")}
    assert referring - set(tables) == set(), "tables missing from the export"
    expected = _rows_referring_to(candidate, user)
    for name, keys in expected.items():
        table = Base.metadata.tables[name]
        pk = [c.name for c in table.primary_key.columns]
        exported = {tuple(row[c] for c in pk) for row in tables[name]}
        assert keys <= exported, f"{name}: rows {keys - exported} are not in the export"
    # The world above really reaches most tables, so the check means something.
    assert {"applications", "application_events", "interviews", "offers", "placements",
            "check_ins", "qualifications", "work_history", "work_readiness",
            "resettlement_needs", "prison_transfers", "disclosure_consents",
            "conviction_records", "disclosure_statements", "audit_events"} <= {
        name for name, keys in expected.items() if keys}
    assert tables["conviction_records"][0]["offence"] == "Theft from a shop"
    assert tables["disclosure_statements"][0]["text"] == STATEMENT
    assert tables["users"][0]["password_hash"].startswith("[not included")
    assert any("offered you" in e["what"] for e in data["who_saw_what"])
    json.dumps(data)  # plain data, ready to download


def test_candidate_downloads_json_and_a_readable_page(app, person):
    client = app.test_client(user=person["user"])
    response = client.get("/privacy/my-data/download.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.data)["tables"]["candidates"][0]["first_name"] == NAME
    pages = PageClient(client)
    page = pages.get("/privacy/my-data/download.html")
    assert STATEMENT in page.text and "Theft from a shop" in page.text
    pages.get("/privacy/my-data")
    pages.get("/privacy/my-data/download.xml", expected_status=404)


def test_their_pel_downloads_on_their_behalf_and_it_is_recorded(app, person):
    candidate, pel = person["candidate"], person["pel"]
    page = PageClient(app.test_client(user=pel)).get(
        f"/privacy/people/{candidate.id}/download.html")
    assert STATEMENT in page.text
    event = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "privacy.subject_access")).one()
    assert (event.actor_id, event.candidate_id, event.detail) == (
        pel.id, candidate.id, {"on_behalf": True})
    assert audit.describe(event) == f"{pel.full_name} got a copy of everything we hold about you"
    pages = PageClient(app.test_client(user=pel))
    found = pages.get(f"/privacy/people?prison_number={candidate.prison_number.lower()}")
    assert found.select_one(f"a[href='/privacy/people/{candidate.id}/download.html']")
    refused = pages.get("/privacy/people?prison_number=12")
    assert "Enter a prison number of 7 letters" in refused.select_one(".govuk-error-summary").text
    other_pel = factories.user(Role.PEL, prison=factories.prison("HDI"))
    missing = PageClient(app.test_client(user=other_pel)).get(
        f"/privacy/people?prison_number={candidate.prison_number}")
    assert "There is no one with this prison number" in missing.text
    PageClient(app.test_client(user=other_pel)).get(
        f"/privacy/people/{candidate.id}/download.json", expected_status=404)


def test_employer_user_downloads_their_own_data(app, person):
    employer = person["employer"]
    response = app.test_client(user=employer).get("/privacy/my-data/download.json")
    tables = json.loads(response.data)["tables"]
    assert tables["users"][0]["email"] == employer.email
    assert tables["users"][0]["password_hash"].startswith("[not included")
    assert tables["organisations"] == [{"id": employer.organisation_id,
                                        "name": employer.organisation.name}]
    assert {e["action"] for e in tables["audit_events"]} >= {"application.started"}
    # Only what names them: the person they hired is not in it.
    assert tables["candidates"] == [] and tables["conviction_records"] == []


def _all_text() -> str:
    """Every value in every table, as text (conviction payloads are ciphertext)."""
    chunks = []
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            chunks.extend(str(v) for v in row)
    return "\n".join(chunks)


def test_erasure_leaves_nothing_that_says_who_they_were_and_totals_unchanged(person):
    candidate, user, pel = person["candidate"], person["user"], person["pel"]
    admin_rows = reports.application_rows(reports.Scope())
    prison_rows = reports.application_rows(reports.Scope(prison_id=pel.prison_id))
    before = ([(s.count, s.out_of) for s in reports.funnel(admin_rows)],
              reports.by_dimension_table(prison_rows, reports.Scope(), "prison").rows,
              reports.guaranteed_table(admin_rows, reports.Scope()).rows)
    for secret in (NAME, SURNAME, "zebedee@example.com", "Z9999ZZ"):
        assert secret in _all_text()

    services.erase(candidate, actor=user)

    text = _all_text()
    for secret in (NAME, SURNAME, "zebedee@example.com", "Z9999ZZ", "servery"):
        assert secret not in text, secret
    assert records.for_candidate(candidate) == []
    assert consent.statement_for(candidate) is None
    held = _rows_referring_to(candidate, user)
    left = {name for name, keys in held.items() if keys}
    assert left <= services.KEPT_FOR_REPORTS | services.KEPT_AS_THEY_ARE | {"candidates"}, left
    # The application still going was closed first, with a reason the employer sees.
    db.session.refresh(person["in_progress"])
    assert person["in_progress"].status is ApplicationStatus.WITHDRAWN
    assert person["in_progress"].outcome_reason
    # The reports count the same, and still for their prison.
    admin_rows = reports.application_rows(reports.Scope())
    prison_rows = reports.application_rows(reports.Scope(prison_id=pel.prison_id))
    assert ([(s.count, s.out_of) for s in reports.funnel(admin_rows)],
            reports.by_dimension_table(prison_rows, reports.Scope(), "prison").rows,
            reports.guaranteed_table(admin_rows, reports.Scope()).rows) == before
    # The log says an erasure happened, and not whose.
    erased = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "privacy.erased")).one()
    assert (erased.actor_id, erased.candidate_id, erased.detail) == (None, None, {})
    account = db.session.get(User, user.id)
    assert not account.is_active and account.email.endswith("@erased.invalid")
    db.session.refresh(candidate)
    assert (candidate.user_id, candidate.first_name, candidate.prison_id) == (None, "Deleted",
                                                                              None)


def test_erasure_asks_first_then_signs_out(app, person):
    user = person["user"]
    client = app.test_client(user=user)
    pages = PageClient(client)
    page = pages.get("/privacy/my-data/delete")
    assert "Warehouse operative at" in page.text  # the application that will be ended
    pages.post("/privacy/my-data/delete", {}, expected_status=200)  # no confirm: asks again
    assert db.session.get(User, user.id).is_active
    response = pages.post("/privacy/my-data/delete", {"confirm": "yes"}, expected_status=302)
    assert response.headers["Location"].endswith("/privacy/deleted")
    PageClient(app.test_client()).get("/privacy/deleted")
    # No session can use the account again: it is inactive and its session version moved on.
    account = db.session.get(User, user.id)
    assert not account.is_active and account.session_version >= 1


def _person_with_record(*, last_step_days_ago: int, status=ApplicationStatus.UNSUCCESSFUL):
    person = factories.candidate()
    factories.conviction(person, actor=person.user)
    consent.save_statement(person, "My statement.", actor=person.user)
    with clock.frozen(clock.utc_now() - dt.timedelta(days=last_step_days_ago)):
        factories.application(factories.opportunity(), person, status=status,
                              outcome_reason="No" if status is ApplicationStatus.UNSUCCESSFUL
                              else None)
    return person


def test_retention_dry_run_then_apply(app, db_session):
    old = _person_with_record(last_step_days_ago=800)
    recent = _person_with_record(last_step_days_ago=100)
    busy = _person_with_record(last_step_days_ago=900, status=ApplicationStatus.SHORTLISTED)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "retention"])
    assert result.exit_code == 0, result.output
    assert f"Would delete 1 conviction record(s) and a disclosure statement of person {old.id}" \
        in result.output
    assert f"person {recent.id} " not in result.output and f"person {busy.id} " not in \
        result.output
    assert records.for_candidate(old)  # a dry run deletes nothing
    result = runner.invoke(args=["privacy", "retention", "--years", "3"])
    assert f"person {old.id} " not in result.output
    result = runner.invoke(args=["privacy", "retention", "--apply"])
    assert result.exit_code == 0, result.output
    assert records.for_candidate(old) == [] and consent.statement_for(old) is None
    assert records.for_candidate(recent) and records.for_candidate(busy)
    assert runner.invoke(args=["privacy", "retention", "--years", "0"]).exit_code == 2


def test_the_daily_jobs_keep_the_retention_promise(app, db_session):
    """`flask jobs daily` (inline without Redis) deletes what the privacy page says is deleted
    after 2 years, and nothing of people still active or with an application in progress."""
    old = _person_with_record(last_step_days_ago=800)
    recent = _person_with_record(last_step_days_ago=100)
    busy = _person_with_record(last_step_days_ago=900, status=ApplicationStatus.SHORTLISTED)
    result = app.test_cli_runner().invoke(args=["jobs", "daily"])
    assert result.exit_code == 0, result.output
    assert "marketplace.privacy.services:retention_daily" in result.output
    assert records.for_candidate(old) == [] and consent.statement_for(old) is None
    assert records.for_candidate(recent) and records.for_candidate(busy)
