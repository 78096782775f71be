"""Employer API latency on the demo data: p50 / p95 of listing opportunities (a page of 20)
and of matched candidates for a role (20 anonymised cards), one client with one token, the
model already loaded.

    .venv/bin/python bench/api_bench.py               # 200 requests a call
    .venv/bin/python bench/api_bench.py --requests 50

The demo database and its search index are built once under bench/.cache/api-demo
(git-ignored; the first run embeds the demo texts, about a minute on two cores) and reused.
Requests go through the whole app: token check and rate limit, schemas, the query or the
match, the disclosure policy, and the audit row written for every call.
"""

import argparse
import os
import sys
import time

import demo_db

ROOT = demo_db.ROOT
INSTANCE = demo_db.CACHE / "api-demo"


def _time(client, url: str, headers: dict, n: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each request (CPU: what the request itself used;
    on a shared machine wall time also counts waiting for a core)."""
    for _ in range(5):
        assert client.get(url, headers=headers).status_code == 200, url
    wall, cpu = [], []
    for _ in range(n):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, url
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    demo_db.prepare(INSTANCE, index=True, API_RATE_LIMIT="1000000 per minute")
    os.environ.update(demo_db.environment(INSTANCE, API_RATE_LIMIT="1000000 per minute"))
    sys.path.insert(0, str(ROOT))
    from marketplace import create_app
    from marketplace.demo import DOMAIN

    app = create_app()
    with app.app_context():
        import sqlalchemy as sa

        from marketplace.api import services
        from marketplace.extensions import db
        from marketplace.models import Opportunity, User
        from marketplace.permissions import API_SCOPES
        from marketplace.types import OpportunityStatus

        app.extensions["search"].preload()
        employer = db.session.scalar(sa.select(User).where(User.email == f"employer@{DOMAIN}"))
        role_id = db.session.scalar(
            sa.select(Opportunity.id).where(Opportunity.organisation_id
                                            == employer.organisation_id,
                                            Opportunity.status == OpportunityStatus.OPEN)
            .order_by(Opportunity.id))
        _, token = services.create_token(employer.organisation, actor=employer, name="Bench",
                                         scopes=API_SCOPES)
        db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()
    calls = [("list opportunities", "/api/v1/opportunities?limit=20"),
             ("list opportunities, open only", "/api/v1/opportunities?limit=20&status=open"),
             ("matched candidates", f"/api/v1/opportunities/{role_id}/matched-candidates"),
             ("matched candidates, searched",
              f"/api/v1/opportunities/{role_id}/matched-candidates?q=forklift&miles=25")]
    print(f"Demo data, one client, {args.requests} requests a call after 5 warm-up requests, "
          f"model loaded. Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
          "cores.\n")
    print("| call | wall p50 / p95 ms | CPU p50 / p95 ms |")
    print("|---|---|---|")
    for label, url in calls:
        wall, cpu = _time(client, url, headers, args.requests)
        p = demo_db.percentile
        print(f"| {label} | {p(wall, 50):.1f} / {p(wall, 95):.1f} | "
              f"{p(cpu, 50):.1f} / {p(cpu, 95):.1f} |")


if __name__ == "__main__":
    main()
