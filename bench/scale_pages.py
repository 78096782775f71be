"""Do the pages that list or count grow with the data? Each role's list and count pages timed
through the whole app (routing, sign-in, queries, the template), in process, on the demo data
and on the demo plus `flask demo --scale N`, both on PostgreSQL; prints p50 / p95 / page size
for each, and the p95 ratio (issue 15's target: no page more than 2x its demo-size p95).

    .venv/bin/python bench/scale_pages.py --setup \\
        --demo postgresql://postgres@127.0.0.1:5432/fcm_pages_demo \\
        --scaled postgresql://postgres@127.0.0.1:5432/fcm_pages_100k [--scale 100000] \\
        [--requests 20]

--setup builds both databases first (they must exist and be empty; each gets its own search
index under bench/.cache/scale_pages/). Without it, both are used as they are. The scaled data's
search documents have random vectors (see marketplace/demo_scale.py): "Jobs for you" and
matched candidates search all of them, but their meaning scores are noise.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache" / "scale_pages"
DOMAIN = "demo.fairchance.example"
# (label, who signs in, path; {opportunity} is the demo employer's open role with the most
# applications)
PAGES = [
    ("PEL home", "pel@", "/prison/"),
    ("caseload", "pel@", "/prison/caseload"),
    ("caseload, page 10", "pel@", "/prison/caseload?page=10"),
    ("caseload, search", "pel@", "/prison/caseload?q=taylor"),
    ("nominations", "pel@", "/prison/nominations"),
    ("day release", "pel@", "/prison/day-release"),
    ("admin home", "admin@", "/admin/"),
    ("organisations", "admin@", "/admin/organisations"),
    ("admin reports", "admin@", "/reports/"),
    ("PEL reports", "pel@", "/reports/"),
    ("employer home", "employer@", "/employer/"),
    ("employer opportunities", "employer@", "/employer/opportunities"),
    ("employer applications", "employer@", "/employer/opportunities/{opportunity}"),
    ("matched candidates", "employer@", "/employer/opportunities/{opportunity}/matches"),
    ("Jobs for you", "candidate@", "/me/jobs"),
]


def environment(database: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "MARKETPLACE_ENV": "development", "INSTANCE_DIR": str(instance),
            "DATABASE_URL": database, "FLASK_APP": "marketplace", "HF_HUB_OFFLINE": "1",
            "PRELOAD_MODEL": "0"}


def setup(database: str, instance: Path, scale: int | None) -> None:
    instance.mkdir(parents=True, exist_ok=True)
    flask = str(Path(sys.executable).with_name("flask"))
    demo = ["demo"] if scale is None else ["demo", "--scale", str(scale)]
    for args in (["db", "upgrade"], ["reference", "load"], ["demo"], ["index", "rebuild"], demo):
        print("$ flask", " ".join(args), flush=True)
        subprocess.run([flask, *args], env=environment(database, instance), cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)


def measure(requests: int) -> dict:
    """In the child process: every page's times (ms) and size (bytes)."""
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa

    from marketplace import create_app
    from marketplace.auth import services as accounts
    from marketplace.extensions import db
    from marketplace.models import Application, Opportunity
    from marketplace.types import OpportunityStatus
    from tests.conftest import SignedInClient  # signs in as a user, as the tests do

    app = create_app()
    app.test_client_class = SignedInClient
    results = {}
    with app.app_context():
        employer = accounts.find_user("employer@" + DOMAIN)
        opportunity = db.session.execute(
            sa.select(Opportunity.id).outerjoin(Application)
            .where(Opportunity.organisation_id == employer.organisation_id,
                   Opportunity.status == OpportunityStatus.OPEN)
            .group_by(Opportunity.id)
            .order_by(sa.func.count(Application.id).desc(), Opportunity.id).limit(1)).scalar()
    for label, who, path in PAGES:
        url = path.format(opportunity=opportunity)
        with app.app_context():
            client = app.test_client(user=accounts.find_user(who + DOMAIN))
            first = client.get(url)  # warms caches (the model, a query's vector), signs in
            assert first.status_code == 200, (url, first.status_code)
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        times.sort()
        results[label] = {"p50": statistics.median(times),
                          "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
                          "bytes": len(response.data)}
    return results


def run_child(database: str, instance: Path, requests: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", "--requests", str(requests)],
                         env=environment(database, instance), cwd=ROOT, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo", help="PostgreSQL URL of the demo-size database")
    parser.add_argument("--scaled", help="PostgreSQL URL of the scaled database")
    parser.add_argument("--scale", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.requests)))
        return
    if not args.demo or not args.scaled:
        parser.error("give --demo and --scaled database URLs")
    sizes = {"demo": (args.demo, CACHE / "demo", None),
             "scaled": (args.scaled, CACHE / "scaled", args.scale)}
    if args.setup:
        for database, instance, scale in sizes.values():
            setup(database, instance, scale)
    print(f"load average before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
          f"{os.getloadavg()[2]:.2f}; {args.requests} requests a page")
    found = {name: run_child(database, instance, args.requests)
             for name, (database, instance, _scale) in sizes.items()}
    print(f"\n{'page':<26} {'demo p50':>9} {'p95':>7} {'KB':>6}   {'scaled p50':>10} "
          f"{'p95':>7} {'KB':>6}   {'p95 ratio':>9}")
    for label, *_ in PAGES:
        small, big = found["demo"][label], found["scaled"][label]
        ratio = big["p95"] / small["p95"] if small["p95"] else float("inf")
        print(f"{label:<26} {small['p50']:9.1f} {small['p95']:7.1f} {small['bytes'] / 1024:6.1f}"
              f"   {big['p50']:10.1f} {big['p95']:7.1f} {big['bytes'] / 1024:6.1f}"
              f"   {ratio:8.1f}x{'  over 2x' if ratio > 2 else ''}")
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
