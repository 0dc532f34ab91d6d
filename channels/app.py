"""The gateway app, composed in one place: ``uvicorn channels.app:create_app --factory``.

:func:`create_app` reads the settings, builds the database engine and
session factory once, loads (or generates) the API token, and mounts every
door: the CRM API, the chat API and web chat page, the Twilio doors (the phone's
``<Gather>`` door and its ConversationRelay socket among them), the
agent desk at ``/desk`` and ``/healthz``. Nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from twilio.http import HttpClient

from crm_backend.auth import api_token
from crm_backend.db import build_session_factory
from crm_backend.uow import SqlAlchemyUnitOfWork
from languages.identify import identifier

from . import api_docs, desk
from .chat import routes as chat_routes
from .chat import web_page
from .chat.conversation_ids import ConversationIds
from .chat.limits import OpenPolls
from .conversations.language import ConversationLanguages
from .conversations.live import LiveUpdates
from .conversations.rasa_client import RasaClient
from .crm_api.routes import create_router as crm_router
from .desk.agent_desk import AgentDesk
from .guards import BodySizeLimit, refuse_without_echo
from .health import actions_check, database_check, health_router, rasa_checks
from .health_stores import store_checks
from .limits import RateLimits
from .settings import GatewaySettings
from .twilio import outbound_calls, relay, sms, voice
from .twilio.outbound import TwilioOutbound

DESCRIPTION = """\
The public door of **icbot**, the Interaction Center bot: web chat, the chat API
and the CRM's read API.

CRM endpoints hold personal data and need `Authorization: Bearer <ICBOT_API_TOKEN>`
(when the variable is unset, the token is in `var/api_token`); the two product
endpoints are public. Money is a string with two decimals next to its currency.
"""


def create_app(
    settings: GatewaySettings | None = None,
    session_factory: sessionmaker[Session] | None = None,
    *,
    rasa: RasaClient | None = None,
    twilio_http: HttpClient | None = None,
) -> FastAPI:
    """The gateway for ``settings`` (default: from the environment).

    The app closes only what it builds: a given session factory or Rasa client
    stays open for its owner, who may use it after the app stops.

    Args:
        settings: the gateway's settings.
        session_factory: the CRM database's sessions; built from the settings when not given.
        rasa: the Rasa client (tests give one on a fake transport); built from the
            settings when not given.
        twilio_http: the HTTP client of the outbound Twilio client (tests give a fake
            that records requests); the library's own when not given.
    """
    settings = settings or GatewaySettings.from_env()
    owns_engine = session_factory is None
    sessions = session_factory or build_session_factory(settings.crm)
    token = api_token(configured=settings.api_token, var_dir=settings.crm.var_dir)
    owns_rasa = rasa is None
    if rasa is None:
        rasa = RasaClient(
            settings.rasa_servers,
            token=settings.rasa_token,
            channel_secret=settings.channel_secret,
            actions_url=settings.actions_url,
        )

    def uow_factory() -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(sessions)

    # Each conversation's language (channels/conversations/language.py): the turn chooses
    # it, the client routes by it; a given client keeps the languages it was given.
    if rasa.conversation_languages is None:
        spoken = rasa.languages
        rasa.use_languages(
            ConversationLanguages(
                uow_factory, spoken=lambda: spoken, numbers=settings.number_languages
            )
        )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The language identifier learns from the NLU data once per process (about 2 s):
        # before the first customer, not during their turn.
        await to_thread.run_sync(identifier)
        yield
        if owns_rasa:
            await rasa.aclose()
        if owns_engine:
            with sessions() as session:
                bind = session.get_bind()
            if isinstance(bind, Engine):
                bind.dispose()

    # /docs and /redoc are api_docs' own: FastAPI's load their files from a CDN.
    app = FastAPI(
        title="icbot",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    # What the request-scoped doors (chat) read; the CRM router gets its parts directly.
    app.state.settings = settings
    app.state.uow_factory = uow_factory
    app.state.api_token = token
    app.state.conversation_ids = ConversationIds.from_token(token)
    app.state.rasa = rasa
    app.state.conversation_languages = rasa.conversation_languages
    app.state.live = LiveUpdates()
    app.state.limits = RateLimits(settings.limits)
    app.state.open_polls = OpenPolls()
    outbound: list[TwilioOutbound] = []

    def outbound_client() -> TwilioOutbound:
        # Built on first use: without Twilio settings the desk works, SMS replies say why not.
        if not outbound:
            outbound.append(
                TwilioOutbound.from_settings(settings, uow_factory, http_client=twilio_http)
            )
        return outbound[0]

    app.state.agent_desk = AgentDesk(
        rasa=rasa,
        uow_factory=uow_factory,
        settings=settings.crm.handoff,
        live=app.state.live,
        outbound=outbound_client,
    )

    checks = [
        *(
            check
            for language in rasa.languages
            for check in rasa_checks(rasa.is_ready, rasa.server_names(language), language=language)
        ),
        actions_check(settings.actions_url),
        database_check(sessions),
        *store_checks(settings),
    ]
    app.include_router(
        health_router(checks, timeout=settings.health_timeout, var_dir=settings.crm.var_dir)
    )
    app.include_router(crm_router(uow_factory=uow_factory, api_token=token))
    app.include_router(chat_routes.router)
    app.include_router(voice.router)
    app.include_router(relay.router)
    app.include_router(sms.router)
    app.include_router(outbound_calls.router)
    app.include_router(web_page.router)
    app.mount("/static", web_page.static_files, name="static")
    api_docs.install(app)
    desk.install(app)
    # Outermost but for Starlette's error handler: no route parses a body over the limit.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, refuse_without_echo)
    return app
