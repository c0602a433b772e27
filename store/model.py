"""Entries, comments, participants and reviews: their schemas, validation and canonical JSON."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from store.errors import InvalidDocumentError, InvalidInputError
from store.i18n import _
from store.ids import is_slug, is_ulid
from store.keys import parse_key
from store.labels import size_label

FORMAT_VERSION = 1
# carnet.json "signatures": whether every change to owned documents must be signed.
SIGNATURE_POLICIES = ("optional", "required")
MAX_DOCUMENT_BYTES = 1_000_000
MAX_TITLE_LENGTH = 300
MAX_SAFE_INTEGER = 2**53

KINDS = ("practice", "research", "tool", "contact", "reflection", "proposal")
STATUSES = ("draft", "open", "discuss", "adopted", "archived")
STANCES = ("agree", "question", "disagree")
# The fields of an entry that people edit, and so the ones a merge can find in conflict.
EDITABLE_FIELDS = ("kind", "title", "body", "objectives", "tags", "status", "deleted")

TIME_PATTERN = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$")

Document = dict[str, Any]


def format_time(moment: datetime) -> str:
    """A time as Carnet stores it: UTC, milliseconds, fixed width, so it sorts as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def now() -> str:
    """The current time, as Carnet stores it (``format_time``)."""
    return format_time(datetime.now(UTC))


def parse_time(value: str) -> datetime:
    """Read a stored time back into an aware ``datetime``."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- canonical JSON ---------------------------------------------------------------------------


def _normalise(value: Any) -> Any:
    """NFC every string and refuse what JSON cannot carry faithfully between peers."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} is beyond 2**53")
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("NaN and infinities are not JSON")
        return value
    if isinstance(value, dict):
        return {_normalise(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    raise ValueError(f"{type(value).__name__} cannot be stored")


def canonical_bytes(document: Document) -> bytes:
    """The one serialisation every writer uses: NFC, sorted keys, indent 2, UTF-8, final newline."""
    text = json.dumps(
        _normalise(document), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
    )
    return (text + "\n").encode("utf-8")


def document_bytes(document: Document) -> bytes:
    """The canonical bytes of a document about to be written, if a reader will accept them.

    The limit is on these bytes, as readers check it (``parse_json``): a body under 1 MB can be
    more once saved, since JSON escapes every newline, quote and control character.

    Raises:
        InvalidInputError: the document would be over ``MAX_DOCUMENT_BYTES``.
    """
    data = canonical_bytes(document)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidInputError(
            _(
                "the text is too long: {size} once saved, at most {limit}; "
                "shorten it by about {excess} (or split it in several parts)"
            ).format(
                size=size_label(len(data)),
                limit=size_label(MAX_DOCUMENT_BYTES),
                excess=size_label(len(data) - MAX_DOCUMENT_BYTES),
            )
        )
    return data


def _checked_int(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise ValueError(f"integer {value} is beyond 2**53")
    return value


def _checked_float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):  # "1e400" parses as an infinity
        raise ValueError("NaN and infinities are not JSON")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


# One decoder for every document: ``json.loads`` with hooks would build one per call, which
# costs as much as parsing a small document.
_DECODER = json.JSONDecoder(
    parse_constant=_refuse_constant, parse_int=_checked_int, parse_float=_checked_float
)


def parse_json(data: bytes) -> Any:
    """Parse the bytes of a document, refusing NaN, infinities and oversized integers.

    The refusals (size, UTF-8, NaN, infinities, integers beyond 2**53) are made while
    parsing, by the decoder's hooks, instead of by walking the parsed value afterwards: at
    100,000 documents that walk is a tenth of the time of opening a notebook. A document
    nested too deeply for the parser is refused instead of stopping the program.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidDocumentError(_("the file is larger than 1 MB"))
    try:
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):  # as json.loads refuses it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except UnicodeDecodeError:
        raise InvalidDocumentError(_("the file is not UTF-8 text")) from None
    except ValueError as exc:
        raise InvalidDocumentError(
            _("the file is not valid JSON ({detail})").format(detail=exc)
        ) from None
    except RecursionError:
        raise InvalidDocumentError(
            _("the file is not valid JSON ({detail})").format(detail=_("nested too deeply"))
        ) from None
    # An escape such as \ud800 alone decodes to half a character, which no UTF-8 file and no
    # terminal can hold (printing or saving it fails). A pair of escapes is one character and
    # fine. Looked for only in the rare text that has such an escape.
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(value):
        raise InvalidDocumentError(_("the file is not UTF-8 text"))
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_SURROGATE.search(value))
    if isinstance(value, list):
        return any(_has_lone_surrogate(item) for item in value)
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    return False


# --- validation -------------------------------------------------------------------------------


def _fail(reason: str) -> InvalidDocumentError:
    return InvalidDocumentError(reason)


def _require(doc: Document, name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in doc:
        raise _fail(_("the field “{name}” is missing").format(name=name))
    value = doc[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _fail(_("the field “{name}” has the wrong type").format(name=name))
    return value


def _require_time(doc: Document, name: str) -> str:
    value: str = _require(doc, name, str)
    if not TIME_PATTERN.match(value):
        raise _fail(_("the field “{name}” is not a time").format(name=name))
    return value


def _require_slug(doc: Document, name: str) -> str:
    value: str = _require(doc, name, str)
    if not is_slug(value):
        raise _fail(_("the field “{name}” is not a participant id").format(name=name))
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# What a value of each editable field must be, wherever it is kept: in the entry or in a
# conflict record, whose value becomes the field's value when someone keeps it. (A tuple is as
# good as a list: ``Entry`` holds its sets as tuples.)
_FIELD_CHECKS: dict[str, Callable[[Any], bool]] = {
    "kind": lambda v: isinstance(v, str) and v in KINDS,
    "status": lambda v: isinstance(v, str) and v in STATUSES,
    "title": lambda v: isinstance(v, str) and bool(v.strip()),
    "body": lambda v: isinstance(v, str),
    "tags": lambda v: isinstance(v, list | tuple) and all(isinstance(t, str) for t in v),
    "objectives": lambda v: isinstance(v, list | tuple) and all(_is_int(n) for n in v),
    "deleted": lambda v: isinstance(v, bool),
}


def is_field_value(field: str, value: Any) -> bool:
    """Whether ``value`` can be the value of the entry field ``field`` (kind, title, tags...)."""
    check = _FIELD_CHECKS.get(field)
    return check is not None and bool(check(value))


def _validate_conflict(conflict: Any) -> None:
    wrong = _fail(_("the field “{name}” has the wrong type").format(name="conflicts"))
    if not isinstance(conflict, dict):
        raise wrong
    field = _require(conflict, "field", str)
    if field not in EDITABLE_FIELDS:
        raise wrong
    _require_slug(conflict, "author")
    _require_time(conflict, "updated")
    if "value" not in conflict or "base" not in conflict:
        raise wrong
    # The base is only shown, never applied. An entry added on both sides has none: the merge
    # writes None, or an empty title.
    base = conflict["base"]
    base_ok = (
        base is None or is_field_value(field, base) or (field == "title" and isinstance(base, str))
    )
    if not base_ok or not is_field_value(field, conflict["value"]):
        raise _fail(
            _("a conflict on “{name}” holds a value that the field cannot have").format(name=field)
        )


def validate_entry(doc: Any) -> Document:
    """Check an entry document; return it or raise ``InvalidDocumentError``."""
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    if _require(doc, "kind", str) not in KINDS:
        raise _fail(_("unknown kind “{value}”").format(value=doc["kind"]))
    if not _require(doc, "title", str).strip():
        raise _fail(_("the title is empty"))
    _require(doc, "body", str)
    objectives = _require(doc, "objectives", list)
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in objectives):
        raise _fail(_("the field “{name}” has the wrong type").format(name="objectives"))
    if not all(isinstance(t, str) for t in _require(doc, "tags", list)):
        raise _fail(_("the field “{name}” has the wrong type").format(name="tags"))
    if _require(doc, "status", str) not in STATUSES:
        raise _fail(_("unknown status “{value}”").format(value=doc["status"]))
    _require_slug(doc, "author")
    _require_slug(doc, "updated_by")
    _require_time(doc, "created")
    _require_time(doc, "updated")
    _require(doc, "deleted", bool)
    for conflict in _require(doc, "conflicts", list):
        _validate_conflict(conflict)
    return doc


def validate_comment(doc: Any) -> Document:
    """Check a comment document; return it or raise ``InvalidDocumentError``."""
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    if not is_ulid(_require(doc, "entry", str)):
        raise _fail(_("the field “{name}” is not a document id").format(name="entry"))
    parent = doc.get("parent")
    if "parent" not in doc or (parent is not None and not is_ulid(parent)):
        raise _fail(_("the field “{name}” is not a document id").format(name="parent"))
    _require_slug(doc, "author")
    _require(doc, "body", str)
    _require_time(doc, "created")
    return doc


def validate_participant(doc: Any) -> Document:
    """Check a participant document; return it or raise ``InvalidDocumentError``."""
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    if not _require(doc, "name", str).strip():
        raise _fail(_("the field “{name}” is missing").format(name="name"))
    _require(doc, "email", str)
    _require(doc, "organisation", str)
    _require(doc, "role", str)
    keys = doc.get("keys", [])
    if not isinstance(keys, list) or any(
        not isinstance(key, str) or parse_key(key) != key for key in keys
    ):
        raise _fail(_("the field “{name}” is not a list of SSH public keys").format(name="keys"))
    return doc


def validate_review(doc: Any) -> Document:
    """Check a review document; return it or raise ``InvalidDocumentError``."""
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    _require_slug(doc, "participant")
    if not is_ulid(_require(doc, "entry", str)):
        raise _fail(_("the field “{name}” is not a document id").format(name="entry"))
    if doc.get("read") is not None:
        _require_time(doc, "read")
    if "stance" not in doc or (doc["stance"] is not None and doc["stance"] not in STANCES):
        raise _fail(_("unknown stance “{value}”").format(value=doc.get("stance")))
    _require_time(doc, "updated")
    return doc


def validate_meta(doc: Any) -> Document:
    """Check ``carnet.json``; return it or raise ``InvalidDocumentError``."""
    if not isinstance(doc, dict):
        raise _fail(_("the document is not a JSON object"))
    _require(doc, "format", int)
    _require(doc, "title", str)
    _require(doc, "language", str)
    for objective in _require(doc, "objectives", list):
        if not isinstance(objective, dict):
            raise _fail(_("the field “{name}” has the wrong type").format(name="objectives"))
        _require(objective, "number", int)
        _require(objective, "title", str)
    if doc.get("signatures", "optional") not in SIGNATURE_POLICIES:
        raise _fail(_("the field “{name}” has the wrong type").format(name="signatures"))
    return doc


VALIDATORS = {
    "entries": validate_entry,
    "comments": validate_comment,
    "participants": validate_participant,
    "reviews": validate_review,
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


# --- plain data objects that cross the store boundary -----------------------------------------


@dataclass(frozen=True)
class Objective:
    """One of the mission's numbered objectives."""

    number: int
    title: str


@dataclass(frozen=True)
class NotebookInfo:
    """What ``carnet.json`` says of the notebook."""

    title: str
    language: str
    objectives: tuple[Objective, ...]
    format: int = FORMAT_VERSION
    # Once on, a change to a participant's documents must carry their signature (store.gate).
    signatures_required: bool = False

    @classmethod
    def from_doc(cls, doc: Document) -> NotebookInfo:
        objectives = tuple(
            Objective(o["number"], o["title"]) for o in sorted(doc["objectives"], key=_number)
        )
        required = doc.get("signatures") == "required"
        return cls(doc["title"], doc["language"], objectives, doc["format"], required)

    def to_doc(self) -> Document:
        return {
            "format": self.format,
            "title": self.title,
            "language": self.language,
            "objectives": [{"number": o.number, "title": o.title} for o in self.objectives],
            "kinds": list(KINDS),
            "statuses": list(STATUSES),
            **({"signatures": "required"} if self.signatures_required else {}),
        }


def _number(objective: Document) -> int:
    return int(objective["number"])


@dataclass(frozen=True)
class Conflict:
    """A value that lost a merge: kept here until someone chooses between it and the current one."""

    field: str
    value: Any
    author: str
    updated: str
    base: Any

    @classmethod
    def from_doc(cls, doc: Document) -> Conflict:
        return cls(doc["field"], doc["value"], doc["author"], doc["updated"], doc["base"])

    def to_doc(self) -> Document:
        return {
            "field": self.field,
            "value": self.value,
            "author": self.author,
            "updated": self.updated,
            "base": self.base,
        }


@dataclass(frozen=True)
class Entry:
    """An entry of the notebook: an observation, a reference, a tool, a contact, a reflection..."""

    id: str
    kind: str
    title: str
    body: str
    objectives: tuple[int, ...]
    tags: tuple[str, ...]
    status: str
    author: str
    updated_by: str
    created: str
    updated: str
    deleted: bool = False
    conflicts: tuple[Conflict, ...] = field(default=())

    @classmethod
    def from_doc(cls, entry_id: str, doc: Document) -> Entry:
        return cls(
            id=entry_id,
            kind=doc["kind"],
            title=doc["title"],
            body=doc["body"],
            objectives=tuple(doc["objectives"]),
            tags=tuple(doc["tags"]),
            status=doc["status"],
            author=doc["author"],
            updated_by=doc["updated_by"],
            created=doc["created"],
            updated=doc["updated"],
            deleted=doc["deleted"],
            conflicts=tuple(Conflict.from_doc(c) for c in doc["conflicts"]),
        )

    def to_doc(self) -> Document:
        return {
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "objectives": sorted(set(self.objectives)),
            "tags": sorted(set(self.tags)),
            "status": self.status,
            "author": self.author,
            "updated_by": self.updated_by,
            "created": self.created,
            "updated": self.updated,
            "deleted": self.deleted,
            "conflicts": [c.to_doc() for c in self.conflicts],
        }


def _loaded(instance: object) -> dict[str, Any]:
    """The attributes of a frozen dataclass instance made by ``object.__new__``, to fill in.

    Opening a notebook of 10,000 entries builds 110,000 comments and reviews from documents
    already checked. A frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, six times slower than filling the instance's dict at once (0.15 s
    of each opening). Only ``from_doc`` does this, with every field, so the instance is as
    ``__init__`` would have made it.
    """
    attributes: dict[str, Any] = instance.__dict__
    return attributes


@dataclass(frozen=True)
class Comment:
    """A comment on an entry, or a reply to another comment (``parent``)."""

    id: str
    entry: str
    parent: str | None
    author: str
    body: str
    created: str

    @classmethod
    def from_doc(cls, comment_id: str, doc: Document) -> Comment:
        comment = object.__new__(cls)  # see _loaded
        _loaded(comment).update(
            id=comment_id, entry=doc["entry"], parent=doc["parent"], author=doc["author"],
            body=doc["body"], created=doc["created"],
        )  # fmt: skip
        return comment

    def to_doc(self) -> Document:
        return {
            "entry": self.entry,
            "parent": self.parent,
            "author": self.author,
            "body": self.body,
            "created": self.created,
        }


@dataclass(frozen=True)
class Participant:
    """A member of the delegation; ``email`` is their git identity."""

    id: str
    name: str
    email: str
    organisation: str = ""
    role: str = ""
    keys: tuple[str, ...] = ()  # SSH public keys (``type base64``) that sign their commits

    @classmethod
    def from_doc(cls, participant_id: str, doc: Document) -> Participant:
        return cls(
            participant_id, doc["name"], doc["email"], doc["organisation"], doc["role"],
            tuple(doc.get("keys", ())),
        )  # fmt: skip

    def to_doc(self) -> Document:
        doc: Document = {
            "name": self.name,
            "email": self.email,
            "organisation": self.organisation,
            "role": self.role,
        }
        if self.keys:  # absent rather than empty: records without a key stay as they were
            doc["keys"] = list(self.keys)
        return doc


@dataclass(frozen=True)
class Review:
    """One participant's reading of one entry: when they last read it, and their stance."""

    participant: str
    entry: str
    read: str | None
    stance: str | None
    updated: str

    @property
    def key(self) -> str:
        """The document id: ``participant/entry``, which is also its path under ``reviews/``."""
        return f"{self.participant}/{self.entry}"

    @classmethod
    def from_doc(cls, doc: Document) -> Review:
        review = object.__new__(cls)  # see _loaded
        _loaded(review).update(
            participant=doc["participant"], entry=doc["entry"], read=doc["read"],
            stance=doc["stance"], updated=doc["updated"],
        )  # fmt: skip
        return review

    def to_doc(self) -> Document:
        return {
            "participant": self.participant,
            "entry": self.entry,
            "read": self.read,
            "stance": self.stance,
            "updated": self.updated,
        }
