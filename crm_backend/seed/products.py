"""The demo products: what the shop sells, with the names customers use for them.

The Éclipse 3000 (``ECL-3000``) is the fixed demo laptop of ARCHITECTURE.md;
the rest is a small but believable shop of laptops, accessories, monitors,
printers, phones and services. One product (the Éclipse 1000) is no longer
sold but still in customers' hands.

Aliases are English, then French ("sacoche", "station d'accueil"): one catalog
for the bots of both languages. "<name> laptop" needs no French twin: the
French matcher reads "portable <name>" from it (``bot/entity_rules_fr.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LAPTOPS = "laptops"
ACCESSORIES = "accessories"
MONITORS = "monitors"
PRINTERS = "printers"
PHONES = "phones"
SERVICES = "services"

# Services are not stocked; a large stock keeps availability checks out of their way.
SERVICE_STOCK = 9999


@dataclass(frozen=True)
class ProductSeed:
    """One product of the demo catalog."""

    sku: str
    name: str
    category: str
    price: str
    stock: int
    lead_time_days: int | None
    description: str
    specs: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    active: bool = True


PRODUCTS: tuple[ProductSeed, ...] = (
    # --- laptops ---------------------------------------------------------------------
    ProductSeed(
        sku="ECL-3000",
        name="Éclipse 3000",
        category=LAPTOPS,
        price="1299.00",
        stock=25,
        lead_time_days=5,
        description="A light 14-inch laptop with an OLED screen and a battery that lasts the day.",
        specs={
            "cpu": "Intel Core i7-1360P (12 cores, up to 5.0 GHz)",
            "ram": "16 GB LPDDR5",
            "storage": "512 GB NVMe SSD",
            "screen": '14" OLED, 2880 x 1800, 90 Hz',
            "weight": "1.3 kg",
            "battery_life": "up to 14 hours",
            "ports": "2 x USB-C (Thunderbolt 4), 1 x USB-A, HDMI 2.0, headphone jack",
            "os": "Windows 11 Pro",
        },
        aliases=("eclipse laptop", "eclipse 3000 laptop", "ecl 3000", "eclipse 3k"),
    ),
    ProductSeed(
        sku="ECL-2000",
        name="Éclipse 2000",
        category=LAPTOPS,
        price="899.00",
        stock=40,
        lead_time_days=5,
        description="The Éclipse for everyday work: same chassis, a little less power.",
        specs={
            "cpu": "Intel Core i5-1335U (10 cores, up to 4.6 GHz)",
            "ram": "8 GB LPDDR5",
            "storage": "256 GB NVMe SSD",
            "screen": '14" IPS, 1920 x 1200, 60 Hz',
            "weight": "1.35 kg",
            "battery_life": "up to 11 hours",
            "ports": "2 x USB-C, 1 x USB-A, HDMI 2.0, headphone jack",
            "os": "Windows 11 Home",
        },
        aliases=("eclipse 2000 laptop", "ecl 2000"),
    ),
    ProductSeed(
        sku="NOV-14",
        name="Nova 14",
        category=LAPTOPS,
        price="749.00",
        stock=60,
        lead_time_days=7,
        description="A dependable 14-inch laptop for home and school.",
        specs={
            "cpu": "AMD Ryzen 5 7530U (6 cores, up to 4.5 GHz)",
            "ram": "8 GB DDR4",
            "storage": "512 GB NVMe SSD",
            "screen": '14" IPS, 1920 x 1080, 60 Hz',
            "weight": "1.45 kg",
            "battery_life": "up to 10 hours",
            "ports": "1 x USB-C, 2 x USB-A, HDMI 1.4, headphone jack",
            "os": "Windows 11 Home",
        },
        aliases=("nova laptop", "nova fourteen"),
    ),
    ProductSeed(
        sku="ZEN-PRO",
        name="Zenith Pro 15",
        category=LAPTOPS,
        price="1799.00",
        stock=8,
        lead_time_days=10,
        description="A 15-inch workstation for photo, video and development work.",
        specs={
            "cpu": "Intel Core i9-13900H (14 cores, up to 5.4 GHz)",
            "ram": "32 GB DDR5",
            "storage": "1 TB NVMe SSD",
            "screen": '15.6" OLED, 3200 x 2000, 120 Hz',
            "weight": "1.9 kg",
            "battery_life": "up to 9 hours",
            "ports": "2 x Thunderbolt 4, 2 x USB-A, HDMI 2.1, SD card reader",
            "os": "Windows 11 Pro",
        },
        aliases=("zenith pro", "zenith laptop", "zenith 15"),
    ),
    ProductSeed(
        sku="ECL-1000",
        name="Éclipse 1000",
        category=LAPTOPS,
        price="799.00",
        stock=0,
        lead_time_days=None,
        description="The first Éclipse, no longer sold; still in many customers' hands.",
        specs={
            "cpu": "Intel Core i5-8265U",
            "ram": "8 GB DDR4",
            "storage": "256 GB SSD",
            "screen": '14" IPS, 1920 x 1080',
            "weight": "1.5 kg",
            "battery_life": "up to 8 hours",
        },
        aliases=("eclipse 1000 laptop",),
        active=False,
    ),
    # --- accessories -------------------------------------------------------------------
    ProductSeed(
        sku="BAG-ECL",
        name="Éclipse Laptop Bag",
        category=ACCESSORIES,
        price="59.00",
        stock=120,
        lead_time_days=3,
        description="A padded, water-repellent bag cut for the 14-inch Éclipse laptops.",
        specs={"fits": '14" Éclipse 2000 and 3000', "material": "recycled polyester"},
        aliases=(
            "laptop bag",
            "eclipse bag",
            "matching bag",
            "bag for the eclipse",
            # French
            "sacoche",
            "sacoche éclipse",
            "sacoche assortie",
            "sacoche de l'éclipse",
            "sacoche pour l'éclipse",
        ),
    ),
    ProductSeed(
        sku="BAT-ECL3000",
        name="Éclipse 3000 Spare Battery",
        category=ACCESSORIES,
        price="129.00",
        stock=30,
        lead_time_days=14,
        description="A second battery for the Éclipse 3000: another full day away from a socket.",
        specs={"capacity": "72 Wh", "fits": "Éclipse 3000", "battery_life": "up to 14 hours"},
        aliases=(
            "spare battery",
            "second battery",
            "extra battery",
            "eclipse battery",
            # French
            "batterie de rechange",
            "seconde batterie",
            "deuxième batterie",
            "batterie supplémentaire",
            "batterie éclipse",
            "batterie de l'éclipse",
            "batterie pour l'éclipse",
        ),
    ),
    ProductSeed(
        sku="SLV-14",
        name="Neoprene Sleeve 14",
        category=ACCESSORIES,
        price="24.90",
        stock=3,
        lead_time_days=None,
        description="A slim neoprene sleeve for 14-inch laptops; last units, not restocked.",
        specs={"fits": '13" to 14" laptops', "material": "neoprene"},
        aliases=(
            "laptop sleeve",
            "sleeve",
            # French
            "housse",
            "housse néoprène",
        ),
    ),
    ProductSeed(
        sku="DOCK-USBC",
        name="USB-C Docking Station",
        category=ACCESSORIES,
        price="149.00",
        stock=35,
        lead_time_days=7,
        description="One cable to two screens, the network, and four USB ports.",
        specs={"ports": "2 x HDMI, 1 x Ethernet, 3 x USB-A, 1 x USB-C", "power": "100 W"},
        aliases=(
            "docking station",
            "dock",
            "usb c dock",
            # French
            "station d'accueil",
            "station d'accueil usb-c",
        ),
    ),
    ProductSeed(
        sku="MOUSE-WL",
        name="Wireless Mouse",
        category=ACCESSORIES,
        price="29.90",
        stock=200,
        lead_time_days=3,
        description="A quiet wireless mouse with a USB receiver and Bluetooth.",
        specs={"connectivity": "2.4 GHz and Bluetooth", "battery_life": "12 months (AA)"},
        aliases=(
            "mouse",
            "wireless mouse",
            "cordless mouse",
            # French
            "souris",
            "souris sans fil",
        ),
    ),
    ProductSeed(
        sku="KB-WL",
        name="Wireless Keyboard",
        category=ACCESSORIES,
        price="49.90",
        stock=90,
        lead_time_days=3,
        description="A full-size wireless keyboard, French AZERTY layout.",
        specs={"layout": "AZERTY (French)", "connectivity": "2.4 GHz and Bluetooth"},
        aliases=(
            "keyboard",
            "wireless keyboard",
            "azerty keyboard",
            # French
            "clavier",
            "clavier sans fil",
            "clavier azerty",
        ),
    ),
    ProductSeed(
        sku="CHG-65W",
        name="65 W USB-C Charger",
        category=ACCESSORIES,
        price="39.90",
        stock=75,
        lead_time_days=5,
        description="A compact charger for USB-C laptops and phones.",
        specs={"power": "65 W", "cable": "1.8 m USB-C"},
        aliases=(
            "charger",
            "laptop charger",
            "usb c charger",
            "power adapter",
            # French
            "chargeur",
            "chargeur usb-c",
            "adaptateur secteur",
        ),
    ),
    ProductSeed(
        sku="HEADSET-PRO",
        name="Pro Headset",
        category=ACCESSORIES,
        price="89.00",
        stock=2,
        lead_time_days=None,
        description="A noise-cancelling headset for calls; last units of this model.",
        specs={"connectivity": "Bluetooth 5.3 and USB-C", "battery_life": "up to 30 hours"},
        aliases=(
            "headset",
            "headphones",
            "noise cancelling headset",
            # French
            "casque",
            "casque audio",
            "casque à réduction de bruit",
        ),
    ),
    # --- monitors ------------------------------------------------------------------------
    ProductSeed(
        sku="MON-24FHD",
        name="Vista 24 Full HD Monitor",
        category=MONITORS,
        price="179.00",
        stock=45,
        lead_time_days=5,
        description="A 24-inch Full HD monitor for the office.",
        specs={"size": '24"', "resolution": "1920 x 1080", "panel": "IPS", "refresh_rate": "75 Hz"},
        aliases=(
            "vista 24",
            "24 inch monitor",
            "full hd monitor",
            # French
            "écran 24 pouces",
            "moniteur 24 pouces",
        ),
    ),
    ProductSeed(
        sku="MON-27QHD",
        name="Vista 27 QHD Monitor",
        category=MONITORS,
        price="299.00",
        stock=20,
        lead_time_days=7,
        description="A 27-inch QHD monitor with USB-C, one cable to the laptop.",
        specs={
            "size": '27"',
            "resolution": "2560 x 1440",
            "panel": "IPS",
            "refresh_rate": "100 Hz",
            "ports": "USB-C (65 W), HDMI, DisplayPort",
        },
        aliases=(
            "vista 27",
            "27 inch monitor",
            "qhd monitor",
            # French
            "écran 27 pouces",
            "moniteur 27 pouces",
        ),
    ),
    ProductSeed(
        sku="MON-32UHD",
        name="Vista 32 4K Monitor",
        category=MONITORS,
        price="549.00",
        stock=4,
        lead_time_days=None,
        description="A 32-inch 4K monitor; the last units before the new model.",
        specs={"size": '32"', "resolution": "3840 x 2160", "panel": "VA", "refresh_rate": "60 Hz"},
        aliases=(
            "vista 32",
            "4k monitor",
            "32 inch monitor",
            # French
            "écran 32 pouces",
            "moniteur 32 pouces",
        ),
    ),
    # --- printers ------------------------------------------------------------------------
    ProductSeed(
        sku="PRN-IJ200",
        name="Lumio InkJet 200",
        category=PRINTERS,
        price="129.00",
        stock=30,
        lead_time_days=5,
        description="A colour inkjet printer and scanner for the home.",
        specs={"type": "colour inkjet, print/scan/copy", "speed": "15 pages/min", "wifi": "yes"},
        aliases=(
            "lumio printer",
            "inkjet printer",
            "lumio 200",
            # French
            "imprimante jet d'encre",
            "imprimante à jet d'encre",
        ),
    ),
    ProductSeed(
        sku="PRN-LJ500",
        name="Lumio LaserJet 500",
        category=PRINTERS,
        price="299.00",
        stock=12,
        lead_time_days=10,
        description="A fast black-and-white laser printer for small offices.",
        specs={"type": "mono laser", "speed": "38 pages/min", "duplex": "yes", "wifi": "yes"},
        aliases=(
            "laser printer",
            "lumio laser",
            "lumio 500",
            # French
            "imprimante lumio laser",
        ),
    ),
    ProductSeed(
        sku="INK-IJ200",
        name="Lumio 200 Ink Cartridge Pack",
        category=PRINTERS,
        price="34.90",
        stock=150,
        lead_time_days=3,
        description="Black and colour cartridges for the Lumio InkJet 200.",
        specs={"fits": "Lumio InkJet 200", "yield": "about 300 pages"},
        aliases=(
            "ink",
            "ink cartridges",
            "printer ink",
            "cartridges",
            # French
            "encre",
            "cartouches",
            "cartouche d'encre",
            "cartouches d'encre",
            "encre d'imprimante",
        ),
    ),
    ProductSeed(
        sku="TONER-LJ500",
        name="Lumio 500 Toner",
        category=PRINTERS,
        price="79.00",
        stock=40,
        lead_time_days=5,
        description="Black toner for the Lumio LaserJet 500.",
        specs={"fits": "Lumio LaserJet 500", "yield": "about 3,000 pages"},
        aliases=(
            "toner",
            "laser toner",
            # French
            "toner laser",
            "cartouche de toner",
        ),
    ),
    # --- phones ------------------------------------------------------------------------
    ProductSeed(
        sku="PHN-ASTRA",
        name="Astra 5G",
        category=PHONES,
        price="599.00",
        stock=50,
        lead_time_days=7,
        description="A 6.4-inch 5G smartphone with a two-day battery.",
        specs={
            "screen": '6.4" AMOLED, 120 Hz',
            "storage": "256 GB",
            "camera": "50 MP main, 12 MP ultra-wide",
            "battery_life": "up to 2 days",
        },
        aliases=("astra phone", "astra smartphone", "5g phone"),
    ),
    ProductSeed(
        sku="PHN-ASTRA-LITE",
        name="Astra Lite",
        category=PHONES,
        price="349.00",
        stock=80,
        lead_time_days=7,
        description="The Astra, simpler and lighter on the wallet.",
        specs={
            "screen": '6.1" LCD, 90 Hz',
            "storage": "128 GB",
            "camera": "48 MP",
            "battery_life": "up to 1.5 days",
        },
        aliases=("astra lite phone", "astra light"),
    ),
    ProductSeed(
        sku="CASE-ASTRA",
        name="Astra Protective Case",
        category=ACCESSORIES,
        price="19.90",
        stock=300,
        lead_time_days=3,
        description="A shock-absorbing case for the Astra 5G.",
        specs={"fits": "Astra 5G", "material": "silicone"},
        aliases=(
            "phone case",
            "astra case",
            # French
            "coque",
            "coque astra",
            "étui astra",
        ),
    ),
    ProductSeed(
        sku="BUDS-ASTRA",
        name="Astra Buds",
        category=ACCESSORIES,
        price="99.00",
        stock=60,
        lead_time_days=5,
        description="Wireless earbuds with noise cancelling.",
        specs={"battery_life": "6 hours, 24 hours with the case", "connectivity": "Bluetooth 5.3"},
        aliases=(
            "earbuds",
            "wireless earbuds",
            "earphones",
            # French
            "écouteurs",
            "écouteurs sans fil",
            "oreillettes",
        ),
    ),
    # --- services ------------------------------------------------------------------------
    ProductSeed(
        sku="WAR-EXT2",
        name="2-Year Extended Warranty",
        category=SERVICES,
        price="149.00",
        stock=SERVICE_STOCK,
        lead_time_days=0,
        description="Two more years of repair or replacement after the maker's warranty ends.",
        specs={"duration": "24 months", "coverage": "parts, labour and return shipping"},
        aliases=(
            "extended warranty",
            "warranty extension",
            "longer warranty",
            # French
            "extension de garantie",
            "garantie étendue",
            "garantie prolongée",
        ),
    ),
    ProductSeed(
        sku="SRV-INSTALL",
        name="Home Installation and Setup",
        category=SERVICES,
        price="79.00",
        stock=SERVICE_STOCK,
        lead_time_days=0,
        description="A technician sets up the device at home and moves your accounts over.",
        specs={"duration": "up to 2 hours", "area": "mainland France"},
        aliases=(
            "installation",
            "setup service",
            "home setup",
            # French
            "installation à domicile",
            "service d'installation",
        ),
    ),
    ProductSeed(
        sku="SRV-DATA",
        name="Data Transfer Service",
        category=SERVICES,
        price="49.00",
        stock=SERVICE_STOCK,
        lead_time_days=0,
        description="Files, photos and settings moved from the old computer to the new one.",
        specs={"duration": "same day", "volume": "up to 1 TB"},
        aliases=(
            "data transfer",
            "data migration",
            "file transfer",
            "move my files",
            "transfer my files",
            # French
            "transfert de données",
            "migration de données",
            "transfert de fichiers",
        ),
    ),
)


SEEDS_BY_SKU: dict[str, ProductSeed] = {seed.sku: seed for seed in PRODUCTS}
