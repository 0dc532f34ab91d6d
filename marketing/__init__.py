"""Marketing's tools: check story and script files, and test stories against the trained bot.

``python -m marketing check FILE...`` (``make stories-check``) and
``python -m marketing stories FILE...`` (``make stories``); docs/marketing.md
is the manual.
"""
