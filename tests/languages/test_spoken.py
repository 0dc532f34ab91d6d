"""The spoken-forms normaliser on numbers: what a recogniser writes, as a customer would type it.

Codes and addresses: ``test_spoken_codes.py``; properties (round trips, any
input, speed): ``test_spoken_properties.py``.
"""

from __future__ import annotations

import pytest

from languages.spoken import normalise


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        # Thousands separators.
        ("3,000", "3000"),
        ("69,002", "69002"),
        ("I'd like 3,000 bags", "I'd like 3000 bags"),
        ("1,000,000", "1000000"),
        # Numbers in words.
        ("three thousand", "3000"),
        ("fifteen hundred", "1500"),
        ("twenty five hundred", "2500"),
        ("a thousand two hundred ninety nine", "1299"),
        ("one thousand two hundred and ninety-nine", "1299"),
        ("one thousand and fifty", "1050"),
        ("a hundred and two", "102"),
        ("a thousand and fifty bags", "1050 bags"),
        ("the Eclipse three thousand and two Nova fourteen", "the Eclipse 3000 and 2 Nova 14"),
        ("a hundred and two bags", "100 and 2 bags"),
        ("two thousand twenty four", "2024"),
        ("I'm sixty five", "I'm 65"),
        ("twenty one", "21"),
        ("ninety-nine", "99"),
        ("3 thousand", "3000"),
        ("2 hundred", "200"),
        ("zero", "0"),
        # Digits said one by one, or in pairs: one digit string.
        ("six nine zero zero two", "69002"),
        ("my postcode is six nine zero zero two", "my postcode is 69002"),
        ("sixty nine zero zero two", "69002"),
        ("six nine oh oh two", "69002"),
        ("six nine o o two", "69002"),
        ("six nine uh zero zero two", "69002"),
        ("six nine um zero, uh", "690, uh"),
        ("69 0 02", "69002"),
        ("69 zero zero two", "69002"),
        ("6 9 1 1 2", "69112"),
        ("06 98 76 54 32", "0698765432"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("zero six nine eight seven six five four three two", "0698765432"),
        ("oh six nine eight seven six five four three two", "0698765432"),
        ("one eight hundred five five five one two one two", "18005551212"),
        ("plus thirty three six twelve thirty four fifty six seventy eight", "+33612345678"),
        ("nineteen eighty four", "1984"),
        ("twenty twenty four", "2024"),
        ("twelve ninety nine", "1299"),
        ("double six", "66"),
        ("triple zero", "000"),
        ("double oh seven", "007"),
        ("six double two nine", "6229"),
        ("six nine for zero two", "69402"),
        ("six nine to zero two", "69202"),
        ("six ate zero zero two", "68002"),
        ("two won two three", "2123"),
        ("won two three four", "won 234"),
        ("I won two bags", "I won 2 bags"),
        ("six hundred five bags", "605 bags"),
        # Decimals.
        ("twelve point five kilos", "12.5 kilos"),
        ("one point two five", "1.25"),
        # Prices: after a price word, before or between currency words.
        ("it costs twelve ninety-nine", "it costs 12.99"),
        ("I saw it for twelve ninety nine", "I saw it for 12.99"),
        ("is it twelve ninety-nine?", "is it 12.99?"),
        ("$ twelve ninety nine", "$ 12.99"),
        ("twelve ninety-nine euros", "12.99 euros"),
        ("twelve euros ninety-nine", "12.99"),
        ("twelve dollars and ninety nine cents", "12.99"),
        ("twelve euros fifty", "12.50"),
        ("one euro five cents", "1.05"),
        ("a thousand two hundred ninety nine euros", "1299 euros"),
        # Times, after "at", "until"... or before "pm".
        ("call me at three thirty", "call me at 3:30"),
        ("at three oh five", "at 3:05"),
        ("ten fifteen pm", "10:15 pm"),
        ("at eleven", "at 11"),
        # Quantities stay apart.
        ("two bags and one battery", "2 bags and 1 battery"),
        ("I'd like two bags and one battery please", "I'd like 2 bags and 1 battery please"),
        ("two to three bags", "2 to 3 bags"),
        ("six to eight weeks", "6 to 8 weeks"),
        ("three for two", "3 for 2"),
        ("buy two get one free", "buy 2 get 1 free"),
        ("can I get one Nova fourteen", "can I get 1 Nova 14"),
        ("two three-packs", "2 three-packs"),
        ("oh, two bags", "oh, 2 bags"),
        # Homophones before "of": nothing else reads there.
        ("for of them", "4 of them"),
        ("to of the bags", "2 of the bags"),
        ("I want to bags", "I want 2 bags"),
        ("I'd like too batteries please", "I'd like 2 batteries please"),
        ("I'll take four of them", "I'll take 4 of them"),
    ],
)
def test_english_numbers_are_written_in_figures(heard, written):
    assert normalise(heard, "en") == written


@pytest.mark.parametrize(
    "text",
    [
        # Typed chat.
        "C-100001",
        "marie.curie@example.com",
        "1,299.00 €",
        "I'd like 2 bags",
        "12/12/2026",
        "3:30",
        "call me at 3:30pm",
        "12.99",
        "2 3",
        "room 12 14",
        "Order SO-000123 please!",
        "call me on 0698765432",
        "+33612345678",
        "I paid $12.99",
        "  spaces   kept  ",
        "Line A\nline B",
        "",
        # Words that are no numbers here.
        "I'll take one",
        "I'll take one please",
        "one of my friends",
        "no one answered",
        "this one",
        "which one is cheaper?",
        "one more thing",
        "one day I will",
        "at one point",
        "someone called",
        "I want to order",
        "I want to order the blue one",
        "I want to cancel my orders",
        "I need to access my account",
        "buy for friends",
        "it's for my son",
        "send it to me",
        "me too",
        "I won",
        "I ate",
        "oh I see",
        "oh no",
        "the O ring",
        "double room",
        "a couple of bags",
        "hundreds of bags",
        "first and second",
        "point taken",
    ],
)
def test_english_text_without_spoken_numbers_is_unchanged(text):
    assert normalise(text, "en") == text


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("trois mille", "3000"),
        ("mille", "1000"),
        ("mille deux cent quatre-vingt-dix-neuf", "1299"),
        ("mille deux cent quatre vingt dix neuf euros", "1299 euros"),
        ("soixante-neuf", "69"),
        ("soixante-dix", "70"),
        ("soixante et onze", "71"),
        ("soixante-dix-sept", "77"),
        ("quatre-vingts", "80"),
        ("quatre-vingt-un", "81"),
        ("quatre-vingt-dix-neuf", "99"),
        ("vingt et un", "21"),
        ("vingt-et-un", "21"),
        ("trente et une", "31"),
        ("dix-sept", "17"),
        ("dix sept", "17"),
        ("deux cents", "200"),
        ("deux-cents", "200"),
        ("cent un", "101"),
        ("trois cent mille", "300000"),
        ("un million", "1000000"),
        ("deux mille vingt-quatre", "2024"),
        ("soixante-neuf mille deux", "69002"),
        ("j'habite au soixante-neuf", "j'habite au 69"),
        ("je voudrais deux sacs et une batterie", "je voudrais 2 sacs et une batterie"),
        ("neuf sacs", "9 sacs"),
        ("dix pour cent", "10 pour cent"),
        # Digit strings.
        ("six neuf zéro zéro deux", "69002"),
        ("soixante-neuf zéro zéro deux", "69002"),
        ("euh six neuf euh zéro zéro deux", "euh 69002"),
        (
            "zéro six quatre-vingt-dix-huit soixante-seize cinquante-quatre trente-deux",
            "0698765432",
        ),
        ("zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit", "0612345678"),
        ("zero six douze trente-quatre cinquante-six soixante-dix-huit", "0612345678"),
        (
            "plus trente-trois six douze trente-quatre cinquante-six soixante-dix-huit",
            "+33612345678",
        ),
        ("zéro six quatre-vingts douze", "068012"),
        ("double zéro", "00"),
        # Thousands written with a space.
        ("3 000", "3000"),
        ("3\u202f000 euros", "3000 euros"),
        ("69 002", "69002"),
        ("1 000 000", "1000000"),
        ("06 12 34 56 78", "0612345678"),
        # Prices and decimals.
        ("douze euros quatre-vingt-dix-neuf", "12.99"),
        ("douze euros et cinquante centimes", "12.50"),
        ("ça coûte douze quatre-vingt-dix-neuf", "ça coûte 12.99"),
        ("un virgule trente-cinq", "1,35"),
        ("douze virgule cinq kilos", "12,5 kilos"),
        ("zéro virgule zéro cinq", "0,05"),
    ],
)
def test_french_numbers_are_written_in_figures(heard, written):
    assert normalise(heard, "fr") == written


@pytest.mark.parametrize(
    "text",
    [
        "je voudrais un devis",
        "un sac",
        "une batterie s'il vous plaît",
        "un de mes amis",
        "un téléphone neuf",
        "quoi de neuf",
        "c'est tout neuf",
        "mille mercis",
        "1 299,00 €",
        "12,99 €",
        "3,5 kg",
        "3,000",
        "le 12/12/2026 à 15:30",
        "C-100001",
        "je suis à la maison",
        "le point de vente",
        "",
    ],
)
def test_french_text_without_spoken_numbers_is_unchanged(text):
    assert normalise(text, "fr") == text


@pytest.mark.parametrize(
    ("heard", "language", "expecting", "written"),
    [
        # A quantity is asked: "one" and "un" alone are 1.
        ("I'll take one", "en", "order_lines", "I'll take 1"),
        ("just one please", "en", "lead_quantity", "just 1 please"),
        ("one", "en", "lead_quantity", "1"),
        ("one of them", "en", "order_lines", "one of them"),
        ("this one", "en", "order_lines", "this one"),
        ("un sac et deux piles", "fr", "order_lines", "1 sac et 2 piles"),
        ("une", "fr", "lead_quantity", "1"),
        ("un de plus", "fr", "order_lines", "un de plus"),
        ("neuf", "fr", "lead_quantity", "9"),
        # Digits are asked: figures and homophones join more readily.
        ("69 2", "en", "lookup_postcode", "692"),
        ("six, nine, zero, zero, two", "en", "new_postcode", "69002"),
        ("oh six", "en", "callback_phone", "06"),
        ("it's six nine zero zero two", "en", "verification_answer", "it's 69002"),
        ("six, neuf, zéro, zéro, deux", "fr", "lookup_postcode", "69002"),
    ],
)
def test_the_question_asked_makes_some_readings_safe(heard, language, expecting, written):
    assert normalise(heard, language, expecting=expecting) == written


@pytest.mark.parametrize(
    ("heard", "language", "written"),
    [
        ("I'll take one", "en", "I'll take one"),
        ("six, nine, zero, zero, two", "en", "6, 9, 0, 0, 2"),
        ("69 2", "en", "69 2"),
        ("un sac et deux piles", "fr", "un sac et 2 piles"),
    ],
)
def test_without_the_question_the_same_words_read_safely(heard, language, written):
    assert normalise(heard, language) == written


@pytest.mark.parametrize("language", ["en-US", "EN", "en_GB"])
def test_a_regional_language_code_reads_as_its_language(language):
    assert normalise("three thousand", language) == "3000"


@pytest.mark.parametrize("language", ["de", "es", ""])
def test_a_language_without_a_table_comes_back_unchanged(language):
    assert normalise("three thousand", language) == "three thousand"
