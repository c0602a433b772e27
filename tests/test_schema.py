"""The field tables of store.schema agree with the validators, the mergers and the data objects."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path
from typing import Any

import pytest

import store.model
import store.schema
from store import cache
from store.errors import InvalidDocumentError
from store.i18n import catalog
from store.layout import document_path
from store.merge import MERGE_RULES, MERGERS, merge_file
from store.model import (
    AgendaItem,
    Comment,
    Entry,
    Meeting,
    Participant,
    Review,
    canonical_bytes,
    parse_json,
    read_document,
)
from store.record import field_names
from store.schema import AGENDA_ITEM, EDITABLE_FIELDS, ENTRY, SCHEMAS, Field, Schema
from store.validate import VALIDATORS, is_field_value
from tui.screens.entry_form import FORM_FIELDS, EntryForm

TIME = "2026-03-01T10:00:00.000Z"
LATER = "2026-03-02T10:00:00.000Z"
ENTRY_ID = "01J0000000000000000000000A"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3vvfHUoANXyHd1MmN8hDpQYX0VXhVi4U6E5lqTKbMl"

VALID: dict[str, dict[str, Any]] = {
    "entries": {
        "kind": "tool", "title": "Un outil", "body": "Du texte", "objectives": [1],
        "tags": ["réseau"], "status": "open", "author": "ana", "updated_by": "ana",
        "created": TIME, "updated": TIME, "deleted": False,
        "conflicts": [
            {"field": "title", "value": "Autre", "author": "bob", "updated": TIME, "base": ""}
        ],
        "decision": {"question": "Retenir ?", "closes": "2005-06-01", "opened_by": "ana",
                     "opened": TIME},
        "attachments": [{"name": "charte.pdf", "size": 3, "type": "application/pdf",
                         "sha256": "a" * 64, "added_by": "ana", "added": TIME}],
    },
    "comments": {"entry": ENTRY_ID, "parent": None, "author": "ana", "body": "Oui",
                 "created": TIME, "deleted": True},
    "participants": {"name": "Ana", "email": "ana@example.org", "organisation": "CAF",
                     "role": "", "keys": [KEY]},
    "reviews": {"participant": "ana", "entry": ENTRY_ID, "read": TIME, "stance": "agree",
                "updated": TIME},
    "meetings": {
        "title": "Réunion de mi-parcours", "day": "2005-06-02", "place": "Montréal",
        "attendees": ["ana", "bob"],
        "agenda": [{"entry": ENTRY_ID, "minutes": "On retient.", "status": "adopted"}],
        "closed": None, "closed_by": None, "author": "ana", "created": TIME,
        "updated_by": "ana", "updated": TIME, "deleted": False,
        "conflicts": [{"field": f"minutes/{ENTRY_ID}", "value": "Autre", "author": "bob",
                       "updated": TIME, "base": ""}],
    },
    "meta": {"format": 1, "title": "Mission", "language": "fr",
             "objectives": [{"number": 1, "title": "Comprendre"}], "kinds": ["tool"],
             "statuses": ["open"], "signatures": "required", "attachment_limit_mb": 20},
}  # fmt: skip
DOC_IDS = {"reviews": f"ana/{ENTRY_ID}"}
# A value of the wrong type for a field of each JSON type; "object" fields are refused by
# their check, so a value no check accepts.
WRONG = {str: 7, int: "7", bool: "yes", list: "a, b", object: {"not": "this"}}


def _read(table: str, doc: dict[str, Any]) -> dict[str, Any]:
    return read_document(table, DOC_IDS.get(table, ENTRY_ID), canonical_bytes(doc))


def _cases() -> list[tuple[str, Field]]:
    return [(table, rule) for table, schema in SCHEMAS.items() for rule in schema.fields]


def test_the_sample_documents_hold_every_field_and_are_valid() -> None:
    for table, schema in SCHEMAS.items():
        assert set(VALID[table]) == set(schema.names), table
        assert _read(table, VALID[table]) == VALID[table]


@pytest.mark.parametrize(("table", "rule"), _cases(), ids=lambda c: getattr(c, "name", c))
def test_every_field_of_the_tables_is_validated(table: str, rule: Field) -> None:
    """Missing (when required) or of a wrong value, each field makes its document refused."""
    without = {k: v for k, v in VALID[table].items() if k != rule.name}
    if rule.required:
        with pytest.raises(InvalidDocumentError):
            _read(table, without)
    else:
        assert _read(table, without) == without
    if rule.check is None and rule.type is object:
        return  # a field kept for other tools to read (carnet.json's kinds): any value
    with pytest.raises(InvalidDocumentError):
        _read(table, {**VALID[table], rule.name: WRONG[_json_type(rule)]})


def _json_type(rule: Field) -> type:
    assert isinstance(rule.type, type)
    return rule.type


@pytest.mark.parametrize(("table", "rule"), _cases(), ids=lambda c: getattr(c, "name", c))
def test_every_field_has_a_merge_rule_its_merger_applies(table: str, rule: Field) -> None:
    assert rule.merge in MERGE_RULES[table]


def test_every_table_has_a_merger_and_a_validator() -> None:
    assert MERGERS.keys() == MERGE_RULES.keys() == SCHEMAS.keys()
    assert set(VALIDATORS) | {"meta"} == set(SCHEMAS)


@pytest.mark.parametrize(("table", "rule"), _cases(), ids=lambda c: getattr(c, "name", c))
def test_every_field_has_a_translated_label(table: str, rule: Field) -> None:
    assert rule.label and catalog("fr").knows(rule.label)


@pytest.mark.parametrize(
    ("cls", "schema", "key"),
    [
        (Entry, SCHEMAS["entries"], ("id",)),
        (Comment, SCHEMAS["comments"], ("id",)),
        (Participant, SCHEMAS["participants"], ("id",)),
        (Review, SCHEMAS["reviews"], ()),
        (Meeting, SCHEMAS["meetings"], ("id",)),
        (AgendaItem, AGENDA_ITEM, ()),
    ],
)
def test_the_data_objects_hold_the_fields_of_their_table(
    cls: type, schema: Schema, key: tuple[str, ...]
) -> None:
    assert list(field_names(cls)) == [*key, *schema.names]


def test_the_editable_fields_are_those_a_value_can_be_checked_for() -> None:
    assert EDITABLE_FIELDS == ("kind", "title", "body", "objectives", "tags", "status", "deleted")
    for name in EDITABLE_FIELDS:
        assert is_field_value(name, VALID["entries"][name])
    assert not is_field_value("author", "ana")  # not editable: never kept from a conflict
    assert not is_field_value("colour", "red")


def test_the_editor_form_holds_every_editable_field_but_the_deletion() -> None:
    assert {f.name for f in dataclasses.fields(EntryForm)} == set(FORM_FIELDS)
    assert set(FORM_FIELDS) == set(EDITABLE_FIELDS) - {"deleted"}


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_a_field_not_in_the_table_is_kept_when_reading(table: str) -> None:
    """A newer Carnet's field is no reason to refuse a document, nor to drop the field."""
    doc = {**VALID[table], "colour": "bleu"}
    assert _read(table, doc) == doc


def test_a_field_not_in_the_table_survives_a_merge() -> None:
    """An entry's unknown field comes from the side that wins; another document's, key by key."""
    base = VALID["entries"]
    ours = {**base, "title": "Le nôtre"}
    theirs = {**base, "body": "Leur texte", "updated": LATER, "colour": "bleu"}
    merged = _read("entries", _merged("entries", base, ours, theirs))
    assert (merged["title"], merged["body"], merged["colour"]) == ("Le nôtre", "Leur texte", "bleu")
    comment = VALID["comments"]
    merged = _merged("comments", comment, {**comment, "colour": "bleu"}, comment)
    assert _read("comments", merged)["colour"] == "bleu"


def _merged(table: str, base: Any, ours: Any, theirs: Any) -> dict[str, Any]:
    path = document_path(table, ENTRY_ID)
    result = merge_file(path, *(canonical_bytes(d) for d in (base, ours, theirs)))
    assert result.problem is None
    return _read(table, _parse(result.data))


def _parse(data: bytes) -> dict[str, Any]:
    value: dict[str, Any] = parse_json(data)
    return value


def test_the_entry_table_lists_its_fields_in_the_order_they_are_checked() -> None:
    """The first field that is wrong names the problem: kind before title before the rest."""
    with pytest.raises(InvalidDocumentError, match="poem"):
        _read("entries", {**VALID["entries"], "kind": "poem", "title": " "})
    assert ENTRY.names[:2] == ("kind", "title")


def test_conflict_records_are_judged_as_before_the_table() -> None:
    """Deriving validation from the table kept two rules of the hand-written checks: any text
    is a title's base (shown, never applied), and a record naming a field an entry cannot have
    in conflict is refused as such before its other fields are looked at."""
    record = VALID["entries"]["conflicts"][0]
    spaced = {**VALID["entries"], "conflicts": [{**record, "base": " "}]}
    assert _read("entries", spaced) == spaced
    unknown = {**VALID["entries"], "conflicts": [{**record, "field": "colour", "updated": "x"}]}
    with pytest.raises(InvalidDocumentError, match="conflicts"):
        _read("entries", unknown)


@pytest.mark.parametrize("table", sorted(SCHEMAS))
def test_each_table_lives_in_the_module_named_after_it(table: str) -> None:
    """Where to add a field: ``store/schema/<table>.py``."""
    module = importlib.import_module(f"store.schema.{table}")
    assert any(value is SCHEMAS[table] for value in vars(module).values())


@pytest.mark.parametrize("package", [store.schema, store.model], ids=lambda p: p.__name__)
def test_the_cache_is_dropped_when_a_table_or_a_data_object_changes(package: Any) -> None:
    """Regression: the cache's fingerprint hashed ``store/schema.py`` and ``store/model.py``;
    once they became packages, it would have hashed their ``__init__`` only, and kept
    documents checked by a table since changed: it reads every file of the package."""
    assert package.__name__ in cache.CODE_MODULES
    top = Path(store.__file__).parent.parent
    folder = Path(package.__file__).parent
    assert set(cache.module_sources(top, package.__name__)) == set(folder.glob("*.py"))
