"""Tokens and digit groups: "3.000" is 3000 in German, "3,000" in English, "1,2" is 1.2 in German.

The token pattern is linear (one separator character between digit runs, no nested
quantifiers over overlapping classes), so a megabyte of digits is one cheap token.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Longer digit runs are identifiers (phone numbers, IDs, hostile input), never counts.
MAX_DIGITS = 15
# A digit group may carry thousands/decimal separators (one character each) between digit runs.
TOKEN_RE = re.compile(
    r"(?P<num>\d+(?:[.,'\u00a0\u202f\u2009 ]\d+)*)"
    r"|(?P<word>[^\W\d_]+(?:[-\u2011][^\W\d_]+)*)"
    r"|(?P<punct>\S)"
)
_SPACES = " \u00a0\u202f\u2009'"
# Letters glued to digits that scale them ("5k", "1,2Mio", "1.2bn"); anything else glued to digits
# ("29km", "180ml", "MH17") makes the digits part of a unit or a name, not a number.
GLUED_SCALES = {"k": 1e3, "bn": 1e9, "mn": 1e6, "mio": 1e6, "mrd": 1e9, "tsd": 1e3, "b": 1e9}
EN_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


class Token(NamedTuple):
    """One token; a tuple because a news item has thousands and they are made in one pass."""

    kind: str  # "num", "word", "punct"
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Digit groups, words (hyphen-joined words stay one token) and single punctuation marks."""
    return [
        Token(m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in TOKEN_RE.finditer(text)
    ]


def split_digit_group(tok: str, language: str) -> list[tuple[int, int, float]]:
    """(start, end, value) pieces of one digit group under the language's separator rules.

    A thousands separator must be followed by exactly three digits after a first group of one to
    three digits; otherwise the group splits there ("423 0000" → 423 and 0, "2024 3.000" → 2024 and
    3000). A group with several decimal marks and no thousands marks ("192.168.1.2") is a list.
    """
    thousands = "." if language == "de" else ","
    decimal = "," if language == "de" else "."
    parts = re.split(r"([^\d])", tok)  # digits, sep, digits, sep, ...
    if tok.count(decimal) > 1 and thousands not in tok:
        out, pos = [], 0
        for p in parts[::2]:
            if len(p) <= MAX_DIGITS:
                out.append((pos, pos + len(p), float(p)))
            pos += len(p) + 1
        return out
    pieces: list[tuple[int, int, float]] = []
    i, pos = 0, 0
    while i < len(parts):
        start = pos
        int_digits = parts[i]
        pos += len(int_digits)
        dec_digits = ""
        used_sep = None
        j = i + 1
        while j < len(parts):
            sep, grp = parts[j], parts[j + 1]
            is_thousands = sep == thousands or sep in _SPACES
            if (
                not dec_digits
                and is_thousands
                and len(grp) == 3
                and len(parts[i]) <= 3
                and (used_sep is None or used_sep == sep)
            ):
                int_digits += grp
                used_sep = sep
            elif sep == decimal and not dec_digits:
                dec_digits = grp
            else:
                break
            pos += 1 + len(grp)
            j += 2
        if len(int_digits) <= MAX_DIGITS and len(dec_digits) <= MAX_DIGITS:
            pieces.append(
                (start, pos, float(int_digits + ("." + dec_digits if dec_digits else "")))
            )
        if j < len(parts):
            pos += 1  # skip the separator that broke the group
        i = j + 1
    return pieces
