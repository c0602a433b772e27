"""The report's plain data model: what each section holds, whatever the output format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    """A participant as the report names them."""

    name: str
    organisation: str = ""
    role: str = ""


@dataclass(frozen=True)
class ReportComment:
    """A comment with its replies, in reading order."""

    id: str
    author: Person
    date: str
    body: str
    replies: tuple[ReportComment, ...] = ()


@dataclass(frozen=True)
class StanceGroup:
    """Everyone who took one stance on an entry."""

    stance: str
    label: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class ConflictNote:
    """An unresolved merge conflict on one field of an entry."""

    field: str
    field_label: str
    author: Person
    date: str
    other_value: str | None  # None when the value is too long to quote (a body)


@dataclass(frozen=True)
class ReportLink:
    """One ``[[…]]`` of an entry's body or comments, as the report writes it."""

    said: str  # between the brackets, as written
    title: str  # the entry's title (or ``said``, for no entry)
    target: str | None  # the entry's id when the report writes it out; else None
    found: bool  # False: no such entry, or a deleted one


@dataclass(frozen=True)
class ReportEntry:
    """An entry as the report shows it, with everything written about it."""

    id: str
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    author: Person
    created: str
    updated: str | None  # None when it was not changed after the day it was written
    objectives: tuple[int, ...]
    tags: tuple[str, ...]
    body: str
    deleted: bool
    stances: tuple[StanceGroup, ...]
    comments: tuple[ReportComment, ...]
    comment_count: int
    conflicts: tuple[ConflictNote, ...]
    attachments: tuple[ReportAttachment, ...] = ()
    links: tuple[ReportLink, ...] = ()  # in its body and comments


@dataclass(frozen=True)
class ReportAttachment:
    """A file attached to an entry: its name and size, and where its copy is beside the page
    (None: not copied)."""

    name: str
    size: str
    link: str | None = None


@dataclass(frozen=True)
class CrossReference:
    """A pointer, from another objective, to an entry written out in full elsewhere."""

    entry: ReportEntry
    home: int  # the objective under which it is written out


@dataclass(frozen=True)
class KindGroup:
    """The entries of one kind within a section."""

    kind: str
    label: str
    entries: tuple[ReportEntry, ...]


@dataclass(frozen=True)
class GroupText:
    """A text the group wrote for the synthesis: its introduction, what it takes away from an
    objective, its conclusion (``store.sections``)."""

    anchor: str
    heading: str
    body: str  # Markdown
    conflicts: tuple[ConflictNote, ...] = ()


@dataclass(frozen=True)
class ReportDecision:
    """An entry put to the group's decision: its question, and where it stands or how it
    ended."""

    entry_id: str
    title: str
    shown: bool  # whether its entry is written out in the report (the HTML links to it)
    question: str
    closes: str  # the closing day, written out
    counts: tuple[tuple[str, int], ...]  # (stance, how many) taken: frozen once closed
    closed: str | None = None  # the day it closed, written out; None while open
    closed_by: Person | None = None  # None once closed: by its deadline
    outcome: str = ""
    status_label: str | None = None  # what it made of its entry


@dataclass(frozen=True)
class Section:
    """One objective (or the entries that have none), ending with what the group takes away."""

    anchor: str
    heading: str
    groups: tuple[KindGroup, ...]
    see_also: tuple[CrossReference, ...]
    retained: GroupText | None = None

    @property
    def entry_count(self) -> int:
        return sum(len(g.entries) for g in self.groups)


@dataclass(frozen=True)
class Report:
    """The whole synthesis report, independent of its output format."""

    title: str
    period: str | None
    state_date: str | None
    participants: tuple[Person, ...]
    selection: tuple[str, ...]
    sections: tuple[Section, ...]
    adopted: tuple[ReportEntry, ...]
    entry_count: int
    comment_count: int
    conflict_count: int
    introduction: GroupText | None = None
    conclusion: GroupText | None = None
    decisions: tuple[ReportDecision, ...] = ()
    # Entries written out that someone disagrees with or blocks, or that wait to be resolved.
    disagreements: tuple[ReportEntry, ...] = ()

    def entries(self) -> Iterator[ReportEntry]:
        """Every entry written out in full, in document order."""
        for section in self.sections:
            for group in section.groups:
                yield from group.entries
