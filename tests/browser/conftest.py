"""A real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright against the app served
over HTTP on a free port, with its own database (committed data: the browser is another
process, so the rolled-back test transaction is not visible to it)."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import fresh_database_beside

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _browser_database(url: str) -> str:
    if not url.startswith("postgresql"):
        return url.replace("test.db", "browser.db")
    return fresh_database_beside(url, "browser")


@pytest.fixture(scope="session")
def live_app(app):
    from flask_migrate import upgrade

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.reference import services as reference
    from tests.conftest import _test_config

    config = _test_config()
    config.SQLALCHEMY_DATABASE_URI = _browser_database(config.SQLALCHEMY_DATABASE_URI)
    config.SERVER_NAME = None
    # Its own search index: the browser's world is not the integration tests'.
    config.INSTANCE_DIR = config.INSTANCE_DIR + "-browser"
    live = create_app(config)
    with live.app_context():
        upgrade()
        reference.load()
        db.session.commit()
    yield live
    with live.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if shutil.which(CHROMIUM) is None and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}: run `make chromium` "
                    "(apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    yield page
    # Closing the browser with a request in flight (a stylesheet, say) drops the connection
    # while the live server still holds the file open; let the page settle first.
    page.wait_for_load_state("networkidle", timeout=5000)
    context.close()
