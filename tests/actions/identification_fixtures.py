"""What the tests of validate_identify_form share: the form, its validator, the slots
an identification sets or clears."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.identification import ValidateIdentifyForm
from tests.actions.trackers import form_tracker

FORM = "identify_form"


def CONFIRMED(pierre):
    return [
        SlotSet("identity_confirmed", True),
        SlotSet("account_id", str(pierre.id)),
        SlotSet("customer_name", "Pierre Moreau"),
        SlotSet("customer_number", "C-100001"),
        SlotSet("requested_slot", None),
    ]


CLEARED = [
    SlotSet("identity_key", None),
    SlotSet("lookup_postcode", None),
    SlotSet("verification_answer", None),
    SlotSet("identity_confirmed", None),
    SlotSet("verification_kind", None),
    SlotSet("identified_by", None),
    SlotSet("account_candidate_id", None),
    SlotSet("candidate_name", None),
]


async def validate(dispatcher, domain, **kwargs):
    return await ValidateIdentifyForm().run(dispatcher, form_tracker(FORM, **kwargs), domain)


def after_email(account_id, email="pierre.moreau@example.fr"):
    return {
        "identity_key": email,
        "identified_by": "email",
        "verification_kind": "postcode",
        "account_candidate_id": account_id,
    }


# --- Pierre by e-mail, postcode, confirmation ---------------------------------------
