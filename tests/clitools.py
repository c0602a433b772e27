"""The ``carnet`` command line run as a whole process, as a participant runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def carnet(
    *args: str | bytes, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``carnet ARGS`` in ``cwd``; its exit status, standard output and error."""
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
