"""Spelled-out numbers: the value of one German or English number word.

German writes numbers below a million as one compound word ("dreihundertneunundneunzigtausend"),
English as separate words ("three hundred ninety-nine thousand"); both languages write millions and
above as separate words. This module only reads *single* words (German compounds, English words,
hyphenated English "twenty-one"); ``numbers.py`` combines consecutive words into one number.

text2num (3.1.0) was tried first and rejected for this job: it reads "eine Million und zwei
Millionen" as 1000002, "thousands" as 1000, "two point five million" as 2.5 and 1000000, and it
returns no character offsets for plain strings. The grammar below is small enough to own.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_WORD_LEN = 96  # longer "words" cannot be numbers; keeps hostile input cheap

_DE_UNITS = {
    "ein": 1,
    "eins": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_DE_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_DE_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
# Ordinal stems of the last component ("zweit-e", "dritt-en", "siebt-er"); larger ordinals add
# "st" to the cardinal ("zwanzigst-e", "hundertst-e").
_DE_ORD_STEMS = {
    "erst": 1,
    "zweit": 2,
    "zwot": 2,
    "dritt": 3,
    "viert": 4,
    "fünft": 5,
    "sechst": 6,
    "siebt": 7,
    "siebent": 7,
    "acht": 8,
    "neunt": 9,
    **{k + "t": v for k, v in _DE_TEENS.items()},
}
_DE_ORD_ENDINGS = ("en", "er", "em", "es", "e")
# Spellings without umlaut or ß, as in the peer test data ("fuenf", "dreissig").
_DE_ASCII = (("fuenf", "fünf"), ("zwoelf", "zwölf"), ("dreissig", "dreißig"))

_EN_SMALL = {
    "zero": 0,
    "nought": 0,
    "naught": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_EN_ORD = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "thousandth": 1000,
}

# Scale words standing as words of their own, both languages. Value, and whether the word is a
# multiplier that must follow a smaller number ("Million" needs "eine"/"zwei" before it).
SCALES: dict[str, float] = {
    "hundert": 100,
    "tausend": 1_000,
    "million": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
    "billion": 1e12,  # German Billion = 10^12; English "billion" is handled below
    "billionen": 1e12,
    "tsd": 1_000,
    "hundred": 100,
    "thousand": 1_000,
    "millions": 1e6,
    "bn": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "tln": 1e12,
    "mn": 1e6,
}
EN_SCALES = {"billion": 1e9, "billions": 1e9}

DOZEN_WORDS = frozenset({"dutzend", "dozen", "dozens", "dutzende"})


@dataclass(frozen=True, slots=True)
class WordValue:
    """The reading of one word: its value, and what kind of number word it is."""

    value: float
    kind: str  # "unit" (1-9), "teen", "tens", "compound", "hundred", "ordinal", "zero"
    ordinal: bool = False


def _de_below_100(s: str) -> int | None:
    if s in _DE_UNITS and s != "ein":
        return _DE_UNITS[s]
    if s in _DE_TEENS:
        return _DE_TEENS[s]
    if s in _DE_TENS:
        return _DE_TENS[s]
    head, sep, tail = s.partition("und")
    if sep and head in _DE_UNITS and head != "eins" and tail in _DE_TENS:
        return _DE_UNITS[head] + _DE_TENS[tail]
    return None


def _de_below_1000(s: str) -> int | None:
    head, sep, tail = s.partition("hundert")
    if not sep:
        return _de_below_100(s)
    if head == "":
        mult = 1
    elif head in _DE_UNITS and head != "eins":
        mult = _DE_UNITS[head]
    elif head in _DE_TEENS:  # "neunzehnhundert" (years, "zwölfhundert")
        mult = _DE_TEENS[head]
    else:
        return None
    if tail.startswith("und") and tail != "und":
        tail = tail[3:]
    rest = 0 if tail == "" else _de_below_100(tail)
    if rest is None:
        return None
    return mult * 100 + rest


def de_cardinal(s: str) -> int | None:
    """Value of a German compound below one million ("zweihundertdreiundvierzigtausend")."""
    head, sep, tail = s.partition("tausend")
    if not sep:
        return _de_below_1000(s)
    mult = 1 if head == "" else _de_below_1000(head)
    if head == "ein":
        mult = 1
    if mult is None:
        return None
    if tail.startswith("und") and tail != "und":
        tail = tail[3:]
    rest = 0 if tail == "" else _de_below_1000(tail)
    if rest is None:
        return None
    return mult * 1000 + rest


def _de_ordinal(s: str) -> int | None:
    for ending in _DE_ORD_ENDINGS:
        if not s.endswith(ending) or len(s) <= len(ending) + 2:
            continue
        stem = s[: -len(ending)]
        for ord_stem, val in _DE_ORD_STEMS.items():
            if stem.endswith(ord_stem):
                prefix = stem[: -len(ord_stem)]
                if prefix == "":
                    return val
                base = de_cardinal(prefix)
                if base is not None and base % 100 == 0 and base > 0:
                    return base + val
        if stem.endswith("st"):
            base = de_cardinal(stem[:-2])
            if base is not None and base >= 20:
                return base
    return None


def _de_fraction(s: str) -> float | None:
    """ "anderthalb", "eineinhalb", "zweieinhalb", "dreiviertel"."""
    if s == "anderthalb" or s == "einundhalb":
        return 1.5
    if s.endswith("einhalb") and len(s) > 7:
        base = 1 if s == "eineinhalb" else de_cardinal(s[:-7])
        return None if base is None else base + 0.5
    if s == "dreiviertel":
        return 0.75
    return None


# Every German number word starts like one of these (compounds start with their first part);
# checking the first three letters skips the parse for almost every other word.
_DE_STARTS = frozenset(
    w[:3]
    for w in (
        *_DE_UNITS,
        *_DE_TEENS,
        *_DE_TENS,
        *_DE_ORD_STEMS,
        "null",
        "hundert",
        "tausend",
        "anderthalb",
        "dreiviertel",
        "fuenf",
        "zwoelf",
        "dreissig",
    )
)


def read_german_word(word: str) -> WordValue | None:
    """Reading of one German word as a number, or None."""
    s = word.lower()
    if s[:3] not in _DE_STARTS or len(s) > MAX_WORD_LEN or not s.isalpha():
        return None
    for a, b in _DE_ASCII:
        if a in s:
            s = s.replace(a, b)
    if s == "null":
        return WordValue(0, "zero")
    if s in ("ein", "eine", "einen", "einem", "einer", "eines"):
        return WordValue(1, "article")
    if s == "eins":
        return WordValue(1, "eins")  # the standalone one: never "eins und zwanzig"
    if s in _DE_UNITS:
        return WordValue(_DE_UNITS[s], "unit")
    if s in _DE_TEENS:
        return WordValue(_DE_TEENS[s], "teen")
    if s in _DE_TENS:
        return WordValue(_DE_TENS[s], "tens")
    if s == "hundert":
        return WordValue(100, "hundred")
    if s == "tausend":
        return WordValue(1000, "thousand")
    frac = _de_fraction(s)
    if frac is not None:
        return WordValue(frac, "fraction")
    val = de_cardinal(s)
    if val is not None:
        # "einhundert fünfzehn": a compound ending in hundert takes a spaced remainder
        return WordValue(val, "hundreds" if s.endswith("hundert") else "compound")
    ordv = _de_ordinal(s)
    if ordv is not None:
        return WordValue(ordv, "ordinal", ordinal=True)
    return None


def read_english_word(word: str) -> WordValue | None:
    """Reading of one English word (or hyphenated "twenty-one") as a number, or None."""
    s = word.lower()
    if len(s) > MAX_WORD_LEN:
        return None
    if s in _EN_SMALL:
        v = _EN_SMALL[s]
        return WordValue(v, "zero" if v == 0 else ("unit" if v < 10 else "teen"))
    if s in _EN_TENS:
        return WordValue(_EN_TENS[s], "tens")
    if s == "hundred":
        return WordValue(100, "hundred")
    if s == "thousand":
        return WordValue(1000, "thousand")
    if s in _EN_ORD:
        return WordValue(_EN_ORD[s], "ordinal", ordinal=True)
    head, sep, tail = s.partition("-")
    if sep and head in _EN_TENS:
        if tail in _EN_SMALL and 0 < _EN_SMALL[tail] < 10:
            return WordValue(_EN_TENS[head] + _EN_SMALL[tail], "compound")
        if tail in _EN_ORD and _EN_ORD[tail] < 10:
            return WordValue(_EN_TENS[head] + _EN_ORD[tail], "ordinal", ordinal=True)
    return None


def may_start_number(word: str, language: str) -> bool:
    """Cheap test: can a number (word, article + scale, "half a dozen") start with this word?"""
    s = word[:3].lower()
    if language == "de":
        return s in _DE_STARTS or s in ("ein", "plu", "min")
    return s in _EN_STARTS


_EN_STARTS = frozenset(
    w[:3]
    for w in (*_EN_SMALL, *_EN_TENS, *_EN_ORD, "hundred", "thousand", "half", "minus", "negative")
) | frozenset({"a", "an", "plu"})


def read_word(word: str, language: str) -> WordValue | None:
    """Reading of a word in the given language ("de" or "en")."""
    if language == "de":
        return read_german_word(word)
    return read_english_word(word)
