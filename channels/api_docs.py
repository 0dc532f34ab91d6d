"""The HTTP API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), offline.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, ReDoc its fonts from
Google and both their icon from FastAPI's site: on a machine without the
internet they are blank. These are the same pages (FastAPI's
``get_swagger_ui_html`` and ``get_redoc_html``) with every file served by the
gateway itself under ``/docs-assets``: the copies of Swagger UI and ReDoc that
the ``fastapi-offline`` package ships (pinned in ``requirements/app.in``).

Their Content-Security-Policy lets them load nothing but the gateway's own
files: scripts from here and the page's own inline start-up script (by its
hash), the OpenAPI schema from here, ReDoc's search worker from a ``blob:``.
Both libraries set styles at run time (ReDoc writes ``<style>`` elements), so
styles may be inline; nothing else may.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from .desk.templating import SECURITY_HEADERS

ASSETS_URL = "/docs-assets"
# swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png.
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def install(app: FastAPI) -> None:
    """Serve ``/docs``, ``/redoc`` and their files on ``app`` (built with both URLs ``None``)."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS_DIR), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return with_policy(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return with_policy(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
                with_google_fonts=False,
            )
        )


def with_policy(page: HTMLResponse) -> HTMLResponse:
    """``page`` with the security headers, its inline scripts allowed by their hashes only."""
    html = bytes(page.body).decode()
    scripts = ["'self'", *(_sha256(script) for script in _INLINE_SCRIPT.findall(html))]
    policy = (
        f"default-src 'self'; script-src {' '.join(scripts)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
        "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    )
    return HTMLResponse(html, headers={**SECURITY_HEADERS, "Content-Security-Policy": policy})


def _sha256(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return f"'sha256-{digest}'"
