"""A one-off ``carnet sync`` with nothing to do: one ``git status`` of every file, not two, and
every hand edit still shared."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from synctools import git, shared_notebook

from store import Notebook
from store.git.watch import CLEAN, TreeWatch
from store.layout import document_path
from store.sync import sync

PROJECT = Path(__file__).resolve().parent.parent
watching = pytest.mark.skipif(CLEAN._libc is None, reason="no inotify on this system")


def _statuses(trace: Path) -> list[str]:
    """The ``git status`` commands a process ran, from git's performance trace."""
    lines = trace.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if "git command:" in line and " status " in line]


@watching
def test_a_new_process_that_opens_then_syncs_runs_one_status(tmp_path: Path) -> None:
    alain, _claire = shared_notebook(tmp_path, 2)
    alain.add_entry("practice", "Maison des familles", "Texte")
    sync(alain)
    alain.close()
    trace = tmp_path / "trace.txt"
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "-C", str(alain.root), "sync"],
        cwd=PROJECT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "GIT_TRACE_PERFORMANCE": str(trace)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Déjà à jour.\n"
    assert len(_statuses(trace)) == 1, _statuses(trace)


@watching
def test_what_is_changed_by_hand_after_the_open_is_still_shared(tmp_path: Path) -> None:
    """The open's status vouched for the work tree; a file rewritten in place, and a new one
    in a folder without subfolders, after it, are committed by the sync all the same."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("tool", "Outil")
    sync(alain)
    alain.close()
    with Notebook(alain.root) as again:
        assert not again.repo.may_have_pending()  # the open found nothing uncommitted
        path = again.root / document_path("entries", entry.id)
        text = path.read_text(encoding="utf-8")
        with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode, same size
            handle.write(text.replace("Outil", "Outal"))
        (path.parent / "note.txt").write_text("brouillon\n", encoding="utf-8")
        assert again.repo.may_have_pending()
        sync(again)
    sync(claire)
    assert claire.entry(entry.id).title == "Outal"
    assert git(alain.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_what_was_changed_before_the_open_is_shared(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("tool", "Outil")
    sync(alain)
    alain.close()
    path = alain.root / document_path("entries", entry.id)
    path.write_text(path.read_text(encoding="utf-8").replace("Outil", "Outal"), encoding="utf-8")
    (alain.root / "notes.txt").write_text("brouillon\n", encoding="utf-8")  # outside the tables
    with Notebook(alain.root) as again:
        assert again.repo.may_have_pending()
        sync(again)
    sync(claire)
    assert claire.entry(entry.id).title == "Outal"
    assert git(alain.root, "show", "origin/main:notes.txt") == "brouillon\n"


@watching
def test_a_folder_made_inside_one_without_subfolders_is_an_event(tmp_path: Path) -> None:
    leaf = tmp_path / "a" / "b"
    leaf.mkdir(parents=True)
    for number in range(3):
        (leaf / f"{number}.json").write_text("{}", encoding="utf-8")
    assert CLEAN._libc is not None
    watch = TreeWatch(CLEAN._libc, tmp_path)
    try:
        assert not watch.changed()
        (leaf / "c").mkdir()
        assert watch.changed()
        (leaf / "1.json").write_text('{"a": 1}', encoding="utf-8")
        assert watch.changed()
    finally:
        watch.close()
