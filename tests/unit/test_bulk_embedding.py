"""Bulk embedding (a rebuild, an import of many) runs torch on every core, even in a serving
worker that keeps torch to one thread (gunicorn.conf.py); a request's own save leaves the
worker's setting alone, and the setting comes back afterwards."""

import os

import numpy as np
import pytest
import torch

from marketplace.matching.engine import BULK, EmbeddingCache, Search
from search_index import Document

CORES = len(os.sched_getaffinity(0))


@pytest.fixture()
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _recording_search(seen: list[int]) -> Search:
    search = Search()

    def embed(texts):
        seen.append(torch.get_num_threads())
        return np.ones((len(texts), 4), dtype=np.float32)

    search.embed = embed
    return search


@pytest.mark.skipif(CORES < 2, reason="one core: every setting is the same, nothing to tell")
def test_a_rebuild_embeds_on_every_core_and_gives_the_worker_its_one_thread_back(
        tmp_path, one_thread):
    seen: list[int] = []
    search = _recording_search(seen)
    documents = [Document(str(i), f"forklift driver {i}", {}) for i in range(3)]
    search._with_vectors(documents, EmbeddingCache(tmp_path, "model"))
    assert seen == [CORES]
    assert torch.get_num_threads() == 1


@pytest.mark.skipif(CORES < 2, reason="one core: every setting is the same, nothing to tell")
def test_a_bulk_import_gets_every_core_and_one_save_does_not(one_thread):
    seen: list[int] = []
    search = _recording_search(seen)
    search._with_vectors([Document("1", "one person's save", {})])
    search._with_vectors([Document(str(i), f"imported role {i}", {}) for i in range(BULK)])
    assert seen == [1, CORES]
    assert torch.get_num_threads() == 1


def test_a_warm_rebuild_embeds_nothing_and_changes_no_setting(tmp_path, one_thread):
    cache = EmbeddingCache(tmp_path, "model")
    cache.vectors[Document("1", "cached", {}).text_hash] = np.ones(4, dtype=np.float32)
    seen: list[int] = []
    documents = [Document("1", "cached", {})]
    _recording_search(seen)._with_vectors(documents, cache)
    assert seen == []
    assert documents[0].vector is not None
    assert torch.get_num_threads() == 1
