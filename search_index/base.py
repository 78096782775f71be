"""The interface every search back end implements, and the plain data it speaks."""

import datetime as dt
import enum
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

MAX_K = 1000
MAX_QUERY_CHARS = 1000
EARTH_RADIUS_MILES = 3958.8


class FieldType(enum.StrEnum):
    KEYWORD = "keyword"  # one or more exact values (a list is "any of these")
    BOOLEAN = "boolean"
    DATE = "date"
    GEO = "geo"  # (latitude, longitude)


@dataclass(frozen=True)
class Schema:
    dim: int
    fields: dict[str, FieldType]

    def check_field(self, name: str, expected: FieldType) -> None:
        actual = self.fields.get(name)
        if actual is None:
            raise ValueError(f"Unknown filter field {name!r}. Known fields: "
                             f"{', '.join(sorted(self.fields))}.")
        if actual is not expected:
            raise ValueError(f"Field {name!r} is a {actual.value} field, not {expected.value}.")


@dataclass
class Document:
    id: str
    text: str
    fields: dict
    vector: np.ndarray | None = None
    text_hash: str = ""

    def __post_init__(self):
        if not self.text_hash:
            self.text_hash = text_hash(self.text)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- filters: all applied before ranking ----------------------------------------------------
@dataclass(frozen=True)
class Terms:
    """The field has one of `values` (or, with exclude, none of them)."""

    field: str
    values: tuple
    exclude: bool = False


@dataclass(frozen=True)
class Flag:
    field: str
    value: bool = True


@dataclass(frozen=True)
class DateRange:
    """gte <= field <= lte. A document without the date does not match."""

    field: str
    gte: dt.date | None = None
    lte: dt.date | None = None


@dataclass(frozen=True)
class GeoDistance:
    """Within `miles` of a point; documents flagged by `unless` (e.g. remote) always match."""

    field: str
    latitude: float
    longitude: float
    miles: float
    unless: str | None = None


Filter = Terms | Flag | DateRange | GeoDistance


def check_filters(schema: Schema, filters: Sequence[Filter]) -> None:
    for f in filters:
        expected = {Terms: FieldType.KEYWORD, Flag: FieldType.BOOLEAN,
                    DateRange: FieldType.DATE, GeoDistance: FieldType.GEO}.get(type(f))
        if expected is None:
            raise ValueError(f"Unknown filter {f!r}.")
        schema.check_field(f.field, expected)
        if isinstance(f, GeoDistance):
            if f.unless:
                schema.check_field(f.unless, FieldType.BOOLEAN)
            if not (f.miles >= 0):
                raise ValueError("Distance must be zero or more miles.")


def check_query(vector, text: str | None, k: int, dim: int) -> str | None:
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}.")
    if text is not None:
        text = text.strip()
        if len(text) > MAX_QUERY_CHARS:
            raise ValueError(f"Search text must be {MAX_QUERY_CHARS} characters or fewer.")
        text = text or None
    if vector is not None and np.asarray(vector).shape != (dim,):
        raise ValueError(f"The query vector must have {dim} dimensions.")
    return text


@dataclass(frozen=True)
class Hit:
    id: str
    score: float
    parts: dict[str, float] = field(default_factory=dict)


class IndexNotBuilt(RuntimeError):
    """The index has never been built: run `flask index rebuild`."""


class SearchUnavailable(RuntimeError):
    """The search server cannot answer (down, or cannot run this kind of query)."""


class SearchIndex(Protocol):
    name: str
    schema: Schema

    def ensure(self) -> None:
        """Create the index if it does not exist."""

    def upsert(self, documents: Iterable[Document]) -> int:
        """Insert or replace documents by id. Returns how many were written."""

    def delete(self, ids: Iterable[str]) -> int:
        """Remove documents; unknown ids are ignored. Returns how many were removed."""

    def search(self, *, vector: np.ndarray | None = None, text: str | None = None,
               filters: Sequence[Filter] = (), k: int = 20) -> list[Hit]:
        """Best `k` documents among those matching every filter, best first. With neither a
        vector nor text, matching documents in id order, score 0. Raises IndexNotBuilt if the
        index was never built, ValueError for a bad query."""

    def stored(self, doc_id: str) -> tuple[np.ndarray, str] | None:
        """The unit vector a document was indexed with and the hash of the text it was
        embedded from, so a caller can reuse the vector instead of embedding the text again
        (after checking the hash: a stale vector is the caller's to refuse). None when there
        is no such document or it has no vector. Raises IndexNotBuilt like search."""

    def count(self) -> int: ...

    def hashes(self) -> dict[str, str]:
        """id -> hash of the text each document was embedded from (to find stale ones)."""

    def stats(self) -> dict: ...

    def rebuild(self, documents: Iterable[Document]) -> int:
        """Build a fresh index from `documents` and switch to it in one step; until then, and
        if the build fails, the previous index keeps answering."""


def haversine_miles(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    lat1, lon1 = np.radians(lat), np.radians(lon)
    lat2, lon2 = np.radians(lat0), np.radians(lon0)
    h = (np.sin((lat1 - lat2) / 2) ** 2
         + np.cos(lat1) * np.cos(lat2) * np.sin((lon1 - lon2) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * np.arcsin(np.sqrt(np.clip(h, 0, 1)))
