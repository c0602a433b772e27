"""git's untracked cache, written once per work tree by the open's refresh and read by the
statuses that take no lock: present, and never hiding a file made by hand since."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from store import Notebook
from store.git.program import WorkTreeProbe
from store.git.watch import CLEAN, STAT_RECORD
from store.layout import TABLES

watching = pytest.mark.skipif(CLEAN._libc is None, reason="no inotify on this system")


def _holds_untracked_cache(root: Path) -> bool:
    """Whether git's index file carries the untracked cache's extension ("UNTR", then its
    length)."""
    return b"UNTR\0" in (root / ".git" / "index").read_bytes()


def _notebook(tmp_path: Path) -> tuple[Path, str]:
    with Notebook.create(
        tmp_path / "carnet", title="Mission", name="Anne", email="anne@example.org"
    ) as notebook:
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    return tmp_path / "carnet", entry.id


@watching
def test_the_open_writes_the_untracked_cache_in_a_clone_refreshed_by_an_older_carnet(
    tmp_path: Path,
) -> None:
    root, _entry = _notebook(tmp_path)
    # An older Carnet's record: this folder's stat data refreshed, no cache written.
    folder = os.stat(root)
    (root / ".git" / "carnet" / STAT_RECORD).write_text(
        f"{folder.st_dev}:{folder.st_ino}", encoding="ascii"
    )
    subprocess.run(["git", "update-index", "--no-untracked-cache"], cwd=root, check=True)
    assert not _holds_untracked_cache(root)
    with Notebook(root) as opened:
        assert _holds_untracked_cache(root)
        assert not opened.repo.may_have_pending()  # written before the watch: it vouches


@watching
def test_a_clone_moved_elsewhere_gets_its_cache_again_for_its_new_location(
    tmp_path: Path,
) -> None:
    root, _entry = _notebook(tmp_path)
    Notebook(root).close()
    moved = tmp_path / "déplacé" / "carnet"
    moved.parent.mkdir()
    os.rename(root, moved)  # the same folder (its device and inode), another path
    with Notebook(moved):
        pass
    # git's cache names the folder it was written in: one it does not name, git ignores
    # it (every folder listed again) and warns at every plain status.
    assert (
        b"Location " + os.fsencode(os.path.realpath(moved))
        in (moved / ".git" / "index").read_bytes()
    )
    done = subprocess.run(
        ["git", "status", "--porcelain"], cwd=moved, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""


@watching
def test_a_file_made_by_hand_in_a_cached_folder_is_still_found(tmp_path: Path) -> None:
    root, entry_id = _notebook(tmp_path)
    Notebook(root).close()
    assert _holds_untracked_cache(root)
    written = next((root / "entries").rglob(f"{entry_id}.json"))
    made = written.with_name("01HANDMADE00000000000000000.json")
    made.write_bytes(written.read_bytes())
    state = WorkTreeProbe(root, TABLES, vouch=True).result()
    assert state is not None
    assert made.relative_to(root).as_posix() in state.differing


@pytest.mark.parametrize("vouch", [True, False])
def test_a_status_that_cannot_start_answers_that_git_cannot_tell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vouch: bool
) -> None:
    """The caller waits until the status is started: when it cannot be (no git program), the
    probe still returns, and says git cannot tell (the open then reads every file)."""
    root, _entry_id = _notebook(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert WorkTreeProbe(root, TABLES, vouch=vouch).result() is None
