"""Migration 0009 fills in the prison each existing application was made from, from the history
already held, on both databases."""

import datetime as dt

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from marketplace.types import CandidateStatus, Role
from tests.migrations import app_on_a_fresh_database

pytestmark = pytest.mark.xdist_group("migration")


@pytest.fixture()
def fresh_app():
    with app_on_a_fresh_database("migration09") as app:
        yield app


def test_existing_applications_get_the_prison_they_were_made_from(fresh_app):
    from marketplace.extensions import db
    from marketplace.models import Application, ApplicationEvent, PrisonTransfer, Release
    from tests import factories

    leeds, hull, wakefield = (factories.prison(c) for c in ("LEI", "HLI", "WDI"))
    pel = factories.user(Role.PEL, prison=leeds)
    role = factories.opportunity(accepts_in_custody=True)
    long_ago = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)

    def person(status=CandidateStatus.IN_CUSTODY, prison=leeds):
        return factories.candidate(status, prison=prison if status is CandidateStatus.IN_CUSTODY
                                   else None, release_date=dt.date(2026, 12, 1)
                                   if status is CandidateStatus.IN_CUSTODY else None)

    still_in = person()
    moved = person(prison=hull)  # applied from Leeds, then moved to Hull
    released = person(CandidateStatus.RELEASED)  # applied from Wakefield, then released
    outside = person(CandidateStatus.RELEASED)  # never in prison while on the service
    ids = {}
    for name, candidate in [("still_in", still_in), ("moved", moved), ("released", released),
                            ("outside", outside)]:
        application = Application(opportunity=role, candidate=candidate, source="applied",
                                  status="applied", created_at=long_ago)
        db.session.add(application)
        db.session.flush()
        db.session.add(ApplicationEvent(application_id=application.id, to_status="applied",
                                        at=long_ago))
        ids[name] = application.id
    db.session.add(PrisonTransfer(candidate_id=moved.id, from_prison_id=leeds.id,
                                  to_prison_id=hull.id, moved_on=dt.date(2026, 2, 1)))
    db.session.add(Release(candidate_id=released.id, prison_id=wakefield.id,
                           released_on=dt.date(2026, 3, 1), pel_access_until=dt.date(2027, 3, 1),
                           recorded_by_id=pel.id))
    leeds_id, wakefield_id = leeds.id, wakefield.id
    db.session.commit()
    db.session.remove()

    downgrade(revision="0008")
    with db.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("applications")}
    assert "prison_at_application_id" not in columns
    upgrade(revision="0009")

    with db.engine.connect() as connection:
        found = dict(connection.execute(sa.text(
            "SELECT id, prison_at_application_id FROM applications")).all())
        events = connection.execute(sa.text("SELECT count(*) FROM application_events")).scalar()
    assert found[ids["still_in"]] == leeds_id
    assert found[ids["moved"]] == leeds_id
    assert found[ids["released"]] == wakefield_id
    assert found[ids["outside"]] is None
    assert events == 4  # rebuilding the table on SQLite loses no history
