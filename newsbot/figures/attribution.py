"""Attribution cues: find the claimant a sentence names ("laut HUR", "sagte Singh", "Kirby said").

Three kinds of cue, tried in this order:

1. a source phrase followed by the claimant: "laut X", "nach Angaben des X", "according to X",
   "citing X" (and "X zufolge" with the claimant before);
2. a speech or estimate verb ("sagte", "erklärte", "geht davon aus", "said", "put the total at"):
   the known claimant nearest to the verb, else the name right after ("sagte Rutte") or right
   before it ("Kirby said");
3. a headline prefix "Kirby: Mindestens 3.000 ..." (only for a title line).

Vague sources ("laut Berichten", "according to reports") name no claimant.
"""

from __future__ import annotations

import re

from newsbot.figures.claimants import find_aliases
from newsbot.figures.vocab import (
    CUE_AS_NOUN_BEFORE,
    DETERMINERS,
    EN_NOT_IN_NAME,
    NP_LEADING_SKIP,
    VAGUE_SOURCES,
)

_SOURCE_PHRASE = re.compile(
    r"(?<![\w-])(?:laut|nach (?:angaben|einschätzung|erkenntnissen|informationen|schätzungen|"
    r"darstellung|auskunft|worten)(?: von)?|according to|citing|quoting|as reported by)\s+",
    re.I,
)

_ZUFOLGE = re.compile(r"(?<!\s)\s+zufolge\b", re.I)
_VERB_CUE = re.compile(
    r"(?<![\w-])(?:sagte|sagt|sagten|erklärte|erklärt|betonte|berichtete|berichtet|meldete|meldet|"
    r"teilte|mitteilte|mitgeteilt|schätzt|schätzte|schätzen|bestätigte|bestätigt|warnte|sprach|"
    r"spricht|angekündigt|"
    r"kündigte|geht davon aus|gehen davon aus|ging davon aus|geht von|gehen von|ging von|"
    r"rechnet mit|rechnen mit|zitiert|zitierte|hieß es|"
    r"said|says|say|told|tells|estimated|estimates|estimate|reported|reports|believes|believe|"
    r"confirmed|confirms|claimed|claims|announced|assessed|assesses|put the (?:total|number|"
    r"figure|count) at|puts the (?:total|number|figure|count) at|added|stated|warned)(?![\w-])",
    re.I,
)
# A sentence that reports what the previous one announced: "Demnach sind 11.000 ...".
_REFERS_BACK = re.compile(
    r"^(?:demnach|demzufolge|dem bericht zufolge|laut (?:dem|diesem) bericht|"
    r"according to (?:the|its|their|this) (?:report|figures|estimate|assessment))\b",
    re.I,
)
_NP_TOKEN = re.compile(r"[\w'’.-]+|\S")
_QUOTES = '"„“”»«'
_TITLE_PREFIX = re.compile(r"^\s*([A-ZÄÖÜ][\w.'’-]*(?:\s+[A-ZÄÖÜ][\w.'’-]*){0,2})\s*:\s")


def _noun_phrase(text: str, language: str) -> str:
    """The claimant noun phrase at the start of ``text`` (after "laut", "according to", "sagte").

    Determiners and adjectives, then capitalised words (names, German nouns); a quoted name
    after a noun ("die Zeitung „Kyiv Independent“") is kept; in English one lower-case plural
    noun may close the phrase ("Ukrainian officials").
    """
    words: list[str] = []
    seen_name = False
    in_quote = False
    for m in _NP_TOKEN.finditer(text[:120]):
        tok = m.group()
        low = tok.lower()
        if tok in _QUOTES:
            if in_quote:
                break
            if words and seen_name:
                in_quote = True
                continue
            if not words:
                in_quote = True
                continue
            break
        if not tok[0].isalnum():
            if tok in ("'", "’") and words:
                continue
            break
        if not words and low in NP_LEADING_SKIP:
            continue
        if in_quote or tok[0].isupper() or tok[0].isdigit():
            words.append(tok.rstrip("."))
            seen_name = True
            continue
        if seen_name and language == "en" and low.endswith("s") and low not in EN_NOT_IN_NAME:
            words.append(tok)
            break
        if seen_name and low not in ("for", "of", "für", "des", "der", "'s"):
            break
        if low in DETERMINERS or low in ("for", "für"):
            words.append(tok)
            continue
        if not seen_name and (language == "de" and re.fullmatch(r"\w+(?:e|en|er|es|em)", low)):
            words.append(tok)  # adjective before the noun: "des ukrainischen Militärgeheimdienstes"
            continue
        if not seen_name and language == "en" and low in ("deputy", "chief", "top", "senior"):
            words.append(tok)
            continue
        break
    while words and words[-1].lower() in DETERMINERS | {"for", "für", "of", "des", "der"}:
        words.pop()
    while words and words[0].lower() in DETERMINERS:
        words.pop(0)
    return " ".join(words)


def _np_before(text: str, language: str) -> str:
    """The noun phrase that ends ``text`` ("the British defence ministry", "Kirby")."""
    toks = re.findall(r"[\w'’.-]+|[,;:()\"„“”»«]", text[-100:])
    run: list[str] = []
    for tok in reversed(toks):
        low = tok.lower()
        if not tok[0].isalnum() or low in DETERMINERS or len(run) >= 6:
            break
        if low in ("of", "for") and run and run[-1][0].isupper():
            run.append(tok)
            continue
        if tok[0].isupper() or tok[0].isdigit():
            run.append(tok)
            continue
        if language == "en" and low not in EN_NOT_IN_NAME and not low.endswith("ly"):
            run.append(tok)
            continue
        break
    while run and run[-1].lower() in ("of", "for"):
        run.pop()
    return " ".join(reversed(run))


def _resolve(phrase: str, *, allow_lower: bool = False) -> str | None:
    """Display name for a claimant phrase: a known alias in it, else the phrase itself."""
    if not phrase:
        return None
    aliases = find_aliases(phrase)
    if aliases:
        return aliases[0].display
    low = phrase.lower()
    if low in VAGUE_SOURCES or (low.split()[-1] in VAGUE_SOURCES and len(phrase.split()) == 1):
        return None
    if not any(c.isupper() for c in phrase) and not (allow_lower and len(phrase.split()) <= 3):
        return None
    return phrase


def _phrase_after(text: str, language: str, *, allow_lower: bool = False) -> str | None:
    """Claimant named at the start of ``text``: a known alias there wins over the plain noun
    phrase, which may stop short of it ("Seoul's spy agency" → the phrase is "Seoul's")."""
    phrase = _noun_phrase(text, language)
    if phrase:
        for alias in find_aliases(text[: len(phrase) + 40]):
            if alias.start <= len(phrase):
                return alias.display
    return _resolve(phrase, allow_lower=allow_lower)


def _is_noun_use(sentence: str, start: int) -> bool:
    """ "on reports that", "die Schätzungen": a cue word used as a noun names no speaker."""
    prev = sentence[max(0, start - 20) : start].split()[-1:]
    return bool(prev) and prev[0].lower() in CUE_AS_NOUN_BEFORE


def refers_back(sentence: str) -> bool:
    """Whether a sentence reports the figures the previous one announced ("Demnach ...")."""
    return bool(_REFERS_BACK.match(sentence))


def sentence_claimant(sentence: str, language: str, *, is_title: bool = False) -> str | None:
    """The claimant a sentence names through a cue, or None."""
    for m in _SOURCE_PHRASE.finditer(sentence):
        found = _phrase_after(sentence[m.end() :], language, allow_lower=True)
        if found:
            return found
    for m in _ZUFOLGE.finditer(sentence):
        before = sentence[max(0, m.start() - 60) : m.start()]
        aliases = find_aliases(before)
        if aliases:
            return aliases[-1].display
        last = re.findall(r"[\w'’.-]+", before)[-1:]
        found = _resolve(last[0]) if last else None
        if found:
            return found
    cues = [c for c in _VERB_CUE.finditer(sentence) if not _is_noun_use(sentence, c.start())]
    if cues:
        aliases = find_aliases(sentence)
        if aliases:
            spans = [(c.start(), c.end()) for c in cues]
            best = min(
                aliases,
                key=lambda a: min(
                    a.start - ce if a.start >= ce else max(0, cs - a.end) for cs, ce in spans
                ),
            )
            return best.display
        for c in cues:
            after = _phrase_after(sentence[c.end() :].lstrip(), language)
            before = _resolve(
                _np_before(sentence[: c.start()].rstrip(), language), allow_lower=language == "en"
            )
            first, second = (before, after) if language == "en" else (after, before)
            if first or second:
                return first or second
    if is_title:  # "Kirby: Mindestens 3.000 ..." (but "Regionalliga: ..." is a topic, not a source)
        m = _TITLE_PREFIX.match(sentence)
        if m and find_aliases(m.group(1)):
            return find_aliases(m.group(1))[0].display
    return None
