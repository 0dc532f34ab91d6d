"""Reading an interactive script from its YAML: what it holds, and every mistake by its line."""

from __future__ import annotations

import textwrap

import pytest

from crm_backend.errors import InvalidScript
from crm_backend.interactive_scripts import Option, Question
from crm_backend.script_reader import Problem, check_script, parse_script
from tests.crm_backend.test_interactive_scripts import SCRIPT


def test_a_script_reads_with_its_questions_options_branches_and_scoring():
    script = parse_script(SCRIPT, name="demo")

    assert (script.name, script.title, script.offer) == ("demo", "Demo offer", "A great offer.")
    assert script.questions[0] == Question(
        id="age",
        ask="How old is it?",
        field="laptop_age",
        options=(
            Option(answer="New", words=("recent", "one year"), points=0, next="end", key="New"),
            Option(answer="Old", words=("years", "ancient"), points=30, key="Old"),
        ),
    )
    assert script.in_language("fr").questions[0] == Question(
        id="age",
        ask="Quel âge a-t-il ?",
        field="laptop_age",
        options=(
            Option(answer="Neuf", words=("récent", "un an"), points=0, next="end", key="New"),
            Option(answer="Ancien", words=("années", "très vieux"), points=30, key="Old"),
        ),
    )
    assert [q.id for q in script.questions] == ["age", "use", "budget"]
    assert script.questions[2].options == ()
    assert script.points() == {
        "laptop_age": {"new": 0, "old": 30},
        "use": {"work": 20, "nothing": 0, "play": 5},
    }
    assert script.knockouts() == {"use": frozenset({"nothing"})}
    assert (script.warm_from, script.hot_from) == (30, 50)


def test_a_wrong_script_names_every_problem_by_line():
    text = textwrap.dedent(
        """\
        script: other
        questions:
          - id: a
            ask: {en: First, fr: Premier}
            options:
              - answer: {en: Yes, fr: Oui}
                next: nowhere
                points: many
          - id: Bad
            colour: red
          - id: a
            ask: {en: Again, fr: Encore}
        scoring:
          warm_from: 50
          hot_from: 20
        """
    )

    assert check_script(text, name="demo") == [
        Problem(1, "the script is named 'other' but its file 'demo'"),
        Problem(1, "the script needs 'offer'"),
        Problem(
            7,
            "in question a, 'Yes' goes to 'nowhere', "
            "which is no question of this script (or 'end')",
        ),
        Problem(8, "'points' of answer 1 of question a must be a whole number, not 'many'"),
        Problem(9, "the id 'Bad' must be lower-case letters, digits and _"),
        Problem(9, "question Bad needs 'ask'"),
        Problem(10, "unknown key 'colour' in question 2 (known: ask, field, id, next, options)"),
        Problem(11, "two questions have the id 'a'"),
        Problem(14, "hot_from (20) must not be below warm_from (50)"),
    ]


def test_a_text_missing_in_a_language_is_named_at_its_line():
    text = textwrap.dedent(
        """\
        script: x
        offer:
          en: An offer.
        objections:
          price:
            words: {en: [expensive], fr: [[cher]]}
            answer: {en: It pays., de: Es lohnt sich., fr: ""}
        questions:
          - id: a
            ask:
              fr: Une question ?
            options:
              - answer: {en: Yes, fr: Oui}
                words: {fr: [oui]}
        """
    )

    assert check_script(text, name="x") == [
        Problem(2, "offer: no French text (fr)"),
        Problem(6, "the French 'words' of objection price must be a list of words or phrases"),
        Problem(7, "answer of objection price: unknown language 'de' (known: en, fr)"),
        Problem(7, "the French 'answer' of objection price must be some text"),
        Problem(10, "ask of question a: no English text (en)"),
        Problem(14, "words of answer 1 of question a: no English words (en)"),
    ]


def test_a_text_written_once_for_every_language_is_a_problem():
    text = textwrap.dedent(
        """\
        script: x
        offer: An offer in English only.
        questions:
          - id: a
            ask: A question?
            options:
              - answer: {en: Yes, fr: Oui}
                words: [yes, oui]
        """
    )

    assert check_script(text, name="x") == [
        Problem(2, "offer: write one text per language: en, fr"),
        Problem(5, "ask of question a: write one text per language: en, fr"),
        Problem(8, "words of answer 1 of question a: write one words per language: en, fr"),
    ]


def test_a_loop_is_named_where_it_goes_back():
    text = (
        "script: x\noffer: {en: o, fr: o}\nquestions:\n"
        "  - id: a\n    ask: {en: A, fr: A}\n  - id: b\n    ask: {en: B, fr: B}\n    next: a\n"
    )

    assert check_script(text, name="x") == [
        Problem(6, "the questions loop: a -> b -> a; a script must end")
    ]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 0, "the file is empty"),
        (
            "script: x\noffer: [\n",
            3,
            "not valid YAML: expected the node content, but found '<stream end>'",
        ),
        ("- just a list\n", 1, "the script must be a set of 'name: value' lines"),
        (
            "script: x\noffer: {en: o, fr: o}\nquestions: []\n",
            3,
            "the script needs at least one question",
        ),
    ],
)
def test_parsing_a_wrong_script_raises_its_first_problem(text, line, reason):
    with pytest.raises(InvalidScript) as raised:
        parse_script(text, name="x")

    assert (raised.value.script, raised.value.line, raised.value.reason) == ("x", line, reason)
