"""The sample catalog of ``sample_catalog.py`` with French aliases, as the seed writes them.

English aliases first, then French, in one list: the export has one catalog for both bots.
"""

from __future__ import annotations

from sample_catalog import CATALOG

FRENCH_ALIASES = {
    "BAG-ECL": ["sacoche", "sacoche éclipse", "sacoche de l'éclipse", "sacoche pour l'éclipse"],
    "BAT-ECL3000": ["batterie de rechange", "seconde batterie", "batterie supplémentaire",
                    "batterie de l'éclipse", "batterie pour l'éclipse"],
    "HEADSET-PRO": ["casque"],
}  # fmt: skip

MORE_PRODUCTS = [
    {"sku": "SLV-14", "name": "Neoprene Sleeve 14", "category": "accessories",
     "aliases": ["sleeve", "housse"]},
    {"sku": "DOCK-USBC", "name": "USB-C Docking Station", "category": "accessories",
     "aliases": ["docking station", "dock", "station d'accueil"]},
    {"sku": "MOUSE-WL", "name": "Wireless Mouse", "category": "accessories",
     "aliases": ["mouse", "souris", "souris sans fil"]},
    {"sku": "KB-WL", "name": "Wireless Keyboard", "category": "accessories",
     "aliases": ["keyboard", "clavier", "clavier sans fil"]},
    {"sku": "CHG-65W", "name": "65 W USB-C Charger", "category": "accessories",
     "aliases": ["charger", "chargeur"]},
    {"sku": "MON-24FHD", "name": "Vista 24 Full HD Monitor", "category": "monitors",
     "aliases": ["full hd monitor", "écran 24 pouces"]},
    {"sku": "PRN-LJ500", "name": "Lumio LaserJet 500", "category": "printers",
     "aliases": ["laser printer"]},
    {"sku": "INK-IJ200", "name": "Lumio 200 Ink Cartridge Pack", "category": "printers",
     "aliases": ["ink", "cartridges", "encre", "cartouches", "cartouche d'encre"]},
    {"sku": "TONER-LJ500", "name": "Lumio 500 Toner", "category": "printers",
     "aliases": ["toner", "cartouche de toner"]},
]  # fmt: skip

CATALOG_FR = [
    {**p, "aliases": [*p["aliases"], *FRENCH_ALIASES.get(str(p["sku"]), [])]} for p in CATALOG
] + MORE_PRODUCTS
