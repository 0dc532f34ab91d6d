"""action_read_details: details given once identified, products to buy start the order."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction, SlotSet

from actions.identification_wish import ActionReadDetails
from tests.actions.trackers import entity, tracker, user_event


def products_given(**slots):
    return tracker(
        slots={"identity_status": "verified", **slots},
        intent="inform",
        text="four nova 14 and a mouse",
        entities=[
            entity("quantity", "4"),
            entity("product", "NOV-14"),
            entity("product", "MOUSE-WL"),
        ],
    )


async def test_products_given_after_an_order_request_start_the_order(dispatcher):
    said = products_given(pending_task="order")
    assert await ActionReadDetails().run(dispatcher, said, {}) == [FollowupAction("order_form")]
    assert dispatcher.messages == []


async def test_products_given_after_a_quote_request_start_the_quote(dispatcher):
    said = products_given(pending_task="quote")
    assert await ActionReadDetails().run(dispatcher, said, {}) == [FollowupAction("quote_form")]


async def test_products_given_with_no_request_ask_whether_to_order(dispatcher):
    said = products_given(pending_task="order_status", write_questions={"place_order": "order"})
    assert await ActionReadDetails().run(dispatcher, said, {}) == [
        SlotSet("suggestion_1", "place_order"),
        SlotSet("write_question", "order"),
        FollowupAction("utter_confirm_write"),
    ]


QUESTIONS = {"place_order": "order", "update_contact": "change your contact details"}


async def test_other_details_ask_what_to_do_with_them(dispatcher):
    said = tracker(
        slots={"identity_status": "verified", "write_questions": QUESTIONS},
        intent="inform",
        text="69002",
        entities=[entity("postcode", "69002")],
    )
    assert await ActionReadDetails().run(dispatcher, said, {}) == []


async def test_a_new_address_or_number_is_asked_about_as_a_contact_change(dispatcher):
    # Said just after an e-mail was changed: "sorry typo, its ... not .con".
    said = tracker(
        slots={"identity_status": "verified", "write_questions": QUESTIONS},
        intent="inform",
        text="sorry typo, its p.moreau69@example.com not .con",
        entities=[entity("email", "p.moreau69@example.com")],
    )
    assert await ActionReadDetails().run(dispatcher, said, {}) == [
        SlotSet("suggestion_1", "update_contact"),
        SlotSet("write_question", "change your contact details"),
        FollowupAction("utter_confirm_write"),
    ]


async def test_products_given_again_after_the_order_was_placed_are_asked_about(dispatcher):
    said = products_given(pending_task="order", write_questions={"place_order": "order"})
    said.events.insert(0, {"event": "slot", "name": "result", "value": "order_placed"})
    events = await ActionReadDetails().run(dispatcher, said, {})
    assert events[-1] == FollowupAction("utter_confirm_write")


async def test_products_given_after_talk_of_an_offer_start_the_quote(dispatcher):
    said = products_given(pending_task="order")
    said.events.insert(0, user_event("could you send me an offer for our office?"))
    assert await ActionReadDetails().run(dispatcher, said, {}) == [FollowupAction("quote_form")]


async def test_the_campaigns_offer_is_no_quote_request(dispatcher):
    said = products_given(pending_task="order")
    said.events.insert(0, user_event("I saw your offer on the eclipse 3000"))
    assert await ActionReadDetails().run(dispatcher, said, {}) == [FollowupAction("order_form")]
