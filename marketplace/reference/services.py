"""Reads and loads the reference data."""

import csv
import math
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa

from marketplace.extensions import db
from marketplace.models import PostcodeDistrict, Prison

DATA_DIR = Path(__file__).parent / "data"


class ReferenceDataError(ValueError):
    pass


def read_districts(path: Path = DATA_DIR / "postcode_districts.csv") -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for number, row in enumerate(rows, start=2):
        try:
            row["latitude"], row["longitude"] = float(row["latitude"]), float(row["longitude"])
        except ValueError as error:
            raise ReferenceDataError(f"{path.name} line {number}: latitude or longitude is not "
                                     "a number") from error
    return rows


def read_prisons(path: Path = DATA_DIR / "prisons_england_wales.csv") -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for number, row in enumerate(rows, start=2):
        if len(row["prison_code"]) != 3:
            raise ReferenceDataError(f"{path.name} line {number}: prison_code must be 3 letters")
    return rows


def load() -> tuple[int, int]:
    """Insert or update every district and prison. Idempotent. Returns (districts, prisons)."""
    districts = read_districts()
    existing = set(db.session.scalars(sa.select(PostcodeDistrict.district)))
    for row in districts:
        values = {k: row[k] for k in ("district", "latitude", "longitude", "town_or_area",
                                      "region", "post_town", "local_authority", "postcode_area")}
        if row["district"] in existing:
            db.session.execute(sa.update(PostcodeDistrict)
                               .where(PostcodeDistrict.district == row["district"])
                               .values(**values))
        else:
            db.session.add(PostcodeDistrict(**values))
    prisons = read_prisons()
    by_code = {p.code: p for p in db.session.scalars(sa.select(Prison))}
    for row in prisons:
        prison = by_code.get(row["prison_code"]) or Prison(code=row["prison_code"])
        prison.name = row["name"]
        prison.town = row["town"]
        prison.postcode = row["postcode"] or None
        prison.region = row["region"]
        prison.category_or_function = row["category_or_function"]
        prison.estate = row["estate"]
        prison.security_category = row["security_category"] or None
        db.session.add(prison)
    db.session.flush()
    district_exists.cache_clear()
    return len(districts), len(prisons)


@lru_cache(maxsize=4096)
def district_exists(district: str) -> bool:
    return db.session.get(PostcodeDistrict, district.upper()) is not None


def get_district(district: str) -> PostcodeDistrict | None:
    return db.session.get(PostcodeDistrict, district.upper())


def prisons() -> list[Prison]:
    return list(db.session.scalars(sa.select(Prison).order_by(Prison.name, Prison.id)))


def regions() -> list[str]:
    return list(db.session.scalars(
        sa.select(PostcodeDistrict.region).distinct().order_by(PostcodeDistrict.region)))


def miles_between(a: PostcodeDistrict, b: PostcodeDistrict) -> float:
    """Great-circle distance between two district centroids (approximate, not routing)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 3958.8 * 2 * math.asin(math.sqrt(h))
