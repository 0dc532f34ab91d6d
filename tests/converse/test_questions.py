"""Reading the bot's question: generic wordings of each kind, and order summaries."""

from __future__ import annotations

import pytest

from converse.questions import Button, Question, classify, fold, named_products, summary_lines

NAMES = {
    "ECL-3000": "Éclipse 3000",
    "BAT-ECL3000": "Éclipse 3000 Spare Battery",
    "NOV-14": "Nova 14",
}


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("Could you give me your customer number or e-mail?", "identify"),
        ("What's your e-mail address?", "email"),
        ("Thanks. Please confirm your postcode.", "postcode"),
        ("And your zip code?", "postcode"),
        ("Great. Am I talking to Jane Doe?", "confirm_identity"),
        ("What's your full name?", "name"),
        ("Which phone number can we reach you on?", "phone"),
        ("What is the name of your company?", "company"),
        ("How many would you like?", "quantity"),
        ("When do you need it delivered?", "date"),
        ("When are you planning to buy?", "timeframe"),
        ("What budget do you have in mind?", "budget"),
        ("Which product are you interested in?", "product"),
        ("What would you like to order, and how many of each?", "product"),
        ("Is there anything else I can help you with?", "anything_else"),
        ("Hello! How can I help you today?", "open"),
        ("Here is your order: 1 x Nova 14. Shall I place it?", "confirm"),
        ("Is that correct?", "confirm"),
        ("It goes well with a bag. Would you like to add it?", "offer"),
        ("Sorry, did you mean one of these?", "did_you_mean"),
        ("What happened exactly?", "details"),
        ("How old is your current laptop?", "unknown"),
        ("What's your new postal address, with the postcode?", "address"),
        ("Thanks. What would you like me to do with that?", "open"),
        ("Your order is placed.", "none"),
    ],
)
def test_each_kind_of_question_is_recognised_in_plain_words(said, kind):
    assert classify([said]).kind == kind


def test_the_last_question_of_the_answer_is_the_one_asked():
    question = classify(
        ["Sorry, did you mean one of these?", "Thank you. And what's your postcode?"],
        [Button(title="Say hello", payload="/greet")],
    )

    assert question == Question(
        kind="postcode",
        text="And what's your postcode?",
        buttons=(Button(title="Say hello", payload="/greet"),),
        whole="Sorry, did you mean one of these?\nThank you. And what's your postcode?",
    )


def test_a_menu_without_a_question_is_a_choice_and_a_polite_request_is_a_question():
    menu = classify(["Pick one:"], [Button("A", "/a"), Button("B", "/b")])
    assert (menu.kind, menu.text) == ("choice", "Pick one:")
    assert classify(["Please type your e-mail address."]).kind == "email"
    assert classify(["Hello, I'm the assistant."]).kind == "none"
    assert classify([]).kind == "none"


def test_an_unknown_question_with_buttons_is_a_choice():
    question = classify(["How old is the laptop you use now?"], [Button("Older", "/x")])
    assert question.kind == "choice"


def test_fold_drops_accents_case_and_odd_spaces():
    assert fold("Éclipse\u00a03000 — L\u2019offre") == "eclipse 3000 — l'offre"


def test_a_summary_is_read_longest_name_first_with_either_sign():
    said = (
        "Here is your order: 1 \u00d7 Éclipse 3000, 2 x Éclipse 3000 Spare Battery, 3\u00d7Nova 14."
    )

    assert summary_lines(said, NAMES) == {"ECL-3000": 1, "BAT-ECL3000": 2, "NOV-14": 3}
    assert summary_lines("The Nova 14 costs 749,00 €.", NAMES) == {}


def test_a_trailing_anything_else_gives_way_to_the_real_question_before_it():
    said = ["How would you like us to contact you?", "Is there anything else I can help you with?"]

    assert classify(said).kind == "channel"
    assert (
        classify(["Done.", "Is there anything else I can help you with?"]).kind == "anything_else"
    )


def test_a_which_question_over_a_menu_is_a_choice():
    menu = [
        Button("Phone number", "/p"),
        Button("E-mail address", "/e"),
        Button("Postal address", "/a"),
    ]

    assert classify(
        ["Which detail would you like to update: phone, e-mail or address?"], menu
    ).kind == ("choice")


def test_named_products_reads_the_longest_names_first():
    assert named_products("Would you like to order the Éclipse 3000 Spare Battery?", NAMES) == {
        "BAT-ECL3000"
    }
    assert named_products("Nova 14 or Éclipse 3000?", NAMES) == {"NOV-14", "ECL-3000"}
