"""The matcher: the stored corpus, indexed, and the one call the pipeline makes per item.

``Matcher.add`` grows the corpus (seeds at start-up, then every relevant item);
``Matcher.match`` finds candidates through the inverted index, re-ranks them with rapidfuzz,
judges topic relevance and spots near-duplicates. Pure in-memory core: the store rebuilds it
by calling ``add`` for every stored story.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsbot.matching import score
from newsbot.matching.inverted import TokenIndex
from newsbot.matching.normalise import Normaliser
from newsbot.matching.topic import DEFAULT_TOPIC, Topic, facet_score
from newsbot.types import Match, MatchResult

DEFAULT_THRESHOLD = 0.5
DEFAULT_DUPLICATE_THRESHOLD = 85.0
PROFILE_TOKENS = 400  # a story is compared by its title and first 400 tokens; longer bodies are cut
CANDIDATES = 50  # stories re-ranked by rapidfuzz per query


class MatcherError(ValueError):
    """A story or query the matcher cannot take (empty id, id added twice)."""


@dataclass(frozen=True, slots=True)
class _Story:
    story_id: str
    title: str
    title_norm: str
    body_norm: str

    @property
    def profile(self) -> str:
        return f"{self.title_norm} {self.body_norm}".strip()


class Matcher:
    """Relates new items to the stored stories on the topic."""

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
        self.topic = topic or DEFAULT_TOPIC
        self.normaliser = Normaliser(aliases)
        self._index = TokenIndex()
        self._stories: list[_Story] = []
        self._ids: dict[str, int] = {}

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
        self._index.add(title_tokens + body_tokens)
        self._ids[story_id] = len(self._stories)
        self._stories.append(
            _Story(
                story_id,
                title,
                " ".join(title_tokens),
                " ".join(body_tokens[:PROFILE_TOKENS]),
            )
        )

    def profiles(self) -> list[str]:
        """Every stored story's normalised profile, in insertion order (for benchmarks)."""
        return [s.profile for s in self._stories]

    def match(self, title: str, text: str, *, limit: int = 5) -> MatchResult:
        """How the item relates to the corpus: relevance, best matches, duplicate."""
        if limit < 0:
            raise MatcherError(f"limit must be >= 0, got {limit}")
        title_sentences = self.normaliser.sentences(title)
        body_sentences = self.normaliser.sentences(text)
        title_tokens = [t for s in title_sentences for t in s]
        body_tokens = [t for s in body_sentences for t in s]
        tokens = title_tokens + body_tokens
        if not tokens:
            return MatchResult(relevant=False, relevance=0.0)
        facets = facet_score(self.topic, [title_tokens, *body_sentences])

        weights = {t: self._index.idf(t) for t in set(tokens)}
        total = sum(weights.values())
        candidates = self._index.overlap(weights, CANDIDATES)
        coverage = candidates[0][1] / total if candidates else 0.0

        query_profile = " ".join(tokens)
        q_title = " ".join(title_tokens)
        q_body = " ".join(body_tokens[:PROFILE_TOKENS])
        ranked: list[tuple[float, float, int]] = []
        duplicate: tuple[float, int] | None = None
        for doc, shared in candidates:
            story = self._stories[doc]
            ranked.append((score.match_score(query_profile, story.profile), shared, doc))
            dup = score.duplicate_score(q_title, q_body, story.title_norm, story.body_norm)
            if dup >= self.duplicate_threshold and (duplicate is None or dup > duplicate[0]):
                duplicate = (dup, doc)
        ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))

        relevance = score.relevance(facets, coverage)
        if duplicate is not None:  # a copy of a stored story is on the topic by definition
            relevance = max(relevance, round(duplicate[0] / 100, 4))
        matches = tuple(
            Match(self._stories[doc].story_id, self._stories[doc].title, round(s, 2))
            for s, _, doc in ranked[:limit]
        )
        return MatchResult(
            relevant=relevance >= self.threshold,
            relevance=relevance,
            matches=matches,
            duplicate_of=self._stories[duplicate[1]].story_id if duplicate else None,
        )
