"""Scores on normalised text: match strength, near-duplicate strength, topic relevance.

All take the space-joined normalised tokens from ``normalise.Normaliser.tokens``, so German
and English wording, inflections and stop words no longer matter here.
"""

from __future__ import annotations

from rapidfuzz import fuzz

# Relevance mixes the topic's facet score with how much of the item the best stored story
# covers; the facet part dominates so that stories merely sharing vocabulary stay out.
FACET_WEIGHT = 0.65
SIMILARITY_WEIGHT = 0.35
MIN_PARTIAL_CHARS = 80  # a body shorter than this (normalised) is too generic to be "part of" one


def match_score(query: str, story: str) -> float:
    """0..100: how much of the query's content the stored story shares (rapidfuzz scale)."""
    return fuzz.token_set_ratio(query, story)


def duplicate_score(query_title: str, query_body: str, story_title: str, story_body: str) -> float:
    """0..100: how likely the two are copies of one wire text.

    Syndicated copies keep the body's word order, while different reports of the same event
    share words but not their order; so the body is compared as a sequence. Feeds cut summaries
    at different lengths, so a shorter body that is most of a longer one also counts. Headlines
    are often rewritten and count only when there is no body to compare.
    """
    if not query_body or not story_body:
        return fuzz.ratio(f"{query_title} {query_body}", f"{story_title} {story_body}")
    whole = fuzz.ratio(query_body, story_body)
    short, long_ = sorted((query_body, story_body), key=len)
    if len(short) >= MIN_PARTIAL_CHARS:
        if len(short) >= 0.5 * len(long_):
            whole = max(whole, 0.95 * fuzz.partial_ratio(short, long_))
        # a teaser feed carries only the lead of the article another feed carries whole,
        # which may open with the headline again, a dateline or a byline
        whole = max(whole, 0.95 * fuzz.partial_ratio(short, long_[: 2 * len(short)]))
    return whole


def relevance(facet: float, similarity: float) -> float:
    """0..1 from the facet score (0..1) and the best story's coverage of the item (0..1)."""
    return round(min(1.0, FACET_WEIGHT * facet + SIMILARITY_WEIGHT * similarity), 4)
