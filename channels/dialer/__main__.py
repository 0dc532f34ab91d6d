"""``python -m channels.dialer``: run the dialer (see :mod:`channels.dialer.cli`)."""

import sys

from .cli import main

sys.exit(main())
