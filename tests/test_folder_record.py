"""Carnet's record of the work tree's folders (``store.git.folders``): a status asks git for
the tracked files only when no file can be untracked, and every way a file can become
untracked without the record knowing it is still found."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from store import Notebook
from store.git import folders
from store.git.program import Identity, run_git
from store.git.status import WorkTreeProbe, WorkTreeState
from store.layout import TABLES, document_path


@pytest.fixture
def settled_soon(monkeypatch: pytest.MonkeyPatch) -> float:
    """A record is written only of times older than ``SETTLED``: a tenth of a second here, so
    that a test need not wait two; how long to wait for it."""
    monkeypatch.setattr(folders, "SETTLED", 100_000_000)
    return 0.15


@pytest.fixture
def traced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """git's own trace of the commands it runs, in this file."""
    trace = tmp_path / "git-trace"
    monkeypatch.setenv("GIT_TRACE", str(trace))
    return trace


def _statuses(trace: Path) -> list[str]:
    """The untracked-files option of each ``git status`` traced since the last call."""
    if not trace.exists():
        return []
    lines = trace.read_text(encoding="utf-8").splitlines()
    trace.unlink()
    found = []
    for line in lines:
        if "trace: built-in: git" in line and " status " in line:
            found += [word for word in line.split() if word.startswith("--untracked-files=")]
    return found


def _notebook(tmp_path: Path, wait: float) -> tuple[Path, str]:
    """A notebook with one entry, its times settled, and the record written by an open."""
    with Notebook.create(
        tmp_path / "carnet", title="Mission", name="Anne", email="anne@example.org"
    ) as notebook:
        entry = notebook.add_entry("practice", "Maison des familles", "Texte")
    root = tmp_path / "carnet"
    # git takes a file written in the second its index was as possibly changed, and a status
    # that may write the index rewrites it then: once, here, a second later.
    time.sleep(1.02 - time.time() % 1)
    run_git(root, "status", "--porcelain")
    time.sleep(wait)
    Notebook(root).close()
    assert (_record_file(root)).exists()
    return root, entry.id


def _record_file(root: Path) -> Path:
    return root / ".git" / "carnet" / folders.RECORD


def _whole(root: Path) -> WorkTreeState:
    state = WorkTreeProbe(root, TABLES, vouch=True).result()
    assert state is not None
    return state


def _copy_of(root: Path, entry_id: str, folder_of: str | None = None) -> tuple[Path, str]:
    """What an interrupted action or a hand copy leaves: the entry under another id, in the
    entry's folder (or in the folder of ``folder_of``'s id); the file and that id."""
    base = folder_of or entry_id
    copy_id = base[:-2] + ("A" if base[-2] != "A" else "B") + base[-1]
    copy = root / document_path("entries", copy_id)
    written = root / document_path("entries", entry_id)
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(written.read_bytes().replace(entry_id.encode(), copy_id.encode()))
    return copy, copy_id


def test_an_unchanged_tree_is_asked_for_its_tracked_files_only(
    tmp_path: Path, settled_soon: float, traced: Path
) -> None:
    root, _entry = _notebook(tmp_path, settled_soon)
    _statuses(traced)
    state = _whole(root)
    assert _statuses(traced) == ["--untracked-files=no"]
    assert state.differing == frozenset() and not state.untracked
    assert WorkTreeProbe(root, ("entries",)).result() is not None  # the listing's check too
    assert _statuses(traced) == ["--untracked-files=no"]


def test_a_file_left_in_an_entrys_folder_is_read_at_the_open_and_committed(
    tmp_path: Path, settled_soon: float, traced: Path
) -> None:
    root, entry_id = _notebook(tmp_path, settled_soon)
    copy, copy_id = _copy_of(root, entry_id)
    _statuses(traced)
    with Notebook(root) as notebook:
        assert copy_id in {entry.id for entry in notebook.entries()}
        assert _statuses(traced) == ["--untracked-files=all"]
        notebook.repo.commit_pending("Reprise", Identity("Anne", "anne@example.org"))
    committed = run_git(root, "ls-tree", "-r", "--name-only", "HEAD", "--", "entries")
    assert copy.relative_to(root).as_posix() in committed.split()


def test_a_file_whose_folder_was_given_back_its_times_is_still_found(
    tmp_path: Path, settled_soon: float
) -> None:
    """A backup restored, ``rsync -t`` or ``touch -r``: the folder's modification time is as
    the record holds it. Its change time, which only the kernel sets, is not."""
    root, entry_id = _notebook(tmp_path, settled_soon)
    folder = (root / document_path("entries", entry_id)).parent
    before = os.stat(folder)
    copy, _copy_id = _copy_of(root, entry_id)
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(folder).st_mtime_ns == before.st_mtime_ns
    state = _whole(root)
    assert copy.relative_to(root).as_posix() in state.differing and state.untracked


def test_a_file_in_a_new_folder_is_found(tmp_path: Path, settled_soon: float) -> None:
    """A folder with no subfolder is not listed when the record is taken (its link count says
    it has none): one made in it changes it."""
    root, entry_id = _notebook(tmp_path, settled_soon)
    folder = (root / document_path("entries", entry_id)).parent
    assert os.stat(folder).st_nlink == 2
    (folder / "nouveau").mkdir()
    (folder / "nouveau" / "note.json").write_text("{}", encoding="utf-8")
    elsewhere = root / "entries" / "zz" / "note.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text("{}", encoding="utf-8")
    state = _whole(root)
    relative = (folder / "nouveau" / "note.json").relative_to(root).as_posix()
    assert {relative, "entries/zz/note.json"} <= state.differing


def test_a_file_taken_out_of_the_index_is_found(tmp_path: Path, settled_soon: float) -> None:
    """``git rm --cached``, then a commit: the file is untracked, and no folder changed."""
    root, entry_id = _notebook(tmp_path, settled_soon)
    path = document_path("entries", entry_id)
    folder_before = os.stat((root / path).parent)
    run_git(root, "rm", "-q", "--cached", "--", path)
    run_git(root, "-c", "user.name=A", "-c", "user.email=a@example.org",
            "commit", "-q", "--no-verify", "-m", "hors de l'index")  # fmt: skip
    assert os.stat((root / path).parent) == folder_before
    state = _whole(root)
    assert path in state.differing and state.untracked


def test_a_file_no_longer_excluded_is_found(tmp_path: Path, settled_soon: float) -> None:
    """``.git/info/exclude`` hid a file when the record was written; then it no longer does."""
    root = tmp_path / "carnet"
    with Notebook.create(root, title="Mission", name="Anne", email="anne@example.org"):
        pass
    exclude = root / ".git" / "info" / "exclude"
    exclude.parent.mkdir(exist_ok=True)
    exclude.write_text("brouillon.json\n", encoding="utf-8")
    (root / "entries").mkdir(exist_ok=True)
    (root / "entries" / "brouillon.json").write_text("{}", encoding="utf-8")
    time.sleep(settled_soon)
    assert not _whole(root).untracked
    assert (_record_file(root)).exists()
    with open(exclude, "r+", encoding="utf-8") as handle:  # in place: the folder is unchanged
        handle.truncate(0)
    state = _whole(root)
    assert "entries/brouillon.json" in state.differing


def test_a_file_no_longer_ignored_by_the_global_excludes_file_is_found(
    tmp_path: Path, settled_soon: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``core.excludesFile`` names a file of the participant's own: it is asked for once the
    status is done, and recorded by the next."""
    ignore = tmp_path / "mes-exclusions"
    ignore.write_text("brouillon.json\n", encoding="utf-8")
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\texcludesFile = {ignore}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    root = tmp_path / "carnet"
    with Notebook.create(root, title="Mission", name="Anne", email="anne@example.org"):
        pass
    (root / "entries").mkdir(exist_ok=True)
    (root / "entries" / "brouillon.json").write_text("{}", encoding="utf-8")
    time.sleep(settled_soon)
    # The file is named only once the status is done: it may have changed during it.
    assert not _whole(root).untracked
    assert not folders.Record(root).holds()
    assert not _whole(root).untracked  # stamped before this status: recorded
    assert folders.Record(root).holds()
    with open(ignore, "r+", encoding="utf-8") as handle:
        handle.truncate(0)
    assert "entries/brouillon.json" in _whole(root).differing


def test_a_gitignore_changed_in_place_is_looked_past(
    tmp_path: Path, settled_soon: float, traced: Path
) -> None:
    """A ``.gitignore`` of the work tree is tracked: edited, it differs, and git is asked
    again for the untracked files."""
    root = tmp_path / "carnet"
    with Notebook.create(root, title="Mission", name="Anne", email="anne@example.org"):
        pass
    (root / ".gitignore").write_text("brouillon.json\n", encoding="utf-8")
    (root / "entries").mkdir(exist_ok=True)
    (root / "entries" / "brouillon.json").write_text("{}", encoding="utf-8")
    run_git(root, "add", ".gitignore")
    run_git(root, "-c", "user.name=A", "-c", "user.email=a@example.org",
            "commit", "-q", "--no-verify", "-m", "règles")  # fmt: skip
    time.sleep(settled_soon)
    assert not _whole(root).untracked
    with open(root / ".gitignore", "r+", encoding="utf-8") as handle:
        handle.truncate(0)
    _statuses(traced)
    state = _whole(root)
    assert _statuses(traced) == ["--untracked-files=no", "--untracked-files=all"]
    assert "entries/brouillon.json" in state.differing


def test_only_a_status_of_the_whole_tree_writes_the_record(
    tmp_path: Path, settled_soon: float
) -> None:
    """The listing's check lists only its own folders: it cannot vouch for the others."""
    root, _entry = _notebook(tmp_path, settled_soon)
    record = _record_file(root)
    record.unlink()
    assert WorkTreeProbe(root, ("entries",)).result() is not None
    assert not record.exists()
    time.sleep(settled_soon)  # that status may have written the index
    _whole(root)
    assert record.exists()


def test_a_tree_changed_within_the_settling_time_is_not_recorded(tmp_path: Path) -> None:
    """A folder changed less than ``SETTLED`` (two seconds) before the status: a change in the
    same tick of the file system's clock would leave the same times, so no record is made,
    and the next status lists every folder again."""
    root = tmp_path / "carnet"
    with Notebook.create(root, title="Mission", name="Anne", email="anne@example.org"):
        pass
    record = _record_file(root)
    record.unlink(missing_ok=True)
    assert not _whole(root).untracked
    assert not record.exists()


def test_a_damaged_record_is_not_trusted(tmp_path: Path, settled_soon: float, traced: Path) -> None:
    root, entry_id = _notebook(tmp_path, settled_soon)
    record = _record_file(root)
    record.write_bytes(record.read_bytes()[:-20])
    copy, _copy_id = _copy_of(root, entry_id)
    _statuses(traced)
    assert copy.relative_to(root).as_posix() in _whole(root).differing
    assert _statuses(traced) == ["--untracked-files=all"]


def test_a_record_that_cannot_be_written_costs_nothing_else(
    tmp_path: Path, settled_soon: float
) -> None:
    root, entry_id = _notebook(tmp_path, settled_soon)
    record = _record_file(root)
    record.unlink()
    record.mkdir()  # in the record's place: the write fails
    copy, _copy_id = _copy_of(root, entry_id)
    assert copy.relative_to(root).as_posix() in _whole(root).differing
    assert record.is_dir()


def test_the_listings_check_looks_at_its_own_folders_only(
    tmp_path: Path, settled_soon: float, traced: Path
) -> None:
    """A status of some folders asks for the untracked files when one of those folders
    changed, or, for one that was not there, the folder that would hold it; a change
    elsewhere leaves it the tracked files only."""
    root, entry_id = _notebook(tmp_path, settled_soon)
    listing = ("entries", "reviews/anne", "reviews/bruno")
    (root / "reviews" / "claire").mkdir()  # another's readings: not looked at
    (root / "reviews" / "claire" / "note.json").write_text("{}", encoding="utf-8")
    (root / "reviews" / "anne" / "note.json").unlink(missing_ok=True)
    _statuses(traced)
    assert WorkTreeProbe(root, ("entries", "reviews/anne")).result() is not None
    assert _statuses(traced) == ["--untracked-files=no"]
    # Bruno's readings were not there: the folder holding them changed (Claire's).
    assert WorkTreeProbe(root, listing).result() is not None
    assert _statuses(traced) == ["--untracked-files=all"]
    copy, _copy_id = _copy_of(root, entry_id)
    state = WorkTreeProbe(root, ("entries", "reviews/anne")).result()
    assert _statuses(traced) == ["--untracked-files=all"]
    assert state is not None and copy.relative_to(root).as_posix() in state.differing


def test_a_split_index_is_not_rewritten_by_the_listings_check_while_the_record_holds(
    tmp_path: Path, settled_soon: float, traced: Path
) -> None:
    """An action writes git's index split; after a ``git reset`` its own part takes entries
    out of the shared part, and git writes such an index back at each status that takes its
    lock, though nothing changed. The record holds the index: the listing's check takes no
    lock while the record holds."""
    root, _entry = _notebook(tmp_path, settled_soon)
    with Notebook(root) as notebook:
        notebook.add_entry("practice", "Table de quartier", "Texte")
    assert list((root / ".git").glob("sharedindex.*"))
    run_git(root, "reset", "-q", "--hard", "HEAD~1")
    time.sleep(1.02 - time.time() % 1)
    run_git(root, "status", "--porcelain")
    time.sleep(settled_soon)
    Notebook(root).close()
    index = os.stat(root / ".git" / "index")
    _statuses(traced)
    for _check in range(2):
        assert WorkTreeProbe(root, ("entries",)).result() is not None
    assert _statuses(traced) == ["--untracked-files=no"] * 2
    assert os.stat(root / ".git" / "index").st_ino == index.st_ino
