"""The Twilio doors: the phone, SMS, and what goes out through Twilio.

- ``voice`` (the routes of ``/twilio/voice``) and ``voice_twiml`` (the TwiML
  they answer with); ``sms`` (``/twilio/sms``, its keywords);
- ``security``: Twilio's webhook signature; ``replays``: a webhook answered once;
- ``turns``: what the phone and SMS share (the caller's number, digits, a
  turn within the reply budget); ``phone_text``: the bot's words made fit
  for a call or a text;
- ``outbound``: the REST client that texts and calls (consent checked first);
  ``outbound_calls``: the gateway's side of the dialer's calls;
- ``simulator``: ``make call`` and ``make sms``, a terminal phone signing as Twilio does.
"""
