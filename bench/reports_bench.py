"""How long the outcome reports and the skills-gap page take on the demo data, through the whole
app (routing, sign-in, queries, counting, charts, the template), as a browser's requests would.

    .venv/bin/python bench/reports_bench.py              # 30 requests a page
    .venv/bin/python bench/reports_bench.py --requests 10

The demo database is built once under bench/.cache/reports (git-ignored) and reused.
"""

import argparse
import os
import statistics
import sys
import time

import demo_db

ROOT = demo_db.ROOT
INSTANCE = demo_db.CACHE / "reports"
DOMAIN = "demo.fairchance.example"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    demo_db.prepare(INSTANCE)
    os.environ.update(demo_db.environment(INSTANCE))
    sys.path.insert(0, str(ROOT))
    from marketplace import create_app
    from marketplace.auth import services as accounts
    from tests.conftest import SignedInClient  # signs in as a user, as the tests do

    app = create_app()
    app.test_client_class = SignedInClient
    pages = [("admin@", "/reports/"), ("admin@", "/reports/?by=employer"),
             ("employer@", "/reports/"), ("pel@", "/reports/"),
             ("pel@", "/reports/skills-gap"), ("admin@", "/reports/skills-gap"),
             ("admin@", "/reports/download/by_prison.csv")]
    print(f"{'page':<48} {'p50 ms':>8} {'p95 ms':>8}")
    for who, url in pages:
        with app.app_context():
            user = accounts.find_user(who + DOMAIN)
            client = app.test_client(user=user)
            assert client.get(url).status_code == 200, url
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{who + ' ' + url:<48} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
