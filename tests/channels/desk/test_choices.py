"""What the customer chose by a button reads as the button's title, never as its payload."""

from __future__ import annotations

import pytest

from channels.desk.choices import chosen

OFFERED = {
    "/affirm": "Yes",
    "/deny": "No",
    '/inform{"contact_field": "phone"}': "My phone number",
    "within a month": "within a month",
}


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("/affirm", "Yes"),
        ("  /deny\n", "No"),
        ('/inform{"contact_field": "phone"}', "My phone number"),
        # No button offered it: the intent in words, its entities' values after.
        ("/request_human", "Talk to a person"),
        ("/ask_product_info", "Ask product info"),
        ('/inform{"contact_field": "email"}', "Inform: email"),
        ('/inform{"script_answer": "Under_1000", "n": null}', "Inform: Under 1000"),
        ("/inform{not json", None),
        # Typed by the customer: as it is.
        ("within a month", "within a month"),
        ("yes please", None),
        ("/ hello", None),
        ("a/b", None),
    ],
)
def test_a_button_reads_as_its_title(text, shown):
    assert chosen(text, OFFERED) == shown


def test_the_latest_offer_of_a_payload_names_it():
    assert chosen("/affirm", {**OFFERED, "/affirm": "Yes, that's me"}) == "Yes, that's me"
