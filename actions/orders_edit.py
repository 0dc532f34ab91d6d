"""Changes of mind about an order (PROCESSES.md 1.4): the lines edited before the "yes".

At the confirmation ("Here is your order: 2 x Vista 24 ... Shall I place
it?") the customer may change the order instead of answering yes or no:
"no wait, make it 3", "3 instead of 2", "not the Vista 24, the Vista 27",
"swap it for the Nova 14", "add the installation too", "without the case".
:func:`edited` gives the changed lines, or None when the message says
nothing about them (a plain "no" declines the order, a plain "yes" places it).

A request may also correct itself ("a Vista 24, no wait, the Vista 27
instead", "two Nova 14... no, three Nova 14"): :func:`as_meant` reads it
the same way, from an empty order. Services and accessories named by a
word of their name after "with", "and", "add", "also", "plus" ("the Zenith
Pro with the warranty", "and add setup") join the order too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from crm_backend.models import Product
from crm_backend.text import normalize

from .lines import Lines, meant
from .parsing import parse_quantity

# Words right before a product (or its quantity) that take it out of the order.
_REMOVED_BEFORE = re.compile(
    r"(?:\bnot|\bno|\bwithout|\bremove|\bdrop|\bcancel|\bminus|\bexcept|\bskip|\bdelete"
    r"|\btake (?:off|out)(?: of)?|\binstead of|\brather than|\bget rid of|\bforget(?: about)?"
    r"|\bdon'?t (?:want|need)|\bdo not (?:want|need)|\bno more|\bno need (?:for|of)"
    # and in French: "sans", "pas besoin de", "pas la", "enlevez", "retirez"
    r"|\bsans|\bpas(?: besoin)?(?: de| d')?|\benl[eè]ve[rz]?|\bretire[rz]?|\bsupprime[rz]?)"
    r"\s*(?:(?:the|a|an|my|that|this|those|these|any|la|le|les|une?|du|de la)\s+|l['\u2019]\s*)?$",
    re.IGNORECASE,
)
# Words that add a product to the order rather than swap one for it.
_ADDED = re.compile(
    r"\b(?:add|adding|also|too|plus|as well|extra|another|one more|on top)\b|\+", re.IGNORECASE
)
_ADDED_BEFORE = re.compile(r"(?:\band|\bwith|\+)\s+(?:\S+\s+){0,2}$", re.IGNORECASE)
# "just the Vista 27": the products named now are the whole order.
_ONLY = re.compile(r"\b(?:just|only)\b(?! (?:one|1) more)", re.IGNORECASE)
# A request that corrects itself.
_CORRECTION = re.compile(
    r"\b(?:no wait|wait|instead|actually|i mean|i meant|rather|sorry|make (?:it|that)"
    r"|changed? my mind|second thought|not)\b",
    re.IGNORECASE,
)
_MORE_AFTER = re.compile(r"^\s*(?:more|extra)\b", re.IGNORECASE)
_MORE_BEFORE = re.compile(r"\b(?:another|more|extra|additional)\s+$", re.IGNORECASE)
# Where a generic word's scope ends: "with the bag, and 2 of them" stops at the comma.
_SCOPE_END = re.compile(r"[,.;!?]|\bbut\b|\bthen\b", re.IGNORECASE)
_REMOVE_CUE = re.compile(
    r"\b(?:without|remove|drop|minus|skip|delete|cancel|forget(?: about)?|no more"
    r"|take (?:off|out)(?: of)?|get rid of|don'?t (?:want|need)|do not (?:want|need))\b",
    re.IGNORECASE,
)
_ADD_CUE = re.compile(r"\b(?:with|add|adding|also|plus|and)\b|\+", re.IGNORECASE)

# A number said on its own ("make it 3", "three please"), and what it is not.
_BARE_NUMBER = re.compile(
    r"(?<![\w.,-])(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|twelve)(?![\w-])",
    re.IGNORECASE,
)
_OLD_BEFORE = re.compile(
    r"(?:\bnot|\binstead of|\brather than|\bfrom|\bof the|\bwas|\bthan)\s+$", re.IGNORECASE
)
_NOT_A_QUANTITY_BEFORE = re.compile(
    r"(?:\bthe|\bthat|\bthis|\beach|\bwhich|\bany|\bno|\bevery|\bsome|\bwith|\bfor)\s+$",
    re.IGNORECASE,
)
_NOT_A_QUANTITY_AFTER = re.compile(
    r"^\s*-?\s*(?:years?|yrs?|months?|days?|weeks?|hours?|h\b|%|€|euros?|pm|am|inch"
    r"|of (?:you|us|them all)|o'?clock|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.IGNORECASE,
)
_MAKE_IT = re.compile(r"\bmake (?:it|that|this)\s+$", re.IGNORECASE)
_ONE_MORE = re.compile(r"\b(?:one more|another one|one extra)\b", re.IGNORECASE)
_ADD_ON_CATEGORIES = ("services", "accessories")


@dataclass(frozen=True)
class Mention:
    """A product named in a message: how many, and whether it leaves the order."""

    sku: str
    quantity: int | None
    removed: bool
    more: bool
    added: bool
    correcting: bool


def mentions(entities: Sequence[dict[str, Any]], text: str) -> list[Mention]:
    """The products of a message in text order, with the words around each read."""
    found = sorted(
        (e for e in entities if e.get("entity") in ("product", "quantity") and e.get("value")),
        key=lambda e: int(e.get("start") or 0),
    )
    said: list[Mention] = []
    previous_end = 0
    quantity: int | None = None
    quantity_start: int | None = None
    for index, entity in enumerate(found):
        start, end = int(entity.get("start") or 0), int(entity.get("end") or 0)
        if entity["entity"] == "quantity":
            quantity, quantity_start = parse_quantity(entity["value"]), start
            continue
        head = quantity_start if quantity is not None and quantity_start is not None else start
        before = text[previous_end:head]
        following = [e for e in found[index + 1 :] if e["entity"] == "product"]
        after = text[end : int(following[0].get("start") or len(text)) if following else len(text)]
        said.append(
            Mention(
                sku=str(entity["value"]).upper(),
                quantity=quantity,
                # "1 of each, no need for the extra battery": the cue may follow the number.
                removed=bool(
                    _REMOVED_BEFORE.search(before)
                    or _REMOVED_BEFORE.search(text[previous_end:start])
                ),
                more=bool(_MORE_AFTER.search(after) or _MORE_BEFORE.search(text[:start])),
                added=bool(_ADDED_BEFORE.search(before) or _ADDED.search(before + after)),
                correcting=bool(_CORRECTION.search(before) or re.search(r"\binstead\b", after)),
            )
        )
        previous_end, quantity, quantity_start = end, None, None
    return said


def edited(
    lines: Lines,
    message: dict[str, Any],
    products: Sequence[Product],
) -> Lines | None:
    """The order's lines as the message changes them; None when it does not change them.

    ``products`` is the active catalog (for the categories and the words of
    the names). A product named anew swaps the line of its category ("the
    Vista 27" for the Vista 24) unless the customer adds it ("and", "add",
    "also", "too") or it has no line of its category (a service, an
    accessory); "not", "without", "instead of" take a product out; a
    quantity said with a product in the order is its new quantity ("3 Nova
    14"), a number said alone that of the only line ("make it 3").
    """
    text = str(message.get("text") or "")
    said = mentions(message.get("entities") or [], text)
    catalog = {p.sku: p for p in products}
    new = {str(line["sku"]): int(line["quantity"]) for line in lines}
    if said:
        explicit_removal = any(m.removed for m in said)
        if _ONLY.search(text) and not explicit_removal and not _ADDED.search(text):
            new = {m.sku: m.quantity or new.get(m.sku) or 1 for m in said}
        else:
            for mention in said:
                swap = not mention.added and not explicit_removal
                _apply(new, mention, catalog, swap=swap)
        named = {m.sku for m in said}
    else:
        named = set()
        _quantity_alone(new, text, catalog)
    _generic_changes(new, _blanked(text, message), catalog, named)
    result = [{"sku": sku, "quantity": quantity} for sku, quantity in new.items() if quantity > 0]
    before = [{"sku": str(line["sku"]), "quantity": int(line["quantity"])} for line in lines]
    return None if result == before else result


def corrects_itself(message: dict[str, Any]) -> bool:
    """Whether a request names a product twice or takes back what it said."""
    text = str(message.get("text") or "")
    said = mentions(message.get("entities") or [], text)
    skus = [m.sku for m in said]
    return len(set(skus)) < len(skus) or any(m.correcting or m.removed for m in said[1:])


def as_meant(message: dict[str, Any], lines: Lines, products: Sequence[Product]) -> Lines:
    """A request's lines read with its own corrections and add-ons; ``lines`` if none."""
    text = str(message.get("text") or "")
    catalog = {p.sku: p for p in products}
    said = mentions(message.get("entities") or [], text)
    if not said:
        return lines
    if corrects_itself(message):
        new: dict[str, int] = {}
        # Only the products read as lines: "ink for the Lumio 200" says whose ink, no printer.
        skus = {str(line["sku"]) for line in lines}
        for mention in (m for m in said if m.sku in skus):
            _apply(new, mention, catalog, swap=mention.correcting and not mention.added)
    else:
        new = {str(line["sku"]): int(line["quantity"]) for line in lines}
    _generic_changes(new, _blanked(text, message), catalog, {m.sku for m in said}, removals=False)
    result = [{"sku": sku, "quantity": quantity} for sku, quantity in new.items() if quantity > 0]
    return result or lines


def _apply(
    new: dict[str, int], mention: Mention, catalog: dict[str, Product], *, swap: bool
) -> None:
    if mention.removed:
        new.pop(mention.sku, None)
        return
    if mention.sku in new:
        if mention.quantity:
            new[mention.sku] = (
                new[mention.sku] + mention.quantity if mention.more else mention.quantity
            )
        return
    category = _category(catalog, mention.sku)
    same = [sku for sku in new if category and _category(catalog, sku) == category]
    if swap and same:
        old = same[0]
        quantity = mention.quantity or new[old]
        rebuilt = {(mention.sku if sku == old else sku): q for sku, q in new.items()}
        rebuilt[mention.sku] = quantity
        new.clear()
        new.update(rebuilt)
        return
    new[mention.sku] = mention.quantity or 1


def _category(catalog: dict[str, Product], sku: str) -> str | None:
    product = catalog.get(sku)
    return product.category if product is not None else None


def _quantity_alone(new: dict[str, int], text: str, catalog: dict[str, Product]) -> None:
    """ "make it 3", "3 instead of 2", "one more": the quantity of the line meant."""
    if not new:
        return
    wanted: int | None = None
    old: int | None = None
    for number in _BARE_NUMBER.finditer(text):
        before, after = text[: number.start()], text[number.end() :]
        value = parse_quantity(number.group(1))
        if value is None or _NOT_A_QUANTITY_AFTER.search(after):
            continue
        said_alone = not _NOT_A_QUANTITY_BEFORE.search(before) and not re.match(
            r"\s*more\b", after, re.I
        )
        if _OLD_BEFORE.search(before):
            old = value
        elif _MAKE_IT.search(before) or said_alone:
            wanted = wanted or value
    more = 1 if _ONE_MORE.search(text) else None
    if wanted is None and more is None:
        return
    target = _line_meant(new, old, catalog)
    if wanted is not None:
        new[target] = wanted
    elif more is not None:
        new[target] += more


def _line_meant(new: dict[str, int], old: int | None, catalog: dict[str, Product]) -> str:
    skus = list(new)
    if len(skus) == 1:
        return skus[0]
    if old is not None:
        with_old = [sku for sku in skus if new[sku] == old]
        if len(with_old) == 1:
            return with_old[0]
    main = [sku for sku in skus if _category(catalog, sku) not in _ADD_ON_CATEGORIES]
    return main[0] if main else skus[0]


def _generic_changes(
    new: dict[str, int],
    text: str,
    catalog: dict[str, Product],
    named: set[str],
    *,
    removals: bool = True,
) -> None:
    """Add-ons named by a word of their name ("with the warranty"); "without the case".

    Words of the main products' names and of any category ("pro", "laptop")
    name no add-on: "the Zenith Pro" is no headset, "a laptop" no bag.
    """
    taken = _main_words(catalog)
    if removals:
        in_order = [catalog[sku] for sku in new if sku in catalog and sku not in named]
        for cue in _REMOVE_CUE.finditer(text):
            for sku in meant(_scope(text, cue.end(), taken), in_order):
                new.pop(sku, None)
    add_ons = [
        p
        for p in catalog.values()
        if p.category in _ADD_ON_CATEGORIES and p.sku not in new and p.sku not in named
    ]
    for cue in _ADD_CUE.finditer(text):
        if removals and _REMOVE_CUE.search(text[max(0, cue.start() - 12) : cue.start()]):
            continue
        for sku in meant(_scope(text, cue.end(), taken), add_ons):
            if sku not in new:
                new[sku] = 1


def _scope(text: str, start: int, taken: set[str]) -> str:
    """The words after a cue, up to the end of its clause, without the main products' words."""
    rest = text[start:]
    end = _SCOPE_END.search(rest)
    words = re.findall(r"[a-z0-9]+", normalize(rest[: end.start()] if end else rest))
    return " ".join(w for w in words if w not in taken and w.rstrip("s") not in taken)


def _main_words(catalog: dict[str, Product]) -> set[str]:
    words: set[str] = {"and", "the", "for", "with", "from", "also", "too", "please"}
    for product in catalog.values():
        category = normalize(product.category)
        words |= {category, category.rstrip("s")}
        if product.category not in _ADD_ON_CATEGORIES:
            words |= set(normalize(product.name).split())
    return words


def _blanked(text: str, message: dict[str, Any]) -> str:
    """The text with every entity's words blanked out (same length, so offsets hold)."""
    chars = list(text)
    for entity in message.get("entities") or []:
        start, end = entity.get("start"), entity.get("end")
        if isinstance(start, int) and isinstance(end, int):
            chars[start:end] = " " * (end - start)
    return "".join(chars)


# Questions about products are answered, not read as changes, unless they say so.
_QUESTION_INTENTS = ("ask_product_info", "ask_alternatives", "ask_accessories")
_CHANGE_WORDS = re.compile(
    r"\b(?:instead|rather|want|take|make (?:it|that)|swap|switch|change|replace|add|not|without"
    r"|just|only|also|too|more|remove|drop|cancel)\b",
    re.IGNORECASE,
)
# Intents that may carry a wish to order while the customer identifies or opens an account.
_WISH_INTENTS = ("inform", "create_account", "nlu_fallback", "greet", "affirm")
_ORDER_WORDS = re.compile(
    r"\b(?:buy|buying|order|ordering|purchase|take|get|want|wanting|like|need|please|pls|plz)\b",
    re.IGNORECASE,
)


def changes_the_order(message: dict[str, Any]) -> bool:
    """Whether a message at the confirmation may change the order (not a product question)."""
    text = str(message.get("text") or "")
    intent = (message.get("intent") or {}).get("name")
    return not (intent in _QUESTION_INTENTS and "?" in text and not _CHANGE_WORDS.search(text))


def wants_to_order(message: dict[str, Any]) -> bool:
    """Whether a message that is not an order request still asks to buy products.

    "isabelle gerard, 13001 - 2 vista 24 please", "I'd like to buy a Vista 24,
    I'm not a customer yet": said while identifying or opening an account.
    """
    intent = (message.get("intent") or {}).get("name")
    entities = message.get("entities") or []
    if intent not in _WISH_INTENTS or not any(e.get("entity") == "product" for e in entities):
        return False
    quantity = any(e.get("entity") == "quantity" for e in entities)
    return quantity or bool(_ORDER_WORDS.search(str(message.get("text") or "")))


def wish_since(events: Sequence[dict[str, Any]], action: str) -> dict[str, Any] | None:
    """The latest message since ``action`` last ran that :func:`wants_to_order`, as parsed."""
    for event in reversed(events):
        if event.get("event") == "action" and event.get("name") == action:
            return None
        if event.get("event") == "user":
            parsed = event.get("parse_data") or {}
            message = {**parsed, "text": event.get("text") or parsed.get("text") or ""}
            if wants_to_order(message):
                return message
    return None
