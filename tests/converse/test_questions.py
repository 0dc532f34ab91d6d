"""Reading the bot's question: generic wordings of each kind, and order summaries."""

from __future__ import annotations

import pytest

from converse.questions import (
    Button,
    Question,
    classify,
    fold,
    named_products,
    proposed_deed,
    summary_lines,
)

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
        ("Thanks. What would you like me to do with that?", "action"),
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
        message="Thank you. And what's your postcode?",
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


@pytest.mark.parametrize(
    ("said", "deed"),
    [
        ("Here is your order: 2 x Nova 14. Total 1 498 €. Shall I place it?", "order"),
        ("Just to be sure: do you want me to place an order?", "order"),
        ("Just to be sure: do you want me to prepare a quote?", "quote"),
        (
            "Here is your quote Q-000017. Would you like me to turn it into an order?",
            "accept_quote",
        ),
        ("Do you want me to pass the cancellation of your order to an adviser?", "cancel"),
        ("Do you want me to take you off our lists and stop contacting you?", "do_not_contact"),
        ("Do you want me to change how and when we contact you?", "preference"),
        ("Shall I change your contact details?", "contact"),
        ("Shall I open a new account for you?", "account"),
        ("Is that right?", None),
    ],
)
def test_the_deed_a_yes_would_have_the_bot_do_is_read_from_its_words(said, deed):
    assert proposed_deed(classify([said])) == deed


def test_a_yes_or_no_to_a_deed_is_a_confirmation_whatever_its_words_name():
    # "how and when we contact you" names a channel; "prepare a quote" names no product.
    for said in (
        "Just to be sure: do you want me to change how and when we contact you?",
        "Just to be sure: do you want me to prepare a quote?",
        "Should I update the e-mail address we have for you?",
    ):
        assert classify([said], [Button("Yes", "/affirm"), Button("No", "/deny")]).kind == "confirm"


def test_what_to_do_with_what_the_customer_said_asks_for_a_deed():
    question = classify(["Thanks. What should I do with that? I can prepare a quote, for example."])
    assert question.kind == "action"


def test_a_line_after_the_question_saying_an_address_is_wanted_makes_it_an_e_mail_question():
    asked = classify(
        ["How can we get in touch with you? An e-mail address or a phone number works."]
    )
    plain = classify(
        ['How would you like us to contact you? For example: "by SMS" or "by e-mail".']
    )

    assert asked.kind == "email"
    assert plain.kind == "channel"


def test_a_menu_of_ranges_is_still_the_question_it_asks():
    ranges = [
        Button(t, f"/{i}") for i, t in enumerate(("Under 500 €", "500 to 900 €", "Over 900 €"))
    ]
    details = [Button(t, f"/{i}") for i, t in enumerate(("Phone", "E-mail", "Address"))]

    assert classify(["What budget do you have in mind?"], ranges).kind == "budget"
    assert classify(
        ["Which would you like to change: phone, e-mail or address?"], details
    ).kind == ("choice")
