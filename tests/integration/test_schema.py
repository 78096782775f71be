"""The schema the migrations build is the schema the models describe."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.extensions import db
from marketplace.models import Base


def test_migrations_and_models_agree(app, db_session):
    context = MigrationContext.configure(db_session.connection(), opts={
        "compare_type": True, "render_as_batch": True})
    assert compare_metadata(context, Base.metadata) == []


def test_migrations_are_at_head(app, db_session):
    from alembic.script import ScriptDirectory
    from flask import current_app

    migrate = current_app.extensions["migrate"]
    script = ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory))
    context = MigrationContext.configure(db_session.connection())
    assert context.get_current_heads() == tuple(script.get_heads())
    assert db.engine.dialect.name in ("sqlite", "postgresql")


def test_postgresql_sessions_run_in_utc(app, db_session):
    """Columns hold UTC without a zone, so now() in a server default must be UTC too, whatever
    time zone the server is set to."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite's CURRENT_TIMESTAMP is always UTC")
    assert db_session.connection().exec_driver_sql("SHOW timezone").scalar() == "UTC"
