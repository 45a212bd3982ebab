"""Inverted token index with IDF weights: finds candidate stories without scanning them all.

Postings are compact ``array('i')`` lists of document numbers, one per token; a query adds the
token's IDF weight to every document in its postings with one numpy operation, so the cost is
the total postings length of the query's tokens, not the corpus size times the text length.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable

import numpy as np

COMMON_SHARE = 0.05  # a token in more than this share of documents …
COMMON_MIN_DOCS = 2_000  # … (and more than this many) is too common to rank candidates by


class TokenIndex:
    """Documents are numbered 0, 1, 2 … in the order they are added."""

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._postings: list[array] = []
        self._sizes = array("H")  # distinct tokens per document (capped at 65,535)
        self._n_docs = 0

    def __len__(self) -> int:
        return self._n_docs

    def add(self, tokens: Iterable[str]) -> int:
        """Index one document's tokens (a set is taken); returns its number."""
        doc = self._n_docs
        vocab, postings = self._vocab, self._postings
        distinct = set(tokens)
        self._sizes.append(min(len(distinct), 65_535))
        for token in distinct:
            tid = vocab.get(token)
            if tid is None:
                tid = vocab[token] = len(postings)
                postings.append(array("i", (doc,)))
            else:
                postings[tid].append(doc)
        self._n_docs += 1
        return doc

    def export(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(tokens by id, postings offsets, postings concatenated, sizes) for a snapshot."""
        lengths = np.fromiter((len(p) for p in self._postings), dtype=np.int64)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        data = np.empty(int(offsets[-1]), dtype=np.int32)
        for tid, postings in enumerate(self._postings):
            data[offsets[tid] : offsets[tid + 1]] = np.frombuffer(postings, dtype=np.int32)
        return list(self._vocab), offsets, data, np.frombuffer(self._sizes, dtype=np.uint16)

    @classmethod
    def restore(
        cls, tokens: list[str], offsets: np.ndarray, data: np.ndarray, sizes: np.ndarray
    ) -> TokenIndex:
        """The inverse of ``export``; raises ``ValueError`` if the parts do not fit."""
        if len(offsets) != len(tokens) + 1 or int(offsets[-1]) != len(data):
            raise ValueError("index snapshot: postings do not fit the vocabulary")
        if len(data) and (int(data.min()) < 0 or int(data.max()) >= len(sizes)):
            raise ValueError("index snapshot: postings point outside the documents")
        index = cls()
        index._vocab = {token: tid for tid, token in enumerate(tokens)}
        if len(index._vocab) != len(tokens):
            raise ValueError("index snapshot: repeated tokens")
        raw = data.astype(np.int32, copy=False).tobytes()
        for tid in range(len(tokens)):
            postings = array("i")
            postings.frombytes(raw[int(offsets[tid]) * 4 : int(offsets[tid + 1]) * 4])
            index._postings.append(postings)
        index._sizes = array("H", sizes.astype(np.uint16, copy=False).tobytes())
        index._n_docs = len(sizes)
        return index

    def df(self, token: str) -> int:
        """In how many documents ``token`` occurs."""
        tid = self._vocab.get(token)
        return 0 if tid is None else len(self._postings[tid])

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unseen tokens get the highest weight."""
        return math.log((self._n_docs + 1) / (self.df(token) + 1)) + 1.0

    def overlap(
        self, weights: dict[str, float], limit: int, contained: int = 0
    ) -> list[tuple[int, float]]:
        """Candidate documents for a query, best first, each with the query weight it shares.

        ``weights`` maps each query token to its weight; a document's score is the sum of the
        weights of the query tokens it contains. The ``limit`` best by that score come first;
        then up to ``contained`` more that are not among them but have the largest share of
        their own tokens in the query (short stories a long query covers entirely).

        Tokens in more than ``COMMON_SHARE`` of a large corpus ("north_korea" in a corpus about
        North Korea) carry little weight and long postings; they are left out of the sums (and
        assumed present for the share), which keeps a query's cost near that of its rarer words.
        """
        n = self._n_docs
        if n == 0 or limit <= 0:
            return []
        common = max(COMMON_MIN_DOCS, int(COMMON_SHARE * n))
        postings, lengths, token_weights = [], [], []
        skipped = 0
        for token, weight in weights.items():
            tid = self._vocab.get(token)
            if tid is None:
                continue
            if len(self._postings[tid]) > common:
                skipped += 1
                continue
            postings.append(np.frombuffer(self._postings[tid], dtype=np.int32))
            lengths.append(len(postings[-1]))
            token_weights.append(weight)
        if not postings:
            if not skipped:
                return []
            # only common words: rank by them after all
            return self._overlap_all(weights, limit)
        docs = np.concatenate(postings)
        del postings  # release the buffers so the postings can grow again
        scores = np.bincount(docs, weights=np.repeat(token_weights, lengths), minlength=n)
        hit = np.flatnonzero(scores)
        chosen = hit[_best(scores[hit], limit)]
        if contained:
            counts = np.bincount(docs, minlength=n)[hit]
            sizes = np.frombuffer(self._sizes, dtype=np.uint16)[hit]
            share = np.minimum(1.0, (counts + skipped) / np.maximum(sizes, 1))
            share[np.isin(hit, chosen)] = 0.0
            # fully covered first, then the bigger: ties at 1.0 go to the one saying most
            extra = _best(share + sizes * 1e-6, contained)
            extra = hit[extra[share[extra] > 0]]
            chosen = np.concatenate([chosen, extra])
        return [(int(d), float(scores[d])) for d in chosen]

    def _overlap_all(self, weights: dict[str, float], limit: int) -> list[tuple[int, float]]:
        scores = np.zeros(self._n_docs, dtype=np.float64)
        for token, weight in weights.items():
            tid = self._vocab.get(token)
            if tid is not None:
                scores[np.frombuffer(self._postings[tid], dtype=np.int32)] += weight
        return [(int(d), float(scores[d])) for d in _best(scores, limit)]


def _best(values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest positive values, largest first, ties to the lower index."""
    top = np.argpartition(values, -k)[-k:] if k < len(values) else np.arange(len(values))
    top = top[values[top] > 0]
    return top[np.lexsort((top, -values[top]))]
