"""An app on a database of its own, for the tests that run migrations on data: the session's
database is already at the newest revision."""

import contextlib
import os

from flask_migrate import upgrade

from tests.conftest import _TMP, _test_config, fresh_database_beside


@contextlib.contextmanager
def app_on_a_fresh_database(name: str, revision: str = "head"):
    """An app, in its context, on an empty database named `name` (PostgreSQL beside the test
    database, or a SQLite file), built by the migrations up to `revision`, with reference
    data."""
    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.reference import services as reference

    config = _test_config()
    url = os.environ.get("DATABASE_URL")
    # One per test worker: tests of one module may run on two workers at once.
    name = f"{name}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    sqlite_file = _TMP / f"{name}.db"
    config.SQLALCHEMY_DATABASE_URI = (fresh_database_beside(url, name) if url
                                      else f"sqlite:///{sqlite_file}")
    if not url:
        sqlite_file.unlink(missing_ok=True)
    app = create_app(config)
    with app.app_context():
        upgrade(revision=revision)
        reference.load()
        db.session.commit()
        yield app
        db.session.remove()
        db.engine.dispose()
