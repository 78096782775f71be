"""Health checks for load balancers and orchestrators: /healthz says the process answers;
/readyz says it can serve a person (database reachable, search indices built, embedding model
loaded). Both are public, cheap, and say nothing about anyone.

`warm` gets a production worker ready before its first request (marketplace/wsgi.py)."""

import time

import sqlalchemy as sa
from flask import Blueprint, Flask, current_app, jsonify

from marketplace.extensions import db
from marketplace.matching import skills
from marketplace.permissions import public

bp = Blueprint("health", __name__)

INDICES = ("opportunities", "candidates")


@bp.route("/healthz")
@public
def healthz():
    return jsonify(status="ok")


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.warning("readyz: database unreachable: %s", type(error).__name__)
        return "unreachable"
    return "ok"


def _index(name: str) -> str:
    try:
        built = current_app.extensions["search"].index(name).stats().get("built")
    except Exception as error:  # noqa: BLE001  (any failure of the back end means not ready)
        current_app.logger.warning("readyz: index %s unavailable: %s", name,
                                   type(error).__name__)
        return "unavailable"
    return "ok" if built else "not built"


def _model() -> str:
    embedder = current_app.extensions["search"].embedder
    if embedder.loaded:
        return "ok"
    # With PRELOAD_MODEL off the first search in the process loads it: still able to serve.
    return "loading" if current_app.config["PRELOAD_MODEL"] else "loads on first use"


@bp.route("/readyz")
@public
def readyz():
    checks = {"database": _database(), **{f"index_{n}": _index(n) for n in INDICES},
              "model": _model()}
    ready = all(value in ("ok", "loads on first use") for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


def warm(app: Flask) -> float:
    """Compile every template, load the skills taxonomy and open both search indices, so that
    the first person to reach each page in each worker does not wait for it (at one user, those
    first requests were most of the slowest 5%: issue 15); returns the seconds taken. An index
    not built yet is not an error here (/readyz says so): warming only saves time."""
    started = time.perf_counter()
    for name in app.jinja_env.list_templates(extensions=("html", "txt")):
        app.jinja_env.get_template(name)
    skills.normalise("forklift")  # loads the skills taxonomy and its phrase index (about 1.5 s)
    with app.app_context():
        search = app.extensions["search"]
        for name in INDICES:
            try:
                search.index(name).search(text="work", k=1)
            except Exception as error:  # noqa: BLE001  (not built, or the back end is down)
                app.logger.warning("Search index %s not warmed: %s", name,
                                   type(error).__name__)
        try:
            _rank_once()
        except Exception as error:  # noqa: BLE001  (no data yet, or an index not built)
            app.logger.warning("Matching not warmed: %s", type(error).__name__)
        finally:
            db.session.rollback()  # it only reads; nothing it touched is kept
    return time.perf_counter() - started


def _rank_once() -> None:
    """One real ranking each way, shown to nobody: the first matched candidates in a worker
    otherwise took 150-300 ms against 30-50 ms after (its queries compiled, its statements
    prepared)."""
    from marketplace.matching import service
    from marketplace.models import Candidate, Opportunity
    from marketplace.types import OpportunityStatus

    opportunity = db.session.scalar(sa.select(Opportunity).where(
        Opportunity.status == OpportunityStatus.OPEN).order_by(Opportunity.id).limit(1))
    if opportunity is not None:
        service.candidates_for(opportunity, k=1)
    candidate = db.session.scalar(sa.select(Candidate).order_by(Candidate.id).limit(1))
    if candidate is not None:
        service.opportunities_for(candidate, k=1)
