"""The JSON API.

Two kinds of caller:
- the signed-in browser session, for the two matching calls the pages use (`bp`, routes.py);
- an organisation's applicant tracking system, with an API token (`v1`, the employer
  integration API of issue 14): flask-smorest declares each call's schemas once, which validate
  input, shape output and make the OpenAPI document (/api/v1/openapi.json, read as a page at
  /api/v1/docs).

Every answer under /api/ is JSON, errors included, in one shape:
`{"error": <HTTP reason>, "status": <code>, "message": <plain words>, "fields": {...}}`, where
`fields` names each wrong field with what is wrong (empty when the error is not about fields).
"""

import flask_smorest
from flask import Blueprint, Flask, g, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from marketplace.matching.service import MatchingError
from search_index import IndexNotBuilt, SearchUnavailable

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The token API. Its own blueprint, so the OpenAPI document holds only token calls.
v1 = flask_smorest.Blueprint("api_v1", __name__, url_prefix="/api/v1",
                             description="The employer integration API")
# The organisation's pages for its tokens and for importing opportunities (HTML, signed in).
pages = Blueprint("api_pages", __name__, url_prefix="/employer/api")

PREFIX = "/api"

_MESSAGES = {
    400: "The request is not valid. Check it and try again.",
    401: "Sign in to use the API, or send an API token: Authorization: Bearer <token>.",
    403: "You do not have permission to do this.",
    404: "There is nothing at this address. Check it and try again.",
    413: "The request body is too large.",
    422: "Some fields are not valid. Check them and try again.",
    429: "There have been too many requests. Wait a few minutes and try again.",
    500: "Sorry, there is a problem with the service. Try again later.",
    503: "The service is not available right now. Try again later.",
}


def is_api_request() -> bool:
    """Whether this request is answered as the API. Decided by the path, not the blueprint: an
    unknown /api/ address or a wrong method matches no endpoint, so it has no blueprint."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def error_response(status: int, message: str | None = None, *, fields: dict | None = None):
    """The one error shape of the API, with the status code as the response's own."""
    body = {"error": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "message": message or _MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "Error")),
            "fields": fields or {}}
    return jsonify(body), status


def _field_messages(messages, prefix: str = "") -> dict[str, str]:
    """webargs' validation messages ({location: {field: [message]}}, nested for lists and
    objects) as one message per field, named by its path ("rows.3.title")."""
    found: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(_field_messages(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        found[prefix or "_body"] = messages[0]
    elif isinstance(messages, list):
        for value in messages:
            found.update(_field_messages(value, prefix))
    else:
        found[prefix or "_body"] = str(messages)
    return found


def http_error(error: HTTPException):
    """An HTTP error raised anywhere under /api/ (routing, permissions, rate limits, views)."""
    code = error.code or 500
    # A description given to abort() is meant for the client; werkzeug's default ones are not.
    described = error.description != type(error).description
    if isinstance(error, MethodNotAllowed):
        allowed = sorted(error.valid_methods or [])
        usable = [method for method in allowed if method not in ("HEAD", "OPTIONS")]
        response, _ = error_response(405, f"This address does not accept {request.method}. "
                                          f"Use {' or '.join(usable)}.")
        response.headers["Allow"] = ", ".join(allowed)
        return response, 405
    data = getattr(error, "data", None) or {}
    if "messages" in data:  # flask-smorest's validation of query parameters or a body
        fields = {}
        for location, messages in data["messages"].items():
            fields.update(_field_messages(messages) if location in ("json", "query", "files",
                                                                    "form")
                          else _field_messages(messages, location))
        fields = {("_body" if name == "_schema" else name): message
                  for name, message in fields.items()}
        return error_response(422 if code == 422 else code, data.get("message"), fields=fields)
    response, _ = error_response(code, error.description if described else None)
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    if getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response, code


def server_error():
    return error_response(500)


@bp.errorhandler(MatchingError)
@v1.errorhandler(MatchingError)
def matching_error(error: MatchingError):
    return error_response(400 if request.blueprint == "api" else 422, str(error),
                          fields={"q": str(error)} if request.blueprint != "api" else None)


@bp.errorhandler(IndexNotBuilt)
@bp.errorhandler(SearchUnavailable)
@v1.errorhandler(IndexNotBuilt)
@v1.errorhandler(SearchUnavailable)
def unavailable(error):
    return error_response(503, "Matching is not available right now. Try again later.")


class _Api(flask_smorest.Api):
    """flask-smorest's Api without its error handler: the app's (marketplace/__init__.py) answers
    every error under /api/ in our one shape, through `http_error` above."""

    from marketplace.api.schemas import ErrorSchema as ERROR_SCHEMA  # noqa: N811

    def _register_error_handlers(self):
        pass


def init_app(app: Flask) -> None:
    """Register the API's blueprints with `app`. The OpenAPI document is built from the token
    calls only (the session calls are the pages' own). Each app gets its own Api (its own
    document); the blueprints' hooks are set once, when the module's blueprints are first
    registered (a process may make several apps: the tests do)."""
    from marketplace.api import auth, pages_routes, routes, v1_routes  # noqa: F401
    from marketplace.converters import MAX_ID, IdConverter
    from marketplace.extensions import csrf

    app.config.setdefault("API_TITLE", "Fair Chance Marketplace employer API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    api = _Api()
    api.init_app(app, spec_kwargs={"info": {"description": auth.DESCRIPTION}})
    api.register_converter(IdConverter, lambda converter: {"type": "integer", "minimum": 1,
                                                           "maximum": MAX_ID})
    api.spec.components.security_scheme(
        "token", {"type": "http", "scheme": "bearer",
                  "description": "An organisation API token, from your organisation's API "
                                 "tokens page"})
    api.spec.options["security"] = [{"token": []}]
    # Token calls carry their credential in a header, never a cookie: a page on another site
    # cannot make one for a signed-in person, so there is no cross-site request to forge.
    csrf.exempt(v1)
    if not v1._got_registered_once:
        auth.init_app(app, v1)
    auth.check_config(app)
    app.register_blueprint(bp)
    api.register_blueprint(v1)
    app.register_blueprint(pages)


def spec() -> dict:
    """This app's OpenAPI document."""
    from flask import current_app

    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def token_user():
    """The organisation member the request's API token acts as."""
    return g.api_user
