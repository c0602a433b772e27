"""``python -m tui.cli``: the ``carnet`` command line, as the ``carnet`` script runs it."""

from tui.launcher import run

run()
