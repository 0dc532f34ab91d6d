"""Generated demo customers: French-looking persons and a few companies with contacts.

Everything comes from one :class:`random.Random` the caller seeds, so the same
seed and the same ``today`` give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sqlalchemy.orm import Session

from ..models import Account, AccountContact, AccountKind, ConsentStatus, ContactChannel
from ..text import normalize
from .builders import Person, add_account, at

FIRST_NAMES = (
    "Alice", "Antoine", "Camille", "Chloé", "Clément", "Élodie", "Emma", "Étienne",
    "François", "Gabriel", "Hélène", "Hugo", "Inès", "Isabelle", "Jacques", "Jeanne",
    "Léa", "Léo", "Louis", "Lucas", "Manon", "Margaux", "Mathilde", "Maxime",
    "Nathalie", "Noémie", "Olivier", "Pauline", "Quentin", "Raphaël", "Sandrine", "Sébastien",
    "Thomas", "Valérie", "Vincent", "Yasmine", "Zoé", "Benoît", "Céline", "Damien",
)  # fmt: skip

# Moreau, Laurent, Bernard, Martin and Petit are left out: the fixed demo accounts
# carry them, and a namesake in the same town would make identification ambiguous.
LAST_NAMES = (
    "Dubois", "Durand", "Leroy", "Lefèvre", "Roux", "Fournier", "Girard", "Bonnet",
    "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lemoine", "Faure",
    "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François",
    "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément", "Morin", "Nicolas",
    "Henry", "Roussel", "Mathieu", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
)  # fmt: skip

CITIES = (
    ("Paris", "75003"), ("Paris", "75015"), ("Paris", "75018"), ("Lyon", "69003"),
    ("Lyon", "69007"), ("Villeurbanne", "69100"), ("Marseille", "13001"), ("Toulouse", "31000"),
    ("Nice", "06000"), ("Nantes", "44000"), ("Strasbourg", "67000"), ("Montpellier", "34000"),
    ("Bordeaux", "33800"), ("Lille", "59800"), ("Rennes", "35000"), ("Reims", "51100"),
    ("Grenoble", "38000"), ("Dijon", "21000"), ("Angers", "49000"), ("Annecy", "74000"),
)  # fmt: skip

STREETS = (
    "rue Victor Hugo", "avenue Jean Jaurès", "boulevard Gambetta", "rue de la Paix",
    "rue Pasteur", "avenue de la Libération", "rue du Général de Gaulle", "place de la Mairie",
    "rue des Écoles", "chemin des Vignes", "rue Jules Ferry", "allée des Tilleuls",
    "rue Émile Zola", "quai Saint-Antoine", "rue de la Gare", "impasse des Lilas",
)  # fmt: skip

EMAIL_DOMAINS = ("example.fr", "example.com", "example.net")

# name, city, postcode, e-mail domain, (contact, role)
COMPANIES = (
    ("Atelier Dubois SARL", "Lyon", "69001", "atelier-dubois.example", ("Marc Dubois", "gérant")),
    (
        "Cabinet Fontaine & Associés",
        "Paris",
        "75008",
        "cabinet-fontaine.example",
        ("Claire Fontaine", "associée"),
    ),
    ("Boulangerie Roux", "Annecy", "74000", "boulangerie-roux.example", ("Émile Roux", "gérant")),
    (
        "Transports Girard",
        "Toulouse",
        "31200",
        "transports-girard.example",
        ("Nadia Girard", "directrice administrative"),
    ),
    (
        "École Les Tilleuls",
        "Nantes",
        "44100",
        "ecole-tilleuls.example",
        ("Paul Mercier", "directeur"),
    ),
    (
        "Studio Lambert Architecture",
        "Bordeaux",
        "33000",
        "studio-lambert.example",
        ("Aurélie Lambert", "architecte"),
    ),
)

# The first digit of a French landline by département: 01 Paris region, 02 north-west,
# 03 north-east, 04 south-east, 05 south-west.
LANDLINE_DIGIT = {
    "75": "1", "44": "2", "35": "2", "49": "2", "67": "3", "59": "3", "51": "3", "21": "3",
    "69": "4", "74": "4", "13": "4", "06": "4", "34": "4", "38": "4", "31": "5", "33": "5",
}  # fmt: skip

# Generated customers follow the fixed demo accounts C-100001 to C-100005.
FIRST_GENERATED_NUMBER = 100006
PERSON_COUNT = 49


class ContactDataSource:
    """Hands out unique phone numbers and e-mail addresses."""

    def __init__(self, rng: random.Random, taken_phones: set[str]) -> None:
        self.rng = rng
        self.phones = set(taken_phones)
        self.emails: set[str] = set()

    def mobile(self) -> str:
        """A French mobile number nobody has yet."""
        while True:
            number = f"+33{self.rng.choice('67')}{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def landline(self, postcode: str) -> str:
        """A French landline of the region of ``postcode``."""
        digit = LANDLINE_DIGIT.get(postcode[:2], "1")
        while True:
            number = f"+33{digit}{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def email(self, *parts: str, domain: str | None = None) -> str:
        """An address made of ``parts`` at ``domain`` (default: an example domain), unique."""
        local = ".".join(normalize(p).replace(" ", "-").replace("'", "") for p in parts)
        domain = domain or self.rng.choice(EMAIL_DOMAINS)
        address, n = f"{local}@{domain}", 1
        while address in self.emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.emails.add(address)
        return address


def _customer_numbers() -> Iterator[str]:
    n = FIRST_GENERATED_NUMBER
    while True:
        yield f"C-{n}"
        n += 1


def _consents(rng: random.Random) -> dict[ContactChannel, ConsentStatus]:
    def pick(p_in: float) -> ConsentStatus:
        return ConsentStatus.OPT_IN if rng.random() < p_in else ConsentStatus.OPT_OUT

    return {
        ContactChannel.PHONE: pick(0.85),
        ContactChannel.SMS: pick(0.7),
        ContactChannel.EMAIL: pick(0.75),
    }


def seed_people(
    session: Session, rng: random.Random, *, today: dt.date, taken_phones: set[str]
) -> list[Account]:
    """The generated persons and companies, in customer-number order."""
    contact = ContactDataSource(rng, taken_phones)
    numbers = _customer_numbers()
    accounts: list[Account] = []
    # Every twelfth person asked never to be called again.
    do_not_contact = {3, 15, 27, 39}
    for i in range(PERSON_COUNT):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        city, postcode = rng.choice(CITIES)
        phones = [contact.mobile()]
        if rng.random() < 0.2:
            phones.append(contact.landline(postcode))
        emails = [contact.email(first, last)]
        person = Person(
            customer_number=next(numbers),
            first_name=first,
            last_name=last,
            street=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            postcode=postcode,
            city=city,
            phones=phones,
            emails=emails,
        )
        created = at(today - dt.timedelta(days=rng.randint(60, 1500)), rng.randint(8, 18))
        accounts.append(
            add_account(
                session,
                person,
                created=created,
                consents=_consents(rng),
                do_not_contact=i in do_not_contact,
            )
        )

    for company, city, postcode, domain, (contact_name, role) in COMPANIES:
        first, last = contact_name.split(" ", 1)
        person = Person(
            customer_number=next(numbers),
            first_name=first,
            last_name=last,
            street=f"{rng.randint(1, 80)} {rng.choice(STREETS)}",
            postcode=postcode,
            city=city,
            phones=[contact.landline(postcode)],
            emails=[contact.email("contact", domain=domain)],
            kind=AccountKind.COMPANY,
            company_name=company,
        )
        created = at(today - dt.timedelta(days=rng.randint(200, 1500)), 9)
        account = add_account(session, person, created=created, consents=_consents(rng))
        account.contacts.append(
            AccountContact(
                name=contact_name,
                role=role,
                phone=contact.mobile(),
                email=contact.email(first, last, domain=domain),
            )
        )
        accounts.append(account)
    session.flush()
    return accounts
