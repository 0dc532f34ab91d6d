"""The answer picker: what the customer says to each question, and when it leaves."""

from __future__ import annotations

from converse.answers import Customer, Reply, render
from converse.questions import Button, Question
from converse.scenario import Persona, Phrasing

PIERRE = {
    "first_name": "Pierre",
    "last_name": "Moreau",
    "email": "pierre.moreau@example.fr",
    "postcode": "69002",
    "customer_number": "C-100001",
    "phone": "+33612345678",
    "city": "Lyon",
}
NAMES = {"ECL-3000": "Éclipse 3000", "ECL-2000": "Éclipse 2000", "NOV-14": "Nova 14"}
YES_NO = (Button("Yes, place the order", "/affirm"), Button("No", "/deny"))


def phrasing(**changes) -> Phrasing:
    values = {
        "opening": "hi",
        "then": (),
        "answers": {},
        "identify_with": "email",
        "clicks": False,
        "persona": Persona(account="C-100001", facts=PIERRE),
    }
    values.update(changes)
    return Phrasing(**values)


def ask(kind: str, text: str = "?", buttons=(), whole: str = "") -> Question:
    return Question(kind=kind, text=text, buttons=tuple(buttons), whole=whole or text)


def test_the_customer_opens_with_its_first_message_and_answers_who_it_is():
    customer = Customer(phrasing(opening="Hello, {first_name} here"))

    assert customer.opening() == Reply(text="Hello, Pierre here", kind="opening")
    assert customer.reply(ask("identify", "Who?")) == Reply(text=PIERRE["email"], kind="identify")
    assert customer.reply(ask("postcode", "Postcode?")) == Reply(text="69002", kind="postcode")
    assert customer.reply(ask("confirm_identity", "You?")) == Reply(
        text="yes", kind="confirm_identity"
    )


def test_the_way_of_identifying_follows_the_phrasing():
    by_number = Customer(phrasing(identify_with="customer_number"), index=1)
    by_name = Customer(phrasing(identify_with="name"), index=0)

    assert by_number.reply(ask("identify")).text == "my customer number is C-100001"
    assert by_name.reply(ask("identify")).text == "Pierre Moreau"


def test_default_answers_rotate_with_the_phrasing_and_the_times_asked():
    first, second = Customer(phrasing(), index=0), Customer(phrasing(), index=1)

    assert [first.reply(ask("postcode", f"postcode {i}?")).text for i in range(2)] == [
        "69002",
        "my postcode is 69002",
    ]
    assert second.reply(ask("postcode")).text == "my postcode is 69002"


def test_a_scenarios_own_answers_come_in_order_then_the_last_one_again():
    customer = Customer(
        phrasing(answers={"postcode": ("six nine zero zero two", "69002")}), index=2
    )

    said = [customer.reply(ask("postcode", text=f"postcode {i}?")).text for i in range(3)]

    assert said == ["six nine zero zero two", "69002", "69002"]


def test_when_the_bot_hands_over_the_floor_the_customer_says_its_next_line_then_again_then_leaves():
    customer = Customer(phrasing(opening="hi", then=("one Nova 14", "and a mouse")))
    customer.opening()

    assert customer.reply(ask("open", "How can I help?")) == Reply(
        text="one Nova 14", kind="open: next line"
    )
    assert customer.reply(ask("anything_else", "Anything else?")).text == "and a mouse"
    assert customer.reply(ask("none", "Done.")) == Reply(
        text="and a mouse", kind="none: says it again"
    )
    assert customer.reply(ask("open", "What else?")) is None


def test_a_suggestion_gives_way_to_what_the_customer_came_to_say():
    customer = Customer(phrasing(then=("I'll take both",)))

    assert customer.reply(ask("offer", "Would you like details?")).text == "I'll take both"
    assert customer.reply(ask("offer", "Would you like a bag too?")).text == "no thanks"


def test_the_customer_refuses_a_summary_that_is_not_what_it_wants():
    wants = {"ECL-2000": 1, "NOV-14": 1}
    customer = Customer(phrasing(), wants=wants, names=NAMES)
    wrong = "Here is your order: 1 \u00d7 Éclipse 3000. Shall I place it?"
    right = "Here is your order: 1 \u00d7 Nova 14, 1 \u00d7 Éclipse 2000. Shall I place it?"

    assert customer.reply(ask("confirm", "Shall I place it?", YES_NO, wrong)) == Reply(
        text="no, that's not what I asked for", kind="wrong"
    )
    assert customer.reply(ask("confirm", "Shall I place it?", YES_NO, right)) == Reply(
        text="yes", kind="confirm"
    )


def test_a_clicking_customer_sends_the_payload_of_the_button_it_means():
    customer = Customer(phrasing(clicks=True))

    assert customer.reply(ask("confirm", "Shall I place it?", YES_NO)) == Reply(
        text="/affirm", kind="confirm", shown="[Yes, place the order]"
    )


def test_the_buttons_a_scenario_names_are_clicked_whatever_the_question():
    buttons = (Button("Less than two years", "/a"), Button("More than four years", "/b"))
    customer = Customer(phrasing(answers={"choice": ("more than four",)}))

    assert customer.reply(ask("budget", "How old is it?", buttons)) == Reply(
        text="/b", kind="choice", shown="[More than four years]"
    )


def test_a_menu_with_nothing_left_to_say_gets_a_button_in_turn():
    buttons = (Button("A", "/a"), Button("B", "/b"))
    customer = Customer(phrasing(), index=1)

    assert customer.reply(ask("choice", "Pick one", buttons)).text == "/b"
    assert customer.reply(ask("choice", "Pick another", buttons)).text == "/a"


def test_asked_the_same_thing_three_times_running_the_customer_leaves():
    customer = Customer(phrasing())

    assert customer.reply(ask("postcode", "Your postcode?")) is not None
    assert customer.reply(ask("postcode", "Your postcode?")) is not None
    assert customer.reply(ask("postcode", "Your postcode?")) is None


def test_an_answer_needing_a_fact_the_persona_lacks_is_skipped():
    customer = Customer(phrasing(answers={"company": ("{company}", "no company, just me")}))

    assert render("{company}", PIERRE) is None
    assert customer.reply(ask("company")).text == "no company, just me"


def test_an_offer_to_order_what_it_came_to_buy_is_a_yes_and_anything_else_a_no():
    customer = Customer(phrasing(), wants={"NOV-14": 1}, buying=True, names=NAMES)

    assert customer.reply(ask("offer", "Would you like to order the Nova 14?")).text == "yes"
    assert customer.reply(ask("offer", "Would you like to order the Éclipse 3000?")).text == (
        "no thanks"
    )
    quoting = Customer(phrasing(), wants={"NOV-14": 1}, buying=False, names=NAMES)
    assert quoting.reply(ask("offer", "Would you like to order the Nova 14?")).text == "no thanks"
