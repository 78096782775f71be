"""BM25 keyword relevance for the embedded index, kept current by every write.

What is kept is not term weights but what they are made from: each row's term counts (its
postings), each term's document frequency, each row's length, and how many documents there are
and how long they are in total. A query reads only its own words' postings and weighs them
then, with the IDF and average length as they are now. So a write changes a few numbers (its
row's postings, their terms' document frequencies, the totals) and the next search ranks
exactly as a full build from the same texts would: nothing is thrown away, nothing waits to be
re-normalised. (Precomputed weights would save one multiply per posting read, but the average
length moves with every write, so they would match a full build only just after one; weighing
at query time costs about a millisecond for a common word at 100,000 documents.)

Postings live in two parts: a base (a sparse rows x terms matrix of counts, column-major so a
word's postings are one slice), made in one vectorised step by a full build or a snapshot and
saved with the snapshot, so loading tokenises nothing; and the rows written since, as
{term: {row: count}}. A base row that has been written since is masked (`replaced`).

Texts are split into words by the same analyser as queries (search_index.text), once per
distinct word: a rebuild tokenises 120,000 texts in a few seconds, where calling the stemmer
for every word took most of the old 11.6 s.
"""

import hashlib
from collections.abc import Iterable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np
from scipy import sparse

from search_index import text as analysis

K1, B = 1.2, 0.75
# Postings saved by an index built with another analyser are not what queries look for now:
# such a snapshot is tokenised again from its texts when loaded.
ANALYSER = hashlib.sha256(Path(analysis.__file__).read_bytes()).hexdigest()[:16]
_STOP = -1
_WORD = analysis._WORD  # the analyser's own word pattern, so documents split as queries do


class BM25:
    def __init__(self) -> None:
        self.terms: dict[str, int] = {}
        self._word_term: dict[str, int] = {}  # a word as written -> its term, or _STOP
        self.df = np.zeros(0, dtype=np.int64)
        self.length = np.zeros(0, dtype=np.int64)  # tokens in each row's text
        self.present = np.zeros(0, dtype=bool)  # rows that are documents now
        self.docs = 0
        self.total = 0  # tokens in every document together
        self.base = sparse.csc_matrix((0, 0), dtype=np.int32)
        self._base_rows: sparse.csr_matrix | None = None  # the base by row, made on first use
        self.replaced = np.zeros(0, dtype=bool)  # base rows whose postings no longer count
        self.recent: dict[int, dict[int, int]] = {}  # term -> {row: count}
        self.recent_rows: dict[int, dict[int, int]] = {}  # row -> {term: count}
        self._replaced_any = False
        self.changes = 0  # counts writes, so what is worked out from the totals is redone
        self._norm_key = -1
        self._norm = np.zeros(0, dtype=np.float32)

    # --- analysis -------------------------------------------------------------------------
    def _learn(self, words: set[str]) -> None:
        """Analyse the words not seen before, once each."""
        known = self._word_term
        for word in words.difference(known):
            token = analysis.tokens(word)  # the analyser itself, on one word: [] or [stem]
            known[word] = self.terms.setdefault(token[0], len(self.terms)) if token else _STOP

    def _term_ids(self, text: str) -> list[int]:
        words = _WORD.findall(text.lower())
        self._learn(set(words))
        return [t for t in map(self._word_term.__getitem__, words) if t != _STOP]

    def _room(self, rows: int) -> None:
        needed = max(len(self.terms), 1)
        if needed > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(needed - len(self.df),
                                                            len(self.df)), dtype=np.int64)])
        if rows > len(self.length):
            grow = max(rows, 2 * len(self.length), 64) - len(self.length)
            self.length = np.concatenate([self.length, np.zeros(grow, dtype=np.int64)])
            self.present = np.concatenate([self.present, np.zeros(grow, dtype=bool)])

    # --- building -------------------------------------------------------------------------
    def build(self, texts: Sequence[str | None], previous: "BM25 | None" = None,
              same: np.ndarray | None = None) -> None:
        """Every row at once (None: no document in that row). Rows whose text `previous` holds
        already (same[i], its row there; -1 where it does not) take their postings from it
        instead of being tokenised again: a rebuild mostly re-indexes unchanged texts."""
        fresh = BM25()
        if previous is not None:  # same analyser (checked when it was loaded): same terms
            fresh.terms = dict(previous.terms)
            fresh._word_term = dict(previous._word_term)
        self.__dict__.update(fresh.__dict__)
        n = len(texts)
        same = np.full(n, -1, dtype=np.int64) if same is None or previous is None else same
        fresh_rows = [i for i, t in enumerate(texts) if t is not None and same[i] < 0]
        words = [_WORD.findall(texts[i].lower()) for i in fresh_rows]
        counts = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        words = list(chain.from_iterable(words))
        self._learn(set(words))
        terms = np.fromiter(map(self._word_term.__getitem__, words), dtype=np.int32,
                            count=len(words))
        rows = np.repeat(np.asarray(fresh_rows, dtype=np.int32), counts)
        kept = terms != _STOP
        rows, terms, data = rows[kept], terms[kept], np.ones(int(kept.sum()), dtype=np.int32)
        self._room(n)
        self.length[:n] = np.bincount(rows, minlength=n)[:n]
        reused = np.flatnonzero(same >= 0)
        if len(reused):
            old = previous.postings(same[reused]).tocoo()
            rows = np.concatenate([rows, reused[old.row].astype(np.int32)])
            terms = np.concatenate([terms, old.col.astype(np.int32)])
            data = np.concatenate([data, old.data.astype(np.int32)])
            self.length[reused] = previous.length[same[reused]]
        self._set_base(sparse.csc_matrix((data, (rows, terms)),
                                         shape=(n, max(len(self.terms), 1))))
        self.present[:n] = [t is not None for t in texts]
        self.docs = int(self.present[:n].sum())
        self.total = int(self.length[:n].sum())

    def _set_base(self, base: sparse.csc_matrix) -> None:
        base.sum_duplicates()
        self.base = base
        self._base_rows = None
        self.replaced = np.zeros(base.shape[0], dtype=bool)
        self._replaced_any = False
        self.recent, self.recent_rows = {}, {}
        self.changes += 1
        self.df[:] = 0
        self.df[:base.shape[1]] = np.diff(base.indptr)

    def set_row(self, row: int, text: str) -> None:
        """Row `row` now holds a document with this text (a new row or a changed one)."""
        self.remove(row)
        terms = self._term_ids(text)
        self._room(row + 1)
        counts: dict[int, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        for term, count in counts.items():
            self.recent.setdefault(term, {})[row] = count
            self.df[term] += 1
        self.recent_rows[row] = counts
        self.present[row] = True
        self.length[row] = len(terms)
        self.changes += 1
        self.docs += 1
        self.total += len(terms)

    def remove(self, row: int) -> None:
        """Row `row` holds no document any more (unknown or empty rows are ignored)."""
        if row >= len(self.present) or not self.present[row]:
            return
        counts = self.recent_rows.pop(row, None)
        if counts is not None:
            for term in counts:
                del self.recent[term][row]
                self.df[term] -= 1
        elif row < self.base.shape[0] and not self.replaced[row]:
            if self._base_rows is None:
                self._base_rows = self.base.tocsr()
            start, end = self._base_rows.indptr[row:row + 2]
            np.subtract.at(self.df, self._base_rows.indices[start:end], 1)
            self.replaced[row] = True
            self._replaced_any = True
        self.present[row] = False
        self.changes += 1
        self.docs -= 1
        self.total -= int(self.length[row])
        self.length[row] = 0

    # --- searching ------------------------------------------------------------------------
    def idf(self, term: int | None) -> float:
        """Okapi IDF with +1 inside the log (never negative); a word in no document gets the
        highest value there is."""
        f = 0 if term is None else int(self.df[term])
        return float(np.log(1 + (self.docs - f + 0.5) / (f + 0.5)))

    def ideal(self, words: Iterable[str]) -> float:
        """The score of an average-length document holding each word once: the sum of the
        words' IDF."""
        return sum(self.idf(self.terms.get(w)) for w in set(words)) or 1.0

    def scores(self, words: Iterable[str], n: int) -> np.ndarray:
        """BM25 of each of the first n rows for these query words (0 for rows that are not
        documents)."""
        out = np.zeros(max(n, len(self.present)), dtype=np.float32)
        norm = self._norms()
        for word in set(words):
            term = self.terms.get(word)
            if term is None or self.df[term] == 0:
                continue
            idf = np.float32(self.idf(term))
            parts = []
            if term < self.base.shape[1]:
                start, end = self.base.indptr[term:term + 2]
                rows, tf = self.base.indices[start:end], self.base.data[start:end]
                if self._replaced_any:
                    keep = ~self.replaced[rows]
                    rows, tf = rows[keep], tf[keep]
                parts.append((rows, tf))
            recent = self.recent.get(term)
            if recent:
                parts.append((np.fromiter(recent.keys(), dtype=np.int64, count=len(recent)),
                              np.fromiter(recent.values(), dtype=np.int64, count=len(recent))))
            for rows, tf in parts:
                tf = tf.astype(np.float32)
                out[rows] += idf * (K1 + 1) * tf / (tf + norm[rows])
        return out[:n]

    def _norms(self) -> np.ndarray:
        """Each row's length normalisation, k1 (1 - b + b length / average length), for the
        totals as they are now: worked out once per change, not once per query word."""
        if self._norm_key != self.changes:
            average = (self.total / self.docs) if self.docs and self.total else 1.0
            self._norm = (K1 * (1 - B + B * self.length / average)).astype(np.float32)
            self._norm_key = self.changes
        return self._norm

    # --- saving ---------------------------------------------------------------------------
    def postings(self, rows: np.ndarray) -> sparse.csr_matrix:
        """Counts of the given rows, in that order, base and recent together."""
        width = max(len(self.terms), 1)
        if len(rows) == 0:
            return sparse.csr_matrix((0, width), dtype=np.int32)
        base = self.base.tocsr() if self._base_rows is None else self._base_rows
        kept = np.flatnonzero(rows < base.shape[0])
        kept = kept[~self.replaced[rows[kept]]]  # the others' postings are in `recent`
        picked = base[rows[kept]]
        sizes = np.zeros(len(rows) + 1, dtype=np.int64)
        sizes[kept + 1] = np.diff(picked.indptr)
        out = sparse.csr_matrix((picked.data, picked.indices, np.cumsum(sizes)),
                                shape=(len(rows), width))
        position = {int(r): k for k, r in enumerate(rows)}
        r, c, v = [], [], []
        for row, counts in self.recent_rows.items():
            k = position.get(row)
            if k is not None:
                for term, count in counts.items():
                    r.append(k)
                    c.append(term)
                    v.append(count)
        if r:
            out = out + sparse.csr_matrix((v, (r, c)), shape=(len(rows), width))
        return out.astype(np.int32).tocsr()

    def fold(self, postings: sparse.csc_matrix) -> None:
        """Make `postings` (this object's postings(arange(n)), made while nothing wrote) the
        base: same rows, same scores, and the recent part empty again, so that it stays small
        in a process that writes for a long time."""
        self._set_base(postings)

    def arrays(self, rows: np.ndarray) -> dict[str, np.ndarray]:
        """What a snapshot of these rows (renumbered 0..len-1) needs, as arrays."""
        counts = self.postings(rows).tocsc()
        counts.sort_indices()
        terms = sorted(self.terms, key=self.terms.__getitem__)
        return {"bm25:indptr": counts.indptr.astype(np.int64),
                "bm25:indices": counts.indices.astype(np.int32),
                "bm25:data": counts.data.astype(np.int32),
                "bm25:length": self.length[rows].astype(np.int32),
                "bm25:terms": np.asarray(terms, dtype=str) if terms else
                np.zeros(0, dtype="<U1"),
                "bm25:analyser": np.asarray(ANALYSER)}

    @classmethod
    def from_arrays(cls, arrays, n: int) -> "BM25 | None":
        """The postings a snapshot of n rows saved, or None when it saved none (an older
        snapshot) or they were made by another analyser."""
        if "bm25:analyser" not in arrays or str(arrays["bm25:analyser"]) != ANALYSER:
            return None
        self = cls()
        terms = [str(t) for t in arrays["bm25:terms"]]
        self.terms = {t: i for i, t in enumerate(terms)}
        self._room(n)
        base = sparse.csc_matrix((arrays["bm25:data"], arrays["bm25:indices"],
                                  arrays["bm25:indptr"]), shape=(n, max(len(terms), 1)))
        self._set_base(base)
        self.length[:n] = arrays["bm25:length"]
        self.present[:n] = True
        self.docs = n
        self.total = int(self.length[:n].sum())
        return self
