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

from newsbot.figures.combine import ARTICLES, HALF, Acc, WordCombiner
from newsbot.figures.digits import (
    EN_ORDINAL_SUFFIXES,
    GLUED_SCALES,
    Token,
    split_digit_group,
    tokenize,
)
from newsbot.figures.number_words import may_start_number

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


class _Reader(WordCombiner):
    """Reads numbers from a token list (see module doc)."""

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
                nxt = self.toks[i + 1] if i + 1 < len(self.toks) else None
                inner = (
                    self.read_digits(i + 1)
                    if nxt is not None and nxt.kind == "num"
                    else self.read_words(i + 1)
                )
                if inner is not None and len(inner[0]) != 1:
                    return None
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
        acc = Acc(current=last.value, last_kind="digits")
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
        acc = Acc()
        j = i
        if w in ARTICLES[self.lang]:
            # an article is a number only before a scale word or a fraction: "eine Million",
            # "ein halbes Dutzend", "a dozen", German "ein und zwanzig"
            if self.word(i + 1) in HALF[self.lang] and self.is_scale_next(i + 2):
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
        if w in HALF[self.lang] and self.lang == "en":
            if self.word(i + 1) in ARTICLES["en"] and self.is_scale_next(i + 2):
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
