"""Serving in production: health checks, one JSON log line per request with nothing about
anyone in it, and the app under a real gunicorn."""

import io
import json
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from marketplace.requestlog import JsonFormatter
from marketplace.types import CandidateStatus, OffenceCategory, Role
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
# The production command: the README, compose.yaml and the Containerfile give the same one.
GUNICORN = ["gunicorn", "-c", "gunicorn.conf.py", "marketplace.wsgi:app"]


def test_healthz_answers_without_touching_anything(app, db_session):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_names_what_is_not_ready(app, db_session, monkeypatch, tmp_path):
    """A fresh instance folder: no search index has been built there yet."""
    monkeypatch.setitem(app.config, "INSTANCE_DIR", str(tmp_path))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["index_opportunities"] == "not built"
    assert body["checks"]["index_candidates"] == "not built"


@pytest.mark.slow
def test_readyz_is_ready_once_the_indices_are_built(app, db_session, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "INSTANCE_DIR", str(tmp_path))
    app.extensions["search"].rebuild()  # the real back end and model, in that folder
    response = app.test_client().get("/readyz")
    # Testing does not preload the model: it loads on first use, which is still ready.
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["checks"]["model"] in ("ok", "loads on first use")


@pytest.fixture()
def captured_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


def test_each_request_logs_one_json_line_with_its_id(app, db_session, captured_log):
    client = app.test_client()
    given = client.get("/healthz", headers={"X-Request-ID": "lb-0123456789abcdef"})
    made = client.get("/healthz", headers={"X-Request-ID": "not a valid id!"})
    assert given.headers["X-Request-ID"] == "lb-0123456789abcdef"
    assert made.headers["X-Request-ID"] != "not a valid id!"
    lines = [json.loads(line) for line in captured_log.getvalue().splitlines()
             if '"message": "request"' in line]
    assert [(line["request_id"], line["route"], line["status"]) for line in lines] == [
        ("lb-0123456789abcdef", "/healthz", 200), (made.headers["X-Request-ID"], "/healthz", 200)]
    assert all(isinstance(line["duration_ms"], float) for line in lines)


def test_the_log_holds_no_names_searches_or_offences(app, db_session, captured_log):
    """Every role's pages about one person, with their name typed into searches: nothing the
    person is, or did, reaches the log."""
    pel = factories.user(Role.PEL)
    person = factories.candidate(CandidateStatus.IN_CUSTODY, first_name="Zebedee",
                                 last_name="Quartermaine", prison=pel.prison)
    factories.conviction(person, actor=pel, offence="Arson of a hay barn",
                         category=OffenceCategory.ARSON)
    admin = factories.user(Role.ADMIN)
    pages = {pel: ["/prison/caseload?q=Quartermaine", f"/prison/people/{person.id}",
                   f"/prison/people/{person.id}/convictions", "/prison/"],
             admin: ["/admin/organisations?q=Zebedee", "/admin/"]}
    for user, urls in pages.items():
        client = app.test_client(user=user)
        for url in urls:
            assert client.get(url).status_code in (200, 302), url
    text = captured_log.getvalue()
    assert '"message": "request"' in text
    for word in ("Zebedee", "Quartermaine", "Arson of a hay barn", "hay barn", "q="):
        assert word not in text, word


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.xdist_group("gunicorn")
def test_the_app_serves_under_gunicorn_with_health_checks_and_json_logs(tmp_path):
    port = _free_port()
    env = {**os.environ, "MARKETPLACE_ENV": "development", "INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PRELOAD_MODEL": "no",
           "LOG_FORMAT": "json", "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2",
           "FLASK_APP": "marketplace", "HF_HUB_OFFLINE": "1"}
    env.pop("FLASK_DEBUG", None)
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([bin_dir / GUNICORN[0], *GUNICORN[1:]], cwd=ROOT, env=env,
                                  stdout=output, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            # Workers import torch and build the app before they answer: seconds on a busy
            # machine, while the port is already open.
            for _ in range(600):
                try:
                    healthz = requests.get(base + "/healthz", timeout=30)
                    break
                except requests.ConnectionError:
                    time.sleep(0.1)
            else:
                pytest.fail("gunicorn did not answer: " + log.read_text()[-2000:])
            assert healthz.status_code == 200 and healthz.json() == {"status": "ok"}
            readyz = requests.get(base + "/readyz", timeout=60)
            # A fresh database with no index built yet: not ready, and it says why.
            assert readyz.status_code == 503
            assert readyz.json()["checks"]["index_opportunities"] == "not built"
            assert readyz.json()["checks"]["database"] == "ok"
            assert requests.get(base + "/", timeout=60).status_code == 200
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = log.read_text()
    requests_logged = [json.loads(line) for line in text.splitlines()
                       if line.startswith("{") and '"message": "request"' in line]
    assert {(r["route"], r["status"]) for r in requests_logged} >= {("/healthz", 200),
                                                                     ("/readyz", 503)}
    assert text.count("torch threads: 1") == 2  # one line from each worker


def test_a_worker_warms_every_template_and_survives_an_index_not_built(app, db_session,
                                                                       monkeypatch, tmp_path,
                                                                       caplog):
    from marketplace.health import warm

    monkeypatch.setitem(app.config, "INSTANCE_DIR", str(tmp_path))  # nothing built here
    app.jinja_env.cache.clear()
    warm(app)
    cached = {name for (_, name) in app.jinja_env.cache}
    assert set(app.jinja_env.list_templates(extensions=("html", "txt"))) <= cached
    assert "Search index opportunities not warmed: IndexNotBuilt" in caplog.text
