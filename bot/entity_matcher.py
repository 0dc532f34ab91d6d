"""Catalog products and contact-centre values, found by rules instead of a model.

:class:`EntityMatcher` is plain Python that the tests in ``tests/bot`` drive
directly; the Rasa 3.6 graph component around it, with the catalog it was
trained with, is :class:`bot.catalog_matcher.CatalogEntityExtractor`. Every
entity carries a canonical ``value`` the actions can use as is:

======================  =====================================================
entity                  value
======================  =====================================================
``product``             the SKU (``ECL-3000``), from names, SKUs and aliases
``quantity``            a whole number as text (``"2"``)
``email``               the address as written
``phone``               digits with a leading ``+`` kept (``+33698765432``)
``customer_number``     ``C-100001``
``order_number``        ``SO-000123``
``quote_number``        ``Q-000123``
``postcode``            five digits (``69002``)
``person_name``         the name as written (``Pierre Moreau``)
``date``                the words as written (``next Friday``); actions parse
``contact_time``        the words as written (``mornings``, ``after 6pm``)
``channel_pref``        ``sms``, ``email`` or ``phone``
``contact_field``       ``phone``, ``email`` or ``address``
======================  =====================================================

Matching runs on an accent- and case-folded copy of the text that keeps one
character per character, so offsets found there are offsets in the original.
Where spans overlap, the entity kinds earlier in ``_PRIORITY`` win.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

logger = logging.getLogger(__name__)


def fold(text: str) -> str:
    """Lower-case, accent-free text of exactly the same length ("Éclipse" → "eclipse")."""
    folded = []
    for char in text:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        folded.append(base[0] if base else char)
    return "".join(folded)


@dataclass(frozen=True)
class Found:
    """One entity: its kind, where it is in the text, and its canonical value."""

    entity: str
    start: int
    end: int
    value: str

    def as_rasa(self) -> dict[str, Any]:
        """The entity as Rasa messages carry it."""
        return {
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "confidence_entity": 1.0,
        }


# --- rules for the values that are not catalog names -----------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "a couple of": 2, "a pair of": 2, "a dozen": 12,
}  # fmt: skip
_NUMBER = r"\d{1,3}|" + "|".join(sorted(map(re.escape, _NUMBER_WORDS), key=len, reverse=True))
_UNITS = (
    r"units?|pieces?|pcs|items?|copies|packs?|boxe?s?|sets?|pairs?"
    r"|of them|of those|of these|of each"
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_TIME = r"(?:\d{1,2}(?:[:h.]\d{2})?\s?(?:am|pm|h)?|noon|midday|lunch(?:\s?time)?)"

_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d[\d .-]{7,17}\d|0\d(?:[ .-]?\d{2}){4})(?!\w)")
_REFERENCES = (
    ("customer_number", re.compile(r"\bc-?(\d{6})\b"), "C-{}"),
    ("order_number", re.compile(r"\bso-?(\d{6})\b"), "SO-{}"),
    ("quote_number", re.compile(r"\bq-?(\d{6})\b"), "Q-{}"),
)
_POSTCODE = re.compile(r"(?<![\w+.,/-])\d{5}(?![\w/-])")
_DATES = [
    re.compile(p)
    for p in (
        r"\b(?:the )?day after tomorrow\b|\btomorrow\b|\btoday\b",
        rf"\b(?:(?:next|this|coming) )?(?:{_WEEKDAYS})\b",
        r"\b(?:(?:the )?end of )?(?:next|this|the coming|the following) (?:week|month|year)\b",
        r"\b(?:the )?end of (?:the )?(?:week|month|year)\b",
        rf"\b(?:the )?{_DAY} (?:of )?(?:{_MONTHS})\b(?: \d{{4}})?",
        rf"\b(?:{_MONTHS}) {_DAY}\b(?:,? \d{{4}})?",
        rf"\b(?:early|mid|late) (?:{_MONTHS})\b",
        rf"(?<=\bin |\bby )(?:{_MONTHS})\b(?! i\b)",
        r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b",
        r"\b(?:in|within) (?:\d{1,2}|a|an|one|two|three|four|five|six) (?:days?|weeks?|months?)\b",
        r"\bas soon as possible\b|\basap\b",
    )
]
_CONTACT_TIMES = [
    re.compile(p)
    for p in (
        # "in the morning", "mornings", but not the "morning" of "good morning".
        r"\b(?:(?:in|during) the |every |early |late )(?:morning|afternoon|evening)s?\b"
        r"|\b(?:mornings|afternoons|evenings)\b",
        rf"\b(?:after|before|around|from|at) {_TIME}(?= |$|[,.!?])(?:(?: to| and) {_TIME})?",
        rf"\bbetween {_TIME} and {_TIME}",
        r"\b(?:on )?(?:weekends|weekdays|week days|the weekend)\b|\b(?:office|working) hours\b",
    )
]
_CHANNEL_WORDS = {
    "sms": "sms", "text": "sms", "texts": "sms", "text message": "sms",
    "text messages": "sms", "message": "sms", "whatsapp": "sms",
    "email": "email", "e-mail": "email", "emails": "email", "e-mails": "email", "mail": "email",
    "phone": "phone", "phone call": "phone", "phone calls": "phone", "call": "phone",
    "calls": "phone", "telephone": "phone",
}  # fmt: skip
_CHANNEL = "|".join(sorted(map(re.escape, _CHANNEL_WORDS), key=len, reverse=True))
_CHANNEL_PREFS = [
    re.compile(p)
    for p in (
        rf"\b(?:by|via|through|over|per) (?:an? )?({_CHANNEL})\b",
        r"\b(?:prefer|preferably|rather have|rather get|rather receive)"
        r"(?: to be contacted by| being contacted by| to get| to receive)?"
        rf" (?:an? )?({_CHANNEL})\b",
        rf"\b(?:use|send|send me) (?:an? )?({_CHANNEL})\b",
        r"\b((?:text|sms|e-?mail|message|whatsapp)(?:ed|ing)?) me\b",
    )
]
# Group 1 is the span: "my number" names the phone field, "my" is not part of it.
_CONTACT_FIELDS = [
    (re.compile(r"\b((?:mobile|cell|telephone|landline)(?: phone)?(?: number)?)\b"), "phone"),
    # "phone" alone is also a verb ("can someone phone me?"): only as a noun.
    (
        re.compile(r"\b(?:(?:my|new|the|your) )?(phone number)\b|\b(?:my|new|the|your) (phone)\b"),
        "phone",
    ),
    (re.compile(r"\b(?:my|new) (number)\b"), "phone"),
    (re.compile(r"\b((?:e-?mail|mail)(?: address)?)\b"), "email"),
    (re.compile(r"\b((?:(?:postal|home|delivery|street) )?address|moved)\b"), "address"),
]
_NAME_INTRO = re.compile(
    r"\b(?:(my name is|my name['\u2019]s|name is|name['\u2019]s|the name is)"
    r"|(i am|i['\u2019]m|im|this is|it['\u2019]s|its|it is))\s+"
)
_NAME_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")
# A first clause that may be a name: the words before a comma, semicolon or dash.
_LEAD_CLAUSE = re.compile(r"\s*([^,;:()]+?)\s*(?:[,;:]|\s[-\u2013]\s)")
_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "di", "da"}
_NOT_NAMES = {
    "a", "an", "the", "and", "but", "or", "from", "in", "at", "on", "i", "my", "me", "here",
    "calling", "speaking", "with", "about", "looking", "interested", "not", "just", "please",
    "so", "too", "also", "customer", "new", "hello", "hi", "hey", "yes", "no", "thanks",
    "thank", "you", "ok", "okay", "sure", "bye", "goodbye", "good", "morning", "afternoon",
    "evening", "want", "would", "like", "need", "have", "to", "for", "of", "is", "it", "that",
    "order", "orders", "status", "help", "cancel", "stop", "quote", "price", "prices", "product",
    "products", "laptop", "laptops", "phone", "email", "address", "where", "what", "how", "why",
    "when", "which", "who", "can", "could", "do", "does", "great", "fine", "perfect", "sorry",
    "nope", "yeah", "yep", "cheers", "welcome", "human", "agent", "person", "bot", "robot",
    "we", "our", "your", "see", "later", "never", "mind", "more", "info", "details",
}  # fmt: skip

# Earlier kinds win where spans overlap.
_PRIORITY = (
    "email", "phone", "customer_number", "order_number", "quote_number", "product", "date",
    "postcode", "quantity", "contact_time", "channel_pref", "contact_field", "person_name",
)  # fmt: skip


class EntityMatcher:
    """Finds the entities of one text: catalog products by phrase, the rest by rule."""

    def __init__(self, catalog: list[dict[str, Any]]) -> None:
        self.nlp = spacy.blank("en")
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for sku, terms in _product_terms(catalog).items():
            self.phrases.add(sku, [self.nlp.make_doc(term) for term in sorted(terms)])
        # Category names count things too: "8 laptops", "2 monitors".
        categories = {fold(str(p.get("category", ""))).strip() for p in catalog} - {""}
        words = categories | {c[:-1] for c in categories if c.endswith("s")}
        words |= {_plural(c) for c in words} - {""}
        self.units = "|".join([_UNITS, *sorted(map(re.escape, words), key=len, reverse=True)])

    def find(self, text: str) -> list[Found]:
        """All entities of ``text``, without overlaps, in text order."""
        folded = fold(text)
        doc = self.nlp.make_doc(folded)
        candidates = self._products(doc)
        candidates += self._by_rules(text, folded, doc)
        candidates += self._quantities(folded, candidates)
        kept = _without_overlaps(candidates)
        if any(f.entity in {"email", "phone", "channel_pref"} for f in kept):
            # The value itself names the field ("my new e-mail is a@b.fr"), or the
            # words are about how to be contacted ("by SMS, not e-mail").
            kept = [f for f in kept if f.entity != "contact_field"]
        return sorted(kept, key=lambda f: f.start)

    def _products(self, doc: Doc) -> list[Found]:
        spans = [Span(doc, start, end, label=match) for match, start, end in self.phrases(doc)]
        return [
            Found("product", span.start_char, span.end_char, span.label_)
            for span in filter_spans(spans)
        ]

    def _by_rules(self, text: str, folded: str, doc: Doc) -> list[Found]:
        found = [
            Found("email", t.idx, t.idx + len(t.text), text[t.idx : t.idx + len(t.text)])
            for t in doc
            if t.like_email and _EMAIL.fullmatch(t.text)
        ]
        for m in _PHONE.finditer(folded):
            digits = re.sub(r"[ .-]", "", m.group())
            digits = "+" + digits[2:] if digits.startswith("00") else digits
            if 9 <= len(digits.lstrip("+")) <= 15:
                found.append(Found("phone", m.start(), m.end(), digits))
        for entity, pattern, template in _REFERENCES:
            found += [
                Found(entity, m.start(), m.end(), template.format(m.group(1)))
                for m in pattern.finditer(folded)
            ]
        found += [
            Found("postcode", m.start(), m.end(), m.group()) for m in _POSTCODE.finditer(folded)
        ]
        found += _spans("date", _DATES, text, folded)
        found += _spans("contact_time", _CONTACT_TIMES, text, folded)
        for pattern in _CHANNEL_PREFS:
            for m in pattern.finditer(folded):
                word = re.sub(r"(?:ed|ing)$", "", m.group(1).replace("e-mail", "email"))
                found.append(Found("channel_pref", m.start(1), m.end(1), _CHANNEL_WORDS[word]))
        for pattern, field in _CONTACT_FIELDS:
            for m in pattern.finditer(folded):
                group = 1 if m.group(1) is not None else 2
                found.append(Found("contact_field", m.start(group), m.end(group), field))
        found += _person_names(text, folded)
        return found

    def _quantities(self, folded: str, found: list[Found]) -> list[Found]:
        starts = {f.start for f in found if f.entity == "product"}
        quantities = []
        for m in re.finditer(rf"\b({_NUMBER})\b", folded):
            value = _NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
            rest = folded[m.end() :]
            gap = re.match(
                r" (?:x |more |of (?:the |those |these |your |our )?|extra |new )?", rest
            )
            # "two extra batteries": the word in the gap may begin the product's name.
            before_product = gap is not None and (
                m.end() + gap.end() in starts or m.end() + 1 in starts
            )
            alone = re.fullmatch(
                rf"\W*(?:just |only )?{re.escape(m.group(1))}(?: please)?\W*", folded
            )
            if (
                before_product
                or re.match(rf" (?:{self.units})\b", rest)
                or re.search(r"\b(?:x|qty|quantity(?: of)?) ?$", folded[: m.start()])
                or alone
            ) and 0 < value <= 999:
                quantities.append(Found("quantity", m.start(), m.end(), str(value)))
        # "5x nova 14": the number only, written against its "x".
        for m in re.finditer(r"\b(\d{1,3})x ", folded):
            if m.end() in starts and 0 < int(m.group(1)) <= 999:
                quantities.append(
                    Found("quantity", m.start(), m.start(1) + len(m.group(1)), m.group(1))
                )
        return quantities


def _product_terms(catalog: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Folded names, SKUs and aliases (and their plurals) per SKU; ambiguous ones dropped."""
    owners: dict[str, set[str]] = {}
    for product in catalog:
        sku = str(product["sku"])
        for term in [product.get("name", ""), sku, *product.get("aliases", [])]:
            term = " ".join(fold(str(term)).split())
            # Customers run a name and its number together: "nova14", "eclipse3000".
            joined = re.sub(r"(?<=[a-z]) (?=\d)", "", term)
            for variant in {term, joined, _plural(term), _plural(term, irregular=True)} - {""}:
                owners.setdefault(variant, set()).add(sku)
    terms: dict[str, set[str]] = {}
    for term, skus in owners.items():
        if len(skus) > 1:
            logger.warning("catalog term %r names %s; it is ignored", term, sorted(skus))
            continue
        terms.setdefault(skus.pop(), set()).add(term)
    return terms


# Plurals no rule makes ("wireless mice").
_IRREGULAR_PLURALS = {"mouse": "mice"}


def _plural(term: str, *, irregular: bool = False) -> str:
    """The plural of a term whose last word is a noun ("laptop bag" → "laptop bags").

    With ``irregular``, the plural no rule makes ("wireless mice"; customers
    also write "mouses"), else "".
    """
    head, _, last = term.rpartition(" ")
    if not last.isalpha() or len(last) < 3:
        return ""
    if irregular:
        return f"{head} {_IRREGULAR_PLURALS[last]}".strip() if last in _IRREGULAR_PLURALS else ""
    if re.search(r"[^aeiou]y$", last):
        last = last[:-1] + "ies"
    elif re.search(r"(?:s|x|z|ch|sh)$", last):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _spans(entity: str, patterns: list[re.Pattern[str]], text: str, folded: str) -> list[Found]:
    return [
        Found(entity, m.start(), m.end(), text[m.start() : m.end()])
        for pattern in patterns
        for m in pattern.finditer(folded)
    ]


def _person_names(text: str, folded: str) -> list[Found]:
    """Names after "my name is", "I'm", "this is" …, or a message that is only a name."""
    found = []
    for intro in _NAME_INTRO.finditer(folded):
        # After "I'm" or "this is" only capitalised words count: "I'm looking" is no name.
        words = _name_words(text, intro.end(), capitalised=intro.group(2) is not None)
        if words:
            found.append(Found("person_name", words[0][0], words[-1][1], _join(text, words)))
    # The whole message, or its first clause ("Alice Gérard, I live in Angers").
    lead = _LEAD_CLAUSE.match(text)
    for part in (text, lead.group(1) if lead else ""):
        bare = [(m.start(), m.end()) for m in _NAME_WORD.finditer(part)]
        only_words = not re.sub(r"[\w\s'\u2019.,!-]", "", part)
        if (
            only_words
            and 2 <= len(bare) <= 3
            and all(part[s].isupper() and fold(part[s:e]) not in _NOT_NAMES for s, e in bare)
        ):
            found.append(Found("person_name", bare[0][0], bare[-1][1], _join(text, bare)))
            break
    return found


def _name_words(text: str, start: int, *, capitalised: bool) -> list[tuple[int, int]]:
    """Up to four name words from ``start``; "de la" counts only inside a name."""
    words: list[tuple[int, int]] = []
    last_end = start
    for m in _NAME_WORD.finditer(text, start):
        word = fold(m.group())
        if text[last_end : m.start()].strip() or len(words) == 4:
            break
        last_end = m.end()
        if word in _PARTICLES and words:
            continue
        if word in _NOT_NAMES or (capitalised and not m.group()[0].isupper()):
            break
        words.append((m.start(), m.end()))
    return words


def _join(text: str, words: list[tuple[int, int]]) -> str:
    return " ".join(text[words[0][0] : words[-1][1]].split())


def _without_overlaps(candidates: list[Found]) -> list[Found]:
    ordered = sorted(candidates, key=lambda f: (_PRIORITY.index(f.entity), f.start - f.end))
    kept: list[Found] = []
    for candidate in ordered:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    return kept
