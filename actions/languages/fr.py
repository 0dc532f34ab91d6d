"""French: the words of the values the actions make ready.

Written and texted forms stay those of the English bot, which were French
already ("1 299,00 €", "15/12/2026"); heard ones spell every number out
(:mod:`crm_backend.numbers_fr`), codes and phone numbers digit by digit. The catalog is
written in English: its units and common words are put in French here
("16 Go", "écran 14 pouces", "batterie jusqu'à 10 h"); product names and
free descriptions are the catalog's and stay as they are.
"""

from __future__ import annotations

import datetime as dt
import re

from crm_backend.numbers_fr import digits, spell, spell_figure

from .base import Words

_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    *("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"),
    *("septembre", "octobre", "novembre", "décembre"),
)


def spoken_day(value: dt.date, today: dt.date) -> str:
    """ "mardi quinze décembre", "lundi premier mars"; the year when it is not this one."""
    number = "premier" if value.day == 1 else spell(value.day)
    spoken = f"{_WEEKDAYS[value.weekday()]} {number} {_MONTHS[value.month - 1]}"
    return spoken if value.year == today.year else f"{spoken} {spell(value.year)}"


def _singular(figure: str) -> bool:
    # French puts a unit in the plural from two on: "1,5 kilo", "2 kilos".
    return float(figure.replace(",", ".")) < 2


FR = Words(
    code="fr",
    spoken_day=spoken_day,
    spoken_quantity=spell,
    spoken_count=spell,
    spoken_digits=digits,
    spoken_figure=spell_figure,
    singular=_singular,
    decimal=",",
    and_=" et ",
    more="{} autres",
    more_one="{} autre",
    plus="plus",
    email_signs=(("@", " arobase "), (".", " point "), ("-", " tiret "), ("_", " tiret bas ")),
    # The responses say "d'ici le {delivery_date}", "est le {delivery_date}": a masculine noun fits.
    no_date_yet="jour que nous vous confirmerons",
    asap=re.compile(
        r"\b(d[eè]s que possible|au plus (t[oô]t|vite)|le plus (t[oô]t|vite) possible"
        r"|asap|rapidement"
        r"|n'importe quand|quand vous (voulez|pouvez)|peu importe|pas de date"
        r"|pas (press[eé]|urgent)|rien ne presse|aucune (date|pr[eé]f[eé]rence))\b",
        re.IGNORECASE,
    ),
    spec_forms={
        "cpu": "{}",
        "ram": "{} de RAM",
        "storage": "{}",
        "screen": "écran {}",
        "weight": "{}",
        "battery_life": "batterie {}",
        "os": "{}",
    },
    spec_other="{} : {}",
    spec_names={
        "ports": "ports",
        "fits": "compatible avec",
        "material": "matière",
        "connectivity": "connectivité",
        "size": "taille",
        "resolution": "résolution",
        "panel": "dalle",
        "refresh_rate": "fréquence",
        "duration": "durée",
        "power": "puissance",
        "speed": "vitesse",
        "yield": "rendement",
        "camera": "appareil photo",
        "capacity": "capacité",
        "layout": "disposition",
        "cable": "câble",
        "duplex": "recto verso",
        "coverage": "couverture",
        "area": "zone",
    },
    # In turn: whole answers, thousands ("3,000"), decimals ("1.3"), then units and words.
    catalog=(
        (r"^yes$", "oui"),
        (r"^no$", "non"),
        (r"(\d),(\d{3})\b", r"\1 \2"),
        (r"(\d)\.(\d)", r"\1,\2"),
        (r"\bGB\b", "Go"),
        (r"\bTB\b", "To"),
        (r'(\d)\s*(?:"|-inch\b|inch\b)', r"\1 pouces"),
        (r"\bup to\b", "jusqu'à"),
        (r"\babout\b", "environ"),
        (r"(\d) hours?\b", r"\1 h"),
        (r"\bsame day\b", "le jour même"),
        (r"\bdays\b", "jours"),
        (r"\bday\b", "jour"),
        (r"\bmonths?\b", "mois"),
        (r"\bcores\b", "cœurs"),
        (r"\bheadphone jack\b", "prise casque"),
        (r"\bSD card reader\b", "lecteur de cartes SD"),
        (r"\bwith the case\b", "avec le boîtier"),
        (r"\bmainland France\b", "France métropolitaine"),
        (r"\breturn shipping\b", "frais de retour"),
        (r"\blabour\b", "main-d'œuvre"),
        (r"\bparts\b", "pièces"),
        (r"(\d+ pouces) to (\d+ pouces) laptops\b", r"portables de \1 à \2"),
        (r"\brecycled polyester\b", "polyester recyclé"),
        (r"\bneoprene\b", "néoprène"),
        (r"\bAZERTY \(French\)", "AZERTY (français)"),
        (r"\bmain, (\d+ MP) ultra-wide\b", r"principal, \1 ultra grand-angle"),
        (r"\bcolour inkjet\b", "jet d'encre couleur"),
        (r"\bmono laser\b", "laser monochrome"),
        (r"\bprint/scan/copy\b", "impression, numérisation, copie"),
        (r"\band\b", "et"),
    ),
    units={
        "Go": "gigaoctets",
        "To": "téraoctets",
        "GHz": "gigahertz",
        "Hz": "hertz",
        "kg": "kilos",
        "Wh": "wattheures",
        "W": "watts",
        "h": "heures",
        "pouces": "pouces",
    },
    inch=r"\1 pouces",
    by=" par ",
    offer_spoken="{name} à {price}",
    your_products=" Vos produits : {}.",
    order_line="{number} ({status}, livraison prévue le {when})",
    order_line_spoken="commande {number}, {status}, livraison prévue le {when}",
    # "La commande ... est ...": feminine.
    order_statuses={
        "created": "enregistrée",
        "confirmed": "confirmée",
        "shipped": "expédiée",
        "delivered": "livrée",
        "cancelled": "annulée",
    },
    order_states={
        "created": "enregistrée",
        "confirmed": "confirmée et en préparation",
        "shipped": "en route",
        "delivered": "livrée",
        "cancelled": "annulée",
    },
    # "Votre devis ... est ...": masculine.
    quote_states={
        "open": "ouvert",
        "accepted": "accepté",
        "expired": "expiré",
        "rejected": "refusé",
    },
    # "Remise : aucune".
    no_discount="aucune",
    lead_needs={
        "laptops": "ordinateurs portables",
        "monitors": "écrans",
        "printers": "imprimantes",
        "phones": "téléphones",
        "accessories": "accessoires",
        "equipment": "équipement",
    },
    wait_long="une heure ou plus",
    wait_short="moins d'une minute",
    wait_minutes=lambda minutes: f"environ {minutes} minute{'s' if minutes > 1 else ''}",
    channel_words={"sms": "par SMS", "email": "par e-mail", "phone": "par téléphone"},
    not_channel="pas {}",
    # After "vous ne recevrez plus": each with its "de", elided before a vowel.
    opted_out_words={"sms": "de SMS", "email": "d'e-mails", "phone": "d'appels"},
    # After "dois-je ...?", as the French domain's write_questions say it.
    place_order_question="passer une commande",
)
