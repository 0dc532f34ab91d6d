"""``make bench``: how fast icbot answers, measured on the real stack.

One run starts Rasa with the trained model, the action server and the gateway
on free ports over a freshly seeded SQLite database, then measures chat turn
latency through the gateway and straight against Rasa's REST channel, load at
several concurrencies, the Twilio voice webhook and the ConversationRelay socket
(the same script through both phone doors), start-up time, memory, and
(unless skipped) training time; the held-out NLU F1 stands beside the figures.

Modules: :mod:`bench.script` (the conversation and what each reply must say),
:mod:`bench.customers` (the database), :mod:`bench.drivers` (replay and load),
:mod:`bench.voice` and :mod:`bench.relay` (the two phone doors),
:mod:`bench.training`, :mod:`bench.system` (machine, memory, NLU report),
:mod:`bench.report` (JSON, table, chart), :mod:`bench.profiling` (py-spy on
the running stack), :mod:`bench.run` (one whole run).
"""
