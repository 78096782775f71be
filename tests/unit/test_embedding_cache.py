"""The embedding cache on disk: append-only, survives a crash at any point of a save, and
reads the old single-file format once."""

import json

import numpy as np

from marketplace.matching.engine import EmbeddingCache

MODEL = "test-model"


def _vector(seed: int, dim: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).random(dim, dtype=np.float32)


def test_vectors_come_back_after_a_save(tmp_path):
    cache = EmbeddingCache(tmp_path, MODEL)
    for i in range(3):
        cache.vectors[f"h{i}"] = _vector(i)
    cache.save()
    again = EmbeddingCache(tmp_path, MODEL)
    assert list(again.vectors) == ["h0", "h1", "h2"]
    for i in range(3):
        np.testing.assert_array_equal(again.vectors[f"h{i}"], _vector(i))


def test_a_save_appends_only_what_was_added(tmp_path):
    cache = EmbeddingCache(tmp_path, MODEL)
    cache.vectors["a"] = _vector(1)
    cache.save()
    before_keys, before_data = cache.keys_path.read_bytes(), cache.data_path.read_bytes()
    cache.vectors["a"] = _vector(1)  # already there: nothing new
    cache.save()
    assert cache.data_path.read_bytes() == before_data
    cache.vectors["b"] = _vector(2)
    cache.save()
    assert cache.keys_path.read_bytes() == before_keys + b"b\n"
    assert cache.data_path.read_bytes() == before_data + _vector(2).tobytes()


def test_a_torn_save_is_cut_back_to_whole_entries(tmp_path):
    cache = EmbeddingCache(tmp_path, MODEL)
    cache.vectors["a"] = _vector(1)
    cache.save()
    with open(cache.data_path, "ab") as data:  # a crash: one and a half rows written...
        data.write(_vector(2).tobytes() + _vector(3).tobytes()[:10])
    with open(cache.keys_path, "ab") as keys:  # ...and half a key
        keys.write(b"b")
    again = EmbeddingCache(tmp_path, MODEL)
    assert list(again.vectors) == ["a"]
    assert again.data_path.stat().st_size == 8 * 4
    again.vectors["c"] = _vector(3)
    again.save()
    assert list(EmbeddingCache(tmp_path, MODEL).vectors) == ["a", "c"]


def test_the_old_single_file_cache_is_read_once_and_replaced(tmp_path):
    probe = EmbeddingCache(tmp_path, MODEL)
    legacy = probe.keys_path.with_suffix(".npz")
    np.savez(legacy, keys=json.dumps(["x", "y"]), vectors=np.stack([_vector(1), _vector(2)]))
    cache = EmbeddingCache(tmp_path, MODEL)
    assert list(cache.vectors) == ["x", "y"] and not legacy.exists()
    np.testing.assert_array_equal(EmbeddingCache(tmp_path, MODEL).vectors["y"], _vector(2))


def test_a_keys_file_without_its_header_is_started_again(tmp_path):
    cache = EmbeddingCache(tmp_path, MODEL)
    cache.keys_path.write_text("")
    assert EmbeddingCache(tmp_path, MODEL).vectors == {}
