"""Whatever a client sends, the answer is a page or a 404, never a 500. Run on PostgreSQL too:
it refuses what SQLite stores."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from marketplace.converters import MAX_ID, IdConverter
from marketplace.permissions import PUBLIC
from marketplace.types import Role
from tests import factories
from tests.integration.access import ACCESS, URL_ARGS


def _signed_in(app, endpoint):
    """A client signed in as someone the endpoint lets in (anonymous for public pages)."""
    rule = ACCESS[endpoint]
    if rule == PUBLIC:
        return app.test_client()
    role = rule[0]
    user = factories.candidate().user if role is Role.CANDIDATE else factories.user(role)
    return app.test_client(user=user)


# --- ids beyond what the database holds -----------------------------------------------------------


def _id_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if any(isinstance(c, IdConverter) for c in rule._converters.values())),
                  key=lambda rule: rule.rule)


_PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class _Anything:
    """Stands in for every object of the access tables' URL arguments: the ids are replaced."""

    id = 1


def _url_with_id(rule, value: str) -> str:
    others = URL_ARGS.get(rule.endpoint, lambda w: {})(_AnyWorld())
    return _PART.sub(lambda m: value if m[1] == "id" else str(others[m[2]]), rule.rule)


class _AnyWorld(dict):
    def __missing__(self, key):
        return _Anything()


def test_every_id_in_a_url_uses_the_id_converter(app):
    loose = [rule.rule for rule in app.url_map.iter_rules()
             for name, converter in rule._converters.items()
             if (name.endswith("_id") or isinstance(converter, IntegerConverter))
             and not isinstance(converter, IdConverter)]
    assert loose == []
    assert len(_id_rules(app)) >= 25


@pytest.mark.parametrize("value", [str(MAX_ID + 1), "9223372036854775808", "1" + "0" * 40,
                                   "0", "-1", "007", "1.5", "abc", "٣", str(MAX_ID)])
def test_an_id_the_database_cannot_hold_is_404_on_every_route(app, db_session, value):
    """Signed in as someone each route lets in, so nothing but the id can refuse the request.
    MAX_ID itself is a valid id that no row has: the view runs its query and answers 404."""
    answers = {}
    for rule in _id_rules(app):
        client = _signed_in(app, rule.endpoint)
        url = _url_with_id(rule, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            app.config["WTF_CSRF_ENABLED"] = False
            try:
                response = client.open(url, method=method)
            finally:
                app.config["WTF_CSRF_ENABLED"] = True
            answers[f"{method} {url}"] = response.status_code
            if rule.endpoint.startswith("api."):
                assert response.get_json()["status"] == 404
    assert {request: code for request, code in answers.items() if code != 404} == {}
    assert len(answers) >= 25
