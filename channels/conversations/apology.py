"""What the customer hears when the bot cannot answer: one apology, and each door's way on.

Said by the gateway, not the domain, because Rasa itself is what failed.
Every door says :data:`SORRY`, then what the customer can do now:

- the chat (the web page, the chat API): the message is saved, and a person
  can call back (:data:`CHAT`, with the choices :data:`CHAT_BUTTONS`);
- SMS: text again later (:data:`SMS`);
- the phone: call again later (:data:`CALL_AGAIN`), or, when there is a
  fallback number, the caller is put through to an adviser (:data:`PUT_THROUGH`).
"""

from __future__ import annotations

from .rasa_client import Button

SORRY = "Sorry, I can't answer right now because of a technical problem."

CHAT = f"{SORRY} Your message is saved. Would you like a person to call you back?"
CHAT_BUTTONS = (
    Button(title="Yes, call me back", payload="/request_human"),
    Button(title="I'll try again later", payload="/goodbye"),
)
SMS = f"{SORRY} Please text us again a little later."
CALL_AGAIN = f"{SORRY} Please call us again a little later. Goodbye."
PUT_THROUGH = f"{SORRY} I'm putting you through to an adviser."
