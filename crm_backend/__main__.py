"""``python -m crm_backend``: see :mod:`crm_backend.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
