"""The selected entry in full: title, meta line, body, stances, readers and comment thread."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from store.i18n import _, ngettext
from store.labels import kind_label, stance_label, status_label
from store.model import STANCES, Entry
from store.notebook import Notebook
from store.text import safe_line, safe_text
from tui.text import local_time


def field_label(field: str) -> str:
    """The word for an entry's field, as in "two versions of the title met"."""
    labels = {
        "kind": _("the kind"),
        "title": _("the title"),
        "body": _("the text"),
        "objectives": _("the objectives"),
        "tags": _("the tags"),
        "status": _("the status"),
        "deleted": _("the deletion"),
    }
    return labels.get(field, field)


class EntryView(VerticalScroll, can_focus=True):
    """One entry, read-only; its body is one Rich Markdown renderable, never a widget per block."""

    def __init__(
        self,
        notebook: Notebook,
        *,
        id: str | None = None,  # noqa: A002 — Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.notebook = notebook
        self.entry_id: str | None = None

    def compose(self) -> ComposeResult:
        # One widget for the whole entry: one layout pass when the cursor moves, not seven.
        yield Static(id="entry-content")

    def show(self, entry_id: str | None, *, empty_hint: str = "") -> None:
        """Show the entry ``entry_id`` (or, for None, ``empty_hint``) from the top."""
        if entry_id != self.entry_id:
            self.scroll_home(animate=False, immediate=True)
        self.entry_id = entry_id
        self.refresh_entry(empty_hint=empty_hint)

    def refresh_entry(self, *, empty_hint: str = "") -> None:
        """Draw the shown entry again (it was read, commented, edited, merged...)."""
        content = self.query_one("#entry-content", Static)
        if self.entry_id is None:
            content.update(Text(empty_hint, style="italic"))
            return
        entry = self.notebook.entry(self.entry_id)
        parts: list[RenderableType] = [
            Text(safe_line(entry.title), style="bold"),
            self._meta(entry),
        ]
        if entry.conflicts:
            parts.extend([Text(""), self._conflicts(entry)])
        parts.extend(
            [
                Text(""),
                self._body(entry),
                Text(""),
                self._stances(entry),
                self._readers(entry),
                Text(""),
                self._thread(entry),
            ]
        )
        content.update(Group(*parts))

    def text_lines(self) -> list[str]:
        """The entry as the participant sees it, line by line (for tests and screen readers)."""
        content = self.query_one("#entry-content", Static)
        return [content.render_line(y).text for y in range(content.size.height)]

    def _who(self, participant_id: str) -> str:
        participant = self.notebook.participant(participant_id)
        return safe_line(participant.name if participant else participant_id)

    def _meta(self, entry: Entry) -> Text:
        parts = [kind_label(entry.kind), status_label(entry.status)]
        if entry.objectives:
            parts.append(
                ngettext(
                    "objective {numbers}", "objectives {numbers}", len(entry.objectives)
                ).format(numbers=", ".join(str(n) for n in entry.objectives))
            )
        parts.append(
            _("by {name}, {date}").format(
                name=self._who(entry.author), date=local_time(entry.created)
            )
        )
        if entry.updated != entry.created:
            parts.append(
                _("changed by {name}, {date}").format(
                    name=self._who(entry.updated_by), date=local_time(entry.updated)
                )
            )
        meta = Text(" · ".join(parts), style="dim")
        if entry.tags:
            meta.append("\n")
            meta.append(" ".join("#" + safe_line(tag) for tag in entry.tags), style="italic")
        meta.append("\n")
        meta.append(
            _("id {short_id}").format(short_id=self.notebook.short_id(entry.id)), style="dim"
        )
        if self.notebook.is_unread(entry.id):
            meta.append("  ● " + _("not read yet"), style="bold")
        return meta

    def _conflicts(self, entry: Entry) -> Text:
        fields = ", ".join(sorted({field_label(c.field) for c in entry.conflicts}))
        return Text(
            "⚠ "
            + _("To resolve: two versions of {fields} met during a sync; press x to choose").format(
                fields=fields
            ),
            style="bold",
        )

    def _body(self, entry: Entry) -> RenderableType:
        if not entry.body.strip():
            return Text(_("(no text)"), style="dim italic")
        # Links are shown as text with their address: nothing in a body is ever opened.
        return Markdown(safe_text(entry.body), hyperlinks=False)

    def _stances(self, entry: Entry) -> Text:
        stances = self.notebook.stances(entry.id)
        counts = {stance: 0 for stance in STANCES}
        for stance in stances.values():
            counts[stance] = counts.get(stance, 0) + 1
        line = Text(" · ".join(f"{counts[s]} {stance_label(s)}" for s in STANCES), style="bold")
        mine = stances.get(self.notebook.me or "")
        if mine:
            line.append("   " + _("(you: {stance})").format(stance=stance_label(mine)), style="")
        for stance in STANCES:
            names = sorted(self._who(p) for p, s in stances.items() if s == stance)
            if names:
                line.append("\n  ")
                line.append(
                    _("{stance}: {names}").format(
                        stance=stance_label(stance), names=", ".join(names)
                    ),
                    style="dim",
                )
        return line

    def _readers(self, entry: Entry) -> Text:
        readers = self.notebook.readers(entry.id)
        if not readers:
            return Text(_("Read by nobody yet"), style="dim")
        names = ", ".join(sorted(self._who(p) for p in readers))
        return Text(_("Read by {names}").format(names=names), style="dim")

    def _thread(self, entry: Entry) -> RenderableType:
        items = self.notebook.thread(entry.id)
        heading = Text(
            ngettext("{count} comment", "{count} comments", len(items)).format(count=len(items)),
            style="bold underline",
        )
        if not items:
            return Group(heading, Text(_("No comment yet: press c to write one"), style="dim"))
        parts: list[RenderableType] = [heading]
        for item in items:
            comment = item.comment
            indent = "    " * min(item.depth, 6)
            head = Text(indent)
            head.append(self._who(comment.author), style="bold")
            head.append(
                f" · {local_time(comment.created)} · #{self.notebook.short_id(comment.id)}",
                style="dim",
            )
            if item.depth:
                head.append("  ↳", style="dim")
            body = Text()
            for line in safe_text(comment.body).splitlines() or [""]:
                body.append(indent + "  " + line + "\n")
            body.rstrip()
            parts.extend([Text(""), head, body])
        return Group(*parts)
