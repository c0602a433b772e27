"""``python -m tui.cli``: the ``carnet`` command line."""

import sys

from tui.cli import main

sys.exit(main())
