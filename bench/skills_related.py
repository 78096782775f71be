"""Writes marketplace/matching/data/skills_related.json.gz, the relations between skills in the
taxonomy (marketplace/matching/skills.py), from the closeness of their labels' meaning (cosine
of all-MiniLM-L6-v2 vectors: for our skills the mean of the label's and synonyms' vectors, for
an ESCO skill its preferred label's):

- same: an ESCO skill that is one of ours ("operate forklift" is "Forklift driving"): cosine
  at or above SAME_THRESHOLD with its closest skill of ours, or listed in SAME by hand, less
  the pairs in NOT_SAME; its labels then read as our skill's synonyms;
- related: for each skill, up to NEIGHBOURS others at or above THRESHOLD (ESCO_THRESHOLD where
  either is an ESCO skill: its one-line labels share words more often than meaning, "stock
  market" with "Stock control" at 0.68), both ways (if A is close to B, B is close to A), less
  FALSE_FRIENDS: matching counts them as half a match ("Pallet truck" for a role that wants
  "Forklift driving").

Run again after changing the vocabulary or the ESCO file (a few minutes on two cores); it prints
what it decided, to be read. tests/unit/test_skills.py checks the file names only known skills.

    .venv/bin/python bench/skills_related.py
"""

import gzip
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace.matching import skills  # noqa: E402
from marketplace.matching.embeddings import Embedder  # noqa: E402

THRESHOLD = 0.62
ESCO_THRESHOLD = 0.70
SAME_THRESHOLD = 0.80
NEIGHBOURS = 3
# Pairs the vectors call close that a person would not (checked by hand): shared words, not
# shared work. Our codes, or ESCO preferred labels.
FALSE_FRIENDS = {frozenset(p) for p in (
    ("caretaking", "care_work"), ("networking", "gas_water"), ("painting_decorating", "art"),
    ("painting_spraying", "art"), ("teamwork", "leadership"), ("caretaking", "groundworks"),
    ("caretaking", "cleaning"), ("barista", "CoffeeScript"),
    ("warehouse_picking", "arrange pick‐up"), ("motor_mechanics", "mechanics"),
)}
# Pairs a person would call close that the vectors miss (checked by hand).
ALSO_RELATED = (
    ("stock_control", "manage inventory"), ("stock_control", "monitor stock level"),
    ("stock_control", "inventory management rules"),
    ("warehouse_picking", "pick orders for dispatching"),
)
# ESCO preferred label -> our code, where the vectors miss that they are one skill.
SAME = {
    "operate forklift": "forklift",
}
# ESCO preferred labels the vectors put on one of ours that are a different skill.
NOT_SAME = {"team building", "contact customers", "plan tiling"}
CACHE = ROOT / "bench" / ".cache"
OUT = ROOT / "marketplace" / "matching" / "data" / "skills_related.json.gz"


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def vectors_of(ours, esco) -> tuple[np.ndarray, np.ndarray]:
    """Our skills' centroids and ESCO labels' vectors, kept under bench/.cache between runs."""
    key = hashlib.sha256(json.dumps([[s.label, *s.synonyms] for s in ours]
                                    + [r["label"] for r in esco]).encode()).hexdigest()[:16]
    cached = CACHE / f"skill-vectors-{key}.npz"
    if cached.exists():
        saved = np.load(cached)
        return saved["ours"], saved["esco"]
    embedder = Embedder()
    centroids = _unit(np.stack([embedder.encode([s.label, *s.synonyms]).mean(axis=0)
                                for s in ours]))
    print(f"embedding {len(esco)} ESCO labels...", file=sys.stderr)
    esco_vectors = embedder.encode([row["label"] for row in esco])
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(cached, ours=centroids, esco=esco_vectors)
    return centroids, esco_vectors


def main() -> None:
    ours = list(skills.vocabulary().values())
    esco = skills._esco()
    centroids, esco_vectors = vectors_of(ours, esco)

    closest = esco_vectors @ centroids.T
    by_code = {s.code: s for s in ours}
    same = {}
    for row, scores in zip(esco, closest, strict=True):
        best = int(np.argmax(scores))
        code = SAME.get(row["label"])
        if code is None and scores[best] >= SAME_THRESHOLD and row["label"] not in NOT_SAME:
            code = ours[best].code
        if code:
            same[row["code"]] = code
            print(f"same: {row['label']!r} is {by_code[code].label!r} ({scores[best]:.2f})")

    by_label = {r["label"]: r["code"] for r in esco}
    false_friends = {frozenset(by_label.get(x, x) for x in pair) for pair in FALSE_FRIENDS}
    codes = [s.code for s in ours] + [r["code"] for r in esco if r["code"] not in same]
    vectors = np.concatenate([centroids, esco_vectors[[i for i, r in enumerate(esco)
                                                      if r["code"] not in same]]])
    near: dict[str, dict[str, float]] = {}
    for start in range(0, len(codes), 1024):
        block = vectors[start:start + 1024] @ vectors.T
        for offset, row in enumerate(block):
            i = start + offset
            row[i] = -1
            for j in np.argsort(-row)[:NEIGHBOURS]:
                esco_pair = codes[i].startswith(skills.ESCO_PREFIX) or \
                    codes[j].startswith(skills.ESCO_PREFIX)
                if row[j] < (ESCO_THRESHOLD if esco_pair else THRESHOLD) \
                        or frozenset((codes[i], codes[j])) in false_friends:
                    continue
                near.setdefault(codes[i], {})[codes[j]] = float(row[j])
                near.setdefault(codes[j], {})[codes[i]] = float(row[j])
    for ours_code, label in ALSO_RELATED:
        near.setdefault(ours_code, {})[by_label[label]] = 1.0
        near.setdefault(by_label[label], {})[ours_code] = 1.0
    related = {code: [c for c, _ in sorted(others.items(), key=lambda x: (-x[1], x[0]))]
               for code, others in sorted(near.items())}
    OUT.write_bytes(gzip.compress(json.dumps(
        {"about": __doc__.split("\n\n")[0], "threshold": THRESHOLD,
         "esco_threshold": ESCO_THRESHOLD,
         "same_threshold": SAME_THRESHOLD, "same": dict(sorted(same.items())),
         "related": related}, separators=(",", ":")).encode(), mtime=0))
    label = {**{s.code: s.label for s in ours}, **{r["code"]: r["label"] for r in esco}}
    for code in by_code:
        if code in related:
            print(label[code], "->", ", ".join(label[c] for c in related[code][:6]))
    print(f"{len(same)} ESCO skills are ours; {len(related)} skills have near-synonyms "
          f"-> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
