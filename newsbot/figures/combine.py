"""Spelled-out numbers across words: "zwei Millionen eintausendeinhundertfünfzig",
"one hundred and five", "ein halbes Dutzend", "zwölf komma neun", "1,2 Millionen".

``WordCombiner`` holds the token list and extends a number word by word: multipliers must fall
("tausend hundertzweitausend" is two numbers), German joins "zwei und zwanzig", English
"twenty-one" and "hundred and five"; a scale word multiplies what precedes it. ``numbers.py``
decides where a number starts; this module decides where it ends and what it is worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.figures.digits import Token, split_digit_group
from newsbot.figures.number_words import (
    DOZEN_WORDS,
    EN_SCALES,
    SCALES,
    WordValue,
    read_word,
)

ARTICLES = {
    "de": frozenset({"ein", "eine", "einen", "einem", "einer", "eines"}),
    "en": frozenset({"a", "an"}),
}
HALF = {"de": frozenset({"halbe", "halbes", "halben", "halber"}), "en": frozenset({"half"})}
AND = {"de": "und", "en": "and"}
POINT = {"de": "komma", "en": "point"}


@dataclass(slots=True)
class Acc:
    """Running value of a spelled-out number while its words are read."""

    total: float = 0.0
    current: float | None = None
    last_scale: float = float("inf")
    last_kind: str = ""
    scale: float = 1.0
    pending_and: bool = False  # English "and" read, waiting for the next number word

    def value(self) -> float:
        return self.total + (self.current or 0.0)


def scale_of(word: str, language: str) -> float | None:
    w = word.lower()
    if language == "en" and w in EN_SCALES:
        return EN_SCALES[w]
    if w in ("hundert", "hundred", "tausend", "thousand"):
        return None  # handled as multiplier words
    return SCALES.get(w)


class WordCombiner:
    """Reads number words from a token list (see module doc)."""

    def __init__(self, text: str, tokens: Sequence[Token], language: str) -> None:
        self.text = text
        self.toks = tokens
        self.lang = language

    def word(self, i: int) -> str:
        t = self.toks[i] if i < len(self.toks) else None
        return t.text.lower() if t is not None and t.kind == "word" else ""

    def reading(self, i: int) -> WordValue | None:
        if i >= len(self.toks) or self.toks[i].kind != "word":
            return None
        return read_word(self.toks[i].text, self.lang)

    def is_scale_next(self, i: int) -> bool:
        w = self.word(i)
        return bool(w) and (
            scale_of(w, self.lang) is not None
            or w in ("hundert", "hundred", "tausend", "thousand")
            or w in DOZEN_WORDS
        )

    def _und_tens(self, i: int) -> tuple[int, int, bool] | None:
        """German spaced "und zwanzig(ste)" at token i: (tens value, index after, ordinal)."""
        if self.word(i) != "und":
            return None
        r = self.reading(i + 1)
        if r is not None and (
            r.kind == "tens" or (r.ordinal and 20 <= r.value <= 90 and r.value % 10 == 0)
        ):
            return int(r.value), i + 2, r.ordinal
        return None

    def _continue(
        self, acc: Acc, i: int, end_char: int, allow_more_small: bool = True
    ) -> tuple[int, int]:
        """Extend the number in ``acc`` from token i; returns (next token index, end offset)."""
        lang = self.lang
        n = len(self.toks)
        good = (i, end_char, acc.total, acc.current, acc.last_scale, acc.last_kind, acc.scale)
        j = i
        while j < n:
            tok = self.toks[j]
            w = tok.text.lower() if tok.kind == "word" else ""
            step = self._step(acc, j, tok, w, allow_more_small)
            if step is None:
                break
            j = step
            if not acc.pending_and and acc.last_kind not in ("point", "dash"):
                good = (
                    j,
                    self.toks[j - 1].end,
                    acc.total,
                    acc.current,
                    acc.last_scale,
                    acc.last_kind,
                    acc.scale,
                )
            if acc.last_kind in ("dozen", "ordinal"):
                break
        j, end_char, acc.total, acc.current, acc.last_scale, acc.last_kind, acc.scale = good
        if lang == "de" and j < n and self.toks[j].text == "." and j > 0:
            # abbreviated scale words carry a dot: "Mio.", "Mrd.", "Tsd."
            prev = self.toks[j - 1].text.lower()
            if prev in ("mio", "mrd", "tsd") and self.toks[j].start == self.toks[j - 1].end:
                return j + 1, self.toks[j].end
        return j, end_char

    def _step(self, acc: Acc, j: int, tok: Token, w: str, allow_small: bool) -> int | None:
        lang = self.lang
        kind = acc.last_kind
        if tok.kind == "num":
            after_hundred = kind == "hundred" and acc.pending_and  # "3 hundred and 21"
            if not allow_small or not (
                after_hundred or (acc.current is None and kind in ("", "scale", "thousand"))
            ):
                return None
            if self.toks[j - 1].end == tok.start and j > 0 and self.toks[j - 1].kind != "punct":
                return None
            pieces = split_digit_group(tok.text, lang)
            if len(pieces) != 1 or (after_hundred and pieces[0][2] >= 100):
                return None
            acc.current = (acc.current or 0.0) + pieces[0][2]
            acc.last_kind = "digits"
            acc.pending_and = False
            return j + 1
        if tok.kind == "punct":
            if tok.text in "-–" and lang == "en" and kind == "tens":
                r = self.reading(j + 1)
                if r is not None and r.kind == "unit":
                    acc.last_kind = "dash"
                    return j + 1
            return None
        if not w:
            return None
        if w == AND[lang]:
            if kind in ("", "point", "dash"):
                return None
            if lang == "de":
                if kind == "unit" and acc.current is not None and acc.current < 10:
                    ut = self._und_tens(j)
                    if ut is not None:
                        acc.current += ut[0]
                        acc.last_kind = "ordinal" if ut[2] else "tens"
                        return ut[1]
                return None
            if kind in ("hundred", "thousand", "scale") and not acc.pending_and:
                acc.pending_and = True
                return j + 1
            return None
        if w == POINT[lang]:
            if acc.current is None or kind == "point" or acc.pending_and:
                return None
            digits = ""
            k = j + 1
            while k < len(self.toks):
                r = self.reading(k)
                if (
                    r is None
                    or r.ordinal
                    or r.kind in ("hundred", "thousand", "article", "fraction")
                ):
                    break
                if lang == "de" and r.value > 9:
                    break
                if lang == "en" and r.value > 99:
                    break
                digits += str(int(r.value))
                k += 1
            if not digits:
                return None
            acc.current = float(f"{int(acc.current)}.{digits}")
            acc.last_kind = "decimal"
            return k
        scale = scale_of(w, lang)
        if scale is not None:
            if acc.current is None and acc.total == 0:
                return None
            mult = acc.current if acc.current is not None else 1.0
            if scale >= acc.last_scale or (mult >= 1000 and acc.last_kind != "digits"):
                return None
            acc.total += mult * scale
            acc.current = None
            acc.last_scale = scale
            acc.scale = scale
            acc.last_kind = "scale"
            return j + 1
        if w in DOZEN_WORDS:
            mult = acc.current if acc.current is not None else None
            if mult is None:
                return None
            acc.current = mult * 12
            acc.last_kind = "dozen"
            return j + 1
        if lang == "en" and w == "half" and kind in ("", "digits"):
            return None
        r = read_word(tok.text, lang)
        if r is not None and r.kind == "article" and w == "ein" and lang == "de":
            ut = self._und_tens(j + 1)  # "zwei tausend ein und zwanzig"
            fits = (acc.current is None and kind in ("", "scale", "thousand")) or kind == "hundred"
            if ut is not None and fits:
                r = WordValue(1 + ut[0], "ordinal" if ut[2] else "tens", ut[2])
                if self._step_word(acc, j, r) is None:
                    return None
                acc.pending_and = False
                return ut[1]
        if r is None or r.kind == "article":
            return None
        nxt = self._step_word(acc, j, r)
        if nxt is not None:
            acc.pending_and = False
        return nxt

    def _step_word(self, acc: Acc, j: int, r: WordValue) -> int | None:
        lang = self.lang
        kind = acc.last_kind
        cur = acc.current
        if r.kind == "hundred":
            if cur is None:
                if kind in ("scale", "thousand") or acc.total == 0:
                    acc.current, acc.last_kind = 100.0, "hundred"
                    return j + 1
                return None
            limit = 1000 if kind == "digits" else 20
            bad = kind in ("hundred", "tens", "decimal") or cur >= limit or cur != int(cur)
            if bad and not (kind == "decimal" and lang == "en"):
                return None
            acc.current = cur * 100
            acc.last_kind = "hundred"
            return j + 1
        if r.kind == "thousand":
            mult = cur if cur is not None else (None if acc.total else 1.0)
            if mult is None or mult >= 1000 or acc.last_scale <= 1000:
                return None
            acc.total += mult * 1000
            acc.current = None
            acc.last_scale = 1000
            acc.scale = 1000
            acc.last_kind = "thousand"
            return j + 1
        if r.kind == "fraction":
            return None if cur is not None or kind else self._set(acc, r.value, "unit", j)
        v = r.value
        if cur is None:
            if kind and kind not in ("scale", "thousand"):
                return None
            if r.kind == "compound" and v >= 1000:
                if v >= acc.last_scale:
                    return None
                if v % 1000 == 0 and acc.last_scale > 1000:
                    acc.total += v
                    acc.last_scale = 1000
                    acc.scale = 1000
                    acc.last_kind = "thousand"
                    return j + 1
                acc.total += v
                acc.last_scale = 1
                acc.last_kind = "closed"
                return j + 1
            if acc.total and v >= min(acc.last_scale, 1000):
                return None
            if r.ordinal:
                acc.current, acc.last_kind = v, "ordinal"
                return j + 1
            if r.kind == "zero" and (acc.total or kind):
                return None
            return self._set(acc, v, "hundred" if r.kind == "hundreds" else r.kind, j)
        # appending to a number in progress
        if kind == "hundred" and v < 100 and r.kind != "zero":
            acc.current = cur + v
            acc.last_kind = "ordinal" if r.ordinal else r.kind
            return j + 1
        if lang == "en" and kind in ("tens", "dash") and r.kind == "unit":
            acc.current = cur + v
            acc.last_kind = "ordinal" if r.ordinal else "unit"
            return j + 1
        return None

    @staticmethod
    def _set(acc: Acc, v: float, kind: str, j: int) -> int:
        acc.current = v
        acc.last_kind = kind
        return j + 1
