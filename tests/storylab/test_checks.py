"""make stories-check: story and script files checked against the domain, each problem by line."""

from __future__ import annotations

import textwrap
from pathlib import Path

from storylab.__main__ import main
from storylab.checks import Domain, Finding, check_files, read_domain

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_the_shipped_stories_and_scripts_are_right():
    files = [*sorted((REPO / "tests" / "stories").glob("*.yml"))]
    files += sorted((REPO / "data" / "scripts").glob("*.yml"))

    assert check_files(files) == []


def test_every_wrong_name_in_a_story_is_named_by_line(tmp_path):
    path = write(
        tmp_path,
        "test_wrong.yml",
        """\
        version: "3.1"
        stories:
        - story: a
          steps:
          - intent: greett
          - action: utter_greet
          - user: hello
          - slot_was_set:
            - identity_status: maybe
            - colour: red
          - active_loop: fake_form
          - intent: inform
            entities:
            - postcode: "69002"
            - flavour: x
        - story: a
          steps:
          - action: utter_nothing
          - bogus: 1
        """,
    )

    assert check_files([path]) == [
        Finding(path, 5, "unknown intent 'greett'"),
        Finding(
            path,
            7,
            "the customer's words need their intent ('intent: ...'): "
            "the bot is tested turn by turn",
        ),
        Finding(path, 9, "slot 'identity_status' cannot be 'maybe' (one of: verified, failed)"),
        Finding(path, 10, "unknown slot 'colour'"),
        Finding(path, 11, "unknown form 'fake_form'"),
        Finding(path, 15, "unknown entity 'flavour'"),
        Finding(path, 16, "two stories are called 'a' (line 3)"),
        Finding(path, 18, "unknown action or response 'utter_nothing'"),
        Finding(path, 19, "a step is one of intent, user, action, slot_was_set, active_loop"),
    ]


def test_a_story_file_that_is_no_yaml_says_where(tmp_path):
    path = write(tmp_path, "test_broken.yml", "stories:\n- story: a\n  steps: [\n")

    [finding] = check_files([path])

    assert (finding.line, finding.message.split(":")[0]) == (4, "not valid YAML")


def test_a_script_is_checked_by_line_and_for_sms_opt_out_words(tmp_path):
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    wrong = write(
        scripts,
        "spring.yml",
        """\
        script: spring
        offer:
          en: Spring offer.
        questions:
          - id: q
            ask:
              en: Go on?
              fr: On continue ?
            options:
              - answer: {en: Yes, fr: Oui}
                next: nowhere
        """,
    )
    stop = write(
        scripts,
        "autumn.yml",
        """\
        script: autumn
        offer: {en: Autumn offer., fr: Offre d'automne.}
        questions:
          - id: q
            ask:
              en: Go on?
              fr: On continue ?
            options:
              - answer: {en: Yes please, fr: Oui merci}
              - answer: {en: Go on, fr: Stop aux questions}
        """,
    )

    assert check_files([wrong, stop]) == [
        Finding(wrong, 2, "offer: no French text (fr)"),
        Finding(
            wrong,
            11,
            "in question q, 'Yes' goes to 'nowhere', "
            "which is no question of this script (or 'end')",
        ),
        Finding(
            stop,
            10,
            "the answer 'Stop aux questions' has a word that unsubscribes an SMS customer "
            "(STOP, END, CANCEL, QUIT, UNSUBSCRIBE): use other words",
        ),
    ]


def test_the_domain_is_read_without_rasa():
    domain = Domain.load()

    assert {"ask_offer", "stop_contact", "greet"} <= domain.intents
    assert {"action_present_offer", "utter_outbound_greeting", "script_form"} <= domain.actions
    assert "script_form" in domain.forms


def test_a_domain_is_a_file_or_a_folder_of_files_read_as_one(tmp_path):
    folder = tmp_path / "domain"
    folder.mkdir()
    write(folder, "a.yml", "version: '3.1'\nintents: [greet]\nslots:\n  x: {type: text}\n")
    write(folder, "b.yml", "version: '3.1'\nintents: [bye]\nslots:\n  y: {type: bool}\n")

    assert read_domain(folder) == {
        "version": "3.1",
        "intents": ["greet", "bye"],
        "slots": {"x": {"type": "text"}, "y": {"type": "bool"}},
    }
    assert read_domain(folder / "b.yml") == {
        "version": "3.1",
        "intents": ["bye"],
        "slots": {"y": {"type": "bool"}},
    }
    assert Domain.load(folder).intents == {"greet", "bye"}


def test_the_command_prints_problems_and_fails(tmp_path, capsys):
    good = write(tmp_path, "test_good.yml", "stories:\n- story: a\n  steps:\n  - intent: greet\n")
    bad = write(tmp_path, "test_bad.yml", "stories:\n- story: b\n  steps:\n  - intent: nope\n")

    assert main(["check", str(good)]) == 0
    assert main(["check", str(tmp_path)]) == 1

    out = capsys.readouterr().out
    assert "1 file(s) checked: no problem" in out
    assert f"{bad}:4: unknown intent 'nope'" in out


def test_a_story_says_whether_the_bot_asks_for_a_rating_after_the_goodbye(tmp_path):
    path = write(
        tmp_path,
        "test_goodbye.yml",
        """\
        version: "3.1"
        stories:
        - story: said
          steps:
          - intent: goodbye
          - action: action_close_interaction
          - slot_was_set:
            - satisfaction_due: false
          - action: utter_close_interaction_result
        - story: not said
          steps:
          - intent: goodbye
          - action: action_close_interaction
          - action: utter_close_interaction_result
        - story: the last step
          steps:
          - intent: goodbye
          - action: action_close_interaction
        """,
    )

    lines = [(f.line, f.message.split(":")[0]) for f in check_files([path])]

    assert lines == [
        (13, "after action_close_interaction, say what it set on the next step"),
        (18, "after action_close_interaction, say what it set on the next step"),
    ]
