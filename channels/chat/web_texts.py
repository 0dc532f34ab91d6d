"""Every fixed text of the web chat page, one table per language.

The page is rendered in the browser's language (``Accept-Language``), and
carries every table so its switch (EN/FR) changes the texts without a
reload. ``{name}`` marks a value the page fills in (a number of seconds, an
adviser's name). A new language is one more table with the same keys.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "title": "Chat with us · icbot",
    "heading": "Chat with us",
    "hint": "Ask about products, quotes and orders. Type “agent” to reach a person.",
    "switch": "Language",
    "log": "Conversation",
    "leave_queue": "Back to the assistant",
    "message": "Your message",
    "placeholder": "Type your message…",
    "send": "Send",
    "you": "You said: ",
    "bot": "Assistant: ",
    "adviser": "Adviser",
    "choices": "Choices",
    "typing": "The assistant is typing…",
    "unavailable": "The assistant is unavailable for a moment.",
    "retry_in": "Trying again in {seconds} s…",
    "still_unavailable": "The assistant is still unavailable. Please try again later.",
    "not_sent": "Your message could not be sent ({reason}). Please try again.",
    "server_answered": "the server answered {status}",
    "an_adviser": "An adviser",
    "assigned": "{agent} is answering you here.",
    "waiting": "You're waiting for an adviser, who will answer here.",
}

FR: dict[str, str] = {
    "title": "Discutez avec nous · icbot",
    "heading": "Discutez avec nous",
    "hint": (
        "Posez vos questions sur nos produits, devis et commandes. "
        "Écrivez « conseiller » pour parler à une personne."
    ),
    "switch": "Langue",
    "log": "Conversation",
    "leave_queue": "Revenir à l'assistant",
    "message": "Votre message",
    "placeholder": "Écrivez votre message…",
    "send": "Envoyer",
    "you": "Vous avez écrit : ",
    "bot": "Assistant : ",
    "adviser": "Conseiller",
    "choices": "Choix",
    "typing": "L'assistant écrit…",
    "unavailable": "L'assistant est indisponible pour un moment.",
    "retry_in": "Nouvel essai dans {seconds} s…",
    "still_unavailable": "L'assistant est toujours indisponible. Merci de réessayer plus tard.",
    "not_sent": "Votre message n'a pas pu être envoyé ({reason}). Merci de réessayer.",
    "server_answered": "le serveur a répondu {status}",
    "an_adviser": "Un conseiller",
    "assigned": "{agent} vous répond ici.",
    "waiting": "Vous attendez un conseiller, qui vous répondra ici.",
}

TEXTS: dict[str, dict[str, str]] = {"en": EN, "fr": FR}
