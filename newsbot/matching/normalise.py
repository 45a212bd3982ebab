"""Text → tokens, the same way for the index and for every query.

Steps: fold (case, umlauts, ß, accents), split into words and number tokens (thousands
separators dropped, so German "10.000" and English "10,000" are one token), replace alias
phrases by their canonical token, drop stop words, and strip a few inflection endings so
"Berichte"/"Berichten" meet. Everything is deterministic and cached per word, because the
store rebuilds the index from every stored story at start-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from newsbot.matching import stopwords
from newsbot.matching.aliases import merged

MAX_CHARS = 20_000  # longer texts are cut here: the lead says what a story is about
MAX_PHRASE = 6  # longest alias phrase in words
NORMALISATION_VERSION = 1  # bump when a change here would tokenise stored text differently

_UMLAUTS = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("æ", "ae"), ("ø", "oe"))
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_US = re.compile(r"\bU\.?S\.?(?=[\s\-:,;)\"'’]|$)")  # "US"/"U.S." before folding makes it "us"
_NUMBER_GROUPED = r"\d{1,3}(?:[.,\u202f\u2009\u00a0' ]\d{3})+(?![\d])"
_TOKEN = re.compile(rf"{_NUMBER_GROUPED}|\d+(?:[.,]\d+)?|[^\W\d_]+")
_GROUPED = re.compile(_NUMBER_GROUPED)
_SENTENCE_END = re.compile(r"(?<=[.!?;])(?<!\b[A-Z]\.)\s+|\n+")
_SUFFIXES = ("ern", "en", "er", "es", "em", "e", "s")


def fold(text: str) -> str:
    """Case-fold and strip diacritics, writing German umlauts as ae/oe/ue and ß as ss."""
    text = _US.sub("USA", text).casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    for umlaut, spelled in _UMLAUTS:
        if umlaut in text:
            text = text.replace(umlaut, spelled)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


@lru_cache(maxsize=50_000)
def number_token(raw: str) -> str:
    """One spelling per number: group separators dropped ("10.000", "10,000" → "10000"),
    a decimal comma written as a point ("1,2" → "1.2")."""
    if _GROUPED.fullmatch(raw):
        return "".join(ch for ch in raw if ch.isdigit())
    return raw.replace(",", ".")


def words(folded: str) -> list[str]:
    """Word and number tokens of already folded text; numbers lose their group separators."""
    return [number_token(w) if w[0].isdigit() else w for w in _TOKEN.findall(folded)]


def stem(word: str) -> str:
    """Strip one common German/English inflection ending from a long word."""
    if len(word) < 6 or word.isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            return word[: -len(suffix)]
    return word


def canonical_token(name: str) -> str:
    """The token an alias canonical name becomes: folded words joined by ``_``."""
    return "_".join(words(fold(name)))


@dataclass(frozen=True, slots=True)
class _AliasTable:
    phrases: dict[tuple[str, ...], str]  # multi-word variants
    exact: dict[str, str]
    prefixes: dict[str, str]
    suffixes: dict[str, str]
    phrase_lengths: dict[str, tuple[int, ...]]  # first word → phrase lengths, longest first


def _compile(table: Mapping[str, Sequence[str]]) -> _AliasTable:
    phrases: dict[tuple[str, ...], str] = {}
    exact: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    suffixes: dict[str, str] = {}
    for canonical, variants in table.items():
        token = canonical_token(canonical)
        if not token:
            raise ValueError(f"alias canonical name {canonical!r} has no letters or digits")
        for variant in (canonical, *variants):
            stripped = variant.strip()
            if stripped.endswith("*") or stripped.startswith("*"):
                body = words(fold(stripped.strip("*")))
                if len(body) != 1 or len(body[0]) < 3:
                    raise ValueError(f"wildcard alias {variant!r} must be one word of 3+ letters")
                target = prefixes if stripped.endswith("*") else suffixes
                target[body[0]] = token
                continue
            parts = tuple(words(fold(stripped)))
            if not parts:
                continue
            if len(parts) > MAX_PHRASE:
                raise ValueError(f"alias {variant!r} is longer than {MAX_PHRASE} words")
            if len(parts) == 1:
                exact[parts[0]] = token
            else:
                phrases[parts] = token
    lengths: dict[str, set[int]] = {}
    for phrase in phrases:
        lengths.setdefault(phrase[0], set()).add(len(phrase))
    return _AliasTable(
        phrases,
        exact,
        prefixes,
        suffixes,
        {word: tuple(sorted(n, reverse=True)) for word, n in lengths.items()},
    )


class Normaliser:
    """Turns text into comparable tokens; one instance per alias table (config)."""

    def __init__(
        self,
        aliases: Mapping[str, Sequence[str]] | None = None,
        stop_words: Iterable[str] = stopwords.DEFAULT,
    ) -> None:
        self._aliases = merged(aliases)
        self._table = _compile(self._aliases)
        self._stop = frozenset(stop_words)
        self._word = lru_cache(maxsize=200_000)(self._map_word)

    def fingerprint(self) -> list[object]:
        """What decides the tokens: the alias table and stop words (JSON-able, ordered)."""
        return [
            NORMALISATION_VERSION,
            sorted((k, sorted(v)) for k, v in self._aliases.items()),
            sorted(self._stop),
        ]

    @property
    def canonicals(self) -> frozenset[str]:
        """Every token an alias can produce."""
        t = self._table
        return frozenset(
            (*t.phrases.values(), *t.exact.values(), *t.prefixes.values(), *t.suffixes.values())
        )

    def _map_word(self, word: str) -> tuple[str, ...]:
        if word[0].isdigit():
            return (number_token(word),)
        t = self._table
        hit = t.exact.get(word)
        if hit:
            return (hit,)
        found: list[str] = []
        for end in range(len(word), 2, -1):  # longest prefix first
            hit = t.prefixes.get(word[:end])
            if hit:
                found.append(hit)
                break
        for start in range(0, len(word) - 2):  # longest suffix first
            hit = t.suffixes.get(word[start:])
            if hit:
                if hit not in found:
                    found.append(hit)
                break
        if found:
            return tuple(found)
        if word in self._stop or (len(word) == 1 and not word.isdigit()):
            return ()
        return (stem(word),)

    def tokens(self, text: str) -> list[str]:
        """Normalised tokens of ``text``, in order (aliases resolved, stop words dropped)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        raw = _TOKEN.findall(fold(text[:MAX_CHARS]))
        word = self._word
        starts = self._table.phrase_lengths
        hits = [i for i, w in enumerate(raw) if w in starts]
        if not hits:  # the common case for most words: map each through the cache
            return [token for w in raw for token in word(w)]
        out: list[str] = []
        done = 0
        for i in hits:
            if i < done:
                continue  # inside a phrase already replaced
            found = self._phrase_at(raw, i)
            if found is not None:
                canonical, length = found
                out.extend(token for w in raw[done:i] for token in word(w))
                out.append(canonical)
                done = i + length
        out.extend(token for w in raw[done:] for token in word(w))
        return out

    def _phrase_at(self, raw: Sequence[str], i: int) -> tuple[str, int] | None:
        """The longest alias phrase starting at ``raw[i]``: (canonical token, words)."""
        phrases = self._table.phrases
        for length in self._table.phrase_lengths[raw[i]]:
            if i + length <= len(raw):
                hit = phrases.get(tuple(raw[i : i + length]))
                if hit:
                    return hit, length
        return None

    def sentences(self, text: str) -> list[list[str]]:
        """Tokens per sentence (line breaks and . ! ? ; end a sentence); empty ones dropped."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        parts = _SENTENCE_END.split(text[:MAX_CHARS])
        return [toks for part in parts if (toks := self.tokens(part))]
