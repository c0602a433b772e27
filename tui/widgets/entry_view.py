"""The selected entry in full: title, meta line, its decision, body, stances, readers and
comment thread."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.padding import Padding
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.display import field_label, local_time
from store.i18n import _, current_language, ngettext
from store.labels import kind_label, stance_label, status_label
from store.model import STANCES, Entry
from store.text import safe_line, safe_text
from tui.views import EntryDetails
from tui.widgets.entry_decision import (
    DecisionDetails,
    append_names,
    decision_block,
    stance_counts,
)
from tui.widgets.entry_links import LinkDetails, link_text

# Entries kept drawn (a few screens of cursor moves) and bodies kept rendered.
ENTRY_CACHE = 64
BODY_CACHE = 256


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

    class LinkClicked(Message):
        """A link of the entry (or a backlink) was clicked: show the entry it leads to."""

        def __init__(self, entry_id: str) -> None:
            super().__init__()
            self.entry_id = entry_id

    def __init__(
        self,
        *,
        id: str | None = None,  # noqa: A002 — Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.details: EntryDetails | None = None
        self.decision: DecisionDetails | None = None
        self.links: LinkDetails | None = None
        self._empty_hint = ""
        self._lines: list[Strip] = []
        # The entry a line leads to, by the line's index: its links and backlinks.
        self._link_rows: dict[int, str] = {}
        # Entries drawn without their links, by everything that drawing depends on (see
        # _signature): the links come from a thread after the entry is first shown, and the
        # rest is not rendered again when they arrive.
        self._entries: dict[tuple[object, ...], tuple[list[Strip], list[Strip]]] = {}
        # Rendered bodies by (text, width): Markdown is the costly part, and text is text.
        self._bodies: dict[tuple[str, int], list[Strip]] = {}

    # --- what is shown ---------------------------------------------------------------------

    @property
    def entry_id(self) -> str | None:
        """The id of the entry shown."""
        return self.details.entry.id if self.details is not None else None

    def show(
        self,
        details: EntryDetails | None,
        *,
        decision: DecisionDetails | None = None,
        links: LinkDetails | None = None,
        empty_hint: str = "",
    ) -> None:
        """Show an entry (or, for None, ``empty_hint``), with its ``decision`` if it is put to
        one and its ``links``; another entry is shown from the top."""
        if details is None or details.entry.id != self.entry_id:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.details = details
        self.decision = decision
        self.links = links
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
        elif self.details is None:
            self._lines = self._to_strips(Text(self._empty_hint, style="italic"), width)
            self._link_rows = {}
        else:
            key = (*self._signature(self.details, width), self.decision, date.today())
            drawn = self._entries.get(key)
            if drawn is None:
                drawn = self._render_entry(self.details, width)
                if len(self._entries) >= ENTRY_CACHE:
                    del self._entries[next(iter(self._entries))]
                self._entries[key] = drawn
            above, below = drawn
            link_lines, link_rows = self._links_lines(len(above), width)
            lines = [*above, *link_lines, *below]
            if lines == self._lines and link_rows == self._link_rows:
                return  # an entry without links, its links found: the same lines, no repaint
            self._lines, self._link_rows = lines, link_rows
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

    @staticmethod
    def _signature(details: EntryDetails, width: int) -> tuple[object, ...]:
        """What an entry's drawing depends on: if none of it changed, neither did the lines."""
        entry = details.entry
        # The entry itself is left out (a peer's conflicting value may be a list, which has
        # no hash): when it changes, so does its ``updated`` time.
        return (
            entry.id,
            entry.updated,
            entry.status,
            len(entry.conflicts),
            details.short_id,
            details.unread,
            details.author,
            details.updated_by,
            details.stances,
            details.my_stance,
            details.readers,
            details.thread,
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

    def _render_entry(self, details: EntryDetails, width: int) -> tuple[list[Strip], list[Strip]]:
        """The entry's lines above its links (title, meta, decision, body) and below them
        (stances, readers, the thread)."""
        entry = details.entry
        head: list[RenderableType] = [
            Text(safe_line(entry.title), style="bold"),
            self._meta(details),
        ]
        if entry.conflicts:
            head.extend([Text(""), self._conflicts(entry)])
        if self.decision is not None:
            head.extend([Text(""), decision_block(self.decision)])
        head.append(Text(""))
        tail: list[RenderableType] = [
            Text(""),
            self._stances(details),
            self._readers(details),
            Text(""),
            self._thread(details),
        ]
        above = [*self._to_strips(Group(*head), width), *self._body_lines(entry, width)]
        return above, self._to_strips(Group(*tail), width)

    def _links_lines(self, first: int, width: int) -> tuple[list[Strip], dict[int, str]]:
        """The lines of the links and backlinks, the first of them at line ``first`` of the
        view, and the entry each of their lines leads to."""
        lines: list[Strip] = []
        link_rows: dict[int, str] = {}
        if self.links is None:
            return lines, link_rows
        for heading, items in (
            (_("Links"), self.links.links),
            (_("Cited by"), self.links.cited_by),
        ):
            if not items:
                continue
            lines.extend(self._to_strips(Group(Text(""), Text(heading, style="bold")), width))
            for item in items:
                # Wrapped where the view is narrow: each of its lines leads there.
                strips = self._to_strips(link_text(item), width)
                if item.found and item.target is not None:
                    row = first + len(lines)
                    link_rows.update(dict.fromkeys(range(row, row + len(strips)), item.target))
                lines.extend(strips)
        return lines, link_rows

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

    def on_click(self, event: events.Click) -> None:
        target = self._link_rows.get(self.scroll_offset.y + event.y)
        if target is not None:
            self.post_message(self.LinkClicked(target))

    def link_rows(self) -> dict[int, str]:
        """The entry each link line leads to, by the line's index (see ``text_lines``)."""
        return dict(self._link_rows)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self.virtual_size.width:
            self._draw()

    def _meta(self, details: EntryDetails) -> Text:
        entry = details.entry
        parts = [kind_label(entry.kind), status_label(entry.status)]
        if entry.objectives:
            parts.append(
                ngettext(
                    "objective {numbers}", "objectives {numbers}", len(entry.objectives)
                ).format(numbers=", ".join(str(n) for n in entry.objectives))
            )
        parts.append(
            _("by {name}, {date}").format(name=details.author, date=local_time(entry.created))
        )
        if entry.updated != entry.created:
            parts.append(
                _("changed by {name}, {date}").format(
                    name=details.updated_by, date=local_time(entry.updated)
                )
            )
        meta = Text(" · ".join(parts), style="dim")
        if entry.tags:
            meta.append("\n")
            meta.append(" ".join("#" + safe_line(tag) for tag in entry.tags), style="italic")
        meta.append("\n")
        meta.append(_("id {short_id}").format(short_id=details.short_id), style="dim")
        if details.unread:
            # Read once, then changed or commented on: "unread" beside "read by <me>" would
            # say both at once.
            news = _("new since you read it") if details.read_before else _("not read yet")
            meta.append("  ● " + news, style="bold")
        return meta

    def _conflicts(self, entry: Entry) -> Text:
        fields = ", ".join(sorted({field_label(c.field) for c in entry.conflicts}))
        return Text(
            "⚠ "
            + _("To resolve ({fields}): two versions met during a sync; press x to choose").format(
                fields=fields
            ),
            style="bold",
        )

    def _body(self, entry: Entry) -> RenderableType:
        if not entry.body.strip():
            return Text(_("(no text)"), style="dim italic")
        # Links are shown as text with their address: nothing in a body is ever opened.
        return Markdown(safe_text(entry.body), hyperlinks=False)

    def _stances(self, details: EntryDetails) -> Text:
        counts = {stance: 0 for stance in STANCES}
        for _name, stance in details.stances:
            counts[stance] = counts.get(stance, 0) + 1
        line = Text(stance_counts(counts), style="bold")
        if details.my_stance:
            line.append(
                "   " + _("(you: {stance})").format(stance=stance_label(details.my_stance)),
                style="",
            )
        append_names(line, details.stances)
        return line

    def _readers(self, details: EntryDetails) -> Text:
        if not details.readers:
            return Text(_("Read by nobody yet"), style="dim")
        return Text(_("Read by {names}").format(names=", ".join(details.readers)), style="dim")

    def _thread(self, details: EntryDetails) -> RenderableType:
        items = details.thread
        heading = Text(
            ngettext("{count} comment", "{count} comments", len(items)).format(count=len(items)),
            style="bold underline",
        )
        if not items:
            return Group(heading, Text(_("No comment yet: press c to write one"), style="dim"))
        parts: list[RenderableType] = [heading]
        for comment in items:
            indent = "    " * min(comment.depth, 6)
            head = Text(indent)
            head.append(comment.author, style="bold")
            head.append(f" · {local_time(comment.created)} · #{comment.short_id}", style="dim")
            if comment.depth:
                head.append("  ↳", style="dim")
            text = (
                Text(_("comment withdrawn"), style="dim italic")
                if comment.withdrawn
                else Text(safe_text(comment.body))
            )
            # Padding, not leading spaces: a long line wraps under its own first word.
            body = Padding(text, (0, 0, 0, len(indent) + 2))
            parts.extend([Text(""), head, body])
        return Group(*parts)
