"""The report written as one HTML page, from the templates kept beside this module.

``templates/report.html`` is the page skeleton and ``templates/report.css`` its style, inlined
so that the page is one self-contained file. The skeleton's Content-Security-Policy lets
nothing run and nothing be fetched, whatever the participants wrote. Every value put into a
template, and every fragment built here, is HTML already: text gets there only through
``escape`` (or ``html_body`` for a Markdown body), never by plain formatting.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from string import Template

from store.i18n import _, current_language, ngettext
from store.report.links import html_linked_body, html_linked_text
from store.report.model import (
    ConflictNote,
    GroupText,
    Person,
    Report,
    ReportComment,
    ReportEntry,
    ReportLink,
    Section,
)
from store.report.safety import escape, html_body
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


@cache
def _template(name: str) -> str:
    """One of the report's template files (package data), without the newline ending it."""
    text = (files("store.report") / "templates" / name).read_text(encoding="utf-8")
    return text.removesuffix("\n")


def _fill(name: str, /, **values: str) -> str:
    """A template filled in. Every value is HTML already: text goes in through ``escape``."""
    return Template(_template(name)).substitute(values)


def _person(person: Person) -> str:
    text = f"<strong>{escape(person.name)}</strong>"
    if person.organisation:
        text += f" ({escape(person.organisation)})"
    return text


def _comment(comment: ReportComment, links: tuple[ReportLink, ...] = ()) -> str:
    return _fill(
        "comment.html",
        id=escape(comment.id),
        author=_person(comment.author),
        date=escape(comment.date),
        body=html_linked_text(escape(comment.body.strip()), links),
        replies="".join(_comment(reply, links) + "\n" for reply in comment.replies),
    )


def _entry(entry: ReportEntry) -> str:
    status = escape(entry.status)
    meta = [_person(entry.author), escape(entry.created)]
    if entry.updated is not None:
        meta.append(escape(_("updated {date}").format(date=entry.updated)))
    meta.append(f'<span class="badge status-{status}">{escape(entry.status_label)}</span>')
    if entry.deleted:
        meta.append(f'<span class="badge warn">{escape(_("deleted"))}</span>')
    if entry.conflicts:
        meta.append(f'<span class="badge warn">⚠ {escape(_("to resolve"))}</span>')
    if len(entry.objectives) > 1:
        numbers = ", ".join(str(n) for n in entry.objectives)
        meta.append(escape(_("objectives {numbers}").format(numbers=numbers)))
    out = []
    if entry.tags:
        badges = " ".join(f'<span class="badge">{escape(t)}</span>' for t in entry.tags)
        out.append(f'<p class="meta tags">{badges}</p>')
    out.extend(_conflicts(entry.conflicts))
    if entry.body.strip():
        body = html_body(html_linked_body(entry.body, entry.links), 4)
        out.append(f'<div class="body">{body}</div>')
    else:
        out.append(f'<p class="empty">{escape(_("(no text)"))}</p>')
    if entry.stances:
        out.append(f'<p class="label">{escape(_("Stances"))}</p><ul class="stances">')
        for group in entry.stances:
            names = ", ".join(escape(person_text(p)) for p in group.people)
            stance = escape(group.stance)
            label = f'<span class="stance stance-{stance}">{escape(group.label)}</span>'
            out.append("<li>" + _("{label}: {text}").format(label=label, text=names) + "</li>")
        out.append("</ul>")
    if entry.attachments:
        out.append(f'<p class="label">{escape(_("Attachments"))}</p><ul class="attachments">')
        for attachment in entry.attachments:
            name = escape(attachment.name)
            if attachment.link is not None:
                name = f'<a href="{escape(attachment.link)}">{name}</a>'
            out.append(f"<li>{name} ({escape(attachment.size)})</li>")
        out.append("</ul>")
    if entry.comments:
        title = ngettext("{count} comment", "{count} comments", entry.comment_count).format(
            count=entry.comment_count
        )
        out.append(f'<p class="label">{escape(title)}</p>')
        out.extend(_comment(comment, entry.links) for comment in entry.comments)
    return _fill(
        "entry.html",
        classes=f"entry status-{status}" + (" deleted" if entry.deleted else ""),
        id=escape(entry.id),
        title=escape(entry.title),
        meta=" · ".join(meta),
        content="\n".join(out),
    )


def _conflicts(notes: tuple[ConflictNote, ...]) -> list[str]:
    return [
        '<div class="conflict">'
        + _("{label}: {text}").format(
            label=f"<strong>⚠ {escape(_('To resolve'))}</strong>",
            text=escape(conflict_sentence(note)),
        )
        + "</div>"
        for note in notes
    ]


def _group_text(text: GroupText | None, level: int) -> list[str]:
    """A text the group wrote, under its heading at ``level``; nothing while it is unwritten."""
    if text is None:
        return []
    return [
        f'<div class="group-text" id="{escape(text.anchor)}">',
        f"<h{level}>{escape(text.heading)}</h{level}>",
        *_conflicts(text.conflicts),
        f'<div class="body">{html_body(text.body, level)}</div>',
        "</div>",
    ]


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline style, nothing fetched, printable)."""
    name = escape(_("Synthesis report"))
    body = [*_group_text(report.introduction, 2), *_participants(report), *_contents(report)]
    for section in report.sections:
        body.extend(_section(section))
    body.extend(_adopted(report))
    body.extend(_decisions(report))
    body.extend(_disagreements(report))
    body.extend(_group_text(report.conclusion, 2))
    page = _fill(
        "report.html",
        language=escape(current_language()),
        title=escape(report.title),
        name=name,
        css=_template("report.css"),
        summary="\n".join(_summary(report)),
        body="\n".join(body),
    )
    return page + "\n"


def _summary(report: Report) -> list[str]:
    out = []
    if report.period:
        out.append(f'<p class="summary">{escape(capitalise(report.period))}</p>')
    summary = counts(report)
    if report.state_date:
        summary = _("As of {date}").format(date=report.state_date) + " · " + summary
    out.append(f'<p class="summary">{escape(summary)}</p>')
    if report.selection:
        filters = ", ".join(report.selection)
        out.append(
            f'<p class="summary">{escape(_("Selection: {filters}").format(filters=filters))}</p>'
        )
    return out


def _participants(report: Report) -> list[str]:
    out = [f'<h2 id="participants">{escape(_("Participants"))}</h2>']
    if not report.participants:
        return [*out, f'<p class="empty">{escape(_("(nobody yet)"))}</p>']
    out.append('<table class="people">')
    for person in report.participants:
        details = escape(person.organisation)
        if person.role:
            details += f" ({escape(person.role)})" if details else escape(person.role)
        out.append(f"<tr><td>{escape(person.name)}</td><td>{details}</td></tr>")
    out.append("</table>")
    return out


def _contents(report: Report) -> list[str]:
    out = [f'<nav><p class="label">{escape(_("Contents"))}</p><ol>']
    if report.introduction is not None:
        out.append(_content_link(report.introduction.anchor, report.introduction.heading))
    for section in report.sections:
        count = ngettext("{count} entry", "{count} entries", section.entry_count).format(
            count=section.entry_count
        )
        out.append(
            f'<li><a href="#{escape(section.anchor)}">{escape(section.heading)}</a> '
            f'<span class="count">({escape(count)})</span></li>'
        )
    out.append(_content_link("adopted", _("Adopted avenues"), len(report.adopted)))
    out.append(_content_link("decisions", _("Decisions"), len(report.decisions)))
    out.append(_content_link("disagreements", _("Open disagreements"), len(report.disagreements)))
    if report.conclusion is not None:
        out.append(_content_link(report.conclusion.anchor, report.conclusion.heading))
    out.append("</ol></nav>")
    return out


def _content_link(anchor: str, heading: str, count: int | None = None) -> str:
    link = f'<li><a href="#{escape(anchor)}">{escape(heading)}</a>'
    return link + (f' <span class="count">({count})</span></li>' if count is not None else "</li>")


def _section(section: Section) -> list[str]:
    out = [f'<section id="{escape(section.anchor)}">', f"<h2>{escape(section.heading)}</h2>"]
    if not section.entry_count and not section.see_also:
        out.append(f'<p class="empty">{escape(_("No entry for this objective."))}</p>')
    for group in section.groups:
        out.append(f"<h3>{escape(group.label)}</h3>")
        out.extend(_entry(entry) for entry in group.entries)
    if section.see_also:
        out.append(f'<div class="see-also"><h3>{escape(_("See also"))}</h3><ul>')
        for ref in section.see_also:
            where = _("under objective {number}").format(number=ref.home)
            link = f'<a href="#e-{escape(ref.entry.id)}">{escape(ref.entry.title)}</a> — ' + escape(
                where
            )
            text = _("{label}: {text}").format(label=escape(ref.entry.kind_label), text=link)
            out.append(f"<li>{text}</li>")
        out.append("</ul></div>")
    out.extend(_group_text(section.retained, 3))
    out.append("</section>")
    return out


def _adopted(report: Report) -> list[str]:
    out = ['<section class="adopted" id="adopted">', f"<h2>{escape(_('Adopted avenues'))}</h2>"]
    if not report.adopted:
        out.append(f'<p class="empty">{escape(_("No avenue has been adopted yet."))}</p>')
    else:
        out.append("<ul>")
        for entry in report.adopted:
            out.append(
                f'<li><a href="#e-{escape(entry.id)}"><strong>{escape(entry.title)}</strong></a>'
                f" — {escape(entry.kind_label)}, {escape(person_text(entry.author))}<br>"
                f'<span class="meta">{escape(capitalise(stance_summary(entry)))}</span></li>'
            )
        out.append("</ul>")
    out.append("</section>")
    return out


def _decisions(report: Report) -> list[str]:
    out = ['<section class="decisions" id="decisions">', f"<h2>{escape(_('Decisions'))}</h2>"]
    if not report.decisions:
        empty = _("No entry has been put to a decision yet.")
        return [*out, f'<p class="empty">{escape(empty)}</p>', "</section>"]
    out.append("<ul>")
    for decision in report.decisions:
        title = f"<strong>{escape(decision.title)}</strong>"
        if decision.shown:
            title = f'<a href="#e-{escape(decision.entry_id)}">{title}</a>'
        said = [escape(p) for p in (decision.question, decision_state(decision)) if p]
        item = f"<li>{title} — {' · '.join(said)}<br>"
        item += f'<span class="meta">{escape(decision_result(decision))}</span>'
        if decision.outcome.strip():
            outcome = _("outcome: {text}").format(text=decision.outcome.strip())
            item += f'<p class="outcome">{escape(capitalise(outcome))}</p>'
        out.append(item + "</li>")
    out.append("</ul>")
    out.append("</section>")
    return out


def _disagreements(report: Report) -> list[str]:
    heading = escape(_("Open disagreements"))
    out = ['<section class="disagreements" id="disagreements">', f"<h2>{heading}</h2>"]
    if not report.disagreements:
        empty = escape(_("No open disagreement."))
        return [*out, f'<p class="empty">{empty}</p>', "</section>"]
    out.append("<ul>")
    for entry in report.disagreements:
        out.append(
            f'<li><a href="#e-{escape(entry.id)}"><strong>{escape(entry.title)}</strong></a>'
            f" — {escape(entry.kind_label)}<br>"
            f'<span class="meta">{escape(dissent(entry))}</span></li>'
        )
    out.append("</ul>")
    out.append("</section>")
    return out
