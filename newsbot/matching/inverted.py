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


class TokenIndex:
    """Documents are numbered 0, 1, 2 … in the order they are added."""

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._postings: list[array] = []
        self._n_docs = 0

    def __len__(self) -> int:
        return self._n_docs

    def add(self, tokens: Iterable[str]) -> int:
        """Index one document's tokens (a set is taken); returns its number."""
        doc = self._n_docs
        vocab, postings = self._vocab, self._postings
        for token in set(tokens):
            tid = vocab.get(token)
            if tid is None:
                tid = vocab[token] = len(postings)
                postings.append(array("i", (doc,)))
            else:
                postings[tid].append(doc)
        self._n_docs += 1
        return doc

    def df(self, token: str) -> int:
        """In how many documents ``token`` occurs."""
        tid = self._vocab.get(token)
        return 0 if tid is None else len(self._postings[tid])

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; unseen tokens get the highest weight."""
        return math.log((self._n_docs + 1) / (self.df(token) + 1)) + 1.0

    def overlap(self, weights: dict[str, float], limit: int) -> list[tuple[int, float]]:
        """The ``limit`` documents sharing the most query weight, best first, with that weight.

        ``weights`` maps each query token to its weight; a document's score is the sum of the
        weights of the query tokens it contains.
        """
        if self._n_docs == 0 or limit <= 0:
            return []
        scores = np.zeros(self._n_docs, dtype=np.float32)
        for token, weight in weights.items():
            tid = self._vocab.get(token)
            if tid is not None:
                docs = np.frombuffer(self._postings[tid], dtype=np.int32)
                scores[docs] += weight
                del docs  # release the buffer so the postings can grow again
        if limit < self._n_docs:
            top = np.argpartition(scores, -limit)[-limit:]
        else:
            top = np.arange(self._n_docs)
        top = top[scores[top] > 0]
        # best first; ties go to the older document, which is stable across rebuilds
        order = np.lexsort((top, -scores[top]))
        return [(int(top[i]), float(scores[top[i]])) for i in order]
