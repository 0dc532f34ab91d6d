"""The French customer: its answers, its yes and no, the buttons it clicks, in French."""

from __future__ import annotations

from converse.answers import Customer, local_phone, range_button
from converse.questions import Button, Question, classify
from converse.scenario import Persona, Phrasing

PIERRE = {
    "first_name": "Pierre",
    "last_name": "Moreau",
    "email": "pierre.moreau@example.fr",
    "postcode": "69002",
    "customer_number": "C-100001",
    "phone": "+33612345678",
    "city": "Lyon",
}
NAMES = {"ECL-3000": "Éclipse 3000", "BAG-ECL": "Éclipse Laptop Bag", "NOV-14": "Nova 14"}


def french(index: int = 0, **changes) -> Customer:
    values = {
        "opening": "bonjour",
        "then": (),
        "answers": {},
        "identify_with": "email",
        "clicks": False,
        "persona": Persona(account="C-100001", facts=PIERRE),
    }
    values.update(changes)
    return Customer(Phrasing(**values), index=index, names=NAMES, language="fr")


def hears(customer: Customer, *texts: str, buttons=()) -> str | None:
    reply = customer.reply(classify(texts, buttons, language="fr"))
    return None if reply is None else reply.text


def test_a_french_customer_answers_in_french_each_phrasing_its_own_way():
    said = [hears(french(i), "Quel est votre code postal ?") for i in range(3)]
    assert said == ["69002", "mon code postal c'est 69002", "cp 69002"]
    assert hears(french(1), "Est-ce bien vous, Pierre Moreau ?") == "oui c'est moi"


def test_it_gives_its_phone_as_written_in_france():
    customer = french(identify_with="phone")
    assert hears(customer, "Pouvez-vous me donner votre numéro client ?") == "06 12 34 56 78"
    assert local_phone("+33698765432") == "06 98 76 54 32"
    assert local_phone("+441234567890") is None


def test_a_new_person_says_it_has_no_account_in_french():
    customer = french(persona=Persona(account=None, facts={"first_name": "A", "last_name": "B"}))
    assert hears(customer, "Quel est votre numéro client ?") == "je ne suis pas encore client"


def test_it_says_no_in_french_to_a_summary_that_is_not_what_it_wants():
    customer = french(index=1)
    customer.wants = {"ECL-3000": 1, "BAG-ECL": 1}
    said = hears(customer, "Voici votre commande : 1 x Éclipse 3000. Dois-je la passer ?")
    assert said == "non c pas ça"


def test_it_refuses_in_french_a_deed_that_is_not_its_goal_and_says_its_line():
    customer = french(then=("je veux refuser mon devis",))
    customer.goals = frozenset({"reject_quote"})
    said = hears(customer, "Voulez-vous que je transforme votre devis en commande ?")
    assert said == "non, je veux refuser mon devis"


def test_offered_the_bag_of_its_laptop_it_says_yes_with_it():
    customer = french()
    customer.wants, customer.buying = {"ECL-3000": 1, "BAG-ECL": 1}, True
    question = Question(
        kind="offer",
        text="Souhaitez-vous commander, avec ou sans ?",
        whole="L'Éclipse 3000 est notre portable phare.\nIl va bien avec : Éclipse Laptop Bag.",
        message="Il va bien avec : Éclipse Laptop Bag.",
        language="fr",
    )
    reply = customer.reply(question)
    assert reply is not None
    assert reply.text == "oui, avec Éclipse Laptop Bag"


def test_its_budget_clicks_the_french_range_that_holds_it():
    buttons = (
        Button("Moins de 1 000 €", "/b1"),
        Button("Entre 1 000 et 1 500 €", "/b2"),
        Button("Plus de 1 500 €", "/b3"),
    )
    assert range_button("environ 1200 euros", buttons, language="fr") == buttons[1]
    assert range_button("pas plus de 800", buttons, language="fr") == buttons[0]
    customer = french()
    reply = customer.reply(classify(["Quel est votre budget ?"], buttons, language="fr"))
    assert reply is not None
    assert (reply.text, reply.shown) == ("/b2", "[Entre 1 000 et 1 500 €]")


def test_asked_what_to_do_it_names_its_deed_and_leaves_when_the_bot_says_goodbye():
    customer = french()
    customer.goals = frozenset({"complaint"})
    assert hears(customer, "Merci. Que voulez-vous que je fasse de cela ?") == (
        "je veux faire une réclamation"
    )
    assert hears(customer, "Merci, au revoir et bonne journée.") is None


def test_when_the_bot_says_it_is_done_it_says_that_is_all():
    customer = french()
    customer.goals = frozenset({"feedback"})
    said = hears(customer, "J'ai bien enregistré votre avis, merci !", "Autre chose ?")
    assert said == "non, c'est tout, merci"
