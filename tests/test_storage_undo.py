"""An action changes the storage's tables in place, and takes each change back when it fails:
the notebook in memory and on disk is then exactly as before, and no table is copied whole."""

from __future__ import annotations

import dataclasses
import errno
from pathlib import Path
from typing import Any

import pytest

from store import Notebook
from store.errors import CarnetError, DiskError, GitError
from store.git.local import LocalRepository
from store.git.program import run_git
from store.model import Comment
from store.record import replace
from store.storage import Table
from store.storage import documents as storage_documents
from store.storage.records import KINDS, Readings


def _memory(notebook: Notebook) -> dict[str, dict[str, Any]]:
    """Every document the storage holds, as documents, by table."""
    return {name: dict(table.items()) for name, table in notebook._storage.read().items()}


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


def _refuse_commits(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise GitError("git failed: refused")

    monkeypatch.setattr(LocalRepository, "commit", refused)


def _assert_as_before(
    notebook: Notebook, memory: dict[str, dict[str, Any]], files: dict[str, bytes], head: str
) -> None:
    assert _memory(notebook) == memory
    assert _files(notebook.root) == files
    assert notebook.repo.head() == head
    assert run_git(notebook.root, "status", "--porcelain", "--untracked-files=all").strip() == ""


def test_an_action_copies_no_table(notebook: Notebook, monkeypatch: pytest.MonkeyPatch) -> None:
    """A comment, a reading and an edit cost the records they change: copying the comments'
    table (150,000 records at 30,000 entries) cost more than the rest of the write."""
    entry = notebook.add_entry("practice", "Première", "Texte")
    copies: list[str] = []

    def counted(table: Table) -> Table:
        copies.append(table.name)
        return Table(table.name)

    monkeypatch.setattr(Table, "copy", counted)
    monkeypatch.setattr(Readings, "copy", counted)
    notebook.add_comment(entry.id, "Oui")
    notebook.mark_unread(entry.id)
    notebook.mark_read(entry.id)
    notebook.edit_entry(entry.id, title="Deuxième")
    assert copies == []
    assert notebook.entry(entry.id).title == "Deuxième"
    assert [c.body for c in notebook.comments(entry.id)] == ["Oui"]


def test_a_new_record_is_taken_back_when_the_commit_fails(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comment (a new record) and the reading its author's comment changes (a second
    write of the same action) are both taken back."""
    entry = notebook.add_entry("practice", "Première", "Texte")
    memory, files, head = _memory(notebook), _files(notebook.root), notebook.repo.head()
    _refuse_commits(monkeypatch)
    with pytest.raises(GitError):
        notebook.add_comment(entry.id, "Oui")
    _assert_as_before(notebook, memory, files, head)
    assert notebook.comments(entry.id) == []


def test_a_reading_changed_then_taken_back(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = notebook.add_entry("practice", "Première", "Texte")
    notebook.mark_unread(entry.id)
    memory, files, head = _memory(notebook), _files(notebook.root), notebook.repo.head()
    _refuse_commits(monkeypatch)
    with pytest.raises(GitError):
        notebook.mark_read(entry.id)
    _assert_as_before(notebook, memory, files, head)
    assert notebook.is_unread(entry.id)


def test_a_first_reading_of_a_participant_taken_back_leaves_no_trace() -> None:
    """The readings are held by participant: a participant's first one, taken back, leaves no
    empty table of theirs behind."""
    readings = Readings("reviews")
    held = readings.replace("someone/entry", {"entry": "entry"})
    assert held is None and list(readings) == ["someone/entry"]
    readings.restore("someone/entry", held)
    assert list(readings) == [] and readings._records == {}


def test_a_failure_after_some_records_were_written_takes_them_all_back(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the action's second write: the first one, already in the table and
    on disk, is taken back too."""
    entry = notebook.add_entry("practice", "Première", "Texte")
    memory, files, head = _memory(notebook), _files(notebook.root), notebook.repo.head()
    real_write_temp = storage_documents.write_temp
    calls: list[Path] = []

    def full_at_second(target: Path, payload: bytes) -> Path:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write_temp(target, payload)

    monkeypatch.setattr(storage_documents, "write_temp", full_at_second)
    with pytest.raises(DiskError):
        notebook.add_comment(entry.id, "Oui")
    assert len(calls) == 2
    _assert_as_before(notebook, memory, files, head)


def test_a_refused_removal_takes_back_what_the_action_wrote_before_it(
    notebook: Notebook,
) -> None:
    entry = notebook.add_entry("practice", "Première", "Texte")
    other = notebook.add_entry("practice", "Seconde", "Texte")
    memory, files, head = _memory(notebook), _files(notebook.root), notebook.repo.head()
    changed = dict(memory["entries"][entry.id], title="Changée")
    with pytest.raises(CarnetError), notebook._action("Edit {title}", title="Première"):
        notebook._write("entries", entry.id, changed)
        assert notebook._storage.read()["entries"][entry.id]["title"] == "Changée"
        notebook._db.table("entries").remove(doc_ids=[other.id])  # type: ignore[list-item]
    _assert_as_before(notebook, memory, files, head)


def test_a_whole_table_written_is_taken_back(notebook: Notebook) -> None:
    """A mapping that is not one of our updates replaces the table whole: undone, the table
    held before is back."""
    entry = notebook.add_entry("practice", "Première", "Texte")
    storage = notebook._storage
    before = storage.read()["entries"]
    memory = _memory(notebook)
    storage.begin()
    whole = dict(memory["entries"])
    whole[entry.id] = dict(whole[entry.id], title="Changée")
    storage.write({"entries": whole})
    assert storage.read()["entries"][entry.id]["title"] == "Changée"
    storage.undo()
    assert storage.read()["entries"] is before
    assert _memory(notebook) == memory


def test_a_reader_iterating_while_an_action_adds_a_record_sees_no_error() -> None:
    table = Table("comments", {f"id{n}": {"n": n} for n in range(3)})
    seen = []
    for doc_id in table:
        seen.append(doc_id)
        table.replace(f"new{len(seen)}", {"n": -1})  # an action, in another thread
    assert seen == ["id0", "id1", "id2"]


def test_an_object_made_from_the_cache_does_not_undo_an_action_meanwhile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A reader makes the object of a record the cache held while an action replaces that
    record (in another thread): the action's record stays."""
    old = Comment(
        "01JAAAAAAAAAAAAAAAAAAAAAAA", "01JBBBBBBBBBBBBBBBBBBBBBBB", None, "p", "avant", "t"
    )
    new = replace(old, body="après")
    kind = KINDS["comments"]
    table = Table("comments", {old.id: kind.fields(old)})

    def fill_while_an_action_writes(*values: Any) -> Any:
        table.replace(old.id, new.to_doc())
        return kind.fill(*values)

    monkeypatch.setitem(
        KINDS, "comments", dataclasses.replace(kind, fill=fill_while_an_action_writes)
    )
    table = Table("comments", {old.id: kind.fields(old)})
    assert table.model(old.id) == old  # what was held when it was asked for
    assert table[old.id] == new.to_doc()
