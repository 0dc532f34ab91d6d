"""The gateway: icbot's only public door (FastAPI).

One module per door (web chat, the chat API, later Twilio voice and SMS and
the agent desk), the Rasa client, transcripts and health. The app is
composed in :func:`channels.app.create_app`; run it with
``uvicorn channels.app:create_app --factory``.
"""
