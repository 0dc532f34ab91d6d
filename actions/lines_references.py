"""What a customer's words point to, as lines: "the cheaper one", "both", "ink for it".

The order and the quote forms build their lines here. A message is cut into
clauses ("the Astra 5G, and a case for it. One of each"); each clause names
products (the catalog matcher's SKUs), refers to what the bot last showed
("the cheapest", "the second one", "both of them"), or names a kind of
product ("the case", "a laptop") that is looked for among the accessories of
the products named, the product in focus and what was shown, then among the
customer's own products and their accessories, then in the whole catalog. A
clause after "for" ("for my printer", "for it") says whose accessory is
meant, and is no line itself. Quantities come before their product ("3 mice
and 2 keyboards"), after the last one ("the bag, 2 of them"), for every line
("one of each", "two each") or "the same number" as the line before.

What cannot be told for sure (a "both" after three products, "the laptop"
with several laptops around, "the cheaper one" with nothing shown) makes the
resolution :attr:`Resolved.unclear`: the form asks, it never guesses.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker

from crm_backend.models import Product
from crm_backend.services import products as catalog_service

from . import runtime
from .lines import Lines, merged
from .lines_context import Context, context_of, request_since
from .parsing import parse_quantity

# The value a form's lines slot takes when the customer's words were unclear: its
# validator refuses it with the notice that asks which products are meant.
UNCLEAR = "unclear"
__all__ = ["UNCLEAR", "Context", "Resolved", "lines_meant", "request_since", "resolve"]

_SEPARATORS = re.compile(r"[,;.!?+&]|\b(?:and|plus|with|also|as well as|then|et|avec|puis)\b")
_FOR = re.compile(r"\b(?:for|to go with|that goes with|that fits)\b")
_NUMBER = r"\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a couple|a pair"
_EACH = re.compile(rf"\b({_NUMBER}) (?:of )?each\b")
_SAME_NUMBER = re.compile(r"\b(?:the )?same (?:number|amount|quantity)\b|\bas many\b")
_LEADING_NUMBER = re.compile(
    rf"^\W*({_NUMBER})\b(?! of each| each)|\b({_NUMBER}) of (?:the|those|these|them)\b"
)
_CHEAPEST = re.compile(
    r"\b(?:cheaper|cheapest|less expensive|least expensive|lower priced|lowest priced"
    r"|most affordable|more affordable|budget one)\b"
)
_DEAREST = re.compile(
    r"\b(?:more expensive|most expensive|pricier|priciest|dearer|the best|better one"
    r"|the top one|higher end|high end one|premium one)\b"
)
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
_ORDINAL = re.compile(r"\bthe (first|1st|second|2nd|third|3rd|last)(?: one| option| model)?\b")
_BOTH = re.compile(r"\bboth\b|\bthe (?:pair|two) of them\b|\bthe two\b")
_ALL = re.compile(
    r"\ball (?:of )?(?:them|those|these|three|the three|of the \w+)\b|\bthe lot\b|\bevery one\b"
    r"|\beach of them\b"
)
# "for our 8 desks, one monitor each", "a dock per desk for our eight desks", "for each of
# the 5 new hires a laptop": every line is for each member of the group, so it counts that
# many times. Not a time ("one each for 2 weeks") nor a product (its name is masked).
_GROUP = re.compile(
    r"\bfor (?:each of |every one of |all |all of )?(?:our|my|the|their|your|these|those)?\s*"
    rf"({_NUMBER}|eleven|twelve|fifteen|twenty|a dozen) (?!(?:days?|weeks?|months?|years?"
    r"|hours?|minutes?|euros?|of)\b)[a-z]{3,}"
)
_DISTRIBUTIVE = re.compile(r"\b(?:each|per|apiece|every)\b")
_PRONOUN = re.compile(
    r"\b(?:it|that|this|that one|this one|the same one|same one|celui-?ci|celle-?ci|ca)\b"
    r"|\bj(?:e|')\s*(?:la|le|l')\s*\w"  # "je la prends", "je l'achète"
)
# A clause that is only a number ("I'll take one", "j'en prends deux"): that many of what
# is in focus, when it comes before the other lines ("one with the bag").
_LONE_NUMBER = re.compile(rf"\b(?:{_NUMBER}|une?|deux|trois)(?: of (?:them|those|these))?\W*$")
_WORD = re.compile(r"[a-z0-9]+")
# Words of product names that say nothing about which product is meant.
_NOT_KINDS = frozenset(
    ["the", "and", "for", "with", "new", "pro", "full", "usb", "one", "two", "three", "pack", "set"]
)
_IRREGULAR = {"mice": "mouse"}


@dataclass
class Resolved:
    """The lines a message asks for; ``unclear`` when it points to products it does not settle."""

    lines: Lines = field(default_factory=list)
    unclear: bool = False


@dataclass
class _Clause:
    start: int
    end: int
    owner: bool = False


def lines_meant(tracker: Tracker, message: dict[str, Any]) -> Resolved:
    """The lines a message of this conversation asks for (its ``text`` and ``entities``)."""
    text = str(message.get("text") or "")
    entities = message.get("entities") or []
    with runtime.unit_of_work() as uow:
        return resolve(text, entities, context_of(uow, tracker))


def fold(text: str) -> str:
    """Lower-case, accent-free text of the same length, so entity offsets still fit."""
    out = []
    for char in text:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        ).lower()
        out.append(base[0] if base else char)
    return "".join(out)


def resolve(text: str, entities: Sequence[dict[str, Any]], context: Context) -> Resolved:
    """The lines ``text`` (with its ``entities``) asks for, in the conversation's ``context``."""
    folded = fold(text)
    products = sorted(
        (e for e in entities if e.get("entity") == "product" and e.get("value")),
        key=lambda e: int(e.get("start") or 0),
    )
    quantities = [e for e in entities if e.get("entity") == "quantity" and e.get("value")]
    spans = [(int(e.get("start") or 0), int(e.get("end") or 0)) for e in products]
    masked = _masked(folded, spans)
    by_sku = {p.sku: p for p in [*context.catalog, *context.shown, *context.owned]}
    # "Lumio 200 ink cartridges": a product right before one of its accessories says whose.
    qualifiers = _qualifiers(products, folded, by_sku)
    products = [e for e in products if e not in qualifiers]

    vocabulary = _kind_vocabulary(context.catalog)
    clauses = _clauses(folded, spans, masked, vocabulary)
    events: list[tuple[int, str, Any]] = []  # (position, "items"|"quantity"|"same", value)
    owners: list[str] = [str(e["value"]).upper() for e in qualifiers]
    kinds: list[tuple[int, set[str]]] = []  # clauses to resolve by kind, their words
    standing: list[int] = []  # clauses of "it" or a lone number: the product in focus
    unclear = False
    for clause in clauses:
        part = masked[clause.start : clause.end]
        named = [str(e["value"]).upper() for e in products if _inside(e, clause)]
        if clause.owner:
            owners += named or _owners_by_words(part, context, by_sku, named)
            continue
        for e in products:
            if _inside(e, clause):
                events.append((int(e.get("start") or 0), "items", [str(e["value"]).upper()]))
        for q in quantities:
            if _inside(q, clause) and not _EACH.search(folded[int(q.get("start") or 0) :][:20]):
                events.append((int(q.get("start") or 0), "quantity", parse_quantity(q["value"])))
        if not any(_inside(q, clause) for q in quantities):
            leading = _LEADING_NUMBER.search(part)
            if leading and not named:
                number = leading.group(1) or leading.group(2)
                events.append((clause.start, "quantity", parse_quantity(number)))
        if _SAME_NUMBER.search(part):
            events.append((clause.start, "same", None))
        if named:
            continue
        referred = _referred(part, context)
        if referred is not None:
            if referred:
                events.append((clause.start + 1, "items", referred))
            else:
                unclear = True
            continue
        words = _words(part)
        if words & vocabulary:
            kinds.append((clause.start + 1, words))
        elif _PRONOUN.search(part) or _LONE_NUMBER.search(part):
            standing.append(clause.end)  # after a quantity said in it

    named_now = [sku for _, kind, value in events if kind == "items" for sku in value]
    for at, words in kinds:
        sku = _by_kind(words, [*named_now, *owners], context, by_sku)
        if sku is None:
            unclear = True
        else:
            events.append((at, "items", [sku]))
    first_line = min((at for at, kind, _ in events if kind == "items"), default=None)
    if standing and context.focus and (first_line is None or standing[0] < first_line):
        events.append((standing[0], "items", [context.focus]))
    lines = _lines(sorted(events, key=lambda e: e[0]), focus=context.focus)
    each = _EACH.search(masked)
    if each:
        count = parse_quantity(each.group(1))
        if not lines and context.shown and not unclear:
            lines = [{"sku": p.sku, "quantity": 1} for p in context.shown]
            lines = merged(lines)
        lines = [{**line, "quantity": count or 1, "counted": True} for line in lines]
    lines = _for_each_of(masked, lines)
    if unclear:
        return Resolved([], True)
    return Resolved(_once_each(lines))


def _for_each_of(masked: str, lines: Lines) -> Lines:
    """The lines said for each member of a group ("for our 8 desks, a dock each"), that many
    times; a line already said for the whole group ("8 laptops, and a bag each") stays."""
    group = _GROUP.search(masked)
    size = parse_quantity(group.group(1)) if group else None
    if not size or not _DISTRIBUTIVE.search(masked):
        return lines
    return [
        line
        if line["quantity"] == size
        else {**line, "quantity": int(line["quantity"]) * size, "counted": True}
        for line in lines
    ]


def _qualifiers(
    products: list[dict[str, Any]], folded: str, by_sku: dict[str, Product]
) -> list[dict[str, Any]]:
    """The products named right before one of their accessories ("astra 5g case")."""
    found = []
    for first, second in itertools.pairwise(products):
        between = folded[int(first.get("end") or 0) : int(second.get("start") or 0)]
        owner = by_sku.get(str(first["value"]).upper())
        if between.strip() or owner is None:
            continue
        if str(second["value"]).upper() in {a.sku for a in catalog_service.accessories_of(owner)}:
            found.append(first)
    return found


def _once_each(lines: Lines) -> Lines:
    """One line per product: a product named again ("out of ink, can I get 2 ink packs")
    counts with the quantities said for it, or once."""
    said: dict[str, int] = {}
    counted: dict[str, int] = {}
    for line in lines:
        sku = line["sku"]
        said.setdefault(sku, 0)
        if line.get("counted"):
            counted[sku] = counted.get(sku, 0) + int(line["quantity"])
    return [{"sku": sku, "quantity": counted.get(sku, 1)} for sku in said]


def _lines(events: list[tuple[int, str, Any]], *, focus: str | None) -> Lines:
    lines: Lines = []
    last: Lines = []
    pending: int | None = None
    for _, kind, value in events:
        if kind == "quantity" and value:
            pending = value
        elif kind == "same" and lines:
            pending = lines[-1]["quantity"]
        elif kind == "items":
            last = [
                {"sku": sku, "quantity": pending or 1, "counted": bool(pending)} for sku in value
            ]
            lines += last
            pending = None
    if pending is not None:
        if last:
            for line in last:
                line.update(quantity=pending, counted=True)
        elif focus:
            lines.append({"sku": focus, "quantity": pending, "counted": True})
    return lines


def _masked(folded: str, spans: list[tuple[int, int]]) -> str:
    """The text with the products' names blanked out (same length)."""
    chars = list(folded)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _inside(entity: dict[str, Any], clause: _Clause) -> bool:
    return clause.start <= int(entity.get("start") or 0) < clause.end


def _clauses(
    folded: str, spans: list[tuple[int, int]], masked: str, vocabulary: set[str]
) -> list[_Clause]:
    """The clauses, cut at separators outside products' names.

    "for ..." after a line ("ink for my printer") is a clause of its own: the line's owner.
    """
    cuts = [0]
    for m in _SEPARATORS.finditer(masked):
        if not any(s <= m.start() < e for s, e in spans):
            cuts += [m.start(), m.end()]
    cuts.append(len(folded))
    clauses: list[_Clause] = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=False):
        owner = _FOR.search(masked, start, end)
        if owner is None:
            clauses.append(_Clause(start, end))
            continue
        head = masked[start : owner.start()]
        line_before = (
            any(start <= s < owner.start() for s, _ in spans)
            or _words(head) & vocabulary
            or _referred(head, Context()) is not None
        )
        if line_before:
            clauses.append(_Clause(start, owner.start()))
            clauses.append(_Clause(owner.end(), end, owner=True))
        else:
            clauses.append(_Clause(start, end))
    return [c for c in clauses if c.end > c.start]


def _words(text: str) -> set[str]:
    said = [w for w in _WORD.findall(text) if len(w) >= 3]
    words = {_IRREGULAR.get(w, w) for w in said}
    return (
        words
        | {w[:-1] for w in words if w.endswith("s")}
        | {w[:-2] for w in words if w.endswith("es")}
    )


def _kinds_of(product: Product) -> set[str]:
    """The words that name what a product is: its category, its name's and aliases' words."""
    texts = [product.name, product.category, *(a.alias for a in product.aliases)]
    words = {w for t in texts for w in _WORD.findall(fold(t)) if len(w) >= 3 and w.isalpha()}
    words |= {w[:-1] for w in words if w.endswith("s")}
    return words - _NOT_KINDS


def _category(product: Product) -> set[str]:
    category = fold(product.category)
    return {category, category.rstrip("s")}


def _kind_vocabulary(catalog: Sequence[Product]) -> set[str]:
    return {w for p in catalog for w in _kinds_of(p)}


def _referred(part: str, context: Context) -> list[str] | None:
    """What a reference to the list shown points to; [] when unclear; None when it is none."""
    shown = list(context.shown)
    price: Callable[[Product], Any] = lambda p: (p.list_price, p.sku)  # noqa: E731
    if _CHEAPEST.search(part):
        return [min(shown, key=price).sku] if shown else []
    if _DEAREST.search(part):
        return [max(shown, key=price).sku] if shown else []
    ordinal = _ORDINAL.search(part)
    if ordinal:
        index = _ORDINALS[ordinal.group(1)]
        return [shown[index].sku] if shown and index < len(shown) else []
    if _BOTH.search(part):
        return [p.sku for p in shown] if len(shown) == 2 else []
    if _ALL.search(part):
        return [p.sku for p in shown]
    return None


def _owners_by_words(
    part: str, context: Context, by_sku: dict[str, Product], named: list[str]
) -> list[str]:
    """Whose accessory is meant by "for my printer", "for it"."""
    words = _words(part)
    mine = [p.sku for p in context.owned if words & _kinds_of(p)]
    if mine:
        return mine[:1]
    near = [s for s in (context.focus, *(p.sku for p in context.shown)) if s]
    near = [s for s in near if s in by_sku and words & _kinds_of(by_sku[s])]
    if near:
        return near[:1]
    return [context.focus] if context.focus and _PRONOUN.search(part) else []


def _by_kind(
    words: set[str], around: list[str], context: Context, by_sku: dict[str, Product]
) -> str | None:
    """The one product of a kind: among the accessories of what is around, then further away."""

    def accessories(skus: Sequence[str]) -> list[Product]:
        return [a for s in skus if s in by_sku for a in catalog_service.accessories_of(by_sku[s])]

    near = [s for s in (context.focus,) if s]
    tiers: list[list[Product]] = [
        accessories(around),
        [*(by_sku[s] for s in near if s in by_sku), *context.shown, *accessories(near)],
        [*context.owned, *accessories([p.sku for p in context.owned])],
        list(context.catalog),
    ]
    for tier in tiers:
        # The product most of the words fit ("wireless mouse": not the wireless keyboard);
        # its category names it before a word of another's name ("laptop": not the laptop bag).
        fit = {p.sku: len(words & _kinds_of(p)) + 2 * bool(words & _category(p)) for p in tier}
        best = max(fit.values(), default=0)
        if best:
            fits = [sku for sku, n in fit.items() if n == best]
            return fits[0] if len(fits) == 1 else None
    return None
