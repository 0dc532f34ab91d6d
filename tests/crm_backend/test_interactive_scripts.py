"""An interactive script once read: branches, the answer some words pick, objections."""

from __future__ import annotations

import textwrap

import pytest

from crm_backend.script_reader import parse_script

SCRIPT = textwrap.dedent(
    """\
    script: demo
    title: Demo offer
    offer: {en: A great offer., fr: Une belle offre.}
    objections:
      price:
        words:
          en: [expensive, afford]
          fr: [cher, moyens]
        answer: {en: It pays for itself., fr: Il se rembourse tout seul.}
      already_owns:
        words:
          en: [already have, already have one that works]
          fr: [déjà un, déjà un qui marche encore]
        answer: {en: Yours is old., fr: Le vôtre est ancien.}
    questions:
      - id: age
        ask:
          en: How old is it?
          fr: Quel âge a-t-il ?
        field: laptop_age
        options:
          - answer: {en: New, fr: Neuf}
            words: {en: [recent, one year], fr: [récent, un an]}
            points: 0
            next: end
          - answer: {en: Old, fr: Ancien}
            words: {en: [years, ancient], fr: [années, très vieux]}
            points: 30
      - id: use
        ask:
          en: What for?
          fr: Pour quoi faire ?
        options:
          - answer: {en: Work, fr: Le travail}
            points: 20
          - answer: {en: Nothing, fr: Rien}
            disqualifies: true
            next: budget
          - answer: {en: Play, fr: Le jeu}
            points: 5
            next: end
      - id: budget
        ask:
          en: Your budget?
          fr: Votre budget ?
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
    offer: {en: An offer., fr: Une offre.}
    questions:
      - id: budget
        ask:
          en: What budget do you have in mind?
          fr: Quel budget envisagez-vous ?
        options:
          - answer: {en: Under 1000 euros, fr: Moins de 1000 euros}
          - answer: {en: 1000 to 1500 euros, fr: De 1000 à 1500 euros}
          - answer: {en: Over 1500 euros, fr: Plus de 1500 euros}
      - id: age
        ask:
          en: How old is it?
          fr: Quel âge a-t-il ?
        options:
          - answer: {en: Less than two years, fr: Moins de deux ans}
          - answer: {en: Two to four years, fr: De deux à quatre ans}
          - answer: {en: More than four years, fr: Plus de quatre ans}
      - id: use
        ask:
          en: What for?
          fr: Pour quoi faire ?
        options:
          - answer: {en: Work and travel, fr: Le travail et les déplacements}
          - answer: {en: Studies, fr: Les études}
          - answer: {en: Home and leisure, fr: La maison et les loisirs}
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


def test_each_language_has_its_texts_and_its_words_and_keeps_the_reference_answer():
    script = parse_script(SCRIPT, name="demo")
    french = script.in_language("fr")
    age = french.first()

    assert (script.language, french.language) == ("en", "fr")
    assert (french.offer, age.ask) == ("Une belle offre.", "Quel âge a-t-il ?")
    assert french.in_language("en") is script
    assert script.in_language("es") is script  # a language it is not written in: the reference
    assert french.after(age, age.options[1]) == french.question("use")
    old = age.match("il a des annees")  # French words, with or without accents
    assert old is not None
    assert (old.answer, old.recorded) == ("Ancien", "Old")
    assert age.match("Ancien") == age.match("ANCIEN") == old
    assert age.match("years") is None  # the English words are not the French ones
    assert french.points() == script.points()
    assert french.knockouts() == script.knockouts() == {"use": frozenset({"nothing"})}


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("c'est trop cher", "price"),
        ("je n'ai pas les moyens", "price"),
        ("j'en ai déjà un qui marche encore", "already_owns"),
        ("j'en ai deja un qui marche encore", "already_owns"),
        ("that's too expensive", None),
        ("bonjour", None),
    ],
)
def test_a_french_objection_is_found_by_its_french_words(said, kind):
    found = parse_script(SCRIPT, name="demo").in_language("fr").objection(said)

    assert (found.kind if found else None) == kind
