"""The same documents, filters and expectations for every search back end."""

import datetime as dt

import numpy as np
import pytest

from search_index import (
    DateRange,
    Document,
    Flag,
    GeoDistance,
    IndexNotBuilt,
    Terms,
)
from tests.search_index.conftest import SCHEMA

LEEDS, LONDON = (53.79, -1.55), (51.51, -0.13)
TODAY = dt.date(2026, 11, 22)


def vec(*values):
    v = np.asarray(values, dtype=np.float32)
    return v / np.linalg.norm(v)


DOCS = [
    Document("1", "Forklift driver in a busy warehouse", {
        "kind": "vacancy", "sector": "logistics", "open": True, "remote": False,
        "closing": TODAY + dt.timedelta(days=10), "location": LEEDS}, vec(1, 0, 0, 0)),
    Document("2", "Chef cooking fresh food for hundreds", {
        "kind": "vacancy", "sector": "hospitality", "open": True, "remote": False,
        "closing": TODAY + dt.timedelta(days=3), "location": LONDON}, vec(0, 1, 0, 0)),
    Document("3", "Forklift training course with a guaranteed interview", {
        "kind": "training", "sector": "logistics", "open": True, "remote": False,
        "closing": TODAY - dt.timedelta(days=1), "location": LEEDS}, vec(0.9, 0.1, 0, 0)),
    Document("4", "Web developer, work from home", {
        "kind": "vacancy", "sector": "it", "open": False, "remote": True,
        "closing": TODAY + dt.timedelta(days=30), "location": LONDON}, vec(0, 0, 1, 0)),
    Document("5", "Warehouse picking and packing, forklift an advantage", {
        "kind": ["vacancy", "placement"], "sector": "logistics", "open": True,
        "remote": False, "closing": TODAY + dt.timedelta(days=5), "location": LONDON},
        vec(0.7, 0, 0, 0.7)),
]


@pytest.fixture()
def index(backend):
    backend.rebuild(DOCS)
    return backend


def ids(hits):
    return [h.id for h in hits]


def test_never_built_index_says_so(backend):
    with pytest.raises(IndexNotBuilt):
        backend.search(text="forklift", k=5)


def test_count_and_hashes(index):
    assert index.count() == 5
    assert index.hashes()["1"] == DOCS[0].text_hash


def test_keyword_search_finds_the_expected_documents(index):
    assert set(ids(index.search(text="forklift", k=10))) == {"1", "3", "5"}


def test_keyword_search_uses_english_stemming(index):
    assert "2" in ids(index.search(text="cook", k=10))


def test_terms_filter_applies_before_ranking(index):
    hits = index.search(text="forklift", filters=[Terms("kind", ("vacancy",))], k=10)
    assert set(ids(hits)) == {"1", "5"}


def test_excluding_terms(index):
    hits = index.search(filters=[Terms("sector", ("logistics",), exclude=True)], k=10)
    assert ids(hits) == ["2", "4"]


def test_flag_and_date_filters(index):
    hits = index.search(filters=[Flag("open", True), DateRange("closing", gte=TODAY)], k=10)
    assert ids(hits) == ["1", "2", "5"]


def test_distance_filter_with_remote_exception(index):
    hits = index.search(filters=[GeoDistance("location", *LEEDS, miles=25, unless="remote")],
                        k=10)
    assert ids(hits) == ["1", "3", "4"]


def test_upsert_replaces_and_delete_removes(index):
    index.upsert([Document("2", "Chef and kitchen porter", dict(DOCS[1].fields), vec(0, 1, 0, 0))])
    assert index.hashes()["2"] != DOCS[1].text_hash
    assert "2" in ids(index.search(text="porter", k=5))
    assert index.delete(["2", "does-not-exist"]) == 1
    assert "2" not in ids(index.search(text="chef porter", k=5))
    assert index.count() == 4


def test_rebuild_swaps_in_a_fresh_index(index):
    index.rebuild(DOCS[:2])
    assert index.count() == 2
    assert index.stats()["built"]


def test_unknown_filter_field_is_a_clear_error(index):
    with pytest.raises(ValueError, match="Unknown filter field 'colour'"):
        index.search(filters=[Flag("colour", True)], k=5)


@pytest.mark.parametrize("k", [0, 1001])
def test_k_out_of_bounds(index, k):
    with pytest.raises(ValueError, match="k must be between"):
        index.search(text="forklift", k=k)


def test_very_long_query_is_refused(index):
    with pytest.raises(ValueError, match="1000 characters"):
        index.search(text="forklift " * 200, k=5)


def test_unknown_keyword_value_matches_nothing(index):
    assert index.search(filters=[Terms("kind", ("spaceship",))], k=5) == []


def test_unknown_document_field_is_refused(backend):
    with pytest.raises(ValueError, match="unknown fields"):
        backend.rebuild([Document("x", "text", {"colour": "red"})])


# --- semantic and hybrid: need k-NN ----------------------------------------------------------
def test_semantic_search_ranks_nearest_first(index, needs_knn):
    hits = index.search(vector=vec(1, 0, 0, 0), k=3)
    assert ids(hits)[:2] == ["1", "3"]
    assert hits[0].parts["semantic"] == pytest.approx(1.0, abs=1e-3)


def test_semantic_search_honours_filters(index, needs_knn):
    hits = index.search(vector=vec(1, 0, 0, 0), filters=[Terms("sector", ("hospitality",))],
                        k=3)
    assert ids(hits) == ["2"]


def test_hybrid_search_combines_meaning_and_words(index, needs_knn):
    hits = index.search(vector=vec(0, 0, 0, 1), text="forklift", k=5)
    assert ids(hits)[0] == "5"


def test_wrong_vector_size_is_refused(index):
    with pytest.raises(ValueError, match="4 dimensions"):
        index.search(vector=np.ones(3), k=5)


def test_schema_dimension_is_the_contract():
    assert SCHEMA.dim == 4


def test_a_crash_during_rebuild_leaves_the_previous_index_answering(index):
    def failing():
        yield DOCS[0]
        raise RuntimeError("the machine fell over")

    with pytest.raises(RuntimeError):
        index.rebuild(failing())
    assert index.count() == 5
    assert set(ids(index.search(text="forklift", k=10))) == {"1", "3", "5"}


def test_embedded_index_survives_a_torn_journal_line(tmp_path):
    from search_index import open_index

    first = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    first.rebuild(DOCS)
    first.upsert([Document("6", "Barber cutting hair", {"kind": "vacancy"})])
    journal = next((tmp_path / "torn").glob("v*/journal.jsonl"))
    with journal.open("ab") as f:
        f.write(b'{"op": "upsert", "id": "7", "text": "half wri')
    reopened = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    assert reopened.count() == 6
    assert ids(reopened.search(text="barber", k=5)) == ["6"]
    reopened.upsert([Document("8", "Bike mechanic", {"kind": "vacancy"})])
    again = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    assert again.count() == 7


def test_stored_vector_comes_back_with_its_text_hash(index):
    vector, text_hash = index.stored("5")
    assert text_hash == DOCS[4].text_hash
    assert np.allclose(vector, DOCS[4].vector, atol=1e-5)
    assert index.stored("does-not-exist") is None
    index.upsert([Document("9", "No vector yet", {"kind": "vacancy"})])
    assert index.stored("9") is None
