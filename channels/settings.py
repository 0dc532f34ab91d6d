"""Settings of the gateway, read once from environment variables.

| variable | default | meaning |
| --- | --- | --- |
| ``ICBOT_API_TOKEN`` | generated into ``<ICBOT_VAR_DIR>/api_token`` | the integration token (``Authorization: Bearer …``) |
| ``ICBOT_PUBLIC_URL`` | ``http://localhost:8000`` | the gateway's public URL, as clients and Twilio see it |
| ``ICBOT_HOST`` | ``127.0.0.1`` | the address the gateway binds |
| ``ICBOT_PORT`` | ``8000`` | the port the gateway listens on |
| ``ICBOT_RASA_URL`` | ``http://127.0.0.1:5005`` | the Rasa server (REST channel and HTTP API) |
| ``ICBOT_RASA_TOKEN`` | none | the token of Rasa's HTTP API |
| ``ICBOT_ACTIONS_URL`` | ``http://127.0.0.1:5055/webhook`` | the action server's webhook (``/healthz`` asks its ``/health``) |
| ``ICBOT_HEALTH_TIMEOUT`` | ``2`` | seconds each ``/healthz`` check may take |

The CRM's own settings (``DATABASE_URL``, ``ICBOT_VAR_DIR``, …) are in
:mod:`crm_backend.settings`.
"""  # noqa: E501 - a table reads better on one line

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from crm_backend.settings import CrmSettings


@dataclass(frozen=True)
class GatewaySettings:
    """What the gateway needs from its environment."""

    crm: CrmSettings
    api_token: str | None = None
    public_url: str = "http://localhost:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str | None = None
    actions_url: str = "http://127.0.0.1:5055/webhook"
    health_timeout: float = 2.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> GatewaySettings:
        """Read the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        return cls(
            crm=CrmSettings.from_env(dict(env)),
            api_token=env.get("ICBOT_API_TOKEN") or None,
            public_url=(env.get("ICBOT_PUBLIC_URL") or "http://localhost:8000").rstrip("/"),
            host=env.get("ICBOT_HOST") or "127.0.0.1",
            port=int(env.get("ICBOT_PORT") or "8000"),
            rasa_url=env.get("ICBOT_RASA_URL") or "http://127.0.0.1:5005",
            rasa_token=env.get("ICBOT_RASA_TOKEN") or None,
            actions_url=env.get("ICBOT_ACTIONS_URL") or "http://127.0.0.1:5055/webhook",
            health_timeout=float(env.get("ICBOT_HEALTH_TIMEOUT") or "2"),
        )
