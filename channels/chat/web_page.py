"""The web chat page at ``/``: plain HTML, CSS and a little JavaScript."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent / "web"

router = APIRouter(tags=["web chat"])
static_files = StaticFiles(directory=WEB_DIR)


@router.get("/", include_in_schema=False)
async def chat_page() -> FileResponse:
    """The chat page."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html")
