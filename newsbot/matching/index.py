"""The matcher: the stored corpus, indexed, and the one call the pipeline makes per item.

``Matcher.add`` grows the corpus (seeds at start-up, then every relevant item);
``Matcher.match`` finds candidates through the inverted index, re-ranks them with rapidfuzz,
judges topic relevance and spots near-duplicates. Pure in-memory core: the store rebuilds it
by calling ``add`` for every stored story, or loads a snapshot (``persist``) and adds the rest.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from newsbot.matching import score
from newsbot.matching.inverted import TokenIndex
from newsbot.matching.normalise import Normaliser
from newsbot.matching.topic import DEFAULT_TOPIC, Topic, facet_score
from newsbot.types import Match, MatchResult

DEFAULT_THRESHOLD = 0.5
DEFAULT_DUPLICATE_THRESHOLD = 85.0
PASSAGE_TOKENS = 60  # long stories are indexed and ranked as passages of this many tokens …
PASSAGE_STRIDE = 50  # … overlapping by 10, so a fact is not cut in two
MAX_STORY_TOKENS = 1_000  # body tokens kept per story (about 16 passages)
CANDIDATES = 50  # passages re-ranked by rapidfuzz per query, by shared IDF weight …
CONTAINED_CANDIDATES = 20  # … and by the share of their own words the query has
DUPLICATE_CANDIDATES = 10  # best-ranked stories checked for being a copy of the item
DUPLICATE_MIN_MATCH = 60.0  # match score below which a story is not checked as a copy


class MatcherError(ValueError):
    """A story or query the matcher cannot take (empty id, id added twice)."""


@dataclass(frozen=True, slots=True)
class _Story:
    story_id: str
    title: str
    first_passage: int


def passages(title_tokens: Sequence[str], body_tokens: Sequence[str]) -> list[list[str]]:
    """The units a story is indexed and ranked by: its title with each stretch of the body.

    A short feed item is one passage; a long article is several, so a short item is compared
    with a stretch of comparable length (not drowned by, nor unfairly contained in, a long text)
    and a fact deep in the article still counts.
    """
    body = list(body_tokens[:MAX_STORY_TOKENS])
    if len(body) <= PASSAGE_TOKENS:
        return [[*title_tokens, *body]]
    starts = range(0, len(body) - PASSAGE_TOKENS + PASSAGE_STRIDE, PASSAGE_STRIDE)
    return [[*title_tokens, *body[i : i + PASSAGE_TOKENS]] for i in starts]


class Matcher:
    """Relates new items to the stored stories on the topic.

    Stories are kept as normalised passages in an inverted index (``TokenIndex``); a query
    collects the passages sharing the most IDF weight with it, rapidfuzz re-ranks those, and
    each story counts with its best passage.
    """

    def __init__(
        self,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        duplicate_threshold: float = DEFAULT_DUPLICATE_THRESHOLD,
        aliases: Mapping[str, Sequence[str]] | None = None,
        topic: Topic | None = None,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise MatcherError(f"threshold must be within 0..1, got {threshold}")
        if not 0.0 <= duplicate_threshold <= 100.0:
            raise MatcherError(
                f"duplicate_threshold must be within 0..100, got {duplicate_threshold}"
            )
        self.threshold = threshold
        self.duplicate_threshold = duplicate_threshold
        self.normaliser = Normaliser(aliases)
        self.topic = topic or DEFAULT_TOPIC
        self._topic = self.topic.compile(self.normaliser.tokens)
        self._index = TokenIndex()
        self._stories: list[_Story] = []
        self._ids: dict[str, int] = {}
        self._passage_story = array("i")  # passage number -> story number
        self._passage_text: list[str] = []  # normalised title + stretch of body
        self._title_chars = array("i")  # where the title ends in the passage text

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._ids

    def add(self, story_id: str, title: str, text: str) -> None:
        """Add a stored story to the corpus; it can be matched from the next query on."""
        if not isinstance(story_id, str) or not story_id:
            raise MatcherError(f"story_id must be a non-empty string, got {story_id!r}")
        if story_id in self._ids:
            raise MatcherError(f"story {story_id!r} is already in the matcher")
        title_tokens = self.normaliser.tokens(title)
        body_tokens = self.normaliser.tokens(text)
        story_no = len(self._stories)
        self._ids[story_id] = story_no
        self._stories.append(_Story(story_id, title, len(self._passage_text)))
        title_chars = len(" ".join(title_tokens))
        for passage in passages(title_tokens, body_tokens):
            self._index.add(passage)
            self._passage_story.append(story_no)
            self._passage_text.append(" ".join(passage))
            self._title_chars.append(title_chars)

    def settings_fingerprint(self) -> str:
        """Changes whenever normalisation or passage cutting would index a story differently
        (aliases, stop words, passage sizes): a snapshot from other settings is stale."""
        payload = {
            "format": 1,
            "aliases": self.normaliser.fingerprint(),
            "passages": [PASSAGE_TOKENS, PASSAGE_STRIDE, MAX_STORY_TOKENS],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def snapshot(self) -> dict[str, Any]:
        """Everything ``restore`` needs, as plain lists and numpy arrays (see ``persist``)."""
        tokens, offsets, data, sizes = self._index.export()
        return {
            "fingerprint": self.settings_fingerprint(),
            "story_ids": [s.story_id for s in self._stories],
            "titles": [s.title for s in self._stories],
            "first_passage": np.array([s.first_passage for s in self._stories], dtype=np.int64),
            "passage_story": np.frombuffer(self._passage_story, dtype=np.int32).copy(),
            "title_chars": np.frombuffer(self._title_chars, dtype=np.int32).copy(),
            "passage_text": list(self._passage_text),
            "tokens": tokens,
            "offsets": offsets,
            "postings": data,
            "sizes": sizes.copy(),
        }

    def restore(self, state: Mapping[str, Any]) -> None:
        """Load a snapshot into this empty matcher; ``MatcherError`` if it does not fit."""
        if self._stories:
            raise MatcherError("restore needs an empty matcher")
        if state.get("fingerprint") != self.settings_fingerprint():
            raise MatcherError("snapshot was made with other matching settings; rebuild")
        try:
            ids, titles = list(state["story_ids"]), list(state["titles"])
            first = [int(x) for x in state["first_passage"]]
            passage_story = array("i", np.asarray(state["passage_story"], np.int32).tobytes())
            title_chars = array("i", np.asarray(state["title_chars"], np.int32).tobytes())
            texts = list(state["passage_text"])
            index = TokenIndex.restore(
                list(state["tokens"]), state["offsets"], state["postings"], state["sizes"]
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MatcherError(f"snapshot is damaged: {exc}") from exc
        n_passages = len(texts)
        if not (
            len(ids) == len(titles) == len(first)
            and len(passage_story) == len(title_chars) == n_passages == len(index)
            and len(set(ids)) == len(ids)
            and all(0 <= f < n_passages for f in first)
            and all(0 <= s < len(ids) for s in passage_story)
        ):
            raise MatcherError("snapshot is damaged: its parts do not fit together")
        self._stories = [_Story(i, t, f) for i, t, f in zip(ids, titles, first, strict=True)]
        self._ids = {story_id: n for n, story_id in enumerate(ids)}
        self._passage_story, self._title_chars = passage_story, title_chars
        self._passage_text = texts
        self._index = index

    def profiles(self) -> list[tuple[str, str]]:
        """(story_id, normalised passage) for every passage, in order (for benchmarks)."""
        return [
            (self._stories[self._passage_story[p]].story_id, text)
            for p, text in enumerate(self._passage_text)
        ]

    def _lead(self, story_no: int) -> tuple[str, str]:
        """A stored story's normalised title and the start of its body."""
        passage = self._stories[story_no].first_passage
        text, cut = self._passage_text[passage], self._title_chars[passage]
        return text[:cut], text[cut + 1 :]

    def _query(self, title: str, text: str) -> tuple[list[str], list[list[str]]]:
        title_tokens = [t for s in self.normaliser.sentences(title) for t in s]
        return title_tokens, self.normaliser.sentences(text)

    def query_profile(self, title: str, text: str) -> str:
        """The normalised text a query is ranked by (for benchmarks: scan with the same)."""
        title_tokens, body_sentences = self._query(title, text)
        body_tokens = [t for s in body_sentences for t in s]
        return " ".join(title_tokens + body_tokens[:PASSAGE_TOKENS])

    def _coverage(self, weights: dict[str, float], passage: int) -> float:
        """Share of the query's IDF weight that the passage has (all words counted)."""
        words = set(self._passage_text[passage].split(" "))
        return sum(w for t, w in weights.items() if t in words) / sum(weights.values())

    def match(self, title: str, text: str, *, limit: int = 5) -> MatchResult:
        """How the item relates to the corpus: relevance, best matches, duplicate."""
        if limit < 0:
            raise MatcherError(f"limit must be >= 0, got {limit}")
        title_tokens, body_sentences = self._query(title, text)
        body_tokens = [t for s in body_sentences for t in s]
        # ranked like a stored passage: title and the first stretch of the body
        tokens = title_tokens + body_tokens[:PASSAGE_TOKENS]
        if not tokens:
            return MatchResult(relevant=False, relevance=0.0)
        facets = facet_score(self._topic, [title_tokens, *body_sentences])

        weights = {t: self._index.idf(t) for t in set(tokens)}
        candidates = self._index.overlap(weights, CANDIDATES, CONTAINED_CANDIDATES)
        coverage = self._coverage(weights, candidates[0][0]) if candidates else 0.0

        # each story counts with its best passage; ties go to more shared weight, then age
        query_profile = " ".join(tokens)
        best: dict[int, tuple[float, float]] = {}
        scores = score.match_scores(query_profile, [self._passage_text[p] for p, _ in candidates])
        for (passage, shared), match_score in zip(candidates, scores.tolist(), strict=True):
            story_no = self._passage_story[passage]
            found = (match_score, shared)
            if story_no not in best or found > best[story_no]:
                best[story_no] = found
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))

        q_title = " ".join(title_tokens)
        q_body = " ".join(body_tokens[:PASSAGE_TOKENS])
        duplicate: tuple[float, int] | None = None
        for story_no, (match_score, _) in ranked[:DUPLICATE_CANDIDATES]:
            if match_score < DUPLICATE_MIN_MATCH:
                break  # copies share nearly all their words; the rest cannot be one
            dup = score.duplicate_score(q_title, q_body, *self._lead(story_no))
            if dup >= self.duplicate_threshold and (duplicate is None or dup > duplicate[0]):
                duplicate = (dup, story_no)

        relevance = score.relevance(facets, coverage)
        if duplicate is not None:  # a copy of a stored story is on the topic by definition
            relevance = max(relevance, round(duplicate[0] / 100, 4))
        matches = tuple(
            Match(self._stories[n].story_id, self._stories[n].title, round(s, 2))
            for n, (s, _) in ranked[:limit]
        )
        return MatchResult(
            relevant=relevance >= self.threshold,
            relevance=relevance,
            matches=matches,
            duplicate_of=self._stories[duplicate[1]].story_id if duplicate else None,
        )
