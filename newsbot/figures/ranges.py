"""Number ranges as comparisons: "more than 10 and less than 40", "zwischen 20 und 30", "5k-20k".

Reads the bounds a text puts on a quantity, with open or closed ends, in the notation of the
Recognizers-Text NumberRangeModel (whose test suite this is checked against): "between 20 and 30"
and "20-30" are ``[20,30)``, "more than 10" ``(10,)``, "up to 700" ``(,700]``. A lower and an
upper bound joined by "and"/","/"but" ("larger than 20 and at most 35") form one range when the
lower is below the upper. Figures use ``qualifiers.py`` for news intervals; this module answers
the general question "what range does this phrase state".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.figures.numbers import NumberSpan, find_numbers


@dataclass(frozen=True, slots=True)
class RangeSpan:
    start: int
    end: int
    low: float | None
    high: float | None
    low_closed: bool
    high_closed: bool

    def notation(self) -> str:
        """Interval notation as Recognizers-Text writes it: "[20,30)", "(,5)", "[30,)"."""
        left = "[" if self.low is not None and self.low_closed else "("
        right = "]" if self.high is not None and self.high_closed else ")"
        return f"{left}{_fmt(self.low)},{_fmt(self.high)}{right}"


def _fmt(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if v == int(v) else repr(v)


_CMP = {
    "en": [
        (
            "ge",
            r"(?:larger|greater|bigger|higher|more) (?:than )?or equal (?:than|to)|"
            r"at least or equal to|equal to or (?:more|greater|larger|higher|bigger)(?: than)?|"
            r"no less than|not less than|no fewer than|at least|>\s*=|≥",
        ),
        (
            "le",
            r"(?:less|smaller|lower|fewer) (?:than )?or equal (?:than|to)|at most or equal to|"
            r"equal to or (?:less|smaller|lower|fewer)(?: than)?|no more than|not more than|"
            r"at most|up to|<\s*=|≤",
        ),
        (
            "gt",
            r"(?:more|larger|greater|bigger|higher) than|over|above|exceed(?:s|ing|ed)?|"
            r"surpass(?:es|ing|ed)?|(?<![<=>])>",
        ),
        ("lt", r"(?:less|fewer|smaller|lower) than|below|under|(?<![<=>])<(?![>=])"),
        ("eq", r"equal(?:s|ing)? to|equals|(?<![<=>])=(?![<>])"),
    ],
    "de": [
        ("ge", r"mindestens|nicht weniger als|wenigstens|größer oder gleich|>\s*=|≥"),
        ("le", r"höchstens|bis zu|maximal|nicht mehr als|kleiner oder gleich|<\s*=|≤"),
        ("gt", r"mehr als|größer als|über|(?<![<=>])>"),
        ("lt", r"weniger als|kleiner als|unter|(?<![<=>])<(?![>=])"),
        ("eq", r"gleich|genau"),
    ],
}
_CMP_RE = {
    lang: [
        (k, re.compile(r"(?:^|(?<=[^\w])|(?=[<>=≤≥]))(?:" + p + r")\s*$", re.I)) for k, p in rows
    ]
    for lang, rows in _CMP.items()
}
_TRAIL = {
    "en": [
        ("ge", r"(?:or|and) (?:more|greater|larger|higher|above)(?: than)?"),
        ("le", r"(?:or|and) (?:less|fewer|smaller|lower|below)(?: than)?"),
        ("eq_ge", r"or equal(?: to)?"),
    ],
    "de": [
        ("ge", r"(?:oder|und) mehr"),
        ("le", r"oder weniger"),
        ("eq_ge", r"oder gleich"),
    ],
}
_TRAIL_RE = {
    lang: [(k, re.compile(r"\s+(?:" + p + r")\b", re.I)) for k, p in rows]
    for lang, rows in _TRAIL.items()
}
_BETWEEN = {
    "en": (r"between|from", r"and|to"),
    "de": (r"zwischen|von", r"und|bis"),
}
_SPAN_GAP = {"en": r"\s*(?:-|–|~|through|to)\s*", "de": r"\s*(?:-|–|~|bis)\s*"}
_JOIN = re.compile(r"^\s*(?:,\s*|and\s+|but\s+|und\s+|aber\s+|,\s*(?:and|und)\s+)$", re.I)
_NUMBER_AHEAD = re.compile(
    r"^\s*(?:[-+<>=]?\s*\d|a\s|an\s|one\b|two\b|three\b|[a-z]+ty\b|ten\b)", re.I
)


@dataclass(slots=True)
class _Bound:
    start: int
    end: int
    kind: str  # gt ge lt le eq
    value: float


def _comparator(text: str, num: NumberSpan, floor: int, lang: str) -> tuple[str, int] | None:
    window = text[max(floor, num.start - 60) : num.start]
    base = num.start - len(window)
    for kind, rx in _CMP_RE[lang]:
        m = rx.search(window)
        if m:
            return kind, base + m.start()
    return None


def _trailing(text: str, end: int, lang: str) -> tuple[str, int] | None:
    for kind, rx in _TRAIL_RE[lang]:
        m = rx.match(text, end)
        if m:
            if _NUMBER_AHEAD.match(text[m.end() :]) and kind != "eq_ge":
                return None
            if kind == "eq_ge" and _NUMBER_AHEAD.match(text[m.end() :]):
                return None
            return kind, m.end()
    return None


def _to_range(b: _Bound) -> RangeSpan:
    v = b.value
    return {
        "gt": RangeSpan(b.start, b.end, v, None, False, False),
        "ge": RangeSpan(b.start, b.end, v, None, True, False),
        "lt": RangeSpan(b.start, b.end, None, v, False, False),
        "le": RangeSpan(b.start, b.end, None, v, False, True),
        "eq": RangeSpan(b.start, b.end, v, v, True, True),
    }[b.kind]


def find_ranges(text: str, language: str) -> list[RangeSpan]:
    """Every stated range in ``text`` (see module doc), in order."""
    lang = "de" if language == "de" else "en"
    nums = [n for n in find_numbers(text, lang) if not n.ordinal]
    out: list[RangeSpan] = []
    bounds: list[_Bound] = []
    floor = 0
    i = 0
    opener_re = re.compile(r"(?:^|(?<=[^\w]))(" + _BETWEEN[lang][0] + r")\s+$", re.I)
    joiner_re = re.compile(r"^\s+(?:" + _BETWEEN[lang][1] + r")\s+$", re.I)
    gap_re = re.compile(r"^" + _SPAN_GAP[lang] + r"$", re.I)
    while i < len(nums):
        n = nums[i]
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        if nxt is not None:
            gap = text[n.end : nxt.start]
            before = text[max(floor, n.start - 20) : n.start]
            m = opener_re.search(before)
            pair_start = None
            if m and joiner_re.match(gap):
                pair_start = n.start - len(before) + m.start(1)
            elif gap_re.match(gap) and _plain_pair(text, n, nxt):
                pair_start = n.start
            low = n.value
            if n.scale == 1 and nxt.scale > 1 and n.value < nxt.base:
                low = n.value * nxt.scale  # "100 bis 300 Milliarden"
            if pair_start is not None and low < nxt.value:
                out.append(RangeSpan(pair_start, nxt.end, low, nxt.value, True, False))
                floor = nxt.end
                i += 2
                continue
        cmp = _comparator(text, n, floor, lang)
        trail = _trailing(text, n.end, lang)
        if cmp is None and trail is None:
            i += 1
            continue
        kind = cmp[0] if cmp else "eq"
        start = cmp[1] if cmp else n.start
        end = n.end
        if trail is not None:
            tkind, end = trail
            if tkind == "eq_ge":
                kind = {"gt": "ge", "lt": "le"}.get(kind, kind)
            elif kind in ("eq",) or cmp is None:
                kind = tkind
            else:
                end = n.end
        bounds.append(_Bound(start, end, kind, n.value))
        floor = end
        i += 1
    out.extend(_merge(text, bounds))
    out.sort(key=lambda r: r.start)
    return out


def _plain_pair(text: str, a: NumberSpan, b: NumberSpan) -> bool:
    """ "1000-5000" is a range; "1995-01" and "+1-222-2222" are not."""
    digits_b = text[b.start : b.end]
    if digits_b.startswith("0") and len(digits_b) > 1:
        return False
    if a.start > 0 and text[a.start - 1] in "-+/":
        return False
    return not (b.end < len(text) and text[b.end : b.end + 1] in ("-", "/"))


def _merge(text: str, bounds: list[_Bound]) -> list[RangeSpan]:
    out: list[RangeSpan] = []
    i = 0
    while i < len(bounds):
        a = bounds[i]
        b = bounds[i + 1] if i + 1 < len(bounds) else None
        if b is not None and _JOIN.match(text[a.end : b.start]):
            lower = a if a.kind in ("gt", "ge") else b if b.kind in ("gt", "ge") else None
            upper = a if a.kind in ("lt", "le") else b if b.kind in ("lt", "le") else None
            if lower and upper and lower is not upper and lower.value < upper.value:
                out.append(
                    RangeSpan(
                        a.start,
                        b.end,
                        lower.value,
                        upper.value,
                        lower.kind == "ge",
                        upper.kind == "le",
                    )
                )
                i += 2
                continue
        out.append(_to_range(a))
        i += 1
    return out
