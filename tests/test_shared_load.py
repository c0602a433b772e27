"""A full load shares its files with a helper process: the same documents, the same problems
with the same reasons, the progress of every folder, and nothing lost if the helper dies."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from store.ids import new_ulid
from store.layout import FOLDER_DEPTH, TABLES, document_path
from store.model import MAX_DOCUMENT_BYTES
from store.notebook import Notebook
from store.progress import reporting
from store.storage.loader import SHARED_LOAD_MIN_FILES, Folder, Helper, Loader

# Ids ending in the first and the last folder of their table: read by this process and by
# the helper, which reads the later half of the folders.
FIRST, LAST = "0", "Z"


_made = itertools.count(10)


def _id_in(folder: str) -> str:
    """A new id whose document's file is in ``folder``."""
    return f"{new_ulid()[:-3]}{next(_made)}{folder}"


def _large(notebook: Notebook) -> Path:
    """The notebook with enough comments and entries to share the load (copies of one each)."""
    entry = notebook.add_entry("practice", "Écoute des parents", "Un lieu d'accueil.")
    comment = notebook.add_comment(entry.id, "Très intéressant")
    notebook.mark_read(entry.id)
    root = Path(notebook.root)
    copies_of = (("comments", comment.id, SHARED_LOAD_MIN_FILES), ("entries", entry.id, 100))
    for table, doc_id, copies in copies_of:
        source = root / document_path(table, doc_id)
        for _copy in range(copies):
            target = root / document_path(table, new_ulid())
            target.parent.mkdir(exist_ok=True)
            shutil.copyfile(source, target)
    return root


def _damage(root: Path) -> None:
    """Damaged files in the first folders and in the last, of every kind the loader reports."""
    for folder in (FIRST, LAST):
        comments = root / "comments" / folder
        comments.mkdir(exist_ok=True)
        (comments / f"{_id_in(folder)}.json").write_text("{ pas du JSON")
        (comments / f"{_id_in(folder)}.json").write_text('{"entry": 3}')
        (comments / f"{_id_in('1' if folder == FIRST else 'Y')}.json").write_text("{}")
        os.mkfifo(comments / f"{_id_in(folder)}.json")
        (comments / f"{_id_in(folder)}.json").symlink_to(root / "carnet.json")
        (root / "comments" / "pas-un-id.json").write_text("{}")


def _every_path(root: Path) -> list[str]:
    return [
        str(path.relative_to(root))
        for table in TABLES
        for path in (root / table).rglob("*")
        if not path.is_dir() or path.suffix == ".json"
    ]


def _folders(root: Path) -> list[Folder]:
    """The folders a load reads, in order, with their files."""
    loader = Loader(root)
    return [f for table in TABLES for f in loader._listed(table, table, FOLDER_DEPTH[table])]


def _read_one_by_one(root: Path) -> Loader:
    loader = Loader(root)
    loader.load_paths(_every_path(root))
    return loader


def test_a_shared_load_reads_what_reading_each_file_reads(notebook: Notebook) -> None:
    root = _large(notebook)
    _damage(root)
    shared = Loader(root)
    shared.load()
    alone = _read_one_by_one(root)
    assert 0 < shared.read_by_helper < shared.read == alone.read
    for table in TABLES:
        assert sorted(shared.tables[table]) == sorted(alone.tables[table])
        assert all(doc == alone.tables[table][i] for i, doc in shared.tables[table].items())
    reported = sorted((problem.path, problem.reason) for problem in shared.problems)
    assert reported == sorted((problem.path, problem.reason) for problem in alone.problems)
    # Each kind of damage, in the helper's folders as in this process's.
    assert {path.split("/")[1] for path, _reason in reported} == {FIRST, LAST, "pas-un-id.json"}
    assert len(reported) == 2 * 5 + 1


def test_the_documents_keep_the_order_of_a_load_by_one_process(notebook: Notebook) -> None:
    root = _large(notebook)
    shared = Loader(root)
    shared.load()
    alone = Loader(root)
    for folder in _folders(root):
        alone._read_folder(*folder)
    assert shared.read_by_helper
    for table in TABLES:
        assert list(shared.tables[table]) == list(alone.tables[table])


def test_the_progress_counts_the_helpers_folders_one_by_one(notebook: Notebook) -> None:
    root = _large(notebook)
    heard: list[tuple[int, int]] = []
    loader = Loader(root)
    with reporting(lambda done, total: heard.append((done, total))):
        loader.load()
    assert loader.read_by_helper
    total = len(_folders(root))
    assert heard == [(done, total) for done in range(1, total + 1)]


def test_a_helper_that_dies_gives_nothing_and_its_folders_are_read_here(
    notebook: Notebook,
) -> None:
    root = _large(notebook)
    folders = _folders(root)
    helper = Helper.start(root, folders)
    assert helper is not None
    os.kill(helper.pid, signal.SIGKILL)
    loader = Loader(root)
    try:
        helper.folders_done(wait=True)
        assert helper.take_into(loader) is False
    finally:
        helper.close()
    assert loader.read == 0 and not any(loader.tables[t] for t in TABLES)


def test_a_helper_that_tells_nothing_is_ended_and_its_folders_are_read_here(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stuck helper (stopped here, as one waiting for a lock forever would be) must not hold
    # the open: after its silence it is ended, and this process reads its folders.
    root = _large(notebook)
    started = Helper.start
    stopped: list[int] = []

    def start_stopped(root: Path, folders: list[Folder]) -> Helper | None:
        helper = started(root, folders)
        assert helper is not None
        os.kill(helper.pid, signal.SIGSTOP)
        stopped.append(helper.pid)
        return helper

    monkeypatch.setattr(Helper, "start", start_stopped)
    monkeypatch.setattr("store.storage.loader.HELPER_SILENCE", 0.5)
    heard: list[tuple[int, int]] = []
    loader = Loader(root)
    with reporting(lambda done, total: heard.append((done, total))):
        loader.load()
    alone = _read_one_by_one(root)
    assert stopped and loader.read_by_helper == 0 and loader.read == alone.read
    for table in TABLES:
        assert sorted(loader.tables[table]) == sorted(alone.tables[table])
    total = len(_folders(root))
    assert heard == [(done, total) for done in range(1, total + 1)]
    with pytest.raises(ProcessLookupError):  # ended, and waited for
        os.kill(stopped[0], 0)


@pytest.mark.parametrize("files", [10, SHARED_LOAD_MIN_FILES - 10])
def test_a_small_notebook_is_read_by_one_process(notebook: Notebook, files: int) -> None:
    entry = notebook.add_entry("practice", "Écoute des parents", "Un lieu d'accueil.")
    comment = notebook.add_comment(entry.id, "Très intéressant")
    root = Path(notebook.root)
    before = Loader(root)
    before.load()
    source = root / document_path("comments", comment.id)
    for _copy in range(files):
        target = root / document_path("comments", new_ulid())
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
    loader = Loader(root)
    loader.load()
    assert loader.read_by_helper == 0 and loader.read == before.read + files


def test_a_plain_file_longer_than_one_read_is_read_whole_and_one_too_long_refused(
    notebook: Notebook,
) -> None:
    """A long entry read by this process, a comment over the limit by the helper."""
    root = _large(notebook)
    entry = notebook.entries()[0]
    [comment] = notebook.comments(entry.id)
    long_id, too_long_id = _id_in(FIRST), _id_in(LAST)
    for table, source, doc_id, size in (
        ("entries", entry.id, long_id, 100_000),
        ("comments", comment.id, too_long_id, MAX_DOCUMENT_BYTES),
    ):
        written = json.loads((root / document_path(table, source)).read_text(encoding="utf-8"))
        doc = dict(written, body="é" * (size // 2))  # two bytes each
        path = root / document_path(table, doc_id)
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    loader = Loader(root)
    loader.load()
    assert loader.read_by_helper
    assert loader.tables["entries"][long_id]["body"] == "é" * 50_000
    assert too_long_id not in loader.tables["comments"]
    [refused] = loader.problems
    assert refused.path == document_path("comments", too_long_id) and "1 Mo" in refused.reason
