"""The deployment files cannot be run here (no container runtime), so check what can be: they
parse, their commands are the ones the tests run, and every setting they pass is one the app
or its server reads."""

import dataclasses
import json
import re
from pathlib import Path

import yaml

from marketplace.config import Config
from tests.integration.test_serving import GUNICORN

ROOT = Path(__file__).resolve().parents[2]
# Read by something other than Config: gunicorn.conf.py, Flask's command line, PostgreSQL.
OTHER_SETTINGS = {"BIND", "WEB_CONCURRENCY", "MARKETPLACE_ENV", "DATABASE_URL",
                  "POSTGRES_PASSWORD", "TRUSTED_HOSTS"}


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_the_tested_commands():
    services = _compose()["services"]
    assert set(services) == {"migrate", "app", "worker", "scheduler", "postgres", "redis",
                             "opensearch"}
    assert services["app"]["command"] == GUNICORN
    assert services["worker"]["command"] == ["flask", "worker"]  # tests/integration/test_jobs.py
    assert services["scheduler"]["command"] == ["flask", "jobs", "scheduler"]  # and there
    assert services["opensearch"]["image"].startswith("opensearchproject/opensearch:2")
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    containerfile = (ROOT / "Containerfile").read_text()
    assert f"CMD {json.dumps(GUNICORN)}" in containerfile


def test_every_setting_passed_is_one_that_is_read():
    known = {f.name for f in dataclasses.fields(Config)} | OTHER_SETTINGS
    passed = set()
    for service in _compose()["services"].values():
        passed |= set(service.get("environment", {}))
    example = (ROOT / "deploy.env.example").read_text()
    passed |= set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert passed - {"POSTGRES_DB", "POSTGRES_USER", "discovery.type",
                     "DISABLE_SECURITY_PLUGIN", "OPENSEARCH_JAVA_OPTS"} <= known
