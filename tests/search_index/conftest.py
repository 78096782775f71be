"""Runs the contract suite against every back end: the embedded one always; OpenSearch against
OPENSEARCH_URL when set, otherwise against osmem-server (an in-memory OpenSearch-compatible
server started by its pytest plugin), which runs everything but k-NN queries."""

import os
import uuid

import pytest

from search_index import DateRange, FieldType, Schema, open_index  # noqa: F401

SCHEMA = Schema(dim=4, fields={
    "kind": FieldType.KEYWORD, "sector": FieldType.KEYWORD, "open": FieldType.BOOLEAN,
    "remote": FieldType.BOOLEAN, "closing": FieldType.DATE, "location": FieldType.GEO,
})
REAL_OPENSEARCH = os.environ.get("OPENSEARCH_URL")


@pytest.fixture(params=["embedded", "opensearch"])
def backend(request, tmp_path):
    if request.param == "embedded":
        return open_index("embedded", "contract", schema=SCHEMA, path=str(tmp_path))
    url = REAL_OPENSEARCH or request.getfixturevalue("osmem_url")
    return open_index("opensearch", f"contract-{uuid.uuid4().hex[:8]}", schema=SCHEMA, url=url)


@pytest.fixture()
def needs_knn(backend):
    """k-NN needs a real OpenSearch with the k-NN plugin; say so rather than pass silently."""
    if type(backend).__name__ == "OpenSearchIndex" and not REAL_OPENSEARCH:
        pytest.skip("osmem-server does not execute k-NN queries; set OPENSEARCH_URL to a real "
                    "OpenSearch 2.x/3.x with the k-NN plugin to run this against OpenSearch")


@pytest.fixture(scope="session")
def osmem_server():
    """The plugin's fixture, plus closing the server's stdout pipe, which osmem leaves open
    (a ResourceWarning that filterwarnings=error would turn into a failure)."""
    from osmem_server import OsmemError, OsmemServer

    try:
        server = OsmemServer.start(freeze=True)
    except OsmemError as error:
        pytest.skip(f"osmem-server could not start here ({error}); set OPENSEARCH_URL to test "
                    "the OpenSearch back end")
    yield server
    server.close()
    if server.process.stdout:
        server.process.stdout.close()
