"""The judge against a seeded CRM: rows written as the bot's services write them."""

from __future__ import annotations

from pathlib import Path

from converse.crm import Snapshot, catalog, diff, persona_facts, snapshot
from converse.outcomes import Context, Verdict, judge
from converse.scenario import Expectation, Scenario
from crm_backend.models import QuoteStatus
from crm_backend.opening_hours import OpeningHours
from crm_backend.services import accounts, consent, follow_up, handoff, leads, orders, quotes
from crm_backend.services.pricing import LineRequest
from crm_backend.settings import HandoffSettings

from .conftest import Crm

PIERRE = 1  # C-100001, the seed's first account
CONVERSATION = "Zx81-chat.tag"


def scenario(*expect: Expectation, may: tuple[Expectation, ...] = ()) -> Scenario:
    return Scenario(
        name="s", process="order", goal="g", path=Path("s.yml"), max_turns=14,
        phrasings=(), expect=expect, may=may,
    )  # fmt: skip


def expect(kind: str, **fields) -> Expectation:
    return Expectation(kind=kind, fields=fields)


def verdict(crm: Crm, before: Snapshot, story: Scenario, facts=None, said=(), new=False) -> Verdict:
    context = Context(
        facts=facts if facts is not None else persona_facts(crm.sessions, "C-100001"),
        conversation_id=CONVERSATION,
        catalog=catalog(crm.sessions),
        said=said,
        new_person=new,
    )
    return judge(story, diff(before, snapshot(crm.engine)), context)


def place(crm: Crm, key: str, *lines: tuple[str, int], quote: str | None = None) -> int:
    with crm.uow() as uow:
        order = orders.place_order(
            uow,
            account_id=PIERRE,
            idempotency_key=key,
            lines=[LineRequest(sku=s, quantity=q) for s, q in lines] if lines else None,
            quote_number=quote,
            identity_confirmed=True,
        )
        follow_up.schedule_satisfaction_survey(uow, account_id=PIERRE, order_id=order.id)
        uow.commit()
        return order.id


def test_an_order_claims_its_lines_history_outbox_and_survey_call(crm):
    before = snapshot(crm.engine)
    place(crm, "k1", ("ECL-3000", 1), ("BAG-ECL", 1))

    result = verdict(crm, before, scenario(expect("order", lines={"ECL-3000": 1, "BAG-ECL": 1})))

    assert [(c.met, c.why) for c in result.checks] == [(True, "")]
    assert result.unwanted == ()
    assert result.success


def test_an_order_with_other_lines_is_no_success_and_its_rows_are_unwanted(crm):
    before = snapshot(crm.engine)
    place(crm, "k1", ("ECL-3000", 1))

    result = verdict(crm, before, scenario(expect("order", lines={"ECL-2000": 1, "NOV-14": 1})))

    assert not result.goal_met
    assert "orders of this run: SO-" in result.checks[0].why
    assert "{'ECL-3000': 1}" in result.checks[0].why
    assert {c.table for c in result.unwanted} == {
        "sales_orders", "order_lines", "order_status_changes", "outbox", "activities",
    }  # fmt: skip


def test_the_goal_met_with_one_more_write_is_no_success(crm):
    before = snapshot(crm.engine)
    place(crm, "k1", ("NOV-14", 1))
    with crm.uow() as uow:
        accounts.record_preference(
            uow, account_id=PIERRE, key="contact_time", value="evenings", source="bot"
        )
        uow.commit()

    result = verdict(crm, before, scenario(expect("order", lines={"NOV-14": 1})))

    assert result.goal_met
    assert not result.success
    assert [(c.table, c.kind) for c in result.unwanted] == [("preferences", "added")]


def test_a_new_phone_claims_the_number_and_the_primary_flag_moved_off_the_old_one(crm):
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        accounts.update_phone(uow, account_id=PIERRE, phone="06 98 76 54 32")
        uow.commit()

    result = verdict(crm, before, scenario(expect("contact", phone="+33698765432")))

    assert result.success
    assert {(c.table, c.kind) for c in diff(before, snapshot(crm.engine))} == {
        ("phones", "added"),
        ("phones", "changed"),
    }


def test_columns_of_one_row_are_claimed_apart(crm):
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        consent.set_do_not_contact(uow, account_id=PIERRE, source="bot")
        accounts.update_address(uow, account_id=PIERRE, postcode="44000", city="Nantes")
        uow.commit()

    result = verdict(crm, before, scenario(expect("do_not_contact")))

    assert result.goal_met
    assert [(c.table, c.columns) for c in result.unwanted] == [("accounts", ("postcode", "city"))]
    both = verdict(
        crm, before, scenario(expect("do_not_contact"), expect("contact", postcode="44000"))
    )
    assert both.success


def test_a_new_person_is_found_by_e_mail_and_owns_the_lead(crm):
    facts = {"first_name": "Léa", "last_name": "Fontaine", "email": "lea.fontaine@example.org"}
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        account = accounts.create_account(
            uow, first_name="Léa", last_name="Fontaine", email="Lea.Fontaine@example.org",
            postcode="75010",
        )  # fmt: skip
        leads.create_lead(uow, account_id=account.id, source_channel="web", product_sku="ZEN-PRO")
        uow.commit()
    story = scenario(
        expect("account", first_name="{first_name}", last_name="{last_name}", email="{email}"),
        expect("lead", product="ZEN-PRO"),
    )

    assert verdict(crm, before, story, facts=facts, new=True).success
    wrong = scenario(expect("account", first_name="Lea", last_name="Fontaine", postcode="75011"))
    differs = verdict(crm, before, wrong, facts=facts, new=True)
    assert differs.checks[0].why == "the new account differs: postcode is '75010'"
    # The customer cannot see that: as far as it can tell, its account is open.
    assert differs.checks[0].hidden
    assert differs.looks_done
    assert not differs.goal_met
    assert {c.table for c in differs.unwanted} == {"accounts", "emails", "leads"}


def test_nothing_written_for_a_new_person_fails_every_row_expectation(crm):
    facts = {"first_name": "Tom", "last_name": "Walsh", "email": "tom@example.co.uk"}
    result = verdict(crm, snapshot(crm.engine), scenario(expect("lead")), facts=facts, new=True)

    assert result.checks[0].why == "no account for the persona (none was created)"
    assert not result.looks_done


def test_an_accepted_quote_and_its_order(crm):
    with crm.uow() as uow:
        number = quotes.create_quote(
            uow, account_id=PIERRE, lines=[LineRequest(sku="ZEN-PRO", quantity=1)]
        ).number
        uow.commit()
    facts = persona_facts(crm.sessions, "C-100001")
    before = snapshot(crm.engine)
    place(crm, "k2", quote=number)  # an order from a quote accepts it
    story = scenario(
        expect("quote_status", status="accepted"),
        expect("order", lines={"ZEN-PRO": 1}, from_quote="{open_quote}"),
    )

    assert facts["open_quote"] == number
    assert verdict(crm, before, story, facts=facts).success


def test_feedback_claims_the_words_not_a_status_changed_beside_them(crm):
    facts = persona_facts(crm.sessions, "C-100005")  # holds the open quote Q-000001
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        quotes.record_quote_feedback(
            uow, number=facts["open_quote"], feedback="Too expensive", decision=QuoteStatus.REJECTED
        )
        uow.commit()

    result = verdict(crm, before, scenario(expect("feedback", words=["expensive"])), facts=facts)

    assert result.goal_met
    assert [(c.table, c.columns) for c in result.unwanted] == [("quotes", ("status",))]
    decided = scenario(
        expect("feedback", words=["expensive"]), expect("quote_status", status="rejected")
    )
    assert verdict(crm, before, decided, facts=facts).success


def test_a_handoff_is_this_conversations_and_its_interaction_is_bookkeeping(crm):
    settings = HandoffSettings(hours=OpeningHours.parse("mon-sun 00:00-24:00"))
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        handoff.request_handoff(
            uow, conversation_id=f"web-{CONVERSATION}", channel="web", reason="complaint",
            settings=settings, account_id=PIERRE,
        )  # fmt: skip
        uow.commit()
    after = diff(before, snapshot(crm.engine))

    assert {c.table for c in after} == {"handoffs", "interactions"}
    assert verdict(crm, before, scenario(expect("handoff", reason=["complaint"]))).success
    assert "handoffs: ['complaint']" in (
        verdict(crm, before, scenario(expect("handoff", reason=["requested"]))).checks[0].why
    )


def test_told_reads_prices_names_and_facts_however_they_are_written(crm):
    before = snapshot(crm.engine)
    story = scenario(
        expect("told", all=["{product:ECL-3000}", "{price:ECL-3000}", "{customer_number}"]),
    )

    for said in (
        "Éclipse\u00a03000: 1\u202f299,00\u00a0€ for C-100001",
        "eclipse 3000 costs 1,299 euros, customer C-100001",
        "ECLIPSE 3000 — 1299.00 EUR (C-100001)",
    ):
        assert verdict(crm, before, story, said=[said]).success, said
    assert not verdict(crm, before, story, said=["Éclipse 3000: 11 299,00 € C-100001"]).goal_met
    anyof = scenario(expect("told", any=["{price:SLV-14}", "never"]))
    assert verdict(crm, before, anyof, said=["a sleeve, 24,90 €"]).success
    assert not verdict(crm, before, anyof, said=["a sleeve, 24 €"]).goal_met


def test_may_claims_what_it_finds_and_requires_nothing(crm):
    before = snapshot(crm.engine)
    with crm.uow() as uow:
        consent.set_consent(uow, account_id=PIERRE, channel="sms", status="opt_out", source="bot")
        uow.commit()
    story = scenario(
        expect("consent", channel="sms", status="opt_out"),
        may=(expect("preference", words=["sms"]),),
    )

    result = verdict(crm, before, story)

    assert result.success
    assert [c.met for c in result.optional] == [False]
