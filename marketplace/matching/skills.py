"""The skills taxonomy and the normaliser from free text to skill codes.

Two layers, one taxonomy:

- the project's vocabulary (data/skills.json): about a hundred skills in the words people
  leaving prison and trades use ("cooked for 300 on the wing" -> "Cooking for large numbers"),
  with sectors; the list people are offered as suggestions (`vocabulary`);
- ESCO's skills (data/esco_skills.json.gz, CC BY 4.0, data/SOURCES.md): about 13,900 skills
  and knowledge with their alternative labels ("inventory management" -> "manage inventory").
  Where an ESCO skill is the same as one of ours ("operate forklift"), its labels are our
  skill's synonyms instead (data/skills_related.json.gz, `same`).

"cooked for 300 on the wing" -> ["volume_catering"]. Matching is phrase-based over words
reduced to a rough stem ("cleaners", "cleaning", "cleaned" -> "clean"): the longest phrase wins
where phrases overlap, so "forklift licence" is one match, not two. Where a phrase belongs to
both layers the project's reading wins; an ESCO alternative label two ESCO skills share is
dropped (it does not say which).
"""

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from marketplace.types import Sector

DATA = Path(__file__).parent / "data"
PROJECT = DATA / "skills.json"
ESCO = DATA / "esco_skills.json.gz"
# Near-synonyms between skills by the closeness of their labels' meaning, and the ESCO skills
# that are one of ours; checked by hand (written by bench/skills_related.py).
RELATED = DATA / "skills_related.json.gz"
ESCO_PREFIX = "esco:"


@dataclass(frozen=True)
class Skill:
    code: str
    label: str  # as shown to people: the taxonomy's preferred label
    sectors: tuple[Sector, ...]
    synonyms: tuple[str, ...]


@cache
def vocabulary() -> dict[str, Skill]:
    """The project's own skills: the ones people are offered as they type."""
    raw = json.loads(PROJECT.read_text(encoding="utf-8"))["skills"]
    return {s["code"]: Skill(s["code"], s["label"], tuple(Sector(x) for x in s["sectors"]),
                             tuple(s["synonyms"])) for s in raw}


def _shown(label: str) -> str:
    # ESCO writes labels in lower case ("manage inventory"); a list of skills reads better
    # with each starting with a capital, as ours do.
    return label[:1].upper() + label[1:]


@cache
def taxonomy() -> dict[str, Skill]:
    """Every skill a code can name: the project's, then ESCO's (less those that are ours)."""
    known = dict(vocabulary())
    same = _relations()["same"]
    synonyms: dict[str, list[str]] = {}
    for row in _esco():
        if row["code"] in same:
            synonyms.setdefault(same[row["code"]], []).extend([row["label"], *row["alt"]])
        else:
            known[row["code"]] = Skill(row["code"], _shown(row["label"]), (), tuple(row["alt"]))
    for code, extra in synonyms.items():
        skill = known[code]
        known[code] = Skill(code, skill.label, skill.sectors, (*skill.synonyms, *extra))
    return known


@cache
def _esco() -> list[dict]:
    return json.loads(gzip.decompress(ESCO.read_bytes()))["skills"]


@cache
def _relations() -> dict:
    return json.loads(gzip.decompress(RELATED.read_bytes()))


_WORD = re.compile(r"[a-z0-9]+[+#]*|[,;:.!?()\[\]/|\n]")
BREAK = "|"
_VOWEL = re.compile(r"[aeiouy]")
_ENDINGS = ("ing", "ed", "es", "s")


# ESCO's 100,000 labels share about 12,000 words: building the phrase index stems each once
# (0.8 s instead of 3). Bounded, as people's own words pass through here too.
@lru_cache(maxsize=65_536)
def _stem(word: str) -> str:
    """A rough stem, the same for a word and its common endings: "cleaning", "cleaned",
    "cleans" -> "clean"; "case", "cases" -> "cas". Only ever compared with another stem, so it
    need not be a word. "-er" is kept: "insider" is not "inside", nor "painter" "paint"; and
    a word without a vowel is an acronym, kept whole: "CPCS" is not "CPC"."""
    if not _VOWEL.search(word):
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[:-len(ending)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def words(text: str) -> tuple[str, ...]:
    """The stemmed words of `text`, as phrases are matched, with BREAK for punctuation between
    them: "printing, machine operation" is two things, not "printing machine operation"."""
    out: list[str] = []
    for token in _WORD.findall(text.lower()):
        if token[0].isalnum():
            out.append(_stem(token))
        elif out and out[-1] != BREAK:
            out.append(BREAK)
    while out and out[-1] == BREAK:
        out.pop()
    return tuple(out)


@cache
def _index() -> tuple[dict[tuple[str, ...], str], frozenset[tuple[str, ...]], int]:
    """Each phrase's words -> its skill code; every proper prefix of a phrase; the longest
    phrase's length."""
    phrases: dict[tuple[str, ...], str] = {}
    for skill in vocabulary().values():
        for phrase in (skill.label, *skill.synonyms):
            phrases.setdefault(words(phrase), skill.code)
    for code, skill in taxonomy().items():  # ESCO labels that are our skills' synonyms
        if not code.startswith(ESCO_PREFIX):
            for phrase in skill.synonyms:
                phrases.setdefault(words(phrase), code)
    esco = [skill for code, skill in taxonomy().items() if code.startswith(ESCO_PREFIX)]
    for skill in esco:
        phrases.setdefault(words(skill.label), skill.code)
    owners: dict[tuple[str, ...], set[str]] = {}
    for skill in esco:
        for phrase in skill.synonyms:
            owners.setdefault(words(phrase), set()).add(skill.code)
    for key, codes in owners.items():
        if len(codes) == 1:
            phrases.setdefault(key, next(iter(codes)))
    phrases.pop((), None)
    prefixes = frozenset(key[:n] for key in phrases for n in range(1, len(key)))
    return phrases, prefixes, max(map(len, phrases))


def normalise(text: str) -> list[str]:
    """Skill codes found in `text`, in order of first appearance, without repeats."""
    if not text or not text.strip():
        return []
    phrases, prefixes, _ = _index()
    found: dict[str, None] = {}
    stems = words(text)
    i = 0
    while i < len(stems):
        best = 0
        if stems[i] == BREAK:
            i += 1
            continue
        for end in range(i + 1, len(stems) + 1):
            key = stems[i:end]
            if key in phrases:
                best = end - i
            if key not in prefixes:
                break
        if best:
            found.setdefault(phrases[stems[i:i + best]], None)
            i += best
        else:
            i += 1
    return list(found)


def labels(codes: list[str]) -> list[str]:
    """The preferred label of each skill, as people are shown it. A stored code the taxonomy
    no longer knows (the ESCO file rebuilt from a later version) is left out rather than
    failing the page: the next save of that profile or role normalises its text again."""
    known = taxonomy()
    return [known[c].label for c in codes if c in known]


def related(code: str) -> tuple[str, ...]:
    """Skills close in meaning to `code` (near-synonyms such as "Plastering" and "Dry
    lining", or "Stock control" and "Manage inventory"), closest first; empty for most."""
    return tuple(_relations()["related"].get(code, ()))
