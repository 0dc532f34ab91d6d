"""The catalog's French aliases ("sacoche", "station d'accueil"), for a database seeded before them.

A new database gets them from the seed (crm_backend/seed/products.py); this adds to an
existing one the aliases its products lack, so that ``make catalog`` exports them and the
French bot finds "la sacoche de l'éclipse". A product the database does not have (a shop
of its own) is left alone; downgrade removes exactly these aliases.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SKU -> its French aliases, as the seed has them on this date.
FRENCH_ALIASES: dict[str, tuple[str, ...]] = {
    "BAG-ECL": (
        "sacoche",
        "sacoche éclipse",
        "sacoche assortie",
        "sacoche de l'éclipse",
        "sacoche pour l'éclipse",
    ),
    "BAT-ECL3000": (
        "batterie de rechange",
        "seconde batterie",
        "deuxième batterie",
        "batterie supplémentaire",
        "batterie éclipse",
        "batterie de l'éclipse",
        "batterie pour l'éclipse",
    ),
    "SLV-14": (
        "housse",
        "housse néoprène",
    ),
    "DOCK-USBC": (
        "station d'accueil",
        "station d'accueil usb-c",
    ),
    "MOUSE-WL": (
        "souris",
        "souris sans fil",
    ),
    "KB-WL": (
        "clavier",
        "clavier sans fil",
        "clavier azerty",
    ),
    "CHG-65W": (
        "chargeur",
        "chargeur usb-c",
        "adaptateur secteur",
    ),
    "HEADSET-PRO": (
        "casque",
        "casque audio",
        "casque à réduction de bruit",
    ),
    "MON-24FHD": (
        "écran 24 pouces",
        "moniteur 24 pouces",
    ),
    "MON-27QHD": (
        "écran 27 pouces",
        "moniteur 27 pouces",
    ),
    "MON-32UHD": (
        "écran 32 pouces",
        "moniteur 32 pouces",
    ),
    "PRN-IJ200": (
        "imprimante jet d'encre",
        "imprimante à jet d'encre",
    ),
    "PRN-LJ500": ("imprimante lumio laser",),
    "INK-IJ200": (
        "encre",
        "cartouches",
        "cartouche d'encre",
        "cartouches d'encre",
        "encre d'imprimante",
    ),
    "TONER-LJ500": (
        "toner laser",
        "cartouche de toner",
    ),
    "CASE-ASTRA": (
        "coque",
        "coque astra",
        "étui astra",
    ),
    "BUDS-ASTRA": (
        "écouteurs",
        "écouteurs sans fil",
        "oreillettes",
    ),
    "WAR-EXT2": (
        "extension de garantie",
        "garantie étendue",
        "garantie prolongée",
    ),
    "SRV-INSTALL": (
        "installation à domicile",
        "service d'installation",
    ),
    "SRV-DATA": (
        "transfert de données",
        "migration de données",
        "transfert de fichiers",
    ),
}

products = sa.table("products", sa.column("id", sa.Integer), sa.column("sku", sa.String))
aliases = sa.table(
    "product_aliases",
    sa.column("product_id", sa.Integer),
    sa.column("alias", sa.String),
    sa.column("search_alias", sa.String),
)


def _search_key(text: str) -> str:
    """crm_backend.text.normalize as of this revision (a migration keeps its own copy)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split()).casefold()


def upgrade() -> None:
    """Add each known product's missing French aliases."""
    bind = op.get_bind()
    ids = dict(bind.execute(sa.select(products.c.sku, products.c.id)).all())
    have = set(bind.execute(sa.select(aliases.c.product_id, aliases.c.alias)).all())
    rows = [
        {"product_id": ids[sku], "alias": alias, "search_alias": _search_key(alias)}
        for sku, names in FRENCH_ALIASES.items()
        if sku in ids
        for alias in names
        if (ids[sku], alias) not in have
    ]
    if rows:
        op.bulk_insert(aliases, rows)


def downgrade() -> None:
    """Remove the aliases this revision adds."""
    bind = op.get_bind()
    ids = dict(bind.execute(sa.select(products.c.sku, products.c.id)).all())
    for sku, names in FRENCH_ALIASES.items():
        if sku in ids:
            bind.execute(
                aliases.delete().where(aliases.c.product_id == ids[sku], aliases.c.alias.in_(names))
            )
