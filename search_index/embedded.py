"""The embedded back end: in-process, no server.

Vectors live in a float32 matrix; similarity is exact cosine (vectors are unit length, so a
matrix-vector product). Filters become one boolean mask over compact column arrays, applied
before ranking: excluded documents score minus infinity before the top k are chosen. Keyword
relevance is BM25 over a sparse term matrix. In a hybrid query the two are combined as
`SEMANTIC_WEIGHT * cosine + (1 - SEMANTIC_WEIGHT) * keyword`, where keyword is the BM25 score
divided by the score an average-length document holding every query word once would get (the
sum of the words' IDF), capped at 1: the share of the query's words a document matches,
weighted by how rare they are. (Dividing by the best score among the candidates, as before,
gave the top keyword hit the full keyword weight however weak its match: one shared word could
lift an unrelated role above the right one. bench/match_eval.py measures both.)

On disk (under `path/<name>/`): a base snapshot per version (`v<N>/`, written to a temporary
directory and renamed into place, then `CURRENT` is replaced atomically) and a journal of
changes since (`journal.jsonl`, one JSON line per change, flushed and fsynced). Loading replays
the journal on the base; a torn last line (a crash mid-write) is ignored. A rebuild writes a new
version and only then switches `CURRENT`, so a crash leaves the previous index in use.
"""

import datetime as dt
import json
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from scipy import sparse

from search_index.base import (
    DateRange,
    Document,
    FieldType,
    Filter,
    Flag,
    GeoDistance,
    Hit,
    IndexNotBuilt,
    Schema,
    Terms,
    check_filters,
    check_query,
    haversine_miles,
)
from search_index.text import tokens

NO_DATE = np.iinfo(np.int32).min
BM25_K1, BM25_B = 1.2, 0.75
# In a hybrid query; the rest is keyword relevance. Chosen on the tuning split of
# bench/match_eval.py (README, Matching quality).
SEMANTIC_WEIGHT = 0.7
COMPACT_AFTER = 2000  # journal entries before the next write folds them into a new base


class EmbeddedIndex:
    def __init__(self, name: str, *, schema: Schema, path: str):
        self.name = name
        self.schema = schema
        self.root = Path(path) / name
        self._lock = threading.RLock()
        self._loaded_version: str | None = None
        self._journal_size = 0
        self._reset()

    # --- in-memory state ----------------------------------------------------------------
    def _reset(self) -> None:
        self.ids: list[str] = []
        self.row: dict[str, int] = {}
        self.vectors = np.zeros((0, self.schema.dim), dtype=np.float32)
        self.has_vector = np.zeros(0, dtype=bool)
        self.alive = np.zeros(0, dtype=bool)
        self.texts: list[str] = []
        self.hash: list[str] = []
        self.columns: dict[str, np.ndarray] = {}
        self.vocab: dict[str, dict[str, int]] = {}  # keyword field -> value -> code
        for name, kind in self.schema.fields.items():
            self.columns.update(self._empty_column(name, kind, 0))
            if kind is FieldType.KEYWORD:
                self.vocab[name] = {}
        self._bm25: sparse.csc_matrix | None = None
        self._terms: dict[str, int] = {}
        self._idf: dict[str, float] = {}
        self._unseen_idf = 0.0
        self.built_at: str | None = None

    def _empty_column(self, name: str, kind: FieldType, n: int) -> dict[str, np.ndarray]:
        if kind is FieldType.KEYWORD:  # a document may have several values: a bitset per row
            return {name: np.zeros((n, 1), dtype=np.uint64)}
        if kind is FieldType.BOOLEAN:
            return {name: np.zeros(n, dtype=bool)}
        if kind is FieldType.DATE:
            return {name: np.full(n, NO_DATE, dtype=np.int32)}
        return {f"{name}.lat": np.full(n, np.nan, dtype=np.float32),
                f"{name}.lon": np.full(n, np.nan, dtype=np.float32)}

    def _grow(self, n: int) -> None:
        """Room for n rows (capacity doubles, so appends are amortised O(1))."""
        capacity = len(self.alive)
        if n <= capacity:
            return
        new = max(n, capacity * 2, 64)

        def grown(array: np.ndarray, fill) -> np.ndarray:
            shape = (new, *array.shape[1:])
            out = np.full(shape, fill, dtype=array.dtype)
            out[:capacity] = array
            return out

        self.vectors = grown(self.vectors, 0)
        self.has_vector = grown(self.has_vector, False)
        self.alive = grown(self.alive, False)
        for key, array in self.columns.items():
            fill = NO_DATE if array.dtype == np.int32 else (np.nan if array.dtype == np.float32
                                                           else 0)
            self.columns[key] = grown(array, fill)

    def _code(self, field: str, value) -> int:
        codes = self.vocab[field]
        if value not in codes:
            codes[value] = len(codes)
            needed = (len(codes) + 63) // 64
            column = self.columns[field]
            if column.shape[1] < needed:
                self.columns[field] = np.concatenate(
                    [column, np.zeros((column.shape[0], needed - column.shape[1]),
                                      dtype=np.uint64)], axis=1)
        return codes[value]

    def _set_row(self, i: int, doc: Document) -> None:
        if doc.vector is not None:
            vector = np.asarray(doc.vector, dtype=np.float32)
            if vector.shape != (self.schema.dim,):
                raise ValueError(f"Document {doc.id}: vector must have {self.schema.dim} "
                                 "dimensions.")
            norm = float(np.linalg.norm(vector))
            self.vectors[i] = vector / norm if norm else vector
            self.has_vector[i] = True
        else:
            self.vectors[i] = 0
            self.has_vector[i] = False
        unknown = set(doc.fields) - set(self.schema.fields)
        if unknown:
            raise ValueError(f"Document {doc.id}: unknown fields {sorted(unknown)}.")
        for name, kind in self.schema.fields.items():
            value = doc.fields.get(name)
            if kind is FieldType.KEYWORD:
                values = value if isinstance(value, list | tuple | set) else (
                    [] if value is None else [value])
                bits = [self._code(name, str(v)) for v in values]
                row = np.zeros(self.columns[name].shape[1], dtype=np.uint64)
                for bit in bits:
                    row[bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
                self.columns[name][i] = row
            elif kind is FieldType.BOOLEAN:
                self.columns[name][i] = bool(value)
            elif kind is FieldType.DATE:
                self.columns[name][i] = NO_DATE if value is None else (
                    dt.date.fromisoformat(value) if isinstance(value, str) else value
                ).toordinal()
            else:
                lat, lon = value if value is not None else (np.nan, np.nan)
                self.columns[f"{name}.lat"][i] = lat
                self.columns[f"{name}.lon"][i] = lon

    def _apply_upsert(self, doc: Document) -> None:
        i = self.row.get(doc.id)
        if i is None:
            i = len(self.ids)
            self._grow(i + 1)
            self.ids.append(doc.id)
            self.texts.append("")
            self.hash.append("")
            self.row[doc.id] = i
        self._set_row(i, doc)
        self.alive[i] = True
        self.texts[i] = doc.text
        self.hash[i] = doc.text_hash
        self._bm25 = None

    def _apply_delete(self, doc_id: str) -> bool:
        i = self.row.pop(doc_id, None)
        if i is None:
            return False
        self.alive[i] = False
        self.has_vector[i] = False
        self._bm25 = None
        return True

    # --- persistence --------------------------------------------------------------------
    def _current(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def _load_if_changed(self) -> None:
        """Another process (the CLI, another worker) may have rebuilt or written."""
        version = self._current()
        if version is None:
            raise IndexNotBuilt(f"The {self.name} search index has not been built. "
                                "Run: flask index rebuild")
        journal = self.root / version / "journal.jsonl"
        size = journal.stat().st_size if journal.exists() else 0
        if version == self._loaded_version and size == self._journal_size:
            return
        self._load(version)

    def _load(self, version: str) -> None:
        base = self.root / version
        self._reset()
        meta = json.loads((base / "meta.json").read_text())
        arrays = np.load(base / "arrays.npz")
        n = len(meta["ids"])
        self._grow(n)
        self.ids = list(meta["ids"])
        self.texts = list(meta["texts"])
        self.hash = list(meta["hashes"])
        self.vocab = {k: dict(v) for k, v in meta["vocab"].items()}
        self.built_at = meta.get("built_at")
        self.vectors[:n] = arrays["vectors"]
        self.has_vector[:n] = arrays["has_vector"]
        self.alive[:n] = True
        for key in self.columns:
            stored = arrays[f"col:{key}"]
            if stored.ndim == 2 and stored.shape[1] != self.columns[key].shape[1]:
                self.columns[key] = np.zeros((self.columns[key].shape[0], stored.shape[1]),
                                             dtype=np.uint64)
            self.columns[key][:n] = stored
        self.row = {doc_id: i for i, doc_id in enumerate(self.ids)}
        journal = base / "journal.jsonl"
        self._journal_size = 0
        entries = 0
        if journal.exists():
            with journal.open("rb+") as f:
                for line in f:
                    try:
                        entry = json.loads(line)
                    except ValueError:
                        # A torn last line from a crash: everything before it stands, and it
                        # is cut off so that later appends start on a clean line.
                        f.truncate(self._journal_size)
                        break
                    self._replay(entry)
                    entries += 1
                    self._journal_size += len(line)
        self._journal_entries = entries
        self._loaded_version = version

    def _replay(self, entry: dict) -> None:
        if entry["op"] == "delete":
            self._apply_delete(entry["id"])
        else:
            vector = entry.get("vector")
            self._apply_upsert(Document(id=entry["id"], text=entry["text"],
                                        fields=entry["fields"], text_hash=entry["hash"],
                                        vector=None if vector is None else np.asarray(
                                            vector, dtype=np.float32)))

    def _snapshot(self, directory: Path) -> None:
        live = [i for i, doc_id in enumerate(self.ids) if self.alive[i]
                and self.row.get(doc_id) == i]
        index = np.asarray(live, dtype=np.int64)
        np.savez(directory / "arrays.npz", vectors=self.vectors[index],
                 has_vector=self.has_vector[index],
                 **{f"col:{key}": array[index] for key, array in self.columns.items()})
        meta = {"ids": [self.ids[i] for i in live], "texts": [self.texts[i] for i in live],
                "hashes": [self.hash[i] for i in live], "vocab": self.vocab,
                "built_at": self.built_at, "name": self.name, "dim": self.schema.dim}
        (directory / "meta.json").write_text(json.dumps(meta))

    def _write_version(self) -> str:
        """Write the in-memory state as a new version and switch CURRENT to it atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        version = f"v{time.time_ns()}"
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.root))
        try:
            self._snapshot(staging)
            for f in staging.iterdir():
                with f.open("rb") as fh:
                    os.fsync(fh.fileno())
            staging.rename(self.root / version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        pointer = self.root / f".CURRENT-{version}"
        pointer.write_text(version)
        os.replace(pointer, self.root / "CURRENT")
        previous = self._loaded_version
        self._loaded_version, self._journal_size, self._journal_entries = version, 0, 0
        if previous and previous != version:
            shutil.rmtree(self.root / previous, ignore_errors=True)
        return version

    def _journal(self, entries: list[dict]) -> None:
        if self._journal_entries + len(entries) > COMPACT_AFTER:
            self._write_version()
            return
        path = self.root / self._loaded_version / "journal.jsonl"
        data = b"".join(json.dumps(e).encode() + b"\n" for e in entries)
        with path.open("ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self._journal_size += len(data)
        self._journal_entries += len(entries)

    # --- the interface ------------------------------------------------------------------
    def ensure(self) -> None:
        with self._lock:
            if self._current() is None:
                self.built_at = _now()
                self._write_version()

    def upsert(self, documents: Iterable[Document]) -> int:
        with self._lock:
            self.ensure()
            self._load_if_changed()
            docs = list(documents)
            entries = []
            for doc in docs:
                self._apply_upsert(doc)
                entries.append({"op": "upsert", "id": doc.id, "text": doc.text,
                                "fields": _jsonable(doc.fields), "hash": doc.text_hash,
                                "vector": None if doc.vector is None else
                                np.asarray(doc.vector, dtype=np.float32).round(6).tolist()})
            if entries:
                self._journal(entries)
            return len(docs)

    def delete(self, ids: Iterable[str]) -> int:
        with self._lock:
            self.ensure()
            self._load_if_changed()
            removed = [doc_id for doc_id in ids if self._apply_delete(doc_id)]
            if removed:
                self._journal([{"op": "delete", "id": doc_id} for doc_id in removed])
            return len(removed)

    def rebuild(self, documents: Iterable[Document]) -> int:
        with self._lock:
            fresh = EmbeddedIndex(self.name, schema=self.schema, path=str(self.root.parent))
            n = 0
            for doc in documents:
                fresh._apply_upsert(doc)
                n += 1
            fresh.built_at = _now()
            fresh._loaded_version = self._current()
            fresh._write_version()
            self._load(fresh._loaded_version)
            return n

    def stored(self, doc_id: str) -> tuple[np.ndarray, str] | None:
        with self._lock:
            self._load_if_changed()
            i = self.row.get(doc_id)
            if i is None or not self.has_vector[i]:
                return None
            return self.vectors[i].copy(), self.hash[i]

    def count(self) -> int:
        with self._lock:
            self._load_if_changed()
            return len(self.row)

    def hashes(self) -> dict[str, str]:
        with self._lock:
            self._load_if_changed()
            return {doc_id: self.hash[i] for doc_id, i in self.row.items()}

    def stats(self) -> dict:
        with self._lock:
            try:
                self._load_if_changed()
            except IndexNotBuilt:
                return {"name": self.name, "built": False, "documents": 0}
            raw = int(self.has_vector.sum()) * self.schema.dim * 4
            held = self.vectors.nbytes + sum(a.nbytes for a in self.columns.values())
            return {"name": self.name, "built": True, "documents": len(self.row),
                    "dim": self.schema.dim, "built_at": self.built_at,
                    "version": self._loaded_version, "raw_vector_bytes": raw,
                    "array_bytes": held}

    def search(self, *, vector=None, text: str | None = None, filters: Sequence[Filter] = (),
               k: int = 20) -> list[Hit]:
        text = check_query(vector, text, k, self.schema.dim)
        check_filters(self.schema, filters)
        with self._lock:
            self._load_if_changed()
            n = len(self.ids)
            mask = self._mask(filters, n)
            parts: dict[str, np.ndarray] = {}
            if vector is not None:
                q = np.asarray(vector, dtype=np.float32)
                norm = float(np.linalg.norm(q))
                semantic = self.vectors[:n] @ (q / norm if norm else q)
                mask &= self.has_vector[:n]
                parts["semantic"] = semantic
            if text is not None:
                keyword = self._bm25_scores(text, n)
                if vector is None:
                    mask &= keyword > 0
                else:
                    keyword = np.minimum(keyword / self._keyword_ideal(text), 1.0)
                parts["keyword"] = keyword
            return self._top(mask, parts, k)

    # --- ranking internals --------------------------------------------------------------
    def _mask(self, filters: Sequence[Filter], n: int) -> np.ndarray:
        mask = self.alive[:n].copy()
        for f in filters:
            if isinstance(f, Terms):
                codes = [self.vocab[f.field][str(v)] for v in f.values
                         if str(v) in self.vocab[f.field]]
                column = self.columns[f.field][:n]
                hit = np.zeros(n, dtype=bool)
                for code in codes:
                    hit |= (column[:, code // 64] >> np.uint64(code % 64)) & np.uint64(1) > 0
                mask &= ~hit if f.exclude else hit
            elif isinstance(f, Flag):
                column = self.columns[f.field][:n]
                mask &= column if f.value else ~column
            elif isinstance(f, DateRange):
                column = self.columns[f.field][:n]
                mask &= column != NO_DATE
                if f.gte is not None:
                    mask &= column >= f.gte.toordinal()
                if f.lte is not None:
                    mask &= column <= f.lte.toordinal()
            elif isinstance(f, GeoDistance):
                lat = self.columns[f"{f.field}.lat"][:n]
                lon = self.columns[f"{f.field}.lon"][:n]
                near = haversine_miles(lat, lon, f.latitude, f.longitude) <= f.miles
                if f.unless:
                    near |= self.columns[f.unless][:n]
                mask &= near
        return mask

    def _bm25_scores(self, text: str, n: int) -> np.ndarray:
        if self._bm25 is None or self._bm25.shape[0] != n:
            self._build_bm25(n)
        columns = [self._terms[t] for t in set(tokens(text)) if t in self._terms]
        if not columns:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self._bm25[:, columns].sum(axis=1), dtype=np.float32).ravel()

    def _keyword_ideal(self, text: str) -> float:
        """The BM25 score of an average-length document holding each query word once: the sum
        of the words' IDF (a word no document has counts at the highest IDF, so a query of
        unknown words has little keyword relevance anywhere). Call after _bm25_scores."""
        words = set(tokens(text))
        return sum(self._idf.get(w, self._unseen_idf) for w in words) or 1.0

    def _build_bm25(self, n: int) -> None:
        """Term weights for every live document. Built on the first keyword search after a
        change (tokenising from the stored texts keeps memory to the sparse matrix)."""
        self._terms = {}
        live = self.alive[:n]
        counts = [Counter(tokens(self.texts[i])) if live[i] else None for i in range(n)]
        lengths = np.array([sum(c.values()) if c else 0 for c in counts], dtype=np.float32)
        average = float(lengths[live].mean()) if live.any() else 1.0
        frequency: Counter = Counter()
        for c in counts:
            if c:
                frequency.update(c.keys())
        docs = int(live.sum())
        self._idf = {t: float(np.log(1 + (docs - f + 0.5) / (f + 0.5)))
                     for t, f in frequency.items()}
        self._unseen_idf = float(np.log(1 + (docs + 0.5) / 0.5))
        rows, cols, values = [], [], []
        for i, c in enumerate(counts):
            if not c:
                continue
            norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[i] / (average or 1.0))
            for term, tf in c.items():
                column = self._terms.setdefault(term, len(self._terms))
                idf = self._idf[term]
                rows.append(i)
                cols.append(column)
                values.append(idf * tf * (BM25_K1 + 1) / (tf + norm))
        self._bm25 = sparse.csc_matrix((np.asarray(values, dtype=np.float32), (rows, cols)),
                                       shape=(n, max(len(self._terms), 1)))

    def _top(self, mask: np.ndarray, parts: dict[str, np.ndarray], k: int) -> list[Hit]:
        candidates = np.flatnonzero(mask)
        if len(candidates) == 0:
            return []
        if not parts:  # filters only: matching documents in id order
            chosen = sorted(candidates, key=lambda i: self.ids[i])[:k]
            return [Hit(self.ids[i], 0.0, {}) for i in chosen]
        combined = np.full(len(mask), -np.inf, dtype=np.float32)
        if "semantic" in parts and "keyword" in parts:
            combined[candidates] = (SEMANTIC_WEIGHT * parts["semantic"][candidates]
                                    + (1 - SEMANTIC_WEIGHT) * parts["keyword"][candidates])
        else:
            (only,) = parts.values()
            combined[candidates] = only[candidates]
        k = min(k, len(candidates))
        best = np.argpartition(-combined, k - 1)[:k]
        # Ties broken by id, so results are stable across runs and back ends.
        best = sorted(best, key=lambda i: (-float(combined[i]), self.ids[i]))
        return [Hit(self.ids[i], round(float(combined[i]), 6),
                    {name: round(float(values[i]), 6) for name, values in parts.items()})
                for i in best]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _jsonable(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple | set):
            value = list(value)
        out[key] = value
    return out
