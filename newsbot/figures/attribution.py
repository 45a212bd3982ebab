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

_SOURCE_PHRASE = re.compile(
    r"(?<![\w-])(?:laut|nach (?:angaben|einschätzung|erkenntnissen|informationen|schätzungen|"
    r"darstellung|auskunft|worten)(?: von)?|according to|citing|quoting|as reported by)\s+",
    re.I,
)
_ZUFOLGE = re.compile(r"\s+zufolge\b", re.I)
_VERB_CUE = re.compile(
    r"(?<![\w-])(?:sagte|sagt|sagten|erklärte|erklärt|betonte|berichtete|berichtet|meldete|meldet|"
    r"teilte|schätzt|schätzte|schätzen|bestätigte|bestätigt|warnte|sprach|spricht|angekündigt|"
    r"kündigte|geht davon aus|gehen davon aus|ging davon aus|zitiert|zitierte|hieß es|"
    r"said|says|say|told|tells|estimated|estimates|estimate|reported|reports|believes|believe|"
    r"confirmed|confirms|claimed|claims|announced|assessed|assesses|put the (?:total|number|"
    r"figure|count) at|puts the (?:total|number|figure|count) at|added|stated|warned)(?![\w-])",
    re.I,
)
_VAGUE_SOURCES = frozenset(
    {
        "berichten",
        "medienberichten",
        "angaben",
        "informationen",
        "schätzungen",
        "experten",
        "beobachtern",
        "quellen",
        "reports",
        "media reports",
        "estimates",
        "sources",
        "experts",
        "analysts",
        "observers",
        "aktuellen berichten",
        "unbestätigten berichten",
        "it",
        "he",
        "she",
        "they",
        "er",
        "sie",
        "es",
        "man",
        "we",
        "wir",
    }
)
_DETERMINERS = frozenset(
    [
        "der",
        "die",
        "das",
        "des",
        "dem",
        "den",
        "ein",
        "eine",
        "eines",
        "einem",
        "einer",
        "the",
        "a",
        "an",
        "von",
        "of",
    ]
)
_NP_TOKEN = re.compile(r"[\w'’.-]+|\S")
_TITLE_PREFIX = re.compile(r"^\s*([A-ZÄÖÜ][\w.'’-]*(?:\s+[A-ZÄÖÜ][\w.'’-]*){0,2})\s*:\s")


def _noun_phrase(text: str, language: str) -> str:
    """The claimant noun phrase at the start of ``text``: determiners, adjectives, names."""
    words: list[str] = []
    seen_name = False
    for m in _NP_TOKEN.finditer(text[:100]):
        tok = m.group()
        low = tok.lower()
        if not tok[0].isalnum():
            if tok in ("'", "’") and words:
                continue
            break
        if tok[0].isupper() or tok[0].isdigit():
            words.append(tok.rstrip("."))
            seen_name = True
            continue
        if seen_name and low not in ("for", "of", "für", "des", "der", "'s"):
            break
        if low in _DETERMINERS or low in ("for", "für"):
            words.append(tok)
            continue
        if not seen_name and (language == "de" and re.fullmatch(r"\w+(?:e|en|er|es|em)", low)):
            words.append(tok)  # adjective before the noun: "des ukrainischen Militärgeheimdienstes"
            continue
        if not seen_name and language == "en" and low in ("deputy", "chief", "top", "senior"):
            words.append(tok)
            continue
        break
    while words and words[-1].lower() in _DETERMINERS | {"for", "für", "'s"}:
        words.pop()
    while words and words[0].lower() in _DETERMINERS:
        words.pop(0)
    return " ".join(words)


def _resolve(phrase: str) -> str | None:
    """Display name for a claimant phrase: a known alias in it, else the phrase itself."""
    if not phrase:
        return None
    aliases = find_aliases(phrase)
    if aliases:
        return (
            aliases[-1].display
            if len(aliases) > 1 and _is_person(aliases[-1])
            else aliases[0].display
        )
    if phrase.lower() in _VAGUE_SOURCES or not any(c.isupper() for c in phrase):
        return None
    return phrase


def _is_person(alias: object) -> bool:
    display = getattr(alias, "display", "")
    return " " not in display and display[:1].isupper() and not display.isupper()


def _np_before(text: str) -> str:
    """Capitalized name run right before the end of ``text`` ("... Mark Rutte")."""
    toks = re.findall(r"[\w'’.-]+", text[-80:])
    run: list[str] = []
    for tok in reversed(toks):
        if tok[0].isupper():
            run.append(tok)
        else:
            break
    return " ".join(reversed(run[:4]))


def sentence_claimant(sentence: str, language: str, *, is_title: bool = False) -> str | None:
    """The claimant a sentence names through a cue, or None."""
    for m in _SOURCE_PHRASE.finditer(sentence):
        found = _resolve(_noun_phrase(sentence[m.end() :], language))
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
    cues = list(_VERB_CUE.finditer(sentence))
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
            found = _resolve(_noun_phrase(sentence[c.end() :].lstrip(), language))
            if found:
                return found
            found = _resolve(_np_before(sentence[: c.start()].rstrip(" ,")))
            if found and found.split()[0].lower() not in _DETERMINERS:
                return found
    if is_title:
        m = _TITLE_PREFIX.match(sentence)
        if m:
            return _resolve(m.group(1))
    return None
