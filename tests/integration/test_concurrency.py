"""Two people acting at once, on PostgreSQL and SQLite alike.

Each test runs two threads, each with its own app context and so its own session and database
connection, on data committed for real (the usual rolled-back test transaction would be
invisible to them), in a database of this module's own. The threads meet after both have read,
so both decide on what they saw before either wrote: the race a check-then-write step must
survive. On SQLite the second thread cannot read at all until the first commits (every
transaction begins IMMEDIATE), so the first goes on alone after a moment.
"""

import contextlib
import threading
import time

import pytest
import sqlalchemy as sa

from marketplace import journey
from marketplace.extensions import db
from marketplace.models import Application, Candidate, Opportunity, User
from marketplace.types import ApplicationStatus, OfferStatus, Role
from tests import factories

S = ApplicationStatus
MEET_TIMEOUT = 1.0  # seconds a thread waits for the other to have read
JOIN_TIMEOUT = 30.0


@pytest.fixture(scope="module")
def app():
    """This module's own app on its own database (a fresh one beside the tests' PostgreSQL
    database, or another SQLite file): the threads commit, and nothing they leave behind may
    reach another test. Dropped at the end."""
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.reference import services as reference
    from tests.conftest import _test_config, drop_database, fresh_database_beside

    config = _test_config()
    url = config.SQLALCHEMY_DATABASE_URI
    postgresql = url.startswith("postgresql")
    config.SQLALCHEMY_DATABASE_URI = (fresh_database_beside(url, "concurrency") if postgresql
                                      else url.replace("test.db", "concurrency.db"))
    app = create_app(config)
    with app.app_context():
        upgrade()
        reference.load()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    drop_database(config.SQLALCHEMY_DATABASE_URI)




def _meet(barrier: threading.Barrier) -> None:
    with contextlib.suppress(threading.BrokenBarrierError):
        barrier.wait()


def _race(app, *steps) -> list[str]:
    """Run each step in its own thread, app context and transaction; commit each that returns.
    Returns, in order, "done" or what stopped each: a JourneyError's message, or the
    exception's type and message for anything else."""
    outcomes: list[str | None] = [None] * len(steps)
    barrier = threading.Barrier(len(steps), timeout=MEET_TIMEOUT)

    def run(index, step):
        with app.app_context():
            try:
                step(lambda: _meet(barrier))
                db.session.commit()
                outcomes[index] = "done"
            except journey.JourneyError as error:
                db.session.rollback()
                outcomes[index] = str(error)
            except Exception as error:  # what the test reports: a 500 in a real request
                db.session.rollback()
                outcomes[index] = f"{type(error).__name__}: {error}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return outcomes


def _setup(make):
    """Objects made and committed outside the threads; returns their ids."""
    ids = make()
    db.session.commit()
    db.session.remove()
    return ids


def test_confirm_and_withdraw_at_once_only_one_happens(app):
    with app.app_context():
        def make():
            employer = factories.user(Role.EMPLOYER)
            application = factories.application(factories.opportunity(employer.organisation),
                                                status=S.INTERVIEW)
            journey.make_conditional_offer(application, actor=employer)
            return application.id, employer.id
        application_id, employer_id = _setup(make)

    def act(step):
        def run(meet):
            application = db.session.get(Application, application_id)
            employer = db.session.get(User, employer_id)
            # Read, as the page does, before deciding.
            assert application.offer is not None and application.status is not None
            meet()
            if step == "confirm":
                journey.confirm_offer(application, actor=employer)
            else:
                journey.withdraw_offer(application, actor=employer, reason="The role has gone")
        return run

    outcomes = _race(app, act("confirm"), act("withdraw"))

    assert outcomes.count("done") == 1, outcomes
    refused = next(o for o in outcomes if o != "done")
    assert refused.startswith(("There is no conditional offer", "You cannot do this now")), \
        outcomes
    with app.app_context():
        application = db.session.get(Application, application_id)
        confirmed = outcomes[0] == "done"
        assert application.status is (S.OFFER_CONFIRMED if confirmed else S.UNSUCCESSFUL)
        assert application.offer.status is (OfferStatus.CONFIRMED if confirmed
                                            else OfferStatus.WITHDRAWN)
        assert [e.to_status for e in application.events][-1] is application.status
        assert len(application.events) == 3  # applied, conditional offer, and one decision


def test_applying_twice_at_once_makes_one_application(app):
    with app.app_context():
        def make():
            candidate = factories.candidate()
            return candidate.id, factories.opportunity().id
        candidate_id, opportunity_id = _setup(make)

    def apply(meet):
        candidate = db.session.get(Candidate, candidate_id)
        journey.apply(candidate, db.session.get(Opportunity, opportunity_id),
                      actor=candidate.user)
        meet()
        # Hold the new row a moment, uncommitted, while the other request tries to apply.
        time.sleep(MEET_TIMEOUT / 2)

    def apply_again(meet):
        meet()
        candidate = db.session.get(Candidate, candidate_id)
        journey.apply(candidate, db.session.get(Opportunity, opportunity_id),
                      actor=candidate.user)

    outcomes = _race(app, apply, apply_again)

    assert outcomes == ["done", "You have already applied for this."]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.candidate_id == candidate_id)) == 1


def test_two_people_applying_at_once_both_succeed(app):
    """On SQLite, without WAL, a busy timeout and IMMEDIATE transactions, one of them got
    "database is locked"."""
    with app.app_context():
        def make():
            return [factories.candidate().id for _ in range(2)], factories.opportunity().id
        candidate_ids, opportunity_id = _setup(make)

    def apply_as(candidate_id):
        def run(meet):
            opportunity = db.session.get(Opportunity, opportunity_id)
            candidate = db.session.get(Candidate, candidate_id)
            meet()
            journey.apply(candidate, opportunity, actor=candidate.user)
        return run

    outcomes = _race(app, *(apply_as(i) for i in candidate_ids))

    assert outcomes == ["done", "done"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.opportunity_id == opportunity_id)) == 2


def test_apply_page_sent_while_another_application_is_saving_says_already_applied(app):
    """The page's own check finds nothing, but the same application is being saved at that
    moment (a double click): the page says so instead of failing on the unique constraint."""
    from tests.conftest import SignedInClient

    with app.app_context():
        def make():
            candidate = factories.candidate()
            return candidate.id, candidate.user.id, factories.opportunity().id
        candidate_id, user_id, opportunity_id = _setup(make)
    app.test_client_class = SignedInClient
    app.config["WTF_CSRF_ENABLED"] = False
    pages: list[str] = []

    def apply(meet):
        candidate = db.session.get(Candidate, candidate_id)
        journey.apply(candidate, db.session.get(Opportunity, opportunity_id),
                      actor=candidate.user)
        meet()
        time.sleep(MEET_TIMEOUT / 2)

    def apply_from_the_page(meet):
        meet()
        client = app.test_client(user=db.session.get(User, user_id))
        response = client.post(f"/me/jobs/{opportunity_id}", data={"statement": "Again"},
                               follow_redirects=True)
        pages.append(f"{response.status_code} {response.get_data(as_text=True)}")

    try:
        assert _race(app, apply, apply_from_the_page) == ["done", "done"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = True
    assert pages[0].startswith("200 ")
    assert "You have already applied" in pages[0]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Application.id)).where(
            Application.candidate_id == candidate_id)) == 1


def test_consent_given_twice_at_once_is_recorded_once(app):
    from marketplace.disclosure import consent
    from marketplace.models import DisclosureConsent

    with app.app_context():
        def make():
            employer = factories.user(Role.EMPLOYER)
            application = factories.application(factories.opportunity(employer.organisation),
                                                status=S.INTERVIEW)
            journey.make_conditional_offer(application, actor=employer)
            return application.id
        application_id = _setup(make)

    def give(meet):
        application = db.session.get(Application, application_id)
        consent.disclosure_consent_in_force(application)  # what the page reads first
        meet()
        consent.give(application, actor=application.candidate.user)

    outcomes = _race(app, give, give)

    assert sorted(outcomes) == ["ConsentError: You have already agreed to share this.", "done"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DisclosureConsent.id)).where(
            DisclosureConsent.application_id == application_id)) == 1
