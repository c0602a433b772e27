"""What the tests of the commands that act without opening the notebook share: the notebooks
opened, and the modules a command imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from store import Notebook

PROJECT = Path(__file__).resolve().parent.parent


def opened_notebooks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The notebooks opened whole from now on, while the test runs."""
    seen: list[Path] = []
    original = Notebook.__init__

    def counting(self: Notebook, root: Path, **kwargs: object) -> None:
        seen.append(root)
        original(self, root, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Notebook, "__init__", counting)
    return seen


def imported_by(root: Path, *command: str) -> set[str]:
    """The modules ``carnet -C root COMMAND`` has imported when it ends (it must succeed).

    Read from ``sys.modules``: ``-X importtime`` does not see a module imported by
    ``importlib.import_module``, as the lazy packages (``store.model``, ``store.storage``) do.
    """
    code = (
        "import contextlib, io, sys\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    status = main(['-C', {str(root)!r}, *{list(command)!r}])\n"
        "print('\\n'.join(sys.modules))\nsys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=PROJECT
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


# Neither the notebook, its read model, Textual nor GitPython.
NOT_IMPORTED = {"store.notebook", "store.reads", "store.index", "textual", "git"}
