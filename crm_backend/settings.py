"""Settings of the CRM, read once from environment variables.

| variable | default | meaning |
| --- | --- | --- |
| ``DATABASE_URL`` | ``sqlite:///<repo>/var/icbot.db`` | any SQLAlchemy URL; PostgreSQL works |
| ``ICBOT_VAR_DIR`` | ``<repo>/var`` | where the embedded database and generated secrets live |
| ``ICBOT_CURRENCY`` | ``EUR`` | the currency prices are quoted in |
| ``ICBOT_QUOTE_VALIDITY_DAYS`` | ``30`` | how long a quote stays open |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class CrmSettings:
    """What the CRM needs from its environment."""

    database_url: str
    var_dir: Path
    currency: str = "EUR"
    quote_validity_days: int = 30

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> CrmSettings:
        """Read the settings from ``environ`` (default: ``os.environ``)."""
        env = os.environ if environ is None else environ
        var_dir = Path(env.get("ICBOT_VAR_DIR", REPO_ROOT / "var"))
        default_url = f"sqlite:///{var_dir / 'icbot.db'}"
        return cls(
            database_url=env.get("DATABASE_URL") or default_url,
            var_dir=var_dir,
            currency=env.get("ICBOT_CURRENCY", "EUR"),
            quote_validity_days=int(env.get("ICBOT_QUOTE_VALIDITY_DAYS", "30")),
        )
