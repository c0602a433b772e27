"""git's untracked cache is never trusted (``store.git.command``): a file written in the second
after a status listed its folder is still found, and a cache a participant's own git wrote is
taken out of the index."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from store import Notebook
from store.git.program import Identity, refresh_index, run_git
from store.git.status import WorkTreeProbe
from store.git.watch import CLEAN, STAT_RECORD
from store.layout import TABLES, document_path

watching = pytest.mark.skipif(CLEAN._libc is None, reason="no inotify on this system")


def _holds_untracked_cache(root: Path) -> bool:
    """Whether git's index file carries the untracked cache's extension ("UNTR", then its
    length)."""
    return b"UNTR\0" in (root / ".git" / "index").read_bytes()


def _write_untracked_cache(root: Path) -> None:
    """What a participant's own git does at each status, with ``core.untrackedCache`` (or
    ``feature.manyFiles``) set."""
    subprocess.run(
        ["git", "-c", "core.untrackedCache=true", "status", "--porcelain", "-uall"],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


def _notebook(tmp_path: Path) -> tuple[Path, str]:
    with Notebook.create(
        tmp_path / "carnet", title="Mission", name="Anne", email="anne@example.org"
    ) as notebook:
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    return tmp_path / "carnet", entry.id


def _next_second() -> int:
    """Sleep until just after the clock's next whole second; that second."""
    time.sleep(1.02 - time.time() % 1)
    return int(time.time())


def _written_in_the_second_of_a_cache(root: Path, entry_id: str) -> str:
    """Write, as an interrupted action leaves it, a copy of the entry under another id in the
    entry's folder, within the second in which git's untracked cache listed that folder just
    after it changed; then let the index be rewritten a second later, as any action does. The
    copy's id.

    git compares a folder's time in whole seconds: the folder looks as the cache listed it.
    Right after, the index's own time (the same second) makes git list it again; from the
    rewrite on, nothing does."""
    written = root / document_path("entries", entry_id)
    copy_id = entry_id[:-2] + ("A" if entry_id[-2] != "A" else "B") + entry_id[-1]
    copy = root / document_path("entries", copy_id)
    assert copy.parent == written.parent
    for _attempt in range(3):
        second = _next_second()
        scratch = copy.with_suffix(".tmp")  # the folder just changed: the cache lists it again
        scratch.write_bytes(b"")
        scratch.unlink()
        _write_untracked_cache(root)
        copy.write_bytes(written.read_bytes().replace(entry_id.encode(), copy_id.encode()))
        if int(time.time()) == second:
            break
        copy.unlink()
    else:
        pytest.fail("the machine is too slow to write a file within a second of a status")
    assert _holds_untracked_cache(root)
    _next_second()
    with Notebook(root) as notebook:
        notebook.mark_read(entry_id)
    refresh_index(root)
    return copy_id


@pytest.fixture
def hidden_copy(tmp_path: Path) -> tuple[Path, str]:
    """A notebook, and the id of the entry written in the second of a cache."""
    root, entry_id = _notebook(tmp_path)
    return root, _written_in_the_second_of_a_cache(root, entry_id)


def test_a_file_written_in_the_second_git_listed_its_folder_is_read_at_the_open(
    hidden_copy: tuple[Path, str],
) -> None:
    root, copy_id = hidden_copy
    with Notebook(root) as reopened:
        assert copy_id in {entry.id for entry in reopened.entries()}


def test_a_file_written_in_the_second_git_listed_its_folder_is_committed_by_the_sync(
    hidden_copy: tuple[Path, str],
) -> None:
    root, copy_id = hidden_copy
    with Notebook(root) as reopened:
        reopened.repo.commit_pending("Reprise", Identity("Anne", "anne@example.org"))
    committed = run_git(root, "ls-tree", "-r", "--name-only", "HEAD", "--", "entries")
    assert document_path("entries", copy_id) in committed.split()


def test_an_action_takes_the_cache_a_participants_git_wrote_out_of_the_index(
    tmp_path: Path,
) -> None:
    root, entry_id = _notebook(tmp_path)
    _write_untracked_cache(root)
    assert _holds_untracked_cache(root)
    with Notebook(root) as notebook:
        notebook.mark_read(entry_id)
    refresh_index(root)
    assert not _holds_untracked_cache(root)


@watching
def test_a_clone_whose_cache_an_older_carnet_wrote_is_refreshed_once_without_it(
    tmp_path: Path,
) -> None:
    """An older Carnet wrote the cache itself, and its record says so (the folder's path and
    a mark): the open refreshes that clone once more, which takes the cache out."""
    root, _entry = _notebook(tmp_path)
    _write_untracked_cache(root)
    folder = os.stat(root)
    old_record = f"{folder.st_dev}:{folder.st_ino} {os.path.realpath(root)} untracked-cache"
    (root / ".git" / "carnet" / STAT_RECORD).write_text(old_record, encoding="utf-8")
    with Notebook(root):
        pass
    assert not _holds_untracked_cache(root)
    assert (root / ".git" / "carnet" / STAT_RECORD).read_text() == (
        f"{folder.st_dev}:{folder.st_ino}"
    )


@pytest.mark.parametrize("vouch", [True, False])
def test_a_status_that_cannot_start_answers_that_git_cannot_tell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, vouch: bool
) -> None:
    """The caller waits until the status is started: when it cannot be (no git program), the
    probe still returns, and says git cannot tell (the open then reads every file)."""
    root, _entry_id = _notebook(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert WorkTreeProbe(root, TABLES, vouch=vouch).result() is None


def test_a_change_outside_the_listings_folders_leaves_it_holding(tmp_path: Path) -> None:
    """Only the folders asked about count."""
    root, _entry = _notebook(tmp_path)
    Notebook(root).close()
    (root / "notes-a-part.txt").write_text("brouillon", encoding="utf-8")
    state = WorkTreeProbe(root, ("entries", "comments")).result()
    assert state is not None and state.differing == frozenset()
    whole = WorkTreeProbe(root, TABLES + ("notes-a-part.txt",)).result()
    assert whole is not None and whole.differing == {"notes-a-part.txt"}
