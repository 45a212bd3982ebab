"""Sentences and language of a news text (just enough for figures: offsets, no NLP model).

Sentences end at a line break, or at ``.!?`` (optionally followed by a closing quote) when the
next word starts a sentence. Dots after abbreviations ("ca.", "Mio.") and after German ordinals
before a month or a lower-case word ("am 3. Oktober", "der 3. größte") do not end a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsbot.figures.vocab import ABBREVIATIONS, DE_MARKERS, EN_MARKERS, MONTHS

_END = re.compile(r"(?<![.!?])[.!?]++[\"”“»«’']?(?=\s)|\n")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    line_start: bool  # begins a line (titles, headings, list items)


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with their offsets (empty ones dropped)."""
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        if m.group() != "\n" and not _ends_sentence(text, m.start(), m.end()):
            continue
        end = m.end() if m.group() != "\n" else m.start()
        _add(text, start, end, out)
        start = m.end()
    _add(text, start, len(text), out)
    return out


def _add(text: str, start: int, end: int, out: list[Sentence]) -> None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return
    lead = len(raw) - len(raw.lstrip())
    s = start + lead
    line_start = s == 0 or text[s - 1 : s] == "\n" or text[:s].rstrip(" \t").endswith("\n")
    out.append(Sentence(s, s + len(stripped), stripped, line_start))


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    if text[dot] != ".":
        return True
    before = text[max(0, dot - 12) : dot]
    word = re.search(r"([\w.]+)$", before)
    nxt = re.match(r"\s+(\S+)", text[after : after + 40])
    next_word = nxt.group(1) if nxt else ""
    if word:
        w = word.group(1).lower()
        if w in ABBREVIATIONS:
            return False
        if w.isdigit() and len(w) <= 2 and next_word:
            nw = next_word.strip('„"(').lower().rstrip(".,")
            if nw in MONTHS or next_word[0].islower():
                return False
    return not next_word or not next_word[0].islower()


def guess_language(text: str) -> str:
    """ "de" or "en" from function-word counts in the first few thousand characters."""
    de = en = 0
    for m in _WORD.finditer(text[:4000]):
        w = m.group().lower()
        if w in DE_MARKERS:
            de += 1
        elif w in EN_MARKERS:
            en += 1
    if "ä" in text[:4000] or "ß" in text[:4000] or "ü" in text[:4000]:
        de += 2
    return "en" if en > de else "de"
