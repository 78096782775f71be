"""English text analysis for keyword relevance: lower-case words, stop words removed, a light
stemmer (roughly what OpenSearch's `english` analyzer does, so both back ends agree)."""

import re

_WORD = re.compile(r"[a-z0-9]+")
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "if",
        "in",
        "into",
        "is",
        "it",
        "no",
        "not",
        "of",
        "on",
        "or",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "to",
        "was",
        "will",
        "with",
        "i",
        "you",
        "we",
        "my",
        "your",
        "our",
    ]
)


def stem(word: str) -> str:
    for suffix, keep in (
        ("ies", "y"),
        ("ing", ""),
        ("ers", "er"),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]
