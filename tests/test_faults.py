"""Faults a person runs into: a full disk, a read-only folder, a closed pipe, bad bytes, too much
text. Each ends in one plain sentence and nothing changed, never a traceback.

The disks are real: a small tmpfs that fills up, a read-only bind mount. Mounting needs root
(or the right capability): where it is not allowed, those tests are skipped and say why.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from clitools import carnet
from conftest import TEST_EMAIL, TEST_NAME
from tui_data import large_notebook, review_notebook
from tuitools import settle

from store import Notebook
from store.errors import CarnetError, DiskError, InvalidInputError
from store.git.program import run_git
from store.model import MAX_DOCUMENT_BYTES, canonical_bytes
from store.storage import DocumentStorage, NotebookDatabase
from tui.app import CarnetApp
from tui.widgets.status_bar import StatusBar

PAGE = 4096


# --- real faulty disks ----------------------------------------------------------------------


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


def _unmount(point: Path) -> None:
    done = subprocess.run(["umount", str(point)], capture_output=True, timeout=30)
    if done.returncode != 0:  # still busy (a git process that has not quite ended): detach it
        subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=30)


@functools.cache
def _cannot_mount() -> str | None:
    """Why this machine does not let the tests mount a disk, or None if it does."""
    with tempfile.TemporaryDirectory() as folder:
        try:
            done = _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", folder)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"mount cannot be run here ({exc})"
        if done.returncode != 0:
            return f"mounting is not permitted here ({done.stderr.strip()})"
        _unmount(Path(folder))
    return None


def _need_mount() -> None:
    reason = _cannot_mount()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB disk of its own (tmpfs), to fill up."""
    _need_mount()
    point = tmp_path / "disk"
    point.mkdir()
    done = _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point))
    if done.returncode != 0:
        pytest.skip(f"a tmpfs cannot be mounted here ({done.stderr.strip()})")
    try:
        yield point
    finally:
        _unmount(point)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` made read-only for everyone, root included (a read-only bind mount)."""
    _need_mount()
    done = _mount("--bind", str(folder), str(folder))
    if done.returncode != 0:
        pytest.skip(f"a bind mount is not permitted here ({done.stderr.strip()})")
    try:
        done = _mount("-o", "remount,ro,bind", str(folder))
        if done.returncode != 0:
            pytest.skip(f"a read-only remount is not permitted here ({done.stderr.strip()})")
        yield
    finally:
        _unmount(folder)


@contextlib.contextmanager
def filled(disk: Path, *, leave: int = 0) -> Iterator[None]:
    """Fill ``disk`` but ``leave`` pages; free it again afterwards."""
    filler = disk / "filler"
    stats = os.statvfs(disk)
    room = stats.f_bavail * stats.f_frsize - leave * PAGE
    with open(filler, "wb") as handle:
        chunk = b"\0" * (64 * 1024)
        try:
            while room > 0:
                room -= handle.write(chunk[: min(len(chunk), room)])
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    try:
        yield
    finally:
        filler.unlink()


# --- what "nothing changed" means ---------------------------------------------------------------


def commits(root: Path) -> str:
    return run_git(root, "log", "--format=%H")


def files(root: Path) -> dict[str, bytes]:
    """Every file of the notebook outside .git, with its content (temp files included)."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] != ".git" and path.is_file():
            found[str(relative)] = path.read_bytes()
    return found


def state(root: Path) -> tuple[str, dict[str, bytes], str, str]:
    """The commits, the files, git's view of the work tree and what is staged."""
    return (
        commits(root),
        files(root),
        # No optional locks: on a full disk, git status could not refresh its index.
        run_git(root, "--no-optional-locks", "status", "--porcelain", "--untracked-files=all"),
        run_git(root, "diff", "--cached", "--name-only"),
    )


def assert_one_plain_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("carnet : ")
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr
    for word in words:
        assert word in lines[0]


def make_notebook(root: Path) -> Notebook:
    return Notebook.create(root, title="Mission 2005", name=TEST_NAME, email=TEST_EMAIL)


# --- one limit on what is saved -----------------------------------------------------------------


def short_lines(size: int) -> str:
    """Text of ``size`` bytes in lines of two letters: a third more once saved as JSON."""
    return "ab\n" * (size // 3)


def test_a_body_under_one_megabyte_that_is_over_it_once_saved_is_refused(
    notebook: Notebook,
) -> None:
    """Regression: 950 KB of short lines was accepted and committed, but its file (every
    newline escaped) was over the 1 MB the readers accept: the entry vanished for everyone."""
    body = short_lines(950_000)
    assert len(body.encode()) < MAX_DOCUMENT_BYTES
    before = state(notebook.root)
    with pytest.raises(InvalidInputError) as refused:
        notebook.add_entry("practice", "Long", body)
    message = str(refused.value)
    assert "une fois enregistré" in message and "1 Mo au plus" in message
    assert "raccourcissez-le d'environ 2" in message  # ~1.27 MB: about 270 KB too much
    assert state(notebook.root) == before
    assert notebook.entries() == []


def test_a_text_right_at_the_limit_is_saved_and_read_back(notebook: Notebook) -> None:
    """What the writer accepts, every reader accepts: the limit is on the same bytes."""
    entry = notebook.add_entry("practice", "Juste", "")
    doc = entry.to_doc()
    room = MAX_DOCUMENT_BYTES - len(canonical_bytes(doc))
    notebook.edit_entry(entry.id, body="x" * room)
    with pytest.raises(InvalidInputError):
        notebook.edit_entry(entry.id, body="x" * (room + 1))
    with Notebook(notebook.root) as again:
        assert len(again.entry(entry.id).body) == room
        assert not again.problems


def test_every_kind_of_document_is_held_to_the_limit(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Texte")
    quotes = '"' * 600_000  # each quote is escaped: 1.2 MB once saved
    with pytest.raises(InvalidInputError, match="une fois enregistré"):
        notebook.add_comment(entry.id, quotes)
    with pytest.raises(InvalidInputError, match="une fois enregistré"):
        notebook.add_participant("Anne", "anne@example.org", organisation=quotes)
    assert notebook.comments(entry.id) == []
    assert [p.name for p in notebook.participants()] == [TEST_NAME]


@pytest.mark.parametrize(
    ("size", "shown"), [(950_000, "1,27 Mo une fois enregistré"), (1_500_000, "1,5 Mo")]
)
def test_carnet_add_refuses_what_would_be_too_big_once_saved(
    tmp_path: Path, size: int, shown: str
) -> None:
    notebook = make_notebook(tmp_path / "carnet")
    notebook.close()
    body = tmp_path / "long.md"
    body.write_text(short_lines(size) if size < MAX_DOCUMENT_BYTES else "x" * size)
    before = state(notebook.root)
    done = carnet("add", "--kind", "practice", "--title", "Long", "--body-file", str(body),
                  cwd=notebook.root)  # fmt: skip
    assert_one_plain_line(done, shown, "1 Mo au plus")
    assert done.stdout == ""
    assert state(notebook.root) == before


# --- a full disk --------------------------------------------------------------------------------


@pytest.mark.parametrize("leave", [0, 1, 2, 3, 4, 6, 8, 12])
def test_a_full_disk_leaves_nothing_half_done(small_disk: Path, leave: int) -> None:
    """Whichever write the disk runs out at (the entry, the review, git's objects, its index,
    the branch), the action is undone: no file left, nothing staged for a later commit."""
    notebook = make_notebook(small_disk / "carnet")
    entry = notebook.add_entry("practice", "Premier", "Texte")
    before = state(notebook.root)
    text = os.urandom(3000).hex()  # git cannot compress it away
    failed = 0
    with filled(small_disk, leave=leave):
        for act in (
            lambda: notebook.add_comment(entry.id, text),
            lambda: notebook.add_entry("practice", "Second", text),
            lambda: notebook.edit_entry(entry.id, body=text),
        ):
            try:
                act()
            except CarnetError as error:
                failed += 1
                assert "Traceback" not in str(error)
                assert state(notebook.root)[:2] == before[:2]
                assert notebook.refresh() is False
            else:
                before = state(notebook.root)
    assert state(notebook.root)[2:] == ("", "")  # nothing uncommitted, nothing staged
    if leave == 0:
        assert failed == 3
    # Once there is room again, the notebook works, and remembers only what was saved.
    notebook.add_comment(entry.id, "Après")
    with Notebook(notebook.root) as again:
        assert [c.body for c in again.comments(entry.id)][-1] == "Après"
        assert len(again.entries()) == len(notebook.entries())
        assert again.entry(entry.id).body == notebook.entry(entry.id).body
        assert not again.problems
    notebook.close()


def test_a_storage_write_the_disk_refuses_leaves_no_trace(small_disk: Path) -> None:
    """Two documents in one write, the disk full: neither file changes, no temp file stays, and
    the storage does not claim the documents it could not write."""
    notebook = make_notebook(small_disk / "carnet")
    first = notebook.add_entry("practice", "Premier", "Texte")
    second = notebook.add_entry("practice", "Second", "Texte")
    notebook.close()
    db = NotebookDatabase(notebook.root, storage=DocumentStorage)
    before = files(notebook.root)
    with filled(small_disk), pytest.raises(DiskError, match="le disque est plein"):
        db.table("entries").update({"body": os.urandom(8000).hex()}, doc_ids=[first.id, second.id])
    assert files(notebook.root) == before  # temp files would show here
    stored = db.storage.read()
    assert stored["entries"][first.id]["body"] == "Texte"
    assert stored["entries"][second.id]["body"] == "Texte"
    db.close()


def test_carnet_on_a_full_disk_says_so_and_changes_nothing(
    small_disk: Path, tmp_path: Path
) -> None:
    """Regression: add, comment and sync on a full disk printed an OSError traceback."""
    root = small_disk / "carnet"
    make_notebook(root).close()
    shared = tmp_path / "partage.git"
    run_git(tmp_path, "init", "-q", "--bare", str(shared))
    run_git(root, "remote", "add", "origin", str(shared))
    added = carnet("add", "--kind", "practice", "--title", "Premier", cwd=root)
    short = added.stdout.strip()
    before = state(root)
    with filled(small_disk):
        for args in (
            ("add", "--kind", "practice", "--title", "Second", "--body", "Texte"),
            ("comment", short, "--body", "Un commentaire"),
            ("sync",),
        ):
            done = carnet(*args, cwd=root)
            assert_one_plain_line(done, "le disque est plein", "libérez de la place")
            assert state(root) == before
    assert carnet("comment", short, "--body", "Après", cwd=root).returncode == 0
    assert carnet("sync", cwd=root).returncode == 0


# --- a read-only folder -------------------------------------------------------------------------


def test_carnet_in_a_read_only_notebook_says_so_and_still_reads(tmp_path: Path) -> None:
    """Regression: writing commands in a read-only notebook folder printed a traceback."""
    root = tmp_path / "carnet"
    make_notebook(root).close()
    short = carnet("add", "--kind", "practice", "--title", "Premier", cwd=root).stdout.strip()
    before = state(root)
    with read_only(root):
        for args in (
            ("add", "--kind", "practice", "--title", "Second"),
            ("comment", short, "--body", "Un commentaire"),
            ("read", short),
            ("sync",),
        ):
            done = carnet(*args, cwd=root)
            assert_one_plain_line(done, "en lecture seule", str(root))
        listed = carnet("list", cwd=root)
        assert listed.returncode == 0 and "Premier" in listed.stdout
        assert carnet("show", short, cwd=root).returncode == 0
    assert state(root) == before


def test_the_store_refuses_to_write_in_a_read_only_folder(tmp_path: Path) -> None:
    notebook = make_notebook(tmp_path / "carnet")
    entry = notebook.add_entry("practice", "Premier", "Texte")
    with read_only(notebook.root):
        with pytest.raises(DiskError, match="lecture seule"):
            notebook.add_comment(entry.id, "Refusé")
        with pytest.raises(DiskError, match="lecture seule"):
            notebook.edit_entry(entry.id, title="Refusé")
    assert notebook.entry(entry.id).title == "Premier"
    assert notebook.comments(entry.id) == []
    notebook.add_comment(entry.id, "Accepté")
    notebook.close()


def test_carnet_init_where_it_cannot_write(tmp_path: Path) -> None:
    locked = tmp_path / "verrouillé"
    locked.mkdir()
    with read_only(locked):
        done = carnet("init", str(locked / "carnet"), "--title", "Mission", cwd=tmp_path)
        assert_one_plain_line(done, "en lecture seule")
    assert list(locked.iterdir()) == []


# --- the command line's other faults ------------------------------------------------------------


def test_carnet_init_under_a_file(tmp_path: Path) -> None:
    """Regression: a folder that cannot be made (a file is in the way) gave a traceback."""
    blocker = tmp_path / "notes.txt"
    blocker.write_text("à garder\n")
    for target in (blocker / "carnet", blocker):
        done = carnet("init", str(target), "--title", "Mission", cwd=tmp_path)
        assert_one_plain_line(done, "un fichier se trouve là où il faudrait un dossier")
    assert blocker.read_text() == "à garder\n"


def test_an_argument_that_is_not_utf8(tmp_path: Path) -> None:
    """Regression: Latin-1 bytes in an argument reached the JSON writer as lone surrogates."""
    root = tmp_path / "carnet"
    make_notebook(root).close()
    before = state(root)
    done = carnet("add", "--kind", "practice", "--title", b"caf\xe9 cr\xe8me", cwd=root)
    assert_one_plain_line(done, "UTF-8", "caf\N{REPLACEMENT CHARACTER}")
    assert state(root) == before


def test_output_into_a_pipe_closed_at_once(tmp_path: Path) -> None:
    """Regression: ``carnet list`` whose reader had gone printed a BrokenPipeError."""
    root = tmp_path / "carnet"
    notebook = make_notebook(root)
    notebook.add_entry("practice", "Premier", "Texte")
    notebook.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "list"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader goes away before anything is written
    errors = process.stderr.read()
    assert process.wait(timeout=60) in (0, 1)
    assert errors == ""


def test_carnet_list_into_head(tmp_path: Path) -> None:
    """``carnet list | head -1`` on a listing longer than a pipe holds: quiet, like any tool."""
    large_notebook(tmp_path / "carnet", 1500).close()
    done = subprocess.run(
        f"{sys.executable} -m tui.cli list | head -1", shell=True,
        cwd=tmp_path / "carnet", capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert len(done.stdout.splitlines()) == 1
    assert done.stderr == ""


def test_a_bug_is_told_in_one_line(tmp_path: Path) -> None:
    """A local file Carnet cannot take (an integer JSON carries but Carnet refuses) made the
    sync raise a ValueError: even that is one line, not a traceback."""
    root = tmp_path / "carnet"
    make_notebook(root).close()
    (root / ".git" / "carnet" / "sync.json").write_text('{"attempts": 9007199254740993}')
    done = carnet("sync", cwd=root)
    assert_one_plain_line(done, "problème inattendu", "ValueError")


# --- the review screen --------------------------------------------------------------------------


def notices(app: CarnetApp) -> list[str]:
    return [n.message for n in app._notifications]


def status_text(app: CarnetApp) -> str:
    return str(app.review.query_one(StatusBar).render())


async def test_the_review_screen_tells_a_read_only_folder(tmp_path: Path) -> None:
    """Regression: in a read-only notebook, a stance or a sync failed silently, and the status
    bar stayed on "synchronisation…" for ever."""
    nb = review_notebook(tmp_path / "carnet")
    run_git(tmp_path, "init", "-q", "--bare", "partage.git")
    run_git(nb.root, "remote", "add", "origin", str(tmp_path / "partage.git"))
    app = CarnetApp(nb, sync_interval=None)
    try:
        with read_only(nb.root):
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                await pilot.press("1")  # agree
                await settle(pilot)
                assert any("lecture seule" in n for n in notices(app)), notices(app)
                await pilot.press("S")
                await settle(pilot)
                assert not app.syncing
                assert "synchronisation…" not in status_text(app)
                assert "⚠" in status_text(app)
                assert sum("lecture seule" in n for n in notices(app)) == 2, notices(app)
    finally:
        nb.close()


async def test_a_sync_that_fails_unforeseen_ends_the_syncing_state(tmp_path: Path) -> None:
    nb = review_notebook(tmp_path / "carnet")
    (nb.repo.local_dir / "sync.json").write_text('{"attempts": 9007199254740993}')
    app = CarnetApp(nb, sync_interval=None)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("S")
            await settle(pilot)
            assert not app.syncing
            assert "synchronisation…" not in status_text(app)
            assert any("problème inattendu" in n for n in notices(app)), notices(app)
    finally:
        nb.close()


async def test_a_background_sync_tells_a_disk_fault_but_not_a_local_notebook(
    tmp_path: Path,
) -> None:
    """The sync at start-up says once that the folder is read-only; a notebook with no shared
    repository is a state the status bar shows, not a failure to announce each time."""
    nb = review_notebook(tmp_path / "carnet")
    try:
        app = CarnetApp(nb, sync_interval=3600)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert not app.syncing and app.sync_error is not None
            assert notices(app) == []
        run_git(tmp_path, "init", "-q", "--bare", "partage.git")
        run_git(nb.root, "remote", "add", "origin", str(tmp_path / "partage.git"))
        with read_only(nb.root):
            app = CarnetApp(nb, sync_interval=3600)
            async with app.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                assert not app.syncing
                assert [n for n in notices(app) if "lecture seule" in n] != []
                assert "synchronisation…" not in status_text(app)
    finally:
        nb.close()
