"""The report written as Markdown (CommonMark)."""

from __future__ import annotations

from store.i18n import _, ngettext
from store.report.links import md_linked_body, md_linked_lines
from store.report.model import (
    ConflictNote,
    GroupText,
    Report,
    ReportComment,
    ReportEntry,
    ReportLink,
)
from store.report.safety import md_body, md_code, md_paragraphs, md_text
from store.report.wording import (
    capitalise,
    conflict_sentence,
    counts,
    decision_result,
    decision_state,
    dissent,
    person_text,
    stance_summary,
)


def _quote(lines: list[str], depth: int) -> list[str]:
    prefix = "> " * depth
    return [(prefix + line).rstrip() for line in lines]


def _comment(comment: ReportComment, depth: int, links: tuple[ReportLink, ...] = ()) -> list[str]:
    lines = [f"**{md_text(comment.author.name)}**"]
    if comment.author.organisation:
        lines[0] += f" ({md_text(comment.author.organisation)})"
    lines[0] += f" · {md_text(comment.date)}\\"
    lines.extend(md_linked_lines(md_paragraphs(comment.body), links) or [""])
    out = _quote(lines, depth)
    for reply in comment.replies:
        out.extend(_quote([""], depth))
        out.extend(_comment(reply, depth + 1, links))
    return out


def _entry(entry: ReportEntry) -> list[str]:
    lines = [f"#### {md_text(entry.title)}", ""]
    lines.append("*" + " · ".join(md_text(p) for p in _meta_parts(entry)) + "*")
    if entry.tags:
        lines.append("")
        lines.append(_("Tags: {tags}").format(tags=", ".join(md_code(t) for t in entry.tags)))
    lines += _conflicts(entry.conflicts)
    body = md_body(md_linked_body(entry.body, entry.links), 4)
    lines += ["", body if body else "*" + md_text(_("(no text)")) + "*"]
    if entry.stances:
        lines += ["", "**" + md_text(_("Stances")) + "**", ""]
        for group in entry.stances:
            names = ", ".join(md_text(person_text(p)) for p in group.people)
            lines.append("- " + _("{label}: {text}").format(label=md_text(group.label), text=names))
    if entry.attachments:
        lines += ["", "**" + md_text(_("Attachments")) + "**", ""]
        for attachment in entry.attachments:
            name = md_text(attachment.name)
            if attachment.link is not None:
                name = f"[{name}](<{attachment.link}>)"
            lines.append(f"- {name} ({md_text(attachment.size)})")
    if entry.comments:
        title = ngettext("{count} comment", "{count} comments", entry.comment_count).format(
            count=entry.comment_count
        )
        lines += ["", "**" + md_text(capitalise(title)) + "**"]
        for comment in entry.comments:
            lines.append("")
            lines.extend(_comment(comment, 1, entry.links))
    return lines


def _conflicts(notes: tuple[ConflictNote, ...]) -> list[str]:
    lines: list[str] = []
    for note in notes:
        flag = _("{label}: {text}").format(label="**⚠ " + _("To resolve") + "**", text="{text}")
        lines += ["", "> " + flag.format(text=md_text(conflict_sentence(note)))]
    return lines


def _group_text(text: GroupText | None, level: int) -> list[str]:
    """A text the group wrote, under its heading at ``level``; nothing while it is unwritten."""
    if text is None:
        return []
    lines = ["", "#" * level + " " + md_text(text.heading), *_conflicts(text.conflicts)]
    return [*lines, "", md_body(text.body, level)]


def _meta_parts(entry: ReportEntry) -> list[str]:
    parts = [person_text(entry.author), entry.created]
    if entry.updated is not None:
        parts.append(_("updated {date}").format(date=entry.updated))
    parts.append(entry.status_label)
    if entry.deleted:
        parts.append(_("deleted"))
    if len(entry.objectives) > 1:
        parts.append(
            _("objectives {numbers}").format(numbers=", ".join(str(n) for n in entry.objectives))
        )
    return parts


def render_markdown(report: Report) -> str:
    """The report as Markdown (CommonMark)."""
    lines = [f"# {md_text(report.title)}", ""]
    lines.append("**" + md_text(_("Synthesis report")) + "**")
    if report.period:
        lines[-1] += " · " + md_text(report.period)
    lines.append("")
    if report.state_date:
        lines.append(md_text(_("As of {date}").format(date=report.state_date)) + " · ")
        lines[-1] += md_text(counts(report))
    else:
        lines.append(md_text(counts(report)))
    if report.selection:
        lines += [
            "",
            md_text(_("Selection: {filters}").format(filters=", ".join(report.selection))),
        ]
    lines += _group_text(report.introduction, 2)
    lines += ["", "## " + md_text(_("Participants")), ""]
    for person in report.participants:
        line = f"- **{md_text(person.name)}**"
        if person.organisation:
            line += f", {md_text(person.organisation)}"
        if person.role:
            line += f" ({md_text(person.role)})"
        lines.append(line)
    if not report.participants:
        lines.append(md_text(_("(nobody yet)")))
    for section in report.sections:
        lines += ["", f"## {md_text(section.heading)}"]
        if not section.entry_count and not section.see_also:
            lines += ["", "*" + md_text(_("No entry for this objective.")) + "*"]
        for group in section.groups:
            lines += ["", f"### {md_text(group.label)}"]
            for entry in group.entries:
                lines.append("")
                lines.extend(_entry(entry))
        if section.see_also:
            lines += ["", "### " + md_text(_("See also")), ""]
            for ref in section.see_also:
                where = _("(under objective {number})").format(number=ref.home)
                text = f"**{md_text(ref.entry.title)}** {md_text(where)}"
                label = md_text(ref.entry.kind_label)
                lines.append("- " + _("{label}: {text}").format(label=label, text=text))
        lines += _group_text(section.retained, 3)
    lines += ["", "## " + md_text(_("Adopted avenues")), ""]
    if not report.adopted:
        lines.append("*" + md_text(_("No avenue has been adopted yet.")) + "*")
    for entry in report.adopted:
        lines.append(
            f"- **{md_text(entry.title)}** — {md_text(entry.kind_label)}, "
            f"{md_text(person_text(entry.author))} " + md_text(f"({stance_summary(entry)})")
        )
    lines += _decisions(report)
    lines += _disagreements(report)
    lines += _group_text(report.conclusion, 2)
    return "\n".join(lines) + "\n"


def _decisions(report: Report) -> list[str]:
    lines = ["", "## " + md_text(_("Decisions")), ""]
    if not report.decisions:
        lines.append("*" + md_text(_("No entry has been put to a decision yet.")) + "*")
    for decision in report.decisions:
        parts = [md_text(p) for p in (decision.question, decision_state(decision)) if p]
        lines.append(f"- **{md_text(decision.title)}** — " + " · ".join(parts) + "\\")
        result = md_text(decision_result(decision))
        if decision.outcome.strip():
            outcome = " ".join(decision.outcome.split())
            result += " — " + md_text(_("outcome: {text}").format(text=outcome))
        lines.append("  " + result)
    return lines


def _disagreements(report: Report) -> list[str]:
    lines = ["", "## " + md_text(_("Open disagreements")), ""]
    if not report.disagreements:
        lines.append("*" + md_text(_("No open disagreement.")) + "*")
    for entry in report.disagreements:
        why = md_text(dissent(entry))
        lines.append(f"- **{md_text(entry.title)}** — {md_text(entry.kind_label)} · {why}")
    return lines
