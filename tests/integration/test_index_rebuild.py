"""`flask index rebuild` reads rows a range of ids at a time and fills qualifications and work
history with one query a range: the documents must be exactly those the ORM's own loading
gives, with each list in the relationship's order."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from marketplace.extensions import db
from marketplace.matching import engine
from marketplace.matching.documents import candidate_document, opportunity_document
from marketplace.models import Candidate, Opportunity, Qualification, WorkHistory
from tests import factories


def _as_orm_loads_them(model, build, *options):
    db.session.expire_all()
    rows = db.session.scalars(sa.select(model).order_by(model.id).options(*options))
    return [(d.id, d.text, d.fields) for d in map(build, rows)]


def _as_rebuild_reads_them(model, build, **kwargs):
    db.session.expire_all()
    return [(d.id, d.text, d.fields) for d in engine._documents(model, build, **kwargs)]


def test_rebuild_reads_the_same_documents_as_the_orm_in_ranges(app, db_session, monkeypatch):
    monkeypatch.setattr(engine, "READ_CHUNK", 2)  # several ranges, one with a gap in the ids
    people = [factories.candidate() for _ in range(4)]
    gone = factories.candidate(with_user=False)
    people.append(factories.candidate())
    db.session.add_all([
        Qualification(candidate=people[0], name="Maths level 1", achieved_on=dt.date(2020, 1, 1)),
        Qualification(candidate=people[0], name="CSCS card", achieved_on=dt.date(2024, 5, 1)),
        Qualification(candidate=people[3], name="Food hygiene level 2"),
        WorkHistory(candidate=people[0], role="Kitchen porter", start_year=2018),
        WorkHistory(candidate=people[0], role="Wing cleaner", start_year=2022, in_custody=True,
                    description="Kept the landing clean."),
        WorkHistory(candidate=people[4], role="Labourer", start_year=2015),
    ])
    db.session.delete(gone)
    for title in ("Forklift driver", "Commis chef", "Site labourer"):
        factories.opportunity(title=title)
    db.session.flush()

    expected = _as_orm_loads_them(Candidate, candidate_document,
                                  selectinload(Candidate.qualifications),
                                  selectinload(Candidate.work_history))
    got = _as_rebuild_reads_them(Candidate, candidate_document,
                                 collections=("qualifications", "work_history"),
                                 options=(selectinload(Candidate.home),))
    assert got == expected
    assert len(got) == 5
    first = dict((i, text) for i, text, _ in got)[str(people[0].id)]
    assert first.index("CSCS card") < first.index("Maths level 1")  # newest first
    assert first.index("Wing cleaner") < first.index("Kitchen porter")
    assert _as_rebuild_reads_them(Opportunity, opportunity_document) == _as_orm_loads_them(
        Opportunity, opportunity_document)
