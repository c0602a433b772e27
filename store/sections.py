"""The texts the group writes for its synthesis: an introduction, what it takes away from each
objective, a general conclusion.

Each one is an entry of the kind ``section`` whose id comes from the section's name, so that
two participants who write the introduction offline write the same document: a sync merges
the two texts field by field like any entry's (a clash of lines waits among its conflicts), and
the entry's history, comments and editor serve it as they serve every entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from store.decisions import NotebookDecisions
from store.errors import InvalidInputError
from store.i18n import N_, _, in_language
from store.ids import CROCKFORD
from store.layout import document_of
from store.merge import merge_entry
from store.model import Entry, Objective
from store.schema import SECTION_KIND

INTRODUCTION = "introduction"
CONCLUSION = "conclusion"
OBJECTIVE_PREFIX = "objective-"
# A ULID whose time is zero: no entry written by hand has one, and the rest is the name's.
_ID_PREFIX = "0" * 10


def section_names(objectives: Iterable[Objective]) -> tuple[str, ...]:
    """The names of a notebook's sections, in the order the report shows them."""
    numbered = (f"{OBJECTIVE_PREFIX}{o.number}" for o in sorted(objectives, key=lambda o: o.number))
    return (INTRODUCTION, *numbered, CONCLUSION)


def section_id(name: str) -> str:
    """The id of the section called ``name``: the same on every clone, a well-formed ULID."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:10], "big")
    return _ID_PREFIX + "".join(CROCKFORD[(digest >> shift) & 31] for shift in range(75, -1, -5))


def is_section_path(path: str) -> bool:
    """Whether ``path`` is where a section is kept (no entry written by hand has such an id)."""
    found = document_of(path)
    return found is not None and found[0] == "entries" and found[1].startswith(_ID_PREFIX)


def objective_of(name: str) -> int | None:
    """The objective number of an ``objective-N`` section (None for the others)."""
    number = name.removeprefix(OBJECTIVE_PREFIX)
    return int(number) if name.startswith(OBJECTIVE_PREFIX) and number.isdigit() else None


def section_title(name: str) -> str:
    """The section's title, in the current language."""
    number = objective_of(name)
    if number is not None:
        return _("What we take away — objective {number}").format(number=number)
    return _("Introduction") if name == INTRODUCTION else _("General conclusion")


class NotebookSections(NotebookDecisions):
    """The group's own texts of a notebook's synthesis, each one an entry made by its name."""

    def section_names(self) -> tuple[str, ...]:
        """This notebook's section names: introduction, objective-1… objective-N, conclusion."""
        return section_names(self.info.objectives)

    def section(self, name: str) -> Entry | None:
        """The section called ``name``, or None while nobody has written it.

        Raises:
            InvalidInputError: this notebook has no section of that name.
        """
        entry = self._index.entries.get(self._section_id(name))
        return entry if entry is not None and not entry.deleted else None

    def sections(self) -> list[Entry]:
        """The sections written so far, in the order the report shows them."""
        found = (self.section(name) for name in self.section_names())
        return [entry for entry in found if entry is not None]

    def edit_section(self, name: str, body: str, *, base: Entry | None = None) -> Entry:
        """Write the text of the section ``name``: made the first time, merged after.

        Like an entry's edit, saving merges what changed since ``base`` (the section as the
        participant read it; without it, as it is now) onto what others saved meanwhile.

        Raises:
            InvalidInputError: an unknown name, or a first text that is empty.
        """
        section_id = self._section_id(name)
        self.refresh()
        current = self._index.entries.get(section_id)
        if current is None:
            if not body.strip():
                raise InvalidInputError(_("the text is empty: write something first"))
            return self._create_section(section_id, name, body)
        start = base if base is not None else current
        changes: dict[str, Any] = {"body": body} if body != start.body else {}
        if current.deleted:
            changes["deleted"] = False
        if not changes:
            return current
        return self._update_entry(start, changes, N_("Edit the group synthesis: {title}"))

    def _create_section(self, section_id: str, name: str, body: str) -> Entry:
        with in_language(self.info.language):
            title = section_title(name)
        with self._action(N_("Write the group synthesis: {title}"), title=title) as at:
            assert self.me is not None
            entry = Entry(
                id=section_id, kind=SECTION_KIND, title=title, body=body, objectives=(),
                tags=(), status="open", author=self.me, updated_by=self.me, created=at,
                updated=at,
            )  # fmt: skip
            arrived = self._index.entries.get(section_id)
            if arrived is not None:  # a sync brought someone else's first text meanwhile
                merged, _new = merge_entry(None, entry.to_doc(), arrived.to_doc())
                entry = Entry.from_doc(section_id, merged)
            self._put_entry(entry)
            self._write_review(entry.id, at, read=at)
        return entry

    def add_entry(self, kind: str, title: str, body: str = "", **fields: Any) -> Entry:
        """As ``NotebookActions.add_entry``; a section is made by its name only."""
        if kind == SECTION_KIND:
            raise InvalidInputError(_section_by_name())
        return super().add_entry(kind, title, body, **fields)

    def edit_entry(self, entry_id: str, **fields: Any) -> Entry:
        """As ``NotebookActions.edit_entry``; a section stays a section."""
        kind = fields.get("kind")
        if kind not in (None, SECTION_KIND) and self.entry(entry_id).kind == SECTION_KIND:
            raise InvalidInputError(_section_by_name())
        return super().edit_entry(entry_id, **fields)

    def _section_id(self, name: str) -> str:
        names = self.section_names()
        if name not in names:
            raise InvalidInputError(
                _("unknown section “{value}”: choose one of {choices}").format(
                    value=name, choices=", ".join(names)
                )
            )
        return section_id(name)


def _section_by_name() -> str:
    return _(
        "the group synthesis is written by section name: carnet section edit "
        "introduction|objective-N|conclusion"
    )
