"""Canonical JSON and document validation."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from store.errors import InvalidDocumentError
from store.model import (
    MAX_DOCUMENT_BYTES,
    Comment,
    Review,
    canonical_bytes,
    held_value,
    now,
    parse_json,
    validate_comment,
    validate_entry,
    validate_review,
)
from store.record import FrozenRecordError, replace

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**53), max_value=2**53) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


# No deadline: a loaded machine (the suite runs on every core) makes an example slow now and
# then, and hypothesis would call that a failure; what this test checks is bytes, not time.
@settings(deadline=None)
@given(st.dictionaries(st.text(max_size=10), json_values, max_size=6))
def test_canonical_json_is_byte_stable_across_load_and_save(document: dict[str, object]) -> None:
    first = canonical_bytes(document)
    assert canonical_bytes(parse_json(first)) == first


def test_canonical_json_shape() -> None:
    data = canonical_bytes({"b": "e\u0301t\u00e9", "a": [1, 2]})
    text = data.decode("utf-8")
    assert text.endswith("}\n")
    assert text.index('"a"') < text.index('"b"')  # sorted keys
    assert "été" in text  # not \\u escapes, and NFC: "e" + combining accent became "é"
    assert unicodedata.is_normalized("NFC", text)
    assert '  "a": [\n    1,' in text  # indent 2


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 2**53 + 1, -(2**60)])
def test_values_json_cannot_carry_faithfully_are_refused(value: object) -> None:
    with pytest.raises(ValueError):
        canonical_bytes({"x": value})


@pytest.mark.parametrize(
    "raw",
    [
        b'{"x": NaN}',
        b'{"x": Infinity}',
        b'{"x": -Infinity}',
        b'{"x": 1e400}',
        b'{"x": 9007199254740993}',
        b"\xef\xbb\xbf{}",
        b"{} {}",
        b"",
    ],
)
def test_parsing_refuses_nan_infinities_and_huge_integers(raw: bytes) -> None:
    with pytest.raises(InvalidDocumentError):
        parse_json(raw)


@pytest.mark.parametrize(
    "raw",
    [b'{"a": 1}\n', b'{"a": 1}', b' {"a": 1}\n', b'{"a": 1}\n\n', b'{"a": 1} \n', b"[1]\n",
     b'{"a": 1} x', b'{"a": 1}{}', b"\n", b"x\n", b'{"a":\n', b'{"a": 1}\r\n', b'{"a": 1}\x0b'],
)  # fmt: skip
def test_parsing_gives_the_value_or_the_reason_of_json_itself(raw: bytes) -> None:
    """A document as written is parsed by the scanner alone: what anything else gives, a
    value or a reason, is still the decoder's."""
    try:
        expected = json.loads(raw)
    except ValueError as exc:
        with pytest.raises(InvalidDocumentError) as refused:
            parse_json(raw)
        assert str(exc) in str(refused.value)
    else:
        assert parse_json(raw) == expected


def test_parsing_keeps_what_json_carries() -> None:
    raw = '{"a": [1, 2.5, -3e2, true, null, "\\u00e9t\\u00e9"], "n": 9007199254740992}'
    assert parse_json(raw.encode()) == {"a": [1, 2.5, -300.0, True, None, "été"], "n": 2**53}


def test_parsing_refuses_oversized_and_non_utf8_files() -> None:
    with pytest.raises(InvalidDocumentError, match="1 Mo"):
        parse_json(b'"' + b"x" * MAX_DOCUMENT_BYTES + b'"')
    with pytest.raises(InvalidDocumentError, match="UTF-8"):
        parse_json(b'{"x": "\xff"}')


def test_parsing_a_deeply_nested_file_is_refused_not_a_crash() -> None:
    """Regression: parse_json raised RecursionError on ``[[[[...``; one parser now refuses it."""
    with pytest.raises(InvalidDocumentError, match="imbrication trop profonde"):
        parse_json(b"[" * 200_000)
    with pytest.raises(InvalidDocumentError):
        parse_json(b'{"a":' * 100_000)


def _entry(**changes: object) -> dict[str, object]:
    at = now()
    entry: dict[str, object] = {
        "kind": "practice", "title": "Titre", "body": "", "objectives": [1], "tags": [],
        "status": "open", "author": "helene", "updated_by": "helene", "created": at,
        "updated": at, "deleted": False, "conflicts": [],
    }  # fmt: skip
    entry.update(changes)
    return entry


def test_a_well_formed_entry_validates() -> None:
    document = _entry()
    assert validate_entry(document) is document


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "poem"},
        {"title": "   "},
        {"status": "done"},
        {"objectives": ["1"]},
        {"objectives": [True]},
        {"author": "../../etc"},
        {"created": "yesterday"},
        {"deleted": "no"},
        {"conflicts": [{"field": "title"}]},
    ],
)
def test_invalid_entries_are_refused_with_a_reason(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        validate_entry(_entry(**changes))
    assert str(caught.value)


def test_comment_and_review_ids_must_be_ulids() -> None:
    with pytest.raises(InvalidDocumentError):
        validate_comment(
            {"entry": "../x", "parent": None, "author": "a", "body": "", "created": now()}
        )
    with pytest.raises(InvalidDocumentError):
        validate_review(
            {
                "participant": "a",
                "entry": "01ARZ3NDEKTSV4RRFFQ69G5FAV",
                "read": None,
                "stance": "maybe",
                "updated": now(),
            }  # fmt: skip
        )


def test_time_is_fixed_width_utc() -> None:
    value = now()
    assert len(value) == 24 and value.endswith("Z")
    assert json.loads(json.dumps(value)) == value


def test_comments_and_readings_from_documents_are_as_their_constructor_makes_them() -> None:
    """They are filled slot by slot (a notebook opens hundreds of thousands of them), and hold
    no dict of attributes: each is what ``__init__`` would have made, frozen."""
    doc = {"entry": "E", "parent": None, "author": "marie", "body": "Oui", "created": "T"}
    comment = Comment.from_doc("C", doc)
    assert comment == Comment("C", "E", None, "marie", "Oui", "T") and comment.to_doc() == doc
    assert Comment.from_doc("C", {**doc, "deleted": True}).deleted
    reading = {"participant": "marie", "entry": "E", "read": "T", "stance": None, "updated": "T"}
    review = Review.from_doc(reading)
    assert review == Review("marie", "E", "T", None, "T") and review.to_doc() == reading
    for made in (comment, review):
        assert not hasattr(made, "__dict__")
        with pytest.raises(FrozenRecordError):
            made.entry = "F"  # type: ignore[misc]
    assert replace(comment, body="Non").body == "Non"


def test_the_times_of_comments_and_readings_are_held_as_utf8_one_time_once() -> None:
    """Given back as the strings written; held as bytes, a reading's two equal times as
    one object, two different ones apart."""
    read = "2005-09-09T19:10:03.038Z"
    review = Review("anais-poirier", "E1", read, None, "2005-09-09T19:10:03.038Z")
    assert (review.read, review.updated) == (read, read)
    assert type(review.read) is str and type(review.updated) is str
    held_read, held_updated = held_value(Review, "read"), held_value(Review, "updated")
    assert type(held_read(review)) is bytes
    assert held_updated(review) is held_read(review)
    changed = Review("anais-poirier", "E1", read, "agree", "2005-09-10T08:00:00.000Z")
    assert changed.updated == "2005-09-10T08:00:00.000Z"
    assert Review("anais-poirier", "E1", None, None, read).read is None
    comment = Comment("C1", "E1", None, "anais-poirier", "Oui.", read)
    assert comment.created == read and type(held_value(Comment, "created")(comment)) is bytes
    assert Comment.from_doc("C1", comment.to_doc()) == comment
