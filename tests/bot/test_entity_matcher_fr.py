"""The rule-based entity matcher reading French (``language="fr"``): products and quantities.

Run in the rasa env: ``.venv/rasa/bin/python -m pytest tests/bot``. Dates,
contact data and names are in ``test_entity_matcher_fr_contact.py``.
"""

from __future__ import annotations

import pytest
from sample_catalog import CATALOG, REPO_ROOT
from sample_catalog_fr import CATALOG_FR

from bot.catalog_matcher import read_catalog
from bot.entity_matcher import EntityMatcher


@pytest.fixture(scope="module")
def matcher() -> EntityMatcher:
    return EntityMatcher(CATALOG_FR, language="fr")


def found(matcher: EntityMatcher, text: str) -> list[tuple[str, str, str]]:
    """(entity, text span, value) of everything found, in text order."""
    return [(f.entity, text[f.start : f.end], f.value) for f in matcher.find(text)]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="'de'"):
        EntityMatcher(CATALOG, language="de")


def test_english_stays_the_default() -> None:
    assert EntityMatcher(CATALOG).rules.language == "en"
    assert found(EntityMatcher(CATALOG), "two laptop bags") == [
        ("quantity", "two", "2"),
        ("product", "laptop bags", "BAG-ECL"),
    ]


@pytest.mark.parametrize(
    ("text", "span", "sku"),
    [
        ("la sacoche de l'éclipse 3000", "sacoche de l'éclipse", "BAG-ECL"),
        ("la sacoche de l\u2019éclipse", "sacoche de l\u2019éclipse", "BAG-ECL"),
        ("une sacoche pour l'eclipse", "sacoche pour l'eclipse", "BAG-ECL"),
        ("une batterie pour l'eclipse", "batterie pour l'eclipse", "BAT-ECL3000"),
        ("une batterie de rechange", "batterie de rechange", "BAT-ECL3000"),
        ("une BATTERIE SUPPLEMENTAIRE", "BATTERIE SUPPLEMENTAIRE", "BAT-ECL3000"),
        ("la housse", "housse", "SLV-14"),
        ("un chargeur", "chargeur", "CHG-65W"),
        ("une souris sans fil", "souris sans fil", "MOUSE-WL"),
        ("le clavier", "clavier", "KB-WL"),
        ("un écran 24 pouces", "écran 24 pouces", "MON-24FHD"),
        ("un ecran 24 pouces", "ecran 24 pouces", "MON-24FHD"),
        ("des cartouches d'encre", "cartouches d'encre", "INK-IJ200"),
        ("des cartouches", "cartouches", "INK-IJ200"),
        ("un toner", "toner", "TONER-LJ500"),
        ("une cartouche de toner", "cartouche de toner", "TONER-LJ500"),
        ("une station d'accueil", "station d'accueil", "DOCK-USBC"),
        ("un casque", "casque", "HEADSET-PRO"),
        # English aliases and names read in French messages too.
        ("le dock", "dock", "DOCK-USBC"),
        ("le Nova 14", "Nova 14", "NOV-14"),
    ],
)
def test_french_product_words_name_the_products_of_their_english_twins(
    matcher: EntityMatcher, text: str, span: str, sku: str
) -> None:
    assert found(matcher, text) == [("product", span, sku)]


@pytest.mark.parametrize(
    ("text", "span", "sku"),
    [
        # "eclipse laptop", "full hd monitor", "laser printer", noun first.
        ("un portable Éclipse", "portable Éclipse", "ECL-3000"),
        ("le PC portable eclipse", "PC portable eclipse", "ECL-3000"),
        ("un ordinateur portable Éclipse", "ordinateur portable Éclipse", "ECL-3000"),
        ("un écran full HD", "écran full HD", "MON-24FHD"),
        ("l'imprimante laser", "imprimante laser", "PRN-LJ500"),
    ],
)
def test_a_category_word_names_a_product_noun_first(
    matcher: EntityMatcher, text: str, span: str, sku: str
) -> None:
    assert found(matcher, text) == [("product", span, sku)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("deux sacoches", [("quantity", "deux", "2"), ("product", "sacoches", "BAG-ECL")]),
        ("trois housses", [("quantity", "trois", "3"), ("product", "housses", "SLV-14")]),
        ("deux stations d'accueil",
         [("quantity", "deux", "2"), ("product", "stations d'accueil", "DOCK-USBC")]),
        ("quatre batteries supplémentaires",
         [("quantity", "quatre", "4"), ("product", "batteries supplémentaires", "BAT-ECL3000")]),
        ("deux écrans 24 pouces",
         [("quantity", "deux", "2"), ("product", "écrans 24 pouces", "MON-24FHD")]),
    ],
)  # fmt: skip
def test_french_plurals_are_found(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Éclipse 3000", [("quantity", "2", "2"), ("product", "Éclipse 3000", "ECL-3000")]),
        ("trois Nova 14", [("quantity", "trois", "3"), ("product", "Nova 14", "NOV-14")]),
        ("cinq x Nova 14", [("quantity", "cinq", "5"), ("product", "Nova 14", "NOV-14")]),
        ("4x nova 14", [("quantity", "4", "4"), ("product", "nova 14", "NOV-14")]),
        ("six souris", [("quantity", "six", "6"), ("product", "souris", "MOUSE-WL")]),
        ("sept claviers", [("quantity", "sept", "7"), ("product", "claviers", "KB-WL")]),
        ("huit chargeurs", [("quantity", "huit", "8"), ("product", "chargeurs", "CHG-65W")]),
        ("neuf casques", [("quantity", "neuf", "9"), ("product", "casques", "HEADSET-PRO")]),
        ("dix cartouches", [("quantity", "dix", "10"), ("product", "cartouches", "INK-IJ200")]),
        ("deux de vos Nova 14", [("quantity", "deux", "2"), ("product", "Nova 14", "NOV-14")]),
        ("une douzaine de cartouches",
         [("quantity", "une douzaine", "12"), ("product", "cartouches", "INK-IJ200")]),
        ("une dizaine de souris",
         [("quantity", "une dizaine", "10"), ("product", "souris", "MOUSE-WL")]),
        ("une paire de casques",
         [("quantity", "une paire de", "2"), ("product", "casques", "HEADSET-PRO")]),
        ("un seul Nova 14", [("quantity", "un seul", "1"), ("product", "Nova 14", "NOV-14")]),
        ("une seule sacoche", [("quantity", "une seule", "1"), ("product", "sacoche", "BAG-ECL")]),
        ("Nova 14, quantité 4", [("product", "Nova 14", "NOV-14"), ("quantity", "4", "4")]),
        ("quantite : 3", [("quantity", "3", "3")]),
        ("5 unités", [("quantity", "5", "5")]),
        ("deux exemplaires", [("quantity", "deux", "2")]),
        ("un exemplaire", [("quantity", "un", "1")]),
        ("8 portables", [("quantity", "8", "8")]),
        ("deux ordinateurs portables", [("quantity", "deux", "2")]),
        ("trois PC portables", [("quantity", "trois", "3")]),
        ("une dizaine d'écrans", [("quantity", "une dizaine", "10")]),
        ("deux imprimantes", [("quantity", "deux", "2")]),
        ("3", [("quantity", "3", "3")]),
        ("deux", [("quantity", "deux", "2")]),
        ("un", [("quantity", "un", "1")]),
        ("juste une s'il vous plaît", [("quantity", "une", "1")]),
        ("seulement 2 svp", [("quantity", "2", "2")]),
        # Numbers that count nothing are no quantities.
        ("livraison dans 3 jours", [("date", "dans 3 jours", "dans 3 jours")]),
        ("j'ai 2 questions", []),
        ("il y a 3 jours", []),
    ],
)  # fmt: skip
def test_quantities_count_products_or_units(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Like English "a bag" (no quantity), "une sacoche" is an article and a product.
        ("une sacoche", [("product", "sacoche", "BAG-ECL")]),
        ("un Nova 14", [("product", "Nova 14", "NOV-14")]),
        ("une batterie pour l'eclipse",
         [("product", "batterie pour l'eclipse", "BAT-ECL3000")]),
        ("un chargeur et une souris",
         [("product", "chargeur", "CHG-65W"), ("product", "souris", "MOUSE-WL")]),
        ("un ordinateur portable", []),
        ("un portable", []),
    ],
)  # fmt: skip
def test_un_and_une_as_articles_count_nothing(
    matcher: EntityMatcher, text: str, expected: list[tuple[str, str, str]]
) -> None:
    assert found(matcher, text) == expected


@pytest.mark.parametrize("text", ["1 299,00 €", "1299 euros", "moins de 800 €", "1 299 €"])
def test_prices_are_no_quantities_phones_or_postcodes(matcher: EntityMatcher, text: str) -> None:
    assert found(matcher, f"un portable à {text} ?") == []


def test_the_french_order_of_the_reference_example(matcher: EntityMatcher) -> None:
    text = "Je voudrais commander l'Éclipse 3000 et la sacoche"
    assert found(matcher, text) == [
        ("product", "Éclipse 3000", "ECL-3000"),
        ("product", "sacoche", "BAG-ECL"),
    ]


def test_the_exported_catalog_reads_french_product_words() -> None:
    # The export is in the repository (make catalog rewrites it only on change).
    export = REPO_ROOT / "data" / "lookups" / "catalog.json"
    matcher = EntityMatcher(read_catalog(export), language="fr")
    expected = {
        "la sacoche de l'éclipse 3000": ["BAG-ECL"],
        "une batterie pour l'eclipse": ["BAT-ECL3000"],
        "deux housses et une station d'accueil": ["2", "SLV-14", "DOCK-USBC"],
        "un chargeur, une souris, un clavier et un casque": [
            "CHG-65W", "MOUSE-WL", "KB-WL", "HEADSET-PRO",
        ],
        "deux écrans 24 pouces et une imprimante laser": ["2", "MON-24FHD", "PRN-LJ500"],
        "des cartouches d'encre et un toner": ["INK-IJ200", "TONER-LJ500"],
        "le PC portable Éclipse et l'ordinateur portable Nova": ["ECL-3000", "NOV-14"],
        "le téléphone Astra": ["PHN-ASTRA"],
    }  # fmt: skip
    assert {t: [f.value for f in matcher.find(t)] for t in expected} == expected
