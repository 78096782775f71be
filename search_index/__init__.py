"""Search back ends behind one interface. Knows nothing of Flask or the app's models.

    index = open_index("embedded", "opportunities", schema=schema, path="instance/search")
    index.upsert([Document(id="17", vector=v, text="Forklift driver", fields={...})])
    hits = index.search(vector=q, text="forklift", filters=[Flag("open", True)], k=20)
"""

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
    SearchIndex,
    SearchUnavailable,
    Terms,
)


def open_index(backend: str, name: str, *, schema: Schema, path: str | None = None,
               url: str | None = None, prefix: str = "") -> SearchIndex:
    """The index `name` on the configured back end ("embedded" or "opensearch")."""
    if backend == "embedded":
        from search_index.embedded import EmbeddedIndex

        if not path:
            raise ValueError("The embedded search back end needs a directory (path).")
        return EmbeddedIndex(name, schema=schema, path=path)
    if backend == "opensearch":
        from search_index.opensearch import OpenSearchIndex

        if not url:
            raise ValueError("The OpenSearch back end needs OPENSEARCH_URL.")
        return OpenSearchIndex(f"{prefix}{name}", schema=schema, url=url)
    raise ValueError(f"Unknown search back end {backend!r}: use embedded or opensearch.")


__all__ = ["DateRange", "Document", "FieldType", "Filter", "Flag", "GeoDistance", "Hit",
           "IndexNotBuilt", "Schema", "SearchIndex", "SearchUnavailable", "Terms", "open_index"]
