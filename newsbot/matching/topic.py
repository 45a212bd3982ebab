"""What the running story is about, as facets of concepts that must occur together.

A story on "North Korean soldiers sent to Russia" needs all three of: North Korea (or Kim),
soldiers, and Russia/Kursk/Ukraine. Each facet alone is everyday news (missile tests, drone
strikes on Kyiv); their co-occurrence — best within one sentence — is the topic. Facet names
go through the same normalisation and alias table as the text, so they work the same in German
and English.

A facet can name blockers: a mention right next to one does not count. "North Korean shells",
"Raketen aus Nordkorea" and "supplies from Pyongyang" are about weapons, not about the soldiers,
even when Ukrainian troops stand in the same sentence.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

# Facet score by how closely the facets occur. "Close" means one mention of every facet within
# SPAN tokens (stop words already gone): "Nordkorea hat ... 3000 Soldaten ... nach Russland"
# spans 8, while "Russian forces fired North Korean-made missiles ... sanctions on Pyongyang"
# spans 14 and is about something else. Otherwise: the share of facets present.
SPAN = 10
CLOSE_IN_SENTENCE = 1.0
CLOSE_ACROSS_NEIGHBOURS = 0.85  # title and lead, or two sentences in a row
ALL_IN_SENTENCE = 0.5
ALL_IN_ITEM = 0.45
PARTIAL_SCALE = 0.45


@dataclass(frozen=True, slots=True)
class Facet:
    """One necessary ingredient of the topic: any of its names counts.

    Names are alias canonicals or variants ("North Korea", "Pjöngjang", "troops") or plain
    words; each must come out of normalisation as one token.
    """

    name: str
    names: tuple[str, ...]
    blockers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """The running story: every facet must be present for an item to be on topic."""

    facets: tuple[Facet, ...]

    @classmethod
    def from_config(
        cls,
        facets: Mapping[str, Sequence[str]],
        blockers: Mapping[str, Sequence[str]] | None = None,
    ) -> Topic:
        """Build from config: facet name → names ("North Korea", "troops"), and optionally
        facet name → names whose neighbourhood voids a mention."""
        blockers = blockers or {}
        unknown = set(blockers) - set(facets)
        if unknown:
            raise ValueError(f"blockers name unknown facets: {sorted(unknown)}")
        built: list[Facet] = []
        for name, names in facets.items():
            if isinstance(names, str) or not names:
                raise ValueError(f"topic facet {name!r} needs a non-empty list of names")
            blocked_by = blockers.get(name, ())
            if isinstance(blocked_by, str):
                raise ValueError(f"blockers of facet {name!r} must be a list of names")
            built.append(Facet(name, tuple(names), tuple(blocked_by)))
        if not built:
            raise ValueError("a topic needs at least one facet")
        return cls(tuple(built))

    def compile(self, tokenise: Callable[[str], list[str]]) -> CompiledTopic:
        """Resolve every name to its token with the matcher's normaliser (and its aliases)."""

        def token(facet: str, name: str) -> str:
            tokens = tokenise(name)
            if len(tokens) != 1:
                raise ValueError(
                    f"topic facet {facet!r}: {name!r} normalises to {tokens!r}, not one token; "
                    "add it to the aliases so it becomes one"
                )
            return tokens[0]

        return CompiledTopic(
            tuple(
                _Rule(
                    frozenset(token(f.name, n) for n in f.names),
                    frozenset(token(f.name, n) for n in f.blockers),
                )
                for f in self.facets
            )
        )


@dataclass(frozen=True, slots=True)
class _Rule:
    concepts: frozenset[str]
    blockers: frozenset[str]


@dataclass(frozen=True, slots=True)
class CompiledTopic:
    """A topic with its names resolved to tokens, ready to score items."""

    facets: tuple[_Rule, ...]


DEFAULT_TOPIC = Topic.from_config(
    {
        "north korea": ["North Korea", "Kim Jong Un"],
        "soldiers": ["troops", "fighting"],
        "russia or the front": ["Russia", "Kursk", "Ukraine", "Vladivostok", "Putin"],
    },
    blockers={
        "north korea": [
            "missile",
            "ammunition",
            "artillery",
            "weapons",
            "deliveries",
            "North Korean made",
        ],
    },
)


def _mentions(facet: _Rule, tokens: Sequence[str]) -> list[int]:
    """Positions of the facet's concepts in ``tokens``, except those next to a blocker."""
    last = len(tokens) - 1
    return [
        i
        for i, token in enumerate(tokens)
        if token in facet.concepts
        and not (
            (i > 0 and tokens[i - 1] in facet.blockers)
            or (i < last and tokens[i + 1] in facet.blockers)
        )
    ]


def shortest_span(topic: CompiledTopic, tokens: Sequence[str]) -> int | None:
    """Fewest tokens from one mention of every facet to the last (0 = all in one token);
    ``None`` if some facet is missing. A sliding window over the mentions in order."""
    events = sorted(
        (pos, f) for f, facet in enumerate(topic.facets) for pos in _mentions(facet, tokens)
    )
    need = len(topic.facets)
    counts = [0] * need
    have = 0
    best: int | None = None
    left = 0
    for pos, f in events:
        counts[f] += 1
        if counts[f] == 1:
            have += 1
        while have == need:
            lpos, lf = events[left]
            if best is None or pos - lpos < best:
                best = pos - lpos
            counts[lf] -= 1
            if counts[lf] == 0:
                have -= 1
            left += 1
    return best


def facet_score(topic: CompiledTopic, sentences: Sequence[Sequence[str]]) -> float:
    """0..1: how completely and how closely the topic's facets occur in the sentences."""
    n = len(topic.facets)
    if not sentences or n == 0:
        return 0.0
    present = {f for f, facet in enumerate(topic.facets) for s in sentences if _mentions(facet, s)}
    if len(present) < n:
        return PARTIAL_SCALE * len(present) / n
    spans = [shortest_span(topic, s) for s in sentences]
    if any(span is not None and span <= SPAN for span in spans):
        return CLOSE_IN_SENTENCE
    for a, b in itertools.pairwise(sentences):
        span = shortest_span(topic, [*a, *b])
        if span is not None and span <= SPAN:
            return CLOSE_ACROSS_NEIGHBOURS
    if any(span is not None for span in spans):
        return ALL_IN_SENTENCE
    return ALL_IN_ITEM
