"""The answer picker: what the customer says to each question, and when it leaves."""

from __future__ import annotations

from converse.answers import Customer, Reply, goals_of, range_button, render
from converse.questions import Button, Question, classify
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


PHONE = {"AST-5G": "Astra 5G", "AST-CASE": "Astra Protective Case", "AST-BUDS": "Astra Buds"}


def shopper(goals: set[str], wants=None, **changes) -> Customer:
    return Customer(
        phrasing(**changes),
        wants=wants,
        buying="order" in goals,
        names={**NAMES, **PHONE},
        goals=frozenset(goals),
    )


def test_asked_to_say_yes_to_a_deed_its_goal_is_not_the_customer_says_no():
    # It came to turn its quote down: an order of that quote's lines is not what it wants.
    declining = shopper({"reject_quote"})
    summary = "Here is your order: 1 x Nova 14. Total 749 €. Shall I place it?"

    reply = declining.reply(classify([summary], YES_NO))

    assert reply is not None
    assert reply.kind == "refuse"
    assert reply.text.startswith("no")
    assert shopper({"order"}, wants={"NOV-14": 1}).reply(classify([summary], YES_NO)).kind == (
        "confirm"
    )


def test_a_refusal_with_something_left_to_say_says_it():
    customer = shopper({"reject_quote"}, then=("I decline quote {customer_number}",))

    reply = customer.reply(classify(["Do you want me to turn your quote into an order?"]))

    assert reply == Reply(text="no, I decline quote C-100001", kind="refuse: next line")


def test_a_deed_the_scenario_allows_beside_its_goal_gets_a_yes():
    question = classify(["Just to be sure: do you want me to change how and when we contact you?"])
    lead = shopper({"lead"})
    allowed = Customer(phrasing(), goals=frozenset({"lead"}), allowed=frozenset({"preference"}))

    assert lead.reply(question).kind == "refuse"
    assert allowed.reply(question).kind == "confirm"


def test_asked_what_to_do_with_what_it_said_the_customer_names_the_deed_it_came_for():
    question = classify(["Thanks. What would you like me to do with that?"])

    assert shopper({"order", "account"}).reply(question).text == "I'd like to order that"
    assert shopper({"quote"}).reply(question).text == "I'd like a quote for that"


def test_a_menu_of_ranges_gets_the_button_holding_the_persona_s_amount():
    ranges = [Button(t, f"/r{i}") for i, t in enumerate(("Under 1000 euros", "1000 to 1500 euros"))]
    customer = shopper({"lead"}, answers={"choice": ("go ahead",)})

    reply = customer.reply(classify(["What budget do you have in mind?"], ranges))

    assert reply == Reply(text="/r1", kind="budget", shown="[1000 to 1500 euros]")
    assert range_button("about 800", ranges) == ranges[0]
    assert range_button("no idea", ranges) is None


def test_choice_answers_are_clicked_never_typed_to_a_menu_they_name_nothing_of():
    customer = shopper({"lead"}, answers={"choice": ("go ahead", "More than four")})
    menu = [Button("Work", "/w"), Button("Studies", "/s"), Button("Home", "/h")]

    reply = customer.reply(classify(["What do you use it for?"], menu))

    assert reply is not None
    assert reply.text in {"/w", "/s", "/h"}


def test_an_offer_to_order_its_product_with_accessories_gets_a_yes_with_those_it_wants():
    offer = classify(
        [
            "It goes well with: Astra Protective Case, 19,90 €; Astra Buds, 99,00 €. "
            "Would you like to order, with or without them?"
        ]
    )
    both = shopper({"order"}, wants={"AST-5G": 1, "AST-CASE": 1})
    talking = shopper({"order"}, wants={"AST-5G": 1, "AST-CASE": 1}, then=("Is it waterproof?",))

    assert both.reply(offer) == Reply(text="yes, with the Astra Protective Case", kind="confirm")
    assert talking.reply(offer).text == "Is it waterproof?"


def test_a_did_you_mean_menu_gets_the_button_of_its_goal_once():
    menu = [Button("Give feedback", "/feedback"), Button("Make a complaint", "/complain")]
    customer = shopper({"complaint", "handoff"}, opening="the keyboard is broken")
    customer.opening()
    question = classify(["Sorry, did you mean one of these?"], menu)

    assert customer.reply(question) == Reply(
        text="/complain", kind="goal", shown="[Make a complaint]"
    )
    assert customer.reply(question).kind == "did_you_mean: says it plainly"


def test_told_its_wish_is_done_the_customer_says_that_is_all_then_leaves():
    customer = shopper({"feedback"}, opening="the delivery was fast")
    customer.opening()

    done = customer.reply(
        classify(["Thank you for your feedback. I've recorded it.", "Anything else I can do?"])
    )

    assert done is not None
    assert done.kind == "done"
    assert customer.reply(classify(["Thank you for contacting us. Goodbye!"])) is None


def test_misunderstood_about_products_it_says_its_own_line_again_never_the_catalog_names():
    """Restated as "2 Nova 14 and 1 Éclipse 2000" the wish would do the bot's work for it."""
    customer = shopper({"order"}, wants={"NOV-14": 2, "ECL-2000": 1}, opening="the cheaper ones")
    customer.opening()
    lost = classify(["Sorry, I didn't get that. How can I help?"])

    again = customer.reply(lost)

    assert again == Reply(text="the cheaper ones", kind="open: says it again")
    assert customer.reply(classify(["Sorry? What can I do for you?"])) is None


def test_misunderstood_about_a_person_it_says_so_plainly_then_leaves():
    customer = shopper({"handoff"}, opening="this is going nowhere")
    customer.opening()

    plain = customer.reply(classify(["Sorry, I didn't get that. How can I help?"]))

    assert plain is not None
    assert plain.kind == "open: says it plainly"
    assert customer.reply(classify(["Sorry? What can I do for you?"])) is None


def test_a_customer_who_said_goodbye_does_not_say_it_again():
    customer = shopper(set(), opening="hi", then=("Thanks, have a nice day!",))
    customer.opening()

    assert customer.reply(classify(["The Nova 14 costs 749 €."])).kind == "none: next line"
    assert customer.reply(classify(["You're welcome!"])) is None


def test_goals_are_read_from_the_expectations():
    assert goals_of([("order", {"lines": {}, "from_quote": "Q-1"})], "order") == {
        "order",
        "accept_quote",
    }
    assert goals_of([("quote_status", {"status": "rejected"})], "quote_status") == {"reject_quote"}
    assert goals_of([("handoff", {"reason": ["complaint"]})], "complaint") == {
        "handoff",
        "complaint",
    }
    assert goals_of([("consent", {"channel": "sms"})], "do_not_contact") == {"preference"}
    assert goals_of([("told", {})], "product_info") == {"product_info"}
    # Asking where its quote stands, with nothing to write, is the goal itself.
    assert goals_of([("told", {})], "quote_status") == {"quote_status"}


def test_a_quote_menu_gets_the_button_about_its_quote_by_what_it_means_to_do_with_it():
    menu = [
        Button("My quote", "/q"),
        Button("Order from my quote", "/o"),
        Button("Get a quote", "/g"),
    ]
    question = classify(["Sorry, did you mean one of these?"], menu)

    assert shopper({"reject_quote"}).reply(question).shown == "[My quote]"
    assert shopper({"accept_quote", "order"}).reply(question).shown == "[Order from my quote]"
    assert shopper({"quote_status"}).reply(question).shown == "[My quote]"


def test_a_new_person_asked_for_its_account_says_it_has_none():
    new = Persona(account=None, facts={"first_name": "Lucy", "last_name": "Hart"})
    customer = Customer(phrasing(persona=new), index=1)

    assert customer.reply(ask("identify", "Which account?")).text == "i don't have an account"
