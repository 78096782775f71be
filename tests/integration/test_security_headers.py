"""Security headers (marketplace/headers.py). Every page fetched through PageClient and every
route in test_route_access is checked with tests.pages.check_headers; these tests cover what
those cannot: nonces per response, HSTS only in production, static files, errors."""

import re

import pytest
from cryptography.fernet import Fernet

from marketplace.config import Config
from marketplace.types import Role
from tests import factories
from tests.pages import PageClient, check_headers


def _nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)


def test_the_inline_script_carries_a_fresh_nonce_on_each_response(client):
    first, second = client.get("/"), client.get("/")
    assert _nonce(first) != _nonce(second)
    assert f'<script nonce="{_nonce(first)}">' in first.get_data(as_text=True)
    check_headers(first)


def test_signed_in_pages_cannot_be_framed_or_stored(app, db_session):
    candidate = factories.candidate()
    response = app.test_client(user=candidate.user).get("/me/")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url, status", [("/no-such-page", 404), ("/sign-out", 405)])
def test_error_pages_have_the_headers(client, url, status):
    response = client.get(url)
    assert response.status_code == status
    check_headers(response)


def test_static_files_may_be_cached_but_not_framed_or_sniffed(client):
    response = client.get("/assets/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_hsts_only_in_production(app, client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/").headers
    production = _production_app(tmp_path)
    response = production.test_client().get("/", base_url="https://fairchance.example")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    check_headers(response)


def _production_app(tmp_path):
    from marketplace import create_app

    config = Config.from_env({
        "MARKETPLACE_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "SECRET_KEY": "s" * 40, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "TRUSTED_HOSTS": "fairchance.example", "MAIL_BACKEND": "smtp",
        "MAIL_SMTP_URL": "smtp+starttls://u:p@smtp.example", "INSTANCE_DIR": str(tmp_path)})
    return create_app(config)


def test_pages_fetched_by_the_suite_are_checked(app, db_session):
    """PageClient refuses a page without the headers: take them off one response and see."""
    admin = factories.user(Role.ADMIN)
    pages = PageClient(app.test_client(user=admin))
    pages.get("/admin/")

    def strip(response):
        response.headers.pop("X-Frame-Options", None)
        return response

    app.after_request_funcs[None].insert(0, strip)  # first in the list runs last
    try:
        with pytest.raises(AssertionError, match="X-Frame-Options"):
            pages.get("/admin/")
    finally:
        app.after_request_funcs[None].remove(strip)
