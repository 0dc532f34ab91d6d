"""The CRM's HTTP API, read side (``/api/accounts``, ``/api/products``, ``/api/orders`` …).

- ``routes``: the FastAPI router over the CRM's services, the token check,
  and the one table that turns the CRM's named errors into status codes;
- ``schemas``: what it answers, in families (``XPublic``, ``XSummary``).

The CRM itself (:mod:`crm_backend`) knows no HTTP: this room is its door.
"""
