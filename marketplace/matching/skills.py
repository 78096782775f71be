"""The project's skills vocabulary and the normaliser from free text to skill codes.

"cooked for 300 on the wing" -> ["volume_catering"]. Matching is phrase-based: each label and
synonym is a phrase; the longest phrase wins where phrases overlap, so "forklift licence" is one
match, not two. Simple plural and -ing/-ed endings are accepted.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from marketplace.types import Sector

DATA = Path(__file__).parent / "data" / "skills.json"
# Near-synonyms between skills, from the closeness of their labels' meaning, checked by hand
# (written by bench/skills_related.py).
RELATED = Path(__file__).parent / "data" / "skills_related.json"


@dataclass(frozen=True)
class Skill:
    code: str
    label: str
    sectors: tuple[Sector, ...]
    synonyms: tuple[str, ...]


@cache
def vocabulary() -> dict[str, Skill]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))["skills"]
    return {s["code"]: Skill(s["code"], s["label"], tuple(Sector(x) for x in s["sectors"]),
                             tuple(s["synonyms"])) for s in raw}


def _phrase_pattern(phrase: str) -> str:
    words = [re.escape(w) for w in phrase.lower().split()]
    # Let the last word take a common ending: "cleaners", "welding", "painted".
    words[-1] += r"(?:s|es|ing|ed|er|ers)?"
    return r"\s+".join(words)


@cache
def _matcher() -> tuple[re.Pattern, dict[str, str]]:
    by_phrase: dict[str, str] = {}
    for skill in vocabulary().values():
        for phrase in (skill.label, *skill.synonyms):
            by_phrase.setdefault(phrase.lower(), skill.code)
    phrases = sorted(by_phrase, key=len, reverse=True)  # longest first wins the alternation
    groups = "|".join(f"(?P<p{i}>{_phrase_pattern(p)})" for i, p in enumerate(phrases))
    pattern = re.compile(rf"(?<![\w&])(?:{groups})(?![\w&])", re.IGNORECASE)
    return pattern, {f"p{i}": by_phrase[p] for i, p in enumerate(phrases)}


def normalise(text: str) -> list[str]:
    """Skill codes found in `text`, in order of first appearance, without repeats."""
    if not text or not text.strip():
        return []
    pattern, codes = _matcher()
    found: dict[str, None] = {}
    for match in pattern.finditer(text):
        found.setdefault(codes[match.lastgroup], None)
    return list(found)


def validate(codes: list[str]) -> None:
    unknown = [c for c in codes if c not in vocabulary()]
    if unknown:
        raise ValueError(f"Unknown skill codes: {', '.join(unknown)}")


def labels(codes: list[str]) -> list[str]:
    validate(codes)
    known = vocabulary()
    return [known[c].label for c in codes]


@cache
def _related() -> dict[str, tuple[str, ...]]:
    raw = json.loads(RELATED.read_text(encoding="utf-8"))["related"]
    return {code: tuple(others) for code, others in raw.items()}


def related(code: str) -> tuple[str, ...]:
    """Skills close in meaning to `code` (near-synonyms such as "Plastering" and "Dry
    lining"), closest first; empty for most skills."""
    return _related().get(code, ())
