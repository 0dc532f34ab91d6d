"""The action server registers exactly the custom actions the domain lists."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor


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
