"""The gateway: icbot's only public door (FastAPI), a room per door.

- ``chat/``: the chat API, the web chat page and ``make chat``;
- ``twilio/``: the phone and SMS doors, their signatures and replays, the
  outbound Twilio client and the dialer's call webhooks, ``make call`` / ``make sms``;
- ``desk/``: the agents' and managers' desk at ``/desk``;
- ``crm_api/``: the CRM's read API at ``/api/...``;
- ``dialer/``: the outbound dialer, a process of its own (``python -m channels.dialer``).

What every door shares: ``conversations/``, the way of one turn (the Rasa
client, the transcript, the handoff, live updates, the apology), and at the
top level ``deps`` (the app's parts as every door gets them), ``guards`` and
``limits`` (what a request may be), ``health`` (``/healthz``), ``settings``.
The app is composed in :func:`channels.app.create_app`; run it with
``uvicorn channels.app:create_app --factory``.
"""
