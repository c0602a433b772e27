"""The layer boundaries of STYLE.md, checked rather than hoped for."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _modules_after(code: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return set(done.stdout.split())


def test_store_never_imports_textual() -> None:
    modules = _modules_after(
        "import importlib, pkgutil, store\n"
        "for module in pkgutil.walk_packages(store.__path__, 'store.'):\n"
        "    importlib.import_module(module.name)"
    )
    assert "store.notebook" in modules
    assert not any(m == "textual" or m.startswith("textual.") for m in modules)


def test_the_command_line_imports_neither_textual_nor_gitpython() -> None:
    modules = _modules_after("import tui.cli")
    assert "tui.cli" in modules
    assert "textual" not in modules
    assert "git" not in modules  # GitPython is loaded only by the sync commands


def test_gitpython_is_banned_outside_the_sync_module() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    assert "git" in lint["flake8-tidy-imports"]["banned-api"]
    assert "TID" in lint["select"]
    allowed = {path for path, rules in lint["per-file-ignores"].items() if "TID251" in rules}
    assert allowed <= {"store/sync.py", "tests/**"}
    for path in ROOT.glob("**/*.py"):
        if ".venv" in path.parts or path.match("tests/*") or path.name == "sync.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "import git\n" not in text and "from git " not in text, path
