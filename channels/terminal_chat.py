"""``make chat``: talk to the running bot from a terminal, through the gateway.

Choices the bot offers are numbered; answer with the number or with words.
``ICBOT_GATEWAY_URL`` (default http://localhost:8000) says where the gateway is;
``--phone`` sends a caller number with the integration token, as a phone
switch would.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from typing import Any

import httpx


def _print_reply(reply: dict[str, Any]) -> list[dict[str, str]]:
    buttons: list[dict[str, str]] = []
    for message in reply.get("messages", []):
        print(f"bot> {message['text']}")
        for button in message.get("buttons") or []:
            buttons.append(button)
            print(f"     {len(buttons)}. {button['title']}")
    return buttons


def main(argv: list[str] | None = None) -> int:
    """Run the chat loop until end of input or "/quit"."""
    parser = argparse.ArgumentParser(prog="make chat")
    parser.add_argument(
        "--url", default=os.environ.get("ICBOT_GATEWAY_URL", "http://localhost:8000")
    )
    parser.add_argument("--phone", help="caller number to send (needs ICBOT_API_TOKEN)")
    args = parser.parse_args(argv)
    conversation = f"term-{uuid.uuid4().hex[:12]}"
    headers = {}
    metadata: dict[str, Any] = {"channel": "web"}
    if args.phone:
        token = os.environ.get("ICBOT_API_TOKEN")
        if not token:
            print("--phone needs ICBOT_API_TOKEN (see var/api_token)", file=sys.stderr)
            return 2
        headers["Authorization"] = f"Bearer {token}"
        metadata["phone"] = args.phone
    print(f"Chatting as {conversation} with {args.url}. Type /quit to leave.")
    buttons: list[dict[str, str]] = []
    with httpx.Client(base_url=args.url, headers=headers, timeout=30) as client:
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
                response = client.post(
                    f"/api/conversations/{conversation}/messages",
                    json={"text": text, "metadata": metadata},
                )
            except httpx.HTTPError as exc:
                print(f"(the gateway at {args.url} cannot be reached: {exc})", file=sys.stderr)
                continue
            if response.status_code != 200:
                print(f"(refused: {response.status_code} {response.text})", file=sys.stderr)
                continue
            buttons = _print_reply(response.json())


if __name__ == "__main__":
    sys.exit(main())
