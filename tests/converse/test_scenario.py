"""Scenario files: the real ones load and cover every process; a broken one says where."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from converse.questions import KINDS
from converse.scenario import (
    PROCESSES,
    Expectation,
    Persona,
    ScenarioError,
    catalog_skus,
    load_scenario,
    load_scenarios,
    with_persona,
)

SKUS = frozenset({"ECL-3000", "BAG-ECL", "NOV-14"})

MINIMAL = """\
name: NAME
process: order
goal: Buy a laptop.
persona: {account: C-100001}
phrasings:
  - opening: I want the Éclipse 3000.
  - opening: eclipse 3000 pls
    identify_with: customer_number
  - opening: One Éclipse 3000, please.
    then:
      - the eclipse 3000
    answers:
      confirm: ['yes']
expect:
  - order: {lines: {ECL-3000: 1}}
"""


def write(tmp_path: Path, text: str, name: str = "buy_laptop") -> Path:
    path = tmp_path / f"{name}.yml"
    path.write_text(text.replace("NAME", name), encoding="utf-8")
    return path


def test_the_real_scenarios_load_and_cover_every_process():
    scenarios = load_scenarios()

    assert len(scenarios) >= 40
    assert all(len(s.phrasings) >= 3 for s in scenarios)
    assert set(PROCESSES) == {s.process for s in scenarios}
    assert len({s.name for s in scenarios}) == len(scenarios)


def test_the_real_scenarios_name_only_products_of_the_catalog_and_known_question_kinds():
    skus = catalog_skus()
    for scenario in load_scenarios():
        for expectation in (*scenario.expect, *scenario.may):
            assert set(expectation.fields.get("lines", {})) <= skus, scenario.name
        for phrasing in scenario.phrasings:
            assert set(phrasing.answers) <= set(KINDS), scenario.name


def test_the_real_phrasings_of_a_scenario_differ():
    for scenario in load_scenarios():
        openings = Counter(p.opening.lower() for p in scenario.phrasings)
        assert max(openings.values()) == 1, scenario.name


def test_a_minimal_scenario_reads_whole(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL), skus=SKUS)

    assert (scenario.name, scenario.process, scenario.max_turns) == ("buy_laptop", "order", 14)
    assert scenario.expect == (Expectation(kind="order", fields={"lines": {"ECL-3000": 1}}),)
    assert scenario.may == ()
    assert not scenario.hands_off
    first, second, third = scenario.phrasings
    assert first.persona == Persona(account="C-100001", facts={})
    assert (first.identify_with, second.identify_with) == ("email", "customer_number")
    assert third.then == ("the eclipse 3000",)
    assert third.answers == {"confirm": ("yes",)}
    assert first.clicks is False


def test_a_phrasing_may_change_the_persona_and_add_answers(tmp_path):
    text = MINIMAL.replace(
        "persona: {account: C-100001}",
        "persona:\n  account: C-100001\n  new_phone: '+33600000001'\nanswers:\n  quantity: [two]",
    ).replace(
        "  - opening: eclipse 3000 pls\n",
        "  - opening: eclipse 3000 pls\n    persona: {account: C-100002}\n"
        "    answers:\n      quantity: [three]\n",
    )
    first, second, _ = load_scenario(write(tmp_path, text), skus=SKUS).phrasings

    assert first.persona == Persona(account="C-100001", facts={"new_phone": "+33600000001"})
    assert first.answers == {"quantity": ("two",)}
    # Another account: its facts come from the database, none are inherited.
    assert second.persona == Persona(account="C-100002", facts={})
    assert second.answers == {"quantity": ("three",)}


def test_with_persona_keeps_the_scenario_facts_over_the_database_ones(tmp_path):
    phrasing = load_scenario(write(tmp_path, MINIMAL), skus=SKUS).phrasings[0]
    phrasing = phrasing.__class__(
        **{**phrasing.__dict__, "persona": Persona("C-1", {"email": "a@b.c"})}
    )

    completed = with_persona(phrasing, {"email": "db@b.c", "postcode": "69002"})

    assert completed.persona.facts == {"email": "a@b.c", "postcode": "69002"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("process: order", "process: shopping"), "process 'shopping' is none of"),
        (("ECL-3000: 1}", "ECL-9999: 1}"), "'ECL-9999' is not in the catalog"),
        (("ECL-3000: 1}", "ECL-3000: 0}"), "a quantity of at least 1"),
        (("confirm: ['yes']", "confirm: [yes]"), "put yes, no, on and off in quotes"),
        (("confirm: ['yes']", "dance: ['yes']"), "'dance' is no question kind"),
        (("identify_with: customer_number", "identify_with: fax"), "identify_with: one of"),
        (("  - order:", "  - delivery:"), "'delivery' is none of"),
        (("order: {lines: {ECL-3000: 1}}", "order: {}"), "needs ['lines']"),
        (("I want the Éclipse 3000.", "I want {colour}."), "{colour} in 'I want {colour}.' is no"),
        (("persona: {account: C-100001}", "persona: {email: a@b.c}"), "a new person needs"),
        (("goal: Buy a laptop.\n", "goal: Buy.\nmood: happy\n"), "unknown key(s) mood"),
    ],
)
def test_a_broken_scenario_says_what_and_where(tmp_path, change, message):
    old, new = change
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new))

    with pytest.raises(ScenarioError) as raised:
        load_scenario(path, skus=SKUS)

    assert str(raised.value).startswith("buy_laptop.yml: ")
    assert message in str(raised.value)


def test_a_scenario_needs_three_phrasings_and_its_file_name(tmp_path):
    two = (
        MINIMAL.split("  - opening: One Éclipse 3000")[0]
        + "expect:\n  - order: {lines: {ECL-3000: 1}}\n"
    )
    with pytest.raises(ScenarioError, match="at least 3"):
        load_scenario(write(tmp_path, two), skus=SKUS)
    renamed = write(tmp_path, MINIMAL.replace("NAME", "other"), name="mine")
    with pytest.raises(ScenarioError, match="not the file's stem"):
        load_scenario(renamed, skus=SKUS)


def test_a_quote_setup_needs_a_persona_with_an_account(tmp_path):
    text = MINIMAL + "setup:\n  quote: {NOV-14: 2}\n"
    assert load_scenario(write(tmp_path, text), skus=SKUS).setup_quote == {"NOV-14": 2}
    new_person = text.replace("{account: C-100001}", "{first_name: Ann, last_name: Lee}")
    with pytest.raises(ScenarioError, match="a quote needs a persona with an account"):
        load_scenario(write(tmp_path, new_person), skus=SKUS)


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ScenarioError, match="no scenario"):
        load_scenarios(tmp_path, skus=SKUS)


def test_a_scenario_in_a_language_folder_speaks_that_language(tmp_path):
    (tmp_path / "fr").mkdir()
    write(tmp_path, MINIMAL)
    write(tmp_path / "fr", MINIMAL, name="fr_buy_laptop")
    found = {s.name: s.language for s in load_scenarios(tmp_path, skus=SKUS)}
    assert found == {"buy_laptop": "en", "fr_buy_laptop": "fr"}


def test_a_language_key_may_not_contradict_its_folder(tmp_path):
    (tmp_path / "fr").mkdir()
    write(tmp_path / "fr", "language: en\n" + MINIMAL, name="fr_buy_laptop")
    with pytest.raises(ScenarioError, match="language 'en'"):
        load_scenarios(tmp_path, skus=SKUS)
