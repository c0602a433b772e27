"""Validation of every document, as its table in ``store.schema`` describes it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from store.codec import Document, parse_json
from store.errors import InvalidDocumentError
from store.i18n import _
from store.schema import (
    COMMENT,
    ENTRY,
    MEETING,
    META,
    MISSING,
    PARTICIPANT,
    REVIEW,
    WRONG_TYPE,
    Field,
    Schema,
    has_type,
)


def _fail(reason: str) -> InvalidDocumentError:
    return InvalidDocumentError(reason)


def _missing(rule: Field) -> InvalidDocumentError:
    # A field that says how its absence is told also says under which name.
    shown = rule.name if rule.missing is MISSING else rule.reported_as or rule.name
    return _fail(_(rule.missing).format(name=shown, value=None))


def _wrong(rule: Field, value: Any) -> InvalidDocumentError:
    if not has_type(value, rule.type):
        return _fail(_(WRONG_TYPE).format(name=rule.name))
    return _fail(_(rule.problem).format(name=rule.reported_as or rule.name, value=value))


_Plan = tuple[tuple[str, bool, bool, Any, Any, Schema | None, Field], ...]
_plans: dict[int, _Plan] = {}


def _plan(schema: Schema) -> _Plan:
    """Each field's rules as a plain tuple: unpacking one costs less than reading attributes."""
    plan = _plans.get(id(schema))
    if plan is None:
        plan = _plans[id(schema)] = tuple(
            (rule.name, rule.required, rule.nullable, rule.type, rule.check, rule.items, rule)
            for rule in schema.fields
        )
    return plan


def _check_fields(schema: Schema, doc: Document) -> None:
    # Opening a notebook checks some 100,000 documents: the common case, a valid field, costs
    # one look-up, one type test and the field's check.
    for name, required, nullable, kind, check, items, rule in _plan(schema):
        value = doc.get(name, _ABSENT)
        if value is _ABSENT:
            if required:
                raise _missing(rule)
            continue
        if value is None and nullable:
            continue
        if not has_type(value, kind):
            raise _wrong(rule, value)
        if check is not None and not check(value):
            raise _wrong(rule, value)
        if items is not None:
            for item in value:
                if not isinstance(item, dict):
                    raise _fail(_(WRONG_TYPE).format(name=name))
                _check_fields(items, item)


_ABSENT: Any = object()


def _check(schema: Schema, doc: Any) -> Document:
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    _check_fields(schema, doc)
    return doc


def is_field_value(field: str, value: Any) -> bool:
    """Whether ``value`` can be the value of the entry field ``field`` (kind, title, tags...).

    What a value of each editable field must be, wherever it is kept: in the entry or in a
    conflict record, whose value becomes the field's value when someone keeps it.
    """
    rule = ENTRY.field(field)
    return rule is not None and (rule.editable or rule.contested) and rule.accepts(value)


def _check_conflict(conflict: Document) -> None:
    field = conflict["field"]
    # The base is only shown, never applied. An entry added on both sides has none: the merge
    # writes None, or the field's empty value; any text is as good a base for a text field.
    base = conflict["base"]
    rule = ENTRY.field(field)
    text_field = rule is not None and isinstance(rule.empty, str)
    base_ok = base is None or is_field_value(field, base) or (text_field and isinstance(base, str))
    if not base_ok or not is_field_value(field, conflict["value"]):
        raise _fail(
            _("a conflict on “{name}” holds a value that the field cannot have").format(name=field)
        )


def validate_entry(doc: Any) -> Document:
    """Check an entry document; return it or raise ``InvalidDocumentError``."""
    entry = _check(ENTRY, doc)
    for conflict in entry["conflicts"]:
        _check_conflict(conflict)
    return entry


def validate_comment(doc: Any) -> Document:
    """Check a comment document; return it or raise ``InvalidDocumentError``."""
    return _check(COMMENT, doc)


def validate_participant(doc: Any) -> Document:
    """Check a participant document; return it or raise ``InvalidDocumentError``."""
    return _check(PARTICIPANT, doc)


def validate_review(doc: Any) -> Document:
    """Check a review document; return it or raise ``InvalidDocumentError``."""
    return _check(REVIEW, doc)


def validate_meeting(doc: Any) -> Document:
    """Check a meeting document; return it or raise ``InvalidDocumentError``."""
    return _check(MEETING, doc)


def validate_meta(doc: Any) -> Document:
    """Check ``carnet.json``; return it or raise ``InvalidDocumentError``."""
    return _check(META, doc)


VALIDATORS: dict[str, Callable[[Any], Document]] = {
    "entries": validate_entry,
    "comments": validate_comment,
    "participants": validate_participant,
    "reviews": validate_review,
    "meetings": validate_meeting,
}


def read_document(table: str, doc_id: str, data: bytes) -> Document:
    """Parse and check the bytes of document ``doc_id`` of ``table`` (``meta``: ``carnet.json``).

    The one check of a document's bytes: the loader, the merge and the sync's gate all use it.

    Raises:
        InvalidDocumentError: the bytes are not a valid document of that table, at that id.
    """
    if table == "meta":
        return validate_meta(parse_json(data))
    doc: Document = VALIDATORS[table](parse_json(data))
    if table == "reviews" and doc_id != f"{doc['participant']}/{doc['entry']}":
        raise _fail(_("the review is filed under the wrong path"))
    return doc
