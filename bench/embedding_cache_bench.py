"""How long the embedding cache takes to write during a cold rebuild, and to load for a warm
one: the append-only files (marketplace/matching/engine.py EmbeddingCache) against the old
format, one .npz rewritten whole after every batch (the baseline, kept here).

    .venv/bin/python bench/embedding_cache_bench.py [--documents 20000]

Random unit vectors of the real model's size (384) in the rebuild's batches (BATCH): this times
the cache alone, not the model. Prints seconds for each format.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from marketplace.matching.engine import BATCH, EmbeddingCache  # noqa: E402

DIM = 384


def _npz_rebuild(directory: Path, vectors: np.ndarray) -> float:
    """The old format: every batch rewrites the whole file (quadratic in the corpus)."""
    path, keys, started = directory / "old.npz", [], time.perf_counter()
    for start in range(0, len(vectors), BATCH):
        keys.extend(f"h{i}" for i in range(start, min(start + BATCH, len(vectors))))
        temporary = directory / "old.tmp.npz"
        np.savez(temporary, keys=json.dumps(keys), vectors=vectors[:len(keys)])
        os.replace(temporary, path)
    return time.perf_counter() - started


def _append_rebuild(directory: Path, vectors: np.ndarray) -> float:
    cache, started = EmbeddingCache(directory, "bench"), time.perf_counter()
    for start in range(0, len(vectors), BATCH):
        for i in range(start, min(start + BATCH, len(vectors))):
            cache.vectors[f"h{i}"] = vectors[i]
        cache.save()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    n = parser.parse_args().documents
    vectors = np.random.default_rng(0).standard_normal((n, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        old = _npz_rebuild(directory, vectors)
        new = _append_rebuild(directory, vectors)
        started = time.perf_counter()
        loaded = EmbeddingCache(directory, "bench")
        load = time.perf_counter() - started
        assert len(loaded.vectors) == n
    print(f"{n:,} documents, {DIM} dimensions, batches of {BATCH}")
    print(f"cache writes during a cold rebuild: {old:7.2f} s rewriting one .npz (baseline)")
    print(f"                                    {new:7.2f} s appending ({old / new:.0f}x less)")
    print(f"loading the cache for a warm rebuild: {load:.2f} s")


if __name__ == "__main__":
    main()
