"""The demo data in a SQLite database of its own under bench/.cache/, for the benchmarks that
time pages and services in process (api_bench, custody_bench, match_latency, reports_bench)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"


def environment(instance: Path, **extra: str) -> dict[str, str]:
    """The settings a benchmark's app and its `flask` commands run with."""
    return {**os.environ, "MARKETPLACE_ENV": "development", "INSTANCE_DIR": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'marketplace.db'}", "FLASK_APP": "marketplace",
            "HF_HUB_OFFLINE": "1", "PRELOAD_MODEL": "0", **extra}


def prepare(instance: Path, *, index: bool = False, again: bool = False,
            **extra: str) -> bool:
    """Migrations, reference data and the demo (and, with `index`, the search indices) in
    `instance`; only when its database is missing unless `again` (each step is idempotent).
    Returns whether the database was new."""
    new = not (instance / "marketplace.db").exists()
    if not (new or again):
        return False
    instance.mkdir(parents=True, exist_ok=True)
    flask = str(Path(sys.executable).with_name("flask"))
    steps = [["db", "upgrade"], ["reference", "load"], ["demo"]]
    if index:
        steps.append(["index", "rebuild"])
    for args in steps:
        subprocess.run([flask, *args], env=environment(instance, **extra), cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)
    return new


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]
