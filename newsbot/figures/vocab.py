"""Word lists the figure reader consults (lower case). Data only; extend by adding words."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word set written as one space-separated string (keeps long lists readable)."""
    return frozenset(text.split())


MONTHS = words(
    "januar jänner februar märz april mai juni juli august september oktober november dezember "
    "january february march april may june july august september october november december "
    "jan feb mär mar apr jun jul aug sep sept okt oct nov dez dec"
)
ABBREVIATIONS = words(
    "ca bzw dr prof nr mio mrd tsd vgl z.b u.a etc st gen lt col sgt mr mrs ms no vs jan feb "
    "mar apr jun jul aug sep sept oct nov dec u.s approx inkl evtl"
)
# Function words that tell German from English text.
DE_MARKERS = words(
    "der die das und nicht ist sind mit von den dem des sich auch nach wird wurde eine einer "
    "für auf bei sagte laut soldaten über"
)
EN_MARKERS = words(
    "the and of to in is are was were with from that for on by said has have troops about according"
)

# After a number: lower-case German words ending like adjectives that are not adjectives.
DE_NOT_ADJECTIVE = words(
    "eine einer einem einen keine diese dieser diesen jene seine seiner ihre ihrer unsere "
    "sollen werden wurden haben seien waren wären gehen kommen stehen liegen bereits etwa rund "
    "ebenfalls alle allen beide beiden andere anderen sowie ohne gegen ihnen denen"
)
# Capitalised German words after a number that are not counted things.
DE_NOT_UNIT = words(
    "januar februar märz april mai juni juli august september oktober november dezember "
    "montag dienstag mittwoch donnerstag freitag samstag sonntag uhr prozent mal euro dollar "
    "jahre jahren jahr tage tagen prozentpunkte punkte stimmen meter kilometer grad "
    "hälfte drittel viertel fünftel zehntel prozentpunkten"
)
# English words between a number and its noun ("3,000 more troops").
EN_MODIFIERS = words(
    "more additional new other further extra elite regular active foreign enemy combat "
    "military armed trained well-trained fresh its their of"
)
EN_PEOPLE = words("people men women children staff personnel police")
EN_NOT_UNIT = words(
    "years months weeks days hours minutes seconds is was has its this his as us times percent "
    "points votes miles kilometres kilometers dollars euros yes always thirds quarters fifths "
    "tenths halves"
)
# Words after an elliptical number that keep the phrase going ("10,000 had arrived").
EN_AFTER_ELLIPSIS = words(
    "in to of more had have were are could would will may already now so by and or"
)

# Claimant phrases.
DETERMINERS = words("der die das des dem den ein eine eines einem einer the a an")
NP_LEADING_SKIP = words("von aus from in of by")
EN_NOT_IN_NAME = words(
    "had has have was were is are be been will would could may might also then later now it "
    "they he she we and or but that which who on at in to from by with as not its their his "
    "her this these those there here when while after before since because said says told"
)
# A cue word after these is a noun ("on reports that", "die Schätzungen"), not a speaker's verb.
CUE_AS_NOUN_BEFORE = words(
    "the a an on to of about these those such unconfirmed media news der die das den dem laut "
    "nach neuen neue"
)
# "laut Berichten", "according to reports": a source that names no one.
VAGUE_SOURCES = words(
    "berichten medienberichten angaben informationen schätzungen experten beobachtern quellen "
    "reports estimates sources experts analysts observers it he she they er sie es man we wir "
    "officials diplomats residents witnesses who which"
) | frozenset({"media reports", "aktuellen berichten", "unbestätigten berichten"})
