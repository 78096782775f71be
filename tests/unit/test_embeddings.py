import numpy as np
import pytest

from marketplace.matching.embeddings import Embedder, text_hash

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


def test_real_model_gives_unit_384_dimension_vectors(embedder):
    vectors = embedder.encode(["forklift driver", "chef"])
    assert vectors.shape == (2, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)


def test_similar_texts_are_closer_than_different_ones(embedder):
    forklift, truck, cook = embedder.encode(
        ["Forklift driver in a warehouse", "Fork lift truck operator", "Cooking in a kitchen"])
    assert forklift @ truck > forklift @ cook + 0.2


def test_batches_give_the_same_vectors_as_one_at_a_time(embedder):
    texts = [f"warehouse job number {i}" for i in range(5)]
    small = Embedder(batch_size=2)
    small._model = embedder.model
    assert np.allclose(small.encode(texts), embedder.encode(texts), atol=1e-5)


def test_no_texts_no_work(embedder):
    assert embedder.encode([]).shape == (0, 384)


def test_text_hash_is_stable_and_changes_with_the_text():
    assert text_hash("forklift") == text_hash("forklift")
    assert text_hash("forklift") != text_hash("forklift ")
