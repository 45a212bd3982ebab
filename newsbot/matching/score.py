"""Scores on normalised text: match strength, near-duplicate strength, topic relevance.

All take the space-joined normalised tokens from ``normalise.Normaliser.tokens``, so German
and English wording, inflections and stop words no longer matter here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

# Relevance mixes the topic's facet score with how much of the item the best stored story
# covers; the facet part dominates so that stories merely sharing vocabulary stay out.
FACET_WEIGHT = 0.65
SIMILARITY_WEIGHT = 0.35
MIN_PARTIAL_CHARS = 80  # a body shorter than this (normalised) is too generic to be "part of" one
LEAD_CHARS = 1000  # copies are compared on the first 1,000 characters of normalised body
TEASER_FACTOR = 0.95  # a cut-down copy is a little less certain than a whole one


# How a stored passage is scored against a query: 65% token_set_ratio, which compares the
# shared words with each side's own, so a short item whose words a passage mostly has scores
# high whatever else the passage says; 35% token_sort_ratio, which compares the whole word
# lists, so a tiny stored story made of a few generic words ("Nordkorea schickt Soldaten")
# does not score like the story that really tells the same thing. Measured on the synthetic
# benchmark: with 75/25, tiny passages wholly inside a query still reached 80+ and outranked
# real copies; with 65/35 only copies do, and the sample items still find their seeds.
SET_WEIGHT = 0.65


def match_scores(query: str, passages: Sequence[str]) -> np.ndarray:
    """0..100 per passage (rapidfuzz scale), in one vectorised rapidfuzz call per scorer.

    The benchmark's full scan calls this very function over every stored passage.
    """
    if not passages:
        return np.zeros(0, dtype=np.float32)
    pair = [query]
    by_set = process.cdist(pair, passages, scorer=fuzz.token_set_ratio, dtype=np.float32)[0]
    by_sort = process.cdist(pair, passages, scorer=fuzz.token_sort_ratio, dtype=np.float32)[0]
    return np.float32(SET_WEIGHT) * by_set + np.float32(1 - SET_WEIGHT) * by_sort


def duplicate_score(query_title: str, query_body: str, story_title: str, story_body: str) -> float:
    """0..100: how likely the two are copies of one wire text.

    Syndicated copies keep the body's word order, while different reports of the same event
    share words but not their order; so the body is compared as a sequence, from its lead.
    Feeds cut summaries at different lengths and some carry only the lead of an article that
    another carries whole (perhaps after the headline again, a dateline or a byline): so the
    shorter body is also aligned with where its opening words occur in the longer one.
    Headlines are often rewritten and count only when there is no body to compare.
    """
    if not query_body or not story_body:
        return fuzz.ratio(f"{query_title} {query_body}", f"{story_title} {story_body}")
    query_lead, story_lead = query_body[:LEAD_CHARS], story_body[:LEAD_CHARS]
    best = fuzz.ratio(query_lead, story_lead)
    short, long_ = sorted((query_lead, story_lead), key=len)
    if len(short) >= MIN_PARTIAL_CHARS and len(short) < len(long_):
        best = max(best, TEASER_FACTOR * _aligned_ratio(short, long_))
    return best


def _aligned_ratio(short: str, long_: str) -> float:
    """Ratio of ``short`` with the stretch of ``long_`` that starts where it starts.

    The start is found from a few words of ``short`` (its first, fourth or seventh word on),
    so one edited word at the very beginning does not lose the alignment; bounded work, unlike
    a full ``partial_ratio`` over long texts.
    """
    words = short.split(" ")
    best = 0.0
    offset = 0
    for j in range(0, min(len(words) - 2, 9), 3):
        anchor = " ".join(words[j : j + 3])
        pos = long_.find(anchor, 0, 2 * len(short) + len(anchor))
        if pos >= 0:
            start = max(0, pos - offset)
            best = max(best, fuzz.ratio(short, long_[start : start + len(short)]))
        offset += sum(len(w) + 1 for w in words[j : j + 3])
    return best


def relevance(facet: float, similarity: float) -> float:
    """0..1 from the facet score (0..1) and the best story's coverage of the item (0..1)."""
    return round(min(1.0, FACET_WEIGHT * facet + SIMILARITY_WEIGHT * similarity), 4)
