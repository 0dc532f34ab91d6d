"""The reference example of PROCESSES.md, action by action, as Rasa would run them.

Pierre Moreau gives his e-mail, is checked with his postcode and confirms,
asks about the Éclipse 3000, hears of the bag and the battery, orders the
laptop and the bag, gives a new phone number and says goodbye. The same with
his trusted caller number, which only picks him: the postcode still confirms;
and a stranger with his e-mail, who learns nothing.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionCloseInteraction, ActionSessionStart
from actions.follow_up import ActionUpdateContact, ValidateContactForm
from actions.identification import ValidateIdentifyForm
from actions.identification_context import ActionGiveAccountContext
from actions.orders import ActionPlaceOrder
from actions.orders_form import ValidateOrderForm
from actions.products import ActionProductInfo, ActionProposeAccessories
from crm_backend.models import ActivityKind
from crm_backend.services import accounts, orders
from crm_backend.uow import SqlAlchemyUnitOfWork
from tests.actions.trackers import CALL_START, SENDER, entity

PIERRE_FACTS = ("Pierre", "Moreau", "C-100001", "69002", "Lumio", "SO-")


class Conversation:
    """Slots and events as Rasa keeps them; actions run on trackers made from them."""

    def __init__(self, domain: dict[str, Any], metadata: dict[str, Any]) -> None:
        self.domain = domain
        self.slots: dict[str, Any] = {"channel": "web", "session_started_metadata": metadata}
        self.events: list[dict[str, Any]] = []
        self.latest: dict[str, Any] = {}
        self.active_loop: str | None = None
        self.said: list[Any] = []  # every value any action set, to check what was revealed
        self.clock = 1_772_442_000.0

    def tracker(self) -> Tracker:
        return Tracker(
            SENDER,
            dict(self.slots),
            self.latest,
            list(self.events),
            False,
            None,
            {"name": self.active_loop} if self.active_loop else {},
            "action_listen",
        )

    def user(self, text, intent, entities=(), **filled):
        self.clock += 30
        self.latest = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": list(entities),
        }
        self.events.append(
            {"event": "user", "timestamp": self.clock, "text": text, "parse_data": self.latest}
        )
        for name, value in filled.items():  # what Rasa's slot mappings fill
            self.set(name, value)

    def set(self, name, value):
        self.slots[name] = value
        self.events.append({"event": "slot", "name": name, "value": value})

    async def run(self, action):
        dispatcher = CollectingDispatcher()
        result = await action.run(dispatcher, self.tracker(), self.domain)
        assert dispatcher.messages == []
        for event in result:
            if event["event"] == "slot":
                self.slots[event["name"]] = event["value"]
                self.said.append(event["value"])
            elif event["event"] == "active_loop":
                self.active_loop = event["name"]
        self.events += result
        name = action.name()
        self.events.append({"event": "action", "name": name})
        return {e["name"]: e["value"] for e in result if e["event"] == "slot"}


async def identify_pierre_by_email(talk):
    talk.user(
        "my email is pierre.moreau@example.fr",
        "inform",
        [entity("email", "pierre.moreau@example.fr")],
        identity_key="pierre.moreau@example.fr",
    )
    talk.active_loop = "identify_form"
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] == "verification_answer"
    talk.user("69002", "inform", [entity("postcode", "69002")], verification_answer="69002")
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] == "identity_confirmed"
    assert talk.slots["candidate_name"] == "Pierre Moreau"


async def confirm_and_buy(talk, pierre_id):
    talk.user("yes", "affirm", identity_confirmed=True)
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] is None
    talk.active_loop = None
    assert (await talk.run(ActionGiveAccountContext()))["identity_status"] == "verified"
    assert talk.slots["account_id"] == str(pierre_id)

    product = entity("product", "ECL-3000")
    talk.user("Tell me about the Éclipse 3000", "ask_product_info", [product])
    assert (await talk.run(ActionProductInfo()))["result"] == "product_info"
    proposed = await talk.run(ActionProposeAccessories())
    assert proposed["proposed_products"] == ["BAG-ECL", "BAT-ECL3000"]

    bag = entity("product", "BAG-ECL")
    bag.update(start=40, end=50)
    talk.user(
        "I'd like to order the Éclipse 3000 and the laptop bag", "place_order", [product, bag]
    )
    talk.active_loop = "order_form"
    talk.set("requested_slot", None)
    shown = await talk.run(ValidateOrderForm())
    assert shown["order_lines"] == [
        {"sku": "ECL-3000", "quantity": 1},
        {"sku": "BAG-ECL", "quantity": 1},
    ]
    talk.set("requested_slot", "order_confirmed")
    talk.user("yes", "affirm", order_confirmed=True)
    await talk.run(ValidateOrderForm())
    talk.active_loop = None
    assert (await talk.run(ActionPlaceOrder()))["result"] == "order_placed"

    phone = entity("phone", "+33698765432")
    talk.user("My new phone number is +33698765432", "update_contact", [phone])
    talk.active_loop = "contact_form"
    talk.set("requested_slot", None)
    talk.set("contact_value", "+33698765432")
    await talk.run(ValidateContactForm())
    talk.active_loop = None
    assert (await talk.run(ActionUpdateContact()))["result"] == "contact_updated"

    talk.user("no, that's all", "deny")
    assert (await talk.run(ActionCloseInteraction()))["result"] == "goodbye_after_order"


def crm_after(crm, account_id):
    with SqlAlchemyUnitOfWork(crm) as uow:
        account = accounts.get_account(uow, account_id=account_id)
        new = [
            o for o in orders.orders_for(uow, account_id=account_id) if o.created_at == CALL_START
        ]
        surveys = [
            a.order_id
            for a in uow.activities.list_by(account_id=account_id)
            if a.kind == ActivityKind.SURVEY_CALL
        ]
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        return {
            "orders": [[(li.product.sku, li.quantity) for li in o.lines] for o in new],
            "primary_phone": account.primary_phone,
            "surveys_for_new_order": surveys == [o.id for o in new],
            "interaction": (
                interaction.account_id,
                interaction.identity_confirmed,
                interaction.order_id == new[0].id if new else None,
                interaction.outcome,
                interaction.ended_at is not None,
            ),
        }


EXPECTED = {
    "orders": [[("ECL-3000", 1), ("BAG-ECL", 1)]],
    "primary_phone": "+33698765432",
    "surveys_for_new_order": True,
}


async def test_pierre_identified_by_email_buys_the_eclipse_and_its_bag(crm, pierre, domain):
    talk = Conversation(domain, {"channel": "web"})
    await talk.run(ActionSessionStart())
    await identify_pierre_by_email(talk)
    await confirm_and_buy(talk, pierre.id)
    assert crm_after(crm, pierre.id) == {
        **EXPECTED,
        "interaction": (pierre.id, True, True, "order_placed", True),
    }


async def test_pierre_calling_from_his_number_gives_his_postcode_then_confirms(crm, pierre, domain):
    talk = Conversation(domain, {"channel": "voice", "caller_phone": "+33612345678"})
    started = await talk.run(ActionSessionStart())
    assert (started["caller_known"], started.get("candidate_name")) == (True, None)
    talk.user("Hello", "greet")
    talk.active_loop = "identify_form"
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] == "verification_answer"
    # Nothing of Pierre's was said before the postcode: the number only picked him.
    assert [v for v in map(str, talk.said) if any(f in v for f in PIERRE_FACTS)] == []
    talk.user("69002", "inform", [entity("postcode", "69002")], verification_answer="69002")
    checked = await talk.run(ValidateIdentifyForm())
    assert (checked["candidate_name"], checked["requested_slot"]) == (
        "Pierre Moreau",
        "identity_confirmed",
    )
    await confirm_and_buy(talk, pierre.id)
    assert crm_after(crm, pierre.id) == {
        **EXPECTED,
        "interaction": (pierre.id, True, True, "order_placed", True),
    }


async def test_a_stranger_with_pierres_email_learns_nothing(crm, pierre, domain):
    talk = Conversation(domain, {"channel": "web"})
    await talk.run(ActionSessionStart())
    talk.user(
        "my email is pierre.moreau@example.fr",
        "inform",
        [entity("email", "pierre.moreau@example.fr")],
        identity_key="pierre.moreau@example.fr",
    )
    talk.active_loop = "identify_form"
    await talk.run(ValidateIdentifyForm())
    talk.user("75001", "inform", [entity("postcode", "75001")], verification_answer="75001")
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] == "identity_key"
    talk.user("0612345678", "inform", [entity("phone", "0612345678")], identity_key="0612345678")
    await talk.run(ValidateIdentifyForm())
    talk.user("13001", "inform", [entity("postcode", "13001")], verification_answer="13001")
    assert (await talk.run(ValidateIdentifyForm()))["requested_slot"] is None
    talk.active_loop = None
    context = await talk.run(ActionGiveAccountContext())
    assert context == {"identity_status": "failed", "result": "identity_failed"}

    shown = [str(v) for v in talk.said if v is not None]
    # Only the candidate's id, never shown, is kept between the turns; nothing else of his.
    assert [v for v in shown if any(fact in v for fact in PIERRE_FACTS)] == []
    assert talk.slots.get("account_id") is None
    with SqlAlchemyUnitOfWork(crm) as uow:
        [interaction] = uow.interactions.list_by(conversation_id=SENDER)
        assert (interaction.account_id, interaction.identity_confirmed) == (None, False)
