"""The spoken-forms normaliser on codes (C-100001, SO-000123, Q-000123) and e-mail addresses."""

from __future__ import annotations

import pytest

from languages.spoken import normalise


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("C 100001", "C-100001"),
        ("c100001", "C-100001"),
        ("c-100001", "C-100001"),
        ("C. 100001", "C-100001"),
        ("C 100,001", "C-100001"),
        ("C 1 0 0 0 0 1", "C-100001"),
        ("see one zero zero zero zero one", "C-100001"),
        ("sea one zero zero zero zero one", "C-100001"),
        ("C one hundred thousand and one", "C-100001"),
        ("C as in Charlie one zero zero zero zero one", "C-100001"),
        ("C for Charlie one zero zero zero zero one", "C-100001"),
        ("C like cat one zero zero zero zero one", "C-100001"),
        ("C uh one zero zero zero zero one", "C-100001"),
        ("C dash one zero zero zero zero one", "C-100001"),
        ("C hyphen 100001", "C-100001"),
        ("C as in Charlie 100001", "C-100001"),
        (
            "my customer number is see one zero zero zero zero one thanks",
            "my customer number is C-100001 thanks",
        ),
        ("S O zero zero zero one two three", "SO-000123"),
        ("S oh zero zero zero one two three", "SO-000123"),
        ("so zero zero zero one two three", "SO-000123"),
        ("SO 000123", "SO-000123"),
        ("SO000123", "SO-000123"),
        ("S.O. 000123", "SO-000123"),
        ("order S O 000 123 please", "order SO-000123 please"),
        ("Q 000045", "Q-000045"),
        ("q000045", "Q-000045"),
        ("queue zero zero zero zero four five", "Q-000045"),
        ("Q as in Quebec zero zero zero zero four five", "Q-000045"),
        ("order number S O one two three four five six", "order number SO-123456"),
        ("S O 0 0 0 1 2 3", "SO-000123"),
    ],
)
def test_english_codes_are_written(heard, written):
    assert normalise(heard, "en") == written


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("C comme Charles un zéro zéro zéro zéro un", "C-100001"),
        ("c cent mille un", "C-100001"),
        ("c comme Célestin cent mille un", "C-100001"),
        ("C tiret un zéro zéro zéro zéro un", "C-100001"),
        ("S O zéro zéro zéro un deux trois", "SO-000123"),
        ("S.O. 000123", "SO-000123"),
        ("Q zéro zéro zéro zéro quatre cinq", "Q-000045"),
        ("mon numéro client est C 100001", "mon numéro client est C-100001"),
    ],
)
def test_french_codes_are_written(heard, written):
    assert normalise(heard, "fr") == written


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        # Not six digits: no code, the digits only.
        ("C one zero zero zero zero", "C 10000"),
        ("S O one two three", "S O 123"),
        # Letters heard as words, and words after which they are no letters.
        ("see you at six", "see you at 6"),
        ("I see one zero zero zero zero one", "I see 100001"),
        ("so I want two bags", "so I want 2 bags"),
        ("C-100001", "C-100001"),
        ("SO-000123 and Q-000045", "SO-000123 and Q-000045"),
    ],
)
def test_what_makes_no_code_stays_apart(heard, written):
    assert normalise(heard, "en") == written


def test_a_customer_number_may_be_short_when_one_is_asked():
    assert normalise("C one zero zero zero one", "en", expecting="identity_key") == "C-10001"
    assert normalise("C one zero zero zero one", "en") == "C 10001"


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("marie dot curie at example dot com", "marie.curie@example.com"),
        ("Marie Dot Curie At Example Dot Com", "marie.curie@example.com"),
        ("marie period curie at sign example period com", "marie.curie@example.com"),
        ("marie.curie at example dot com", "marie.curie@example.com"),
        ("marie.curie at example.com", "marie.curie@example.com"),
        ("marie dot curie @ example dot com", "marie.curie@example.com"),
        ("marie dot curie@example dot com", "marie.curie@example.com"),
        ("john underscore smith at gmail dot com", "john_smith@gmail.com"),
        ("john under score smith at gmail dot com", "john_smith@gmail.com"),
        ("jean dash pierre at example dot co dot uk", "jean-pierre@example.co.uk"),
        ("jean hyphen pierre at best dash shop dot fr", "jean-pierre@best-shop.fr"),
        ("j smith at gmail dot com", "jsmith@gmail.com"),
        ("john one two three at gmail dot com", "john123@gmail.com"),
        ("john 69 at gmail dot com", "john69@gmail.com"),
        ("it's marie at example dot com", "it's marie@example.com"),
        ("yeah marie at example dot com", "yeah marie@example.com"),
        ("my email is marie dot curie at example dot com", "my email is marie.curie@example.com"),
        ("my email is marie curie at example dot com", "my email is mariecurie@example.com"),
        ("send it to marie at example dot com.", "send it to marie@example.com."),
        ("marie at example dot com and two bags", "marie@example.com and 2 bags"),
    ],
)
def test_english_addresses_are_written(heard, written):
    assert normalise(heard, "en") == written


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("marie point curie arobase exemple point fr", "marie.curie@exemple.fr"),
        ("jean tiret du bas dupont arobase free point fr", "jean_dupont@free.fr"),
        ("jean tiret bas dupont arobase free point fr", "jean_dupont@free.fr"),
        ("jean underscore dupont arobase free point fr", "jean_dupont@free.fr"),
        ("jean tiret dupont arobase laposte point net", "jean-dupont@laposte.net"),
        ("jean tiret du six dupont arobase orange point fr", "jean-dupont@orange.fr"),
        ("marie a commercial exemple point com", "marie@exemple.com"),
        ("c'est marie arobase exemple point fr", "c'est marie@exemple.fr"),
        (
            "mon adresse c'est marie curie arobase orange point fr",
            "mon adresse c'est mariecurie@orange.fr",
        ),
    ],
)
def test_french_addresses_are_written(heard, written):
    assert normalise(heard, "fr") == written


@pytest.mark.parametrize(
    "text",
    [
        "I'm at home",
        "I'm at home dot",
        "dot matrix",
        "look at the dot",
        "meet me at example dot com",
        "marie at example dot",
        "marie at example dot matrix",
        "at example dot com",
        "marie.curie@example.com",
        "Marie.Curie@Example.COM",
        "write to marie.curie@example.com, please.",
        "marie+shop@example.co.uk",
        "(marie@example.com)",
        "ask sales at the shop",
    ],
)
def test_english_text_without_a_spoken_address_is_unchanged(text):
    assert normalise(text, "en") == text


@pytest.mark.parametrize(
    "text", ["je suis à la maison", "le point de vente", "marie.curie@exemple.fr", "un tiret"]
)
def test_french_text_without_a_spoken_address_is_unchanged(text):
    assert normalise(text, "fr") == text


def test_an_unknown_top_level_domain_is_read_only_when_an_address_is_expected():
    heard = "marie at example dot zz"
    assert normalise(heard, "en") == heard
    assert normalise(heard, "en", expecting="new_email") == "marie@example.zz"


def test_words_said_apart_are_one_part_only_when_an_address_is_expected():
    heard = "marie curie at example dot com"
    assert normalise(heard, "en") == "marie curie@example.com"
    assert normalise(heard, "en", expecting="contact_value") == "mariecurie@example.com"
