"""Search and embedding benchmark. Prints figures against a baseline and the targets.

    .venv/bin/python bench/search_bench.py            # 100,000 candidates, 20,000 roles
    .venv/bin/python bench/search_bench.py --docs 20000 --skip-embedding

Latency uses random unit vectors (the index does not care where vectors come from);
throughput uses real embeddings of generated profile text with the real model.
"""

import argparse
import datetime as dt
import gc
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace.matching.documents import CANDIDATE_SCHEMA, OPPORTUNITY_SCHEMA  # noqa: E402
from search_index import DateRange, Document, Flag, GeoDistance, Terms, open_index  # noqa: E402

DIM = 384
TODAY = dt.date(2026, 11, 22)
WORDS = [
    "forklift",
    "warehouse",
    "picking",
    "packing",
    "stock",
    "control",
    "kitchen",
    "cooking",
    "chef",
    "cleaning",
    "painting",
    "decorating",
    "bricklaying",
    "plastering",
    "barbering",
    "customer",
    "service",
    "retail",
    "driving",
    "delivery",
    "welding",
    "fabrication",
    "assembly",
    "gardening",
    "care",
    "support",
    "admin",
    "data",
    "entry",
    "coding",
    "recycling",
    "laundry",
    "reliable",
    "teamwork",
]
REGIONS = [
    "North West",
    "London",
    "Yorkshire and The Humber",
    "West Midlands",
    "South East",
    "North East",
    "East Midlands",
    "South West",
    "Wales",
    "East of England",
]
SECTORS = [
    s
    for s in (
        "logistics_warehousing",
        "construction",
        "hospitality_catering",
        "retail",
        "facilities_cleaning",
        "manufacturing_engineering",
    )
]


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def unit_vectors(rng: np.random.Generator, n: int) -> np.ndarray:
    v = rng.standard_normal((n, DIM), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))


def candidate_docs(n: int, seed: int = 1):
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    vectors = unit_vectors(nrng, n)
    for i in range(n):
        yield Document(
            id=str(i),
            text=text(rng),
            vector=vectors[i],
            fields={
                "status": rng.choice(["in_custody", "on_licence", "released"]),
                "region": rng.choice(REGIONS),
                "sectors": rng.sample(SECTORS, 2),
                "visible": rng.random() < 0.9,
                "right_to_work": rng.random() < 0.95,
                "rotl_eligible": rng.random() < 0.3,
                "location": (rng.uniform(50.5, 55.0), rng.uniform(-4.5, 1.5)),
            },
        )


def opportunity_docs(n: int, seed: int = 2):
    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    vectors = unit_vectors(nrng, n)
    for i in range(n):
        yield Document(
            id=str(i),
            text=text(rng),
            vector=vectors[i],
            fields={
                "kind": rng.choice(["vacancy", "work_placement", "training_programme"]),
                "sector": rng.choice(SECTORS),
                "region": rng.choice(REGIONS),
                "district": f"D{rng.randint(1, 2000)}",
                "open": rng.random() < 0.8,
                "closing": TODAY + dt.timedelta(days=rng.randint(-30, 60)),
                "guaranteed_interview": rng.random() < 0.3,
                "bond_backed": rng.random() < 0.2,
                "accepts_in_custody": rng.random() < 0.2,
                "accepts_rotl": rng.random() < 0.3,
                "remote": rng.random() < 0.05,
                "national": rng.random() < 0.05,
                "location": (rng.uniform(50.5, 55.0), rng.uniform(-4.5, 1.5)),
            },
        )


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples_ms)
    pick = lambda p: ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]  # noqa: E731
    return pick(50), pick(95), pick(99)


def timed(queries, run) -> tuple[float, float, float]:
    """p50, p95 and p99 in milliseconds of `run(query)` over the queries."""
    samples = []
    for q in queries:
        started = time.perf_counter()
        run(q)
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def naive_search(docs: list[Document], query: np.ndarray, k: int) -> list[str]:
    """The baseline: a Python loop that checks and scores every row."""
    scored = []
    for d in docs:
        f = d.fields
        if not (f["visible"] and f["right_to_work"]):
            continue
        lat, lon = f["location"]
        if abs(lat - 53.8) > 1.0:
            continue
        scored.append((float(np.dot(d.vector, query)), d.id))
    scored.sort(reverse=True)
    return [doc_id for _, doc_id in scored[:k]]


def bench_latency(n_candidates: int, n_opportunities: int, queries: int, naive_queries: int):
    rows = []
    workdir = tempfile.mkdtemp(prefix="fcm-bench-")
    gc.collect()
    started = time.perf_counter()
    candidates = open_index("embedded", "candidates", schema=CANDIDATE_SCHEMA, path=workdir)
    candidates.rebuild(candidate_docs(n_candidates))
    build_s = time.perf_counter() - started
    fresh = open_index("embedded", "candidates", schema=CANDIDATE_SCHEMA, path=workdir)
    gc.collect()
    before_load = rss_bytes()
    fresh.count()  # loads from disk
    gc.collect()
    index_rss = rss_bytes() - before_load
    raw = n_candidates * DIM * 4
    del candidates
    gc.collect()

    rng = np.random.default_rng(7)
    qs = unit_vectors(rng, queries)
    filters = [
        Flag("visible", True),
        Flag("right_to_work", True),
        GeoDistance("location", 53.8, -1.55, 60),
    ]
    fresh.search(vector=qs[0], filters=filters, k=20)  # warm
    p50, p95, p99 = timed(qs, lambda q: fresh.search(vector=q, filters=filters, k=20))
    matrix = fresh.vectors[:n_candidates]
    b50, b95, b99 = timed(qs, lambda q: matrix @ q)
    docs = list(candidate_docs(n_candidates))
    n50, n95, n99 = timed(qs[:naive_queries], lambda q: naive_search(docs, q, 20))
    fresh.search(vector=qs[0], text="warm", filters=filters, k=20)  # builds the BM25 matrix once
    h50, h95, h99 = timed(qs[: max(20, queries // 5)], lambda q: fresh.search(
        vector=q, text="forklift warehouse", filters=filters, k=20))

    opportunities = open_index("embedded", "opportunities", schema=OPPORTUNITY_SCHEMA, path=workdir)
    opportunities.rebuild(opportunity_docs(n_opportunities))
    opp_filters = [
        Flag("open", True),
        DateRange("closing", gte=TODAY),
        Terms("kind", ("vacancy", "work_placement")),
        GeoDistance("location", 53.8, -1.55, 25, unless="national"),
    ]
    o50, o95, o99 = timed(qs, lambda q: opportunities.search(vector=q, filters=opp_filters, k=20))

    rows += [
        ("build", f"{n_candidates:,} candidate docs indexed", f"{build_s:.1f} s", "", ""),
        (
            "latency",
            f"filtered top-20, embedded, {n_candidates:,} docs (ms p50/p95/p99)",
            f"{p50:.1f} / {p95:.1f} / {p99:.1f}",
            "p95 <= 25 ms",
            _ok(p95 <= 25),
        ),
        (
            "latency",
            "bare NumPy matrix-vector, same matrix (lower bound)",
            f"{b50:.1f} / {b95:.1f} / {b99:.1f}",
            "",
            "",
        ),
        (
            "latency",
            "embedded p95 / bare NumPy p95",
            f"{p95 / b95:.1f}x",
            "<= 3x",
            _ok(p95 / b95 <= 3),
        ),
        (
            "latency",
            f"naive Python loop baseline ({naive_queries} queries)",
            f"{n50:.0f} / {n95:.0f} / {n99:.0f}",
            "",
            f"{n50 / p50:.0f}x slower",
        ),
        (
            "latency",
            "hybrid (vector + BM25 'forklift warehouse'), filtered top-20",
            f"{h50:.1f} / {h95:.1f} / {h99:.1f}",
            "",
            "",
        ),
        (
            "latency",
            f"opportunities, {n_opportunities:,} docs, 4 filters, top-20",
            f"{o50:.1f} / {o95:.1f} / {o99:.1f}",
            "",
            "",
        ),
        (
            "memory",
            "index resident memory / raw vector bytes",
            f"{index_rss / 2**20:.0f} MiB / {raw / 2**20:.0f} MiB = {index_rss / raw:.2f}x",
            "<= 1.5x",
            _ok(index_rss <= 1.5 * raw),
        ),
    ]
    return rows


def bench_embedding(n_texts: int):
    from marketplace.matching.embeddings import Embedder
    from marketplace.matching.engine import Search

    rng = random.Random(3)
    texts = [text(rng) for _ in range(n_texts)]
    embedder = Embedder()
    embedder.encode(texts[:64])  # load and warm the model
    search = Search()
    search._embedders[""] = embedder
    docs = [Document(id=str(i), text=t, fields={}) for i, t in enumerate(texts)]

    t = time.perf_counter()
    embedder.model.encode(
        texts,
        batch_size=64,
        convert_to_numpy=True,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    bare = n_texts / (time.perf_counter() - t)
    from flask import Flask

    app = Flask(__name__)
    app.config.update(EMBEDDING_MODEL=None)
    with app.app_context():
        t = time.perf_counter()
        search._with_vectors(docs)
        pipeline = n_texts / (time.perf_counter() - t)
    return [
        ("embedding", f"bare model.encode, {n_texts:,} texts", f"{bare:.0f} texts/s", "", ""),
        (
            "embedding",
            "pipeline (documents, batches, index-ready vectors)",
            f"{pipeline:.0f} texts/s",
            ">= 80% of bare",
            _ok(pipeline >= 0.8 * bare),
        ),
    ]


def _ok(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=100_000, help="candidate documents")
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--naive-queries", type=int, default=5)
    parser.add_argument("--texts", type=int, default=2000, help="texts to embed")
    parser.add_argument("--skip-embedding", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(f"Machine: {os.cpu_count()} CPUs, numpy {np.__version__}")
    rows = bench_latency(args.docs, args.opportunities, args.queries, args.naive_queries)
    if not args.skip_embedding:
        rows += bench_embedding(args.texts)
    width = max(len(r[1]) for r in rows)
    print(f"{'':10} {'measure':<{width}}  {'result':<28} {'target':<16} verdict")
    for area, measure, result, target, verdict in rows:
        print(f"{area:10} {measure:<{width}}  {result:<28} {target:<16} {verdict}")


if __name__ == "__main__":
    main()
