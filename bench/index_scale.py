"""The embedded search index at 100,000 people (issue 15): rebuilds, start-up, keyword search
and writes, at 20,000 opportunities and 100,000 candidates.

    .venv/bin/python bench/index_scale.py                       # this checkout
    .venv/bin/python bench/index_scale.py --code /tmp/wt_index  # another checkout (the baseline)
    .venv/bin/python bench/index_scale.py --candidates 20000 --opportunities 4000 --skip-model
    .venv/bin/python bench/index_scale.py --only-model --database postgresql://…/fcm_scale
        # Search.rebuild itself on a database loaded by `flask demo --scale 100000`

Documents are generated, not read from a database: texts are built from the demo's own pieces
(headlines, skill phrases, qualifications, work history) and ESCO occupations' labels and
descriptions (bench/data), so the vocabulary and lengths are realistic; vectors are random unit
vectors (a stubbed model) except in the "real model" measure. The database query a real
`flask index rebuild` starts with is not timed here. Each measure runs in a fresh process (so
"first search after start" is really the first, and peak memory is that measure's own).

Measures:
- cold rebuild, stubbed model: the embedding pipeline (EmbeddingCache, batches, the index
  build) with an instant model, so what is printed beside the stub's own time is overhead;
- warm rebuild: every vector reused from the cache;
- real model: the pipeline's cold rebuild of --model-texts texts against bare `model.encode`;
- start: loading the snapshot, the first keyword search after start, keyword and hybrid
  search p50/p95, one-document writes, the first keyword search after a write, and searches
  while another thread writes.
"""

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIM = 384
QUERIES = ["forklift driver", "kitchen porter cooking", "warehouse picking packing",
           "cscs card labouring", "care assistant", "painting and decorating",
           "customer service retail", "welding fabrication", "data entry admin",
           "bricklaying course", "delivery driver licence", "barbering",
           "cleaning supervisor", "software developer", "gardening grounds maintenance"]


def _import_path(code: str | None) -> None:
    sys.path.insert(0, str(Path(code).resolve() if code else HERE.parent))


# --- documents ------------------------------------------------------------------------------
def _texts(kind: str, n: int, seed: int) -> list[str]:
    from marketplace import demo_content as demo

    occupations = json.loads(gzip.decompress((HERE / "data" / "esco_occupations.json.gz")
                                             .read_bytes()))
    rng = random.Random(seed)
    jobs = [job for sector in demo.JOBS.values() for job in sector]
    out = []
    for _ in range(n):
        occupation = rng.choice(occupations)
        if kind == "opportunities":
            title, skills, description, wanted, _codes = rng.choice(jobs)
            if rng.random() < 0.7:  # most roles in the wider economy, some from the demo
                title = occupation["title"].capitalize()
                description = " ".join(occupation["description"].split()[:rng.randint(20, 70)])
            out.append("\n".join(p for p in (title, skills, description, wanted, title) if p))
        else:
            headline = rng.choice(demo.HEADLINES) if rng.random() < 0.5 else \
                f"Looking for work as a {rng.choice([occupation['title'], *occupation['alt']])}"
            skills = ", ".join(rng.sample(demo.SKILL_PHRASES, rng.randint(2, 6)))
            quals = "; ".join(q for q, _ in rng.sample(demo.QUALIFICATIONS, rng.randint(0, 3)))
            history = "; ".join(f"{role}{' (in prison)' if inside else ''}: {what}"
                                for role, inside, what in
                                rng.sample(demo.WORK_HISTORY, rng.randint(0, 3)))
            summary = " ".join(occupation["description"].split()[:rng.randint(0, 30)])
            out.append("\n".join(p for p in (headline, skills, summary, quals, history) if p))
    return out


def documents(kind: str, n: int) -> list:
    import datetime as dt

    from search_index import Document

    rng = random.Random(7 if kind == "candidates" else 8)
    regions = ["London", "North West", "Yorkshire and The Humber", "West Midlands",
               "South East", "North East", "East Midlands", "South West", "Wales"]
    sectors = ["logistics_warehousing", "construction", "hospitality_catering", "retail",
               "facilities_cleaning", "manufacturing_engineering"]
    docs = []
    for i, text in enumerate(_texts(kind, n, 1 if kind == "candidates" else 2)):
        where = (rng.uniform(50.5, 55.0), rng.uniform(-4.5, 1.5))
        if kind == "candidates":
            fields = {"status": rng.choice(["in_custody", "on_licence", "released"]),
                      "region": rng.choice(regions), "sectors": rng.sample(sectors, 2),
                      "visible": rng.random() < 0.9, "right_to_work": rng.random() < 0.95,
                      "rotl_eligible": rng.random() < 0.3, "location": where}
        else:
            fields = {"kind": rng.choice(["vacancy", "work_placement", "training_programme"]),
                      "sector": rng.choice(sectors), "region": rng.choice(regions),
                      "district": f"D{rng.randint(1, 2000)}", "open": rng.random() < 0.8,
                      "closing": dt.date(2026, 11, 22) + dt.timedelta(days=rng.randint(-30, 60)),
                      "guaranteed_interview": rng.random() < 0.3,
                      "bond_backed": rng.random() < 0.2, "accepts_in_custody": rng.random() < 0.2,
                      "accepts_rotl": rng.random() < 0.3, "remote": rng.random() < 0.05,
                      "national": rng.random() < 0.05, "location": where}
        docs.append(Document(id=str(i + 1), text=text, fields=fields))
    return docs


def stub_embed(texts: list[str]):
    """An instant model: a unit vector seeded by the text, so a text always gets the same one."""
    import numpy as np

    seed = int.from_bytes(hashlib.sha256("".join(texts[:1]).encode()).digest()[:8], "little")
    vectors = np.random.default_rng(seed).standard_normal((len(texts), DIM), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _schemas():
    from marketplace.matching.documents import CANDIDATE_SCHEMA, OPPORTUNITY_SCHEMA

    return {"opportunities": OPPORTUNITY_SCHEMA, "candidates": CANDIDATE_SCHEMA}


def _rebuild(folder: Path, sizes: dict[str, int], embed) -> dict:
    """What Search.rebuild does after reading the database: cache, embed what is missing,
    rebuild each index. Returns seconds (total, and inside the model)."""
    from marketplace.matching.engine import EmbeddingCache, Search
    from search_index import open_index

    docs = {name: documents(name, n) for name, n in sizes.items()}
    in_model = [0.0]

    def timed_embed(texts):
        started = time.perf_counter()
        try:
            return embed(texts)
        finally:
            in_model[0] += time.perf_counter() - started

    search = Search()
    search.embed = timed_embed
    with contextlib.suppress(ImportError):  # a real model would have imported it already
        import torch  # noqa: F401
    started = time.perf_counter()
    cache = EmbeddingCache(folder / "search", "bench-model")
    for name, schema in _schemas().items():
        search._with_vectors(docs[name], cache)
        open_index("embedded", name, schema=schema, path=str(folder / "search")).rebuild(
            docs[name])
    return {"seconds": time.perf_counter() - started, "model_seconds": in_model[0],
            "documents": sum(sizes.values())}


# --- measures, each in its own process -------------------------------------------------------
def measure_cold(folder: Path, sizes: dict[str, int]) -> dict:
    return _rebuild(folder, sizes, stub_embed)


def measure_warm(folder: Path, sizes: dict[str, int]) -> dict:
    def refuse(texts):
        raise AssertionError(f"a warm rebuild embedded {len(texts)} texts")

    return _rebuild(folder, sizes, refuse)


def measure_model(folder: Path, n: int) -> dict:
    """Bare model.encode against the pipeline on the same texts, in alternating rounds of 250
    (a busy machine's slow and quick spells then fall on both alike)."""
    import torch

    from marketplace.matching.embeddings import Embedder
    from marketplace.matching.engine import EmbeddingCache, Search
    from search_index import Document

    texts = _texts("candidates", n // 2, 11) + _texts("opportunities", n - n // 2, 12)
    random.Random(5).shuffle(texts)
    embedder = Embedder()
    embedder.model  # noqa: B018  (loading is not what is timed)
    search = Search()
    search.embed = embedder.encode
    cache = EmbeddingCache(folder / "model-cache", "real")
    bare = pipeline = 0.0
    for round_number, start in enumerate(range(0, n, 250)):
        chunk = texts[start:start + 250]
        docs = [Document(id=str(start + i), text=t, fields={}) for i, t in enumerate(chunk)]

        def run_bare(chunk=chunk):
            embedder.model.encode(chunk, batch_size=embedder.batch_size, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)

        def run_pipeline(docs=docs):
            search._with_vectors(docs, cache)

        order = (run_bare, run_pipeline) if round_number % 2 == 0 else (run_pipeline, run_bare)
        for run in order:
            started = time.perf_counter()
            run()
            took = time.perf_counter() - started
            if run is run_bare:
                bare += took
            else:
                pipeline += took
    return {"texts": n, "bare_seconds": bare, "pipeline_seconds": pipeline,
            "torch_threads": torch.get_num_threads()}


def measure_app(folder: Path, database: str, cold: bool) -> dict:
    """`Search.rebuild` itself on a database loaded by `flask demo --scale N`: reading every
    row, building documents, the cache and both indices; cold with the instant model (the
    cache starts empty), warm with every vector cached by the cold run."""
    os.environ.update(DATABASE_URL=database, INSTANCE_DIR=str(folder / "app"),
                      PRELOAD_MODEL="0")
    from marketplace import create_app

    app = create_app()
    with app.app_context():
        search = app.extensions["search"]
        if cold:
            search.embed = stub_embed
        else:
            def refuse(texts):
                raise AssertionError(f"a warm rebuild embedded {len(texts)} texts")

            search.embed = refuse
        started = time.perf_counter()
        result = search.rebuild()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "documents": sum(result[n]["documents"] for n in
                                                 ("opportunities", "candidates"))}


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    pick = lambda p: ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]  # noqa: E731
    return {"p50": pick(50) * 1000, "p95": pick(95) * 1000, "max": ordered[-1] * 1000,
            "n": len(ordered)}


def measure_start(folder: Path, sizes: dict[str, int], rounds: int, busy_seconds: float
                  ) -> dict:
    import numpy as np

    from search_index import Document, open_index

    schema = _schemas()["candidates"]
    index = open_index("embedded", "candidates", schema=schema, path=str(folder / "search"))
    out = {}
    started = time.perf_counter()
    index.count()
    out["load_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    index.search(text="forklift driver", k=20)
    out["first_keyword_seconds"] = time.perf_counter() - started
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((200, DIM), dtype=np.float32)
    keyword, hybrid = [], []
    for i in range(200):
        q = QUERIES[i % len(QUERIES)]
        started = time.perf_counter()
        index.search(text=q, k=20)
        keyword.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.search(vector=vectors[i], text=q, k=20)
        hybrid.append(time.perf_counter() - started)
    out["keyword"], out["hybrid"] = _ms(keyword), _ms(hybrid)
    template = documents("candidates", 50)
    writes, after_write = [], []
    for r in range(rounds):
        doc = template[r % len(template)]
        doc = Document(id=f"w{r}", text=doc.text + f" extra{r}", fields=doc.fields,
                       vector=vectors[r])
        started = time.perf_counter()
        index.upsert([doc])
        writes.append(time.perf_counter() - started)
        started = time.perf_counter()
        index.search(text=QUERIES[r % len(QUERIES)], k=20)
        after_write.append(time.perf_counter() - started)
    out["write"], out["keyword_after_write"] = _ms(writes), _ms(after_write)

    # Searches while another thread writes one document after another.
    stop, written = threading.Event(), [0]

    def writer():
        i = 0
        while not stop.is_set():
            doc = template[i % len(template)]
            index.upsert([Document(id=f"busy{i}", text=doc.text, fields=doc.fields,
                                   vector=vectors[i % 200])])
            written[0] += 1
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    during, deadline = [], time.perf_counter() + busy_seconds
    i = 0
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        index.search(vector=vectors[i % 200], text=QUERIES[i % len(QUERIES)], k=20)
        during.append(time.perf_counter() - started)
        i += 1
    stop.set()
    thread.join()
    out["hybrid_during_writes"] = _ms(during)
    out["writes_during"] = written[0]
    return out


def _child(args) -> None:
    _import_path(args.code)
    folder = Path(args.folder)
    sizes = {"opportunities": args.opportunities, "candidates": args.candidates}
    if args.measure == "cold":
        result = measure_cold(folder, sizes)
    elif args.measure == "warm":
        result = measure_warm(folder, sizes)
    elif args.measure in ("app-cold", "app-warm"):
        result = measure_app(folder, args.database, args.measure == "app-cold")
    elif args.measure == "model":
        result = measure_model(folder, args.model_texts)
    else:
        result = measure_start(folder, sizes, args.rounds, args.busy_seconds)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def _run(args, measure: str, folder: str) -> dict:
    command = [sys.executable, __file__, "--child", measure, "--folder", folder,
               "--candidates", str(args.candidates), "--opportunities", str(args.opportunities),
               "--model-texts", str(args.model_texts), "--rounds", str(args.rounds),
               "--busy-seconds", str(args.busy_seconds)]
    if args.code:
        command += ["--code", args.code]
    if args.database:
        command += ["--database", args.database]
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"{measure} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1].removeprefix("RESULT "))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=20_000)
    parser.add_argument("--model-texts", type=int, default=2_000,
                        help="texts embedded with the real model for the cold-rebuild ratio")
    parser.add_argument("--skip-model", action="store_true")
    parser.add_argument("--only-model", action="store_true")
    parser.add_argument("--rounds", type=int, default=5,
                        help="one-document writes, each followed by a keyword search")
    parser.add_argument("--busy-seconds", type=float, default=20.0,
                        help="how long searches run while another thread writes")
    parser.add_argument("--code", help="the checkout to measure (default: this one)")
    parser.add_argument("--database", help="also time `flask index rebuild`'s own code on this "
                        "database, loaded by `flask demo --scale N` (cold with the instant "
                        "model, then warm)")
    parser.add_argument("--child", dest="measure", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        _child(args)
        return
    total = args.candidates + args.opportunities
    print(f"code: {args.code or HERE.parent}; {args.opportunities:,} opportunities + "
          f"{args.candidates:,} candidates (generated texts, random unit vectors)")
    print("load average at start:", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="index-scale-") as folder:
        if not args.only_model:
            _index_measures(args, folder, total)
        if args.database:
            for measure in ("app-cold", "app-warm"):
                app = _run(args, measure, folder)
                print(f"Search.rebuild on the database ({measure[4:]}), "
                      f"{app['documents']:,} docs: {app['seconds']:.1f} s; "
                      f"peak {app['peak_rss_mib']:.0f} MiB")
        if not args.skip_model:
            model = _run(args, "model", folder)
            print(f"real model, {model['texts']:,} texts, {model['torch_threads']} torch "
                  f"threads: bare model.encode {model['bare_seconds']:.1f} s, cold pipeline "
                  f"{model['pipeline_seconds']:.1f} s "
                  f"({model['pipeline_seconds'] / model['bare_seconds']:.2f}x)")
    print("load average at end:", " ".join(f"{x:.2f}" for x in os.getloadavg()))


def _index_measures(args, folder: str, total: int) -> None:
    cold = _run(args, "cold", folder)
    print(f"cold rebuild, stubbed model, {total:,} docs: {cold['seconds']:.1f} s "
          f"({cold['model_seconds']:.1f} s in the stub, overhead "
          f"{cold['seconds'] - cold['model_seconds']:.1f} s); peak {cold['peak_rss_mib']:.0f} MiB")
    warm = _run(args, "warm", folder)
    print(f"warm rebuild, every vector cached, {total:,} docs: {warm['seconds']:.1f} s; "
          f"peak {warm['peak_rss_mib']:.0f} MiB")
    start = _run(args, "start", folder)
    print(f"candidates index ({args.candidates:,}), fresh process: load "
          f"{start['load_seconds']:.2f} s, first keyword search "
          f"{start['first_keyword_seconds']:.2f} s; peak {start['peak_rss_mib']:.0f} MiB")
    for key, label in (("keyword", "keyword search"), ("hybrid", "hybrid search"),
                       ("write", "one-document write"),
                       ("keyword_after_write", "keyword search just after a write"),
                       ("hybrid_during_writes", "hybrid search while a thread writes")):
        m = start[key]
        print(f"  {label:38s} p50 {m['p50']:8.1f} ms  p95 {m['p95']:8.1f} ms  "
              f"max {m['max']:8.1f} ms  (n={m['n']})")
    print(f"  writes done meanwhile: {start['writes_during']} in {args.busy_seconds:.0f} s")


if __name__ == "__main__":
    main()
