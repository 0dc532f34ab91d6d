"""The CRM's named errors, one tree rooted at ``CrmError``.

    CrmError
    ├── NotFound
    │   ├── AccountNotFound
    │   ├── ProductNotFound        (an unknown SKU)
    │   ├── QuoteNotFound
    │   ├── OrderNotFound
    │   ├── LeadNotFound
    │   ├── ActivityNotFound
    │   ├── InteractionNotFound
    │   ├── CampaignNotFound
    │   ├── CallListNotFound
    │   ├── CallListEntryNotFound
    │   ├── AgentNotFound
    │   ├── HandoffNotFound
    │   ├── MessageNotFound        (no customer message of a conversation at that time)
    │   └── ScriptNotFound         (no interactive script of that name)
    ├── InvalidRequest             (a value the CRM cannot accept)
    │   ├── InvalidQuantity
    │   ├── InvalidContactData
    │   ├── InvalidStatusChange
    │   └── InvalidScript          (a script file that does not read, with the line)
    ├── BusinessRuleViolation
    │   ├── InsufficientStock      (more than in stock and no lead time)
    │   ├── QuoteExpired
    │   ├── QuoteNotOpen
    │   ├── AccountNotConfirmed    (an order for an unconfirmed identity)
    │   ├── ContactNotAllowed      (do-not-contact or opted out)
    │   ├── OrderNeedsAdviser      (an order above what the bot may take alone)
    │   ├── HandoffNotWaiting      (another agent took it, or the customer left the queue)
    │   ├── NotYourHandoff         (another agent has that conversation)
    │   └── EntryNotHeld           (a call list entry someone else holds, or no one)
    ├── InvalidCredentials         (a desk login that does not check out)
    ├── Conflict                   (a unique value already taken)
    └── CrmUnavailable             (the database cannot be reached)

Every error carries its context as keyword-only attributes, so the doors can
turn it into words without parsing messages.
"""

from __future__ import annotations


class CrmError(Exception):
    """Base of every error the CRM raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CrmError):
    """Something asked for by its key does not exist."""

    entity = "record"

    def __init__(self, *, key: str | int) -> None:
        super().__init__(f"{self.entity} {key!s} not found")
        self.key = key


class AccountNotFound(NotFound):
    """No account has that id, number, phone or e-mail."""

    entity = "account"


class ProductNotFound(NotFound):
    """No product has that SKU."""

    entity = "product"


class QuoteNotFound(NotFound):
    """No quote has that number."""

    entity = "quote"


class OrderNotFound(NotFound):
    """No sales order has that number."""

    entity = "order"


class LeadNotFound(NotFound):
    """No lead has that id."""

    entity = "lead"


class ActivityNotFound(NotFound):
    """No activity has that id."""

    entity = "activity"


class InteractionNotFound(NotFound):
    """No interaction has that id or conversation."""

    entity = "interaction"


class CampaignNotFound(NotFound):
    """No campaign has that id."""

    entity = "campaign"


class CallListNotFound(NotFound):
    """No call list has that id."""

    entity = "call list"


class CallListEntryNotFound(NotFound):
    """No call list entry has that id."""

    entity = "call list entry"


class AgentNotFound(NotFound):
    """No desk agent has that id or user name."""

    entity = "agent"


class HandoffNotFound(NotFound):
    """No handoff has that id."""

    entity = "handoff"


class MessageNotFound(NotFound):
    """No customer message of that conversation has that time stamp (or no such conversation)."""

    entity = "message"


class ScriptNotFound(NotFound):
    """No interactive script has that name."""

    entity = "script"


class InvalidRequest(CrmError):
    """A value the CRM cannot accept."""


class InvalidQuantity(InvalidRequest):
    """A quantity that is not a whole number of at least one."""

    def __init__(self, *, quantity: object) -> None:
        super().__init__(f"quantity must be a whole number of at least 1, not {quantity!r}")
        self.quantity = quantity


class InvalidContactData(InvalidRequest):
    """A phone number, e-mail or address that does not parse."""

    def __init__(self, *, field: str, value: str) -> None:
        super().__init__(f"{field} {value!r} is not valid")
        self.field = field
        self.value = value


class InvalidStatusChange(InvalidRequest):
    """A status change the life cycle does not allow."""

    def __init__(self, *, entity: str, current: str, requested: str) -> None:
        super().__init__(f"{entity} cannot go from {current} to {requested}")
        self.entity = entity
        self.current = current
        self.requested = requested


class InvalidScript(InvalidRequest):
    """An interactive script file that is not a valid script (line 0: the whole file)."""

    def __init__(self, *, script: str, line: int, reason: str) -> None:
        where = f"line {line}: " if line else ""
        super().__init__(f"script {script}: {where}{reason}")
        self.script = script
        self.line = line
        self.reason = reason


class BusinessRuleViolation(CrmError):
    """A request that is well formed but breaks a rule of the business."""


class InsufficientStock(BusinessRuleViolation):
    """More units than in stock of a product that cannot be replenished."""

    def __init__(self, *, sku: str, requested: int, available: int) -> None:
        super().__init__(f"only {available} of {sku} available, {requested} requested")
        self.sku = sku
        self.requested = requested
        self.available = available


class QuoteExpired(BusinessRuleViolation):
    """The quote's validity date has passed."""

    def __init__(self, *, number: str, valid_until: object) -> None:
        super().__init__(f"quote {number} expired on {valid_until}")
        self.number = number
        self.valid_until = valid_until


class QuoteNotOpen(BusinessRuleViolation):
    """The quote was already accepted, rejected or expired."""

    def __init__(self, *, number: str, status: str) -> None:
        super().__init__(f"quote {number} is {status}")
        self.number = number
        self.status = status


class AccountNotConfirmed(BusinessRuleViolation):
    """The customer's identity was not confirmed in this contact."""

    def __init__(self, *, account_id: int) -> None:
        super().__init__(f"identity of account {account_id} is not confirmed")
        self.account_id = account_id


class ContactNotAllowed(BusinessRuleViolation):
    """The account must not be contacted on that channel."""

    def __init__(self, *, account_id: int, channel: str, reason: str) -> None:
        super().__init__(f"account {account_id} may not be contacted by {channel}: {reason}")
        self.account_id = account_id
        self.channel = channel
        self.reason = reason


class OrderNeedsAdviser(BusinessRuleViolation):
    """The order's total is above what the bot may commit the company to alone."""

    def __init__(self, *, total: object, limit: object) -> None:
        super().__init__(f"an order of {total} is above the bot's limit of {limit}")
        self.total = total
        self.limit = limit


class HandoffNotWaiting(BusinessRuleViolation):
    """The handoff is no longer in the queue: another agent took it, or the customer left."""

    def __init__(self, *, handoff_id: int, status: str) -> None:
        super().__init__(f"handoff {handoff_id} is {status}, not waiting")
        self.handoff_id = handoff_id
        self.status = status


class NotYourHandoff(BusinessRuleViolation):
    """The handoff is not assigned to this agent (and the agent is no manager)."""

    def __init__(self, *, handoff_id: int, agent_id: int, status: str) -> None:
        super().__init__(f"handoff {handoff_id} ({status}) is not assigned to agent {agent_id}")
        self.handoff_id = handoff_id
        self.agent_id = agent_id
        self.status = status


class EntryNotHeld(BusinessRuleViolation):
    """The call list entry is not this worker's: another took it, or nobody is calling it."""

    def __init__(self, *, entry_id: int, by: str, status: str) -> None:
        super().__init__(f"call list entry {entry_id} ({status}) is not held by {by}")
        self.entry_id = entry_id
        self.by = by
        self.status = status


class InvalidCredentials(CrmError):
    """A user name and password that do not match an active agent (which of the two, untold)."""

    def __init__(self) -> None:
        super().__init__("unknown user name or wrong password")


class Conflict(CrmError):
    """A unique value (an idempotency key, a number) is already taken."""


class CrmUnavailable(CrmError):
    """The database cannot be reached; the caller should degrade politely."""
