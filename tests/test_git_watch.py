"""The open's vouching ``git status`` in a folder copied with ``cp -a`` (or restored from a
backup): git's stat data brought up to date once, and the vouch still standing."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from store import Notebook
from store.git.watch import CLEAN

watching = pytest.mark.skipif(CLEAN._libc is None, reason="no inotify on this system")


def _stat_dirty(root: Path) -> list[str]:
    """The files whose stat data in git's index does not match them (``diff-files`` does not
    refresh the index, and names them all)."""
    done = subprocess.run(
        ["git", "diff-files", "--name-only"], cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


@watching
def test_a_copied_notebook_has_its_index_refreshed_once_by_the_open(tmp_path: Path) -> None:
    with Notebook.create(
        tmp_path / "carnet", title="Mission", name="Anne", email="anne@example.org"
    ) as notebook:
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    original = tmp_path / "carnet"
    # Files older than the index, as in any notebook but one made a moment ago: git reads
    # again a file of the same second as its index ("racily clean"), whatever its stat data.
    past = time.time() - 60
    for path in original.rglob("*"):
        if ".git" not in path.parts:
            os.utime(path, (past, past), follow_symlinks=False)
    subprocess.run(["git", "update-index", "-q", "--refresh"], cwd=original, check=True)
    assert _stat_dirty(original) == []
    subprocess.run(["cp", "-a", str(tmp_path / "carnet"), str(tmp_path / "copy")], check=True)
    copy = tmp_path / "copy"
    assert _stat_dirty(copy), "cp -a makes git's stat data stale"
    with Notebook(copy) as opened:
        assert _stat_dirty(copy) == []
        assert not opened.repo.may_have_pending()  # the open's status still vouches
        path = next((copy / "entries").rglob(f"*{entry.id}*"))
        path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
        assert opened.repo.may_have_pending()  # and a change after it is still seen


@watching
def test_a_watch_that_saw_nothing_is_kept_and_still_sees_an_edit_in_place(
    tmp_path: Path,
) -> None:
    """Watching again a tree where nothing happened keeps the watch (closing and making one
    costs tens of ms before the status): it still sees a file rewritten in place after."""
    with Notebook.create(
        tmp_path / "carnet", title="Mission", name="Anne", email="anne@example.org"
    ) as notebook:
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    root = (tmp_path / "carnet").absolute()
    head = notebook.repo.head()
    CLEAN.watch(root)
    first = CLEAN._watches[root]
    CLEAN.found_clean(root, head, CLEAN.watch(root))
    assert CLEAN._watches[root] is first
    assert CLEAN.still_clean(root, head)
    path = next((root / "entries").rglob(f"*{entry.id}*"))
    with open(path, "r+", encoding="utf-8") as handle:  # in place: no new inode, no rename
        handle.write(handle.read().replace("Texte", "Texto"))
    assert not CLEAN.still_clean(root, head)
    CLEAN.watch(root)  # it saw an event: watched anew
    assert CLEAN._watches[root] is not first
