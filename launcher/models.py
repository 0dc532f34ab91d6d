"""Where each language's model is: ``models/icbot-<lang>.tar.gz``, as ``make model`` trains it."""

from __future__ import annotations

from pathlib import Path

from languages import DEFAULT, languages

REPO_ROOT = Path(__file__).resolve().parents[1]
# English, the default language: its model, and its servers' plain names ("rasa").
DEFAULT_LANGUAGE = DEFAULT
DEFAULT_MODEL = REPO_ROOT / "models" / f"icbot-{DEFAULT_LANGUAGE}.tar.gz"


def model_path(language: str) -> Path:
    """Where ``make model`` puts a language's model."""
    return REPO_ROOT / "models" / f"icbot-{language}.tar.gz"


def other_language_models() -> dict[str, Path]:
    """The model of each language but English that ``make model`` trained."""
    others = (language for language in languages() if language != DEFAULT_LANGUAGE)
    return {language: model_path(language) for language in others if model_path(language).exists()}
