"""Health checks for load balancers and orchestrators: /healthz says the process answers;
/readyz says it can serve a person (database reachable, search indices built, embedding model
loaded). Both are public, cheap, and say nothing about anyone."""

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from marketplace.extensions import db
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
