"""``store.record``: a record behaves as the frozen dataclass with slots it replaces."""

from __future__ import annotations

import copy
import pickle

import pytest

from store.model import Comment, Conflict, Decision, Entry, Participant
from store.record import FrozenRecordError, Record, field_names, replace

ENTRY = Entry(
    id="01E", kind="practice", title="Une halte-garderie", body="Un lieu d'accueil.",
    objectives=(1,), tags=("petite enfance",), status="open", author="marie",
    updated_by="marie", created="2005-10-03T09:00:00Z", updated="2005-10-03T09:00:00Z",
)  # fmt: skip


class Visit(Record):
    """A record of the test's own, with defaults and a check after its ``__init__``."""

    place: str
    day: str = "2005-10-03"
    guests: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "guests", tuple(sorted(self.guests)))


def test_fields_are_the_annotations_in_order_with_their_defaults() -> None:
    assert field_names(Visit) == ("place", "day", "guests")
    assert field_names(Visit("Lyon")) == field_names(Visit)
    assert Visit("Lyon") == Visit(place="Lyon", day="2005-10-03", guests=())
    assert Visit("Lyon", guests=("b", "a")).guests == ("a", "b"), "__post_init__ ran"
    with pytest.raises(TypeError):
        Visit()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Visit("Lyon", where="Paris")  # type: ignore[call-arg]


def test_a_field_without_a_default_may_not_follow_one_with() -> None:
    with pytest.raises(TypeError, match="follows"):

        class Wrong(Record):
            first: str = ""
            second: str


def test_equal_by_value_within_a_class_and_hashed_so() -> None:
    same = Entry(**{name: getattr(ENTRY, name) for name in field_names(Entry)})
    assert same == ENTRY and hash(same) == hash(ENTRY) and same is not ENTRY
    assert replace(ENTRY, title="Autre") != ENTRY
    assert Visit("Lyon") != ("Lyon", "2005-10-03", ())
    assert len({Visit("Lyon"), Visit("Lyon"), Visit("Paris")}) == 2


def test_frozen_and_without_a_dict() -> None:
    with pytest.raises(FrozenRecordError):
        ENTRY.title = "Autre"  # type: ignore[misc]
    with pytest.raises(AttributeError):  # FrozenRecordError is one, as FrozenInstanceError
        del ENTRY.title  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ENTRY.colour = "red"  # type: ignore[attr-defined]
    assert not hasattr(ENTRY, "__dict__") and not hasattr(Visit("Lyon"), "__dict__")
    assert ENTRY.title == "Une halte-garderie"


def test_replace_changes_only_the_fields_named() -> None:
    decided = replace(ENTRY, status="adopted", decision={
        "question": "L'adopter ?", "closes": "2005-11-01", "opened_by": "marie",
        "opened": "2005-10-04T10:00:00Z",
    })  # fmt: skip
    assert decided.status == "adopted" and decided.title == ENTRY.title
    assert isinstance(decided.decision, Decision), "made by __init__, __post_init__ included"
    assert ENTRY.status == "open"
    with pytest.raises(TypeError, match="colour"):
        replace(ENTRY, colour="red")


def test_repr_names_each_field() -> None:
    shown = repr(Participant("marie", "Marie", "marie@example.org"))
    assert shown == (
        "Participant(id='marie', name='Marie', email='marie@example.org', organisation='', "
        "role='', keys=())"
    )


def test_copied_and_pickled_by_their_fields() -> None:
    comment = Comment("01C", "01E", None, "marie", "Oui, " * 100, "2005-10-03T09:00:00Z")
    conflict = Conflict("title", "Autre", "paul", "2005-10-04T09:00:00Z", "Une")
    for record in (ENTRY, comment, conflict, Visit("Lyon", guests=("b", "a"))):
        assert copy.copy(record) == record
        assert copy.deepcopy(record) == record
        assert pickle.loads(pickle.dumps(record)) == record
    assert pickle.loads(pickle.dumps(comment)).body == "Oui, " * 100, "a text held compactly"


class Mark(Record):
    """A record of one field."""

    label: str


def test_a_record_of_one_field() -> None:
    assert Mark("a") == Mark(label="a") != Mark("b")
    assert hash(Mark("a")) == hash(Mark("a")) and repr(Mark("a")) == "Mark(label='a')"
    assert pickle.loads(pickle.dumps(Mark("a"))) == Mark("a")


def test_a_records_fields_are_its_own() -> None:
    with pytest.raises(TypeError, match="own"):

        class MoreVisit(Visit):
            hours: int = 2
