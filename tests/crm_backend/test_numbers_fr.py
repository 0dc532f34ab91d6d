"""Numbers in French words, as a French voice reads them (traditional spelling)."""

from __future__ import annotations

import pytest

from crm_backend.numbers_fr import digits, spell, spell_figure


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "zéro"),
        (1, "un"),
        (16, "seize"),
        (17, "dix-sept"),
        (21, "vingt et un"),
        (22, "vingt-deux"),
        (61, "soixante et un"),
        (70, "soixante-dix"),
        (71, "soixante et onze"),
        (72, "soixante-douze"),
        (80, "quatre-vingts"),
        (81, "quatre-vingt-un"),
        (90, "quatre-vingt-dix"),
        (91, "quatre-vingt-onze"),
        (99, "quatre-vingt-dix-neuf"),
        (100, "cent"),
        (101, "cent un"),
        (180, "cent quatre-vingts"),
        (200, "deux cents"),
        (201, "deux cent un"),
        (1000, "mille"),
        (1299, "mille deux cent quatre-vingt-dix-neuf"),
        (2026, "deux mille vingt-six"),
        (21000, "vingt et un mille"),
        (80000, "quatre-vingt mille"),
        (200000, "deux cent mille"),
        (1000000, "un million"),
        (2000000, "deux millions"),
        (200000000, "deux cents millions"),
        (1234567, "un million deux cent trente-quatre mille cinq cent soixante-sept"),
        (3000000000, "trois milliards"),
        (-5, "moins cinq"),
    ],
)
def test_spell(n, said):
    assert spell(n) == said


@pytest.mark.parametrize(
    ("figure", "said"),
    [
        ("1.3", "un virgule trois"),
        ("1,35", "un virgule trente-cinq"),
        ("0.05", "zéro virgule zéro cinq"),
        ("16", "seize"),
        ("5.0", "cinq virgule zéro"),
        ("i7", "i7"),
    ],
)
def test_spell_figure(figure, said):
    assert spell_figure(figure) == said


def test_digits_one_by_one():
    assert digits("0612") == "zéro six un deux"
    assert digits("+33") == "trois trois"
