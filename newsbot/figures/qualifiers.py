"""Qualifiers, ranges and vague plurals: what interval a stated number stands for.

News semantics (DESIGN.md, "Figures"), the same in German and English:

==========================================  =====================================
mindestens / at least                       [v, ∞)       low=v, high=None
mehr als / über / more than / over          (v, ∞)       low=v, high=None
bis zu / höchstens / up to / at most        [0, v]       low=None, high=v (as seed_figures.json)
weniger als / unter / fewer than / under    [0, v)       low=None, high=v
etwa / rund / ungefähr / about / some       [0.9v, 1.1v]
knapp / fast / nearly / almost              [0.9v, v]
gut / gut über / just over / a good         [v, 1.1v]    ("gut 3.000" = a little more than 3,000)
insgesamt / a total of                      [v, v]       (kept as the qualifier text)
bare number                                 [v, v]
X bis Y / between X and Y / X-Y             [X, Y]       value = X
Dutzende / dozens                           [24, 99]     value = low
Hunderte / hundreds                         [200, 999]
Tausende / thousands / mehrere Tausend      [2000, 9999]
Zehntausende / tens of thousands            [20000, 99999]
Hunderttausende / hundreds of thousands     [200000, 999999]
Millionen / millions (no number before)     [2e6, ∞)     high=None as seed_figures.json
==========================================  =====================================

The value of a vague plural is the low end of its interval (a representative, not a claim).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# kind → (low factor or None, high factor or None); None = open end
_KIND_INTERVAL: dict[str, tuple[float | None, float | None]] = {
    "min": (1.0, None),
    "more": (1.0, None),
    "max": (None, 1.0),
    "less": (None, 1.0),
    "approx": (0.9, 1.1),
    "nearly": (0.9, 1.0),
    "good": (1.0, 1.1),
    "total": (1.0, 1.0),
}

# Qualifier phrases that stand right before the number (lower case), per language.
_BEFORE: dict[str, list[tuple[str, str]]] = {
    "de": [
        ("min", r"mindestens|wenigstens|zumindest|nicht weniger als|minimal"),
        ("good", r"gut über|knapp über|etwas mehr als|gut|gute|guten"),
        (
            "more",
            r"(?:weit |deutlich |viel |noch )?(?:mehr als|über)|weit über|jenseits von",
        ),
        ("max", r"bis zu|höchstens|maximal|nicht mehr als|allenfalls"),
        ("nearly", r"knapp unter|knapp|fast|beinahe|nahezu|annähernd|an die"),
        # bare "unter" is mostly "among" ("eine Umfrage unter 1.012 Bürgern")
        ("less", r"weniger als|(?:knapp|deutlich|weit|etwas|liegt|lag|liegen|lagen|noch) unter"),
        (
            "approx",
            r"etwa|rund|ungefähr|circa|ca\.|zirka|schätzungsweise|geschätzt(?:e|en)?|um die",
        ),
        ("total", r"insgesamt|zusammen|total"),
    ],
    "en": [
        ("min", r"at least|no fewer than|no less than|a minimum of|not less than"),
        ("good", r"just over|a little over|slightly more than|a good"),
        (
            "more",
            r"(?:well |far |much )?(?:more than|over|above)|upwards of|in excess of|north of",
        ),
        ("max", r"up to|as many as|at most|no more than|a maximum of|not more than"),
        ("nearly", r"just under|nearly|almost|close to|just shy of|approaching"),
        ("less", r"fewer than|less than|under|below"),
        (
            "approx",
            r"about|around|some|roughly|approximately|approx\.|an estimated|estimated|"
            r"circa|ca\.|an approximate",
        ),
        ("total", r"a total of|in total|total of|totaling|totalling"),
    ],
}
_BEFORE_RE = {
    lang: [(kind, re.compile(r"(?:^|[^\w])(" + pat + r")\s+$", re.I)) for kind, pat in table]
    for lang, table in _BEFORE.items()
}
# Phrases right after the number: "10.000 oder mehr", "10,000 or more".
_AFTER_RE = {
    "de": [
        ("min", re.compile(r"^\s+(?:oder|und) mehr\b", re.I)),
        ("max", re.compile(r"^\s+oder weniger\b", re.I)),
    ],
    "en": [
        ("min", re.compile(r"^\s+(?:or|and) more\b", re.I)),
        ("max", re.compile(r"^\s+or (?:fewer|less)\b", re.I)),
    ],
}

# Between two numbers: the second ends a range with the first.
_RANGE_GAP = {
    "de": re.compile(r"^\s*(?:-|–|—|bis)\s*$", re.I),
    "en": re.compile(r"^\s*(?:-|–|—|to|through)\s*$", re.I),
}
_RANGE_BETWEEN = {
    "de": (
        re.compile(r"(?:^|[^\w])(zwischen|von)\s+$", re.I),
        re.compile(r"^\s+(und|bis)\s+$", re.I),
    ),
    "en": (
        re.compile(r"(?:^|[^\w])(between|from)\s+$", re.I),
        re.compile(r"^\s+(and|to)\s+$", re.I),
    ),
}

# Vague plurals with no number before them. Longest first inside each alternation.
_VAGUE = {
    "de": re.compile(
        r"\b(?:(?:mehrere|einige|viele|ein paar|etliche)\s+)?"
        r"(hunderttausende|zehntausende|tausende|hunderte|dutzende|millionen|milliarden"
        r"|(?<=mehrere )tausend|(?<=einige )tausend|(?<=mehrere )hundert|(?<=einige )hundert)\b",
        re.I,
    ),
    "en": re.compile(
        r"\b(?:(?:several|a few|many)\s+)?"
        r"(hundreds of thousands|tens of thousands|thousands|hundreds|dozens|millions|billions"
        r"|(?<=several )thousand|(?<=a few )thousand|(?<=several )hundred|(?<=a few )hundred)\b",
        re.I,
    ),
}
_VAGUE_INTERVAL: dict[str, tuple[float, float | None]] = {
    "dutzende": (24, 99),
    "dozens": (24, 99),
    "hunderte": (200, 999),
    "hundreds": (200, 999),
    "hundert": (200, 999),
    "hundred": (200, 999),
    "tausende": (2000, 9999),
    "thousands": (2000, 9999),
    "tausend": (2000, 9999),
    "thousand": (2000, 9999),
    "zehntausende": (20000, 99999),
    "tens of thousands": (20000, 99999),
    "hunderttausende": (200000, 999999),
    "hundreds of thousands": (200000, 999999),
    "millionen": (2e6, None),
    "millions": (2e6, None),
    "milliarden": (2e9, None),
    "billions": (2e9, None),
}


@dataclass(frozen=True, slots=True)
class Qualified:
    """An interval read from a qualifier: where the qualifier starts, and its kind and text."""

    start: int
    kind: str
    text: str


def qualifier_before(text: str, num_start: int, language: str, floor: int = 0) -> Qualified | None:
    """The qualifier phrase ending right before ``num_start`` (not reaching before ``floor``)."""
    lo = max(floor, num_start - 40)
    window = text[lo:num_start]
    for kind, rx in _BEFORE_RE["de" if language == "de" else "en"]:
        m = rx.search(window)
        if m:
            return Qualified(lo + m.start(1), kind, m.group(1))
    return None


def qualifier_after(text: str, num_end: int, language: str) -> Qualified | None:
    window = text[num_end : num_end + 20]
    for kind, rx in _AFTER_RE["de" if language == "de" else "en"]:
        m = rx.match(window)
        if m:
            return Qualified(num_end + m.end(), kind, m.group().strip())
    return None


def interval(kind: str | None, value: float) -> tuple[float | None, float | None]:
    """(low, high) for a qualifier kind applied to value (None kind = bare number)."""
    if kind is None:
        return value, value
    lo_f, hi_f = _KIND_INTERVAL[kind]
    low = None if lo_f is None else round(value * lo_f, 6)
    high = None if hi_f is None else round(value * hi_f, 6)
    return low, high


def range_gap(text: str, language: str) -> bool:
    """Whether ``text`` (between two numbers) joins them into a range "X bis Y", "X-Y"."""
    return bool(_RANGE_GAP["de" if language == "de" else "en"].match(text))


def range_between(before: str, gap: str, language: str) -> str | None:
    """ "zwischen X und Y" / "between X and Y": the opening word if before/gap form one."""
    opener, joiner = _RANGE_BETWEEN["de" if language == "de" else "en"]
    m = opener.search(before[-20:])
    if m and joiner.match(gap):
        word = m.group(1).lower()
        if word in ("zwischen", "between") and joiner.match(gap).group(1).lower() in ("und", "and"):
            return m.group(1)
        if word in ("von", "from") and joiner.match(gap).group(1).lower() in ("bis", "to"):
            return m.group(1)
    return None


@dataclass(frozen=True, slots=True)
class Vague:
    start: int
    end: int
    low: float
    high: float | None
    text: str


def find_vague(text: str, language: str) -> list[Vague]:
    """Vague plurals ("Tausende", "hundreds of", "mehrere Tausend") anywhere in ``text``."""
    out = []
    for m in _VAGUE["de" if language == "de" else "en"].finditer(text):
        key = m.group(1).lower()
        low, high = _VAGUE_INTERVAL[key]
        out.append(Vague(m.start(), m.end(), low, high, m.group()))
    return out
