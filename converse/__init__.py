"""The conversation simulator (``make converse``): customers with goals against the real stack.

Each scenario (``converse/scenarios/*.yml``, :mod:`converse.scenario`) is a
customer with a goal, said in several phrasings. The simulator talks to the
running bot through the public chat API as that customer, answering what the
bot asks (:mod:`converse.questions`, :mod:`converse.answers`), and judges the
run by the rows it left in the CRM (:mod:`converse.crm`,
:mod:`converse.outcomes`), not by intents. docs/converse.md says how to run it
and how to write a scenario.
"""
