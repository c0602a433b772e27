"""Where documents live: the sharded layout and its exact inverse."""

from __future__ import annotations

import pytest

from store import Notebook
from store.errors import InvalidDocumentError
from store.layout import document_at, document_path

ULID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


@pytest.mark.parametrize(
    ("table", "doc_id", "path"),
    [
        ("entries", ULID, f"entries/V/{ULID}.json"),
        ("comments", ULID, f"comments/V/{ULID}.json"),
        ("reviews", f"alain/{ULID}", f"reviews/alain/V/{ULID}.json"),
        ("participants", "alain", "participants/alain.json"),
    ],
)
def test_each_document_has_one_path_and_back(table: str, doc_id: str, path: str) -> None:
    assert document_path(table, doc_id) == path
    assert document_at(path) == (table, doc_id)


@pytest.mark.parametrize(
    "path",
    [
        f"entries/{ULID}.json",  # not in its folder
        f"entries/A/{ULID}.json",  # in another one
        f"comments/V/V/{ULID}.json",
        f"reviews/alain/{ULID}.json",
        "reviews/../V/x.json",
        f"entries/V/{ULID}.txt",
        "README.md",
    ],
)
def test_a_path_out_of_place_holds_no_document(path: str) -> None:
    assert document_at(path) is None


@pytest.mark.parametrize(("table", "doc_id"), [("entries", "../x"), ("reviews", ULID), ("x", ULID)])
def test_an_unsafe_id_has_no_path(table: str, doc_id: str) -> None:
    with pytest.raises(InvalidDocumentError):
        document_path(table, doc_id)


def test_a_file_in_the_wrong_folder_is_a_problem_and_stays(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Bien rangée", "Texte")
    data = (notebook.root / document_path("entries", entry.id)).read_bytes()
    flat = notebook.root / "entries" / f"{ULID}.json"  # where an older layout put it
    flat.write_bytes(data.replace(entry.id.encode(), ULID.encode()))

    reopened = Notebook(notebook.root)

    assert [p.path for p in reopened.problems] == [f"entries/{ULID}.json"]
    assert "dossier" in reopened.problems[0].reason
    assert [e.id for e in reopened.entries()] == [entry.id]
    assert flat.exists()
