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

The words are a language's (``language``: ``"en"``, the default, or ``"fr"``):
:mod:`bot.entity_rules` holds the English rules and :mod:`bot.entity_rules_fr`
the French ones; names and SKUs are the same in every language, and a French
matcher knows the catalog's English aliases too ("dock", "toner").

Matching runs on an accent- and case-folded copy of the text that keeps one
character per character, so offsets found there are offsets in the original.
Where spans overlap, the entity kinds earlier in ``_PRIORITY`` win.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.entity_names import person_names
from bot.entity_rules import ENGLISH, Rules, alternation, fold
from bot.entity_rules_fr import FRENCH

__all__ = ["LANGUAGES", "EntityMatcher", "Found", "fold"]

logger = logging.getLogger(__name__)

LANGUAGES: dict[str, Rules] = {"en": ENGLISH, "fr": FRENCH}


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


# --- rules that read the same in every language ------------------------------------

_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\d[\d .-]{7,17}\d|0\d(?:[ .-]?\d{2}){4})(?!\w)")
# The letters and the six digits as people type them: "C-100001", "c100001", "C 100001",
# "C. 100001", "SO - 000123", "Q/000045".
_REFERENCE_GAP = r"\s?[-./#]?\s?"
_REFERENCES = (
    ("customer_number", re.compile(rf"\bc{_REFERENCE_GAP}(\d{{6}})\b"), "C-{}"),
    ("order_number", re.compile(rf"\bso{_REFERENCE_GAP}(\d{{6}})\b"), "SO-{}"),
    ("quote_number", re.compile(rf"\bq{_REFERENCE_GAP}(\d{{6}})\b"), "Q-{}"),
)
_POSTCODE = re.compile(r"(?<![\w+.,/-])\d{5}(?![\w/-])")

# Earlier kinds win where spans overlap.
_PRIORITY = (
    "email", "phone", "customer_number", "order_number", "quote_number", "product", "date",
    "postcode", "quantity", "contact_time", "channel_pref", "contact_field", "person_name",
)  # fmt: skip


class EntityMatcher:
    """Finds the entities of one text: catalog products by phrase, the rest by rule."""

    def __init__(self, catalog: list[dict[str, Any]], *, language: str = "en") -> None:
        if language not in LANGUAGES:
            raise ValueError(f"language {language!r}: expected one of {sorted(LANGUAGES)}")
        self.rules = rules = LANGUAGES[language]
        self.nlp = spacy.blank(language)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for sku, terms in _product_terms(catalog, rules).items():
            self.phrases.add(sku, [self.nlp.make_doc(term) for term in sorted(terms)])
        # Category names count things too: "8 laptops", "2 monitors".
        categories = {fold(str(p.get("category", ""))).strip() for p in catalog} - {""}
        words = categories | {c[:-1] for c in categories if c.endswith("s")}
        words |= {w for c in categories for w in rules.category_words.get(c, ())}
        words |= {p for w in words for p in rules.plurals(w)}
        self.units = "|".join([rules.units, alternation(words)])
        self.numbers = r"\d{1,3}|" + alternation(rules.number_words)

    def find(self, text: str) -> list[Found]:
        """All entities of ``text``, without overlaps, in text order."""
        folded = fold(text)
        if self.rules.straight_apostrophes:
            folded = folded.replace("\u2019", "'")
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
        rules = self.rules
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
        found += _spans("date", rules.dates, text, folded)
        found += _spans("contact_time", rules.contact_times, text, folded)
        for pattern in rules.channel_prefs:
            for m in pattern.finditer(folded):
                found.append(
                    Found("channel_pref", m.start(1), m.end(1), rules.channel_of(m.group(1)))
                )
        for pattern, field in rules.contact_fields:
            for m in pattern.finditer(folded):
                group = 1 if m.group(1) is not None else 2
                found.append(Found("contact_field", m.start(group), m.end(group), field))
        found += [Found("person_name", *name) for name in person_names(text, folded, rules)]
        return found

    def _quantities(self, folded: str, found: list[Found]) -> list[Found]:
        rules = self.rules
        starts = {f.start for f in found if f.entity == "product"}
        quantities = []
        for m in re.finditer(rf"\b({self.numbers})\b", folded):
            word = m.group(1)
            value = rules.number_words.get(word) or int(word)
            rest = folded[m.end() :]
            gap = re.match(rules.quantity_gap, rest)
            # "two extra batteries": the word in the gap may begin the product's name.
            before_product = gap is not None and (
                m.end() + gap.end() in starts or m.end() + 1 in starts
            )
            before_unit = re.match(rf"{rules.unit_gap}(?:{self.units})\b", rest)
            if word in rules.weak_numbers:
                # An article ("une sacoche") counts nothing; "un exemplaire" counts one.
                before_product = False
                before_unit = re.match(rf"{rules.unit_gap}(?:{rules.units})\b", rest)
            alone = re.fullmatch(
                rf"\W*{rules.alone_before}{re.escape(word)}{rules.alone_after}\W*", folded
            )
            if (
                before_product
                or before_unit
                or re.search(rules.quantity_prefix, folded[: m.start()])
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


def _product_terms(catalog: list[dict[str, Any]], rules: Rules) -> dict[str, set[str]]:
    """Folded names, SKUs and aliases (and their plurals) per SKU; ambiguous ones dropped."""
    owners: dict[str, set[str]] = {}
    for product in catalog:
        sku = str(product["sku"])
        category = fold(str(product.get("category", ""))).strip()
        written = [
            " ".join(fold(str(t)).split())
            for t in [product.get("name", ""), sku, *product.get("aliases", [])]
        ]
        if rules.straight_apostrophes:
            written = [t.replace("\u2019", "'") for t in written]
        for term in [*written, *(v for t in written for v in rules.category_variants(t, category))]:
            # Customers run a name and its number together: "nova14", "eclipse3000".
            joined = re.sub(r"(?<=[a-z]) (?=\d)", "", term)
            for variant in {term, joined, *rules.plurals(term)} - {""}:
                owners.setdefault(variant, set()).add(sku)
    terms: dict[str, set[str]] = {}
    for term, skus in owners.items():
        if len(skus) > 1:
            logger.warning("catalog term %r names %s; it is ignored", term, sorted(skus))
            continue
        terms.setdefault(skus.pop(), set()).add(term)
    return terms


def _spans(
    entity: str, patterns: tuple[re.Pattern[str], ...], text: str, folded: str
) -> list[Found]:
    return [
        Found(entity, m.start(), m.end(), text[m.start() : m.end()])
        for pattern in patterns
        for m in pattern.finditer(folded)
    ]


def _without_overlaps(candidates: list[Found]) -> list[Found]:
    ordered = sorted(candidates, key=lambda f: (_PRIORITY.index(f.entity), f.start - f.end))
    kept: list[Found] = []
    for candidate in ordered:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    return kept
