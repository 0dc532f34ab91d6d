"""What each kind of expectation looks for among a run's changes, and the rows it claims.

One matcher per kind of :data:`converse.scenario.EXPECTATIONS`: it returns
None when the rows are there (and claims them in the :class:`Run`), else why
not, in words for the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .crm import Catalog, Change
from .questions import fold
from .told import pattern

Claim = tuple[str, int, str]  # table, id, column ("*": the whole row)
ACCOUNT_DIFFERS = "the new account differs: "


@dataclass(frozen=True)
class Context:
    """What the judge knows of a run besides its changes."""

    facts: Mapping[str, str]
    conversation_id: str
    catalog: Catalog
    said: Sequence[str] = ()
    new_person: bool = False


@dataclass
class Run:
    """A run's changes, and the rows (or columns) expectations have claimed so far."""

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


Matcher = Callable[[Run, Mapping[str, Any]], str | None]  # None: met; else why not


def _lines(run: Run, table: str, key: str, parent: int) -> tuple[dict[str, int], list[Change]]:
    rows = [c for c in run.rows(table) if c.row[key] == parent]
    lines: dict[str, int] = {}
    for change in rows:
        sku = run.context.catalog.sku_by_id.get(int(change.row["product_id"]), "?")
        lines[sku] = lines.get(sku, 0) + int(change.row["quantity"])
    return lines, rows


def _order(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _quote(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _quote_status(run: Run, fields: Mapping[str, Any]) -> str | None:
    number = _render(str(fields.get("quote", "{open_quote}")), run.context.facts)
    for change in run.rows("quotes", "changed"):
        if change.row.get("number") == number and change.row.get("status") == fields["status"]:
            run.claim([change], ("status", "feedback", "feedback_at"))
            return None
    return f"quote {number} is not {fields['status']}"


def _texts(change: Change) -> str:
    columns = change.columns if change.kind == "changed" else tuple(change.row)
    return fold(" ".join(str(change.row[c]) for c in columns if c in change.row and c != "id"))


def has_words(text: str, words: Sequence[str]) -> bool:
    """Every word is in the folded ``text``; "a|b" is either a or b."""
    return all(any(fold(w) in text for w in word.split("|")) for word in words)


def _with_words(changes: Iterable[Change], words: Sequence[str]) -> Change | None:
    return next((c for c in changes if has_words(_texts(c), words)), None)


def _feedback(run: Run, fields: Mapping[str, Any]) -> str | None:
    # Wherever the bot keeps it: a quote's feedback, the contact's summary, an activity...
    tables = ("quotes", "interactions", "activities", "preferences", "complaints", "leads")
    candidates = [c for t in tables for c in run.rows(t, "added", "changed")]
    found = _with_words(candidates, fields["words"])
    if found is None:
        return f"no row records feedback with {fields['words']}"
    if found.kind == "added":
        run.claim([found])
    else:
        # Only the words and their time: a status changed beside them is no feedback.
        words = [fold(w) for word in fields["words"] for w in word.split("|")]
        said = [c for c in found.columns if any(w in fold(str(found.row[c])) for w in words)]
        run.claim([found], [*said, *(c for c in found.columns if c.endswith("_at"))])
    return None


def _lead(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _account(run: Run, fields: Mapping[str, Any]) -> str | None:
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
        return ACCOUNT_DIFFERS + "; ".join(problems)
    contacts = [c for c in run.rows("account_contacts") if c.row["account_id"] == account.id]
    run.claim([account, *emails, *phones, *contacts])
    return None


def _contact(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _consent(run: Run, fields: Mapping[str, Any]) -> str | None:
    for change in run.of_account("consents", "added", "changed"):
        if (
            change.row.get("channel") == fields["channel"]
            and change.row.get("status") == fields["status"]
        ):
            run.claim([change])
            return None
    return f"no {fields['status']} recorded for {fields['channel']}"


def _do_not_contact(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _preference(run: Run, fields: Mapping[str, Any]) -> str | None:
    candidates = [
        c for c in run.of_account("preferences", "added", "changed")
        if "key" not in fields or c.row.get("key") == fields["key"]
    ]  # fmt: skip
    found = _with_words(candidates, fields["words"])
    if found is None:
        return f"no preference with {fields['words']}"
    run.claim([found])
    return None


def _handoff(run: Run, fields: Mapping[str, Any]) -> str | None:
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


def _activity(run: Run, fields: Mapping[str, Any]) -> str | None:
    candidates = [c for c in run.of_account("activities") if c.row.get("kind") == fields["kind"]]
    found = _with_words(candidates, fields.get("words", []))
    if found is None:
        return f"no {fields['kind']} activity"
    run.claim([found])
    return None


def _complaint(run: Run, fields: Mapping[str, Any]) -> str | None:
    found = _with_words(run.of_account("complaints"), fields.get("words", []))
    if found is None:
        return "no complaint recorded"
    run.claim([found])
    return None


def _told(run: Run, fields: Mapping[str, Any]) -> str | None:
    said = fold("\n".join(run.context.said))
    missing = [
        p
        for p in fields.get("all", [])
        if not pattern(p, run.context.facts, run.context.catalog).search(said)
    ]
    if missing:
        return f"the bot never said {missing}"
    anyof = fields.get("any", [])
    if anyof and not any(
        pattern(p, run.context.facts, run.context.catalog).search(said) for p in anyof
    ):
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
