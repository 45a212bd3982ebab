"""Numbers that are not figures: years, dates, times, ages, durations, reading times,
percentages, scores, list numbers, model names, page furniture ("Kommentare (0)"), and money and
distances (the desk tracks counts of people and things, not prices or places).

Each rule looks only at a few characters around the number, so the check is cheap and the
reason can be named (``noise_reason`` returns it; tests and the evaluation print it).
"""

from __future__ import annotations

import re

from newsbot.figures.vocab import MONTHS

_TIME_UNITS = (
    r"sekunde\w*|minute\w*|min\b|stunde\w*|std\b|tag\b|tage\w*|woche\w*|monat\w*|jahr\w*|"
    r"jahrzehnt\w*|jahrhundert\w*|seconds?|minutes?|mins?\b|hours?|hrs?\b|days?|weeks?|"
    r"months?|years?|decades?|centuries|century|nächte\w*|nights?|uhr\b|"
    r"a\.m\.|p\.m\.|am\b|pm\b|h\b"
)
_AFTER_NOISE = re.compile(
    r"^(?:\s*(?:%|prozent\w*|percent\w*|per cent|pct\b)"  # percentages
    r"|-?\s*(?:[\w-]*jährig\w*|jahre alt|years? old|-year-old|year-old|jährige\w*)"  # ages
    r"|\s*(?:-\s*)?(?:" + _TIME_UNITS + r")"  # durations, times, reading times
    r"|\s*(?:km|kilometer\w*|meter\w*|m\b|meilen|miles?|grad\b|°|degrees?|cm|mm)"  # distances
    r"|\s*(?:euro\b|dollar\w*|usd\b|eur\b|pfund\b|rubel\w*|won\b|yuan\b|[$€£])"  # money
    r"|\s*[:/]\s*\d"  # 2:0, 18:00, 1/5
    r"|\.\d{1,2}\.(?:\d{2,4})?"  # 24.10.2024
    r"|-\s*(?:tägig\w*|stündig\w*|wöchig\w*|monatig\w*|day|hour|week|month|minute)"
    r")",
    re.I,
)
_BEFORE_NOISE = re.compile(
    r"(?:\b(?:im jahr|im jahre|jahr|seit|anfang|ende|mitte|frühjahr|sommer|herbst|winter|"
    r"kommentare?|seite|teil|bild|foto|fotos|nr\.?|nummer|artikel|kapitel|absatz|folge|"
    r"episode|ausgabe|platz|rang|zeile|page|part|comments?|article|no\.|chapter|vol\.|"
    r"im alter von|alter von|aged|age|since|in the year|edition|version|top|level|stufe|"
    r"paragraph|paragraf|§)\s*\(?|\d\s*[:/]\s*|[A-Za-z]-|[$€£]\s*\d*[.,]?)$",
    re.I,
)
_MONTH_BEFORE = re.compile(r"(\w+)\.?\s+$")
_MONTH_AFTER = re.compile(r"^\.?\s+(\w+)")


def _month_adjacent(text: str, start: int, end: int) -> bool:
    m = _MONTH_BEFORE.search(text[max(0, start - 14) : start])
    if m and m.group(1).lower() in MONTHS:
        return True
    m = _MONTH_AFTER.match(text[end : end + 14])
    return bool(m and m.group(1).lower() in MONTHS)


def noise_reason(
    text: str, start: int, end: int, value: float, *, plain_digits: bool, unit_follows: bool
) -> str | None:
    """Why the number ``text[start:end]`` is not a figure, or None if it may be one.

    ``plain_digits``: written as bare digits without separators or scale (year candidates);
    ``unit_follows``: a known counted noun follows ("2000 Soldaten" is a count, not a year).
    """
    before = text[max(0, start - 30) : start]
    after = text[end : end + 24]
    if before.endswith("(") and after.startswith(")"):
        return "parenthesised number (page furniture)"
    if _AFTER_NOISE.match(after):
        return "unit of time, percentage, age, distance, score or date"
    if _BEFORE_NOISE.search(before.lower()) or _BEFORE_NOISE.search(before):
        return "year, date, list or page furniture context"
    if _month_adjacent(text, start, end):
        return "date"
    if plain_digits and value == int(value) and 1800 <= value <= 2100 and not unit_follows:
        return "year"
    line_start = start == 0 or text[max(0, start - 1)] == "\n"
    if line_start and re.match(r"^[.)]\s", after):
        return "list number"
    if after.startswith(".") and re.match(r"^\.\s+[a-zäöü]", after) and plain_digits:
        return "ordinal"
    if re.search(r"\b(?:der|die|das|den|dem|des|am|zum|im|beim|vom|zur)\s+$", before) and (
        after.startswith(".") and plain_digits
    ):
        return "ordinal"
    return None
