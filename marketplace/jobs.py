"""Work done outside the request: RQ jobs on Redis when REDIS_URL is set, the same function
run at once (inline) when it is not, so that `make run` and the tests need nothing but Python.

A job is a module-level function and its arguments, named by import path so the worker can
find it; the worker (`flask worker`) runs each inside its own app context. Every job is
written to be safe to run twice (a retry after a crash may repeat it). A job that raises is
retried with backoff (JOB_RETRY_INTERVALS) and then kept in the failed list, which
administrators see (`flask jobs failed`, and /admin/jobs) without its arguments: those may
hold personal data, and the list is for finding faults, not reading mail.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import click
from flask import Flask, current_app

QUEUE = "marketplace"
# Seconds before each retry: a mail server or index that is down for a minute or an hour.
JOB_RETRY_INTERVALS = (10, 60, 600)
# A finished job is deleted at once (its arguments may be personal data); a failed one is
# kept a week for someone to look at, then dropped.
FAILED_KEPT_SECONDS = 7 * 24 * 3600
# Jobs run every day by `flask jobs daily` (from cron or a scheduler), registered by `daily`.
DAILY: dict[str, Callable[[], object]] = {}


def daily(func: Callable[[], object]) -> Callable[[], object]:
    """Registers a function with no arguments to run once a day (`flask jobs daily`)."""
    DAILY[f"{func.__module__}:{func.__qualname__}"] = func
    return func


def _path(func: Callable) -> str:
    if "<" in func.__qualname__:
        raise ValueError(f"{func.__qualname__} is not a module-level function: a worker could "
                         "not find it.")
    return f"{func.__module__}:{func.__qualname__}"


def _resolve(path: str) -> Callable:
    module, _, name = path.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def connection():
    """The Redis connection, or None for inline jobs."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url)


def queue():
    from rq import Queue

    redis = connection()
    return None if redis is None else Queue(current_app.config["JOB_QUEUE"], connection=redis)


def enqueue(func: Callable, *args, **kwargs):
    """Runs `func(*args, **kwargs)` as a background job, or now when there is no Redis.
    Returns the RQ job, or the function's result when run inline."""
    target = queue()
    if target is None:
        return func(*args, **kwargs)
    from rq import Retry

    retry = Retry(max=len(JOB_RETRY_INTERVALS), interval=list(JOB_RETRY_INTERVALS)) \
        if JOB_RETRY_INTERVALS else None
    return target.enqueue_call(run, args=(_path(func), args, kwargs), retry=retry,
                               result_ttl=0, failure_ttl=FAILED_KEPT_SECONDS,
                               description=_path(func))


def run(path: str, args: tuple, kwargs: dict):
    """What the worker executes: the named function, in the worker's app context, with the
    database session cleaned up after it, whether it worked or not."""
    from marketplace.extensions import db

    try:
        result = _resolve(path)(*args, **kwargs)
        db.session.commit()
        return result
    except BaseException:
        db.session.rollback()
        raise
    finally:
        db.session.remove()


def work(app: Flask, *, burst: bool = False) -> None:
    """Runs a worker on the app's queue until stopped (or, with `burst`, until it is empty).
    One process, jobs one at a time in it (SimpleWorker): no fork, so the app, its database
    pool and the embedding model are built once and never shared across a fork; start more
    workers for more throughput. Its scheduler puts retries back on the queue when due."""
    from rq import SimpleWorker

    with app.app_context():
        worker = SimpleWorker([queue()], connection=connection())
        worker.work(burst=burst, with_scheduler=True, logging_level="WARNING")


@dataclass(frozen=True)
class FailedJob:
    id: str
    function: str
    failed_at: datetime | None
    error: str  # the exception's last line: its type and message, never the arguments


def failed() -> list[FailedJob]:
    """Jobs that failed after every retry, newest first (none without Redis: an inline job's
    error reaches whoever ran it)."""
    target = queue()
    if target is None:
        return []
    from rq.job import Job
    from rq.registry import FailedJobRegistry

    registry = FailedJobRegistry(queue=target)
    jobs = [job for job in Job.fetch_many(registry.get_job_ids(), connection=target.connection)
            if job is not None]
    found = [FailedJob(job.id, job.description or "?", job.ended_at, _last_line(job))
             for job in jobs]
    return sorted(found, key=lambda j: j.failed_at.timestamp() if j.failed_at else 0.0,
                  reverse=True)


def _last_line(job) -> str:
    result = job.latest_result()
    lines = (result.exc_string or "").strip().splitlines() if result else []
    return lines[-1] if lines else ""


def retry_failed() -> int:
    """Puts every failed job back on the queue; returns how many."""
    target = queue()
    if target is None:
        return 0
    from rq.registry import FailedJobRegistry

    registry = FailedJobRegistry(queue=target)
    ids = registry.get_job_ids()
    for job_id in ids:
        registry.requeue(job_id)
    return len(ids)


def run_daily() -> list[str]:
    """Queues every daily job; returns their names. Without Redis each runs now, and what it
    changed is committed as it finishes, as the worker would (a command has no request to
    commit it)."""
    from marketplace.extensions import db

    for func in DAILY.values():
        enqueue(func)
        if queue() is None:
            db.session.commit()
    return list(DAILY)


# When the scheduler queues the daily jobs: 03:00 each day, in the scheduler's own time zone
# (cron syntax), when few people use the service.
DAILY_AT = "0 3 * * *"


def scheduler(cron: str = DAILY_AT):
    """RQ's cron scheduler with every daily job registered on the app's queue, each to run at
    `cron`. Each job is `run` with its function's name, so the worker runs it in its own app
    context and commits it, as it runs every other job."""
    from rq.cron import CronScheduler

    if not _valid_cron(cron):
        raise ValueError(f"{cron!r} is not a cron schedule: give five fields, such as "
                         f"{DAILY_AT!r} (03:00 every day).")
    found = CronScheduler(connection=connection(), logging_level="WARNING")
    for name in DAILY:
        found.register(run, current_app.config["JOB_QUEUE"], args=(name, (), {}), cron=cron,
                       result_ttl=0, failure_ttl=FAILED_KEPT_SECONDS, name=name)
    return found


def _valid_cron(cron: str) -> bool:
    from croniter import croniter

    return croniter.is_valid(cron) and len(cron.split()) == 5


def init_app(app: Flask) -> None:
    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker_command(burst: bool):
        """Run background jobs from Redis (REDIS_URL) until stopped."""
        if not app.config.get("REDIS_URL"):
            raise click.ClickException("REDIS_URL is not set: without Redis every job runs at "
                                       "once, inside the request, and no worker is needed.")
        click.echo(f"Working on queue {app.config['JOB_QUEUE']!r} at {app.config['REDIS_URL']}.")
        work(app, burst=burst)

    @app.cli.group("jobs")
    def jobs_group():
        """Background jobs: the failed ones, and the daily ones."""

    @jobs_group.command("failed")
    def jobs_failed():
        """List jobs that failed after every retry, newest first."""
        found = failed()
        for job in found:
            when = job.failed_at.strftime("%Y-%m-%d %H:%M") if job.failed_at else "?"
            click.echo(f"{when}  {job.function}  {job.error}  (id {job.id})")
        click.echo(f"{len(found)} failed job{'s' if len(found) != 1 else ''}.")

    @jobs_group.command("retry")
    def jobs_retry():
        """Put every failed job back on the queue."""
        click.echo(f"{retry_failed()} job(s) queued again.")

    @jobs_group.command("scheduler")
    @click.option("--cron", default=DAILY_AT, show_default=True,
                  help="When to queue the daily jobs, as a cron schedule.")
    def jobs_scheduler(cron: str):
        """Queue the daily jobs every day, until stopped (run one, beside the workers)."""
        if not app.config.get("REDIS_URL"):
            raise click.ClickException("REDIS_URL is not set: without Redis, run `flask jobs "
                                       "daily` once a day from cron instead.")
        try:
            found = scheduler(cron)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--cron") from None
        click.echo(f"Queueing {', '.join(DAILY)} at {cron!r} on {app.config['JOB_QUEUE']!r}.")
        found.start()

    @jobs_group.command("daily")
    def jobs_daily():
        """Queue the daily jobs (run this once a day, from cron or a scheduler)."""
        names = run_daily()
        click.echo("Queued: " + (", ".join(names) if names else "nothing (none registered)"))
