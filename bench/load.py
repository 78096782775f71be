"""Signed-in people of every role using the service at once, against a real server on this
machine: a bounded loop (each simulated person makes a fixed number of requests), not an
open-ended soak.

    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/fcm_load \\
        [--users 1 5 20] [--requests 30] [--server gunicorn|flask|both] [--setup [--scale N]]

--setup builds the database first (migrations, reference and demo data, the search index);
with --scale N it then adds N candidates and N/5 opportunities (`flask demo --scale N`: their
search documents have random vectors, so their meaning scores are noise). Use an empty
database and its own --instance for each size.
The server runs on 127.0.0.1 only. Prints, for each server and number of users, p50 / p95 /
p99 per page, errors, and pages per second overall.
"""

import argparse
import multiprocessing
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "demo-password-2026"
DOMAIN = "demo.fairchance.example"
# What each kind of person does, and how often: pages they read most, searches now and then.
MIX = {
    "candidate": [("home", "/me/", 3), ("jobs for you", "/me/jobs", 4),
                  ("job search", "/me/jobs?q=forklift+warehouse", 2),
                  ("a job", "{job}", 2), ("applications", "/me/activity", 1)],
    "employer": [("home", "/employer/", 3), ("opportunities", "/employer/opportunities", 2),
                 ("matched candidates", "{matches}", 4), ("an opportunity", "{opportunity}", 2)],
    "pel": [("home", "/prison/", 3), ("caseload", "/prison/caseload", 3),
            ("a person", "{person}", 2), ("messages", "/prison/messages", 1)],
    "admin": [("home", "/admin/", 2), ("organisations", "/admin/organisations", 2),
              ("outcomes", "/reports/", 1)],
}
# Of every 10 people: mostly candidates, then employers, PELs, and an administrator now and then.
ROLES = ["candidate"] * 5 + ["employer"] * 3 + ["pel"] * 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict) -> None:
    subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def setup(env: dict, scale: int | None = None) -> None:
    commands = [["flask", "db", "upgrade"], ["flask", "reference", "load"],
                ["flask", "demo"], ["flask", "index", "rebuild"]]
    if scale:
        commands.append(["flask", "demo", "--scale", str(scale)])
    for command in commands:
        print("$", " ".join(command), flush=True)
        _run(command, env)


def start(server: str, env: dict, port: int) -> subprocess.Popen:
    if server == "gunicorn":
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "marketplace.wsgi:app"]
        env = {**env, "BIND": f"127.0.0.1:{port}"}
    else:  # the development server, threaded: the baseline
        command = [str(BIN / "flask"), "run", "--host", "127.0.0.1", "--port", str(port),
                   "--with-threads"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    for _ in range(600):
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=60).status_code == 200:
                return process
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{server} did not become ready on port {port}")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def sign_in(base: str, role: str) -> tuple[requests.Session, dict]:
    session = requests.Session()
    page = session.get(base + "/sign-in").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    session.post(base + "/sign-in", data={"email": f"{role}@{DOMAIN}", "password": PASSWORD,
                                          "csrf_token": token})
    found = {}
    if role == "candidate":
        found["job"] = _first(session, base + "/me/jobs", r'href="(/me/jobs/\d+)"')
    if role == "employer":
        found["opportunity"] = _first(session, base + "/employer/opportunities",
                                      r'href="(/employer/opportunities/\d+)"')
        found["matches"] = found["opportunity"] + "/matches"
    if role == "pel":
        found["person"] = _first(session, base + "/prison/caseload",
                                 r'href="(/prison/people/\d+)"')
    return session, found


def _first(session, url: str, pattern: str) -> str:
    match = re.search(pattern, session.get(url).text)
    if match is None:
        raise SystemExit(f"Nothing matching {pattern} on {url}: is the demo data loaded?")
    return match.group(1)


def one_person(base: str, role: str, requests_each: int, seed: int, ready, started,
               results) -> None:
    """One simulated person, in a process of their own (as each person has their own browser:
    one client process for everyone made the client's own lock the bottleneck)."""
    session, found = sign_in(base, role)
    ready.wait()  # everyone signed in (a password check is deliberately slow): now browse
    started.wait()  # and the CPU count has been read
    rng = random.Random(seed)
    pages = [(name, path.format(**found)) for name, path, weight in MIX[role]
             for _ in range(weight)]
    timings, errors = defaultdict(list), defaultdict(int)
    for _ in range(requests_each):
        name, path = rng.choice(pages)
        began = time.perf_counter()
        try:
            response = session.get(base + path, timeout=120)
            ok = response.status_code == 200
        except requests.RequestException:
            ok = False
        timings[f"{role}: {name}"].append((time.perf_counter() - began) * 1000)
        if not ok:
            errors[f"{role}: {name}"] += 1
    results.put((dict(timings), dict(errors)))


def cpu_seconds(server_pid: int) -> dict[str, float]:
    """CPU time (user + system) used so far by the server's processes, PostgreSQL's and the
    client's (this process and the people it started), read from /proc: where a run's CPU
    went, on a machine where all three share the same cores."""
    tick = os.sysconf("SC_CLK_TCK")
    used: dict[str, float] = defaultdict(float)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        parent, group = int(fields[1]), int(fields[2])
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if group == server_pid:
            used["server"] += seconds
        elif name.startswith("postgres"):
            used["postgres"] += seconds
        elif os.getpid() in (int(entry.name), parent):
            used["client"] += seconds
    return used


def run_load(base: str, users: int, requests_each: int, server_pid: int) -> None:
    """`users` people at once, each making `requests_each` requests. One user is each kind of
    person in turn (candidate, employer, PEL, administrator), so every page is timed alone.
    The clock (and the CPU count) starts once everyone has signed in."""
    timings, errors = defaultdict(list), defaultdict(int)
    if users == 1:
        waves = [[role] for role in MIX]
    else:
        waves = [[("admin" if users >= 10 and i == users - 1 else ROLES[i % len(ROLES)])
                  for i in range(users)]]
    seconds, spent = 0.0, defaultdict(float)
    context = multiprocessing.get_context("fork")
    for roles in waves:
        ready, started = context.Barrier(len(roles) + 1), context.Event()
        results = context.Queue()
        people = [context.Process(target=one_person, args=(base, role, requests_each, i, ready,
                                                           started, results))
                  for i, role in enumerate(roles)]
        for person in people:
            person.start()
        ready.wait()
        before, began = cpu_seconds(server_pid), time.perf_counter()
        started.set()
        for _ in people:
            their_timings, their_errors = results.get()
            for page, values in their_timings.items():
                timings[page].extend(values)
            for page, count in their_errors.items():
                errors[page] += count
        seconds += time.perf_counter() - began
        after = cpu_seconds(server_pid)  # before the people's processes end and are reaped
        for person in people:
            person.join()
        for name in ("server", "postgres", "client"):
            spent[name] += after[name] - before.get(name, 0.0)
    total = sum(len(t) for t in timings.values())
    print(f"\n{users} user(s), {requests_each} requests each: {total} pages in {seconds:.1f} s "
          f"= {total / seconds:.1f} pages/s, {sum(errors.values())} errors")
    print("CPU a page: " + ", ".join(
        f"{name} {1000 * value / total:.0f} ms" for name, value in spent.items())
        + f"; machine busy {sum(spent.values()) / seconds / (os.cpu_count() or 1):.0%} "
          "of its cores")
    print(f"{'page':<34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for page in sorted(timings):
        values = np.array(timings[page])
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        print(f"{page:<34} {len(values):>4} {p50:>8.0f} {p95:>8.0f} {p99:>8.0f} "
              f"{errors[page]:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="DATABASE_URL of the demo data")
    parser.add_argument("--instance", default=str(Path(tempfile.gettempdir()) / "fcm-load"),
                        help="INSTANCE_DIR (the search index lives there)")
    parser.add_argument("--users", type=int, nargs="+", default=[1, 5, 20])
    parser.add_argument("--requests", type=int, default=30, help="requests per person")
    parser.add_argument("--server", choices=["gunicorn", "flask", "both"], default="both")
    parser.add_argument("--setup", action="store_true", help="build the database first")
    parser.add_argument("--scale", type=int, metavar="N",
                        help="with --setup: also N candidates and N/5 opportunities")
    args = parser.parse_args()
    env = {**os.environ, "DATABASE_URL": args.database, "INSTANCE_DIR": args.instance,
           "FLASK_APP": "marketplace", "HF_HUB_OFFLINE": "1", "MARKETPLACE_ENV": "development",
           "LOG_FORMAT": "json", "PRELOAD_MODEL": "yes", "MAIL_BACKEND": "log",
           # Every simulated person signs in from 127.0.0.1: no rate limit for this run.
           "SIGN_IN_ADDRESS_RATE_LIMIT": "100000 per minute",
           "SIGN_IN_ACCOUNT_RATE_LIMIT": "100000 per minute"}
    env.pop("FLASK_DEBUG", None)
    if args.scale and not args.setup:
        parser.error("--scale builds the scaled data: give it with --setup")
    if args.setup:
        setup(env, args.scale)
    servers = ["gunicorn", "flask"] if args.server == "both" else [args.server]
    for server in servers:
        port = _free_port()
        process = start(server, env, port)
        print(f"\n=== {server} on 127.0.0.1:{port}")
        try:
            for users in args.users:
                run_load(f"http://127.0.0.1:{port}", users, args.requests, process.pid)
        finally:
            stop(process)


if __name__ == "__main__":
    main()
