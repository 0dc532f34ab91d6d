"""Checks a language's unseen NLU test set: it parses, no example repeats, the counts
meet the brief's minimums, and every intent is one of docs/dialogue.md's.

Run: .venv/app/bin/python tests/nlu/unseen/check.py LANG  (en, fr: the folder's name)
It reads only the files in this folder (never the training data).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent

# docs/dialogue.md, section "## 2. Intents" (nlu_fallback is no label).
INTENTS = {
    "greet", "goodbye", "thank", "affirm", "deny", "cancel", "help", "bot_challenge",
    "out_of_scope", "request_human", "complain", "cancel_order", "inform",
    "create_account", "ask_product_info", "ask_alternatives", "ask_accessories",
    "request_quote", "ask_quote_status", "give_quote_feedback", "accept_quote",
    "place_order", "order_status", "update_contact", "set_preference", "give_feedback",
    "not_buying_now", "ask_offer", "raise_objection", "not_interested", "stop_contact",
    "reject_quote", "business_inquiry",
}  # fmt: skip
EVERYDAY = (
    "greet", "goodbye", "thank", "affirm", "deny", "cancel", "help", "bot_challenge",
    "request_human",
)  # fmt: skip
BUSINESS = sorted(INTENTS - set(EVERYDAY) - {"out_of_scope"})
# file -> {intent: minimum}; "*" is the file's total. English's set came first, with
# two intents fewer (reject_quote, business_inquiry); French's brief asked for 400 out of
# domain and 120 spoken (tests/nlu/unseen/fr/README.md). identification.yml (2026-12-07):
# customers identifying themselves (inform) against new customers, greetings and other
# services' accounts.
MINIMUMS = {
    "en": {
        "everyday.yml": dict.fromkeys(EVERYDAY, 35),
        "paraphrases.yml": dict.fromkeys(set(BUSINESS) - {"reject_quote", "business_inquiry"}, 25),
        "out_of_domain.yml": {"out_of_scope": 450},
        "speech.yml": {"*": 150, "out_of_scope": 35},
        "identification.yml": {
            "inform": 120,
            "create_account": 15,
            "greet": 15,
            "out_of_scope": 15,
        },
    },
    "fr": {
        "everyday.yml": dict.fromkeys(EVERYDAY, 35),
        "paraphrases.yml": dict.fromkeys(BUSINESS, 25),
        "out_of_domain.yml": {"out_of_scope": 400},
        "speech.yml": {"*": 120, "out_of_scope": 35},
        "identification.yml": {
            "inform": 80,
            "create_account": 12,
            "greet": 12,
            "out_of_scope": 12,
        },
    },
}
# What a speech recogniser writes: lower case, digits, apostrophes, the language's letters.
SPEECH_CHARS = {
    "en": re.compile(r"^[a-z0-9' ]+$"),
    "fr": re.compile(r"^[a-z0-9' àâäçéèêëîïôöùûüÿœæ-]+$"),
}
DIALOGUE = HERE.parents[2] / "docs" / "dialogue.md"


def doc_examples() -> set[str]:
    """The quoted examples of docs/dialogue.md's intent table (likely trained on)."""
    text = DIALOGUE.read_text(encoding="utf-8")
    section = text.split("## 2. Intents", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|") for line in section.splitlines() if line.startswith("| `")]
    return {normalise(q) for row in rows for q in re.findall(r'"([^"]+)"', row[3])}


def normalise(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of an example."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def examples(block: dict) -> list[str]:
    lines = [line.strip() for line in block["examples"].splitlines() if line.strip()]
    bad = [line for line in lines if not line.startswith("- ")]
    if bad:
        raise ValueError(f"{block['intent']}: lines that are no '- text': {bad}")
    return [line[2:].strip() for line in lines]


def main(argv: list[str]) -> int:
    language = argv[0] if argv else "en"
    errors: list[str] = []
    seen: dict[str, tuple[str, str]] = {}
    documented = doc_examples()
    report: list[str] = []
    for name, minimums in MINIMUMS[language].items():
        data = yaml.safe_load((HERE / language / name).read_text(encoding="utf-8"))
        if str(data.get("version")) != "3.1":
            errors.append(f"{name}: version is not '3.1'")
        counts: Counter[str] = Counter()
        for block in data["nlu"]:
            intent = block["intent"]
            if intent not in INTENTS:
                errors.append(f"{name}: unknown intent {intent!r}")
            if intent in counts:
                errors.append(f"{name}: two blocks for {intent}")
            for text in examples(block):
                counts[intent] += 1
                key = normalise(text)
                if key in seen:
                    errors.append(f"{name}/{intent}: {text!r} repeats {seen[key]}")
                seen[key] = (name, intent)
                if key in documented:
                    errors.append(f"{name}/{intent}: {text!r} is a docs/dialogue.md example")
                if name == "speech.yml" and not SPEECH_CHARS[language].match(text):
                    errors.append(f"{name}/{intent}: not speech-like: {text!r}")
        for intent, minimum in minimums.items():
            have = sum(counts.values()) if intent == "*" else counts[intent]
            if have < minimum:
                errors.append(f"{name}: {intent} has {have} < {minimum}")
        report.append(f"{name}: {sum(counts.values())} examples")
        report.extend(f"  {intent}: {n}" for intent, n in sorted(counts.items()))
    print("\n".join(report))
    print(f"total: {len(seen)} distinct examples")
    for error in errors:
        print("ERROR", error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
