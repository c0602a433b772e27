"""What the report holds: the notebook's entries, people and comments gathered into the model.

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

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import date
from urllib.parse import quote

from store.attachments import size_in_words
from store.display import field_label
from store.i18n import _
from store.labels import kind_label, stance_label, status_label
from store.model import KINDS, STANCES, Attachment, Conflict, DecisionState, Entry, Participant
from store.notebook import EntryFilter, Notebook, ThreadItem
from store.progress import report
from store.report.dates import format_date, local_date
from store.report.links import report_links
from store.report.model import (
    ConflictNote,
    CrossReference,
    GroupText,
    KindGroup,
    Person,
    Report,
    ReportAttachment,
    ReportComment,
    ReportDecision,
    ReportEntry,
    Section,
    StanceGroup,
)
from store.report.wording import DISSENT, capitalise
from store.schema import ENTRY, SECTION_KIND, Shown
from store.sections import CONCLUSION, INTRODUCTION, OBJECTIVE_PREFIX
from store.text import safe_line, safe_text


def _selected_entries(
    notebook: Notebook,
    criteria: EntryFilter | None,
    since: date | None,
    include_all: bool,
    *,
    archived: bool = False,
) -> list[Entry]:
    """The entries the report is about (its sections are the group's texts, not entries)."""
    criteria = criteria or EntryFilter()
    if include_all:
        criteria = criteria._replace(include_deleted=True)
    entries = [e for e in notebook.entries(criteria) if e.kind != SECTION_KIND]
    if not (include_all or archived) and criteria.status != "archived":
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

    def __init__(
        self,
        notebook: Notebook,
        attachments_folder: str | None = None,
        included: Collection[str] = (),
    ) -> None:
        self.notebook = notebook
        self.attachments_folder = attachments_folder
        self.included = included  # the entries written out: what a link can lead to
        self._people: dict[str, Person] = {}

    def person(self, participant_id: str) -> Person:
        person = self._people.get(participant_id)
        if person is None:
            participant = self.notebook.participant(participant_id)
            # None: a participant file that never arrived or is damaged.
            person = Person(participant_id) if participant is None else _person(participant)
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
            body = _("(comment withdrawn)") if c.deleted else safe_text(c.body)
            node = ReportComment(
                c.id, self.person(c.author), format_date(local_date(c.created)), body
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
                groups.append(StanceGroup(stance, capitalise(stance_label(stance)), tuple(people)))
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
            attachments=tuple(self.attachment(a) for a in self.notebook.attachments(entry.id)),
            links=report_links(
                self.notebook,
                [entry.body, *(i.comment.body for i in thread if not i.comment.deleted)],
                self.included,
            ),
        )

    def attachment(self, attachment: Attachment) -> ReportAttachment:
        link = None
        if self.attachments_folder is not None:
            link = quote(f"{self.attachments_folder}/{copy_name(attachment)}")
        return ReportAttachment(safe_line(attachment.name), size_in_words(attachment.size), link)

    def group_text(self, name: str, anchor: str, heading: str) -> GroupText | None:
        """The section ``name`` as the report shows it; None while nobody has written it."""
        if name not in self.notebook.section_names():
            return None  # an objective a newer Carnet added: it has no section here
        entry = self.notebook.section(name)
        if entry is None or not entry.body.strip():
            return None
        conflicts = tuple(self.conflict(c) for c in entry.conflicts)
        return GroupText(anchor, heading, safe_text(entry.body), conflicts)

    def decision(self, state: DecisionState, shown: bool) -> ReportDecision:
        decision, entry = state.decision, state.entry
        return ReportDecision(
            entry_id=entry.id,
            title=safe_line(entry.title),
            shown=shown,
            question=safe_line(decision.question),
            closes=format_date(date.fromisoformat(decision.closes)),
            counts=tuple((stance, count) for stance, count in state.counts if count),
            closed=format_date(local_date(decision.closed)) if decision.closed else None,
            # "": closed by its deadline, in nobody's name.
            closed_by=self.person(decision.closed_by) if decision.closed_by else None,
            outcome=safe_text(decision.outcome or ""),
            status_label=status_label(decision.status) if decision.status else None,
        )


def copy_name(attachment: Attachment) -> str:
    """The name of an attachment's copy beside the report: two files of one name differ."""
    return f"{attachment.sha256[:12]}-{attachment.name}"


def _person(participant: Participant) -> Person:
    name, organisation, role = participant.name, participant.organisation, participant.role
    return Person(safe_line(name), safe_line(organisation), safe_line(role))


def _conflict_value(conflict: Conflict) -> str | None:
    """The other value in a few words, as its field is shown (``store.schema``); None for a
    text, too long to quote."""
    value = conflict.value
    rule = ENTRY.field(conflict.field)
    shown = rule.shown if rule is not None else Shown.LINE
    if shown is Shown.TEXT:
        return None
    if rule is not None and shown is Shown.CHOICE and isinstance(value, str):
        return rule.choice_label(value)
    if shown is Shown.DELETION:
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
    attachments_folder: str | None = None,
) -> Report:
    """The report's content, in the current language, ready to be rendered in any format.

    With ``attachments_folder``, each attachment links to its copy in that folder, beside
    the page (``copy_name`` names it there).
    """
    entries = _selected_entries(notebook, criteria, since, include_all)
    builder = _Builder(notebook, attachments_folder, {e.id for e in entries})

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
    for done, entry in enumerate(entries, 1):
        item = builder.entry(entry)
        report(done, len(entries))
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
        retained = (
            builder.group_text(f"{OBJECTIVE_PREFIX}{number}", f"retained-{number}",
                               _("What we take away"))
            if number is not None
            else None
        )  # fmt: skip
        sections.append(Section(anchor, heading, groups, see_also, retained))
    written = [e for s in sections for g in s.groups for e in g.entries]
    adopted = [e for e in written if e.status == "adopted"]
    # A decision's outcome may be to archive its entry: its decision is still reported.
    decided = {e.id for e in _selected_entries(notebook, criteria, since, include_all,
                                               archived=True)}  # fmt: skip
    shown_ids = {e.id for e in written}
    decisions = tuple(
        builder.decision(state, state.entry.id in shown_ids)
        for state in notebook.decisions()
        if state.entry.id in decided
    )
    disagreements = tuple(
        e for e in written if e.conflicts or any(g.stance in DISSENT for g in e.stances)
    )

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
    participants = tuple(_person(p) for p in notebook.participants())
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
        introduction=builder.group_text(INTRODUCTION, "introduction", _("Introduction")),
        conclusion=builder.group_text(CONCLUSION, "conclusion", _("Conclusion")),
        decisions=decisions,
        disagreements=disagreements,
    )


def _kind_order(entries: Sequence[ReportEntry]) -> list[str]:
    present = {e.kind for e in entries}
    # Kinds a newer Carnet may add come after the known ones rather than being dropped.
    return [k for k in KINDS if k in present] + sorted(present - set(KINDS))
