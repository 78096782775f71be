"""How long the custody channel's busiest pages take through the whole app (routing, sign-in,
queries, the template), with the demo data plus 2,000 more people in the demo PEL's prison,
each with work readiness: the caseload and its filters, the message queue, the PEL's home page,
and a Jobpoint's job list and job page.

    .venv/bin/python bench/custody_bench.py              # 30 requests a page
    .venv/bin/python bench/custody_bench.py --requests 10

The database is built once under bench/.cache/custody (git-ignored) and reused.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time

import demo_db

ROOT = demo_db.ROOT
INSTANCE = demo_db.CACHE / "custody"
DOMAIN = "demo.fairchance.example"
EXTRA = 2000


def add_people(pel) -> None:
    from marketplace import clock
    from marketplace.custody import people
    from marketplace.extensions import db
    from marketplace.models import Candidate
    from marketplace.types import CandidateStatus, ReadinessLevel

    levels = list(ReadinessLevel)
    for n in range(EXTRA):
        person = Candidate(first_name="Bench", last_name=f"Person{n:05d}",
                           prison_number=f"Z{n:04d}ZZ", status=CandidateStatus.IN_CUSTODY,
                           prison_id=pel.prison_id, home_district="LS11",
                           release_date=clock.uk_today() + dt.timedelta(days=7 + n % 700),
                           skills=[], preferred_sectors=[], exclusion_districts=[])
        db.session.add(person)
        db.session.flush()
        people.record_readiness(person, actor=pel, level=levels[n % 3], support=[], note="")
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    fresh = demo_db.prepare(INSTANCE)
    os.environ.update(demo_db.environment(INSTANCE))
    sys.path.insert(0, str(ROOT))
    from marketplace import create_app
    from marketplace.auth import services as accounts
    from tests.conftest import SignedInClient  # signs in as a user, as the tests do

    app = create_app()
    app.test_client_class = SignedInClient
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["SEARCH_SYNC"] = False  # the bench's extra people need no search index
    with app.app_context():
        pel = accounts.find_user("pel@" + DOMAIN)
        if fresh:
            add_people(pel)
        from marketplace.custody import kiosk
        from marketplace.reference import services as reference

        job = kiosk.open_jobs(reference.get_district("LS11"), miles=25).items[0].id
        _ = (pel.id, pel.session_version, pel.role, pel.prison_id)  # loaded before detaching
    # An app context a page: the test client would otherwise share g between two people.
    with app.app_context():
        staff = app.test_client(user=pel)
    with app.app_context():
        terminal = app.test_client(user=pel)
        terminal.post("/prison/jobpoints", data={"label": "Bench terminal"})
        terminal._signed_in_as = None
    pages = [(staff, "/prison/caseload"), (staff, "/prison/caseload?page=50"),
             (staff, "/prison/caseload?release=12&sort=readiness"),
             (staff, "/prison/caseload?readiness=not_yet&applications=y"),
             (staff, "/prison/caseload?q=Z1234ZZ"), (staff, "/prison/messages"),
             (staff, "/prison/"),
             (terminal, "/jobpoint/jobs?area=LS11&miles=25"),
             (terminal, "/jobpoint/jobs?area=LS11&miles=50&q=warehouse"),
             (terminal, f"/jobpoint/jobs/{job}")]
    print(f"{EXTRA} extra people in the caseload; {args.requests} requests a page")
    print(f"{'page':<56} {'p50 ms':>8} {'p95 ms':>8}")
    for client, url in pages:
        with app.app_context():
            assert client.get(url).status_code == 200, url
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, url
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{url:<56} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
