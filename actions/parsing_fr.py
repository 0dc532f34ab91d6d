"""The French words of :mod:`actions.parsing`: numbers, date wording, contact channels.

Each table mirrors an English one of :mod:`actions.parsing`. The words are
written without accents: the parser folds the text first ("décembre" and
"decembre" read alike).
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "un": 1, "une": 1, "seul": 1, "seule": 1, "deux": 2, "paire": 2, "trois": 3,
    "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "cinquante": 50,
}  # fmt: skip
MULTIPLIERS = {
    "dizaine": 10, "dizaines": 10, "douzaine": 12, "douzaines": 12, "quinzaine": 15,
    "vingtaine": 20, "centaine": 100, "centaines": 100, "cent": 100,
}  # fmt: skip
# "un" and "une" are articles as much as numbers, like English "a".
WEAK = frozenset({"un", "une"})
# "un portable neuf" is a new laptop, not nine: "neuf" after an article and a noun.
NEW = re.compile(r"\b((?:un|une|des|le|la|les|l)\s+\w+\s+)neuf\b")

# dateparser reads "après-demain" but not "apres demain" (it finds "demain"), and
# not "lundi prochain" whole (it finds "lundi", the next one to come).
DATE_REWRITES = (
    (re.compile(r"\bapr[eè]s[\s-]+demain\b", re.IGNORECASE), "après-demain"),
    (
        re.compile(
            r"\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+(?:prochain|qui vient)\b",
            re.IGNORECASE,
        ),
        r"\1",
    ),
)

CHANNELS = {
    "sms": re.compile(r"\b(sms|textos?|messages?|whatsapp)\b", re.IGNORECASE),
    "email": re.compile(
        r"\b(e-?mails?|mails?|courriels?|newsletters?|lettres? d'information)\b", re.IGNORECASE
    ),
    "phone": re.compile(
        r"\b(appels?|appel(?:er|ez|e)|t[eé]l[eé]phon(?:e|er|ez|iques?)|coups? de fil"
        r"|d[eé]marchage)\b",
        re.IGNORECASE,
    ),
}
STOP = re.compile(
    r"\b(stop|arr[eê]te[zr]?|plus de|plus d'|ne (?:\S+ )?plus|n'\S+ plus|jamais|pas|non"
    # spoken French drops the "ne": "j'en veux plus", "je veux plus aucun SMS"
    r"|(?:veux|veut|voulons|voulez|veulent) plus|plus aucune?|aucune?"
    r"|d[eé]sinscri\w*|d[eé]sabonn\w*|retire[zr]?|supprime[zr]?|assez|trop de|trop d')",
    re.IGNORECASE,
)
CLAUSES = re.compile(r"[.;!?]+|,|\bmais\b", re.IGNORECASE)
# "Arrêtez", "plus de": words that refuse a channel outright, not a mere "par e-mail, pas par
# téléphone".
REFUSE = re.compile(
    r"\b(stop|arr[eê]te[zr]?|plus de|plus d'|ne (?:\S+ )?plus|n'\S+ plus|jamais"
    r"|(?:veux|veut|voulons|voulez|veulent) plus|plus aucune?"
    r"|d[eé]sinscri\w*|d[eé]sabonn\w*|assez|trop de|trop d')",
    re.IGNORECASE,
)
