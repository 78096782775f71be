"""Fair Chance Marketplace: the Flask application factory."""

from pathlib import Path

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import HTTPException

from marketplace import crypto, headers, jobs, mail, requestlog
from marketplace.config import Config
from marketplace.extensions import csrf, db, limiter, login_manager, migrate, search

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    app = Flask(__name__, static_url_path="/assets", instance_path=config.INSTANCE_DIR)
    app.config.from_mapping(config.as_dict())
    if not app.debug and not app.testing:
        requestlog.configure(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.jinja_loader = ChoiceLoader([
        PackageLoader("marketplace"),
        PrefixLoader({
            "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
            "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
        }),
    ])
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    _init_converters(app)
    WTFormsHelpers(app)
    crypto.configure(app.config["FIELD_ENCRYPTION_KEY"])
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    search.init_app(app)
    _init_login(app)
    _init_hosts(app)
    headers.init_app(app)
    requestlog.init_app(app)
    mail.init_app(app)
    _init_sqlite(app)

    from marketplace import api, cli, health, views
    from marketplace.admin import bp as admin_bp
    from marketplace.auth import bp as auth_bp
    from marketplace.bonds import bp as bonds_bp
    from marketplace.candidates import bp as candidates_bp
    from marketplace.employers import bp as employers_bp
    from marketplace.kiosk import bp as kiosk_bp
    from marketplace.messages import bp as messages_bp
    from marketplace.notifications import bp as notifications_bp
    from marketplace.prisons import bp as prisons_bp
    from marketplace.privacy import bp as privacy_bp
    from marketplace.reports import bp as reports_bp

    for blueprint in (views.bp, health.bp, auth_bp, candidates_bp, employers_bp, prisons_bp,
                      admin_bp, bonds_bp, messages_bp, kiosk_bp, reports_bp,
                      privacy_bp, notifications_bp):
        app.register_blueprint(blueprint)
    api.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)

    _init_request_commit(app)
    _init_errors(app)
    _init_templates(app)
    return app


def _init_converters(app: Flask) -> None:
    """Before any blueprint: a rule's converters are looked up when the rule is added."""
    from marketplace.converters import IdConverter

    app.url_map.converters["id"] = IdConverter


def _init_login(app: Flask) -> None:
    from marketplace.auth import sessions

    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(sessions.load_user)
    sessions.init_app(app)


def _init_hosts(app: Flask) -> None:
    """Behind proxies, the client's address and scheme come from the headers they add (rate
    limits count per client address; HTTPS decides secure cookies and redirects). A host name
    outside TRUSTED_HOSTS is refused in plain text: no page can be drawn, since its links would
    be built from that host."""
    from werkzeug.exceptions import SecurityError

    count = app.config["TRUSTED_PROXY_COUNT"]
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        db.session.rollback()
        return "Bad request: this host name is not served here.", 400, {
            "Content-Type": "text/plain; charset=utf-8"}


SQLITE_BUSY_TIMEOUT_MS = 15_000


def _init_sqlite(app: Flask) -> None:
    """SQLite, the embedded default, set up for several people acting at once.

    - Foreign keys are enforced only when asked, per connection.
    - WAL lets pages read while someone writes, and the busy timeout makes a writer wait for
      the one before it instead of failing with "database is locked".
    - Every transaction begins IMMEDIATE, taking the write lock at its start. Most requests read
      and then write (check a status, then change it; record who saw a page), and a transaction
      that began by reading cannot wait for another writer: once that writer commits, SQLite
      fails it at once (its snapshot is stale), busy timeout or not. So writers take turns from
      the start, which also gives the journey's check-then-write steps the serialisation row
      locks give them on PostgreSQL (journey.lock). The cost is that requests run one at a
      time; PostgreSQL is the database for more than a few people at once.
    - pysqlite's own transaction handling breaks SAVEPOINTs, so SQLAlchemy is given control of
      BEGIN (the recipe in SQLAlchemy's SQLite dialect documentation)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _init_request_commit(app: Flask) -> None:
    from marketplace.matching import engine

    """One commit per request, only on success: a change, its audit row and its side records
    are saved together or not at all."""

    @app.after_request
    def commit_on_success(response):
        if response.status_code < 400:
            db.session.commit()
            engine.index_pending(db.session())
        else:
            db.session.rollback()
        return response


def _init_errors(app: Flask) -> None:
    from marketplace import api

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        db.session.rollback()
        if api.is_api_request():
            return api.error_response(400, "The request has no valid CSRF token.")
        return render_template("errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        db.session.rollback()
        if api.is_api_request():
            return api.http_error(error)
        template = {403: "errors/403.html", 404: "errors/404.html", 429: "errors/429.html"}.get(
            error.code, "errors/generic.html"
        )
        return render_template(template, error=error), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        if api.is_api_request():
            return api.server_error()
        return render_template("errors/500.html"), 500


def _init_templates(app: Flask) -> None:
    from marketplace import filters

    filters.init_app(app)
