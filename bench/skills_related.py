"""Writes marketplace/matching/data/skills_related.json: for each skill in the vocabulary, the
other skills whose meaning is close (cosine of the mean all-MiniLM-L6-v2 vector of each skill's
label and synonyms at or above THRESHOLD), so that matching counts near-synonyms ("Pallet
truck" for a role that wants "Forklift driving") as half a match. Run again after changing the
vocabulary; tests/unit/test_skills.py checks the file names only known skills.

    .venv/bin/python bench/skills_related.py
"""

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from marketplace.matching import skills  # noqa: E402
from marketplace.matching.embeddings import Embedder  # noqa: E402

THRESHOLD = 0.62
# Pairs the vectors call close that a person would not (checked by hand): shared words, not
# shared work.
FALSE_FRIENDS = {frozenset(p) for p in (
    ("caretaking", "care_work"), ("networking", "gas_water"), ("painting_decorating", "art"),
    ("painting_spraying", "art"), ("teamwork", "leadership"), ("caretaking", "groundworks"),
    ("caretaking", "cleaning"),
)}
OUT = ROOT / "marketplace" / "matching" / "data" / "skills_related.json"


def main() -> None:
    vocabulary = list(skills.vocabulary().values())
    embedder = Embedder()
    centroids = []
    for skill in vocabulary:
        vectors = embedder.encode([skill.label, *skill.synonyms])
        mean = vectors.mean(axis=0)
        centroids.append(mean / np.linalg.norm(mean))
    similarity = np.stack(centroids) @ np.stack(centroids).T
    related = {}
    for i, skill in enumerate(vocabulary):
        near = [(float(similarity[i, j]), other.code) for j, other in enumerate(vocabulary)
                if j != i and similarity[i, j] >= THRESHOLD
                and frozenset((skill.code, other.code)) not in FALSE_FRIENDS]
        if near:
            related[skill.code] = [code for _, code in sorted(near, reverse=True)]
    OUT.write_text(json.dumps({"about": __doc__.split("\n\n")[0], "threshold": THRESHOLD,
                               "related": related}, indent=1) + "\n")
    for code, others in related.items():
        print(code, "->", ", ".join(others))


if __name__ == "__main__":
    main()
