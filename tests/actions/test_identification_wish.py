"""action_read_details: details given once identified, products to buy start the order."""

from __future__ import annotations

from rasa_sdk.events import FollowupAction

from actions.identification_wish import ActionReadDetails
from tests.actions.trackers import entity, tracker


async def test_products_given_once_identified_start_the_order(dispatcher):
    said = tracker(
        slots={"identity_status": "verified"},
        intent="inform",
        text="four nova 14 and a mouse",
        entities=[
            entity("quantity", "4"),
            entity("product", "NOV-14"),
            entity("product", "MOUSE-WL"),
        ],
    )
    assert await ActionReadDetails().run(dispatcher, said, {}) == [FollowupAction("order_form")]
    assert dispatcher.messages == []


async def test_other_details_ask_what_to_do_with_them(dispatcher):
    said = tracker(
        slots={"identity_status": "verified"},
        intent="inform",
        text="0698765432",
        entities=[entity("phone", "0698765432")],
    )
    assert await ActionReadDetails().run(dispatcher, said, {}) == []
