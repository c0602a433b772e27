"""``python -m tui.cli`` and the ``carnet`` script: the command line as a whole process."""

import gc
import sys

from tui.cli import main


def run() -> None:
    """Run the command the arguments name, then end the process with its exit status."""
    status = main()
    # The objects of every module imported, hundreds of classes and functions in reference
    # cycles, are what the interpreter's last collections walk through as it ends (about 15
    # of the 20 ms it took to end after `carnet add`, as long as the command's own work):
    # set aside, they are left to the system, which frees the process's memory whole. Exit
    # handlers, the threads' ends and the flush of standard output still run, and every
    # file Carnet writes is closed (most synced) before its command returns.
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
