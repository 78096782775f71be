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

On disk (under `path/<name>/`): a base snapshot per version (`v<N>/`: the vectors in
`vectors.npy`, filter columns and BM25 postings in `arrays.npz`, ids, texts and hashes in
`meta.json`; written to a temporary directory and renamed into place, then `CURRENT` is
replaced atomically) and a journal of changes since (`journal.jsonl`, one JSON line per change,
flushed and fsynced). Loading reads the base (no tokenising: the postings are saved) and
replays the journal; a process that has loaded a version replays only the lines added since
(another worker's writes), and loads whole only a new version. A torn last line (a crash
mid-write) is not replayed, and the next writer cuts it off. A rebuild writes a new version and
only then switches `CURRENT`, so a crash leaves the previous index in use.

Writers (in any process) take turns through an exclusive lock on `writing.lock`; searches take
only this process's lock, which a write holds while it changes memory and appends its line
(milliseconds), a rebuild only while it switches, and folding the journal into a new version
only while it switches. Keyword relevance is in search_index/bm25.py: updated by each write,
equal to a full build.
"""

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

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
from search_index.bm25 import BM25
from search_index.text import tokens

NO_DATE = np.iinfo(np.int32).min
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
        self._catching_up = threading.Lock()  # one thread at a time loads a newer version
        self._loaded_version: str | None = None
        self._journal_size = 0  # bytes of the journal replayed (complete lines only)
        self._journal_seen = 0  # its size when last read, torn tail included
        self._journal_entries = 0
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
        self.bm25 = BM25()
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

    def _grow(self, n: int, *, exact: bool = False) -> None:
        """Room for n rows (capacity doubles, so appends are amortised O(1))."""
        capacity = len(self.alive)
        if n <= capacity:
            return
        new = n if exact else max(n, capacity * 2, 64)

        def grown(array: np.ndarray, fill) -> np.ndarray:
            # Empty, then filled past the copied rows only: np.full would write every page
            # twice (seconds for a 100,000-row matrix on a busy machine).
            if len(array) >= new:
                return array
            out = np.empty((new, *array.shape[1:]), dtype=array.dtype)
            out[:capacity] = array
            if fill is not None:  # rows past len(ids) are written whole before being read
                out[capacity:] = fill
            return out

        self.vectors = grown(self.vectors, None)
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

    def _set_rows(self, rows: np.ndarray, docs: list[Document]) -> None:
        """Vectors (made unit length) and filter columns of checked documents, into distinct
        rows: a column at a time, so a rebuild does not pay NumPy's per-call cost per
        document and field."""
        self.vectors[rows] = 0
        self.has_vector[rows] = False
        with_vector = [k for k, d in enumerate(docs) if d.vector is not None]
        if with_vector:
            block = np.asarray([docs[k].vector for k in with_vector], dtype=np.float32)
            norms = np.linalg.norm(block, axis=1, keepdims=True)
            np.divide(block, norms, out=block, where=norms > 0)
            self.vectors[rows[with_vector]] = block
            self.has_vector[rows[with_vector]] = True
        for name, kind in self.schema.fields.items():
            values = [d.fields.get(name) for d in docs]
            if kind is FieldType.KEYWORD:
                pairs = [(k, self._code(name, str(v))) for k, value in enumerate(values)
                         for v in _many(value)]
                column = self.columns[name]  # after _code, which may have widened it
                column[rows] = 0
                if pairs:
                    which, code = np.asarray(pairs, dtype=np.int64).T
                    np.bitwise_or.at(column, (rows[which], code // 64),
                                     np.left_shift(np.uint64(1), (code % 64).astype(np.uint64)))
            elif kind is FieldType.BOOLEAN:
                self.columns[name][rows] = [bool(v) for v in values]
            elif kind is FieldType.DATE:
                self.columns[name][rows] = [NO_DATE if v is None else (
                    dt.date.fromisoformat(v) if isinstance(v, str) else v).toordinal()
                    for v in values]
            else:
                places = np.asarray([(np.nan, np.nan) if v is None else v for v in values],
                                    dtype=np.float32).reshape(len(docs), 2)
                self.columns[f"{name}.lat"][rows] = places[:, 0]
                self.columns[f"{name}.lon"][rows] = places[:, 1]

    def _check(self, doc: Document) -> None:
        if doc.vector is not None and np.shape(doc.vector) != (self.schema.dim,):
            raise ValueError(f"Document {doc.id}: vector must have {self.schema.dim} "
                             "dimensions.")
        unknown = set(doc.fields) - set(self.schema.fields)
        if unknown:
            raise ValueError(f"Document {doc.id}: unknown fields {sorted(unknown)}.")

    def _apply_upsert(self, doc: Document) -> None:
        self._put([doc], keywords=True)

    def _put(self, docs: list[Document], *, keywords: bool) -> None:
        """Insert or replace checked documents with distinct ids; `keywords` False leaves the
        postings to the caller (a rebuild makes them all at once)."""
        rows = []
        for doc in docs:
            i = self.row.get(doc.id)
            if i is None:
                i = len(self.ids)
                self.ids.append(doc.id)
                self.texts.append("")
                self.hash.append("")
            rows.append(i)
        self._grow(len(self.ids))
        index = np.asarray(rows, dtype=np.int64)
        self._set_rows(index, docs)
        self.alive[index] = True
        for i, doc in zip(rows, docs, strict=True):
            self.row[doc.id] = i
            self.texts[i] = doc.text
            self.hash[i] = doc.text_hash
            if keywords:
                self.bm25.set_row(i, doc.text)

    def _apply_delete(self, doc_id: str) -> bool:
        i = self.row.pop(doc_id, None)
        if i is None:
            return False
        self.alive[i] = False
        self.has_vector[i] = False
        self.bm25.remove(i)
        return True

    # --- persistence --------------------------------------------------------------------
    def _current(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    @contextlib.contextmanager
    def _writing(self, *, searches_wait: bool = True):
        """Held while changing what is on disk: an exclusive lock on a file beside the versions,
        so that two writers (threads, serving workers, the job worker, the CLI) never append to
        a journal while another replaces it, and a torn tail is cut only when nobody is
        writing; then, unless `searches_wait` is False, this process's lock, which searches
        take. Always in that order, so that a writer waiting for the file never holds up
        searches."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "writing.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with self._lock if searches_wait else contextlib.nullcontext():
                    yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _catch_up(self) -> None:
        """When another process has put a new version in use (a rebuild, a compaction), load
        it beside the one this process has and swap it in, so that searches meanwhile are
        answered from the previous one instead of waiting (a second or two at 100,000
        documents). The first load in a process has nothing to answer from: it happens under
        the lock, in _load_if_changed."""
        version = self._current()
        if version is None or self._loaded_version in (None, version):
            return
        with self._catching_up:
            if self._current() == self._loaded_version:
                return  # another thread got there first
            fresh = EmbeddedIndex(self.name, schema=self.schema, path=str(self.root.parent))
            try:
                fresh._load(fresh._current())
            except (FileNotFoundError, IndexNotBuilt):
                return  # replaced again while loading: _load_if_changed will catch up
            with self._lock:
                if fresh._loaded_version != self._loaded_version:
                    self._adopt(fresh)

    def _adopt(self, other: "EmbeddedIndex") -> None:
        """Take another instance's state (same index, loaded or built apart). Under the lock."""
        for key, value in vars(other).items():
            if key not in ("_lock", "_catching_up"):
                setattr(self, key, value)

    def _load_if_changed(self) -> None:
        """Another process (the CLI, another worker) may have rebuilt or written: a new version
        is loaded whole, new journal lines are replayed on what is loaded."""
        version = self._current()
        if version is None:
            raise IndexNotBuilt(f"The {self.name} search index has not been built. "
                                "Run: flask index rebuild")
        if version != self._loaded_version:
            self._load(version)
            return
        journal = self.root / version / "journal.jsonl"
        size = journal.stat().st_size if journal.exists() else 0
        if size == self._journal_seen:
            return
        if size < self._journal_size:  # cut back by someone else: start again
            self._load(version)
        else:
            self._read_journal(journal)

    def _read_journal(self, journal: Path) -> None:
        """Replay the journal's complete lines after those already read. A line without its
        newline, or that is not JSON, is a crash's torn tail: it and anything after it are not
        read (a writer cuts it off before appending: _cut_torn_tail)."""
        if not journal.exists():
            self._journal_seen = 0
            return
        with journal.open("rb") as f:
            f.seek(self._journal_size)
            data = f.read()
        self._journal_seen = self._journal_size + len(data)
        for line in data.splitlines(keepends=True):
            if not line.endswith(b"\n"):
                break
            try:
                entry = json.loads(line)
            except ValueError:
                break
            self._replay(entry)
            self._journal_entries += 1
            self._journal_size += len(line)

    def _cut_torn_tail(self) -> None:
        """Under the write lock, after _load_if_changed: bytes past the last complete line can
        only be a crashed writer's, so they go, and the next line starts clean."""
        journal = self.root / self._loaded_version / "journal.jsonl"
        if journal.exists() and journal.stat().st_size > self._journal_size:
            with journal.open("rb+") as f:
                f.truncate(self._journal_size)
                f.flush()
                os.fsync(f.fileno())
            self._journal_seen = self._journal_size

    def _load(self, version: str) -> None:
        base = self.root / version
        self._reset()
        meta = json.loads((base / "meta.json").read_text())
        arrays = np.load(base / "arrays.npz")
        n = len(meta["ids"])
        self.ids = list(meta["ids"])
        self.texts = list(meta["texts"])
        self.hash = list(meta["hashes"])
        self.vocab = {k: dict(v) for k, v in meta["vocab"].items()}
        self.built_at = meta.get("built_at")
        self.has_vector = arrays["has_vector"]
        self.alive = np.ones(n, dtype=bool)
        for key in self.columns:
            self.columns[key] = arrays[f"col:{key}"]
        # Room for an eighth more rows, so the first writes after loading do not wait for the
        # matrix to be copied; the vectors are read straight into it (a second copy of 150 MB
        # costs seconds on a busy machine: fresh pages are slow).
        capacity = n + n // 8 + 64
        self.vectors = np.empty((capacity, self.schema.dim), dtype=np.float32)
        self._grow(capacity, exact=True)
        if (base / "vectors.npy").exists():
            _read_npy_into(base / "vectors.npy", self.vectors[:n])
        else:  # a snapshot from before vectors had their own file
            self.vectors[:n] = arrays["vectors"]
        self.row = {doc_id: i for i, doc_id in enumerate(self.ids)}
        # Saved postings, so loading tokenises nothing; a snapshot from before they were
        # saved, or from another analyser, is tokenised from its texts once here.
        saved = BM25.from_arrays(arrays, n)
        if saved is None:
            saved = BM25()
            saved.build(self.texts)
        self.bm25 = saved
        self._loaded_version = version
        self._journal_size = self._journal_seen = self._journal_entries = 0
        self._read_journal(base / "journal.jsonl")

    def _replay(self, entry: dict) -> None:
        if entry["op"] == "delete":
            self._apply_delete(entry["id"])
        else:
            vector = entry.get("vector")
            self._apply_upsert(Document(id=entry["id"], text=entry["text"],
                                        fields=entry["fields"], text_hash=entry["hash"],
                                        vector=None if vector is None else np.asarray(
                                            vector, dtype=np.float32)))

    def _live_rows(self) -> np.ndarray:
        n = len(self.ids)
        rows = np.fromiter(self.row.values(), dtype=np.int64, count=len(self.row))
        rows.sort()
        return rows[self.alive[:n][rows]]

    def _stage(self) -> Path:
        """The in-memory state written and fsynced as a new version's directory, not yet in
        use (nothing else reads a staging directory, so no lock is needed while it is
        written, as long as nothing changes the state meanwhile)."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=self.root))
        try:
            live = self._live_rows()
            # Every row live and in order (just after a rebuild): views, not a 150 MB copy.
            pick = slice(0, len(live)) if len(live) == 0 or live[-1] == len(live) - 1 else live
            np.save(staging / "vectors.npy", self.vectors[pick])
            np.savez(staging / "arrays.npz", has_vector=self.has_vector[pick],
                     **{f"col:{key}": array[pick] for key, array in self.columns.items()},
                     **self.bm25.arrays(live))
            meta = {"ids": [self.ids[i] for i in live], "texts": [self.texts[i] for i in live],
                    "hashes": [self.hash[i] for i in live], "vocab": self.vocab,
                    "built_at": self.built_at, "name": self.name, "dim": self.schema.dim}
            (staging / "meta.json").write_text(json.dumps(meta))
            for f in staging.iterdir():
                with f.open("rb") as fh:
                    os.fsync(fh.fileno())
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return staging

    def _switch(self, staging: Path) -> str:
        """Put a staged version in use: rename it into place, then replace CURRENT atomically.
        Call under the write lock."""
        version = f"v{time.time_ns()}"
        staging.rename(self.root / version)
        pointer = self.root / f".CURRENT-{version}"
        pointer.write_text(version)
        os.replace(pointer, self.root / "CURRENT")
        previous = self._loaded_version
        self._loaded_version = version
        self._journal_size = self._journal_seen = self._journal_entries = 0
        if previous and previous != version:
            shutil.rmtree(self.root / previous, ignore_errors=True)
        return version

    def _write_version(self) -> str:
        """Write the in-memory state as a new version and switch CURRENT to it atomically.
        Call under the write lock."""
        return self._switch(self._stage())

    def _compact(self) -> None:
        """Fold the journal into a new version. Called holding the file lock but not this
        process's lock: no writer can change the state meanwhile, and searches go on reading
        it while the snapshot (seconds at 100,000 documents) is written; only the switch
        makes them wait."""
        staging = self._stage()
        folded = self.bm25.postings(np.arange(len(self.ids))).tocsc()
        with self._lock:
            try:
                self._switch(staging)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            self.bm25.fold(folded)  # recent postings are in the saved base now

    def _journal(self, entries: list[dict]) -> None:
        path = self.root / self._loaded_version / "journal.jsonl"
        data = b"".join(json.dumps(e).encode() + b"\n" for e in entries)
        with path.open("ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        self._journal_size += len(data)
        self._journal_seen = self._journal_size
        self._journal_entries += len(entries)

    # --- the interface ------------------------------------------------------------------
    def ensure(self) -> None:
        with self._writing():
            self._ensure()

    def _ensure(self) -> None:
        if self._current() is None:
            self.built_at = _now()
            self._write_version()

    def upsert(self, documents: Iterable[Document]) -> int:
        docs = list(documents)
        for doc in docs:  # all or none: a bad document is refused before any is written
            self._check(doc)
        entries = [{"op": "upsert", "id": doc.id, "text": doc.text,
                    "fields": _jsonable(doc.fields), "hash": doc.text_hash,
                    "vector": None if doc.vector is None else
                    np.asarray(doc.vector, dtype=np.float32).round(6).tolist()}
                   for doc in docs]
        return self._write(entries, lambda: [self._apply_upsert(doc) for doc in docs])

    def delete(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        return self._write(lambda removed: [{"op": "delete", "id": i} for i in removed],
                           lambda: [i for i in ids if self._apply_delete(i)])

    def _write(self, entries, apply) -> int:
        """Apply a change in memory and append it to the journal (entries, or a function of
        what `apply` returned), then compact if the journal is long."""
        with self._writing(searches_wait=False):
            with self._lock:
                self._ensure()
                self._load_if_changed()
                self._cut_torn_tail()
                done = apply()
                lines = entries(done) if callable(entries) else entries
                if lines:
                    self._journal(lines)
                compact = self._journal_entries > COMPACT_AFTER
            if compact:
                self._compact()
            return len(done)

    def rebuild(self, documents: Iterable[Document]) -> int:
        # Built and written beside the index in use, which answers searches meanwhile; only
        # the switch holds the locks. Writes made during a rebuild go to the old version's
        # journal and are not in the new one: a rebuild reads everything afresh anyway.
        fresh = EmbeddedIndex(self.name, schema=self.schema, path=str(self.root.parent))
        n = fresh._bulk(documents, self._postings_by_text())
        fresh.built_at = _now()
        staging = fresh._stage()
        try:
            with self._writing():
                fresh._loaded_version = self._current()
                fresh._switch(staging)
                fresh._journal_seen = 0
                self._adopt(fresh)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return n

    def _bulk(self, documents: Iterable[Document],
              previous: tuple[BM25, dict[str, int]] | None = None) -> int:
        """A rebuild's documents: rows a few thousand at a time, then every keyword posting in
        one step (writing them one by one would tokenise and post each document alone)."""
        n, chunk = 0, {}
        if isinstance(documents, Sequence):
            self._grow(len(documents))  # once, instead of doubling and copying as rows come
        for doc in documents:
            self._check(doc)
            if doc.id in chunk:  # the same id twice: the later one stands, as with upsert
                del chunk[doc.id]
            chunk[doc.id] = doc
            n += 1
            if len(chunk) == 4096:
                self._put(list(chunk.values()), keywords=False)
                chunk = {}
        self._put(list(chunk.values()), keywords=False)
        texts = [t if self.alive[i] else None for i, t in enumerate(self.texts)]
        if previous is None:
            self.bm25.build(texts)
        else:
            postings, rows = previous
            same = np.fromiter((rows.get(t, -1) for t in self.texts), dtype=np.int64,
                               count=len(self.texts))
            self.bm25.build(texts, postings, same)
        return n

    def _postings_by_text(self) -> tuple[BM25, dict[str, int]] | None:
        """The index in use's postings and, by text, the row holding them, for a rebuild to
        reuse (read from disk when this process has not loaded the index: its vectors are
        not needed). None when there is nothing to reuse."""
        with self._lock:
            version = self._current()
            if version is None:
                return None
            if version == self._loaded_version:
                # A copy: the rebuild reads it after letting go of the lock, while writes go on.
                live = self._live_rows()
                return (BM25.from_arrays(self.bm25.arrays(live), len(live)),
                        {self.texts[i]: k for k, i in enumerate(live)})
            try:
                meta = json.loads((self.root / version / "meta.json").read_text())
                with np.load(self.root / version / "arrays.npz") as arrays:
                    saved = BM25.from_arrays(arrays, len(meta["texts"]))
            except (OSError, ValueError, KeyError):
                return None  # unreadable: tokenise everything, as a first build does
            if saved is None:
                return None
            return saved, {t: i for i, t in enumerate(meta["texts"])}

    def stored(self, doc_id: str) -> tuple[np.ndarray, str] | None:
        self._catch_up()
        with self._lock:
            self._load_if_changed()
            i = self.row.get(doc_id)
            if i is None or not self.has_vector[i]:
                return None
            return self.vectors[i].copy(), self.hash[i]

    def count(self) -> int:
        self._catch_up()
        with self._lock:
            self._load_if_changed()
            return len(self.row)

    def hashes(self) -> dict[str, str]:
        self._catch_up()
        with self._lock:
            self._load_if_changed()
            return {doc_id: self.hash[i] for doc_id, i in self.row.items()}

    def stats(self) -> dict:
        self._catch_up()
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
        self._catch_up()
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
                words = set(tokens(text))
                keyword = self.bm25.scores(words, n)
                if vector is None:
                    mask &= keyword > 0
                else:
                    keyword = np.minimum(keyword / self.bm25.ideal(words), 1.0)
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


def _read_npy_into(path: Path, out: np.ndarray) -> None:
    """Read a .npy file written by np.save into `out` (same shape and type), without making
    a second array."""
    with path.open("rb") as f:
        version = np.lib.format.read_magic(f)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = read_header(f)
        if shape != out.shape or dtype != out.dtype or fortran:
            raise ValueError(f"{path}: {shape} {dtype}, expected {out.shape} {out.dtype}.")
        if out.size and f.readinto(memoryview(out).cast("B")) != out.nbytes:
            raise ValueError(f"{path} is shorter than its header says.")


def _many(value) -> list:
    """A keyword field's values: one, several, or none."""
    if isinstance(value, (list, tuple, set)):  # noqa: UP038  (the tuple form is quicker)
        return list(value)
    return [] if value is None else [value]


def _jsonable(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple | set):
            value = list(value)
        out[key] = value
    return out
