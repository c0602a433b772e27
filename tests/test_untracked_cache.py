"""git's untracked cache, written once per work tree by the open's refresh and read by the
statuses that take no lock: present, and never hiding a file made by hand since."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from store import Notebook
from store.git.program import WorkTreeProbe
from store.git.watch import CLEAN, STAT_RECORD
from store.layout import TABLES
from store.listing_check import ListingCheck

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


def _settle_folders(root: Path) -> None:
    """Date every folder of the work tree ten seconds back: git counts a folder changed within
    the clock tick of the index it writes as racily clean, and lists it again at each status,
    whatever its cache says."""
    past = time.time() - 10
    for folder, subfolders, _files in os.walk(root):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        os.utime(folder, (past, past))


def _folders_listed(root: Path, probe: Callable[[], object], tmp_path: Path) -> list[int]:
    """How many folders each status that ``probe`` ran listed for untracked files, as git's
    own trace says (no figure: the status read no untracked cache)."""
    trace = tmp_path / "trace2.json"
    trace.unlink(missing_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_TRACE2_EVENT", str(trace))
        patch.setenv("GIT_TRACE2_EVENT_NESTING", "10")  # its figures lie below the default
        probe()
    events = [json.loads(line) for line in trace.read_text().splitlines()]
    return [int(e["value"]) for e in events if e.get("event") == "data" and e["key"] == "opendir"]


def _listing_checked(root: Path) -> None:
    ListingCheck(root).wait()


@watching
def test_the_listings_check_reads_the_untracked_cache(tmp_path: Path) -> None:
    """A status with paths never reads git's untracked cache: the listing's check asks for the
    whole work tree and keeps its folders' part of the answer."""
    root, _entry = _notebook(tmp_path)
    _settle_folders(root)
    _listing_checked(root)  # takes the index's lock: writes back the folders just settled
    assert _folders_listed(root, lambda: _listing_checked(root), tmp_path) == [0]


@watching
def test_the_listings_check_writes_back_the_folders_an_action_changed(tmp_path: Path) -> None:
    """An action's new file makes git list its folder again at every status, until one that
    takes the index's lock writes the cache back: the listing's check, when the lock is free.
    The open's status takes no lock: it lists the folder, and leaves the cache as it was."""
    root, _entry = _notebook(tmp_path)
    with Notebook(root) as notebook:
        notebook.add_entry("practice", "Un café des parents", "Texte")
    _settle_folders(root)

    def opening() -> None:
        WorkTreeProbe(root, TABLES, vouch=True).result()

    assert _folders_listed(root, opening, tmp_path)[0] > 0  # it wrote nothing back
    _listing_checked(root)
    assert _folders_listed(root, opening, tmp_path) == [0]


@watching
def test_a_change_outside_the_listings_folders_leaves_it_holding(tmp_path: Path) -> None:
    """The status covers the whole work tree; only the listing's folders count."""
    root, _entry = _notebook(tmp_path)
    Notebook(root).close()
    (root / "notes-a-part.txt").write_text("brouillon", encoding="utf-8")
    state = WorkTreeProbe(root, ("entries", "comments")).result()
    assert state is not None and state.differing == frozenset()
    whole = WorkTreeProbe(root, TABLES + ("notes-a-part.txt",)).result()
    assert whole is not None and whole.differing == {"notes-a-part.txt"}
