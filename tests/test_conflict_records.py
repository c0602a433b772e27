"""Conflict records hold values of their field's type, and keeping one never crashes.

A peer who writes with plain git can push any ``conflicts`` list; before, ``carnet resolve
--keep other`` on a record whose value had the wrong type crashed or wrote a broken entry.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from clitools import carnet
from hypothesis import given
from hypothesis import strategies as st
from synctools import git

from store import Notebook
from store.errors import InvalidDocumentError, InvalidInputError
from store.ids import new_ulid
from store.layout import document_path
from store.model import EDITABLE_FIELDS, Entry, canonical_bytes, validate_entry
from store.record import replace

TIME = "2026-11-27T10:00:00.000Z"


def entry_doc(*conflicts: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "practice", "title": "Titre", "body": "Corps", "objectives": [1], "tags": ["a"],
        "status": "open", "author": "helene-cote", "updated_by": "helene-cote", "created": TIME,
        "updated": TIME, "deleted": False, "conflicts": list(conflicts),
    }  # fmt: skip


def record(field: str, value: Any, base: Any = None) -> dict[str, Any]:
    return {"field": field, "value": value, "author": "pirate", "updated": TIME, "base": base}


def pushed(notebook: Notebook, doc: dict[str, Any]) -> str:
    """An entry committed with plain git by a peer, as if it had arrived by a sync."""
    entry_id = new_ulid()
    path = notebook.root / document_path("entries", entry_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(canonical_bytes(doc))
    git(notebook.root, "add", "-A")
    git(notebook.root, "commit", "-q", "-m", "peer")
    notebook.reload()
    return entry_id


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD")


WRONG = [
    record("title", ["x"]),
    record("title", "   "),
    record("tags", "notalist"),
    record("tags", [1, 2]),
    record("objectives", ["1", "2"]),
    record("objectives", [True]),
    record("body", 3),
    record("body", {"text": "x"}),
    record("deleted", "yes"),
    record("kind", "poem"),
    record("status", None),
    record("title", "Autre", base=5),
    record("tags", ["b"], base="a"),
]


@pytest.mark.parametrize("bad", WRONG, ids=lambda r: f"{r['field']}={r['value']!r}")
def test_a_record_of_the_wrong_type_is_a_damaged_document(
    notebook: Notebook, bad: dict[str, Any]
) -> None:
    """Bug: the value was not checked against its field, and resolve --keep other crashed."""
    with pytest.raises(InvalidDocumentError):
        validate_entry(entry_doc(bad))
    entry_id = pushed(notebook, entry_doc(bad))
    relative = document_path("entries", entry_id)
    assert [p.path for p in notebook.problems] == [relative]
    before = head(notebook.root)
    done = carnet("resolve", entry_id, "--field", bad["field"], "--keep", "other",
                  cwd=notebook.root)  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    assert "ne peut pas être lue" in done.stderr and "carnet doctor" in done.stderr
    assert f"un conflit sur « {bad['field']} »" in done.stderr
    assert head(notebook.root) == before
    doctor = carnet("doctor", cwd=notebook.root)
    assert doctor.returncode == 1 and relative in doctor.stdout


def test_records_a_merge_writes_are_valid() -> None:
    """An entry added on both sides has no base: the merge writes None, or an empty title."""
    validate_entry(entry_doc(record("kind", "tool"), record("status", "draft", base="open"),
                             record("title", "Autre", base=""), record("deleted", True, False),
                             record("body", "b\n", base="a\n")))  # fmt: skip


def test_keeping_a_title_too_long_is_refused_and_changes_nothing(notebook: Notebook) -> None:
    entry_id = pushed(notebook, entry_doc(record("title", "x" * 400, base="Titre")))
    assert notebook.problems == []
    before = head(notebook.root)
    with pytest.raises(InvalidInputError):
        notebook.resolve_conflict(entry_id, "title", "other")
    assert head(notebook.root) == before and notebook.entry(entry_id).title == "Titre"
    done = carnet("resolve", entry_id, "--field", "title", "--keep", "other", cwd=notebook.root)
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "trop long" in done.stderr
    assert head(notebook.root) == before


def test_keeping_a_valid_other_value_applies_it(notebook: Notebook) -> None:
    entry_id = pushed(
        notebook, entry_doc(record("tags", ["b", "c"], base=["a"]), record("objectives", [2]))
    )
    done = carnet("resolve", entry_id, "--field", "tags", "--keep", "other", cwd=notebook.root)
    assert done.returncode == 0, done.stderr
    notebook.refresh()
    entry = notebook.entry(entry_id)
    assert entry.tags == ("b", "c") and [c.field for c in entry.conflicts] == ["objectives"]
    assert notebook.resolve_conflict(entry_id, "objectives", "other").objectives == (2,)
    stored = json.loads((notebook.root / document_path("entries", entry_id)).read_text("utf-8"))
    assert validate_entry(stored)["objectives"] == [2]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", " ", "tool", "x"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3),
                                                                      children, max_size=2),
    max_leaves=6,
)  # fmt: skip


@given(st.sampled_from(EDITABLE_FIELDS), json_values, json_values)
def test_a_record_that_loads_can_always_be_kept(field: str, value: Any, base: Any) -> None:
    """Whatever a peer puts in a record: refused when loading, or keeping it is a valid entry."""
    doc = entry_doc(record(field, value, base))
    try:
        validate_entry(doc)
    except InvalidDocumentError:
        return
    entry = Entry.from_doc(new_ulid(), doc)
    kept = replace(entry, **{field: tuple(value) if isinstance(value, list) else value},
                   conflicts=())  # fmt: skip
    validate_entry(json.loads(canonical_bytes(kept.to_doc())))
