"""Accounts: persons and companies, their contact data, consent and installed base."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .catalog import Product


class AccountKind(enum.StrEnum):
    """A consumer or a company."""

    PERSON = "person"
    COMPANY = "company"


class ContactChannel(enum.StrEnum):
    """The channels a customer can be reached on."""

    PHONE = "phone"
    SMS = "sms"
    EMAIL = "email"


class ConsentStatus(enum.StrEnum):
    """A channel opt-in or opt-out."""

    OPT_IN = "opt_in"
    OPT_OUT = "opt_out"


class Account(Base):
    """A customer or prospect: one person or one company."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[AccountKind] = mapped_column(String(10), default=AccountKind.PERSON)
    name: Mapped[str] = mapped_column(String(200))
    # Accent- and case-free name, for search.
    search_name: Mapped[str] = mapped_column(String(200), index=True)
    first_name: Mapped[Optional[str]] = mapped_column(String(100))
    last_name: Mapped[Optional[str]] = mapped_column(String(100))
    street: Mapped[Optional[str]] = mapped_column(String(200))
    postcode: Mapped[Optional[str]] = mapped_column(String(20), index=True)
    city: Mapped[Optional[str]] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="FR")
    timezone: Mapped[str] = mapped_column(String(50), default="Europe/Paris")
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    # The language the customer wants the bot and the desk to use ("en", "fr"); None: not said.
    preferred_language: Mapped[Optional[str]] = mapped_column(String(5))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    phones: Mapped[list[Phone]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="Phone.id"
    )
    emails: Mapped[list[Email]] = relationship(
        back_populates="account", cascade="all, delete-orphan", order_by="Email.id"
    )
    contacts: Mapped[list[AccountContact]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    preferences: Mapped[list[Preference]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    registered_products: Mapped[list[RegisteredProduct]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    complaints: Mapped[list[Complaint]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    script_answers: Mapped[list[ScriptAnswer]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )

    @property
    def primary_phone(self) -> Optional[str]:
        """The first phone marked primary, else the first phone."""
        ranked = sorted(self.phones, key=lambda p: not p.is_primary)
        return ranked[0].number if ranked else None

    @property
    def primary_email(self) -> Optional[str]:
        """The first e-mail marked primary, else the first e-mail."""
        ranked = sorted(self.emails, key=lambda e: not e.is_primary)
        return ranked[0].address if ranked else None


class Phone(Base):
    """A phone number of an account, stored in E.164 form (+33612345678)."""

    __tablename__ = "phones"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(String(20), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="mobile")
    is_primary: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="phones")


class Email(Base):
    """An e-mail address of an account, stored lower-case."""

    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(254), index=True)
    is_primary: Mapped[bool] = mapped_column(default=False)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="emails")


class AccountContact(Base):
    """A person to talk to at a company account."""

    __tablename__ = "account_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Optional[str]] = mapped_column(String(100))
    phone: Mapped[Optional[str]] = mapped_column(String(20))
    email: Mapped[Optional[str]] = mapped_column(String(254))

    account: Mapped[Account] = relationship(back_populates="contacts")


class Preference(Base):
    """Something the customer told us about how they like to be served."""

    __tablename__ = "preferences"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(50), default="crm")
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship(back_populates="preferences")


class Consent(Base):
    """A channel opt-in or opt-out, the latest one per channel wins."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("account_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[ContactChannel] = mapped_column(String(10))
    status: Mapped[ConsentStatus] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(50), default="crm")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    account: Mapped[Account] = relationship(back_populates="consents")


class NumberConsent(Base):
    """An opt-in or opt-out of one phone number on one channel, account or not.

    A number that texts STOP is recorded here as well as on its accounts: a
    number no account holds yet must stay silenced when one is created later.
    """

    __tablename__ = "number_consents"
    __table_args__ = (UniqueConstraint("number", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20))
    channel: Mapped[ContactChannel] = mapped_column(String(10))
    status: Mapped[ConsentStatus] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(50), default="crm")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VerificationFailure(Base):
    """A failed second-factor check against an account, whichever conversation made it.

    Counted per account, not per conversation: a new conversation costs an
    attacker nothing, so the cooldown (``services.verification_lock``) reads
    these rows.
    """

    __tablename__ = "verification_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Suppression(Base):
    """A person who must never be contacted again, kept as a salted hash after erasure.

    ``digest`` is an HMAC of the normalised phone number or e-mail address
    (``crm_backend.services.privacy``): the outbound doors can test a number
    against it, nobody can read the number back.
    """

    __tablename__ = "suppressions"
    __table_args__ = (UniqueConstraint("digest", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # phone or email
    channel: Mapped[str] = mapped_column(String(10))  # sms, voice, email or all
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RegisteredProduct(Base):
    """A product the customer owns (the installed base)."""

    __tablename__ = "registered_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    serial_number: Mapped[Optional[str]] = mapped_column(String(50))
    purchased_on: Mapped[dt.date]
    warranty_until: Mapped[Optional[dt.date]]

    account: Mapped[Account] = relationship(back_populates="registered_products")
    product: Mapped[Product] = relationship()


class Complaint(Base):
    """A complaint the customer raised; an open one is an alert."""

    __tablename__ = "complaints"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    subject: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[Optional[dt.datetime]]

    account: Mapped[Account] = relationship(back_populates="complaints")


class ScriptAnswer(Base):
    """An answer given during an interactive script, kept on the customer's record."""

    __tablename__ = "script_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    script: Mapped[str] = mapped_column(String(100))
    question: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(String(500))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    account: Mapped[Account] = relationship(back_populates="script_answers")
