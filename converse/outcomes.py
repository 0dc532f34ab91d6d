"""The judge: does the CRM hold what the scenario expects, and nothing else?

Each expectation looks for the rows it needs among the run's changes
(:func:`converse.crm.diff`) and *claims* them: an order claims its row, its
lines, its status history, its ERP outbox record and the survey call planned
for it; a changed e-mail claims the new address and the primary flag moved
off the old one. A column of a changed row is claimed on its own, so a new
postcode and a do-not-contact flag on the same account row are two things.
Whatever no expectation (required or ``may``) claimed is an unwanted write.
``told`` expectations read the bot's words instead of rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .crm import BOOKKEEPING, Catalog, Change
from .questions import fold
from .scenario import Expectation, Scenario, placeholders

Claim = tuple[str, int, str]  # table, id, column ("*": the whole row)


@dataclass(frozen=True)
class Context:
    """What the judge knows of a run besides its changes."""

    facts: Mapping[str, str]
    conversation_id: str
    catalog: Catalog
    said: Sequence[str] = ()
    new_person: bool = False


@dataclass(frozen=True)
class Check:
    """One expectation, met or not, with the rows it claimed or why it is not met."""

    expectation: Expectation
    met: bool
    why: str = ""


@dataclass(frozen=True)
class Verdict:
    """A run's outcome in the CRM."""

    checks: tuple[Check, ...]
    unwanted: tuple[Change, ...] = ()
    optional: tuple[Check, ...] = field(default=())

    @property
    def goal_met(self) -> bool:
        """Every required expectation is met."""
        return all(check.met for check in self.checks)

    @property
    def success(self) -> bool:
        """The goal is met and nothing else was written."""
        return self.goal_met and not self.unwanted


@dataclass
class _Run:
    changes: Sequence[Change]
    context: Context
    account_id: int | None
    claimed: set[Claim] = field(default_factory=set)

    def rows(self, table: str, *kinds: str) -> list[Change]:
        wanted = kinds or ("added",)
        return [
            c for c in self.changes if c.table == table and c.kind in wanted and not self.taken(c)
        ]

    def taken(self, change: Change) -> bool:
        return (change.table, change.id, "*") in self.claimed

    def of_account(self, table: str, *kinds: str) -> list[Change]:
        return [c for c in self.rows(table, *kinds) if c.row.get("account_id") == self.account_id]

    def claim(self, changes: Iterable[Change], columns: Sequence[str] = ("*",)) -> None:
        for change in changes:
            self.claimed.update((change.table, change.id, column) for column in columns)


Matcher = Callable[[_Run, Mapping[str, Any]], str | None]  # None: met; else why not


def judge(scenario: Scenario, changes: Sequence[Change], context: Context) -> Verdict:
    """Check every expectation of ``scenario`` against a run's ``changes``."""
    run = _Run(changes=changes, context=context, account_id=_account_id(changes, context))
    checks = tuple(_check(run, e) for e in scenario.expect)
    optional = tuple(_check(run, e) for e in scenario.may)
    unwanted = tuple(
        c for c in changes if c.table not in BOOKKEEPING and not _covered(c, run.claimed)
    )
    return Verdict(checks=checks, unwanted=unwanted, optional=optional)


def _check(run: _Run, expectation: Expectation) -> Check:
    if expectation.kind != "told" and expectation.kind != "account" and run.account_id is None:
        return Check(expectation, met=False, why="no account for the persona (none was created)")
    why = MATCHERS[expectation.kind](run, expectation.fields)
    return Check(expectation, met=why is None, why=why or "")


def _covered(change: Change, claimed: set[Claim]) -> bool:
    if (change.table, change.id, "*") in claimed:
        return True
    return change.kind == "changed" and all(
        (change.table, change.id, c) in claimed for c in change.columns
    )


def _account_id(changes: Sequence[Change], context: Context) -> int | None:
    if not context.new_person:
        known = context.facts.get("account_id")
        return int(known) if known else None
    email = fold(context.facts.get("email", ""))
    for change in changes:
        if (
            change.table == "emails"
            and change.kind == "added"
            and email
            and change.row["address"] == email
        ):
            return int(change.row["account_id"])
    first, last = (
        fold(context.facts.get("first_name", "")),
        fold(context.facts.get("last_name", "")),
    )
    for change in changes:
        if change.table != "accounts" or change.kind != "added":
            continue
        row = change.row
        if (fold(str(row.get("first_name") or "")), fold(str(row.get("last_name") or ""))) == (
            first,
            last,
        ):
            return int(change.id)
    return None


def _lines(run: _Run, table: str, key: str, parent: int) -> tuple[dict[str, int], list[Change]]:
    rows = [c for c in run.rows(table) if c.row[key] == parent]
    lines: dict[str, int] = {}
    for change in rows:
        sku = run.context.catalog.sku_by_id.get(int(change.row["product_id"]), "?")
        lines[sku] = lines.get(sku, 0) + int(change.row["quantity"])
    return lines, rows


def _order(run: _Run, fields: Mapping[str, Any]) -> str | None:
    expected = dict(fields["lines"])
    quote_id = None
    if "from_quote" in fields:
        number = _render(str(fields["from_quote"]), run.context.facts)
        quote_id = next(
            (c.id for c in run.changes if c.table == "quotes" and c.row.get("number") == number),
            None,
        )
    seen = []
    for order in run.of_account("sales_orders"):
        lines, line_rows = _lines(run, "order_lines", "order_id", order.id)
        seen.append(f"{order.row.get('number')} {lines}")
        if lines != expected or ("from_quote" in fields and order.row.get("quote_id") != quote_id):
            continue
        run.claim([order, *line_rows])
        run.claim(c for c in run.rows("order_status_changes") if c.row["order_id"] == order.id)
        run.claim(c for c in run.rows("activities") if c.row.get("order_id") == order.id)
        run.claim(
            c
            for c in run.rows("outbox")
            if str(order.row.get("number")) in str(c.row.get("payload"))
        )
        return None
    return f"no such order; orders of this run: {'; '.join(seen) or 'none'}"


def _quote(run: _Run, fields: Mapping[str, Any]) -> str | None:
    seen = []
    for quote in run.of_account("quotes"):
        lines, line_rows = _lines(run, "quote_lines", "quote_id", quote.id)
        seen.append(f"{quote.row.get('number')} {lines}")
        if lines == dict(fields["lines"]):
            run.claim([quote, *line_rows])
            run.claim(
                c
                for c in run.rows("outbox")
                if str(quote.row.get("number")) in str(c.row.get("payload"))
            )
            return None
    return f"no such quote; quotes of this run: {'; '.join(seen) or 'none'}"


def _quote_status(run: _Run, fields: Mapping[str, Any]) -> str | None:
    number = _render(str(fields.get("quote", "{open_quote}")), run.context.facts)
    for change in run.rows("quotes", "changed"):
        if change.row.get("number") == number and change.row.get("status") == fields["status"]:
            run.claim([change], ("status", "feedback", "feedback_at"))
            return None
    return f"quote {number} is not {fields['status']}"


def _texts(change: Change) -> str:
    columns = change.columns if change.kind == "changed" else tuple(change.row)
    return fold(" ".join(str(change.row[c]) for c in columns if c in change.row and c != "id"))


def _with_words(changes: Iterable[Change], words: Sequence[str]) -> Change | None:
    return next((c for c in changes if all(fold(w) in _texts(c) for w in words)), None)


def _feedback(run: _Run, fields: Mapping[str, Any]) -> str | None:
    tables = (
        "quotes",
        "interactions",
        "activities",
        "preferences",
        "complaints",
        "script_answers",
        "leads",
    )
    candidates = [c for t in tables for c in run.rows(t, "added", "changed")]
    found = _with_words(candidates, fields["words"])
    if found is None:
        return f"no row records feedback with {fields['words']}"
    run.claim([found], found.columns if found.kind == "changed" else ("*",))
    return None


def _lead(run: _Run, fields: Mapping[str, Any]) -> str | None:
    for lead in run.of_account("leads", "added"):
        sku = run.context.catalog.sku_by_id.get(int(lead.row.get("product_id") or 0))
        if "product" in fields and sku != fields["product"]:
            continue
        if "words" in fields and _with_words([lead], fields["words"]) is None:
            continue
        levels = fields.get("level")
        if levels and lead.row.get("level") not in (
            [levels] if isinstance(levels, str) else levels
        ):
            continue
        run.claim([lead])
        run.claim(run.of_account("script_answers"))
        run.claim(run.of_account("call_list_entries", "changed"))
        return None
    found = [
        f"{c.row.get('product_interest')!r} ({c.row.get('level')})" for c in run.of_account("leads")
    ]
    return f"no such lead; leads of this run: {', '.join(found) or 'none'}"


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)[-9:]


def _account(run: _Run, fields: Mapping[str, Any]) -> str | None:
    facts = run.context.facts
    account = next((c for c in run.rows("accounts") if c.id == run.account_id), None)
    if account is None:
        return "no account was created for the persona"
    row, problems = account.row, []
    for key in ("first_name", "last_name", "postcode"):
        if key in fields and fold(str(row.get(key) or "")) != fold(
            _render(str(fields[key]), facts)
        ):
            problems.append(f"{key} is {row.get(key)!r}")
    if "kind" in fields and row.get("kind") != fields["kind"]:
        problems.append(f"kind is {row.get('kind')!r}")
    if "company" in fields and fold(_render(str(fields["company"]), facts)) not in fold(
        str(row.get("name"))
    ):
        problems.append(f"name is {row.get('name')!r}")
    emails = [c for c in run.rows("emails") if c.row["account_id"] == account.id]
    phones = [c for c in run.rows("phones") if c.row["account_id"] == account.id]
    if "email" in fields and fold(_render(str(fields["email"]), facts)) not in [
        c.row["address"] for c in emails
    ]:
        problems.append(f"e-mails are {[c.row['address'] for c in emails]}")
    wanted_phone = _digits(_render(str(fields.get("phone", "")), facts))
    if "phone" in fields and wanted_phone not in [_digits(str(c.row["number"])) for c in phones]:
        problems.append(f"phones are {[c.row['number'] for c in phones]}")
    if problems:
        return "the new account differs: " + "; ".join(problems)
    contacts = [c for c in run.rows("account_contacts") if c.row["account_id"] == account.id]
    run.claim([account, *emails, *phones, *contacts])
    return None


def _contact(run: _Run, fields: Mapping[str, Any]) -> str | None:
    facts, problems = run.context.facts, []
    if "email" in fields:
        address = fold(_render(str(fields["email"]), facts))
        added = [c for c in run.of_account("emails") if c.row["address"] == address]
        problems += [] if added else [f"no new e-mail {address}"]
        run.claim([*added, *run.of_account("emails", "changed")])
    if "phone" in fields:
        number = _digits(_render(str(fields["phone"]), facts))
        added = [c for c in run.of_account("phones") if _digits(str(c.row["number"])) == number]
        problems += [] if added else [f"no new phone ending {number}"]
        run.claim([*added, *run.of_account("phones", "changed")])
    address_fields = [k for k in ("postcode", "street", "city") if k in fields]
    if address_fields:
        mine = [c for c in run.rows("accounts", "changed") if c.id == run.account_id]
        ok = mine and all(
            fold(_render(str(fields[k]), facts)) in fold(str(mine[0].row.get(k) or ""))
            for k in address_fields
        )
        if ok:
            run.claim(mine, ("postcode", "street", "city"))
        else:
            problems.append(f"the address is not {[fields[k] for k in address_fields]}")
    return "; ".join(problems) or None


def _consent(run: _Run, fields: Mapping[str, Any]) -> str | None:
    for change in run.of_account("consents", "added", "changed"):
        if (
            change.row.get("channel") == fields["channel"]
            and change.row.get("status") == fields["status"]
        ):
            run.claim([change])
            return None
    return f"no {fields['status']} recorded for {fields['channel']}"


def _do_not_contact(run: _Run, fields: Mapping[str, Any]) -> str | None:
    mine = [c for c in run.rows("accounts", "changed") if c.id == run.account_id]
    if not mine or mine[0].row.get("do_not_contact") is not True:
        return "the account is not marked do-not-contact"
    run.claim(mine, ("do_not_contact",))
    run.claim(
        c
        for c in run.of_account("consents", "added", "changed")
        if c.row.get("status") == "opt_out"
    )
    run.claim(run.rows("suppressions"))
    run.claim(
        c
        for c in run.rows("number_consents", "added", "changed")
        if c.row.get("status") == "opt_out"
    )
    return None


def _preference(run: _Run, fields: Mapping[str, Any]) -> str | None:
    candidates = [
        c for c in run.of_account("preferences", "added", "changed")
        if "key" not in fields or c.row.get("key") == fields["key"]
    ]  # fmt: skip
    found = _with_words(candidates, fields["words"])
    if found is None:
        return f"no preference with {fields['words']}"
    run.claim([found])
    return None


def _handoff(run: _Run, fields: Mapping[str, Any]) -> str | None:
    mine = [
        c
        for c in run.rows("handoffs")
        if str(c.row.get("conversation_id")).endswith(run.context.conversation_id)
    ]
    for change in mine:
        if change.row.get("reason") in fields["reason"]:
            run.claim([change])
            return None
    reasons = [c.row.get("reason") for c in mine]
    return f"no handoff for {fields['reason']}; handoffs: {reasons or 'none'}"


def _activity(run: _Run, fields: Mapping[str, Any]) -> str | None:
    candidates = [c for c in run.of_account("activities") if c.row.get("kind") == fields["kind"]]
    found = _with_words(candidates, fields.get("words", []))
    if found is None:
        return f"no {fields['kind']} activity"
    run.claim([found])
    return None


def _complaint(run: _Run, fields: Mapping[str, Any]) -> str | None:
    found = _with_words(run.of_account("complaints"), fields.get("words", []))
    if found is None:
        return "no complaint recorded"
    run.claim([found])
    return None


def _told(run: _Run, fields: Mapping[str, Any]) -> str | None:
    said = fold("\n".join(run.context.said))
    missing = [p for p in fields.get("all", []) if not pattern(p, run.context).search(said)]
    if missing:
        return f"the bot never said {missing}"
    anyof = fields.get("any", [])
    if anyof and not any(pattern(p, run.context).search(said) for p in anyof):
        return f"the bot said none of {anyof}"
    return None


MATCHERS: dict[str, Matcher] = {
    "order": _order, "quote": _quote, "quote_status": _quote_status, "feedback": _feedback,
    "lead": _lead, "account": _account, "contact": _contact, "consent": _consent,
    "do_not_contact": _do_not_contact, "preference": _preference, "handoff": _handoff,
    "activity": _activity, "complaint": _complaint, "told": _told,
}  # fmt: skip


def _render(template: str, facts: Mapping[str, str]) -> str:
    try:
        return template.format_map(dict(facts))
    except (KeyError, IndexError, ValueError):
        return template


def price_pattern(price: Decimal) -> str:
    """A price however it is written: "1 299,00 €", "1,299 euros", "1299.00"."""
    whole, cents = f"{price:.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    number = r"[\s.,']?".join(groups)
    tail = rf"(?:[.,]{cents})?" if cents == "00" else rf"[.,]{cents}"
    return rf"(?<![\d]){number}{tail}(?![\d])"


def pattern(template: str, context: Context) -> re.Pattern[str]:
    """A ``told`` template as a regex over folded text: facts, ``{price:SKU}``, ``{product:SKU}``.

    Spaces match any run of spaces; a price matches however it is written.
    """
    parts, rest = [], template
    for name in placeholders(template):
        before, _, rest = rest.partition("{" + name + "}")
        parts.append(_literal(before))
        kind, _, sku = name.partition(":")
        if kind == "price":
            parts.append(price_pattern(context.catalog.price_by_sku[sku]))
        elif kind == "product":
            parts.append(_literal(context.catalog.name_by_sku[sku]))
        else:
            parts.append(_literal(context.facts.get(name, "{" + name + "}")))
    parts.append(_literal(rest))
    return re.compile("".join(parts))


def _literal(text: str) -> str:
    return (
        r"\s+".join(re.escape(word) for word in fold(text).split(" "))
        if text.strip()
        else re.escape(text)
    )
