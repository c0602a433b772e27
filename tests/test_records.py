"""The storage's compact tables: a document read back is the one written, whatever holds it."""

from __future__ import annotations

import json
import marshal
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store import Notebook, cache
from store.errors import CarnetError
from store.layout import TABLES, document_path
from store.model import Comment, Entry, Review, held_text, held_value
from store.storage import DocumentStorage, NotebookDatabase, Table, model_of, records
from store.storage.records import KINDS, Readings, new_table

ULID = st.text("0123456789ABCDEFGHJKMNPQRSTVWXYZ", min_size=26, max_size=26)
TIME = st.sampled_from(["2026-01-02T03:04:05.678Z", "2026-11-30T23:59:59Z"])
TEXT = st.text(max_size=40)
T0 = "2026-01-02T03:04:05Z"
PARTICIPANT = st.sampled_from(["paul", "anaïs-poirier"])
ENTRY = {
    "kind": "practice", "title": "Écoute", "body": "", "objectives": [2], "tags": ["été"],
    "status": "draft", "author": "paul", "updated_by": "paul", "created": T0, "updated": T0,
    "deleted": False, "conflicts": [],
}  # fmt: skip

REVIEWS = st.fixed_dictionaries(
    {"participant": PARTICIPANT, "entry": ULID, "stance": st.none() | st.just("agree")},
    # An early record has no ``read``; a stray field is kept too.
    optional={"read": st.none() | TIME, "updated": TIME, "note": TEXT},
)
COMMENTS = st.fixed_dictionaries(
    {"entry": ULID, "parent": st.none() | ULID, "author": PARTICIPANT, "body": TEXT},
    optional={"created": TIME, "deleted": st.booleans()},
)


def _cached(table: Table) -> Table:
    """The table as the cache gives it back: packed, marshalled, unmarshalled, unpacked."""
    return Table.unpacked(table.name, marshal.loads(marshal.dumps(table.packed())))


def _cached_in_parts(table: Table) -> Table:
    """The same, part after part, as the cache writes and reads a table."""
    held: Table | None = None
    for part in table.packed_parts():
        held = Table.unpacked(table.name, marshal.loads(marshal.dumps(part)), held)
    assert held is not None  # even an empty table is one part
    return held


@pytest.mark.parametrize(("name", "documents"), [("reviews", REVIEWS), ("comments", COMMENTS)])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_document_reads_back_as_written(name: str, documents: Any, data: Any) -> None:
    # Any id: a reading's is ``participant/entry``, held in two halves, which must not matter.
    ids = ULID | st.builds("{}/{}".format, PARTICIPANT, ULID) | st.text("ab/", max_size=4)
    written = data.draw(st.dictionaries(ids, documents, max_size=6))
    table = new_table(name)
    for doc_id, doc in written.items():
        table[doc_id] = doc
    assert dict(table) == written
    for held in (table.copy(), _cached(table), _cached_in_parts(table)):
        assert held == written and sorted(held) == sorted(written)
    if written:
        doc_id = next(iter(written))
        table[doc_id]["body"] = "changed by a caller"  # a copy: the table is untouched
        assert table[doc_id] == written[doc_id]
        copy = table.copy()
        del copy[doc_id]
        copy.discard("not there")
        assert doc_id in table and doc_id not in copy and len(copy) == len(table) - 1
    assert isinstance(table, Readings) == (name == "reviews")


@pytest.mark.parametrize("name", ["reviews", "comments", "entries"])
def test_a_table_in_parts_reads_back_as_written(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "PART_RECORDS", 3)
    review = Review("paul", "01ARZ3NDEKTSV4RRFFQ69G5FAV", T0, "agree", T0)
    table = new_table(name)
    for number in range(8):  # parts of 3, 3 and 2; a participant's readings over two parts
        entry = f"01ARZ3NDEKTSV4RRFFQ69G5F{number:02}"
        participant = "paul" if number < 5 else "anaïs-poirier"
        doc = {**review.to_doc(), "participant": participant, "entry": entry}
        table[f"{participant}/{entry}" if name == "reviews" else entry] = doc
    parts = list(table.packed_parts())
    assert [sum(map(len, p.values())) if name == "reviews" else len(p) for p in parts] == [3, 3, 2]
    assert _cached_in_parts(table) == dict(table)
    assert list(new_table(name).packed_parts()) == [{}]
    with pytest.raises(TypeError):  # a record that two parts hold: the cache is not trusted
        Table.unpacked(name, parts[0], Table.unpacked(name, parts[0]))


def test_a_valid_reading_is_held_as_the_read_models_object() -> None:
    review = Review("paul", "01ARZ3NDEKTSV4RRFFQ69G5FAV", None, "agree", T0)
    comment = Comment("01ARZ3NDEKTSV4RRFFQ69G5FAW", review.entry, None, "paul", "Oui", T0)
    reviews, comments = new_table("reviews"), new_table("comments")
    reviews[review.key] = review.to_doc()
    comments[comment.id] = comment.to_doc()
    early = {k: v for k, v in review.to_doc().items() if k != "read"}
    reviews["anna/" + review.entry] = early  # no object gives it back: kept as it is
    assert reviews.model(review.key) == review and comments.model(comment.id) == comment
    assert reviews["anna/" + review.entry] == early
    assert model_of({comment.id: comment.to_doc()}, comment.id, "comments") == comment
    assert model_of(comments, "missing", "comments") is None
    with pytest.raises(TypeError):
        Table.unpacked("reviews", {review.key: ["not", "a", "record"]})
    # From the cache: the object made when first asked for, then held (one copy).
    cached = _cached(reviews)
    made = cached.model(review.key)
    assert made == review and cached.model(review.key) is made
    assert cached[review.key] == review.to_doc() and cached.packed() == reviews.packed()
    with pytest.raises(TypeError):
        Table.unpacked("reviews", {"paul": {review.entry: ("too", "short")}})


def test_the_storage_reads_back_what_it_wrote_from_memory_cache_and_files(
    notebook: Notebook,
) -> None:
    entry = notebook.add_entry("practice", "Écoute", "Un lieu d’accueil.")
    first = notebook.add_comment(entry.id, "Très intéressant")
    notebook.add_comment(entry.id, "Je précise", parent=first.id)
    notebook.set_stance(entry.id, "agree")
    notebook.mark_read(entry.id)
    # An entry whose fields hold objects of their own: a decision, an attached file.
    notebook.open_decision(entry.id, "2099-01-01", "On adopte ?")
    attached = notebook.root.parent / "programme.txt"
    attached.write_text("Programme de la journée", "utf-8")
    notebook.attach(entry.id, attached)
    written = notebook._storage.read()
    on_disk = {
        name: {
            doc_id: json.loads((notebook.root / document_path(name, doc_id)).read_bytes())
            for doc_id in written[name]
        }
        for name in TABLES
    }
    assert written == on_disk and len(written["comments"]) == 2
    cache.remove(cache.cache_path(notebook.root))  # type: ignore[arg-type]
    from_files = DocumentStorage(notebook.root)
    from_cache = DocumentStorage(notebook.root)
    assert from_files.last_load.cache_saved and from_cache.last_load.from_cache
    assert from_files.read() == from_cache.read() == on_disk
    assert DocumentStorage(notebook.root, use_cache=False).read() == on_disk
    reopened = Notebook(notebook.root)
    assert reopened._storage.last_load.from_cache
    assert (
        reopened.entry(entry.id) == notebook.entry(entry.id) and reopened.entry(entry.id).decision
    )


def test_a_document_removed_through_tinydb_is_refused(notebook: Notebook) -> None:
    entry = notebook.add_entry("practice", "Écoute", "Un lieu d'accueil.")
    comment = notebook.add_comment(entry.id, "Très intéressant")
    db = NotebookDatabase(notebook.root, storage=DocumentStorage)
    with pytest.raises(CarnetError):
        db.table("comments").remove(doc_ids=[comment.id])  # type: ignore[list-item]
    db.table("comments").update({"body": "Revu"}, doc_ids=[comment.id])  # type: ignore[list-item]
    stored = db.storage.read()["comments"]  # type: ignore[attr-defined]
    assert stored[comment.id]["body"] == "Revu" and len(db.table("comments")) == 1
    path: Path = notebook.root / document_path("comments", comment.id)
    assert json.loads(path.read_bytes()) == stored[comment.id]


@settings(max_examples=60, deadline=None)
@given(
    body=st.text()
    | st.text(min_size=100, max_size=400)
    | st.sampled_from(["", "l’été", "œuvre\ud800", "a" * 300, "é" * 40, "ÿ\x00" * 90, "œ" * 127])
)
def test_a_body_held_as_utf8_reads_back_as_written(body: str) -> None:
    comment = Comment(
        "01ARZ3NDEKTSV4RRFFQ69G5FAW", "01ARZ3NDEKTSV4RRFFQ69G5FAV", None, "paul", body, T0
    )
    entry = Entry.from_doc("01ARZ3NDEKTSV4RRFFQ69G5FAV", {**ENTRY, "body": body})
    for held in (comment, entry):
        assert held.body == body and type(held.body) is str
        kept = held_value(type(held), "body")(held)
        assert held_text(kept) == body and (kept == body or type(kept) is bytes)
    comments, entries = new_table("comments"), new_table("entries")
    comments[comment.id], entries[entry.id] = comment.to_doc(), entry.to_doc()
    for table in (comments, entries, _cached(comments), _cached_in_parts(entries)):
        (doc_id,) = table
        assert table[doc_id]["body"] == body and table.model(doc_id).body == body
        # Made from the cache's tuple, it holds its body as the one written held it.
        again = held_value(type(table.model(doc_id)), "body")(table.model(doc_id))
        assert again == kept and type(again) is type(kept)
    assert entries.model(entry.id) is entries.model(entry.id)  # held as the object itself


def test_a_french_body_is_held_in_fewer_bytes() -> None:
    body = "L’accueil des familles, œuvre commune : " * 20
    comment = Comment(
        "01ARZ3NDEKTSV4RRFFQ69G5FAW", "01ARZ3NDEKTSV4RRFFQ69G5FAV", None, "paul", body, T0
    )
    held = held_value(Comment, "body")(comment)
    # Deflated: fewer bytes than its UTF-8 (itself 60 % of the string), which a short text keeps.
    assert type(held) is bytes and len(held) < len(body.encode()) * 0.5
    assert held_text(held) == body == comment.body
    assert sys.getsizeof(held) < sys.getsizeof(body) * 0.3
    short = Comment(*KINDS["comments"].fields(comment)[:4], "L’été", T0)
    assert held_value(Comment, "body")(short) == "L’été".encode()
    assert comment == Comment(*KINDS["comments"].fields(comment)[:4], body, T0)
