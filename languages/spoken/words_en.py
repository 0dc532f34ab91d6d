"""English: the words a recogniser writes for numbers, codes and e-mail addresses."""

from __future__ import annotations

from . import numbers_en
from .table import Spoken, stays_like_one, words

_DETERMINERS = words(
    "no any every each some this that which the a an another only last next other"
    " little big same right wrong new old good first what whichever such one at"
)
# After "one", words that say it is no quantity: "one of", "one more thing", "one sec".
_UNCOUNTED = words(
    "of another more less by or and nor who that which whose where when what is was"
    " are were be 's will would can could should might must may has have had do does"
    " did day days time times moment minute sec second way thing things point"
    " question else as at in on for to with from about than i you he she we they it"
    " me him her us them my your his our their its if but so because just only really"
    " either left last"
)
# After "one", words that end what is said: "one please" is 1 only when a quantity is asked.
_CLAUSE_ENDS = words("please thanks thank too then now here there yes no ok okay sir")


def _stays(word: str, before: str | None, after: str | None, counting: bool) -> bool:
    if word != "one":
        return False
    return stays_like_one(
        before,
        after,
        counting,
        determiners=_DETERMINERS,
        uncounted=_UNCOUNTED,
        clause_ends=_CLAUSE_ENDS,
    )


EN = Spoken(
    code="en",
    lexicon=numbers_en.LEXICON,
    cardinal=numbers_en.cardinal,
    fillers=words("uh uhh um umm uhm er erm hmm hm ah ahh eh mm"),
    comma_groups=True,
    space_groups=False,
    decimal_mark=".",
    decimals_by_digit=True,
    stays=_stays,
    price_before=frozenset(
        [
            *((word,) for word in words("for cost costs costing price priced pay paid paying")),
            *((word,) for word in words("budget under below over above than $ £ €")),
            ("is", "it"),
            ("was", "it"),
        ]
    ),
    currencies=words("euro euros dollar dollars buck bucks pound pounds quid € $ £"),
    cents=words("cent cents pence"),
    time_before=words("at by around until till before after from between"),
    time_after=words("am pm a.m p.m o'clock"),
    plus=frozenset({"plus"}),
    counted_before=frozenset({"of"}),
    counting_verbs=words("want need like take order buy get add"),
    code_letters={
        "C": (("c",), ("see",), ("sea",), ("cee",)),
        "SO": (("s", "o"), ("s", "oh"), ("s.o",), ("s-o",), ("so",), ("es", "o"), ("ess", "o")),
        "Q": (("q",), ("queue",), ("cue",), ("kyu",)),
    },
    spelled_as=(("as", "in"), ("for",), ("like",)),
    so_first=frozenset({"s", "es", "ess"}),
    not_code_after=words(
        "i you we they he she it to can could will would let's lets and the a in i'll you'll we'll"
    ),
    email_signs={
        **dict.fromkeys([("at",), ("at", "sign"), ("at", "symbol"), ("@",)], "@"),
        **dict.fromkeys([("dot",), ("period",), ("full", "stop"), (".",)], "."),
        **dict.fromkeys([("underscore",), ("under", "score"), ("_",)], "_"),
        **dict.fromkeys([("dash",), ("hyphen",), ("-",)], "-"),
    },
    email_stops=words(
        "my email e-mail mail address is it's its it yeah yes yep sure okay ok so the"
        " and or that's please i i'm me you we us they them he she him her to for from"
        " send write reach contact use try was be well here there of on in with by"
    ),
    email_cues=words("email e-mail mail address emails"),
)
