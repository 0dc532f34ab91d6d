"""French: the words a recogniser writes for numbers, codes and e-mail addresses."""

from __future__ import annotations

from . import numbers_fr
from .table import Spoken, stays_like_one, words

_DETERMINERS = words(
    "le la l' les ce cet cette chaque aucun aucune quel quelle lequel laquelle"
    " n'importe un une l'un l'une"
)
# After "un", words that say it is no quantity: "un de ces jours", "un autre", "un peu".
_UNCOUNTED = words(
    "de des du autre peu jour moment instant fois truc chose et ou qui que à au"
    " pour avec dans sur par est sera était a"
)
# Before "neuf", words that make it "new": "tout neuf", "à neuf", "quoi de neuf".
_CLAUSE_ENDS = words("merci svp s'il stp oui non voilà alors")
_NEW = words(
    "tout toute tous toutes à de du des quoi très comme le la les un une état remis"
    " remise presque plus"
)
_THANKS = words("merci mercis excuses pardons fois")


def _stays(word: str, before: str | None, after: str | None, counting: bool) -> bool:
    if word in ("un", "une"):
        # An article, unless a quantity or digits are expected ("un sac et deux piles").
        return not counting or stays_like_one(
            before,
            after,
            counting,
            determiners=_DETERMINERS,
            uncounted=_UNCOUNTED,
            clause_ends=_CLAUSE_ENDS,
        )
    if word == "neuf":
        return before in _NEW or (after is None and not counting)
    if word in ("cent", "cents"):
        return before == "pour"  # "dix pour cent"
    if word == "mille":
        return after in _THANKS  # "mille mercis"
    return False


FR = Spoken(
    code="fr",
    lexicon=numbers_fr.LEXICON,
    cardinal=numbers_fr.cardinal,
    fillers=words("euh euhh heu hum hmm hm bah ben mm"),
    comma_groups=False,
    space_groups=True,
    decimal_mark=",",
    decimals_by_digit=False,
    stays=_stays,
    price_before=frozenset(
        [
            *((word,) for word in words("pour coûte coute coûtent coûtait prix payé payer")),
            *((word,) for word in words("paie budget fait €")),
            ("moins", "de"),
            ("plus", "de"),
        ]
    ),
    currencies=words("euro euros €"),
    cents=words("centime centimes"),
    time_before=frozenset(),
    time_after=frozenset(),
    plus=frozenset({"plus"}),
    counted_before=frozenset(),
    counting_verbs=frozenset(),
    code_letters={
        "C": (("c",), ("cé",)),
        "SO": (("s", "o"), ("s.o",), ("s-o",), ("so",), ("es", "o"), ("esse", "o")),
        "Q": (("q",),),
    },
    spelled_as=(("comme",), ("comme", "dans")),
    so_first=frozenset(),
    not_code_after=frozenset(),
    email_signs={
        **dict.fromkeys(
            [("arobase",), ("arrobase",), ("arobas",), ("arrobas",), ("at",), ("@",)], "@"
        ),
        ("a", "commercial"): "@",
        **dict.fromkeys([("point",), ("dot",), (".",)], "."),
        **dict.fromkeys([("tiret", "du", "bas"), ("tiret", "bas"), ("tiret", "du", "huit")], "_"),
        **dict.fromkeys([("tiret", "du", "8"), ("underscore",), ("souligné",), ("_",)], "_"),
        **dict.fromkeys(
            [("tiret",), ("tiret", "du", "six"), ("tiret", "du", "6"), ("trait", "d'union")], "-"
        ),
        ("-",): "-",
    },
    email_stops=words(
        "mon ma mes email e-mail mail adresse courriel électronique est c'est oui ouais"
        " alors donc voici voilà la le les à de du et ou moi je j'ai c'était"
    ),
    email_cues=words("email e-mail mail adresse courriel mails"),
)
