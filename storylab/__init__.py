"""The story lab, marketing's tools: check story and script files, play stories against the bot.

``python -m storylab check FILE...`` (``make stories-check``) and
``python -m storylab stories FILE...`` (``make stories``); docs/marketing.md
is the manual.
"""
