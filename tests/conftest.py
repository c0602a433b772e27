"""Shared fixtures: an isolated git configuration and real notebooks in temporary folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from store import Notebook
from store.git.program import run_git
from store.i18n import set_language

TEST_NAME = "Hélène Côté"
TEST_EMAIL = "helene@example.org"


def slow_down_git(root: Path, scratch: Path, seconds: float) -> None:
    """Make every git command of ``root`` that reads its index (a status, an index update,
    which then holds the index's lock) last ``seconds`` at least: git asks a file-system
    monitor that takes that long to answer (and then says it knows nothing)."""
    slow_monitor = scratch / "slow-monitor"
    slow_monitor.write_text(f"#!/bin/sh\nsleep {seconds}\nexit 1\n", encoding="utf-8")
    slow_monitor.chmod(0o755)
    run_git(root, "config", "core.fsmonitor", str(slow_monitor))


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets a fresh HOME: no system or global git configuration, a test identity."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        f"[user]\n\tname = {TEST_NAME}\n\temail = {TEST_EMAIL}\n"
        "[init]\n\tdefaultBranch = main\n"
        '[protocol "file"]\n\tallow = always\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    for variable in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture(autouse=True)
def french() -> Iterator[None]:
    """Messages in French, as participants see them by default; restored after each test."""
    set_language("fr")
    yield
    set_language("fr")


@pytest.fixture
def notebook(tmp_path: Path) -> Iterator[Notebook]:
    """A new, empty notebook created by the test participant."""
    nb = Notebook.create(
        tmp_path / "carnet",
        title="Carnet de mission",
        name=TEST_NAME,
        email=TEST_EMAIL,
        organisation="INSPQ",
    )
    yield nb
    nb.close()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`pytest -n auto` runs two workers per core, not one.

    Most tests wait rather than compute: on git subprocesses, on servers started on 127.0.0.1,
    on a TUI's next frame. Measured on two cores, the whole suite took 528–785 s with one worker
    per core (about half of the CPU idle) and 363 s with two.
    """
    return 2 * (os.cpu_count() or 1)
