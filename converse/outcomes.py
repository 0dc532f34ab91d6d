"""The judge: does the CRM hold what the scenario expects, and nothing else?

Each expectation looks for the rows it needs among the run's changes
(:func:`converse.crm.diff`) and *claims* them (:mod:`converse.matchers`): an
order claims its row, its lines, its status history, its ERP outbox record
and the survey call planned for it; a changed e-mail claims the new address
and the primary flag moved off the old one. A column of a changed row is
claimed on its own, so a new postcode and a do-not-contact flag on the same
account row are two things. Whatever no expectation (required or ``may``)
claimed is an unwanted write. ``told`` expectations read the bot's words
instead of rows (:mod:`converse.told`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .crm import BOOKKEEPING, Change
from .matchers import ACCOUNT_DIFFERS, MATCHERS, Claim, Context, Run
from .questions import fold
from .scenario import Expectation, Scenario

__all__ = ["Check", "Context", "Verdict", "judge"]


@dataclass(frozen=True)
class Check:
    """One expectation, met or not, with the rows it claimed or why it is not met."""

    expectation: Expectation
    met: bool
    why: str = ""
    # Not met in a way the customer cannot see: its new account holds other values than it gave.
    hidden: bool = False


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
    def looks_done(self) -> bool:
        """As far as the customer can tell, it got what it came for (it would not ask again)."""
        return all(check.met or check.hidden for check in self.checks)

    @property
    def success(self) -> bool:
        """The goal is met and nothing else was written."""
        return self.goal_met and not self.unwanted


def judge(scenario: Scenario, changes: Sequence[Change], context: Context) -> Verdict:
    """Check every expectation of ``scenario`` against a run's ``changes``."""
    run = Run(changes=changes, context=context, account_id=_account_id(changes, context))
    checks = tuple(_check(run, e) for e in scenario.expect)
    optional = tuple(_check(run, e) for e in scenario.may)
    left = (_unclaimed(c, run.claimed) for c in changes if c.table not in BOOKKEEPING)
    unwanted = tuple(c for c in left if c is not None)
    return Verdict(checks=checks, unwanted=unwanted, optional=optional)


def _check(run: Run, expectation: Expectation) -> Check:
    if expectation.kind != "told" and expectation.kind != "account" and run.account_id is None:
        return Check(expectation, met=False, why="no account for the persona (none was created)")
    why = MATCHERS[expectation.kind](run, expectation.fields)
    hidden = why is not None and why.startswith(ACCOUNT_DIFFERS)
    return Check(expectation, met=why is None, why=why or "", hidden=hidden)


def _unclaimed(change: Change, claimed: set[Claim]) -> Change | None:
    """What no expectation claimed of a change: None, the whole row, or the columns left."""
    if (change.table, change.id, "*") in claimed:
        return None
    if change.kind != "changed" or change.before is None:
        return change
    left = [c for c in change.columns if (change.table, change.id, c) not in claimed]
    if not left:
        return None
    return replace(
        change,
        row={c: change.row[c] for c in left},
        before={c: change.before.get(c) for c in left},
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
