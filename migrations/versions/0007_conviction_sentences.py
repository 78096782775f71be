"""convictions with several sentences

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 17:00:00.000000

Before this, each conviction record held one sentence, so a conviction with prison, a fine and
a restraining order was three records on one date. A court gives one conviction with several
sentences: this turns each person's same-date records into one conviction (format 2 of the
payload, disclosure/records.py) and keeps the lowest record id. Cautions are never merged: a
caution is not a conviction and has no sentence beside it.

Payloads stay encrypted (decrypted and encrypted again here, with the key the app was started
with). The audit trail is kept: rows that named a merged record still do, and a
"conviction.merged" event on the kept record lists the ids merged into it. Nothing here
imports the app's record code, which will change after this migration is written.
"""
import json
from itertools import groupby

from alembic import op
import sqlalchemy as sa

from marketplace import clock, crypto

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CAUTIONS = {"simple_caution", "conditional_caution", "youth_caution",
            "youth_conditional_caution"}
SENTENCE_FIELDS = ("disposal", "length_months", "length_days", "end_date", "order_end")

records = sa.table("conviction_records", sa.column("id", sa.Integer),
                   sa.column("candidate_id", sa.Integer), sa.column("payload", sa.Text),
                   sa.column("recorded_by_id", sa.Integer),
                   sa.column("created_at", sa.DateTime), sa.column("updated_at", sa.DateTime))
audit = sa.table("audit_events", sa.column("at", sa.DateTime),
                 sa.column("candidate_id", sa.Integer), sa.column("action", sa.String),
                 sa.column("subject_type", sa.String), sa.column("subject_id", sa.Integer),
                 sa.column("detail", sa.JSON))


def _rows(connection):
    return [(row.id, row.candidate_id, json.loads(crypto.decrypt(row.payload)), row)
            for row in connection.execute(
                sa.select(records).order_by(records.c.candidate_id, records.c.id))]


def _unique(values):
    return list(dict.fromkeys(values))


def _merge(old: list[dict]) -> dict:
    """Format 1 records of one date (and one person) as one format 2 conviction. Where they
    disagree, the answer is the one that never makes a record look spent sooner: adult unless
    every record says under 18; specified or Schedule 18 if any says so; summary-only only if
    all do."""
    return {
        "format": 2,
        "offence": "; ".join(_unique(r["offence"] for r in old)),
        "categories": _unique(r["category"] for r in old),
        "date": old[0]["date"],
        "under_18": all(r["under_18"] for r in old),
        "specified_offence": any(r["specified_offence"] for r in old),
        "schedule_18": any(r["schedule_18"] for r in old),
        "summary_only": all(r["summary_only"] for r in old),
        "sentences": [{**{f: r.get(f) for f in SENTENCE_FIELDS}, "sentence_date": None}
                      for r in old],
    }


def _audit(connection, candidate_id, action, subject_id, detail):
    connection.execute(audit.insert().values(
        at=clock.utc_now().replace(tzinfo=None), candidate_id=candidate_id,
        action=action, subject_type="conviction_records", subject_id=subject_id,
        detail=detail))


def upgrade():
    connection = op.get_bind()
    old = [(id_, cand, data) for id_, cand, data, _ in _rows(connection)
           if data.get("format") != 2]
    for candidate_id, mine in groupby(old, key=lambda r: r[1]):
        mine = list(mine)
        groups = [[r] for r in mine if r[2]["disposal"] in CAUTIONS]
        convictions = sorted((r for r in mine if r[2]["disposal"] not in CAUTIONS),
                             key=lambda r: (r[2]["date"], r[0]))
        groups += [list(g) for _, g in groupby(convictions, key=lambda r: r[2]["date"])]
        for group in groups:
            kept, *merged = [r[0] for r in group]
            connection.execute(records.update().where(records.c.id == kept).values(
                payload=crypto.encrypt(json.dumps(_merge([r[2] for r in group]),
                                                  sort_keys=True))))
            if merged:
                connection.execute(records.delete().where(records.c.id.in_(merged)))
                _audit(connection, candidate_id, "conviction.merged", kept, {"merged": merged})


def downgrade():
    """One format 1 record per sentence again (the first keeps the record's id). A
    conviction in several groups keeps only its first: format 1 held one."""
    connection = op.get_bind()
    for id_, candidate_id, data, row in _rows(connection):
        if data.get("format") != 2:
            continue
        flat = {"offence": data["offence"], "category": data["categories"][0],
                "date": data["date"], "under_18": data["under_18"],
                "specified_offence": data["specified_offence"],
                "schedule_18": data["schedule_18"], "summary_only": data["summary_only"]}
        payloads = [json.dumps({**flat, **{f: s.get(f) for f in SENTENCE_FIELDS}},
                               sort_keys=True) for s in data["sentences"]]
        connection.execute(records.update().where(records.c.id == id_).values(
            payload=crypto.encrypt(payloads[0])))
        added = []
        for payload in payloads[1:]:
            added.append(connection.execute(records.insert().values(
                candidate_id=candidate_id, payload=crypto.encrypt(payload),
                recorded_by_id=row.recorded_by_id, created_at=row.created_at,
                updated_at=row.updated_at).returning(records.c.id)).scalar_one())
        if added:
            _audit(connection, candidate_id, "conviction.split", id_, {"added": added})
