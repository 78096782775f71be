"""Flesch reading ease of the words a person reads on a page.

Written here rather than taken from a package: textstat now counts syllables with a dictionary
that NLTK downloads at run time, which a test must not do. The syllable count is the usual
rule of thumb (groups of vowels, less a silent final e), close enough to compare pages with
each other and with the threshold.

Flesch reading ease = 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words).
60 to 70 is "plain English", read easily by 13 to 15 year olds; 70 to 80 by 12 year olds;
80 to 90 by 11 year olds.
"""

import re

from bs4 import BeautifulSoup

WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")
# A sentence ends at . ! ? : or the end of a heading, list item, button or table cell.
SENTENCE_END = re.compile(r"[.!?:;]+(?:\s|$)")


def syllables(word: str) -> int:
    word = word.lower().replace("’", "'").split("'")[0]
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]+", word)))


def sentences_of(page: BeautifulSoup) -> list[str]:
    """The visible text of <main>, split where a reader pauses: each block ends a sentence.
    The choices in a drop-down are names of things (sectors, distances), read one at a time
    only when the list is opened: they are not counted."""
    main = page.select_one("main") or page
    main = BeautifulSoup(str(main), "html.parser")
    for tag in main.select("script, style, select, .govuk-visually-hidden, [hidden]"):
        tag.decompose()
    text = main.get_text("\n")
    found = []
    for line in text.split("\n"):
        found += [s for s in SENTENCE_END.split(line) if WORD.search(s)]
    return found


def reading_ease(page: BeautifulSoup) -> float:
    sentences = sentences_of(page)
    words = [w for s in sentences for w in WORD.findall(s)]
    if not words:
        return 100.0
    return (206.835 - 1.015 * len(words) / len(sentences)
            - 84.6 * sum(syllables(w) for w in words) / len(words))
