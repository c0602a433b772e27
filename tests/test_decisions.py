"""Decisions: the stances abstain and block, a decision opened and closed on an entry."""

from __future__ import annotations

from pathlib import Path

import pytest
from clitools import carnet

from store.notebook import Notebook


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    done = carnet("init", "carnet", "--title", "Mission 2005", "--org", "INSPQ", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "carnet"


def _add(folder: Path, title: str = "Un centre de liaison") -> str:
    added = carnet("add", "--kind", "proposal", "--title", title, cwd=folder)
    assert added.returncode == 0, added.stderr
    return added.stdout.strip()


def _head(folder: Path) -> bytes:
    return (folder / ".git" / "HEAD").read_bytes() + (folder / ".git" / "index").read_bytes()


def test_abstain_and_block_are_stances(folder: Path) -> None:
    entry = _add(folder)
    assert carnet("endorse", entry, "--stance", "abstain", cwd=folder).returncode == 0
    with Notebook(folder) as notebook:
        assert list(notebook.stances(notebook.resolve_id(entry)).values()) == ["abstain"]
    assert carnet("endorse", entry, "--stance", "block", cwd=folder).returncode == 0
    with Notebook(folder) as notebook:
        assert list(notebook.stances(notebook.resolve_id(entry)).values()) == ["block"]


def test_an_unknown_stance_is_one_line_and_changes_nothing(folder: Path) -> None:
    entry = _add(folder)
    before = _head(folder)
    done = carnet("endorse", entry, "--stance", "peut-être", cwd=folder)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1
    assert "peut-être" in done.stderr
    assert _head(folder) == before
