"""The rule-based entity matcher reading French: dates, contact data, preferences and names.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest tests/bot``.
"""

from __future__ import annotations

import pytest
from sample_catalog_fr import CATALOG_FR

from bot.entity_matcher import EntityMatcher


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher(CATALOG_FR, language="fr")


def found(matcher: EntityMatcher, text: str) -> list[tuple[str, str, str]]:
    """(entity, text span, value) of everything found, in text order."""
    return [(f.entity, text[f.start : f.end], f.value) for f in matcher.find(text)]


@pytest.mark.parametrize(
    "span",
    [
        "le 12 décembre", "le 12 decembre", "12 décembre 2026", "le 1er janvier", "3 août",
        "12/12", "12/12/2026", "2026-12-15", "demain", "après-demain", "apres demain",
        "aujourd'hui", "lundi prochain", "vendredi", "ce jeudi", "la semaine prochaine",
        "le mois prochain", "la fin de la semaine", "la fin du mois", "fin janvier",
        "mi-décembre", "début février", "dans 2 semaines", "dans deux semaines",
        "d'ici 15 jours", "sous 3 jours", "dès que possible", "au plus vite",
    ],
)  # fmt: skip
def test_dates_are_kept_as_written(matcher: EntityMatcher, span: str) -> None:
    text = f"livrez-le {span} svp"
    assert found(matcher, text) == [("date", span, span)]


def test_a_month_alone_needs_en_or_d_ici(matcher: EntityMatcher) -> None:
    assert found(matcher, "en mars") == [("date", "mars", "mars")]
    assert found(matcher, "d'ici décembre") == [("date", "décembre", "décembre")]
    assert found(matcher, "mai je vous demander") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon e-mail est Pierre.Moreau@example.fr",
         [("email", "Pierre.Moreau@example.fr", "Pierre.Moreau@example.fr")]),
        ("appelez-moi au 06 98 76 54 32", [("phone", "06 98 76 54 32", "0698765432")]),
        ("mon numéro : 06.98.76.54.32", [("phone", "06.98.76.54.32", "0698765432")]),
        ("0698765432", [("phone", "0698765432", "0698765432")]),
        ("+33 6 98 76 54 32", [("phone", "+33 6 98 76 54 32", "+33698765432")]),
        ("mon numéro client est C-100001", [("customer_number", "C-100001", "C-100001")]),
        ("numéro de client c100001", [("customer_number", "c100001", "C-100001")]),
        ("où en est ma commande SO-000123 ?", [("order_number", "SO-000123", "SO-000123")]),
        ("le numéro de commande so000123", [("order_number", "so000123", "SO-000123")]),
        ("le devis q-000045 svp", [("quote_number", "q-000045", "Q-000045")]),
        ("mon code postal est le 69002", [("postcode", "69002", "69002")]),
    ],
)  # fmt: skip
def test_contact_data_and_references(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contactez-moi par SMS le matin",
         [("channel_pref", "SMS", "sms"), ("contact_time", "le matin", "le matin")]),
        ("je préfère l'e-mail, après 18h",
         [("channel_pref", "e-mail", "email"), ("contact_time", "après 18h", "après 18h")]),
        ("par mail plutôt", [("channel_pref", "mail", "email")]),
        ("par courriel", [("channel_pref", "courriel", "email")]),
        ("par téléphone entre 9h et 11h",
         [("channel_pref", "téléphone", "phone"),
          ("contact_time", "entre 9h et 11h", "entre 9h et 11h")]),
        ("par telephone l'après-midi",
         [("channel_pref", "telephone", "phone"),
          ("contact_time", "l'après-midi", "l'après-midi")]),
        ("envoyez-moi un texto", [("channel_pref", "texto", "sms")]),
        ("textez-moi", [("channel_pref", "textez", "sms")]),
        ("je préfère un coup de fil", [("channel_pref", "coup de fil", "phone")]),
        ("via WhatsApp", [("channel_pref", "WhatsApp", "sms")]),
        ("plutôt en soirée", [("contact_time", "en soirée", "en soirée")]),
        ("le soir", [("contact_time", "le soir", "le soir")]),
        ("vers 14h30", [("contact_time", "vers 14h30", "vers 14h30")]),
        ("de 9h à 12h", [("contact_time", "de 9h à 12h", "de 9h à 12h")]),
        ("le week-end", [("contact_time", "le week-end", "le week-end")]),
        ("aux heures de bureau",
         [("contact_time", "aux heures de bureau", "aux heures de bureau")]),
        ("bon après-midi", []),
        ("bonsoir", []),
    ],
)  # fmt: skip
def test_contact_preferences(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("je voudrais changer mon adresse", [("contact_field", "adresse", "address")]),
        ("ma nouvelle adresse de livraison",
         [("contact_field", "adresse de livraison", "address")]),
        ("j'ai déménagé", [("contact_field", "déménagé", "address")]),
        ("mettre à jour mon numéro de téléphone",
         [("contact_field", "numéro de téléphone", "phone")]),
        ("mon nouveau numéro", [("contact_field", "numéro", "phone")]),
        ("mon portable a changé", [("contact_field", "portable", "phone")]),
        ("changer mon adresse e-mail", [("contact_field", "adresse e-mail", "email")]),
        ("mon nouvel e-mail est a@b.fr", [("email", "a@b.fr", "a@b.fr")]),
    ],
)  # fmt: skip
def test_contact_fields(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("je m'appelle Pierre Moreau", "Pierre Moreau"),
        ("Je m\u2019appelle pierre moreau", "pierre moreau"),
        ("c'est Marie Curie", "Marie Curie"),
        ("Bonjour, c\u2019est Marie Curie", "Marie Curie"),
        ("mon nom est Marie-Claire de la Fontaine", "Marie-Claire de la Fontaine"),
        ("moi c'est Jean Dupont", "Jean Dupont"),
        ("je suis Pierre Moreau et mon code postal est 69002", "Pierre Moreau"),
        ("Pierre Moreau", "Pierre Moreau"),
        ("Hélène Gérard, j'habite à Angers", "Hélène Gérard"),
    ],
)
def test_person_names(matcher: EntityMatcher, text: str, name: str) -> None:
    names = [
        (span, value) for entity, span, value in found(matcher, text) if entity == "person_name"
    ]
    assert names == [(name, name)]


@pytest.mark.parametrize(
    "text",
    ["je suis intéressé par le Nova 14", "Merci Beaucoup", "Bonjour Madame", "C'est Parfait",
     "c'est pour une commande", "Je Voudrais, un devis", "Très Bien"],
)  # fmt: skip
def test_no_person_name_where_there_is_none(matcher: EntityMatcher, text: str) -> None:
    assert [e for e, _, _ in found(matcher, text) if e == "person_name"] == []
