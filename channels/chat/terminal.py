"""``make chat``: talk to the running bot from a terminal, through the gateway.

Choices the bot offers are numbered; answer with the number or with words.
``ICBOT_GATEWAY_URL`` (default http://localhost:8000) says where the gateway is.
Like the web chat page, it asks the gateway for a conversation
(``POST /api/conversations``) and starts a new one when the gateway no longer
knows it. ``--phone`` sends a caller number with the integration token, as a
phone switch would, under a conversation id of its own.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from typing import Any

import httpx


class Refused(Exception):
    """The gateway would not start a conversation."""


def _print_reply(reply: dict[str, Any]) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    for message in reply.get("messages", []):
        print(f"bot> {message['text']}")
        for button in message.get("buttons") or []:
            buttons.append(button)
            print(f"     {len(buttons)}. {button['title']}")
    return buttons


def _conversation(client: httpx.Client, *, trusted: bool) -> str:
    """A conversation id: the gateway's, or with the token one of our own.

    Raises:
        Refused: the gateway refused to start a conversation.
        httpx.HTTPError: the gateway cannot be reached.
    """
    if trusted:
        return f"term-{uuid.uuid4().hex[:12]}"
    response = client.post("/api/conversations", json={})
    if response.status_code != 201:
        raise Refused(f"{response.status_code} {response.text}")
    return str(response.json()["conversation_id"])


def _say(
    client: httpx.Client, conversation: str, text: str, metadata: dict[str, Any]
) -> httpx.Response:
    return client.post(
        f"/api/conversations/{conversation}/messages", json={"text": text, "metadata": metadata}
    )


def main(argv: list[str] | None = None) -> int:
    """Run the chat loop until end of input or "/quit"."""
    parser = argparse.ArgumentParser(prog="make chat")
    parser.add_argument(
        "--url", default=os.environ.get("ICBOT_GATEWAY_URL", "http://localhost:8000")
    )
    parser.add_argument("--phone", help="caller number to send (needs ICBOT_API_TOKEN)")
    args = parser.parse_args(argv)
    trusted = bool(args.phone)
    headers = {}
    metadata: dict[str, Any] = {}
    if trusted:
        token = os.environ.get("ICBOT_API_TOKEN")
        if not token:
            print("--phone needs ICBOT_API_TOKEN (see var/api_token)", file=sys.stderr)
            return 2
        headers["Authorization"] = f"Bearer {token}"
        metadata["phone"] = args.phone
    buttons: list[dict[str, str]] = []
    with httpx.Client(base_url=args.url, headers=headers, timeout=30) as client:
        try:
            conversation = _conversation(client, trusted=trusted)
        except (httpx.HTTPError, Refused) as exc:
            print(f"(no conversation with the gateway at {args.url}: {exc})", file=sys.stderr)
            return 1
        print(f"Chatting as {conversation} with {args.url}. Type /quit to leave.")
        while True:
            try:
                text = input("you> ").strip()
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if text in {"/quit", "/exit"}:
                return 0
            if not text:
                continue
            if text.isdigit() and 0 < int(text) <= len(buttons):
                text = buttons[int(text) - 1]["payload"]
            try:
                response = _say(client, conversation, text, metadata)
                if response.status_code == 404 and not trusted:
                    # The gateway no longer knows the conversation: start another.
                    conversation = _conversation(client, trusted=False)
                    print(f"(a new conversation: {conversation})", file=sys.stderr)
                    response = _say(client, conversation, text, metadata)
            except (httpx.HTTPError, Refused) as exc:
                print(f"(the gateway at {args.url} did not take it: {exc})", file=sys.stderr)
                continue
            if response.status_code != 200:
                print(f"(refused: {response.status_code} {response.text})", file=sys.stderr)
                continue
            buttons = _print_reply(response.json())


if __name__ == "__main__":
    sys.exit(main())
