"""German and English stop words, already folded (see ``normalise.fold``).

Kept as plain data so a topic's config can add more. They carry grammar, not subject, so they
are dropped before indexing and fuzzy comparison; numbers and names always stay.
"""

from __future__ import annotations

_GERMAN_WORDS = """
    aber alle allem allen aller alles als also am an ander andere anderen anderer anderes auch
    auf aus bei beide beiden beim bereits bis bisher bislang bin bist bzw da dabei dadurch dafuer
    dagegen daher damit danach dann daran darauf daraus darin darueber darum das dass davon
    dazu dein deine dem den denen denn dennoch der deren des deshalb dessen dich die dies diese
    diesem diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines einige
    einigen einiger er es etwas euch euer eure fuer gegen gewesen hab habe haben hat hatte
    hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im immer in
    indem ins ist ja jede jedem jeden jeder jedes jedoch jene jenem jenen jener jenes jetzt
    kann kein keine keinem keinen keiner koennen koennte man manche mehr mein meine mit muss
    musste nach nachdem neben nicht nichts noch nun nur ob oder ohne sehr sein seine seinem
    seinen seiner seines seit selbst sich sie sind so solche soll sollen sollte sondern sowie
    sowohl ueber um und uns unser unsere unter viel viele vom von vor waehrend waren warst was
    weg weil weiter welche welchem welchen welcher welches wenn wer werde werden wie wieder
    will wir wird wirst wo wohl wollen wollte wurde wurden zu zum zur zwar zwischen
    laut sagte sagt sagten erklaerte hiess heisst berichtet berichtete demnach zufolge
    offenbar inzwischen zudem sei seien waere haette haetten worden denen
"""

_ENGLISH_WORDS = """
    a about above after again against all also am an and any are aren as at be because been
    before being below between both but by can cannot could couldn did didn do does doesn doing
    don down during each few for from further had hadn has hasn have haven having he her here
    hers herself him himself his how i if in into is isn it its itself just let me more most
    mustn my myself no nor not now of off on once only or other ought our ours ourselves out
    over own same shan she should shouldn so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was wasn
    we were weren what when where which while who whom why will with won would wouldn you your
    yours yourself yourselves us s t ll ve re d m
    said says say told according reportedly also however since
"""

GERMAN: frozenset[str] = frozenset(_GERMAN_WORDS.split())
ENGLISH: frozenset[str] = frozenset(_ENGLISH_WORDS.split())
DEFAULT: frozenset[str] = GERMAN | ENGLISH
