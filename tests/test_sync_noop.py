"""A sync with nothing to do changes nothing, and what was left uncommitted is still shared."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from synctools import git, shared_notebook, snapshot

from store import Notebook
from store.git.watch import CLEAN
from store.layout import document_path
from store.sync import sync

PROJECT = Path(__file__).resolve().parent.parent


def where_it_stands(notebook: Notebook) -> tuple[str, str, str, str, dict[str, bytes]]:
    """The branch, the shared repository's, git's status, what is staged, and every file."""
    root = notebook.root
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "rev-parse", "origin/main"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        git(root, "diff", "--cached", "--name-only"),
        snapshot(notebook),
    )


def test_a_sync_with_nothing_to_do_changes_nothing(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", "Texte")
    sync(alain)
    sync(claire)
    before = where_it_stands(claire)
    for _attempt in range(2):
        report = sync(claire)
        assert report.up_to_date and not report.pushed and report.merged == 0
        assert where_it_stands(claire) == before
    assert [e.id for e in claire.entries()] == [entry.id]


def test_what_a_killed_action_left_is_shared_by_the_next_sync(tmp_path: Path) -> None:
    """Another process, killed between writing its files and committing them: the first sync
    of the notebook opened again commits them."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("practice", "Maison des familles", "Texte")
    sync(alain)
    killed = textwrap.dedent(
        """
        import os, sys
        from pathlib import Path
        import store.git.local as local
        from store import Notebook
        def killed(*args, **kwargs):
            os._exit(9)
        local.LocalRepository.commit = killed
        notebook = Notebook(Path(sys.argv[1]))
        notebook.add_comment(notebook.entries()[0].id, "Écrit, jamais commité")
        """
    )
    done = subprocess.run([sys.executable, "-c", killed, str(alain.root)], cwd=PROJECT)
    assert done.returncode == 9
    with Notebook(alain.root) as again:
        sync(again)
    sync(claire)
    assert [c.body for c in claire.comments(entry.id)] == ["Écrit, jamais commité"]


# --- after a sync that found nothing uncommitted, the next one looks only if something happened


watching = pytest.mark.skipif(CLEAN._libc is None, reason="no inotify on this system")


def _synced_twice(tmp_path: Path) -> tuple[Notebook, Notebook]:
    """Two clones; Alain's synced again with nothing to do, so that his next sync trusts the
    watch of his work tree rather than a ``git status``."""
    alain, claire = shared_notebook(tmp_path, 2)
    sync(alain)
    sync(alain)
    return alain, claire


@watching
def test_a_sync_after_one_that_found_nothing_does_not_look_again(tmp_path: Path) -> None:
    alain, _claire = _synced_twice(tmp_path)
    assert not alain.repo.may_have_pending()


@watching
def test_a_file_rewritten_in_place_after_a_sync_is_shared(tmp_path: Path) -> None:
    """A hand edit that keeps the folder's time stamp (the file written in place, same size)
    after a sync that found nothing: the next sync still commits and shares it."""
    alain, claire = shared_notebook(tmp_path, 2)
    entry = alain.add_entry("tool", "Outil")
    sync(alain)
    sync(alain)
    assert not alain.repo.may_have_pending()
    path = alain.root / document_path("entries", entry.id)
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as handle:  # in place: no new inode, no rename
        handle.write(text.replace("Outil", "Outal"))
    sync(alain)
    sync(claire)
    assert claire.entry(entry.id).title == "Outal"


@watching
def test_a_file_in_a_new_folder_and_its_later_edit_are_shared(tmp_path: Path) -> None:
    """A folder made by hand after a sync is watched from the next one on: a file edited in it
    after that is shared too."""
    alain, _claire = _synced_twice(tmp_path)
    notes = alain.root / "notes" / "brouillon.txt"
    notes.parent.mkdir()
    notes.write_text("un\n", encoding="utf-8")
    sync(alain)
    sync(alain)
    with open(notes, "a", encoding="utf-8") as handle:
        handle.write("deux\n")
    sync(alain)
    assert git(alain.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert git(alain.root, "show", "origin/main:notes/brouillon.txt") == "un\ndeux\n"


@watching
def test_changes_staged_by_plain_git_without_touching_a_file_are_shared(tmp_path: Path) -> None:
    """git reset --soft moves HEAD and leaves its changes in the index, touching no file in the
    work tree: the next sync commits them all the same."""
    alain, claire = _synced_twice(tmp_path)
    entry = alain.add_entry("tool", "Dans l'index seulement")
    sync(alain)  # shared, then taken back out of history by hand
    git(alain.root, "reset", "-q", "--soft", "HEAD~1")
    git(alain.root, "push", "-q", "--force", "origin", "HEAD:main")
    sync(alain)
    sync(claire)
    assert claire.entry(entry.id).title == "Dans l'index seulement"


def test_without_a_watch_every_sync_looks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the work tree cannot be watched (no inotify, too many watches), every sync asks
    git what is uncommitted."""
    monkeypatch.setattr(CLEAN, "_libc", None)
    alain, claire = _synced_twice(tmp_path)
    assert alain.repo.may_have_pending()
    (alain.root / "notes.txt").write_text("brouillon\n", encoding="utf-8")
    sync(alain)
    assert git(alain.root, "show", "origin/main:notes.txt") == "brouillon\n"


def test_a_sync_with_nothing_to_do_imports_neither_the_merge_nor_the_gate(tmp_path: Path) -> None:
    alain, _claire = shared_notebook(tmp_path, 2)
    program = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from store import Notebook
        from store.sync import sync
        sync(Notebook(Path(sys.argv[1])))
        print(" ".join(sorted(m for m in sys.modules if m.startswith("store.incoming"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program, str(alain.root)],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == ""
