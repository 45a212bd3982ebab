"""What the running story is about, as facets of concepts that must occur together.

A story on "North Korean soldiers sent to Russia" needs all three of: North Korea (or Kim),
soldiers, and Russia/Kursk/Ukraine. Each facet alone is everyday news (missile tests, drone
strikes on Kyiv); their co-occurrence — best within one sentence — is the topic. Facets are sets
of canonical tokens from the alias table, so they work the same in German and English.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsbot.matching.normalise import canonical_token

# Facet score by how closely the facets occur: all in one sentence, in two neighbouring
# sentences (or title and lead), anywhere in the item; otherwise the share of facets present.
ALL_IN_SENTENCE = 1.0
ALL_IN_NEIGHBOURS = 0.85
ALL_IN_ITEM = 0.6
PARTIAL_SCALE = 0.45


@dataclass(frozen=True, slots=True)
class Facet:
    """One necessary ingredient of the topic: any of its concepts counts."""

    name: str
    concepts: frozenset[str]


@dataclass(frozen=True, slots=True)
class Topic:
    """The running story: every facet must be present for an item to be on topic."""

    facets: tuple[Facet, ...]

    @classmethod
    def from_config(cls, facets: Mapping[str, Sequence[str]]) -> Topic:
        """Build from config: facet name → alias canonical names ("North Korea", "troops")."""
        built: list[Facet] = []
        for name, names in facets.items():
            if isinstance(names, str) or not names:
                raise ValueError(f"topic facet {name!r} needs a non-empty list of names")
            built.append(Facet(name, frozenset(canonical_token(n) for n in names)))
        if not built:
            raise ValueError("a topic needs at least one facet")
        return cls(tuple(built))


DEFAULT_TOPIC = Topic.from_config(
    {
        "north korea": ["North Korea", "Kim Jong Un"],
        "soldiers": ["troops"],
        "russia or the front": ["Russia", "Kursk", "Ukraine", "Vladivostok", "Putin"],
    }
)


def _facets_in(topic: Topic, tokens: Iterable[str]) -> frozenset[int]:
    present = set(tokens)
    return frozenset(i for i, f in enumerate(topic.facets) if f.concepts & present)


def facet_score(topic: Topic, sentences: Sequence[Sequence[str]]) -> float:
    """0..1: how completely and how closely the topic's facets occur in the sentences."""
    n = len(topic.facets)
    per_sentence = [_facets_in(topic, s) for s in sentences]
    if not per_sentence:
        return 0.0
    everything = frozenset().union(*per_sentence)
    if len(everything) < n:
        return PARTIAL_SCALE * len(everything) / n
    if any(len(s) == n for s in per_sentence):
        return ALL_IN_SENTENCE
    if any(len(a | b) == n for a, b in itertools.pairwise(per_sentence)):
        return ALL_IN_NEIGHBOURS
    return ALL_IN_ITEM
