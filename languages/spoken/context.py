"""One message being normalised: its tokens, its language's table, and the question asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from .table import Spoken
from .tokens import Token

# The questions (a form's requested slot) whose answer is digits: a postcode, a telephone
# number, a customer number. Their runs of digits are joined more readily.
DIGITS_EXPECTED = frozenset(
    {
        "identity_key",
        "lookup_postcode",
        "verification_answer",
        "new_postcode",
        "contact_value",
        "callback_phone",
    }
)
# The questions answered with quantities: "one" there is 1 ("I'll take one").
QUANTITY_EXPECTED = frozenset({"order_lines", "quote_lines", "lead_quantity"})
EMAIL_EXPECTED = frozenset({"identity_key", "new_email", "contact_value"})
CUSTOMER_EXPECTED = frozenset({"identity_key"})


@dataclass
class Context:
    """A message's tokens, its language's table, the question asked and the tokens taken."""

    tokens: list[Token]
    table: Spoken
    expecting: str | None
    #: Tokens an address or a code was made of: the number reader leaves them.
    claimed: set[int] = field(default_factory=set)

    @property
    def digits_expected(self) -> bool:
        return self.expecting in DIGITS_EXPECTED

    @property
    def quantity_expected(self) -> bool:
        return self.expecting in QUANTITY_EXPECTED

    @property
    def email_expected(self) -> bool:
        return self.expecting in EMAIL_EXPECTED

    @property
    def customer_expected(self) -> bool:
        return self.expecting in CUSTOMER_EXPECTED

    def low(self, index: int) -> str | None:
        """The lowercased token at ``index``, None outside the message."""
        return self.tokens[index].low if 0 <= index < len(self.tokens) else None

    def word(self, index: int) -> str | None:
        """The token at ``index`` if it is a word or figures (not a sign), lowercased."""
        low = self.low(index)
        return low if low is not None and (low[0].isalnum() or low[0] == "_") else None

    def before(self, index: int, phrases: frozenset[tuple[str, ...]]) -> bool:
        """Whether one of ``phrases`` ends just before token ``index``."""
        return any(tuple(self.low(index - len(p) + n) for n in range(len(p))) == p for p in phrases)

    def adjacent(self, left: int, right: int) -> bool:
        """Whether no space separates token ``left`` from token ``right``."""
        return self.tokens[left].end == self.tokens[right].start
