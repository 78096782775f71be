"""A serving process loads the embedding model as it starts, so nobody's first search waits for
it (issue 9, item 6); tests and commands that do not need it do not load it."""

import click
import pytest

from marketplace import create_app
from marketplace.config import Config
from marketplace.extensions import search
from marketplace.matching import engine

pytestmark = pytest.mark.slow


@pytest.fixture()
def no_model_loaded(monkeypatch):
    """The search extension as a fresh process has it: no embedder made, so none loaded."""
    monkeypatch.setattr(search, "_embedders", {})


def _config(tmp_path, mode: str, **environ) -> Config:
    return Config.from_env({"MARKETPLACE_ENV": mode, "INSTANCE_DIR": str(tmp_path),
                            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", **environ})


def _loaded(app) -> bool:
    with app.app_context():
        return search.embedder.loaded


def test_a_serving_process_has_the_model_loaded_when_create_app_returns(tmp_path,
                                                                        no_model_loaded):
    app = create_app(_config(tmp_path, "development"))
    assert _loaded(app)
    with app.app_context():
        assert search.embedder.load_seconds > 0


def test_tests_do_not_load_it(tmp_path, no_model_loaded):
    assert not _config(tmp_path, "testing").PRELOAD_MODEL
    assert not _loaded(create_app(_config(tmp_path, "testing")))


def test_it_can_be_switched_off(tmp_path, no_model_loaded):
    assert not _loaded(create_app(_config(tmp_path, "development", PRELOAD_MODEL="0")))


def test_commands_other_than_run_do_not_load_it(tmp_path, no_model_loaded):
    """`flask db upgrade` and the rest load the app inside their click context."""
    with click.Context(click.Command("flask"), info_name="flask"):
        app = create_app(_config(tmp_path, "development"))
    assert not _loaded(app)


def _run_context(**params) -> click.Context:
    context = click.Context(click.Command("run"), info_name="run")
    context.params = params
    return context


def test_flask_run_serves_but_the_reloaders_watcher_does_not(monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    assert engine.serving()  # no click context: a WSGI server imported the factory
    with _run_context(reload=None):
        assert engine.serving()
    with _run_context(reload=True):
        assert not engine.serving()  # the watcher: it starts the process that serves
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
        assert engine.serving()


def test_index_status_says_the_model_loads_and_how_long_it_took(tmp_path, no_model_loaded):
    app = create_app(_config(tmp_path, "testing"))
    result = app.test_cli_runner().invoke(args=["index", "status"])
    assert result.exit_code == 0, result.output
    assert "Model: all-MiniLM-L6-v2" in result.output
    assert "Model loaded in " in result.output
    assert _loaded(app)
