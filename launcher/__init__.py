"""Start and stop the whole icbot stack: Rasa, the action server and the gateway.

Used by ``make run`` (``python -m launcher run``), by the end-to-end tests and
by the benchmarks, so all three start the processes the same way.
"""
