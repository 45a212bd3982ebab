"""Figures of a news item: every count it reports, with interval, unit, subject and claimant.

Steps (all offsets into the one text, no copies per sentence):

1. read all numbers (``numbers.py``), join "X bis Y"/"between X and Y" into ranges, add vague
   plurals ("Tausende", "hundreds of");
2. drop noise (``noise.py``) and numbers that count nothing: a figure needs a counted noun right
   after it ("3.000 nordkoreanische Soldaten"), or, when the number ends the phrase ("die Zahl
   ... auf etwa 10.000", "put the total at about 10,000"), a known counted noun earlier in the
   sentence or in the sentence before;
3. qualifier → interval (``qualifiers.py``), unit + nationality + context → subject key
   (``subjects.py``), claimant from the sentence or its neighbours (``attribution.py``), else the
   outlet (``source``);
4. one figure per (subject, interval) and claimant: a headline repeating the body is one figure.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from newsbot.figures.attribution import refers_back, sentence_claimant
from newsbot.figures.claimants import claimant_group, find_aliases, same_claimant
from newsbot.figures.noise import noise_reason
from newsbot.figures.numbers import NumberSpan, find_numbers_in_tokens, tokenize
from newsbot.figures.qualifiers import (
    find_vague,
    interval,
    qualifier_after,
    qualifier_before,
    range_between,
    range_gap,
)
from newsbot.figures.segment import Sentence, guess_language, split_sentences
from newsbot.figures.subjects import (
    UNIT_ANY,
    actor_mentions,
    actor_nationality,
    relation_in,
    subject_key,
    unit_concept,
)
from newsbot.figures.units import Unit, antecedent, nationality_around, unit_after
from newsbot.types import Figure

# Invisible format characters (soft hyphens, zero-width spaces, direction marks) are dropped and
# control characters become spaces, so "Sol\u00addaten" is Soldaten and "3.000\u200b" a number.
_INVISIBLE = {
    **{c: None for c in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
    **{c: None for c in range(0x202A, 0x202F)},
    **{c: None for c in range(0x2066, 0x206A)},
    **{c: " " for c in range(0x00, 0x20) if c not in (0x09, 0x0A)},
}
# At most this many numbers of one item are examined (a real article has a few hundred at most).
MAX_CANDIDATES = 2_000
# A "sentence" longer than this is not prose; context is then read only this close to a number,
# which keeps the work per figure constant on hostile input.
LOCAL_CHARS = 1_000
MAX_TEXT_CHARS = 200_000  # longer input is cut here: no news item is longer, and time stays bounded
_REFERENCE_WORDS = re.compile(
    r"\b(?:total|number|figure|count|first|remaining|rest|another|zahl|gesamtzahl|insgesamt|"
    r"davon|ersten|weitere|übrigen|of them|among them)\b",
    re.I,
)

# Lines that point elsewhere ("Lesen Sie auch: Die 5 wichtigsten Fragen ...") report no figures.
_FURNITURE_LINE = re.compile(
    r"^(?:lesen sie auch|mehr zum thema|auch interessant|das könnte sie|weitere artikel|"
    r"read more|also read|related|see also|more on this|watch)\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int  # where the qualifier or range starts
    num_start: int
    end: int  # end of the number (or range, or vague word)
    value: float
    low: float | None
    high: float | None
    qualifier: str | None
    plain_digits: bool
    num: NumberSpan | None


class _Item:
    """One text being read; caches per-sentence work."""

    def __init__(self, text: str, language: str, source: str | None) -> None:
        self.text = text
        self.lower = text.lower()
        self.lang = language
        self.source = source
        self.sentences = split_sentences(text)
        self.starts = [s.start for s in self.sentences]
        self._claimants: dict[int, str | None] = {}
        self._item_nat: str | bool | None = False
        self._actors: dict[tuple[str, str | None], list[tuple[int, int, str]]] = {}

    def local_block(self, idx: int, offset: int) -> tuple[int, int]:
        """The LOCAL_CHARS block of an over-long sentence that holds ``offset``."""
        sent = self.sentences[idx]
        lo = sent.start + (offset - sent.start) // LOCAL_CHARS * LOCAL_CHARS
        return lo, min(sent.end, lo + LOCAL_CHARS)

    def sentence_index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def claimant_of(self, idx: int) -> str | None:
        if idx not in self._claimants:
            s = self.sentences[idx]
            self._claimants[idx] = sentence_claimant(s.text, self.lang, is_title=idx == 0)
        return self._claimants[idx]

    def claimant_for(self, idx: int, offset: int) -> tuple[str | None, int]:
        """Claimant for a figure at ``offset`` in sentence idx, with a rank (3 own … 0 outlet).

        A clause after ";" with its own cue has its own claimant ("Seoul said 1,500 had
        arrived; Kyiv put the number at 3,000").
        """
        sent = self.sentences[idx]
        if sent.end - sent.start > LOCAL_CHARS:
            # not a real sentence (hostile or unpunctuated text): look only near the figure,
            # in blocks of LOCAL_CHARS read once each
            lo, hi = self.local_block(idx, offset)
            key = -1 - lo
            if key not in self._claimants:
                self._claimants[key] = sentence_claimant(self.text[lo:hi], self.lang)
            own = self._claimants[key]
            return (own, 3) if own else (self.source, 0)
        if ";" in sent.text:
            rel = offset - sent.start
            lo = sent.text.rfind(";", 0, rel) + 1
            hi = sent.text.find(";", rel)
            clause = sent.text[lo : hi if hi >= 0 else len(sent.text)]
            own = sentence_claimant(clause, self.lang)
            if own:
                return own, 3
        own = self.claimant_of(idx)
        if own:
            return own, 3 if idx else 2
        if idx > 0 and refers_back(self.sentences[idx].text):
            prev = self.claimant_of(idx - 1)
            aliases = find_aliases(self.sentences[idx - 1].text)
            if prev or aliases:
                return prev or aliases[0].display, 3
        nxt = idx + 1
        if nxt < len(self.sentences) and re.match(
            r"^(?:das|dies|so|this|that)\b", self.sentences[nxt].text, re.I
        ):
            c = self.claimant_of(nxt)
            if c:
                return c, 1
        if idx > 0:
            c = self.claimant_of(idx - 1)
            if c:
                return c, 1
        return self.source, 0

    def actor_of(self, local: str, claimant: str | None, pos: int) -> str | None:
        """Whose soldiers a number at ``pos`` of a sentence (or block) counts, claimants masked."""
        key = (local, claimant)
        if key not in self._actors:
            self._actors[key] = actor_mentions(_mask_claimants(local, claimant))
        return actor_nationality(self._actors[key], pos, local)

    def item_nationality(self) -> str | None:
        """Most frequent nationality named right next to a troop noun in the whole item."""
        if self._item_nat is False:
            counts: dict[str, int] = {}
            for m in UNIT_ANY.finditer(self.lower):
                concept = unit_concept(m)
                if concept.startswith("troops"):
                    nat = (
                        concept.split(":", 1)[1]
                        if ":" in concept
                        else nationality_around(self.lower, m.start(), m.end(), True)
                    )
                    if nat:
                        counts[nat] = counts.get(nat, 0) + 1
            self._item_nat = max(counts, key=lambda k: counts[k]) if counts else None
        return self._item_nat  # type: ignore[return-value]


def _candidates(item: _Item, numbers: list[NumberSpan]) -> list[_Candidate]:
    text, lang = item.text, item.lang
    out: list[_Candidate] = []
    nums = [n for n in numbers if not n.ordinal and n.value > 0]
    i = 0
    while i < len(nums):
        n = nums[i]
        nxt = nums[i + 1] if i + 1 < len(nums) else None
        plain = text[n.start : n.end].isdigit()
        if nxt is not None and item.sentence_index(n.start) == item.sentence_index(nxt.start):
            gap = text[n.end : nxt.start]
            opener = range_between(text[max(0, n.start - 20) : n.start], gap, lang)
            if opener or range_gap(gap, lang):
                low = n.value
                if n.scale == 1 and nxt.scale > 1 and n.value < nxt.base:
                    low = n.value * nxt.scale
                if low < nxt.value:
                    start = n.start - len(opener) - 1 if opener else n.start
                    if opener:
                        start = text.rfind(opener, max(0, n.start - 20), n.start)
                    qual = f"{opener} … {gap.strip()}" if opener else gap.strip()
                    out.append(
                        _Candidate(start, n.start, nxt.end, low, low, nxt.value, qual, False, n)
                    )
                    i += 2
                    continue
        q = qualifier_before(text, n.start, lang)
        qa = None if q else qualifier_after(text, n.end, lang)
        kind = q.kind if q else (qa.kind if qa else None)
        low, high = interval(kind, n.value)
        qual_text = q.text if q else (qa.text if qa else None)
        out.append(
            _Candidate(
                q.start if q else n.start, n.start, n.end, n.value, low, high, qual_text, plain, n
            )
        )
        i += 1
    spans = [(n.start, n.end) for n in numbers]
    for v in find_vague(text, lang):
        k = bisect.bisect_left(spans, (v.start, v.start))
        hit = [(s, e) for s, e in spans[max(0, k - 1) : k + 2] if s < v.end and v.start < e]
        if hit and " " in v.text.strip() and all(v.start <= s and e <= v.end for s, e in hit):
            # "mehrere Tausend", "several hundred": the vague phrase, not the number 1000
            out = [c for c in out if not (v.start <= c.num_start < v.end)]
            hit = []
        if not hit:
            out.append(
                _Candidate(v.start, v.start, v.end, v.low, v.low, v.high, v.text, False, None)
            )
    out.sort(key=lambda c: c.num_start)
    return out


def _figure(
    item: _Item, cand: _Candidate, prev_end: int, next_start: int
) -> tuple[Figure, int] | None:
    text, lower, lang = item.text, item.lower, item.lang
    unit = unit_after(text, lower, cand.end, lang)
    reason = noise_reason(
        text,
        cand.num_start,
        cand.end if cand.num is None else cand.num.end,
        cand.value,
        plain_digits=cand.plain_digits,
        unit_follows=unit is not None and unit.concept is not None,
    )
    if reason:
        return None
    idx = item.sentence_index(cand.num_start)
    sent: Sentence = item.sentences[idx]
    if _FURNITURE_LINE.match(sent.text):
        return None
    if unit is None:
        unit = _ellipsis_unit(item, cand, idx)
        if unit is None:
            return None
    clause_lo = max(sent.start, prev_end)
    clause_hi = min(sent.end, next_start) if next_start > cand.end else sent.end
    relation = relation_in(lower[clause_lo:clause_hi])
    nat = unit.nationality
    claimant, rank = item.claimant_for(idx, cand.num_start)
    if sent.end - sent.start > LOCAL_CHARS:
        lo, hi = item.local_block(idx, cand.num_start)
    else:
        lo, hi = sent.start, sent.end
    local = text[lo:hi]
    if nat is None and unit.concept is not None:
        nat = item.actor_of(local, claimant, cand.num_start - lo) or item.item_nationality()
    subject = subject_key(unit.concept, unit.text, nat, relation)
    quote = local if len(local) <= 400 else local[:397] + "…"
    fig = Figure(
        value=cand.value,
        low=cand.low,
        high=cand.high,
        unit=unit.text,
        subject=subject,
        claimant=claimant,
        quote=quote,
        qualifier=cand.qualifier,
    )
    return fig, rank


def _mask_claimants(sentence: str, claimant: str | None) -> str:
    """The sentence with claimants blanked: "der südkoreanische Geheimdienst" or "Kyiv said"
    says who reports the soldiers, not whose soldiers they are."""
    chars = list(sentence)
    group = claimant_group(claimant) if claimant else None
    for a in find_aliases(sentence):
        if group is not None and a.group == group:
            chars[a.start : a.end] = " " * (a.end - a.start)
    if claimant:
        k = sentence.find(claimant)
        if k >= 0:
            chars[k : k + len(claimant)] = " " * len(claimant)
    return "".join(chars)


def _ellipsis_unit(item: _Item, cand: _Candidate, idx: int) -> Unit | None:
    """Unit of a number that ends its phrase: a known noun before it, here or one sentence back."""
    text, lower = item.text, item.lower
    after = text[cand.end : cand.end + 30]
    m = re.match(r"\s*([^\W\d_][\w-]*)?", after)
    nxt_word = (m.group(1) or "") if m else ""
    if nxt_word and item.lang == "de" and nxt_word[0].isupper():
        return None
    if (
        nxt_word
        and item.lang == "en"
        and nxt_word.lower()
        not in (
            "in",
            "to",
            "of",
            "more",
            "had",
            "have",
            "were",
            "are",
            "could",
            "would",
            "will",
            "may",
            "already",
            "now",
            "so",
            "by",
            "and",
            "or",
        )
    ):
        return None
    sent = item.sentences[idx]
    unit = antecedent(text, lower, max(sent.start, cand.num_start - 400), cand.num_start)
    if unit is None and idx > 0 and _REFERENCE_WORDS.search(lower[sent.start : cand.num_start]):
        prev = item.sentences[idx - 1]
        unit = antecedent(text, lower, max(prev.start, prev.end - 400), prev.end)
    return unit


def _dedupe(found: list[tuple[Figure, int]]) -> list[Figure]:
    kept: list[tuple[Figure, int]] = []
    for fig, rank in found:
        for k, (other, orank) in enumerate(kept):
            same_fact = (other.subject, other.value, other.low, other.high) == (
                fig.subject,
                fig.value,
                fig.low,
                fig.high,
            )
            if same_fact and (same_claimant(other.claimant, fig.claimant) or min(rank, orank) <= 2):
                if rank > orank:
                    kept[k] = (_with_claimant(other, fig.claimant), rank)
                break
        else:
            kept.append((fig, rank))
    return [f for f, _ in kept]


def _with_claimant(fig: Figure, claimant: str | None) -> Figure:
    return Figure(
        fig.value, fig.low, fig.high, fig.unit, fig.subject, claimant, fig.quote, fig.qualifier
    )


def extract_figures(
    text: str, *, language: str | None = None, source: str | None = None
) -> list[Figure]:
    """Every figure ``text`` (title + body of one item) reports, in order of appearance.

    ``language`` is "de" or "en" (anything else, or None, is guessed from the text); it decides
    which digit separators apply. ``source`` (the outlet) is the claimant of a figure whose
    sentence and neighbours name none.
    """
    if not isinstance(text, str):
        raise TypeError(f"extract_figures needs a str, got {type(text).__name__}")
    text = text[:MAX_TEXT_CHARS].translate(_INVISIBLE)
    lang = (language or "").lower()[:2]
    if lang not in ("de", "en"):
        lang = guess_language(text)
    item = _Item(text, lang, source)
    numbers = find_numbers_in_tokens(text, tokenize(text), lang)[: 2 * MAX_CANDIDATES]
    cands = _candidates(item, numbers)
    found: list[tuple[Figure, int]] = []
    cands = cands[:MAX_CANDIDATES]
    for k, cand in enumerate(cands):
        prev_end = cands[k - 1].end if k else 0
        next_start = cands[k + 1].start if k + 1 < len(cands) else len(text)
        res = _figure(item, cand, prev_end, next_start)
        if res is not None:
            found.append(res)
    return _dedupe(found)
