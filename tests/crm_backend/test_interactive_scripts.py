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


BUDGET = textwrap.dedent(
    """\
    script: budget
    title: Budget
    offer: An offer.
    questions:
      - id: budget
        ask: What budget do you have in mind?
        options:
          - answer: Under 1000 euros
          - answer: 1000 to 1500 euros
          - answer: Over 1500 euros
      - id: age
        ask: How old is it?
        options:
          - answer: Less than two years
          - answer: Two to four years
          - answer: More than four years
      - id: use
        ask: What for?
        options:
          - answer: Work and travel
          - answer: Studies
          - answer: Home and leisure
    """
)


@pytest.mark.parametrize(
    ("question", "said", "answer"),
    [
        ("budget", "upwards of 1,600", "Over 1500 euros"),
        ("budget", "roughly two grand i guess", "Over 1500 euros"),
        ("budget", "1.8k or so", "Over 1500 euros"),
        ("budget", "1,450 euros", "1000 to 1500 euros"),
        ("budget", "twelve hundred", "1000 to 1500 euros"),
        ("budget", "between 1100 and 1400 euros", "1000 to 1500 euros"),
        ("budget", "below 900", "Under 1000 euros"),
        ("budget", "around 700 quid", "Under 1000 euros"),
        ("budget", "more than 1000", None),  # either of two answers
        ("budget", "more than four", None),  # four euros? not a budget anyone means
        ("budget", "the middle option", None),
        ("budget", "I'd take the 3rd one", "Over 1500 euros"),
        ("age", "it's about six years old", "More than four years"),
        ("age", "more than four", "More than four years"),
        ("age", "3 years", "Two to four years"),
        ("age", "under 2", "Less than two years"),
        ("use", "the first one", "Work and travel"),
        ("use", "last one please", "Home and leisure"),
        ("use", "leisure", "Home and leisure"),
        ("use", "go ahead", None),
        ("use", "and", None),
    ],
)
def test_free_words_pick_an_answer_by_amount_place_or_part(question, said, answer):
    asked = parse_script(BUDGET, name="budget").question(question)
    assert asked is not None
    found = asked.match(said)
    assert (found.answer if found else None) == answer
