"""The icbot CRM: accounts, catalog, quotes, orders, leads and the rest.

Plain Python and SQLAlchemy. Nothing here knows about Rasa, Twilio or HTTP
request objects; the doors (actions, channels) call the services in
``crm_backend.services`` with a unit of work from ``crm_backend.uow``.
"""
