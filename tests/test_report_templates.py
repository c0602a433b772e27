"""The HTML report's skeletons and style are package data, read and filled whole."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from importlib.resources import files
from pathlib import Path

from store import Notebook
from store.report import render

ROOT = Path(__file__).parents[1]
TEMPLATES = ROOT / "store" / "report" / "templates"


def test_every_template_is_declared_as_package_data() -> None:
    """Bug guarded against: a template missing from pyproject's package-data is left out of an
    installed copy, and every HTML export there fails."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["store.report"]
    names = sorted(p.name for p in TEMPLATES.iterdir())
    assert {"report.html", "report.css", "entry.html", "comment.html"} <= set(names)
    for name in names:
        assert any(fnmatch(f"templates/{name}", pattern) for pattern in patterns), name


def test_the_page_inlines_the_style_and_fills_every_placeholder(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Un corps.", objectives=[1], tags=["t"])
    notebook.add_comment(entry.id, "Un commentaire.")
    page = render(notebook, fmt="html")
    css = (files("store.report") / "templates" / "report.css").read_text(encoding="utf-8")
    assert f"<style>\n{css}</style>" in page
    assert "$" not in page
    assert page.startswith("<!DOCTYPE html>\n") and page.endswith("</html>\n")
    assert page.count("<article ") == 1 and page.count('<div class="comment"') == 1
