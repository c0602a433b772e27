"""What the entry editor's form holds, and the choices and labels of its fields."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from store import Entry
from store.display import field_label
from store.schema import ENTRY, Merge


@dataclass(frozen=True)
class EntryForm:
    """What the editor's fields hold, normalised so that two forms compare by meaning.

    One attribute per editable field of the entry's table (``store.schema``) but the deletion,
    which has its own action; a test holds the two together.
    """

    kind: str | None
    title: str
    objectives: tuple[int, ...]
    tags: tuple[str, ...]
    status: str | None
    body: str

    @staticmethod
    def split_tags(text: str) -> tuple[str, ...]:
        """``"santé, réseau ,"`` → ``("réseau", "santé")``."""
        return tuple(sorted({tag.strip() for tag in text.split(",") if tag.strip()}))

    def changes(self, initial: EntryForm) -> dict[str, Any]:
        """The fields that differ from ``initial``, by name, with their new value."""
        return {
            name: getattr(self, name)
            for name in (f.name for f in fields(self))
            if getattr(self, name) != getattr(initial, name)
        }


# The entry's fields that the form holds.
FORM_FIELDS = tuple(f.name for f in ENTRY.fields if f.editable and f.merge is not Merge.DELETION)


def choices(field: str) -> list[tuple[str, str]]:
    """The options of a choice field of an entry (kind, status): each by its label."""
    rule = ENTRY.field(field)
    assert rule is not None, field
    return [(rule.choice_label(choice), choice) for choice in rule.choices]


def kind_choices(entry: Entry | None) -> list[tuple[str, str]]:
    """The kinds an entry may take: a part of the group's synthesis (``section``) is made by
    its name, from the synthesis screen, and no other entry becomes one."""
    return [
        (label, kind)
        for label, kind in choices("kind")
        if kind != "section" or (entry is not None and entry.kind == "section")
    ]


def form_label(field: str) -> str:
    """A field's name above its input: "Type", "Titre"."""
    return field_label(field).capitalize()
