"""Who says so: claimant groups (aliases as data) and attribution cues in a sentence.

A claimant is reported as written in the text ("US-Regierung", "John Kirby", "Zelenskyy",
"südkoreanischen Geheimdienstes"); ``same_claimant`` treats every alias of one group as the same
source, so the Weißes Haus, John Kirby and the White House are one voice. Add a row to
``CLAIMANT_GROUPS`` to teach a new alias.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# group → [(regex on the text, display name)]; more specific patterns first.
CLAIMANT_GROUPS: dict[str, list[tuple[str, str]]] = {
    "us-white-house": [
        (r"(?:john )?kirby", "Kirby"),
        (r"(?:jake )?sullivan", "Sullivan"),
        (r"wei(?:ß|ss)e[snm]? haus(?:es)?", "Weißes Haus"),
        (r"white house", "White House"),
        (r"us-regierung|us-administration|u\.?s\.? government|us government", "US-Regierung"),
        (r"biden[- ]administration|biden-regierung", "Biden-Regierung"),
        (r"nationale[nrs]? sicherheitsrat(?:es|s)?", "Nationaler Sicherheitsrat"),
        (r"national security council", "National Security Council"),
    ],
    "us-pentagon": [
        (r"(?:sabrina )?singh", "Singh"),
        (r"(?:pat )?ryder", "Ryder"),
        (r"(?:lloyd )?austin", "Austin"),
        (
            r"us-verteidigungsministerium(?:s)?|us-verteidigungsminister(?:s)?",
            "US-Verteidigungsministerium",
        ),
        (
            r"(?:us-|u\.s\. |us )?defen[cs]e department|department of defen[cs]e|dod",
            "Defense Department",
        ),
        (r"(?:us-)?pentagon(?:s)?", "Pentagon"),
    ],
    "kr-nis": [
        (r"seoul'?s (?:spy|intelligence) agency", "Seoul's spy agency"),
        (
            r"south korea'?s (?:spy|intelligence) agency|south korean intelligence",
            "South Korean intelligence",
        ),
        (r"national intelligence service", "NIS"),
        (
            r"südkoreanische[nrs]? geheimdienst(?:es|s)?|"
            r"südkoreanische[nrs]? nachrichtendienst(?:es|s)?",
            "südkoreanischer Geheimdienst",
        ),
        (r"\bnis\b", "NIS"),
    ],
    "kr-government": [
        (
            r"südkoreanische[nr]? regierung|south korean government|seoul|südkorea|south korea",
            "Seoul",
        ),
    ],
    "ua-hur": [
        (
            r"ukrainische[nrs]? militärgeheimdienst(?:es|s)?(?: hur| gur)?",
            "ukrainischer Militärgeheimdienst HUR",
        ),
        (
            r"ukrain(?:ian|e's) military intelligence(?: agency)?(?: \(?hur\)?)?",
            "Ukrainian military intelligence HUR",
        ),
        (r"\bhur\b|\bgur\b", "HUR"),
        (r"budanow|budanov", "Budanow"),
    ],
    "ua-zelensky": [
        (
            r"(?:wolodymyr |volodymyr )?"
            r"(?:selenskyj|selenskij|selensky|zelenskyy|zelenskiy|zelensky)",
            "Selenskyj",
        ),
        (r"ukrainische[nr]? präsident(?:en)?|ukrainian president|ukraine's president", "Selenskyj"),
    ],
    "ua-general-staff": [
        (
            r"ukrainische[nrm]? generalstab(?:s|es)?|ukrain(?:ian|e's) general staff",
            "ukrainischer Generalstab",
        ),
    ],
    "nato": [
        (r"(?:mark )?rutte", "Rutte"),
        (r"(?:jens )?stoltenberg", "Stoltenberg"),
        (r"\bnato\b", "NATO"),
    ],
    "kp-kim": [
        (r"kim jong[- ]?un", "Kim Jong-un"),
        (r"\bkcna\b|\bkcna's\b", "KCNA"),
    ],
    "ru-kremlin": [
        (r"peskow|peskov", "Peskow"),
        (r"sacharowa|zakharova", "Sacharowa"),
        (r"\bkreml\b|kremlin", "Kreml"),
        (
            r"russische[snm]? verteidigungsministerium(?:s)?|russian defen[cs]e ministry",
            "russisches Verteidigungsministerium",
        ),
        (r"\bputin\b", "Putin"),
    ],
    "isw": [
        (r"institute for the study of war|institut für kriegsstudien|\bisw\b", "ISW"),
    ],
}
_GROUP_RES = [
    (group, re.compile(r"(?<![\w-])(?:" + pat + r")(?![\w])", re.I), display)
    for group, rows in CLAIMANT_GROUPS.items()
    for pat, display in rows
]
_ALIAS_ANY = re.compile(
    "|".join(f"(?P<g{i}>{rx.pattern})" for i, (_g, rx, _d) in enumerate(_GROUP_RES)), re.I
)


@dataclass(frozen=True, slots=True)
class Alias:
    group: str
    display: str  # as written in the text ("Zelenskyy", "südkoreanischen Geheimdienstes")
    start: int
    end: int


def find_aliases(text: str) -> list[Alias]:
    """Known claimants named in ``text``, left to right (one alias per position)."""
    out: list[Alias] = []
    for m in _ALIAS_ANY.finditer(text):
        idx = int((m.lastgroup or "g0")[1:])
        group = _GROUP_RES[idx][0]
        prev = out[-1] if out else None
        if prev is not None and prev.group == group and not text[prev.end : m.start()].strip(" ,"):
            # "der südkoreanische Geheimdienst NIS": one name, written twice
            out[-1] = Alias(group, text[prev.start : m.end()], prev.start, m.end())
            continue
        out.append(Alias(group, m.group(), m.start(), m.end()))
    return out


def claimant_group(name: str) -> str | None:
    for group, rx, _display in _GROUP_RES:
        if rx.search(name):
            return group
    return None


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
