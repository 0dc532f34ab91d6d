"""The scripted inbound conversation every benchmark customer replays.

It is the reference example of PROCESSES.md stretched over every step the
bot takes: identification by e-mail, postcode and confirmation, product
information with its accessories (the cross-sell), cheaper alternatives, a
quote with a delivery date, an order and its confirmation, a new phone number
as follow-up, goodbye. Each customer is a different account (see
:mod:`bench.customers`), so every conversation does the same work.

A reply is wrong when it lacks what its turn must say: :func:`missing` names
the first expected piece that is not there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# What the script orders and quotes; bench.customers keeps them in stock.
ORDERED_SKUS = ("ECL-3000", "BAG-ECL", "BAT-ECL3000")


@dataclass(frozen=True)
class Customer:
    """A benchmark account: who speaks, and the new number it gives at the end."""

    name: str
    email: str
    postcode: str
    phone: str
    new_phone: str


@dataclass(frozen=True)
class Step:
    """One customer message and the pieces the bot's answer must contain."""

    name: str
    text: str
    expect: tuple[str, ...]


def conversation(customer: Customer) -> list[Step]:
    """The 13 turns of one customer's inbound contact, ending in an order."""
    return [
        Step("greet", "Hello", ("customer number",)),
        Step("identify", f"My email is {customer.email}", ("postcode",)),
        Step("verify", customer.postcode, (f"Am I speaking with {customer.name}?",)),
        Step("confirm", "Yes", (customer.name, "identified")),
        Step(
            "product_info",
            "Tell me about the Éclipse 3000",
            ("Éclipse 3000", "1 299,00 €", "Éclipse Laptop Bag"),
        ),
        Step("alternatives", "Is there something cheaper?", ("Nova 14",)),
        Step(
            "cross_sell",
            "What accessories go with the Éclipse 3000?",
            ("Éclipse 3000 Spare Battery",),
        ),
        Step(
            "quote_request",
            "Can I get a quote for 2 Éclipse 3000 and 2 spare batteries?",
            ("delivered",),
        ),
        Step("quote_date", "as soon as possible", ("quote Q-", "2 856,00 €")),
        Step(
            "order",
            "I'd like to order the Éclipse 3000 and the laptop bag",
            ("1 358,00 €", "Shall I place it?"),
        ),
        Step("order_confirm", "Yes", ("Your order SO-", "is placed")),
        Step(
            "new_phone",
            f"My new phone number is {customer.new_phone}",
            (f"your phone number is now {customer.new_phone}",),
        ),
        Step("goodbye", "No, that's all, bye", ("Goodbye",)),
    ]


def conversation_fr(customer: Customer) -> list[Step]:
    """The same 13 turns in French, as the French model is measured beside the English one."""
    return [
        Step("greet", "Bonjour", ("numéro client",)),
        Step("identify", f"mon adresse mail c'est {customer.email}", ("code postal",)),
        Step("verify", customer.postcode, (customer.name,)),
        Step("confirm", "oui", (customer.name, "identité est confirmée")),
        Step(
            "product_info",
            "je voudrais des informations sur l'Éclipse 3000",
            ("Éclipse 3000", "1 299,00 €", "Éclipse Laptop Bag"),
        ),
        Step("alternatives", "vous avez moins cher ?", ("Nova 14",)),
        Step(
            "cross_sell",
            "quels accessoires vont avec l'Éclipse 3000 ?",
            ("Éclipse 3000 Spare Battery",),
        ),
        Step(
            "quote_request",
            "je voudrais un devis pour 2 Éclipse 3000 et 2 batteries de rechange",
            ("livr",),
        ),
        Step("quote_date", "dès que possible", ("Q-", "2 856,00 €")),
        Step(
            "order",
            "je voudrais commander l'Éclipse 3000 et la sacoche",
            ("1 358,00 €", "valider"),
        ),
        Step("order_confirm", "oui", ("SO-", "validée")),
        Step(
            "new_phone",
            f"mon nouveau numéro de téléphone est le {customer.new_phone}",
            (customer.new_phone,),
        ),
        Step("goodbye", "non c'est tout, au revoir", ("Au revoir",)),
    ]


# Each language's script: the same turns, the words of the language.
SCRIPTS = {"en": conversation, "fr": conversation_fr}


_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


def missing(step: Step, texts: Sequence[str]) -> str | None:
    """The first piece of ``step.expect`` the bot's ``texts`` lack, or None when all are there."""
    said = _flat("\n".join(texts))
    for piece in step.expect:
        if _flat(piece) not in said:
            return piece
    return None
