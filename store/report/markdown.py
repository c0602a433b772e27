"""The report written as Markdown (CommonMark)."""

from __future__ import annotations

from store.i18n import _, ngettext
from store.report.model import Report, ReportComment, ReportEntry
from store.report.safety import md_body, md_code, md_paragraphs, md_text
from store.report.wording import (
    capitalise,
    conflict_sentence,
    counts,
    person_text,
    stance_summary,
)


def _quote(lines: list[str], depth: int) -> list[str]:
    prefix = "> " * depth
    return [(prefix + line).rstrip() for line in lines]


def _comment(comment: ReportComment, depth: int) -> list[str]:
    lines = [f"**{md_text(comment.author.name)}**"]
    if comment.author.organisation:
        lines[0] += f" ({md_text(comment.author.organisation)})"
    lines[0] += f" · {md_text(comment.date)}\\"
    lines.extend(md_paragraphs(comment.body) or [""])
    out = _quote(lines, depth)
    for reply in comment.replies:
        out.extend(_quote([""], depth))
        out.extend(_comment(reply, depth + 1))
    return out


def _entry(entry: ReportEntry) -> list[str]:
    lines = [f"#### {md_text(entry.title)}", ""]
    lines.append("*" + " · ".join(md_text(p) for p in _meta_parts(entry)) + "*")
    if entry.tags:
        lines.append("")
        lines.append(_("Tags: {tags}").format(tags=", ".join(md_code(t) for t in entry.tags)))
    for note in entry.conflicts:
        flag = _("{label}: {text}").format(label="**⚠ " + _("To resolve") + "**", text="{text}")
        lines += ["", "> " + flag.format(text=md_text(conflict_sentence(note)))]
    body = md_body(entry.body, 4)
    lines += ["", body if body else "*" + md_text(_("(no text)")) + "*"]
    if entry.stances:
        lines += ["", "**" + md_text(_("Stances")) + "**", ""]
        for group in entry.stances:
            names = ", ".join(md_text(person_text(p)) for p in group.people)
            lines.append("- " + _("{label}: {text}").format(label=md_text(group.label), text=names))
    if entry.comments:
        title = ngettext("{count} comment", "{count} comments", entry.comment_count).format(
            count=entry.comment_count
        )
        lines += ["", "**" + md_text(capitalise(title)) + "**"]
        for comment in entry.comments:
            lines.append("")
            lines.extend(_comment(comment, 1))
    return lines


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
    parts.append(_("ref. {ref}").format(ref=entry.ref))
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
                where = _("(ref. {ref}, under objective {number})").format(
                    ref=ref.entry.ref, number=ref.home
                )
                text = f"**{md_text(ref.entry.title)}** {md_text(where)}"
                label = md_text(ref.entry.kind_label)
                lines.append("- " + _("{label}: {text}").format(label=label, text=text))
    lines += ["", "## " + md_text(_("Adopted avenues")), ""]
    if not report.adopted:
        lines.append("*" + md_text(_("No avenue has been adopted yet.")) + "*")
    for entry in report.adopted:
        lines.append(
            f"- **{md_text(entry.title)}** — {md_text(entry.kind_label)}, "
            f"{md_text(person_text(entry.author))} "
            + md_text(_("(ref. {ref}; {stances})").format(
                ref=entry.ref, stances=stance_summary(entry)
            ))
        )  # fmt: skip
    return "\n".join(lines) + "\n"
