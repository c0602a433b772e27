"""The selected entry in full: title, meta line, body, stances, readers and comment thread."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.display import local_time
from store.i18n import _, current_language, ngettext
from store.labels import kind_label, stance_label, status_label
from store.model import STANCES, Entry
from store.notebook import Notebook
from store.text import safe_line, safe_text

# Entries kept drawn (a few screens of cursor moves) and bodies kept rendered.
ENTRY_CACHE = 64
BODY_CACHE = 256


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


class EntryView(ScrollView, can_focus=True):
    """One entry, read-only, drawn line by line: only the lines on screen reach the compositor.

    The entry is rendered once with Rich into lines (``Strip``s) at the view's width and kept in
    a small cache, so coming back to an entry costs nothing. Its height only sets the scroll
    range: unlike a ``Static`` of automatic height, showing another entry never makes Textual
    measure and lay out the whole screen again.
    """

    DEFAULT_CSS = """
    EntryView {
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    """

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
        self._empty_hint = ""
        self._lines: list[Strip] = []
        # Whole entries by everything their drawing depends on (see _signature).
        self._entries: dict[tuple[object, ...], list[Strip]] = {}
        # Rendered bodies by (text, width): Markdown is the costly part, and text is text.
        self._bodies: dict[tuple[str, int], list[Strip]] = {}

    # --- what is shown ---------------------------------------------------------------------

    def show(self, entry_id: str | None, *, empty_hint: str = "") -> None:
        """Show the entry ``entry_id`` (or, for None, ``empty_hint``) from the top."""
        if entry_id != self.entry_id:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.entry_id = entry_id
        self._empty_hint = empty_hint
        self._draw()

    def refresh_entry(self, *, empty_hint: str = "") -> None:
        """Draw the shown entry again (it was read, commented, edited, merged...)."""
        self.forget()
        self._empty_hint = empty_hint
        self._draw()

    def forget(self) -> None:
        """Drop the drawn entries, not the bodies (after a sync or a change of language)."""
        self._entries.clear()

    def text_lines(self) -> list[str]:
        """The entry as the participant sees it, line by line (for tests and screen readers)."""
        return [line.text for line in self._lines]

    def _draw(self) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            self._lines = []  # not laid out yet: on_resize draws it
        elif self.entry_id is None:
            self._lines = self._to_strips(Text(self._empty_hint, style="italic"), width)
        else:
            entry = self.notebook.entry(self.entry_id)
            key = self._signature(entry, width)
            lines = self._entries.get(key)
            if lines is None:
                lines = self._render_entry(entry, width)
                if len(self._entries) >= ENTRY_CACHE:
                    del self._entries[next(iter(self._entries))]
                self._entries[key] = lines
            self._lines = lines
        # One blank line under the text, so its end never touches the bottom edge.
        self._set_virtual_size(Size(width, len(self._lines) + 1))
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        # Assigning ``virtual_size`` lays out the whole screen again, yet the view keeps its
        # place and size: only its scrollbar needs the new height. Showing or hiding the
        # scrollbar still asks for a layout (``show_vertical_scrollbar`` does that itself).
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)

    def _signature(self, entry: Entry, width: int) -> tuple[object, ...]:
        """What an entry's drawing depends on: if none of it changed, neither did the lines."""
        notebook = self.notebook
        return (
            entry.id,
            entry.updated,
            entry.status,
            len(entry.conflicts),
            notebook.comment_count(entry.id),
            notebook.is_unread(entry.id),
            tuple(sorted(notebook.stances(entry.id).items())),
            tuple(notebook.readers(entry.id)),
            notebook.me,
            current_language(),
            width,
        )

    def _to_strips(self, renderable: RenderableType, width: int) -> list[Strip]:
        options = self.app.console_options.update(highlight=False, width=width, height=None)
        segments = self.app.console.render(renderable, options)
        return [
            Strip(line)
            for line in Segment.split_and_crop_lines(
                segments, width, include_new_lines=False, pad=False
            )
        ]

    def _render_entry(self, entry: Entry, width: int) -> list[Strip]:
        head: list[RenderableType] = [Text(safe_line(entry.title), style="bold"), self._meta(entry)]
        if entry.conflicts:
            head.extend([Text(""), self._conflicts(entry)])
        head.append(Text(""))
        tail: list[RenderableType] = [
            Text(""),
            self._stances(entry),
            self._readers(entry),
            Text(""),
            self._thread(entry),
        ]
        return [
            *self._to_strips(Group(*head), width),
            *self._body_lines(entry, width),
            *self._to_strips(Group(*tail), width),
        ]

    def _body_lines(self, entry: Entry, width: int) -> list[Strip]:
        key = (entry.body, width)
        lines = self._bodies.get(key)
        if lines is None:
            lines = self._to_strips(self._body(entry), width)
            if len(self._bodies) >= BODY_CACHE:
                del self._bodies[next(iter(self._bodies))]
            self._bodies[key] = lines
        return lines

    # --- drawing ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """The line ``y`` of the view, counted from the scroll position."""
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        style = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[index].crop_extend(0, width, style).apply_style(style)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self.virtual_size.width:
            self._draw()

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
            # Padding, not leading spaces: a long line wraps under its own first word.
            body = Padding(Text(safe_text(comment.body)), (0, 0, 0, len(indent) + 2))
            parts.extend([Text(""), head, body])
        return Group(*parts)
