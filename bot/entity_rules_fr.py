"""The French words of the rule-based entity matcher (``language: fr``).

Each rule mirrors an English one of :mod:`bot.entity_rules`, with the same
entity kinds and canonical values: "deux sacoches" counts like "two bags",
"par SMS" is the ``sms`` channel like "by text". Patterns run on folded text
(no accents, lower case, U+2019 read as "'"), so "décembre" and "decembre" read
alike. "un" and "une" are articles as much as numbers: like English "a", they
count nothing before a product ("une sacoche"), but one alone ("juste un"),
before a unit ("un exemplaire"), or as "un seul".
"""

from __future__ import annotations

import re

from bot.entity_rules import NOT_NAMES_EN, Rules, alternation, english_plurals

_NUMBER_WORDS = {
    "un": 1, "une": 1, "un seul": 1, "une seule": 1, "deux": 2, "trois": 3, "quatre": 4,
    "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11,
    "douze": 12, "quinze": 15, "vingt": 20, "une paire de": 2, "une dizaine": 10,
    "une douzaine": 12, "une quinzaine": 15, "une vingtaine": 20,
}  # fmt: skip
_UNITS = (
    r"unites?|pieces?|exemplaires?|articles?|lots?|boites?|paquets?|packs?|cartons?|jeux"
    r"|paires?|d'entre eux|d'entre elles|de chaque|de chacun|de chacune"
)
# The words that name the catalog's categories, beside the English category names.
_CATEGORY_WORDS = {
    "laptops": ("ordinateur portable", "ordinateur", "pc portable", "pc", "portable"),
    "accessories": ("accessoire",),
    "monitors": ("ecran", "moniteur"),
    "printers": ("imprimante",),
    "phones": ("telephone", "smartphone", "mobile"),
    "services": ("service", "prestation"),
}
_MONTHS = (
    r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|janv|fevr|fev|avr|juil|sept|oct|nov|dec"
)
_DAY = r"(?:1er|premier|[12]\d|3[01]|0?[1-9])"
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_COUNT = r"\d{1,2}|un|une|deux|trois|quatre|cinq|six|huit|dix|quinze"
# "18h", "18 h 30", "18:30", "midi": a time of day, never a bare number ("il y a 3 jours").
_TIME = r"(?:\d{1,2}\s?h(?:\s?\d{2})?|\d{1,2}:\d{2}|midi|minuit)"
_HOUR = rf"(?:{_TIME}|\d{{1,2}})"

_DATES = tuple(
    re.compile(p)
    for p in (
        r"\bapres[- ]demain\b|\bdemain\b|\baujourd'hui\b",
        rf"\b(?:(?:ce|des) )?(?:{_WEEKDAYS})(?: (?:prochain|qui vient|en huit))?\b",
        r"\b(?:(?:(?:a |en )?la )?fin (?:de |du )?)?(?:la |le |l')?"
        r"(?:semaine|mois|annee) (?:prochaine?|qui vient|suivante?)\b",
        r"\b(?:cette semaine|ce mois-ci|cette annee)\b",
        r"\b(?:(?:a |en )?la )?fin (?:de (?:la |cette )?|du |de ce )(?:semaine|mois|annee)\b",
        # "le 12 décembre", but not the "le" of "livrez-le 12 décembre".
        rf"(?:(?<!-)\ble |\b){_DAY} (?:{_MONTHS})\b(?: \d{{4}})?",
        rf"\b(?:debut|mi-|mi |fin|courant) ?(?:{_MONTHS})\b",
        rf"(?:(?<=\ben )|(?<=\bd'ici )|(?<=\bavant ))(?:{_MONTHS})\b",
        r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b",
        rf"\b(?:dans|sous|d'ici) (?:{_COUNT}) (?:jours?|semaines?|mois)\b",
        r"\b(?:des|aussi vite|aussitot) que possible\b|\b(?:au plus vite|au plus tot)\b"
        r"|\ble plus (?:vite|tot) possible\b|\basap\b",
    )
)
_CONTACT_TIMES = tuple(
    re.compile(p)
    for p in (
        # "le matin", "en soirée", but not the "après-midi" of "bon après-midi".
        r"\b(?:(?:(?:tous )?les|le|en|dans la|dans l'|l'|(?:en )?(?:debut|fin) d'"
        r"|(?:en )?(?:debut|fin) de|plutot le|plutot l')\s?)"
        r"(?:matin(?:s|ee)?|apres-midi|apres midi|soir(?:s|ee)?)\b",
        rf"\b(?:apres|avant|vers|a partir de|des|a) {_TIME}(?= |$|[,.!?])(?:(?: a| et) {_TIME})?",
        rf"\bentre {_HOUR} et {_HOUR}|\bde {_TIME} a {_TIME}",
        r"\b(?:le |les |en |pendant le |pendant les )?(?:week-ends?|weekends?)\b"
        r"|\ben semaine\b|\b(?:les )?jours de semaine\b"
        r"|\b(?:aux |pendant les )?heures (?:de bureau|ouvrables|de travail)\b",
    )
)
_CHANNEL_WORDS = {
    "sms": "sms", "texto": "sms", "textos": "sms", "message": "sms", "messages": "sms",
    "whatsapp": "sms", "textez": "sms", "texter": "sms",
    "email": "email", "e-mail": "email", "emails": "email", "e-mails": "email", "mail": "email",
    "mails": "email", "courriel": "email", "courriels": "email", "mailez": "email",
    "e-mailez": "email", "emailez": "email",
    "telephone": "phone", "tel": "phone", "appel": "phone", "appels": "phone",
    "appel telephonique": "phone", "appels telephoniques": "phone", "coup de fil": "phone",
    "coups de fil": "phone",
}  # fmt: skip
_CHANNEL = alternation(_CHANNEL_WORDS)
_ARTICLE = r"(?:(?:un|une|des|le|la|les|par|en) |l')?"
_CHANNEL_PREFS = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:par|via) {_ARTICLE}({_CHANNEL})\b",
        r"\b(?:prefere|preferons|preferez|preference pour|plutot|de preference)"
        r"(?: etre (?:contactee?s?|jointe?s?|appelee?s?)| recevoir| avoir)?"
        rf" {_ARTICLE}({_CHANNEL})\b",
        r"\b(?:envoyez|envoyer|envoie|envoies|ecrivez|utilisez|utiliser)(?:-moi| moi| nous|-nous)?"
        rf" {_ARTICLE}({_CHANNEL})\b",
        r"\b(textez|texter|e-?mailez|mailez)(?:-| )moi\b",
    )
)
# Group 1 is the span: "mon numéro" names the phone field, "mon" is not part of it.
_CONTACT_FIELDS = (
    (re.compile(r"\b(numero de (?:telephone|portable|mobile|fixe|tel))\b"), "phone"),
    # "téléphone" alone is also the channel ("par téléphone"): only as "my phone".
    (
        re.compile(
            r"\b(?:mon|ma|le|votre|nouveau|nouveau numero de) "
            r"(telephone|tel|mobile|fixe|portable)\b"
        ),
        "phone",
    ),
    # "mon numéro client", "le numéro de commande" are other numbers.
    (
        re.compile(r"\b(?:mon|nouveau|le|votre) (numero)\b(?! (?:de |d'|du |client|commande))"),
        "phone",
    ),
    (
        re.compile(r"\b(adresse (?:e-?mail|mail|courriel|electronique)|e-?mail|mail|courriel)\b"),
        "email",
    ),
    (
        re.compile(
            r"\b(adresse(?: postale| de livraison| de facturation| du domicile)?"
            r"|demenage(?:e|s|es)?|demenagement)\b"
        ),
        "address",
    ),
)
_NAME_INTRO = re.compile(
    r"\b(?:(je m'appelle|je m appelle|mon nom est|mon nom c'est|mon nom:|nom:|moi c'est)"
    r"|(je suis|c'est|ici|de la part de))\s+"
)
_NOT_NAMES = NOT_NAMES_EN | {
    "un", "une", "le", "la", "les", "l'", "de", "du", "des", "et", "ou", "mais", "je", "j'",
    "moi", "mon", "ma", "mes", "vous", "votre", "vos", "nous", "notre", "pour", "avec",
    "sur", "dans", "en", "pas", "ne", "tres", "bien", "bon", "bonne", "bonjour", "bonsoir",
    "salut", "merci", "beaucoup", "oui", "non", "d'accord", "daccord", "parfait", "super",
    "genial", "exact", "exactement", "correct", "vrai", "ca", "cela", "tout", "client",
    "cliente", "nouveau", "nouvelle", "interesse", "interessee", "commande", "commandes",
    "devis", "prix", "produit", "produits", "portable", "portables", "ordinateur", "aide",
    "madame", "monsieur", "voudrais", "veux", "besoin", "appelle", "ici", "la-bas", "quoi",
    "comment", "pourquoi", "quand", "qui", "adresse", "telephone", "numero", "desole",
    "desolee", "au", "revoir", "plus", "tard", "possible", "encore", "deja", "toujours",
}  # fmt: skip


def _channel(word: str) -> str:
    return _CHANNEL_WORDS[word.replace("e-mail", "email")]


# Where the nouns and adjectives that agree with a product's noun end: "cartouche d'encre".
_STOP = re.compile(r"^(?:de|du|des|d'.*|pour|a|au|aux|sans|en|avec|la|le|les|l'.*|\d.*)$")


def _french_word_plural(word: str) -> str:
    if len(word) < 3 or not word.isalpha() or word[-1] in "sxz":
        return word
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    if word.endswith("al"):
        return word[:-2] + "aux"
    return word + "s"


def french_plurals(term: str) -> set[str]:
    """French plurals of a folded term: its head noun, and the words agreeing with it.

    "station d'accueil" → "stations d'accueil"; "imprimante laser" →
    "imprimantes laser" and "imprimantes lasers"; "ecran 24 pouces" → "ecrans
    24 pouces". The English ones too, for the catalog's English words.
    """
    words = term.split()
    agreeing = 0
    while agreeing < len(words) and not _STOP.match(words[agreeing]):
        agreeing += 1
    if agreeing == 0:
        return english_plurals(term)
    head = [_french_word_plural(words[0]), *words[1:]]
    every = [_french_word_plural(w) for w in words[:agreeing]] + words[agreeing:]
    return ({" ".join(head), " ".join(every)} | english_plurals(term)) - {term}


def noun_first(term: str, category: str) -> set[str]:
    """French names of a "<name> <category>" term, noun first ("portable eclipse").

    The catalog's English aliases put the category last ("eclipse laptop",
    "full hd monitor", "laser printer"); French puts it first, in any of its
    words ("portable eclipse", "pc portable eclipse", "ecran full hd").
    """
    singular = category[:-1] if category.endswith("s") else category
    if not term.endswith(f" {singular}"):
        return set()
    name = term[: -len(singular) - 1]
    return {f"{word} {name}" for word in _CATEGORY_WORDS.get(category, ())}


FRENCH = Rules(
    language="fr",
    number_words=_NUMBER_WORDS,
    weak_numbers=frozenset({"un", "une"}),
    units=_UNITS,
    unit_gap=r" (?:de |d')?",
    category_words=_CATEGORY_WORDS,
    quantity_gap=(
        r" (?:x |(?:de |d')(?:vos |nos |ces |mes |tes |ses |leurs |la |l')?|des |autres "
        r"|nouveaux |nouvelles |nouvel |nouvelle |nouveau )?"
    ),
    quantity_prefix=r"\b(?:x|qte|quantite(?: de)?|nombre(?: de)?) ?:? ?$",
    alone_before=r"(?:juste |seulement |que |j'en veux |il m'en faut )?",
    alone_after=r"(?: (?:s'il vous plait|svp|stp|merci))?",
    dates=_DATES,
    contact_times=_CONTACT_TIMES,
    channel_words=_CHANNEL_WORDS,
    channel_prefs=_CHANNEL_PREFS,
    channel_of=_channel,
    contact_fields=_CONTACT_FIELDS,
    name_intro=_NAME_INTRO,
    not_names=frozenset(_NOT_NAMES),
    plurals=french_plurals,
    category_variants=noun_first,
    straight_apostrophes=True,
)
