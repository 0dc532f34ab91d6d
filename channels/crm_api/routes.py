"""The CRM HTTP API, read side: a FastAPI router over the CRM's services.

:func:`create_router` builds it for one unit-of-work factory and one API
token; the gateway (:func:`channels.app.create_app`) mounts it. The two product endpoints are
public; every other one holds personal data and answers 401 without
``Authorization: Bearer <ICBOT_API_TOKEN>``, before any database work.

The CRM's named errors become HTTP answers in one place, :data:`STATUS_BY_ERROR`,
with the error's message as the reason: ``{"detail": "order NOPE not found"}``.
"""

# No "from __future__ import annotations" here: the routes' annotations name dependencies
# built inside create_router, which FastAPI can only see if annotations are evaluated eagerly.
import logging
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.exc import OperationalError

from crm_backend.auth import token_matches
from crm_backend.errors import (
    BusinessRuleViolation,
    Conflict,
    CrmError,
    CrmUnavailable,
    InvalidRequest,
    NotFound,
)
from crm_backend.models import MAX_ROW_ID
from crm_backend.services import (
    accounts,
    call_lists,
    conversation,
    follow_up,
    leads,
    orders,
    products,
    quotes,
)
from crm_backend.text import normalize_email, normalize_phone
from crm_backend.uow import UnitOfWork

from .call_list_schemas import CallListPublic, CallListSummary
from .schemas import (
    AccountPublic,
    AccountSummary,
    ActivityPublic,
    InteractionPublic,
    LeadPublic,
    OrderPublic,
    ProductPublic,
    QuotePublic,
)

log = logging.getLogger(__name__)

UowFactory = Callable[[], UnitOfWork]

# The one place where CRM errors become status codes; the first matching class wins.
STATUS_BY_ERROR: tuple[tuple[type[CrmError], int], ...] = (
    (NotFound, status.HTTP_404_NOT_FOUND),
    (InvalidRequest, status.HTTP_422_UNPROCESSABLE_CONTENT),
    (BusinessRuleViolation, status.HTTP_409_CONFLICT),
    (Conflict, status.HTTP_409_CONFLICT),
    (CrmUnavailable, status.HTTP_503_SERVICE_UNAVAILABLE),
)

_bearer = HTTPBearer(
    auto_error=False, description="The integration token (ICBOT_API_TOKEN, or var/api_token)"
)


def _error(description: str, example: str) -> dict[str, Any]:
    """An error answer for the OpenAPI page: ``{"detail": "<reason>"}``."""
    content = {"application/json": {"example": {"detail": example}}}
    return {"description": description, "content": content}


PROTECTED_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("No valid API token", "a valid API token is required"),
    503: _error("The database cannot be reached", "the CRM database cannot be reached"),
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: _error("No such record", "order NOPE not found")}


def http_error(exc: CrmError) -> HTTPException:
    """The HTTP answer to a CRM error: its status code and its message as the reason."""
    code = next(
        (code for kind, code in STATUS_BY_ERROR if isinstance(exc, kind)),
        status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
    if code >= status.HTTP_500_INTERNAL_SERVER_ERROR:
        log.error("CRM error answered with %s: %s", code, exc, exc_info=exc)
    return HTTPException(status_code=code, detail=exc.message)


def create_router(*, uow_factory: UowFactory, api_token: str) -> APIRouter:
    """The CRM API for one database and one token."""

    def unit_of_work() -> Iterator[UnitOfWork]:
        with uow_factory() as uow:
            try:
                yield uow
            except OperationalError as exc:
                # Reads reach the database here, outside the unit of work's own translation.
                unavailable = CrmUnavailable("the CRM database cannot be reached")
                unavailable.__cause__ = exc  # so the log shows what the database said
                raise http_error(unavailable) from exc
            except CrmError as exc:
                raise http_error(exc) from exc

    def require_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        if credentials is None or not token_matches(api_token, credentials.credentials):
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED,
                detail="a valid API token is required: Authorization: Bearer <token>",
                headers={"WWW-Authenticate": "Bearer"},
            )

    Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
    # A row id fits a signed 64-bit integer; a larger one is a 422, not a database error.
    AccountId = Annotated[int, Query(description="The account's id", ge=1, le=MAX_ROW_ID)]

    public = APIRouter(prefix="/api", tags=["catalog"])
    protected = APIRouter(
        prefix="/api", dependencies=[Depends(require_token)], responses=PROTECTED_RESPONSES
    )

    @public.get("/products", response_model=list[ProductPublic], summary="Search the catalog")
    def search_products(
        uow: Uow,
        q: Annotated[
            str | None, Query(description="Name, alias, SKU or category; accents and case ignored")
        ] = None,
    ) -> list[ProductPublic]:
        """Active products matching ``q`` (all without it), with accessories and alternatives."""
        found = products.search_products(uow, text=q) if q else uow.products.list_active()
        return [ProductPublic.of(p) for p in found]

    @public.get("/products/{sku}", response_model=ProductPublic, responses=NOT_FOUND)
    def get_product(uow: Uow, sku: Annotated[str, Path(examples=["ECL-3000"])]) -> ProductPublic:
        """One product by SKU, in any case."""
        return ProductPublic.of(products.get_product(uow, sku=sku))

    @protected.get("/accounts", response_model=list[AccountSummary], tags=["accounts"])
    def find_accounts(
        uow: Uow,
        phone: Annotated[
            str | None, Query(description="Any common form: +33612345678, 06 12 34 56 78")
        ] = None,
        email: Annotated[str | None, Query(description="Case ignored")] = None,
        q: Annotated[
            str | None, Query(description="Part of a name, customer number or postcode")
        ] = None,
    ) -> list[AccountSummary]:
        """Accounts matching every criterion given; an empty list when none does."""
        if not (phone or email or (q and q.strip())):
            raise InvalidRequest("give at least one of phone, email or q")
        # A malformed phone or e-mail is an error of the caller, not an empty result.
        if phone:
            normalize_phone(phone)
        if email:
            normalize_email(email)
        found = accounts.find_accounts(uow, phone=phone, email=email, q=q)
        return [AccountSummary.model_validate(a) for a in found]

    @protected.get(
        "/accounts/{account_id}",
        response_model=AccountPublic,
        tags=["accounts"],
        responses=NOT_FOUND,
    )
    def get_account(
        uow: Uow, account_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
    ) -> AccountPublic:
        """One account with phones, e-mails, address, preferences, consents and what it owns."""
        return AccountPublic.model_validate(accounts.get_account(uow, account_id=account_id))

    @protected.get("/orders", response_model=list[OrderPublic], tags=["sales"], responses=NOT_FOUND)
    def list_orders(uow: Uow, account_id: AccountId) -> list[OrderPublic]:
        """The account's sales orders, newest first."""
        accounts.get_account(uow, account_id=account_id)
        return [OrderPublic.of(o) for o in orders.orders_for(uow, account_id=account_id)]

    @protected.get(
        "/orders/{number}", response_model=OrderPublic, tags=["sales"], responses=NOT_FOUND
    )
    def get_order(uow: Uow, number: Annotated[str, Path(examples=["SO-000001"])]) -> OrderPublic:
        """One sales order by number, with its lines and status history."""
        return OrderPublic.of(orders.get_order(uow, number=number))

    @protected.get("/quotes", response_model=list[QuotePublic], tags=["sales"], responses=NOT_FOUND)
    def list_quotes(uow: Uow, account_id: AccountId) -> list[QuotePublic]:
        """The account's quotes, newest first; a quote past its validity shows as expired."""
        accounts.get_account(uow, account_id=account_id)
        return [
            QuotePublic.model_validate(q) for q in quotes.quotes_for(uow, account_id=account_id)
        ]

    @protected.get(
        "/quotes/{number}", response_model=QuotePublic, tags=["sales"], responses=NOT_FOUND
    )
    def get_quote(uow: Uow, number: Annotated[str, Path(examples=["Q-000001"])]) -> QuotePublic:
        """One quote by number."""
        return QuotePublic.model_validate(quotes.get_quote(uow, number=number))

    @protected.get(
        "/leads", response_model=list[LeadPublic], tags=["marketing"], responses=NOT_FOUND
    )
    def list_leads(uow: Uow, account_id: AccountId) -> list[LeadPublic]:
        """The account's leads, newest first."""
        accounts.get_account(uow, account_id=account_id)
        return [LeadPublic.model_validate(x) for x in leads.leads_for(uow, account_id=account_id)]

    @protected.get(
        "/activities", response_model=list[ActivityPublic], tags=["follow-up"], responses=NOT_FOUND
    )
    def list_activities(uow: Uow, account_id: AccountId) -> list[ActivityPublic]:
        """The account's follow-up activities, soonest due first."""
        accounts.get_account(uow, account_id=account_id)
        found = follow_up.activities_for(uow, account_id=account_id)
        return [ActivityPublic.model_validate(a) for a in found]

    @protected.get(
        "/interactions",
        response_model=list[InteractionPublic],
        tags=["follow-up"],
        responses=NOT_FOUND,
    )
    def list_interactions(uow: Uow, account_id: AccountId) -> list[InteractionPublic]:
        """The account's contacts, newest first."""
        accounts.get_account(uow, account_id=account_id)
        found = conversation.interactions_for(uow, account_id=account_id)
        return [InteractionPublic.model_validate(i) for i in found]

    @protected.get("/feedback", response_model=list[InteractionPublic], tags=["follow-up"])
    def list_feedback(
        uow: Uow, limit: Annotated[int, Query(ge=1, le=500)] = 100
    ) -> list[InteractionPublic]:
        """The latest contacts that left feedback (praise, suggestions), anonymous ones too."""
        found = follow_up.recent_feedback(uow, limit=limit)
        return [InteractionPublic.model_validate(i) for i in found]

    @protected.get("/call-lists", response_model=list[CallListSummary], tags=["marketing"])
    def list_call_lists(uow: Uow) -> list[CallListSummary]:
        """Every call list, newest first."""
        return [CallListSummary.of(c) for c in call_lists.list_call_lists(uow)]

    @protected.get(
        "/call-lists/{call_list_id}",
        response_model=CallListPublic,
        tags=["marketing"],
        responses=NOT_FOUND,
    )
    def get_call_list(
        uow: Uow, call_list_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
    ) -> CallListPublic:
        """One call list with its entries, highest priority first."""
        return CallListPublic.of(call_lists.get_call_list(uow, call_list_id=call_list_id))

    router = APIRouter()
    router.include_router(public)
    router.include_router(protected)
    return router
