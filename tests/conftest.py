"""Fixtures shared by every test layer.

The database comes from DATABASE_URL (PostgreSQL in CI) or is a fresh SQLite file. Its schema is
built once per session by running the migrations, so the tests prove the migrations too. Each
test runs inside a transaction that is rolled back at the end; the app's own commits become
savepoints inside it.
"""

import functools
import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_login import FlaskLoginClient

from tests.smtp import smtp_server  # noqa: F401  (a fixture for every test that sends mail)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
_TMP = Path(tempfile.mkdtemp(prefix="fcm-tests-"))


def _test_config():
    from marketplace.config import Config

    environ = {"MARKETPLACE_ENV": "testing", "INSTANCE_DIR": str(_TMP / "instance")}
    if os.environ.get("DATABASE_URL"):
        environ["DATABASE_URL"] = _database_for_this_worker(os.environ["DATABASE_URL"])
    else:
        environ["DATABASE_URL"] = f"sqlite:///{_TMP / 'test.db'}"
    config = Config.from_env(environ)
    config.MAIL_BACKEND = "memory"
    # Indexing on save loads the embedding model: the matching tests switch it on.
    config.SEARCH_SYNC = False
    # Limits stay on (Flask-Limiter cannot be switched on later) but high: the rate-limit tests
    # lower them for their own client addresses and emails.
    for limit in ("SIGN_IN_ACCOUNT_RATE_LIMIT", "SIGN_IN_ADDRESS_RATE_LIMIT",
                  "FORM_ADDRESS_RATE_LIMIT", "EMAIL_RATE_LIMIT"):
        setattr(config, limit, "100000 per minute")
    config.SERVER_NAME = "localhost"
    return config


class SignedInClient(FlaskLoginClient):
    """`app.test_client(user=user)` gives a client signed in as that user. Also sets the
    session identifier, which Flask-Login's "strong" session protection checks. Its session
    never expires, however the test moves the clock (marketplace/auth/sessions.py): the expiry
    tests sign in through the form instead."""

    def __init__(self, *args, **kwargs):
        self._signed_in_as = user = kwargs.get("user")
        super().__init__(*args, **kwargs)
        if user is not None:
            from flask_login.utils import _create_identifier

            with self.application.test_request_context(environ_base=self.environ_base):
                identifier = _create_identifier()
            with self.session_transaction() as session:
                session["_id"] = identifier

    def open(self, *args, **kwargs):
        if self._signed_in_as is not None:
            from marketplace.auth import sessions

            with self.session_transaction() as session:
                sessions.stamp(session, self._signed_in_as)
        return super().open(*args, **kwargs)


@functools.cache
def _database_for_this_worker(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database beside the given one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not url.startswith("postgres"):
        return url
    return fresh_database_beside(url, worker)


def fresh_database_beside(url: str, suffix: str) -> str:
    """An empty PostgreSQL database named `<database>_<suffix>` on the same server."""
    base = sa.engine.make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{base.database}_{suffix}"
    admin = sa.create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Remove a test's own database: a PostgreSQL database, or a SQLite file and its WAL."""
    target = sa.engine.make_url(url)
    if target.drivername.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(target.database + suffix).unlink(missing_ok=True)
        return
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(
                f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    finally:
        admin.dispose()


def _isolate_requests(app):
    """Tests hold an app context open (for factories), and Flask reuses it for every request a
    test makes, so `g` and the database session would carry over from one request to the next.
    In production each request has its own. So, as each request starts: clear `g` (the cached
    user and CSRF token) and commit the test's set-up (a savepoint release, still rolled back at
    the end), so that a request that fails and rolls back cannot take the set-up with it."""
    from flask import g, request_started

    from marketplace.extensions import db

    def fresh_request(sender, **extra):
        for name in list(g):
            g.pop(name)
        db.session.commit()

    request_started.connect(fresh_request, app, weak=False)


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.reference import services as reference

    app = create_app(_test_config())
    app.test_client_class = SignedInClient
    _isolate_requests(app)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                connection.exec_driver_sql("CREATE SCHEMA public")
        upgrade()
        reference.load()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _connection_bound_session_class():
    from flask_sqlalchemy.session import Session

    class ConnectionBoundSession(Session):
        """Flask-SQLAlchemy's session picks an engine per model, which would bypass the
        test's connection (and its transaction); this one always uses the connection."""

        def get_bind(self, *args, **kwargs):
            return self.bind

    return ConnectionBoundSession


_ConnectionBoundSession = _connection_bound_session_class()


@pytest.fixture()
def db_session(app):
    """The app's session, bound to a connection whose transaction is rolled back after the test."""
    from marketplace.extensions import db

    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        bound = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint",
             "class_": _ConnectionBoundSession}
        )
        db.session = _SessionFor(app, bound, original)
        try:
            yield bound
        finally:
            bound.remove()
            db.session = original
            transaction.rollback()
            connection.close()


class _SessionFor:
    """`db.session` while a test runs: the test's connection-bound session for the test app,
    the ordinary one for any other app in the process. The browser tests' live server answers
    late requests (an image, say) from its own thread; without this it would use, and roll
    back savepoints on, the test's connection at the same time as the test."""

    def __init__(self, app, bound, original):
        self._app, self._bound, self._original = app, bound, original

    def _current(self):
        from flask import current_app, has_app_context

        if has_app_context() and current_app._get_current_object() is not self._app:
            return self._original
        return self._bound

    def __call__(self, *args, **kwargs):
        return self._current()(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._current(), name)


@pytest.fixture()
def client(app, db_session):
    return app.test_client()


@pytest.fixture()
def outbox():
    from marketplace import mail

    mail.outbox.clear()
    yield mail.outbox
    mail.outbox.clear()


@pytest.fixture()
def count_queries(app, db_session):
    """Counts SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    from contextlib import contextmanager

    @contextmanager
    def counter():
        statements: list[str] = []

        def listener(conn, cursor, statement, *args):
            # Savepoints are the test harness's, not the page's.
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                statements.append(statement)

        engine = db_session.get_bind()
        sa.event.listen(engine, "before_cursor_execute", listener)
        try:
            yield lambda: len(statements)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)

    return counter
