"""One log line per request, as JSON in production: a request id, the route, the status and
how long it took, and nothing about anyone.

What is left out, and why: the query string (searches hold names and skills people typed),
the path's values (the route's pattern is logged, `/me/applications/<id:application_id>`),
the client address and user agent, and any form field. The request id comes from the proxy's
`X-Request-ID` when it is a plain token, or is made here, and goes back in the response so a
person reporting a fault can quote it.
"""

import json
import logging
import re
import time
import uuid

from flask import Flask, g, request

from marketplace.clock import utc_now

log = logging.getLogger("marketplace.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time, level, logger, message and any `fields` given
    with `extra={"fields": {...}}`."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": utc_now().isoformat(timespec="milliseconds"),
                "level": record.levelname.lower(), "logger": record.name,
                "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        request_id = _current_request_id()
        if request_id and "request_id" not in line:
            line["request_id"] = request_id
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """For a terminal: the usual line, then any `fields` as key=value."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        extra = " ".join(f"{k}={v}" for k, v in fields.items())
        return super().format(record) + (f" {extra}" if extra else "")


def _current_request_id() -> str | None:
    from flask import has_request_context

    return g.get("request_id") if has_request_context() else None


def configure(app: Flask) -> None:
    """The root logger's format: JSON lines (LOG_FORMAT=json, the production default) or
    plain text for a person at a terminal."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if app.config["LOG_FORMAT"] == "json"
                         else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    @app.before_request
    def start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def finish(response):
        started = g.get("request_started")
        if started is None:  # a request that failed before before_request ran
            return response
        response.headers["X-Request-ID"] = g.request_id
        log.info("request", extra={"fields": {
            "request_id": g.request_id, "method": request.method,
            "route": request.url_rule.rule if request.url_rule else None,
            "endpoint": request.endpoint, "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1)}})
        return response
