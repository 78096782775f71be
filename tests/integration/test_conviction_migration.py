"""Migration 0007: one record per sentence becomes one conviction with its sentences, on both
databases, from a database holding the demo records and from hand-made old records."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from marketplace import crypto
from marketplace.disclosure import records
from marketplace.disclosure.calculator import DisposalKind, OrderEnd
from tests.migrations import app_on_a_fresh_database

D = DisposalKind
pytestmark = pytest.mark.xdist_group("migration")


@pytest.fixture()
def fresh_app():
    """An app on a database of its own, built by the migrations up to 0006."""
    with app_on_a_fresh_database("migration07", revision="0006") as app:
        yield app


def _old(offence, category, date, disposal, **extra):
    """A format 1 payload: one sentence per record."""
    data = dict(offence=offence, category=category, date=date, under_18=False,
                disposal=disposal, length_months=None, end_date=None, specified_offence=False,
                schedule_18=False, summary_only=False)
    data.update(extra)
    return crypto.encrypt(json.dumps(data, sort_keys=True))


def _insert(connection, candidate_id, payload):
    return connection.execute(sa.text(
        "INSERT INTO conviction_records (candidate_id, payload) VALUES (:c, :p)"),
        {"c": candidate_id, "p": payload})


def test_same_date_records_become_one_conviction_with_its_sentences(fresh_app):
    from marketplace.extensions import db
    from marketplace.models import Candidate
    from tests import factories

    person_id = factories.candidate().id
    db.session.commit()
    db.session.remove()  # SQLite: an open read would lock the migration out
    with db.engine.begin() as connection:
        for payload in [
            _old("Burglary", "theft", "2019-05-14", "custody", length_months=8),
            _old("Harassment", "violence", "2019-05-14", "relevant_order",
                 order_end="until_further_order"),
            # Same day, but a caution is never merged into a conviction.
            _old("Possession", "drugs", "2019-05-14", "simple_caution"),
            _old("Theft", "theft", "2015-01-01", "fine"),
            # Same day again, stored before the order question was asked (no order_end).
            _old("Theft", "theft", "2015-01-01", "community_order", length_months=12,
                 under_18=True),
        ]:
            _insert(connection, person_id, payload)
        old_ids = connection.execute(sa.text(
            "SELECT id FROM conviction_records ORDER BY id")).scalars().all()
    upgrade(revision="0007")

    person = db.session.get(Candidate, person_id)
    held = {c.date: (row, c) for row, c in records.for_candidate(person) if not c.is_caution}
    assert len(held) == 2 and len(records.for_candidate(person)) == 3
    row, burglary = held[dt.date(2019, 5, 14)]
    assert row.id == old_ids[0]
    assert burglary.offence == "Burglary; Harassment"
    assert [c.value for c in burglary.categories] == ["theft", "violence"]
    assert [s.disposal for s in burglary.sentences] == [D.CUSTODY, D.RELEVANT_ORDER]
    assert burglary.sentences[1].order_end is OrderEnd.UNTIL_FURTHER_ORDER
    _, theft = held[dt.date(2015, 1, 1)]
    assert theft.sentences[1].order_end is None  # read as before the question was asked
    assert not theft.under_18  # the records disagreed: adult, so never spent sooner
    (caution,) = [c for _, c in records.for_candidate(person) if c.is_caution]
    assert caution.offence == "Possession"

    outcomes = {a.conviction.date: a.outcome for a in records.assess(person)
                if not a.conviction.is_caution}
    assert outcomes[dt.date(2019, 5, 14)].spent_on is None  # the order lasts: not spent

    db.session.remove()  # SQLite: an open read would lock the raw connection out
    with db.engine.connect() as connection:
        raw = connection.execute(sa.text("SELECT payload FROM conviction_records")).scalars()
        assert not any("Burglary" in payload for payload in raw)  # still encrypted
        merged = connection.execute(sa.text(
            "SELECT subject_id, detail FROM audit_events WHERE action = 'conviction.merged' "
            "ORDER BY subject_id")).all()
    assert [(subject, json.loads(detail) if isinstance(detail, str) else detail)
            for subject, detail in merged] == [
        (old_ids[0], {"merged": [old_ids[1]]}), (old_ids[3], {"merged": [old_ids[4]]})]


def test_the_demo_records_read_back_identically_after_downgrade_and_upgrade(fresh_app):
    from marketplace import demo
    from marketplace.extensions import db
    from marketplace.models import Candidate

    upgrade(revision="0007")
    upgrade()  # to head, for the demo's own tables
    demo.run(seed=7, echo=lambda line: None)
    db.session.commit()
    people = db.session.scalars(sa.select(Candidate).where(Candidate.id.in_(
        sa.select(records.ConvictionRecord.candidate_id)))).all()
    before = {p.id: sorted(c.to_json() for _, c in records.for_candidate(p)) for p in people}
    assert any(len(c.sentences) > 1 for p in people for _, c in records.for_candidate(p))
    db.session.remove()

    downgrade(revision="0006")
    with db.engine.connect() as connection:
        payloads = connection.execute(sa.text("SELECT payload FROM conviction_records"))
        assert all("format" not in json.loads(crypto.decrypt(p)) for p in payloads.scalars())
    upgrade()
    after = {p.id: sorted(c.to_json() for _, c in records.for_candidate(p)) for p in people}
    assert after == before
