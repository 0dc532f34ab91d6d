"""The action server registers exactly the custom actions the domain lists."""

from __future__ import annotations

import ast
from pathlib import Path

from rasa_sdk.executor import ActionExecutor

ACTIONS = Path(__file__).resolve().parents[2] / "actions"


def test_every_action_of_the_domain_is_registered_and_nothing_else(domain):
    executor = ActionExecutor()
    executor.register_package("actions")
    # Actions other tests define (in tests.*) register too when their modules are loaded.
    ours = {
        name
        for name, run in executor.actions.items()
        if type(run.__self__).__module__.startswith("actions.")
    }
    assert ours == set(domain["actions"])


def _calls(name: str) -> list[ast.Call]:
    """Every call of ``name`` (a function or a method) in the action server's modules."""
    found = []
    for module in sorted(ACTIONS.glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else None
                called = called or (node.func.id if isinstance(node.func, ast.Name) else None)
                if called == name:
                    found.append(node)
    return found


def test_actions_speak_only_by_response_name():
    """No text or buttons from Python: every word, and its SMS and voice variations, is
    in the domain (domain/; tests/bot/test_channel_wording.py checks them per channel)."""
    calls = _calls("utter_message")
    assert calls, "the form questions utter their responses"
    for call in calls:
        keywords = [k.arg for k in call.keywords]
        # One exception: a script's answers, marketing's words read from data/scripts at run
        # time, are the buttons of utter_ask_script_answer (docs/dialogue.md §6.8).
        assert keywords in (["response"], ["response", "buttons"]), ast.unparse(call)
        assert not call.args, ast.unparse(call)
    with_buttons = [c for c in calls if "buttons" in [k.arg for k in c.keywords]]
    assert [ast.unparse(c.keywords[0].value) for c in with_buttons] == ["question"]
    assert "utter_ask_script_answer" in (ACTIONS / "marketing_script.py").read_text(
        encoding="utf-8"
    )


def test_every_slot_the_actions_set_is_in_the_domain(domain):
    set_by_actions = {
        call.args[0].value
        for call in _calls("SlotSet")
        if call.args and isinstance(call.args[0], ast.Constant)
    }
    assert {"order_number_said", "quote_number_said", "callback_phone_said"} <= set_by_actions
    assert set_by_actions - set(domain["slots"]) == set()
