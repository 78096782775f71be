"""gunicorn settings for serving the Fair Chance Marketplace in production.

    gunicorn -c gunicorn.conf.py marketplace.wsgi:app

Every number comes from the environment with a default for a 2-core machine. Each worker is a
process with its own app and its own copy of the embedding model (about 90 MB), so workers
are few and threads serve the waiting (database, disk); torch gets one thread per worker,
because torch spreading each request over every core makes workers fight over them (a short
text took 25 ms with one thread and 538 ms with two on a busy machine: issue 15).
"""

import os


def _number(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} is {value!r}: set it to a whole number of 1 or more.")
    return int(value)


bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = _number("WEB_CONCURRENCY", 2)
threads = _number("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A request that embeds a long typed search on a busy machine can take seconds; none takes a
# minute. Slow clients are the proxy's to buffer.
timeout = _number("GUNICORN_TIMEOUT", 60)
graceful_timeout = _number("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Restart workers now and then, so that a slow leak cannot grow without end.
max_requests = _number("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = 200
# The app logs one JSON line per request itself (marketplace/requestlog.py), without the
# client address or query string; gunicorn's access log would repeat it with both.
accesslog = None
errorlog = "-"
# Not preloaded: each worker builds the app after the fork, so no database connection,
# model or index handle is shared between processes.
preload_app = False
TORCH_THREADS = _number("TORCH_THREADS", 1)


def post_fork(server, worker):
    # Before the worker imports the app (and loads the model): torch reads it at first use.
    os.environ.setdefault("OMP_NUM_THREADS", str(TORCH_THREADS))
    import torch

    torch.set_num_threads(TORCH_THREADS)
    server.log.info("worker %s: torch threads: %s", worker.pid, torch.get_num_threads())
