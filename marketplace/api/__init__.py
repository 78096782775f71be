"""The JSON API (signed-in sessions). A later issue defines it fully; for now it offers the two
matching calls the pages use, answering with the same data and the same rules.

Every answer under /api/ is JSON, errors included, in one shape:
`{"error": <HTTP reason>, "status": <code>, "message": <plain words>}`, plus `fields` (field name
to message) when query parameters are wrong."""

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from marketplace.matching.service import MatchingError
from search_index import IndexNotBuilt, SearchUnavailable

bp = Blueprint("api", __name__, url_prefix="/api/v1")

PREFIX = "/api"

_MESSAGES = {
    400: "The request is not valid. Check it and try again.",
    401: "Sign in to use the API.",
    403: "You do not have permission to do this.",
    404: "There is nothing at this address. Check it and try again.",
    429: "There have been too many requests. Wait a few minutes and try again.",
    500: "Sorry, there is a problem with the service. Try again later.",
    503: "The service is not available right now. Try again later.",
}


def is_api_request() -> bool:
    """Whether this request is answered as the API. Decided by the path, not the blueprint: an
    unknown /api/ address or a wrong method matches no endpoint, so it has no blueprint."""
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def error_response(status: int, message: str | None = None, **extra):
    """The one error shape of the API, with the status code as the response's own."""
    body = {"error": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "message": message or _MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "Error")),
            **extra}
    return jsonify(body), status


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
    return error_response(code, error.description if described else None)


def server_error():
    return error_response(500)


@bp.errorhandler(MatchingError)
def matching_error(error: MatchingError):
    return error_response(400, str(error))


@bp.errorhandler(IndexNotBuilt)
@bp.errorhandler(SearchUnavailable)
def unavailable(error):
    return error_response(503, "Matching is not available right now. Try again later.")


from marketplace.api import routes  # noqa: E402,F401
