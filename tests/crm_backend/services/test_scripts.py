"""Script files: found by name in their folder, read again when changed; the shipped ones valid."""

from __future__ import annotations

import os
import subprocess

import pytest

from crm_backend.errors import InvalidScript, ScriptNotFound
from crm_backend.interactive_scripts import LANGUAGE_NAMES, LANGUAGES
from crm_backend.script_reader import check_script
from crm_backend.services import scripts
from crm_backend.settings import REPO_ROOT
from languages import languages

SHIPPED = REPO_ROOT / "data" / "scripts"
ONE = (
    "script: demo\noffer: {en: Offer., fr: Offre.}\nquestions:\n  - id: a\n    ask:\n"
    "      en: First wording?\n      fr: Première formulation ?\n"
)
TWO = ONE.replace("First wording?", "New wording, longer?")


def test_a_script_is_read_again_when_its_file_changes(tmp_path):
    path = tmp_path / "demo.yml"
    path.write_text(ONE, encoding="utf-8")
    assert scripts.load_script(directory=tmp_path, name="demo").first().ask == "First wording?"

    path.write_text(TWO, encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))

    assert scripts.load_script(directory=tmp_path, name="demo").first().ask == (
        "New wording, longer?"
    )
    assert scripts.script_names(directory=tmp_path) == ["demo"]


@pytest.mark.parametrize("name", ["missing", "", "../demo", ".hidden", "a/b"])
def test_only_a_file_of_the_folder_is_a_script(tmp_path, name):
    (tmp_path / "demo.yml").write_text(ONE, encoding="utf-8")

    with pytest.raises(ScriptNotFound):
        scripts.load_script(directory=tmp_path / "sub", name=name)


def test_a_wrong_file_says_which_line(tmp_path):
    (tmp_path / "demo.yml").write_text(ONE + "    colour: red\n", encoding="utf-8")

    with pytest.raises(InvalidScript) as raised:
        scripts.load_script(directory=tmp_path, name="demo")

    assert raised.value.line == 8


def test_every_shipped_script_is_valid_and_the_demo_campaign_has_one():
    names = scripts.script_names(directory=SHIPPED)

    assert "laptop_upgrade" in names
    for name in names:
        assert check_script((SHIPPED / f"{name}.yml").read_text(encoding="utf-8"), name=name) == []


def test_scripts_are_written_in_every_language_icbot_speaks():
    """The app's image ships no data/<lang>/nlu: the script languages are a list of their own."""
    assert list(LANGUAGES) == languages()
    assert set(LANGUAGE_NAMES) == set(LANGUAGES)


def test_a_shipped_script_speaks_french_to_a_french_customer():
    script = scripts.load_script(directory=SHIPPED, name="laptop_upgrade").in_language("fr")

    assert script.offer.startswith("En tant que propriétaire d'un Éclipse")
    assert (
        script.first().ask == "De quand date l'ordinateur portable que vous utilisez aujourd'hui ?"
    )
    assert [o.answer for o in script.first().options] == [
        "Moins de deux ans",
        "De deux à quatre ans",
        "Plus de quatre ans",
    ]
    said = {
        "c'est trop cher pour moi": "price",
        "ce n'est pas le moment, rappelez plus tard": "timing",
        "j'en ai deja un qui marche encore": "already_owns",
    }
    assert {words: getattr(script.objection(words), "kind", None) for words in said} == said


def test_a_script_is_no_input_of_the_model():
    """make model retrains on training data only: a changed script needs no new model."""
    database = subprocess.run(
        ["make", "--no-print-directory", "-pn", "model"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    # `make model` runs a make per language at once: each prints the same database.
    [inputs] = {line for line in database.splitlines() if line.startswith("TRAINING_INPUTS :=")}

    assert "data/en/nlu/marketing.yml" in inputs.split()
    assert not [name for name in inputs.split() if name.startswith("data/scripts")]
