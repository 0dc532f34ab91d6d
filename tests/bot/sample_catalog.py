"""A catalog in the CRM export's format, shared by the tests of the entity and catalog matchers.

Made up here, so the tests do not depend on what the seed data holds today.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

CATALOG = [
    {"sku": "ECL-3000", "name": "Éclipse 3000", "category": "laptops",
     "aliases": ["eclipse 3000", "eclipse laptop", "eclipse 3k"]},
    {"sku": "BAG-ECL", "name": "Éclipse Laptop Bag", "category": "accessories",
     "aliases": ["laptop bag", "eclipse bag", "bag"]},
    {"sku": "BAT-ECL3000", "name": "Éclipse 3000 Spare Battery", "category": "accessories",
     "aliases": ["second battery", "spare battery", "extra battery", "battery"]},
    {"sku": "NOV-14", "name": "Nova 14", "category": "laptops", "aliases": []},
    {"sku": "ZEN-PRO", "name": "Zenith Pro 15", "category": "laptops",
     "aliases": ["zenith pro", "pro"]},
    {"sku": "HEADSET-PRO", "name": "Pro Headset", "category": "accessories",
     "aliases": ["headset", "pro"]},
]  # fmt: skip
