"""The chat door: the chat API, the web chat page, and ``make chat``.

- ``routes``: ``POST /api/conversations``, its messages and its event feed;
- ``schemas``: what the chat API reads and answers;
- ``conversation_ids``: the ids the server issues to anonymous clients;
- ``limits``: what an anonymous client may do (conversations, messages, polls, handoffs);
- ``web_page``: the page at ``/`` and its files (``web/``);
- ``terminal``: ``make chat``, a terminal client of the chat API.
"""
