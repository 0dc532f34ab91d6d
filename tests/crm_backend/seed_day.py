"""The day the seeded test databases count from: a Monday, fixed, so tests are repeatable."""

import datetime as dt

SEED_DAY = dt.date(2026, 3, 2)
