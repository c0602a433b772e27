"""The synthesis report (``carnet export``): one document model, rendered as Markdown or HTML.

An entry tagged with several objectives is written out in full once, under the first of its
objectives that the report shows, and every other objective section lists it under "See
also" with a link. Writing it under each objective would repeat its body, stances and whole
comment thread two or three times: the printed report grows, a reader counts the same
agreement twice, and it becomes unclear where to answer a comment. A cross-reference keeps
each objective's picture complete while every entry and every comment appears exactly once.

Adopted entries stay in their objective section and are gathered again, as a short list with
their stances, in the closing "Adopted avenues" section. Archived and deleted entries are left
out unless ``include_all`` is given (or, for archived ones, the status filter asks for them).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from store.errors import InvalidInputError
from store.i18n import _, current_language, in_language, ngettext
from store.labels import field_label, kind_label, stance_label, status_label
from store.model import KINDS, STANCES, Conflict, Entry, parse_time
from store.notebook import EntryFilter, Notebook, ThreadItem
from store.text import safe_line, safe_text

FORMATS = ("md", "html")


# --- the document model --------------------------------------------------------------------


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
class ReportEntry:
    """An entry as the report shows it, with everything written about it."""

    id: str
    ref: str
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
class Section:
    """One objective (or the entries that have none)."""

    anchor: str
    heading: str
    groups: tuple[KindGroup, ...]
    see_also: tuple[CrossReference, ...]

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

    def entries(self) -> Iterator[ReportEntry]:
        """Every entry written out in full, in document order."""
        for section in self.sections:
            for group in section.groups:
                yield from group.entries


# --- public entry point ---------------------------------------------------------------------


def render(
    notebook: Notebook,
    *,
    fmt: str = "md",
    criteria: EntryFilter | None = None,
    since: str | None = None,
    include_all: bool = False,
) -> str:
    """The synthesis report of a notebook, in the notebook's language.

    Args:
        notebook: the notebook to report on.
        fmt: ``md`` (Markdown) or ``html`` (one self-contained page, printable).
        criteria: which entries to include, as for ``carnet list``.
        since: an ISO date ``YYYY-MM-DD``: only entries created or updated on or after it
            (in the local time zone).
        include_all: include archived and deleted entries too.

    Returns:
        The report text. The same notebook gives the same bytes.

    Raises:
        InvalidInputError: an unknown format or a malformed date.
    """
    if fmt not in FORMATS:
        raise InvalidInputError(
            _("unknown format “{value}”: choose one of {choices}").format(
                value=fmt, choices=", ".join(FORMATS)
            )
        )
    since_date = _parse_since(since)
    # The report speaks the notebook's language, whatever the screen's, in this thread only.
    with in_language(notebook.info.language):
        report = build_report(
            notebook, criteria=criteria, since=since_date, include_all=include_all
        )
        return render_markdown(report) if fmt == "md" else render_html(report)


def _parse_since(since: str | None) -> date | None:
    if since is None or not since.strip():
        return None
    try:
        return date.fromisoformat(since.strip())
    except ValueError:
        raise InvalidInputError(
            _("“{value}” is not a date: write it as YYYY-MM-DD, for example 2026-11-27").format(
                value=since
            )
        ) from None


# --- building the model ---------------------------------------------------------------------


_months: dict[str, tuple[str, ...]] = {}


def _month_names() -> tuple[str, ...]:
    language = current_language()
    if language not in _months:
        _months[language] = _translated_months()
    return _months[language]


def _translated_months() -> tuple[str, ...]:
    return (
        _("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"),
        _("August"), _("September"), _("October"), _("November"), _("December"),
    )  # fmt: skip


def local_date(value: str) -> date:
    """The day, in the local time zone, of a stored UTC time."""
    return parse_time(value).astimezone().date()


def format_date(day: date) -> str:
    """A day written out for the current language: "27 novembre 2026", "1er mai 2026"."""
    month = _month_names()[day.month - 1]
    # French writes the first day of a month as an ordinal; English day-month-year does not.
    number = "1er" if day.day == 1 and current_language() == "fr" else str(day.day)
    return f"{number} {month} {day.year}"


def _selected_entries(
    notebook: Notebook, criteria: EntryFilter | None, since: date | None, include_all: bool
) -> list[Entry]:
    criteria = criteria or EntryFilter()
    if include_all:
        criteria = replace(criteria, include_deleted=True)
    entries = notebook.entries(criteria)
    if not include_all and criteria.status != "archived":
        entries = [e for e in entries if e.status != "archived"]
    if since is not None:
        # ``updated`` is never before ``created``: one test covers "created or updated".
        entries = [e for e in entries if local_date(e.updated) >= since]
    return entries


def _selection(notebook: Notebook, criteria: EntryFilter | None, since: date | None) -> list[str]:
    """The filters in words, so that a reader knows the report is partial."""
    words: list[str] = []
    if criteria is not None:
        if criteria.objective is not None:
            words.append(_("objective {number}").format(number=criteria.objective))
        if criteria.kind:
            words.append(kind_label(criteria.kind))
        if criteria.status:
            words.append(status_label(criteria.status))
        if criteria.tag:
            words.append(_("tag “{tag}”").format(tag=safe_line(criteria.tag)))
        if criteria.unread:
            words.append(_("unread"))
        if criteria.conflicts:
            words.append(_("to resolve"))
        if criteria.search.strip():
            words.append(_("search “{query}”").format(query=safe_line(criteria.search)))
    if since is not None:
        words.append(_("since {date}").format(date=format_date(since)))
    return words


class _Builder:
    """Turns notebook objects into report objects, remembering people already looked up."""

    def __init__(self, notebook: Notebook) -> None:
        self.notebook = notebook
        self._people: dict[str, Person] = {}

    def person(self, participant_id: str) -> Person:
        person = self._people.get(participant_id)
        if person is None:
            participant = self.notebook.participant(participant_id)
            if participant is None:  # a participant file that never arrived or is damaged
                person = Person(participant_id)
            else:
                person = Person(
                    safe_line(participant.name),
                    safe_line(participant.organisation),
                    safe_line(participant.role),
                )
            self._people[participant_id] = person
        return person

    def comments(self, thread: Sequence[ThreadItem]) -> tuple[ReportComment, ...]:
        """Nest a flat thread (each comment followed by its replies) into a tree."""
        roots: list[ReportComment] = []
        # The path of open comments: (depth, comment, its replies so far).
        stack: list[tuple[int, ReportComment, list[ReportComment]]] = []

        def close_to(depth: int) -> None:
            while stack and stack[-1][0] >= depth:
                _depth, comment, replies = stack.pop()
                done = replace(comment, replies=tuple(replies))
                (stack[-1][2] if stack else roots).append(done)

        for item in thread:
            close_to(item.depth)
            c = item.comment
            node = ReportComment(
                c.id, self.person(c.author), format_date(local_date(c.created)), safe_text(c.body)
            )
            stack.append((item.depth, node, []))
        close_to(0)
        return tuple(roots)

    def stances(self, entry_id: str) -> tuple[StanceGroup, ...]:
        taken = self.notebook.stances(entry_id)
        groups = []
        for stance in STANCES:
            people = sorted(
                (self.person(p) for p, s in taken.items() if s == stance),
                key=lambda p: p.name.casefold(),
            )
            if people:
                groups.append(StanceGroup(stance, _capitalise(stance_label(stance)), tuple(people)))
        return tuple(groups)

    def conflict(self, conflict: Conflict) -> ConflictNote:
        return ConflictNote(
            conflict.field,
            field_label(conflict.field),
            self.person(conflict.author),
            format_date(local_date(conflict.updated)),
            _conflict_value(conflict),
        )

    def entry(self, entry: Entry) -> ReportEntry:
        thread = self.notebook.thread(entry.id)
        created = local_date(entry.created)
        updated = local_date(entry.updated)
        return ReportEntry(
            id=entry.id,
            ref=self.notebook.short_id(entry.id),
            title=safe_line(entry.title),
            kind=entry.kind,
            kind_label=kind_label(entry.kind),
            status=entry.status,
            status_label=status_label(entry.status),
            author=self.person(entry.author),
            created=format_date(created),
            updated=format_date(updated) if updated != created else None,
            objectives=entry.objectives,
            tags=tuple(safe_line(t) for t in entry.tags),
            body=safe_text(entry.body),
            deleted=entry.deleted,
            stances=self.stances(entry.id),
            comments=self.comments(thread),
            comment_count=len(thread),
            conflicts=tuple(self.conflict(c) for c in entry.conflicts),
        )


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _conflict_value(conflict: Conflict) -> str | None:
    value = conflict.value
    if conflict.field == "body":
        return None
    if conflict.field == "kind" and isinstance(value, str):
        return kind_label(value)
    if conflict.field == "status" and isinstance(value, str):
        return status_label(value)
    if conflict.field == "deleted":
        return _("deleted") if value else _("kept")
    if isinstance(value, list):
        return ", ".join(safe_line(str(v)) for v in value) or "—"
    return safe_line(str(value))


def build_report(
    notebook: Notebook,
    *,
    criteria: EntryFilter | None = None,
    since: date | None = None,
    include_all: bool = False,
) -> Report:
    """The report's content, in the current language, ready to be rendered in any format."""
    entries = _selected_entries(notebook, criteria, since, include_all)
    builder = _Builder(notebook)

    # Which objective sections the report shows, in order: an objective filter shows only its
    # own; numbers unknown to carnet.json (a peer's newer objectives) get a section too.
    titles = {o.number: safe_line(o.title) for o in notebook.info.objectives}
    if criteria is not None and criteria.objective is not None:
        shown = [criteria.objective]
    else:
        shown = sorted(set(titles) | {n for e in entries for n in e.objectives})
    headings = {
        n: _("Objective {number} — {title}").format(number=n, title=titles[n])
        if n in titles
        else _("Objective {number}").format(number=n)
        for n in shown
    }

    homes: dict[int | None, list[ReportEntry]] = {n: [] for n in shown}
    homes[None] = []
    elsewhere: dict[int, list[CrossReference]] = {n: [] for n in shown}
    adopted: list[ReportEntry] = []
    comment_count = 0
    activity: list[str] = []
    for entry in entries:
        item = builder.entry(entry)
        own = [n for n in sorted(entry.objectives) if n in homes]
        home = own[0] if own else None
        homes[home].append(item)
        for other in own[1:]:
            elsewhere[other].append(CrossReference(item, own[0]))
        comment_count += item.comment_count
        activity.extend((entry.created, entry.updated))
        activity.extend(c.created for c in notebook.comments(entry.id))

    sections = []
    for number in [*shown, None]:
        if number is None and not homes[None]:
            continue
        heading = headings[number] if number is not None else _("No objective")
        anchor = f"objective-{number}" if number is not None else "no-objective"
        groups = tuple(
            KindGroup(kind, kind_label(kind), tuple(e for e in homes[number] if e.kind == kind))
            for kind in _kind_order(homes[number])
        )
        see_also = tuple(elsewhere[number]) if number is not None else ()
        sections.append(Section(anchor, heading, groups, see_also))
    adopted = [e for s in sections for g in s.groups for e in g.entries if e.status == "adopted"]

    start, end = (
        (local_date(min(activity)), local_date(max(activity))) if activity else (None, None)
    )
    period = None
    if start is not None and end is not None:
        period = (
            _("on {date}").format(date=format_date(start))
            if start == end
            else _("from {start} to {end}").format(start=format_date(start), end=format_date(end))
        )
    participants = tuple(
        Person(safe_line(p.name), safe_line(p.organisation), safe_line(p.role))
        for p in notebook.participants()
    )
    return Report(
        title=safe_line(notebook.info.title),
        period=period,
        state_date=format_date(end) if end is not None else None,
        participants=participants,
        selection=tuple(_selection(notebook, criteria, since)),
        sections=tuple(sections),
        adopted=tuple(adopted),
        entry_count=len(entries),
        comment_count=comment_count,
        conflict_count=sum(1 for e in entries if e.conflicts),
    )


def _kind_order(entries: Sequence[ReportEntry]) -> list[str]:
    present = {e.kind for e in entries}
    # Kinds a newer Carnet may add come after the known ones rather than being dropped.
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


# --- shared wording ---------------------------------------------------------------------------


def _person_text(person: Person) -> str:
    return f"{person.name} ({person.organisation})" if person.organisation else person.name


def _counts(report: Report) -> str:
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


def _conflict_sentence(note: ConflictNote) -> str:
    if note.other_value is None:
        return _(
            "the {field} was changed in two places; the other version, by {author} on {date}, "
            "is kept in the notebook"
        ).format(field=note.field_label, author=_person_text(note.author), date=note.date)
    return _(
        "the {field} was changed in two places; the other value, by {author} on {date}, "
        "is “{value}”"
    ).format(
        field=note.field_label,
        author=_person_text(note.author),
        date=note.date,
        value=note.other_value,
    )


def _meta_parts(entry: ReportEntry) -> list[str]:
    parts = [_person_text(entry.author), entry.created]
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


def _stance_summary(entry: ReportEntry) -> str:
    if not entry.stances:
        return _("no stance yet")
    return ", ".join(
        _("{label}: {text}").format(label=stance_label(g.stance), text=len(g.people))
        for g in entry.stances
    )


# --- links ------------------------------------------------------------------------------------

# The only schemes a participant's link may have; a link without one is relative (an anchor).
LINK_SCHEMES = ("http", "https", "mailto")
# What a browser drops from a URL before reading its scheme (tab, newline, leading controls and
# spaces); dropped everywhere here, which can only make more URLs look like they have a scheme.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_safe_link(url: str) -> bool:
    """Whether a link may go into the report: relative, or ``http``, ``https`` or ``mailto``.

    The check reads the URL the way the most lenient viewer would: entities and percent-escapes
    decoded (``&#106;avascript:``), whitespace and controls dropped (``java\\tscript:``), case
    ignored. Anything that then has a scheme outside the three is refused (``javascript:``,
    ``data:``, ``vbscript:``, ``file:``...), whether or not some browser would run it.
    """
    text = _URL_IGNORED.sub("", html.unescape(unquote(html.unescape(url))))
    scheme, colon, _rest = text.partition(":")
    if not colon or re.search(r"[/?#]", scheme):
        return True  # no scheme: the colon, if any, is in a path, a query or a fragment
    return scheme.lower() in LINK_SCHEMES


# --- Markdown -----------------------------------------------------------------------------------

# Characters that mean something inline in CommonMark (or GFM) and so are escaped in text
# that is not Markdown: titles, names, comments.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>#|~]|&(?=#?\w+;))")
# What starts a block at the beginning of a line: list markers, rules, setext underlines.
_MD_LINE_START = re.compile(r"^(\d*)([-+=.)])")
# A quick test for bodies that may need rewriting; most bodies are plain paragraphs.
_MD_RISKY = re.compile(r"(^ {0,3}[#=\-`~<])|<", re.MULTILINE)

_MD_PARSER = MarkdownIt("commonmark", {"html": True})
# The parser a body is checked with once rewritten: raw HTML on, as a typical viewer has it,
# and every link kept whatever its scheme, as a viewer that checks none would show it.
_MD_CHECKER = MarkdownIt("commonmark", {"html": True})
_MD_CHECKER.validateLink = lambda url: True  # type: ignore[method-assign]


def md_text(text: str) -> str:
    """One line of participant text, escaped so that it shows literally in Markdown."""
    escaped = safe_line(text)
    if _MD_INLINE.search(escaped):
        escaped = _MD_INLINE.sub(_backslash, escaped)
    # "-", "+", "=" and "1." or "1)" open a block only at the start of a line.
    start = _MD_LINE_START.match(escaped)
    if start:
        escaped = f"{start.group(1)}\\{escaped[start.end(1) :]}"
    return escaped


def _backslash(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def md_paragraphs(text: str) -> list[str]:
    """Plain participant text (a comment) as Markdown lines that cannot open a block.

    Line breaks are kept as hard breaks and blank lines as paragraph breaks.
    """
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", safe_text(text).strip()):
        rows = [md_text(row) for row in paragraph.split("\n") if row.strip()]
        if rows:
            if lines:
                lines.append("")
            lines.extend(f"{row}\\" for row in rows[:-1])
            lines.append(rows[-1])
    return lines


def md_body(body: str, level: int) -> str:
    """An entry's Markdown body, kept as Markdown but unable to break the report around it.

    Its headings go below ``level``; an unclosed code fence is closed; raw HTML is escaped
    so that it shows as text wherever the Markdown is turned into a page.

    Recognising every way Markdown can spell raw HTML or a link (backslashes, backticks,
    entities, reference definitions) is not attempted as the guarantee: the rewritten body is
    parsed again as a viewer would, and if that parse finds raw HTML or a link that
    ``is_safe_link`` refuses, the body is written as plain text instead, every Markdown
    character escaped.
    """
    text = body.strip("\n")
    if not text.strip():
        return text
    rewritten = _md_rewrite(text, level)
    if ("<" in rewritten or "[" in rewritten) and not _md_is_inert(rewritten):
        return "\n".join(md_paragraphs(text))
    return rewritten


def _md_is_inert(text: str) -> bool:
    """Whether Markdown holds no raw HTML and no refused link, read as a lenient viewer would."""
    env: dict[str, Any] = {}
    tokens = _MD_CHECKER.parse(text, env)
    references = env.get("references", {}).values()
    if not all(is_safe_link(str(ref.get("href", ""))) for ref in references):
        return False
    for token in _walk(tokens):
        if token.type in ("html_block", "html_inline"):
            return False
        for name in ("href", "src"):
            if name in token.attrs and not is_safe_link(str(token.attrs[name])):
                return False
    return True


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _md_rewrite(text: str, level: int) -> str:
    """Headings below ``level``, raw HTML escaped outside code, an unclosed fence closed."""
    if not _MD_RISKY.search(text):
        return text
    lines = text.split("\n")
    tokens = _MD_PARSER.parse(text)
    deepest = min(level + 2, 6)
    code_rows: set[int] = set()
    headings: dict[int, tuple[int, str]] = {}
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block"):
            code_rows.update(range(start, end))
        elif token.type == "heading_open" and token.level == 0:
            content = " ".join(row.strip() for row in tokens[index + 1].content.split("\n"))
            headings[start] = (end, "#" * min(level + int(token.tag[1]), deepest) + " " + content)
    out: list[str] = []
    row = 0
    while row < len(lines):
        if row in headings:
            end, heading = headings[row]
            out.append(_escape_tags(heading))
            row = end  # a setext heading's text and underline become one line
            continue
        out.append(lines[row] if row in code_rows else _escape_tags(lines[row]))
        row += 1
    result = "\n".join(out)
    last = tokens[-1] if tokens else None
    if last is not None and last.type == "fence" and not _fence_closed(lines, last):
        result += "\n" + last.markup
    return result


# Read left to right: a backslash escape (kept: ``\\<`` is already text, and the backslash of
# ``\\\\<`` escapes only the next backslash), inline code (left alone), an autolink (left alone
# if its link is safe) or the "<" of something tag-like.
_MD_TAG = re.compile(
    r"(?P<escape>\\.)"
    r"|(?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<link><(?P<url>[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*)>)"
    r"|<(?=[A-Za-z/!?])"
)


def _escape_tags(line: str) -> str:
    """Escape raw HTML on a line of Markdown (outside code), so that it shows as text."""
    return _MD_TAG.sub(_escape_tag, line)


def _escape_tag(match: re.Match[str]) -> str:
    if match.group("escape") or match.group("code"):
        return match.group(0)
    if match.group("link") and is_safe_link(match.group("url")):
        return match.group(0)
    return "\\" + match.group(0)


def _fence_closed(lines: list[str], fence: Token) -> bool:
    assert fence.map is not None
    end = fence.map[1]
    if end - 1 <= fence.map[0]:
        return False
    closing = lines[end - 1].strip()
    return closing.startswith(fence.markup[0] * len(fence.markup)) and not closing.strip(
        fence.markup[0]
    )


def _quote(lines: list[str], depth: int) -> list[str]:
    prefix = "> " * depth
    return [(prefix + line).rstrip() for line in lines]


def _md_comment(comment: ReportComment, depth: int) -> list[str]:
    lines = [f"**{md_text(comment.author.name)}**"]
    if comment.author.organisation:
        lines[0] += f" ({md_text(comment.author.organisation)})"
    lines[0] += f" · {md_text(comment.date)}\\"
    lines.extend(md_paragraphs(comment.body) or [""])
    out = _quote(lines, depth)
    for reply in comment.replies:
        out.extend(_quote([""], depth))
        out.extend(_md_comment(reply, depth + 1))
    return out


def _md_entry(entry: ReportEntry) -> list[str]:
    lines = [f"#### {md_text(entry.title)}", ""]
    lines.append("*" + " · ".join(md_text(p) for p in _meta_parts(entry)) + "*")
    if entry.tags:
        lines.append("")
        lines.append(
            _("Tags: {tags}").format(tags=", ".join(f"`{_md_code(t)}`" for t in entry.tags))
        )
    for note in entry.conflicts:
        flag = _("{label}: {text}").format(label="**⚠ " + _("To resolve") + "**", text="{text}")
        lines += ["", "> " + flag.format(text=md_text(_conflict_sentence(note)))]
    body = md_body(entry.body, 4)
    lines += ["", body if body else "*" + md_text(_("(no text)")) + "*"]
    if entry.stances:
        lines += ["", "**" + md_text(_("Stances")) + "**", ""]
        for group in entry.stances:
            names = ", ".join(md_text(_person_text(p)) for p in group.people)
            lines.append("- " + _("{label}: {text}").format(label=md_text(group.label), text=names))
    if entry.comments:
        title = ngettext("{count} comment", "{count} comments", entry.comment_count).format(
            count=entry.comment_count
        )
        lines += ["", "**" + md_text(_capitalise(title)) + "**"]
        for comment in entry.comments:
            lines.append("")
            lines.extend(_md_comment(comment, 1))
    return lines


def _md_code(text: str) -> str:
    # A tag inside a code span: backticks cannot be escaped there, so they are replaced.
    return text.replace("`", "'")


def render_markdown(report: Report) -> str:
    """The report as Markdown (CommonMark)."""
    lines = [f"# {md_text(report.title)}", ""]
    lines.append("**" + md_text(_("Synthesis report")) + "**")
    if report.period:
        lines[-1] += " · " + md_text(report.period)
    lines.append("")
    if report.state_date:
        lines.append(md_text(_("As of {date}").format(date=report.state_date)) + " · ")
        lines[-1] += md_text(_counts(report))
    else:
        lines.append(md_text(_counts(report)))
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
                lines.extend(_md_entry(entry))
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
            f"{md_text(_person_text(entry.author))} "
            + md_text(_("(ref. {ref}; {stances})").format(
                ref=entry.ref, stances=_stance_summary(entry)
            ))
        )  # fmt: skip
    return "\n".join(lines) + "\n"


# --- HTML ---------------------------------------------------------------------------------------

_HTML_PARSER = MarkdownIt("commonmark", {"html": False})
# markdown-it's own check lets ``data:image/...`` through, and images become links here.
_HTML_PARSER.validateLink = is_safe_link  # type: ignore[method-assign]

_CSS = """
:root { --ink: #1d232a; --muted: #5b6670; --line: #d8dde2; --accent: #1f5f8b;
  --soft: #f3f6f9; --warn: #a35200; --warn-bg: #fff4e5; --ok: #2f7d32; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 1rem/1.55 "Source Serif Pro", Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2.5rem 1.5rem 4rem; }
h1, h2, h3, h4, .meta, .label, nav, .badge, .comment-meta, .see-also, .summary, table {
  font-family: "Source Sans Pro", "Segoe UI", "Helvetica Neue", Arial, sans-serif; }
header.title { border-bottom: 3px solid var(--accent); padding-bottom: 1.25rem;
  margin-bottom: 2rem; }
header.title .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem;
  color: var(--accent); margin: 0; font-weight: 600; }
h1 { font-size: 2.1rem; line-height: 1.2; margin: .3rem 0 .6rem; }
.summary { color: var(--muted); margin: .2rem 0; }
h2 { font-size: 1.45rem; margin: 3rem 0 1rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--line); color: var(--accent); }
h3 { font-size: 1.05rem; text-transform: uppercase; letter-spacing: .05em;
  color: var(--muted); margin: 2rem 0 .75rem; }
table.people { border-collapse: collapse; width: 100%; font-size: .95rem; }
table.people td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
table.people td:first-child { font-weight: 600; width: 32%; }
nav ol { padding-left: 1.3rem; margin: .5rem 0; }
nav a { color: var(--ink); text-decoration: none; }
nav .count { color: var(--muted); font-size: .9em; }
article.entry { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem;
  margin: 0 0 1.25rem; }
article.entry.status-adopted { border-left: 5px solid var(--ok); }
article.entry.deleted, article.entry.status-archived { opacity: .75; }
article h4 { font-size: 1.2rem; margin: 0 0 .35rem; line-height: 1.3; }
.meta { color: var(--muted); font-size: .88rem; margin: 0 0 .75rem; }
.badge { display: inline-block; font-size: .78rem; padding: .05rem .45rem; border-radius: 1rem;
  background: var(--soft); border: 1px solid var(--line); color: var(--ink); }
.badge.status-adopted { background: #e8f5e9; border-color: #a5d6a7; color: var(--ok); }
.badge.status-discuss { background: #fff8e1; border-color: #ffe082; }
.badge.warn { background: var(--warn-bg); border-color: #f0b46b; color: var(--warn); }
.tags .badge { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.conflict { background: var(--warn-bg); border-left: 4px solid var(--warn); padding: .5rem .75rem;
  margin: .5rem 0 .75rem; font-size: .92rem; }
.body { overflow-wrap: anywhere; }
.body pre { background: var(--soft); padding: .6rem .8rem; overflow-x: auto; font-size: .88rem;
  white-space: pre-wrap; }
.body code { font-size: .9em; }
.body h5, .body h6 { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif;
  font-size: 1rem; margin: 1rem 0 .3rem; }
.body h6 { font-size: .95rem; color: var(--muted); }
.body blockquote { margin: .5rem 0; padding-left: .8rem; border-left: 3px solid var(--line);
  color: var(--muted); }
.empty { color: var(--muted); font-style: italic; }
.label { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 1rem 0 .35rem; font-weight: 600; }
ul.stances { list-style: none; padding: 0; margin: 0; font-size: .95rem; }
ul.stances li { margin: .15rem 0; }
ul.stances .stance { font-weight: 600; }
.stance-agree { color: var(--ok); }
.stance-question { color: var(--accent); }
.stance-disagree { color: var(--warn); }
.comment { border-left: 3px solid var(--line); padding: .15rem 0 .15rem .8rem; margin: .6rem 0; }
.comment .comment { margin-left: .4rem; }
.comment-meta { font-size: .85rem; color: var(--muted); margin: 0; }
.comment-meta strong { color: var(--ink); }
.comment-body { margin: .15rem 0 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.see-also ul { padding-left: 1.2rem; font-size: .95rem; }
.see-also a, .adopted a { color: var(--accent); }
.ref { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .8em;
  color: var(--muted); font-weight: normal; }
section.adopted li { margin: .4rem 0; }
footer { margin-top: 3rem; color: var(--muted); font-size: .8rem; text-align: center; }
@page { size: A4; margin: 18mm 16mm; }
@media print {
  html { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-before: page; }
  nav + h2, header + h2 { break-before: auto; }
  h2, h3, h4, .label { break-after: avoid; }
  /* A whole thread may not fit on a page: keep each comment's heading with its text. */
  .comment-meta { break-after: avoid; }
  .comment-body, .conflict, ul.stances li, table.people tr { break-inside: avoid; }
  article.entry { border: none; border-top: 1px solid var(--line); border-radius: 0;
    padding: .6rem 0 0; }
  article.entry.status-adopted { border-left: none; border-top: 2px solid var(--ok); }
  a { color: inherit; text-decoration: none; }
  .body a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .85em;
    color: var(--muted); overflow-wrap: anywhere; }
  .badge { border-color: #999; }
}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def html_body(body: str, level: int) -> str:
    """An entry's Markdown body as HTML: no raw HTML, no remote images, headings below ``level``."""
    tokens = _HTML_PARSER.parse(body)
    deepest = min(level + 2, 6)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(level + int(token.tag[1]), deepest)}"
        elif token.type == "inline" and token.children:
            token.children = list(_images_as_links(token.children))
    rendered: str = _HTML_PARSER.renderer.render(tokens, _HTML_PARSER.options, {})
    return rendered


def _images_as_links(children: list[Token]) -> Iterator[Token]:
    """Images become links: the page must open without fetching anything from the network."""
    for child in children:
        if child.type != "image":
            yield child
            continue
        source = str(child.attrs.get("src", ""))
        yield Token("link_open", "a", 1, attrs={"href": source})
        alt = child.children or []
        if alt:
            yield from alt
        else:
            yield Token("text", "", 0, content=source)
        yield Token("link_close", "a", -1)


def _html_person(person: Person) -> str:
    text = f"<strong>{_e(person.name)}</strong>"
    if person.organisation:
        text += f" ({_e(person.organisation)})"
    return text


def _html_comment(comment: ReportComment) -> list[str]:
    out = [
        f'<div class="comment" id="c-{_e(comment.id)}">',
        f'<p class="comment-meta">{_html_person(comment.author)} · {_e(comment.date)}</p>',
        f'<p class="comment-body">{_e(comment.body.strip())}</p>',
    ]
    for reply in comment.replies:
        out.extend(_html_comment(reply))
    out.append("</div>")
    return out


def _html_entry(entry: ReportEntry) -> list[str]:
    classes = f"entry status-{_e(entry.status)}" + (" deleted" if entry.deleted else "")
    out = [f'<article class="{classes}" id="e-{_e(entry.id)}">']
    out.append(f'<h4>{_e(entry.title)} <span class="ref">{_e(entry.ref)}</span></h4>')
    meta = [_html_person(entry.author), _e(entry.created)]
    if entry.updated is not None:
        meta.append(_e(_("updated {date}").format(date=entry.updated)))
    meta.append(f'<span class="badge status-{_e(entry.status)}">{_e(entry.status_label)}</span>')
    if entry.deleted:
        meta.append(f'<span class="badge warn">{_e(_("deleted"))}</span>')
    if entry.conflicts:
        meta.append(f'<span class="badge warn">⚠ {_e(_("to resolve"))}</span>')
    if len(entry.objectives) > 1:
        numbers = ", ".join(str(n) for n in entry.objectives)
        meta.append(_e(_("objectives {numbers}").format(numbers=numbers)))
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if entry.tags:
        badges = " ".join(f'<span class="badge">{_e(t)}</span>' for t in entry.tags)
        out.append(f'<p class="meta tags">{badges}</p>')
    for note in entry.conflicts:
        out.append(
            '<div class="conflict">'
            + _("{label}: {text}").format(
                label=f"<strong>⚠ {_e(_('To resolve'))}</strong>",
                text=_e(_conflict_sentence(note)),
            )
            + "</div>"
        )
    if entry.body.strip():
        out.append(f'<div class="body">{html_body(entry.body, 4)}</div>')
    else:
        out.append(f'<p class="empty">{_e(_("(no text)"))}</p>')
    if entry.stances:
        out.append(f'<p class="label">{_e(_("Stances"))}</p><ul class="stances">')
        for group in entry.stances:
            names = ", ".join(_e(_person_text(p)) for p in group.people)
            label = f'<span class="stance stance-{_e(group.stance)}">{_e(group.label)}</span>'
            out.append("<li>" + _("{label}: {text}").format(label=label, text=names) + "</li>")
        out.append("</ul>")
    if entry.comments:
        title = ngettext("{count} comment", "{count} comments", entry.comment_count).format(
            count=entry.comment_count
        )
        out.append(f'<p class="label">{_e(title)}</p>')
        for comment in entry.comments:
            out.extend(_html_comment(comment))
    out.append("</article>")
    return out


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline style, nothing fetched, printable)."""
    language = _e(current_language())
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        "<head>",
        '<meta charset="utf-8">',
        # Nothing may run or be fetched, whatever the participants wrote.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(report.title)} — {_e(_('Synthesis report'))}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<header class="title">',
        f'<p class="kicker">{_e(_("Synthesis report"))}</p>',
        f"<h1>{_e(report.title)}</h1>",
    ]
    if report.period:
        out.append(f'<p class="summary">{_e(_capitalise(report.period))}</p>')
    summary = _counts(report)
    if report.state_date:
        summary = _("As of {date}").format(date=report.state_date) + " · " + summary
    out.append(f'<p class="summary">{_e(summary)}</p>')
    if report.selection:
        filters = ", ".join(report.selection)
        out.append(
            f'<p class="summary">{_e(_("Selection: {filters}").format(filters=filters))}</p>'
        )
    out.append("</header>")

    out.append(f'<h2 id="participants">{_e(_("Participants"))}</h2>')
    if report.participants:
        out.append('<table class="people">')
        for person in report.participants:
            details = _e(person.organisation)
            if person.role:
                details += f" ({_e(person.role)})" if details else _e(person.role)
            out.append(f"<tr><td>{_e(person.name)}</td><td>{details}</td></tr>")
        out.append("</table>")
    else:
        out.append(f'<p class="empty">{_e(_("(nobody yet)"))}</p>')

    out.append(f'<nav><p class="label">{_e(_("Contents"))}</p><ol>')
    for section in report.sections:
        count = ngettext("{count} entry", "{count} entries", section.entry_count).format(
            count=section.entry_count
        )
        out.append(
            f'<li><a href="#{section.anchor}">{_e(section.heading)}</a> '
            f'<span class="count">({_e(count)})</span></li>'
        )
    out.append(f'<li><a href="#adopted">{_e(_("Adopted avenues"))}</a> '
               f'<span class="count">({len(report.adopted)})</span></li>')  # fmt: skip
    out.append("</ol></nav>")

    for section in report.sections:
        out.append(f'<section id="{section.anchor}">')
        out.append(f"<h2>{_e(section.heading)}</h2>")
        if not section.entry_count and not section.see_also:
            out.append(f'<p class="empty">{_e(_("No entry for this objective."))}</p>')
        for group in section.groups:
            out.append(f"<h3>{_e(group.label)}</h3>")
            for entry in group.entries:
                out.extend(_html_entry(entry))
        if section.see_also:
            out.append(f'<div class="see-also"><h3>{_e(_("See also"))}</h3><ul>')
            for ref in section.see_also:
                where = _("under objective {number}").format(number=ref.home)
                link = (
                    f'<a href="#e-{_e(ref.entry.id)}">{_e(ref.entry.title)}</a> '
                    f'<span class="ref">{_e(ref.entry.ref)}</span> — {_e(where)}'
                )
                text = _("{label}: {text}").format(label=_e(ref.entry.kind_label), text=link)
                out.append(f"<li>{text}</li>")
            out.append("</ul></div>")
        out.append("</section>")

    out.append('<section class="adopted" id="adopted">')
    out.append(f"<h2>{_e(_('Adopted avenues'))}</h2>")
    if not report.adopted:
        out.append(f'<p class="empty">{_e(_("No avenue has been adopted yet."))}</p>')
    else:
        out.append("<ul>")
        for entry in report.adopted:
            out.append(
                f'<li><a href="#e-{_e(entry.id)}"><strong>{_e(entry.title)}</strong></a> — '
                f"{_e(entry.kind_label)}, {_e(_person_text(entry.author))} "
                f'<span class="ref">{_e(entry.ref)}</span><br>'
                f'<span class="meta">{_e(_capitalise(_stance_summary(entry)))}</span></li>'
            )
        out.append("</ul>")
    out.append("</section>")
    out.append(f"<footer>{_e(report.title)} · {_e(_('Synthesis report'))}</footer>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


__all__ = ["FORMATS", "Report", "build_report", "render", "render_html", "render_markdown"]
