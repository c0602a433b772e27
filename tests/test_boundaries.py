"""The layer boundaries at run time: what the import contracts cannot see.

The contracts in pyproject.toml (``lint-imports``, docs/layers.md) check every import
statement of ``store`` and ``tui``, but not what the libraries they import load in turn, nor
when a module is loaded: these tests import the code in a fresh interpreter and look at
``sys.modules``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return set(done.stdout.split())


def test_store_never_loads_textual() -> None:
    """Not through a library either (tinydb, rich, markdown-it-py...)."""
    modules = _modules_after(
        "import importlib, pkgutil, store\n"
        "for module in pkgutil.walk_packages(store.__path__, 'store.'):\n"
        "    importlib.import_module(module.name)"
    )
    assert "store.notebook" in modules
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)


def test_the_command_line_loads_neither_textual_nor_gitpython() -> None:
    """Until a command needs them: the command line's time budget (docs/design.md §8) has no
    room for either, and the contracts cannot tell an import at start from one in a function."""
    modules = _modules_after("import tui.cli")
    assert "tui.cli" in modules
    assert "textual" not in modules
    assert "git" not in modules  # GitPython is loaded only by the sync commands
