"""The counted noun of a number: "3.000 nordkoreanische Soldaten" → Soldaten, north korean.

After the number, up to three modifiers are skipped (German adjectives, English nationality and
"more"/"additional"), then the noun is looked up in ``subjects.UNIT_TABLE``. A noun outside the
table still counts as a unit when it looks like one (a capitalised German noun, an English plural),
so "12.000 Zuschauer" is a figure with its own subject. For numbers that end their phrase
("die Zahl ... auf etwa 10.000"), ``antecedent`` finds the last known noun before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.figures.subjects import NAT_RES, UNIT_ANY, match_unit, unit_concept
from newsbot.figures.vocab import (
    DE_NOT_ADJECTIVE,
    DE_NOT_UNIT,
    EN_MODIFIERS,
    EN_NOT_UNIT,
    EN_PEOPLE,
)

_WORD_START = re.compile(r"(?<![^\W\d_])[^\W\d_]")
_WORD_AT = re.compile(r"[^\W\d_][\w'’-]*")
_SPACE_AT = re.compile(r"[ \t\u00a0\u202f]*")


@dataclass(frozen=True, slots=True)
class Unit:
    """A counted noun as written, its concept (None outside the table) and nationality."""

    text: str
    concept: str | None
    start: int
    end: int
    nationality: str | None


def _nat_at(lower: str, pos: int) -> tuple[str, int] | None:
    for rx, nat in NAT_RES:
        m = rx.match(lower, pos)
        if m:
            return nat, m.end()
    return None


def nationality_around(lower: str, start: int, end: int, look_before: bool = False) -> str | None:
    """Nationality right after a unit noun ("Soldaten aus Nordkorea"), or with ``look_before``
    in the three words before it ("North Korean troops", for antecedents of ellipses)."""
    m = re.match(r"\s+(?:aus|from|of|des|der)\s+(?:dem\s+|the\s+)?", lower[end : end + 20])
    if m:
        hit = _nat_at(lower, end + m.end())
        if hit:
            return hit[0]
    if not look_before:
        return None
    words = lower[max(0, start - 40) : start].split()[-3:]
    before = " ".join(words)
    best: tuple[int, str] | None = None
    for rx, nat in NAT_RES:
        for hit in rx.finditer(before):
            if best is None or hit.start() > best[0]:
                best = (hit.start(), nat)
    return best[1] if best else None


def unit_after(text: str, lower: str, pos: int, language: str) -> Unit | None:
    """The counted noun after a number (skipping up to three adjectives), or None."""
    nat: str | None = None
    for _ in range(4):
        pos = _SPACE_AT.match(text, pos).end()  # type: ignore[union-attr]
        known = match_unit(lower, pos)
        if known:
            concept, end = known
            if concept.startswith("troops:"):
                nat = concept.split(":", 1)[1]
            nat = nat or nationality_around(lower, pos, end)
            return Unit(text[pos:end], concept, pos, end, nat)
        m = _WORD_AT.match(text, pos)
        if not m:
            return None
        word = m.group()
        low = word.lower()
        if "-" in word:  # "US-Soldaten", "Elite-Truppen": the last part is the noun
            head = low.rpartition("-")[0]
            known = match_unit(lower, m.start() + len(head) + 1)
            if known and known[1] == m.end():
                hit = _nat_at(lower, pos)
                return Unit(word, known[0], pos, m.end(), hit[0] if hit else nat)
        hit = _nat_at(lower, pos)
        if hit and (hit[1] == m.end() or language == "en"):
            nat = nat or hit[0]
            pos = hit[1]
            continue
        if low in ("und", "and", "oder", "or") and nat is not None:
            pos = m.end()  # "russische und nordkoreanische Soldaten"
            continue
        if language == "de":
            if (
                word[0].islower()
                and re.fullmatch(r"\w+(?:e|en|er|es|em)", low)
                and low not in DE_NOT_ADJECTIVE
            ):
                pos = m.end()
                continue
            if word[0].isupper() and low not in DE_NOT_UNIT and len(low) > 2:
                return Unit(word, None, pos, m.end(), nat)
            return None
        if low in EN_MODIFIERS:
            pos = m.end()
            continue
        if low in EN_PEOPLE or (
            low.endswith("s") and len(low) > 3 and word[0].islower() and low not in EN_NOT_UNIT
        ):
            return Unit(word, None, pos, m.end(), nat)
        return None
    return None


def antecedent(text: str, lower: str, lo: int, hi: int) -> Unit | None:
    """The last known counted noun in ``text[lo:hi]`` (for "auf etwa 10.000." ellipses)."""
    starts = [m.start() for m in _WORD_START.finditer(lower, lo, hi)]
    for pos in reversed(starts):  # nearest first; one anchored match per word
        m = UNIT_ANY.match(lower, pos, hi)
        if m:
            break
    else:
        return None
    s, e, concept = m.start(), m.end(), unit_concept(m)
    nat = concept.split(":", 1)[1] if concept.startswith("troops:") else None
    return Unit(text[s:e], concept, s, e, nat or nationality_around(lower, s, e, True))
