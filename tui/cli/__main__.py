"""``python -m tui.cli`` and the ``carnet`` script: the command line as a whole process."""

import gc
import sys

from tui.cli import main


def run() -> None:
    """Run the command the arguments name, then end the process with its exit status."""
    status = main()
    # The objects of every module imported, hundreds of classes and functions in reference
    # cycles, are what the interpreter's last collections walk through as it ends: after
    # `carnet add`, 15-16 ms from its exit handlers to the process's end, longer than the
    # command's own work, and 4-5 ms once they are set aside (frozen), left to the system,
    # which frees the process's memory whole. Exit handlers, the threads' ends and the
    # flush of standard output still run, and every file Carnet writes is closed (most
    # synced) before its command returns.
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
