"""What happens around every token call (the `v1` blueprint), before and after its view:

1. a body larger than the call allows is refused with 413 before it is read;
2. `Authorization: Bearer <token>` is checked (services.authenticate): a token that is not
   right is a 401 whatever the call; the view's permissions.token_scope then asks for its scope;
3. each token has its own rate limit (API_RATE_LIMIT), answered with 429 and Retry-After;
4. every call made with a token is audited with the token's name, and the token's last use
   recorded, whether the call succeeded or not.
"""

import math
import time

from flask import Flask, current_app, g, request
from limits import parse_many
from werkzeug.exceptions import RequestEntityTooLarge, TooManyRequests, Unauthorized

from marketplace.api import services
from marketplace.extensions import db, limiter

DESCRIPTION = """The Fair Chance Marketplace API for Corporate Alliance employers: post and manage
opportunities from your applicant tracking system, read applications and move them through
their stages (with the same rules as the website), and see matched candidates as anonymised
cards.

Authenticate with an organisation API token, made on your organisation's API tokens page:
`Authorization: Bearer fcm_...`. Each token has scopes; a call outside them is a 403. Another
organisation's things are a 404. Every error has the shape
`{"error", "status", "message", "fields"}`. Updates need `If-Match` with the `ETag` you read.
Each token has its own rate limit (300 calls a minute unless the service sets API_RATE_LIMIT):
past it the answer is 429 with Retry-After. Lists are paged: pass next_cursor as cursor."""

# Bodies: one opportunity or stage change is a few kilobytes; an import of 2,000 rows a few MB.
MAX_BODY_BYTES = 64 * 1024
MAX_IMPORT_BYTES = 8 * 1024 * 1024
IMPORT_ENDPOINTS = frozenset({"api_v1.import_opportunities"})


def body_limit() -> int:
    return MAX_IMPORT_BYTES if request.endpoint in IMPORT_ENDPOINTS else MAX_BODY_BYTES


def limit_body() -> None:
    limit = body_limit()
    request.max_content_length = limit  # a body sent without a length is cut off here too
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge(f"The request body is larger than this call accepts "
                                    f"({limit // 1024:,} KB). Send fewer rows at a time.")


def authenticate() -> None:
    g.api_token = g.api_user = None
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, presented = header.partition(" ")
    token = services.authenticate(presented.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise Unauthorized("The API token is not valid: it is wrong, revoked, or its member "
                           "has left the organisation. Create a new one on your organisation's "
                           "API tokens page.")
    g.api_token, g.api_user = token, token.created_by
    _rate_limit(token)


def _rate_limit(token) -> None:
    strategy = limiter.limiter
    for item in parse_many(current_app.config["API_RATE_LIMIT"]):
        if not strategy.hit(item, "api-token", token.prefix):
            reset_at = strategy.get_window_stats(item, "api-token", token.prefix).reset_time
            error = TooManyRequests(f"This token has made too many calls ({item}). Wait and "
                                    "try again.", retry_after=max(1, math.ceil(reset_at -
                                                                              time.time())))
            raise error


def audit_call(response):
    token = g.get("api_token")
    if token is None:
        return response
    if response.status_code >= 400:
        # The request's own changes are rolled back; the record of the call is kept.
        db.session.rollback()
        services.record_call(db.session.merge(token), method=request.method,
                             path=request.path, status=response.status_code)
        db.session.commit()
    else:
        services.record_call(token, method=request.method, path=request.path,
                             status=response.status_code)
    return response


def check_config(app: Flask) -> None:
    """The rate limit is checked at start-up, like the others (config.py)."""
    parse_many(app.config["API_RATE_LIMIT"])


def init_app(app: Flask, blueprint) -> None:
    """Around every call of `blueprint` (the token API)."""
    blueprint.before_request(limit_body)
    blueprint.before_request(authenticate)
    blueprint.after_request(audit_call)
