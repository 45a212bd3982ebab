"""Read the numbers in German or English news text, with their character offsets.

One left-to-right pass over a token stream (digit groups, words, single punctuation marks).
Digit groups are read with the separators of the text's language ("3.000" is 3000 in German,
"3,000" in English; "1,2" is 1.2 in German); number words and scale words ("zwei Millionen
eintausendeinhundertfünfzig", "eleven thousand", "1,2 Mio.", "5k") are combined into one value.
Which of these numbers are *figures* is decided elsewhere (``extract.py``); this module only reads.

Every regular expression here is linear (no nested quantifiers over overlapping classes), and
words longer than ``number_words.MAX_WORD_LEN`` are never parsed, so hostile input stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsbot.figures.digits import (
    EN_ORDINAL_SUFFIXES,
    GLUED_SCALES,
    Token,
    split_digit_group,
    tokenize,
)
from newsbot.figures.number_words import (
    DOZEN_WORDS,
    EN_SCALES,
    SCALES,
    WordValue,
    may_start_number,
    read_word,
)

_ARTICLES = {
    "de": frozenset({"ein", "eine", "einen", "einem", "einer", "eines"}),
    "en": frozenset({"a", "an"}),
}
_HALF = {"de": frozenset({"halbe", "halbes", "halben", "halber"}), "en": frozenset({"half"})}
_AND = {"de": "und", "en": "and"}
_POINT = {"de": "komma", "en": "point"}
_SIGN_WORDS = {"minus": -1, "negative": -1, "plus": 1}
# English "one" after these is a pronoun ("the one you mentioned"), not a number.
_EN_ONE_PRONOUN_BEFORE = frozenset(
    {"the", "this", "that", "which", "each", "every", "any", "no", "some", "another", "other"}
)


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number read from text: ``text[start:end]`` means ``value``."""

    start: int
    end: int
    value: float
    ordinal: bool = False
    scale: float = 1.0  # multiplier of a trailing scale word ("300 Milliarden" → 1e9)
    words: bool = False  # spelled out (at least partly) rather than digits

    @property
    def base(self) -> float:
        return self.value / self.scale


@dataclass(slots=True)
class _Acc:
    """Running value of a spelled-out number while its words are read."""

    total: float = 0.0
    current: float | None = None
    last_scale: float = float("inf")
    last_kind: str = ""
    scale: float = 1.0
    pending_and: bool = False  # English "and" read, waiting for the next number word

    def value(self) -> float:
        return self.total + (self.current or 0.0)


def _scale_of(word: str, language: str) -> float | None:
    w = word.lower()
    if language == "en" and w in EN_SCALES:
        return EN_SCALES[w]
    if w in ("hundert", "hundred", "tausend", "thousand"):
        return None  # handled as multiplier words
    return SCALES.get(w)


class _Reader:
    """Reads numbers from a token list (see module doc)."""

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
            _scale_of(w, self.lang) is not None
            or w in ("hundert", "hundred", "tausend", "thousand")
            or w in DOZEN_WORDS
        )

    def glued_scale(self, tok: Token) -> tuple[float, int] | None:
        """Scale letters glued to the digit group (and how many characters they take)."""
        t = self.toks
        idx = self._index[id(tok)]
        nxt = t[idx + 1] if idx + 1 < len(t) else None
        if nxt is None or nxt.kind != "word" or nxt.start != tok.end:
            return None
        suffix = nxt.text.lower()
        if suffix in GLUED_SCALES:
            return GLUED_SCALES[suffix], idx + 1
        return None

    def read_all(self) -> list[NumberSpan]:
        self._index = {id(t): k for k, t in enumerate(self.toks)}
        out: list[NumberSpan] = []
        i = 0
        n = len(self.toks)
        while i < n:
            res = self.read_at(i)
            if res is None:
                i += 1
                continue
            spans, i = res
            out.extend(spans)
        return out

    # -- one number starting at token i -------------------------------------------------------
    def read_at(self, i: int) -> tuple[list[NumberSpan], int] | None:
        tok = self.toks[i]
        if tok.kind == "num":
            return self.read_digits(i)
        if tok.kind == "word":
            if not may_start_number(tok.text, self.lang):
                return None
            sign = _SIGN_WORDS.get(tok.text.lower())
            if sign is not None:
                inner = self.read_words(i + 1)
                if inner is not None:
                    (sp,), end = inner
                    span = NumberSpan(
                        tok.start, sp.end, sign * sp.value, sp.ordinal, sp.scale, sp.words
                    )
                    return [span], end
                return None
            return self.read_words(i)
        return None

    def read_digits(self, i: int) -> tuple[list[NumberSpan], int] | None:
        tok = self.toks[i]
        prev = self.toks[i - 1] if i > 0 else None
        if prev is not None and prev.end == tok.start and prev.kind == "word":
            return None  # "MH17", "t0": part of a name
        glued = self.glued_scale(tok)
        nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
        if glued is None and nxt is not None and nxt.kind == "word" and nxt.start == tok.end:
            if self.lang == "en" and nxt.text.lower() in EN_ORDINAL_SUFFIXES:
                pieces = split_digit_group(tok.text, self.lang)
                if not pieces:
                    return None
                s, _e, v = pieces[-1]
                return [NumberSpan(tok.start + s, nxt.end, v, ordinal=True)], i + 2
            return None  # "29km", "180ml"
        pieces = split_digit_group(tok.text, self.lang)
        spans = [NumberSpan(tok.start + s, tok.start + e, v) for s, e, v in pieces]
        if not spans or spans[-1].end != tok.end:
            return spans, i + 1  # an over-long digit run was dropped: nothing to attach to
        last = spans[-1]
        sign = self._digit_sign(i)
        if sign and len(spans) == 1:
            last = NumberSpan(self.toks[i - 1].start, last.end, -last.value)
            spans = [last]
        if glued is not None:
            scale, j = glued
            spans[-1] = NumberSpan(last.start, self.toks[j].end, last.value * scale, scale=scale)
            return spans, j + 1
        # digits followed by scale words: "1,2 Millionen", "300 Milliarden", "10 Tsd.", "2 million"
        acc = _Acc(current=last.value, last_kind="digits")
        end_idx, end_char = self._continue(acc, i + 1, last.end)
        if end_idx > i + 1:
            spans[-1] = NumberSpan(last.start, end_char, acc.value(), scale=acc.scale, words=True)
        return spans, end_idx

    def _digit_sign(self, i: int) -> bool:
        """A minus glued to the digits and not joining two numbers ("<-30", " -1")."""
        if i == 0:
            return False
        m = self.toks[i - 1]
        if m.text not in "-−" or m.end != self.toks[i].start:
            return False
        before = self.toks[i - 2] if i >= 2 else None
        return (
            before is None
            or (before.kind == "punct" and before.text not in ")")
            or (before.kind == "word" and before.end < m.start)
        )

    def read_words(self, i: int) -> tuple[list[NumberSpan], int] | None:
        tok = self.toks[i]
        w = tok.text.lower()
        acc = _Acc()
        j = i
        if w in _ARTICLES[self.lang]:
            # an article is a number only before a scale word or a fraction: "eine Million",
            # "ein halbes Dutzend", "a dozen", German "ein und zwanzig"
            if self.word(i + 1) in _HALF[self.lang] and self.is_scale_next(i + 2):
                acc.current, acc.last_kind, j = 0.5, "unit", i + 2
            elif self.is_scale_next(i + 1):
                acc.current, acc.last_kind, j = 1.0, "unit", i + 1
            elif self.lang == "de" and w == "ein" and (ut := self._und_tens(i + 1)) is not None:
                acc.current, j = 1.0 + ut[0], ut[1]
                acc.last_kind = "ordinal" if ut[2] else "tens"
            else:
                return None
            end_idx, end_char = self._continue(acc, j, self.toks[j - 1].end)
            return [
                NumberSpan(tok.start, end_char, acc.value(), scale=acc.scale, words=True)
            ], end_idx
        if w in _HALF[self.lang] and self.lang == "en":
            if self.word(i + 1) in _ARTICLES["en"] and self.is_scale_next(i + 2):
                acc.current, acc.last_kind = 0.5, "unit"
                end_idx, end_char = self._continue(acc, i + 2, self.toks[i + 1].end)
                return [
                    NumberSpan(tok.start, end_char, acc.value(), scale=acc.scale, words=True)
                ], end_idx
            if self.is_scale_next(i + 1):
                acc.current, acc.last_kind = 0.5, "unit"
                end_idx, end_char = self._continue(acc, i + 1, tok.end)
                return [
                    NumberSpan(tok.start, end_char, acc.value(), scale=acc.scale, words=True)
                ], end_idx
            return None
        r = self.reading(i)
        if r is None or r.kind == "article":
            return None
        if r.ordinal:
            return [NumberSpan(tok.start, tok.end, r.value, ordinal=True, words=True)], i + 1
        if (
            self.lang == "de"
            and r.kind in ("hundred", "thousand")
            and tok.text[0].isupper()
            and i > 0
        ):
            prev = self.toks[i - 1]
            if prev.kind == "word" and prev.text[0].isupper() and self.reading(i - 1) is None:
                return None  # "Claudia Tausend": a surname
        if (
            self.lang == "en"
            and w == "one"
            and i > 0
            and self.word(i - 1) in _EN_ONE_PRONOUN_BEFORE
        ):
            return None
        end_idx, end_char = self._continue(acc, i, tok.start)
        if end_idx == i:
            return None
        return [
            NumberSpan(
                tok.start, end_char, acc.value(), acc.last_kind == "ordinal", acc.scale, True
            )
        ], end_idx

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
        self, acc: _Acc, i: int, end_char: int, allow_more_small: bool = True
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

    def _step(self, acc: _Acc, j: int, tok: Token, w: str, allow_small: bool) -> int | None:
        lang = self.lang
        kind = acc.last_kind
        if tok.kind == "num":
            if not allow_small or acc.current is not None or kind not in ("", "scale", "thousand"):
                return None
            if self.toks[j - 1].end == tok.start and j > 0 and self.toks[j - 1].kind != "punct":
                return None
            pieces = split_digit_group(tok.text, lang)
            if len(pieces) != 1:
                return None
            acc.current, acc.last_kind = pieces[0][2], "digits"
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
        if w == _AND[lang]:
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
        if w == _POINT[lang]:
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
        scale = _scale_of(w, lang)
        if scale is not None:
            if acc.current is None and acc.total == 0:
                return None
            mult = acc.current if acc.current is not None else 1.0
            if scale >= acc.last_scale or mult >= 1000:
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

    def _step_word(self, acc: _Acc, j: int, r: WordValue) -> int | None:
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
    def _set(acc: _Acc, v: float, kind: str, j: int) -> int:
        acc.current = v
        acc.last_kind = kind
        return j + 1


def find_numbers(text: str, language: str) -> list[NumberSpan]:
    """Every number in ``text`` read under ``language`` ("de" or "en") rules, in order."""
    lang = "de" if language == "de" else "en"
    return _Reader(text, tokenize(text), lang).read_all()


def read_number(text: str, language: str) -> float:
    """The value of ``text`` read as exactly one number; ValueError if it is not one number."""
    stripped = text.strip()
    spans = find_numbers(stripped, language)
    if len(spans) != 1 or spans[0].start != 0 or spans[0].end != len(stripped):
        raise ValueError(f"not a single number: {text[:80]!r}")
    return spans[0].value


def find_numbers_in_tokens(text: str, tokens: Sequence[Token], language: str) -> list[NumberSpan]:
    """As ``find_numbers`` for an already tokenized text (saves a pass in the extractor)."""
    lang = "de" if language == "de" else "en"
    return _Reader(text, tokens, lang).read_all()
