"""schemathesis fuzzes every call of the employer API from its own OpenAPI document
(/api/v1/openapi.json), valid and invalid requests alike, with a token holding every scope:
no answer is a server error, every answer conforms to the document (status, content type,
headers, body), and no answer carries a field of conviction or disclosure data.

Bounded so it runs in well under a minute (EXAMPLES per call and mode, derandomised so a run
is repeatable); on both databases, like the rest of the suite. Path ids are half the time the
id of a real opportunity or application of the token's organisation, so the calls reach their
views and not only the 404.
"""

import pytest
from flask import current_app
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode, openapi
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from marketplace.api import services
from marketplace.permissions import API_SCOPES
from marketplace.types import Role
from tests import factories

# The search index is built (matched candidates need it): the embedding model loads once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("search")]
EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
# Keys no API answer may have, at any depth: conviction and disclosure data, and private parts
# of a candidate's record (DISCLOSURE.md; schemas.py has no such field).
DISCLOSURE_KEYS = {"convictions", "conviction", "disclosure_statement", "offence", "offences",
                   "spent", "spent_status", "disposal", "sentence", "sentences",
                   "prison_number", "risk_notes", "barred_children", "barred_adults",
                   "licence_end_date", "candidate_id"}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.fixture()
def world(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "100000 per minute")
    employer = factories.user(Role.EMPLOYER)
    opportunity = factories.opportunity(employer.organisation)
    application = factories.application(opportunity)
    factories.conviction(application.candidate, actor=application.candidate.user)
    _, token = services.create_token(employer.organisation, actor=employer, name="Fuzz",
                                     scopes=API_SCOPES)
    current_app.extensions["search"].rebuild()
    return {"token": token, "ids": {"opportunity_id": opportunity.id,
                                    "application_id": application.id}}


def _operations(app):
    schema = openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_the_document_lists_every_token_call(app):
    labels = {op.label for op in _operations(app)}
    assert "POST /api/v1/opportunities" in labels
    assert "PATCH /api/v1/opportunities/{opportunity_id}" in labels
    assert "POST /api/v1/applications/{application_id}/reject" in labels
    assert len(labels) == 19


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["valid", "invalid"])
def test_fuzzing_finds_no_server_error_no_schema_violation_and_no_disclosure(app, world,
                                                                              mode):
    headers = {"Authorization": f"Bearer {world['token']}"}
    seen: dict[int, int] = {}
    for operation in _operations(app):

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
        def run(case, real):
            for name in case.path_parameters or {}:
                if real and name in world["ids"]:
                    case.path_parameters[name] = world["ids"][name]
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)
            seen[response.status_code] = seen.get(response.status_code, 0) + 1
            if response.headers.get("Content-Type", [""])[0].startswith("application/json"):
                leaked = _keys(response.json()) & DISCLOSURE_KEYS
                assert not leaked, (case.operation.label, leaked)

        run()
    assert not any(status >= 500 for status in seen)
    # The calls reached their views, not only the checks in front of them.
    assert seen.get(200, 0) > 0 and (seen.get(422, 0) + seen.get(404, 0)) > 0, seen
