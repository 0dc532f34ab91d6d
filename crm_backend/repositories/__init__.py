"""Repositories: the only place that writes SQL queries for the services.

Repositories add and find; they never commit (the unit of work does). Each
has a SQL implementation here and an in-memory twin in ``tests/fakes.py``
for the fast unit tests of the services.

The modules mirror :mod:`crm_backend.models`, one for each model module
(``accounts``, ``catalog``, ``desk``, ``engagement``, ``sales``), over the
shared :class:`~crm_backend.repositories.base.SqlRepository`;
``personal_data`` finds a person's traces across all of them.
"""
