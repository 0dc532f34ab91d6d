"""Reading the bot's question in French: the French shop assistant's wordings of each kind."""

from __future__ import annotations

import pytest

from converse.questions import Button, classify, deed, proposed_deed


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("Pouvez-vous me donner votre numéro client ou votre e-mail ?", "identify"),
        ("Quelle est votre adresse e-mail ?", "email"),
        ("Merci. Quel est votre code postal ?", "postcode"),
        ("Merci d'indiquer votre code postal.", "postcode"),
        ("Parfait. Est-ce bien vous, Pierre Moreau ?", "confirm_identity"),
        ("Je parle bien avec Pierre Moreau ?", "confirm_identity"),
        ("Quel est votre nom complet ?", "name"),
        ("À quel numéro de téléphone pouvons-nous vous joindre ?", "phone"),
        ("Quel est le nom de votre entreprise ?", "company"),
        ("Quelle est votre nouvelle adresse ?", "address"),
        ("Quelle est votre nouvelle adresse e-mail ?", "email"),
        ("Combien en voulez-vous ?", "quantity"),
        ("Combien souhaitez-vous dépenser ?", "budget"),
        ("Quel est votre budget ?", "budget"),
        ("Quand souhaitez-vous être livré ?", "date"),
        ("Quand pensez-vous acheter ?", "timeframe"),
        ("Quel produit vous intéresse ?", "product"),
        ("Que souhaitez-vous commander ?", "product"),
        ("Dois-je passer la commande ?", "confirm"),
        ("Voici votre commande : 1 x Éclipse 3000. Je la valide ?", "confirm"),
        ("C'est bien correct ?", "confirm"),
        ("Voulez-vous que je mette à jour votre numéro ?", "confirm"),
        ("Vouliez-vous dire l'une de ces options ?", "did_you_mean"),
        ("Souhaitez-vous ajouter la sacoche ?", "offer"),
        ("Puis-je vous aider pour autre chose ?", "anything_else"),
        ("Bonjour ! Comment puis-je vous aider ?", "open"),
        ("Que s'est-il passé ?", "details"),
        ("Merci. Que voulez-vous que je fasse de cela ?", "action"),
        ("Par téléphone, par SMS ou par e-mail ?", "channel"),
        ("Quel est le meilleur moment pour vous appeler ?", "contact_time"),
        ("Voici l'Éclipse 3000, notre portable phare.", "none"),
    ],
)
def test_each_kind_of_question_is_read_from_french_words(said, kind):
    assert classify([said], language="fr").kind == kind


def test_the_language_is_the_conversation_s_not_a_guess():
    """English words do not read French: a French question is nothing to an English customer."""
    assert classify(["Quel est votre code postal ?"]).kind == "unknown"
    assert classify(["Quel est votre code postal ?"], language="fr").language == "fr"


def test_a_french_menu_is_a_choice_unless_it_asks_a_budget():
    buttons = [Button("Téléphone", "/p"), Button("E-mail", "/e"), Button("Adresse", "/a")]
    assert classify(["Quelle information voulez-vous modifier ?"], buttons, language="fr").kind == (
        "choice"
    )
    ranges = [
        Button("Moins de 1000 €", "/b1"),
        Button("De 1000 à 1500 €", "/b2"),
        Button("Plus", "/b3"),
    ]
    assert classify(["Quel budget envisagez-vous ?"], ranges, language="fr").kind == "budget"


def test_the_line_after_a_french_question_says_it_wants_an_address():
    question = classify(
        [
            "Comment pouvons-nous vous joindre ? "
            "Une adresse e-mail ou un numéro de téléphone suffit."
        ],
        language="fr",
    )
    assert question.kind == "email"


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("Voici votre commande : 1 x Éclipse 3000. Dois-je la passer ?", "order"),
        ("Voulez-vous que je transforme votre devis Q-000012 en commande ?", "accept_quote"),
        ("Voulez-vous que je refuse votre devis ?", "reject_quote"),
        ("Souhaitez-vous que je vous retire de nos listes ?", "do_not_contact"),
        ("Voulez-vous que je change la façon dont nous vous contactons ?", "preference"),
        ("Voulez-vous que je mette à jour votre adresse e-mail ?", "contact"),
        ("Voulez-vous que j'annule la commande ?", "cancel"),
        ("Dois-je préparer un devis ?", "quote"),
        ("Voulez-vous que je vous passe un conseiller ?", "handoff"),
    ],
)
def test_a_french_yes_is_read_as_its_deed(message, expected):
    assert proposed_deed(classify([message], language="fr")) == expected


def test_english_deeds_are_not_read_in_french_text():
    assert deed("Shall I place your order?", language="fr") is None
    assert deed("Shall I place your order?") == "order"
