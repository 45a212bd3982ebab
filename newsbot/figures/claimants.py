"""Who says so: claimant groups (aliases as data) and claimant identity.

A claimant is reported as written in the text ("US-Regierung", "John Kirby", "Zelenskyy",
"südkoreanischen Geheimdienstes"); ``same_claimant`` treats every alias of one group as the same
source, so the Weißes Haus, John Kirby and the White House are one voice. To teach a new alias,
add a pattern (lower case regex, matched case-insensitively on word boundaries) to its group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# group → alias patterns; within a group, more specific patterns first.
CLAIMANT_GROUPS: dict[str, list[str]] = {
    "us-white-house": [
        r"(?:john )?kirby",
        r"(?:jake )?sullivan",
        r"wei(?:ß|ss)e[snm]? haus(?:es)?",
        r"white house",
        r"us-regierung|us-administration|u\.?s\.? government|us government",
        r"biden[- ]administration|biden-regierung",
        r"nationale[nrs]? sicherheitsrat(?:es|s)?",
        r"national security council",
    ],
    "us-pentagon": [
        r"(?:sabrina )?singh",
        r"(?:pat )?ryder",
        r"(?:lloyd )?austin",
        r"us-verteidigungsministerium(?:s)?|us-verteidigungsminister(?:s)?",
        r"(?:us-|u\.s\. |us )?defen[cs]e department|department of defen[cs]e|dod",
        r"(?:us-)?pentagon(?:s)?",
    ],
    "kr-nis": [
        r"seoul'?s (?:spy|intelligence) agency",
        r"south korea'?s (?:spy|intelligence) agency|south korean intelligence",
        r"national intelligence service",
        r"südkoreanische[nrs]? (?:geheimdienst|nachrichtendienst)(?:es|s)?",
        r"nis",
    ],
    "kr-government": [
        r"südkoreanische[nr]? regierung|south korean government|seoul|südkorea|south korea",
    ],
    "ua-hur": [
        r"ukrainische[nrs]? militärgeheimdienst(?:es|s)?(?: hur| gur)?",
        r"ukrain(?:ian|e's) military intelligence(?: agency)?(?: \(?hur\)?)?",
        r"hur|gur",
        r"budanow|budanov",
    ],
    "ua-zelensky": [
        r"(?:wolodymyr |volodymyr )?(?:selenskyj|selenskij|selensky|zelenskyy|zelenskiy|zelensky)",
        r"ukrainische[nr]? präsident(?:en)?|ukrainian president|ukraine's president",
    ],
    "ua-general-staff": [
        r"ukrainische[nrm]? generalstab(?:s|es)?|ukrain(?:ian|e's) general staff",
    ],
    "nato": [
        r"(?:mark )?rutte",
        r"(?:jens )?stoltenberg",
        r"nato",
    ],
    "kp-kim": [
        r"kim jong[- ]?un",
        r"kcna(?:'s)?",
    ],
    "ru-kremlin": [
        r"peskow|peskov",
        r"sacharowa|zakharova",
        r"kreml|kremlin",
        r"russische[snm]? verteidigungsministerium(?:s)?|russian defen[cs]e ministry",
        r"putin",
    ],
    "isw": [
        r"institute for the study of war|institut für kriegsstudien|isw",
    ],
}
_ROWS = [(group, pat) for group, pats in CLAIMANT_GROUPS.items() for pat in pats]
# One pattern for all aliases: the word-boundary checks run once per position, and the named
# group says which row matched.
_ALIAS_ANY = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(f"(?P<g{i}>{pat})" for i, (_g, pat) in enumerate(_ROWS))
    + r")(?![\w])",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Alias:
    group: str
    display: str  # as written in the text ("Zelenskyy", "südkoreanischen Geheimdienstes")
    start: int
    end: int


def find_aliases(text: str) -> list[Alias]:
    """Known claimants named in ``text``, left to right."""
    out: list[Alias] = []
    for m in _ALIAS_ANY.finditer(text):
        group = _ROWS[int((m.lastgroup or "g0")[1:])][0]
        prev = out[-1] if out else None
        if prev is not None and prev.group == group and not text[prev.end : m.start()].strip(" ,"):
            # "der südkoreanische Geheimdienst NIS": one name, written twice
            out[-1] = Alias(group, text[prev.start : m.end()], prev.start, m.end())
            continue
        out.append(Alias(group, m.group(), m.start(), m.end()))
    return out


@lru_cache(maxsize=4096)
def claimant_group(name: str) -> str | None:
    """The alias group a claimant name belongs to, or None for a name outside the table."""
    m = _ALIAS_ANY.search(name)
    return _ROWS[int((m.lastgroup or "g0")[1:])][0] if m else None


def _norm(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())


def same_claimant(a: str | None, b: str | None) -> bool:
    """Whether two claimant names are one source (aliases of one group, or the same name)."""
    if a is None or b is None:
        return False
    ga, gb = claimant_group(a), claimant_group(b)
    if ga is not None or gb is not None:
        return ga == gb
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return False
    return na == nb or f" {na} " in f" {nb} " or f" {nb} " in f" {na} "
