"""Bulk import of 1,000 generated opportunities through the employer API, against 1,000 single
creates, with the search index kept in step as in production (SEARCH_SYNC on, the real
embedding model already loaded). Prints the wall time of each, and how much of it was
embedding the opportunities' texts.

    .venv/bin/python bench/import_bench.py             # 1,000 rows
    .venv/bin/python bench/import_bench.py --rows 200
    .venv/bin/python bench/import_bench.py --singles 100   # time 100 single creates only

A fresh SQLite database under bench/.cache/import (git-ignored) each run; DATABASE_URL set to
a PostgreSQL database runs it there instead (the database is emptied first). Requests go
through the whole app (token check, schemas, the employer's form, saving, audit, the commit
and indexing after it), as an applicant tracking system's would.
"""

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "bench" / ".cache" / "import"


def environment() -> dict[str, str]:
    return {**os.environ, "MARKETPLACE_ENV": "development", "INSTANCE_DIR": str(INSTANCE),
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or f"sqlite:///{INSTANCE / 'marketplace.db'}",
            "FLASK_APP": "marketplace", "HF_HUB_OFFLINE": "1", "PRELOAD_MODEL": "0",
            "API_RATE_LIMIT": "1000000 per minute"}


def prepare() -> None:
    shutil.rmtree(INSTANCE, ignore_errors=True)
    INSTANCE.mkdir(parents=True)
    env = environment()
    if env["DATABASE_URL"].startswith("postgresql"):
        import sqlalchemy as sa

        engine = sa.create_engine(env["DATABASE_URL"])
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    flask = str(Path(sys.executable).with_name("flask"))
    for args in (["db", "upgrade"], ["reference", "load"], ["index", "rebuild"]):
        subprocess.run([flask, *args], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)


def row(n: int, prefix: str) -> dict:
    districts = ("LS10", "LS11", "M1", "B5", "S1", "NE1", "BS1", "L1")
    titles = ("Warehouse operative", "Forklift driver", "Kitchen porter", "Commis chef",
              "Cleaner", "Groundworker", "Customer service adviser", "Van driver")
    return {"reference": f"{prefix}-{n:05d}", "kind": "vacancy",
            "title": f"{titles[n % len(titles)]} {n} ({prefix.lower()})",
            "description": "Help the team each shift. Full training given from day one.",
            "sector": "logistics_warehousing", "skills_text": "picking, packing, forklift",
            "postcode_district": districts[n % len(districts)], "hours": "full_time",
            "paid": True, "pay_min_pence": 1200 + n % 300, "pay_period": "hour",
            "pays_minimum_wage": True, "contract": "permanent", "places": 1 + n % 3,
            "closing_date": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
            "check_level": "basic", "regulated_activity": "none", "publish": True}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--singles", type=int, default=None,
                        help="single creates to time (default: as many as --rows)")
    args = parser.parse_args()
    prepare()
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    from marketplace import create_app

    app = create_app()
    search = app.extensions["search"]
    with app.app_context():
        from marketplace.api import services
        from marketplace.extensions import db
        from marketplace.models import Organisation, User
        from marketplace.permissions import API_SCOPES
        from marketplace.types import OrganisationSize, OrganisationStatus, Role, Sector

        search.preload()
        organisation = Organisation(name="Bench Logistics", sector=Sector.LOGISTICS,
                                    size=OrganisationSize.LARGE, region="Yorkshire",
                                    alliance_level=3, status=OrganisationStatus.APPROVED,
                                    decided_at=dt.datetime.now(dt.UTC))
        member = User(email="bench@example.com", full_name="Bench Member", password_hash="x",
                      role=Role.EMPLOYER, organisation=organisation)
        db.session.add_all([organisation, member])
        db.session.flush()
        _, token = services.create_token(organisation, actor=member, name="Bench",
                                         scopes=API_SCOPES)
        db.session.commit()

    embedding = {"seconds": 0.0, "texts": 0}
    real_embed = search.embed

    def timed_embed(texts):
        started = time.perf_counter()
        try:
            return real_embed(texts)
        finally:
            embedding["seconds"] += time.perf_counter() - started
            embedding["texts"] += len(texts)

    search.embed = timed_embed
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    database = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    print(f"{args.rows:,} generated opportunities, {database}, model loaded, search sync on. "
          f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.\n")
    print("| how | wall s | embedding s (share) | texts embedded | requests |")
    print("|---|---|---|---|---|")

    rows = [row(n, "BULK") for n in range(args.rows)]
    started = time.perf_counter()
    response = client.post("/api/v1/opportunities/import", json={"rows": rows},
                           headers=headers)
    wall = time.perf_counter() - started
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == args.rows
    print(f"| one import request | {wall:.1f} | {embedding['seconds']:.1f} "
          f"({embedding['seconds'] / wall:.0%}) | {embedding['texts']:,} | 1 |")

    singles = args.rows if args.singles is None else args.singles
    embedding.update(seconds=0.0, texts=0)
    started = time.perf_counter()
    for n in range(singles):
        body = row(n, "SINGLE")
        body.pop("publish")
        created = client.post("/api/v1/opportunities", json=body, headers=headers)
        assert created.status_code == 201, created.get_json()
        opportunity_id = created.get_json()["id"]
        published = client.post(f"/api/v1/opportunities/{opportunity_id}/publish",
                                headers=headers)
        assert published.status_code == 200, published.get_json()
    wall = time.perf_counter() - started
    print(f"| {singles:,} single creates, each then published | {wall:.1f} | "
          f"{embedding['seconds']:.1f} ({embedding['seconds'] / wall:.0%}) | "
          f"{embedding['texts']:,} | {2 * singles:,} |")
    if singles != args.rows:
        print(f"\n{args.rows:,} single creates at that rate: about "
              f"{wall / singles * args.rows:.0f} s.")


if __name__ == "__main__":
    main()
