"""The one-file-per-document TinyDB storage: diff-only atomic writes, damaged files, caches."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tinydb import Query

from store import Notebook
from store.errors import CarnetError, InvalidDocumentError
from store.layout import document_path
from store.record import replace
from store.storage import DocumentStorage, NotebookDatabase


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*.json")
        if ".git" not in p.parts
    }


def test_an_action_writes_only_the_files_it_changed(notebook: Notebook) -> None:
    first = notebook.add_entry("practice", "Première", "Texte")
    second = notebook.add_entry("tool", "Seconde", "Texte")
    before = {p: os.stat(notebook.root / p).st_mtime_ns for p in _files(notebook.root)}

    notebook.add_comment(first.id, "Un commentaire")

    changed = {
        p for p in _files(notebook.root) if os.stat(notebook.root / p).st_mtime_ns != before.get(p)
    }
    review = document_path("reviews", f"{notebook.me}/{first.id}")
    assert len(changed) == 2 and review in changed
    assert next(iter(changed - {review})).startswith("comments/")
    shown = _git(notebook.root, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(shown) == sorted(changed)
    assert document_path("entries", second.id) not in changed


def test_each_action_is_one_commit_by_the_participant(notebook: Notebook) -> None:
    count = int(_git(notebook.root, "rev-list", "--count", "HEAD"))
    entry = notebook.add_entry("practice", "Titre", "Texte")
    notebook.edit_entry(entry.id, status="discuss")
    notebook.set_stance(entry.id, "agree")
    assert int(_git(notebook.root, "rev-list", "--count", "HEAD")) == count + 3
    author = _git(notebook.root, "log", "-1", "--format=%an <%ae>").strip()
    assert author == "Hélène Côté <helene@example.org>"
    assert _git(notebook.root, "status", "--porcelain") == ""


def test_a_kill_between_temp_file_and_rename_leaves_every_document_valid(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry = notebook.add_entry("practice", "Avant", "Texte d'origine")
    path = notebook.root / document_path("entries", entry.id)
    original = path.read_bytes()

    def killed(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # the process dies after writing the temp file

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        notebook.edit_entry(entry.id, body="Texte nouveau " * 1000)
    monkeypatch.undo()

    assert path.read_bytes() == original
    for data in _files(notebook.root).values():
        json.loads(data)  # every document still parses
    leftovers = list(path.parent.glob(".*.tmp"))
    assert leftovers  # the interrupted write left its temp file...
    reopened = Notebook(notebook.root)
    assert not list(path.parent.glob(".*.tmp"))  # ...which the next start removes
    assert reopened.entry(entry.id).body == "Texte d'origine"
    assert reopened.problems == []


def test_query_cache_is_fresh_after_files_change_underneath(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Texte", tags=["avant"])
    db = NotebookDatabase(notebook.root, storage=DocumentStorage)
    entries, tagged = db.table("entries"), Query().tags.any(["après"])
    assert entries.search(tagged) == []  # now cached

    path = notebook.root / document_path("entries", entry.id)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["tags"] = ["après"]
    path.write_text(json.dumps(document), encoding="utf-8")  # as a git merge would
    db.storage.reload()  # type: ignore[attr-defined]
    db.clear_all_caches()

    assert [d.doc_id for d in entries.search(tagged)] == [entry.id]
    db.close()


def test_notebook_reload_clears_every_tables_cache(notebook: Notebook) -> None:
    """Regression: TinyDB's ``db.clear_cache()`` only clears the default table."""
    entry = notebook.add_entry("practice", "Titre", "Texte")
    notebook.add_comment(entry.id, "premier")
    comments = notebook._db.table("comments")
    by_entry = Query().entry == entry.id
    assert len(comments.search(by_entry)) == 1
    other = Notebook(notebook.root)
    other.add_comment(entry.id, "second")
    notebook.reload()
    assert len(comments.search(by_entry)) == 2


def test_a_damaged_file_is_skipped_reported_and_never_rewritten(notebook: Notebook) -> None:
    good = notebook.add_entry("practice", "Saine", "Texte")
    bad = notebook.add_entry("practice", "Abîmée", "Texte")
    path = notebook.root / document_path("entries", bad.id)
    path.write_bytes(b'{"kind": "practice", "title": ')

    reopened = Notebook(notebook.root)
    assert [e.id for e in reopened.entries()] == [good.id]
    assert [p.path for p in reopened.problems] == [document_path("entries", bad.id)]
    assert "JSON" in reopened.problems[0].reason
    with pytest.raises(CarnetError, match="abîmé"):
        reopened._put_entry(replace(reopened.entry(good.id), id=bad.id))
    assert path.read_bytes() == b'{"kind": "practice", "title": '


@pytest.mark.parametrize(
    ("table", "doc_id"),
    [
        ("entries", "../carnet"),
        ("entries", "01ARZ3NDEKTSV4RRFFQ69G5FA/"),
        ("reviews", "helene/../../x"),
        ("participants", "../../etc/passwd"),
        ("participants", "Helene"),
        ("elsewhere", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
    ],
)
def test_ids_never_escape_their_folder(table: str, doc_id: str) -> None:
    with pytest.raises(InvalidDocumentError):
        document_path(table, doc_id)


def test_documents_are_never_removed(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Texte")
    with pytest.raises(CarnetError):
        notebook._db.table("entries").remove(doc_ids=[entry.id])
    assert (notebook.root / document_path("entries", entry.id)).exists()


def test_tinydb_update_in_place_is_seen_as_a_change(notebook: Notebook) -> None:
    """Regression: TinyDB's ``update()`` mutates documents in place; the diff must still see it."""
    entry = notebook.add_entry("practice", "Titre", "Texte")
    notebook._db.table("entries").update({"title": "Changé"}, doc_ids=[entry.id])
    on_disk = json.loads((notebook.root / document_path("entries", entry.id)).read_text("utf-8"))
    assert on_disk["title"] == "Changé"


def test_an_invalid_value_writes_nothing(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Titre", "Texte")
    before = _files(notebook.root)
    with pytest.raises(InvalidDocumentError):
        notebook._db.table("entries").update({"status": "bogus"}, doc_ids=[entry.id])
    assert _files(notebook.root) == before
