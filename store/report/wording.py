"""Sentences both writers use, so that the Markdown and the HTML report say the same thing."""

from __future__ import annotations

from store.i18n import _, ngettext
from store.labels import stance_label
from store.report.model import ConflictNote, Person, Report, ReportEntry


def capitalise(text: str) -> str:
    """The text with its first letter upper case (a label or phrase that opens a line)."""
    return text[:1].upper() + text[1:]


def person_text(person: Person) -> str:
    """A participant as a sentence names them: "Marc Tremblay (CSSS de Québec)"."""
    return f"{person.name} ({person.organisation})" if person.organisation else person.name


def counts(report: Report) -> str:
    """How many entries, comments and entries to resolve the report holds, in words."""
    parts = [
        ngettext("{count} entry", "{count} entries", report.entry_count).format(
            count=report.entry_count
        ),
        ngettext("{count} comment", "{count} comments", report.comment_count).format(
            count=report.comment_count
        ),
    ]
    if report.conflict_count:
        parts.append(
            ngettext(
                "{count} entry to resolve", "{count} entries to resolve", report.conflict_count
            ).format(count=report.conflict_count)
        )
    return " · ".join(parts)


def conflict_sentence(note: ConflictNote) -> str:
    """An unresolved conflict told in one sentence: which field, who, when, what."""
    if note.other_value is None:
        return _(
            "the {field} was changed in two places; the other version, by {author} on {date}, "
            "is kept in the notebook"
        ).format(field=note.field_label, author=person_text(note.author), date=note.date)
    return _(
        "the {field} was changed in two places; the other value, by {author} on {date}, "
        "is “{value}”"
    ).format(
        field=note.field_label,
        author=person_text(note.author),
        date=note.date,
        value=note.other_value,
    )


def stance_summary(entry: ReportEntry) -> str:
    """How many people took each stance on an entry: "agree: 2, question: 1"."""
    if not entry.stances:
        return _("no stance yet")
    return ", ".join(
        _("{label}: {text}").format(label=stance_label(g.stance), text=len(g.people))
        for g in entry.stances
    )
