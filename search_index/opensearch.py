"""The OpenSearch back end, for deployments that outgrow one machine.

One alias per index name points at a versioned physical index (`<name>-v<ns>`): a rebuild fills
a new physical index and swaps the alias in one `update_aliases` call, so searches never see a
half-built index. Vectors use the k-NN plugin (HNSW, cosine, Lucene engine, which filters during
the graph search rather than after it); text uses the `english` analyzer; hybrid queries combine
k-NN and BM25 through a search pipeline with min-max normalisation.
"""

import contextlib
import datetime as dt
import time
from collections.abc import Iterable, Sequence

import numpy as np
from opensearchpy import OpenSearch, helpers
from opensearchpy import exceptions as os_errors

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
    SearchUnavailable,
    Terms,
    check_filters,
    check_query,
)
from search_index.embedded import SEMANTIC_WEIGHT

PIPELINE = "fcm-hybrid"
_TYPES = {FieldType.KEYWORD: "keyword", FieldType.BOOLEAN: "boolean", FieldType.DATE: "date",
          FieldType.GEO: "geo_point"}


class OpenSearchIndex:
    def __init__(self, name: str, *, schema: Schema, url: str, client: OpenSearch | None = None):
        self.name = name
        self.schema = schema
        self.client = client or OpenSearch(hosts=[url], timeout=30)

    # --- index management ---------------------------------------------------------------
    def mapping(self) -> dict:
        properties = {
            "doc_id": {"type": "keyword"},
            "text": {"type": "text", "analyzer": "english"},
            "text_hash": {"type": "keyword"},
            "vector": {"type": "knn_vector", "dimension": self.schema.dim,
                       "method": {"name": "hnsw", "space_type": "cosinesimil",
                                  "engine": "lucene",
                                  "parameters": {"m": 16, "ef_construction": 128}}},
        }
        properties.update({name: {"type": _TYPES[kind]}
                           for name, kind in self.schema.fields.items()})
        return {"settings": {"index": {"knn": True, "number_of_shards": 1}},
                "mappings": {"_meta": {"built_at": _now(), "dim": self.schema.dim},
                             "properties": properties}}

    def _call(self, function, *args, **kwargs):
        try:
            return function(*args, **kwargs)
        except os_errors.ConnectionError as error:
            raise SearchUnavailable(f"OpenSearch is not reachable: {error}") from error

    def _physical(self) -> list[str]:
        try:
            return sorted(self._call(self.client.indices.get_alias, name=self.name))
        except os_errors.NotFoundError:
            return []

    def _create_physical(self) -> str:
        physical = f"{self.name}-v{time.time_ns()}"
        self._call(self.client.indices.create, index=physical, body=self.mapping())
        return physical

    def ensure(self) -> None:
        if not self._physical():
            physical = self._create_physical()
            self._call(self.client.indices.put_alias, index=physical, name=self.name)
        self._ensure_pipeline()

    def _ensure_pipeline(self) -> None:
        body = {"description": "Hybrid k-NN + BM25 for the Fair Chance Marketplace",
                "phase_results_processors": [{"normalization-processor": {
                    "normalization": {"technique": "min_max"},
                    "combination": {"technique": "arithmetic_mean", "parameters": {
                        "weights": [SEMANTIC_WEIGHT, round(1 - SEMANTIC_WEIGHT, 3)]}}}}]}
        # A server without the neural-search plugin refuses this; hybrid queries then say so.
        with contextlib.suppress(os_errors.TransportError):
            self._call(self.client.transport.perform_request, "PUT",
                       f"/_search/pipeline/{PIPELINE}", body=body)

    # --- writing ------------------------------------------------------------------------
    def _source(self, doc: Document) -> dict:
        unknown = set(doc.fields) - set(self.schema.fields)
        if unknown:
            raise ValueError(f"Document {doc.id}: unknown fields {sorted(unknown)}.")
        source = {"doc_id": doc.id, "text": doc.text, "text_hash": doc.text_hash}
        for name, kind in self.schema.fields.items():
            value = doc.fields.get(name)
            if value is None:
                continue
            if kind is FieldType.DATE:
                value = value.isoformat() if isinstance(value, dt.date) else value
            elif kind is FieldType.GEO:
                value = {"lat": float(value[0]), "lon": float(value[1])}
            elif kind is FieldType.KEYWORD and isinstance(value, tuple | set):
                value = list(value)
            source[name] = value
        if doc.vector is not None:
            vector = np.asarray(doc.vector, dtype=np.float32)
            if vector.shape != (self.schema.dim,):
                raise ValueError(f"Document {doc.id}: vector must have {self.schema.dim} "
                                 "dimensions.")
            source["vector"] = vector.tolist()
        return source

    def _bulk(self, index: str, documents: Iterable[Document]) -> int:
        actions = ({"_op_type": "index", "_index": index, "_id": doc.id,
                    "_source": self._source(doc)} for doc in documents)
        written, errors = self._call(helpers.bulk, self.client, actions, chunk_size=500,
                                     raise_on_error=False)
        if errors:
            raise SearchUnavailable(f"OpenSearch refused {len(errors)} documents: {errors[:1]}")
        return written

    def upsert(self, documents: Iterable[Document]) -> int:
        self.ensure()
        written = self._bulk(self.name, documents)
        self._call(self.client.indices.refresh, index=self.name)
        return written

    def delete(self, ids: Iterable[str]) -> int:
        self.ensure()
        actions = ({"_op_type": "delete", "_index": self.name, "_id": i} for i in ids)
        written, _missing = self._call(helpers.bulk, self.client, actions,
                                       raise_on_error=False)
        self._call(self.client.indices.refresh, index=self.name)
        return written

    def rebuild(self, documents: Iterable[Document]) -> int:
        old = self._physical()
        physical = self._create_physical()
        try:
            written = self._bulk(physical, documents)
            self._call(self.client.indices.refresh, index=physical)
        except BaseException:
            self._call(self.client.indices.delete, index=physical, ignore_unavailable=True)
            raise
        actions = [{"remove": {"index": i, "alias": self.name}} for i in old]
        actions.append({"add": {"index": physical, "alias": self.name}})
        self._call(self.client.indices.update_aliases, body={"actions": actions})
        for index in old:
            self._call(self.client.indices.delete, index=index, ignore_unavailable=True)
        self._ensure_pipeline()
        return written

    # --- reading ------------------------------------------------------------------------
    def _require_built(self) -> None:
        if not self._physical():
            raise IndexNotBuilt(f"The {self.name} search index has not been built. "
                                "Run: flask index rebuild")

    def count(self) -> int:
        self._require_built()
        return int(self._call(self.client.count, index=self.name)["count"])

    def stored(self, doc_id: str) -> tuple[np.ndarray, str] | None:
        self._require_built()
        try:
            found = self._call(self.client.get, index=self.name, id=doc_id,
                               _source_includes=["vector", "text_hash"])
        except os_errors.NotFoundError:
            return None
        source = found.get("_source") or {}
        if source.get("vector") is None:
            return None
        vector = np.asarray(source["vector"], dtype=np.float32)
        norm = float(np.linalg.norm(vector))
        return (vector / norm if norm else vector), source.get("text_hash", "")

    def hashes(self) -> dict[str, str]:
        self._require_built()
        return {hit["_id"]: hit["_source"].get("text_hash", "") for hit in
                self._call(helpers.scan, self.client, index=self.name,
                           _source=["text_hash"], query={"query": {"match_all": {}}})}

    def stats(self) -> dict:
        physical = self._physical()
        if not physical:
            return {"name": self.name, "built": False, "documents": 0}
        meta = self._call(self.client.indices.get_mapping, index=physical[-1])
        built_at = meta[physical[-1]]["mappings"].get("_meta", {}).get("built_at")
        return {"name": self.name, "built": True, "documents": self.count(),
                "dim": self.schema.dim, "built_at": built_at, "version": physical[-1]}

    def _filter_clauses(self, filters: Sequence[Filter]) -> dict:
        must, must_not = [], []
        for f in filters:
            if isinstance(f, Terms):
                clause = {"terms": {f.field: [str(v) for v in f.values]}}
                (must_not if f.exclude else must).append(clause)
            elif isinstance(f, Flag):
                must.append({"term": {f.field: f.value}})
            elif isinstance(f, DateRange):
                bounds = {}
                if f.gte is not None:
                    bounds["gte"] = f.gte.isoformat()
                if f.lte is not None:
                    bounds["lte"] = f.lte.isoformat()
                must.append({"range": {f.field: bounds}} if bounds
                            else {"exists": {"field": f.field}})
            elif isinstance(f, GeoDistance):
                near = {"geo_distance": {"distance": f"{f.miles}mi", f.field: {
                    "lat": f.latitude, "lon": f.longitude}}}
                if f.unless:
                    near = {"bool": {"should": [near, {"term": {f.unless: True}}],
                                     "minimum_should_match": 1}}
                must.append(near)
        return {"bool": {"filter": must, "must_not": must_not}}

    def search(self, *, vector=None, text: str | None = None, filters: Sequence[Filter] = (),
               k: int = 20) -> list[Hit]:
        text = check_query(vector, text, k, self.schema.dim)
        check_filters(self.schema, filters)
        self._require_built()
        where = self._filter_clauses(filters)
        params = {}
        if vector is not None:
            knn = {"knn": {"vector": {"vector": np.asarray(vector, dtype=np.float32).tolist(),
                                      "k": k, "filter": where}}}
        match = {"bool": {"must": [{"match": {"text": text}}], **where["bool"]}} if text \
            else None
        if vector is not None and text:
            body = {"query": {"hybrid": {"queries": [knn, match]}}}
            params["search_pipeline"] = PIPELINE
            part = "hybrid"
        elif vector is not None:
            body, part = {"query": knn}, "semantic"
        elif text:
            body, part = {"query": match}, "keyword"
        else:
            body, part = {"query": where, "sort": [{"doc_id": "asc"}]}, None
        body.update(size=k, _source=False)
        try:
            response = self._call(self.client.search, index=self.name, body=body, params=params)
        except os_errors.NotFoundError as error:
            raise IndexNotBuilt(str(error)) from error
        except os_errors.TransportError as error:
            raise SearchUnavailable(
                f"OpenSearch could not run this {part or 'filter'} query (it needs the k-NN and "
                f"neural-search plugins for vector and hybrid search): {error}") from error
        hits = []
        for hit in response["hits"]["hits"]:
            score = float(hit.get("_score") or 0.0)
            if part == "semantic":
                score = 2 * score - 1  # Lucene cosinesimil scores (1 + cos) / 2
            hits.append(Hit(hit["_id"], round(score, 6), {part: round(score, 6)} if part else {}))
        return hits


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
