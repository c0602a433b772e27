"""Sentences both writers use, so that the Markdown and the HTML report say the same thing."""

from __future__ import annotations

from store.i18n import _, ngettext
from store.labels import stance_label
from store.report.model import ConflictNote, Person, Report, ReportDecision, ReportEntry

# The stances that make an entry an open disagreement in the report.
DISSENT = ("disagree", "block")


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
    return stance_counts(tuple((g.stance, len(g.people)) for g in entry.stances))


def stance_counts(counts: tuple[tuple[str, int], ...]) -> str:
    """Stances counted, in words: "agree: 2, question: 1" ("no stance yet" for none)."""
    if not counts:
        return _("no stance yet")
    return ", ".join(
        _("{label}: {text}").format(label=stance_label(stance), text=count)
        for stance, count in counts
    )


def decision_state(decision: ReportDecision) -> str:
    """Where a decision stands, in words: open until its day, or when and by whom it closed."""
    if decision.closed is None:
        return _("open until {day}").format(day=decision.closes)
    if decision.closed_by is None:
        return _("closed by its deadline, {day}").format(day=decision.closed)
    return _("closed on {day} by {name}").format(
        day=decision.closed, name=person_text(decision.closed_by)
    )


def decision_result(decision: ReportDecision) -> str:
    """What a decision made of its entry and the stances it counted: "adopted · agree: 3"."""
    parts = [capitalise(decision.status_label)] if decision.status_label else []
    counted = stance_counts(decision.counts)
    parts.append(counted if parts else capitalise(counted))
    return " · ".join(parts)


def dissent(entry: ReportEntry) -> str:
    """Why an entry is an open disagreement: who disagrees or blocks, what waits to be resolved."""
    parts = [
        _("{label}: {text}").format(label=g.label, text=", ".join(p.name for p in g.people))
        for g in entry.stances
        if g.stance in DISSENT
    ]
    if entry.conflicts:
        count = len(entry.conflicts)
        parts.append(
            ngettext("{count} change to resolve", "{count} changes to resolve", count).format(
                count=count
            )
        )
    return " · ".join(parts)
