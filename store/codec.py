"""Canonical JSON, the one serialisation of every document, and stored times."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from store.errors import InvalidDocumentError, InvalidInputError
from store.i18n import _
from store.labels import size_label

MAX_DOCUMENT_BYTES = 1_000_000
MAX_SAFE_INTEGER = 2**53

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
_SCAN: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]


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
        # A document as written (an object, then one line end) is parsed by the decoder's
        # scanner alone, without its two passes for white space; anything else, and every
        # error, goes through the decoder itself, whose message is the reason given.
        try:
            value, end = _SCAN(text, 0)
        except StopIteration:  # white space before the value, or no value
            end = -1
        if end < 0 or text[end:] not in ("", "\n"):
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
