"""Signed-in sessions: how they start, how they end, and when they expire.

The session cookie is signed, not stored on the server, so a copy of it works wherever it is sent.
Three things bound that:

- the user's id in the session (and in any remember cookie) carries `User.session_version`;
  signing out or changing the password adds one to it, which ends every session of that user in
  every browser, copies included (`load_user` refuses the old version);
- a session ends after a spell without requests: 30 minutes for staff, whose pages show many
  people's records, and 2 hours for candidates, who see only their own and write long answers
  (profile, disclosure statement) slowly, often beside a support worker;
- however active, a session ends a fixed time after signing in (12 hours by default).

The times live in the signed cookie, so they cannot be changed by the browser.
"""

from flask import Flask, current_app, flash, request, session
from flask_login import login_user, logout_user

from marketplace import clock
from marketplace.auth import services
from marketplace.extensions import db
from marketplace.models import User
from marketplace.types import Role

SIGNED_IN_AT = "signed_in_at"  # when this session began, seconds since the epoch (UTC)
SEEN_AT = "seen_at"  # the last request in this session
IDLE_LIMIT = "idle_limit"  # seconds without a request that end this session


def _now() -> float:
    return clock.utc_now().timestamp()


def idle_minutes(user: User) -> int:
    config = current_app.config
    if user.role is Role.CANDIDATE:
        return config["SESSION_IDLE_MINUTES_CANDIDATE"]
    return config["SESSION_IDLE_MINUTES_STAFF"]


def stamp(values, user: User) -> None:
    """Writes a new session's times into `values` (the session, or a test client's)."""
    values[SIGNED_IN_AT] = values[SEEN_AT] = _now()
    values[IDLE_LIMIT] = idle_minutes(user) * 60


def start(user: User) -> None:
    """Signs `user` in, in this browser."""
    login_user(user)
    stamp(session, user)


def end_everywhere(user: User) -> None:
    """Ends every session `user` has, in every browser, and signs this browser out."""
    services.end_sessions(user)
    sign_out_here()


def sign_out_here() -> None:
    logout_user()
    for key in (SIGNED_IN_AT, SEEN_AT, IDLE_LIMIT):
        session.pop(key, None)


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user a session or remember cookie names, if its session
    version is still current and the account is active; otherwise nobody is signed in."""
    number, _, version = user_id.partition(":")
    if not (number.isdigit() and version.isdigit()):
        return None  # a cookie from before session versions, or made up
    user = db.session.get(User, int(number))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def _expiry_message() -> str | None:
    """Why this browser's session has ended, or None while it lasts."""
    now = _now()
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    idle_limit = session.get(IDLE_LIMIT)
    if not all(isinstance(v, int | float) for v in (signed_in_at, seen_at, idle_limit)):
        return "You have been signed out. Sign in again."
    max_hours = current_app.config["SESSION_MAX_HOURS"]
    if now - signed_in_at > max_hours * 3600:
        return (f"You have been signed out because you signed in more than {max_hours} hours "
                "ago. Sign in again.")
    if now - seen_at > idle_limit:
        return (f"You have been signed out because you had not used the service for "
                f"{round(idle_limit / 60)} minutes. Sign in again.")
    return None


def init_app(app: Flask) -> None:
    @app.before_request
    def end_expired_session():
        """Ends this browser's session once it is idle or too old, saying why on the next page;
        otherwise counts this request as activity."""
        if "_user_id" not in session or request.endpoint == "static":
            return
        message = _expiry_message()
        if message is None:
            session[SEEN_AT] = _now()
            return
        sign_out_here()
        if request.blueprint != "api":
            flash(message, "info")
