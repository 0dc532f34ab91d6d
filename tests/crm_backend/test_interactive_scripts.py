"""An interactive script once read: branches, the answer some words pick, objections."""

from __future__ import annotations

import textwrap

import pytest

from crm_backend.script_reader import parse_script

SCRIPT = textwrap.dedent(
    """\
    script: demo
    title: Demo offer
    offer: A great offer.
    objections:
      price:
        words: [expensive, afford]
        answer: It pays for itself.
      already_owns:
        words: [already have, already have one that works]
        answer: Yours is old.
    questions:
      - id: age
        ask: How old is it?
        field: laptop_age
        options:
          - answer: New
            words: [recent, one year]
            points: 0
            next: end
          - answer: Old
            words: [years, ancient]
            points: 30
      - id: use
        ask: What for?
        options:
          - answer: Work
            points: 20
          - answer: Nothing
            disqualifies: true
            next: budget
          - answer: Play
            points: 5
            next: end
      - id: budget
        ask: Your budget?
    scoring:
      warm_from: 30
      hot_from: 50
    """
)


def test_branches_follow_the_answer_then_the_question_then_the_order():
    script = parse_script(SCRIPT, name="demo")
    age, use, budget = script.questions
    new, old = age.options
    work, nothing, play = use.options

    assert script.first() is age
    assert script.after(age, new) is None
    assert script.after(age, old) is use
    assert script.after(use, work) is budget
    assert script.after(use, nothing) is budget
    assert script.after(use, play) is None
    assert script.after(budget, None) is None


@pytest.mark.parametrize(
    ("said", "answer"),
    [
        ("Old", "Old"),
        ("old", "Old"),
        ("it's about ten years", "Old"),
        ("quite recent, one year", "New"),
        ("2", "Old"),
        ("one year old, so not many years", "New"),  # the longest phrase wins
        ("no idea", None),
        ("7", None),
        ("", None),
    ],
)
def test_the_words_pick_an_answer(said, answer):
    age = parse_script(SCRIPT, name="demo").question("age")
    assert age is not None
    found = age.match(said)
    assert (found.answer if found else None) == answer


def test_an_objection_is_found_by_its_longest_words():
    script = parse_script(SCRIPT, name="demo")

    assert script.objection("that's too EXPENSIVE") == script.objection_of_kind("price")
    found = script.objection("I already have one that works")
    assert found is not None
    assert found.kind == "already_owns"
    assert script.objection("hello") is None
