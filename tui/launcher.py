"""The ``carnet`` program as a whole process: what it starts before it imports the command line
(``tui.cli``), and how it ends.

``carnet list`` may print nothing before one ``git status`` vouches for the files its listing
is made of (``store.listing_check``), and that status takes about as long as Python's imports
of the command line (argparse, the translations, Carnet's modules). Begun here, before them, it
runs on the other core meanwhile instead of after them.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def run() -> None:
    """Run the command the arguments name, then end the process with its exit status."""
    arguments = sys.argv[1:]
    folder, command = leading_options(arguments)
    begun = command == "list" and "--json" not in arguments
    if begun:
        from pathlib import Path

        from store import listing_check

        listing_check.begin(Path(folder or "."))
    from tui.cli import main

    try:
        status = main(arguments)
    finally:
        if begun:
            listing_check.end()
    # The objects of every module imported, hundreds of classes and functions in reference
    # cycles, are what the interpreter's last collections walk through as it ends: after
    # `carnet add`, 15-16 ms from its exit handlers to the process's end, longer than the
    # command's own work, and 4-5 ms once they are set aside (frozen), left to the system,
    # which frees the process's memory whole. Exit handlers, the threads' ends and the
    # flush of standard output still run, and every file Carnet writes is closed (most
    # synced) before its command returns.
    gc.freeze()
    sys.exit(status)


def leading_options(arguments: Sequence[str]) -> tuple[str | None, str | None]:
    """The folder ``-C`` names and the command, as argparse will read them: ``carnet``'s own
    options (``-C``, ``--lang``) come before the command; after another option (``--help``, or
    one argparse will refuse) no command is named."""
    folder = None
    skip = None
    for argument in arguments:
        if skip is not None:
            if skip == "-C":
                folder = argument
            skip = None
        elif argument in ("-C", "--lang"):
            skip = argument
        elif argument.startswith("--lang="):
            continue
        elif argument.startswith("-C"):
            folder = argument[2:]
        elif argument.startswith("-"):
            return folder, None
        else:
            return folder, argument
    return folder, None
