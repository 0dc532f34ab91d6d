"""One turn of a conversation, whatever the door: what every door runs through.

- ``turn``: :func:`~channels.conversations.turn.take_turn`, the customer's
  message to the bot and its answer back, transcript and handoff included;
- ``rasa_client``: the Rasa server, over its REST channel and HTTP API;
- ``transcripts``: the conversation kept in the CRM;
- ``handoff``: the bot silent while a person owns the conversation;
- ``live``: "something changed" for the live views of this process;
- ``apology``: what the customer hears when the bot cannot answer.
"""
