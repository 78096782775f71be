"""Background jobs against the real Redis on this machine and the real RQ worker: mail goes
through the queue to a real SMTP server; a job that keeps failing is retried, then listed for
administrators without its arguments; with no Redis the same work runs at once."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from marketplace import jobs, mail

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xdist_group("redis")


@pytest.fixture()
def redis_queue(app, monkeypatch):
    """The app's jobs on a queue of their own in Redis, emptied afterwards."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip(f"No Redis at {REDIS_URL}: set TEST_REDIS_URL to run the job tests")
    name = f"test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOB_QUEUE", name)
    yield name
    for key in redis.scan_iter(f"rq:*{name}*"):
        redis.delete(key)


def test_without_redis_a_job_runs_at_once(app, db_session):
    assert app.config["REDIS_URL"] is None
    assert jobs.enqueue(sorted, [3, 1, 2]) == [1, 2, 3]
    mail.outbox.clear()
    mail.send("jo@example.com", "Subject", "Body")
    assert [m.to for m in mail.outbox] == ["jo@example.com"]


def test_mail_goes_through_the_queue_and_the_worker_sends_it(app, db_session, redis_queue,
                                                               smtp_server, tmp_path):
    inbox, port = smtp_server()
    with app.test_request_context():
        job = mail.send("jo@example.com", "Reset your password", "Use this link: http://x/1")
    assert inbox.messages == []  # queued, not sent inside the request
    assert job.to == "jo@example.com"
    # The real worker command, in its own process, with its own app.
    env = {**os.environ, "REDIS_URL": REDIS_URL, "JOB_QUEUE": redis_queue,
           "MAIL_BACKEND": "smtp", "MAIL_SMTP_URL": f"smtp://127.0.0.1:{port}",
           "FLASK_APP": "marketplace", "INSTANCE_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'worker.db'}", "HF_HUB_OFFLINE": "1"}
    worker = subprocess.run([Path(sys.executable).parent / "flask", "worker", "--burst"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert worker.returncode == 0, worker.stderr[-2000:]
    [message] = inbox.messages
    assert (message["To"], message["Subject"]) == ("jo@example.com", "Reset your password")
    assert jobs.failed() == []


def test_a_failing_job_is_retried_then_listed_without_its_arguments(app, db_session,
                                                                     redis_queue, monkeypatch):
    from click.testing import CliRunner

    from tests.smtp import free_port

    monkeypatch.setattr(jobs, "JOB_RETRY_INTERVALS", (0, 0))  # retry at once, twice
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    with app.test_request_context():
        mail.send("private.person@example.com", "Your interview", "Tuesday at 10")
        job_id = jobs.queue().job_ids[0]
    jobs.work(app, burst=True)

    [failed] = jobs.failed()
    assert failed.id == job_id and failed.function == "marketplace.mail:deliver"
    assert "MailNotSent" in failed.error
    result = CliRunner().invoke(app.cli, ["jobs", "failed"], obj=None,
                                catch_exceptions=False)
    assert "marketplace.mail:deliver" in result.output and "1 failed job." in result.output
    assert "private.person" not in result.output and "Tuesday" not in result.output

    from rq.job import Job

    assert Job.fetch(job_id, connection=jobs.connection()).retries_left == 0
    assert jobs.retry_failed() == 1 and jobs.failed() == []


def test_a_job_must_be_a_function_a_worker_can_find(app, db_session, redis_queue):
    with pytest.raises(ValueError, match="not a module-level function"):
        jobs.enqueue(lambda: None)


def test_the_daily_jobs_are_queued_for_the_worker(app, db_session, redis_queue, monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "DAILY", {"tests.integration.test_jobs:_record_call": _record_call})
    monkeypatch.setattr(sys.modules[__name__], "CALLS", calls)
    assert jobs.run_daily() == ["tests.integration.test_jobs:_record_call"]
    assert calls == []
    jobs.work(app, burst=True)
    assert calls == ["ran"]


CALLS: list[str] = []


def _record_call():
    CALLS.append("ran")


def test_administrators_see_failed_jobs_without_their_arguments(app, db_session, redis_queue,
                                                                  monkeypatch):
    from marketplace.types import Role
    from tests import factories
    from tests.smtp import free_port

    monkeypatch.setattr(jobs, "JOB_RETRY_INTERVALS", ())
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "MAIL_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
    with app.test_request_context():
        mail.send("private.person@example.com", "Your interview", "Tuesday at 10")
    jobs.work(app, burst=True)
    page = app.test_client(user=factories.user(Role.ADMIN)).get("/admin/jobs")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 failed job" in text and "MailNotSent" in text
    assert "private.person" not in text and "Tuesday" not in text


@pytest.mark.slow
def test_a_saved_profile_is_embedded_and_indexed_by_the_worker(app, db_session, redis_queue):
    """The request only queues the work; the real worker embeds with the real model and
    writes the index; then the person can be found."""
    from tests import factories
    from tests.integration.test_matching import _indexed, _save_skills

    search = app.extensions["search"]
    person = factories.candidate(first_name="Robin", skills_text="")
    search.rebuild()
    db_session.info.pop("search_pending", None)
    app.config["SEARCH_SYNC"] = True
    try:
        _save_skills(app, person, "forklift counterbalance licence, warehouse picking")
    finally:
        app.config["SEARCH_SYNC"] = False
    assert not _indexed(search, person)  # queued, not done in the request
    assert jobs.queue().count == 1
    jobs.work(app, burst=True)
    assert _indexed(search, person)
    assert jobs.failed() == []


def test_without_redis_the_daily_jobs_run_and_their_work_is_kept(app, db_session, monkeypatch):
    from marketplace.extensions import db
    from marketplace.models import Notification
    from marketplace.types import Role
    from tests import factories

    user = factories.user(Role.EMPLOYER)

    def tell() -> None:
        db.session.add(Notification(user_id=user.id, kind="check_in_due", wording="Due",
                                    url="/employer/"))

    monkeypatch.setattr(jobs, "DAILY", {"x:tell": tell})
    result = app.test_cli_runner().invoke(args=["jobs", "daily"])
    assert result.exit_code == 0 and "Queued: x:tell" in result.output
    db.session.rollback()  # only what was committed remains
    assert db.session.scalar(sa.select(sa.func.count(Notification.id))) == 1


def test_the_scheduler_queues_every_daily_job_and_the_worker_runs_them(app, db_session,
                                                                       redis_queue,
                                                                       monkeypatch):
    """RQ's cron scheduler, as `flask jobs scheduler` builds it, against the real Redis: when
    the time comes it queues each daily job, and the real worker runs them."""
    import datetime as dt

    ran = []
    monkeypatch.setattr(jobs, "DAILY", {"tests.integration.test_jobs:_daily_for_test":
                                        _daily_for_test})
    monkeypatch.setattr(sys.modules[__name__], "_RAN", ran)
    found = jobs.scheduler("0 3 * * *")
    [cron_job] = found.get_jobs()
    assert cron_job.next_enqueue_time.astimezone().hour == 3
    cron_job.next_enqueue_time = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)  # the time
    assert found.enqueue_jobs() == [cron_job]
    assert found.enqueue_jobs() == []  # once a day, not again at once
    jobs.work(app, burst=True)
    assert ran == ["ran"] and jobs.failed() == []


_RAN: list = []


def _daily_for_test():
    _RAN.append("ran")


def test_the_scheduler_refuses_a_schedule_that_is_not_cron(app, redis_queue):
    result = app.test_cli_runner().invoke(args=["jobs", "scheduler", "--cron", "every day"])
    assert result.exit_code == 2
    assert "'every day' is not a cron schedule" in result.output
