"""The embedded index's keyword relevance: kept current by writes, saved with the snapshot, and
always what a full build from the same texts gives."""

import json
import math
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index import Document, open_index
from search_index import bm25 as bm25_module
from search_index.bm25 import BM25
from search_index.text import tokens
from tests.search_index.conftest import SCHEMA

WORDS = ["forklift", "driver", "drivers", "warehouse", "kitchen", "cooking", "cook", "chef",
         "cleaning", "the", "and", "of", "care", "caring", "welding", "cscs", "card", "night",
         "shift", "level", "2", "painting", "decorating", "reliable"]
QUERIES = ["forklift driver", "cooking in a kitchen", "the", "cscs card level 2",
           "caring night shifts", "welding", "unknownword forklift"]


def reference_bm25(texts: dict[str, str], query: str) -> dict[str, float]:
    """Okapi BM25 written out plainly from the texts (k1 1.2, b 0.75, IDF with +1 inside the
    log): the full build the index must always agree with."""
    counts = {i: Counter(tokens(t)) for i, t in texts.items()}
    n = len(counts)
    average = (sum(sum(c.values()) for c in counts.values()) / n) if n else 1.0
    average = average or 1.0
    scores = {}
    for i, c in counts.items():
        length = sum(c.values())
        score = 0.0
        for word in set(tokens(query)):
            tf = c.get(word, 0)
            if not tf:
                continue
            df = sum(1 for other in counts.values() if word in other)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / average))
        scores[i] = score
    return scores


def keyword_scores(index, query: str) -> dict[str, float]:
    return {h.id: h.score for h in index.search(text=query, k=1000)}


def assert_same_ranking(index, texts: dict[str, str]) -> None:
    for query in QUERIES:
        expected = {i: s for i, s in reference_bm25(texts, query).items() if s > 0}
        got = keyword_scores(index, query)
        assert got.keys() == expected.keys(), query
        for i, score in expected.items():
            assert got[i] == pytest.approx(score, rel=1e-5, abs=1e-6), (query, i)


def doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, text, {"kind": "vacancy"}, np.ones(4, dtype=np.float32))


texts_strategy = st.lists(st.sampled_from(WORDS), min_size=0, max_size=12).map(" ".join)
operations = st.lists(
    st.tuples(st.sampled_from(["upsert", "delete"]), st.integers(0, 14), texts_strategy),
    min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(start=st.dictionaries(st.integers(0, 14).map(str), texts_strategy, max_size=10),
       ops=operations)
def test_writes_keep_keyword_scores_equal_to_a_full_build(tmp_path_factory, start, ops):
    index = open_index("embedded", "prop", schema=SCHEMA,
                       path=str(tmp_path_factory.mktemp("bm25")))
    index.rebuild([doc(i, t) for i, t in start.items()])
    texts = dict(start)
    for op, number, text in ops:
        if op == "upsert":
            index.upsert([doc(str(number), text)])
            texts[str(number)] = text
        else:
            index.delete([str(number)])
            texts.pop(str(number), None)
        if number % 3 == 0:  # searches between writes: what they work out must not go stale
            index.search(text="forklift cook", k=5)
    assert_same_ranking(index, texts)
    # ... and so does the same state read back from disk (snapshot plus journal).
    reopened = open_index("embedded", "prop", schema=SCHEMA, path=str(index.root.parent))
    assert_same_ranking(reopened, texts)


def test_fold_and_saved_postings_score_as_before():
    texts = ["forklift driver nights", "chef cooking", "forklift forklift warehouse", "", None]
    incremental = BM25()
    incremental.build(texts[:2])
    incremental.set_row(2, "old text about welding")
    incremental.set_row(2, texts[2])
    incremental.set_row(3, texts[3])
    incremental.set_row(5, "gone soon")
    incremental.remove(5)
    full = BM25()
    full.build(texts)
    for query in ("forklift", "cooking chef", "welding", "gone"):
        words = set(tokens(query))
        expected = full.scores(words, 6)
        assert np.allclose(incremental.scores(words, 6), expected)
        assert incremental.ideal(words) == pytest.approx(full.ideal(words))
    incremental.fold(incremental.postings(np.arange(6)).tocsc())
    assert not incremental.recent_rows
    assert np.allclose(incremental.scores({"forklift"}, 6), full.scores({"forklift"}, 6))
    rows = np.array([0, 1, 2, 3])
    saved = BM25.from_arrays(incremental.arrays(rows), 4)
    assert np.allclose(saved.scores({"forklift"}, 4), full.scores({"forklift"}, 4)[:4])


def test_loading_a_snapshot_tokenises_nothing(tmp_path, monkeypatch):
    index = open_index("embedded", "saved", schema=SCHEMA, path=str(tmp_path))
    index.rebuild([doc("1", "Forklift driver"), doc("2", "Chef cooking for hundreds")])
    index.upsert([doc("3", "Forklift training course")])
    before = keyword_scores(index, "forklift")

    def tokenise_everything(self, texts):
        raise AssertionError("loading rebuilt the postings from the texts")

    monkeypatch.setattr(BM25, "build", tokenise_everything)
    reopened = open_index("embedded", "saved", schema=SCHEMA, path=str(tmp_path))
    assert keyword_scores(reopened, "forklift") == before


def test_a_snapshot_without_saved_postings_is_tokenised_once_on_load(tmp_path):
    """Snapshots written before postings were saved (or by another analyser) still load."""
    index = open_index("embedded", "old", schema=SCHEMA, path=str(tmp_path))
    index.rebuild([doc("1", "Forklift driver"), doc("2", "Chef cooking"),
                   doc("3", "Warehouse forklift nights")])
    before = keyword_scores(index, "forklift driver")
    version = (tmp_path / "old" / "CURRENT").read_text()
    path = tmp_path / "old" / version / "arrays.npz"
    with np.load(path) as data:
        kept = {k: data[k] for k in data.files if not k.startswith("bm25:")}
    np.savez(path, **kept)
    reopened = open_index("embedded", "old", schema=SCHEMA, path=str(tmp_path))
    assert keyword_scores(reopened, "forklift driver") == before


def test_another_analyser_means_the_saved_postings_are_not_used(tmp_path, monkeypatch):
    index = open_index("embedded", "analyser", schema=SCHEMA, path=str(tmp_path))
    index.rebuild([doc("1", "Forklift driver"), doc("2", "Chef cooking")])
    monkeypatch.setattr(bm25_module, "ANALYSER", "changed")
    with np.load(next((tmp_path / "analyser").glob("v*/arrays.npz"))) as data:
        assert BM25.from_arrays(data, 2) is None
    reopened = open_index("embedded", "analyser", schema=SCHEMA, path=str(tmp_path))
    assert [h.id for h in reopened.search(text="drivers", k=5)] == ["1"]


def test_compaction_saves_the_written_postings(tmp_path, monkeypatch):
    from search_index import embedded

    monkeypatch.setattr(embedded, "COMPACT_AFTER", 3)
    index = open_index("embedded", "compact", schema=SCHEMA, path=str(tmp_path))
    index.rebuild([doc("1", "Forklift driver")])
    texts = {"1": "Forklift driver"}
    for i in range(2, 9):
        index.upsert([doc(str(i), f"forklift welding {'cook ' * i}")])
        texts[str(i)] = f"forklift welding {'cook ' * i}"
    index.delete(["4"])
    del texts["4"]
    journal = tmp_path / "compact" / index._loaded_version / "journal.jsonl"
    assert not journal.exists() or len(journal.read_bytes().splitlines()) < 3  # compacted
    assert_same_ranking(index, texts)
    assert_same_ranking(open_index("embedded", "compact", schema=SCHEMA, path=str(tmp_path)),
                        texts)


def test_another_process_writes_are_replayed_without_reloading(tmp_path, monkeypatch):
    writer = open_index("embedded", "two", schema=SCHEMA, path=str(tmp_path))
    writer.rebuild([doc("1", "Forklift driver")])
    reader = open_index("embedded", "two", schema=SCHEMA, path=str(tmp_path))
    assert reader.count() == 1
    writer.upsert([doc("2", "Barber cutting hair")])
    monkeypatch.setattr(type(reader), "_load", lambda *a: pytest.fail("reloaded everything"))
    assert [h.id for h in reader.search(text="barber", k=5)] == ["2"]
    writer.delete(["1"])
    assert reader.search(text="forklift", k=5) == []


def test_a_reader_leaves_a_torn_tail_for_the_writer_to_cut(tmp_path):
    first = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    first.rebuild([doc("1", "Forklift driver")])
    first.upsert([doc("2", "Barber cutting hair")])
    journal = next((tmp_path / "torn").glob("v*/journal.jsonl"))
    whole = journal.read_bytes()
    # A complete JSON object without its newline is still torn: the writer died mid-line.
    torn = json.dumps({"op": "delete", "id": "1"}).encode()
    journal.write_bytes(whole + torn)
    reader = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    assert reader.count() == 2
    assert journal.read_bytes() == whole + torn  # reading never cuts: a writer may be mid-line
    reader.upsert([doc("3", "Bike mechanic")])
    assert journal.read_bytes().startswith(whole)
    assert torn not in journal.read_bytes()
    again = open_index("embedded", "torn", schema=SCHEMA, path=str(tmp_path))
    assert again.count() == 3
    assert [h.id for h in again.search(text="forklift", k=5)] == ["1"]


def test_a_bad_document_in_a_batch_writes_none_of_it(tmp_path):
    index = open_index("embedded", "batch", schema=SCHEMA, path=str(tmp_path))
    index.rebuild([doc("1", "Forklift driver")])
    bad = Document("3", "Chef", {"kind": "vacancy"}, np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="4 dimensions"):
        index.upsert([doc("2", "Barber"), bad])
    assert index.count() == 1
    assert index.search(text="barber", k=5) == []


class _CountingWords:
    """The analyser's word pattern, counting the texts it splits."""

    def __init__(self, pattern):
        self.pattern, self.texts = pattern, []

    def findall(self, text):
        self.texts.append(text)
        return self.pattern.findall(text)


@settings(max_examples=25, deadline=None)
@given(first=st.dictionaries(st.integers(0, 9).map(str), texts_strategy, max_size=8),
       second=st.dictionaries(st.integers(0, 9).map(str), texts_strategy, max_size=8),
       from_disk=st.booleans())
def test_a_rebuild_reuses_unchanged_texts_postings_and_scores_as_a_fresh_build(
        tmp_path_factory, first, second, from_disk):
    path = str(tmp_path_factory.mktemp("reuse"))
    index = open_index("embedded", "reuse", schema=SCHEMA, path=path)
    index.rebuild([doc(i, t) for i, t in first.items()])
    if from_disk:  # a process that has not loaded the index (the CLI) reads them from disk
        index = open_index("embedded", "reuse", schema=SCHEMA, path=path)
    counting = _CountingWords(bm25_module._WORD)
    original, bm25_module._WORD = bm25_module._WORD, counting
    try:
        index.rebuild([doc(i, t) for i, t in second.items()])
    finally:
        bm25_module._WORD = original
    known = set(first.values())
    assert sorted(counting.texts) == sorted(t.lower() for t in second.values()
                                            if t not in known)
    assert_same_ranking(index, second)
    assert_same_ranking(open_index("embedded", "reuse", schema=SCHEMA, path=path), second)


def test_a_new_version_from_another_process_is_loaded_without_holding_up_searches(
        tmp_path, monkeypatch):
    from search_index.embedded import EmbeddedIndex

    writer = open_index("embedded", "swap", schema=SCHEMA, path=str(tmp_path))
    writer.rebuild([doc("1", "Forklift driver")])
    reader = open_index("embedded", "swap", schema=SCHEMA, path=str(tmp_path))
    assert reader.count() == 1
    writer.rebuild([doc("1", "Forklift driver"), doc("2", "Barber cutting hair")])
    under_lock = []
    real_load = EmbeddedIndex._load

    def load(self, version):
        under_lock.append(reader._lock._is_owned())
        return real_load(self, version)

    monkeypatch.setattr(EmbeddedIndex, "_load", load)
    assert [h.id for h in reader.search(text="barber", k=5)] == ["2"]
    assert under_lock == [False]  # loaded beside the old version, then swapped in
    assert reader.count() == 2
