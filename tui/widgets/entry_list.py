"""The list of entries: one line per entry, drawn only where it shows, fast at 10,000 rows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from store.display import local_time
from store.i18n import N_, _
from store.labels import status_label
from store.text import safe_line
from tui.views import EntryRow, EntryRows
from tui.widgets.entry_decision import is_deciding, short_time_left
from tui.widgets.list_columns import (
    Column,
    column_labels,
    fitted_widths,
    layout,
    row_measures,
    short_kind_label,
    stance_signs,
)

# From this width the title of an entry put to a decision starts with its time left ("J-3").
DECISION_TITLE_WIDTH = 26
CACHE_LIMIT = 400


class EntryList(ScrollView, can_focus=True):
    """Entries as lines of cells, with a fixed header; only visible lines are ever drawn.

    A ``DataTable`` or ``OptionList`` lays out every row up front (about two seconds for 10,000
    entries); this widget draws a line when it is shown, so its cost follows the screen height.
    """

    BINDINGS = [
        Binding("up,k", "cursor_up", N_("Previous entry"), show=False, id="list.up"),
        Binding("down,j", "cursor_down", N_("Next entry"), show=False, id="list.down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="list.page_up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="list.page_down"),
        Binding("home", "first", N_("First entry"), show=False, id="list.first"),
        Binding("end", "last", N_("Last entry"), show=False, id="list.last"),
    ]

    # Lines are cut to the width: a horizontal scrollbar would only hide the last entry.
    DEFAULT_CSS = """
    EntryList {
        overflow-x: hidden;
    }
    """

    COMPONENT_CLASSES = {
        "entry-list--header",
        "entry-list--cursor",
        "entry-list--unread",
        "entry-list--marker",
        "entry-list--conflict",
        "entry-list--dim",
    }

    cursor: reactive[int] = reactive(0, init=False, repaint=False)
    """The index of the highlighted entry among the rows."""

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto another entry (``None``: the list is empty)."""

        entry_list: EntryList
        entry_id: str | None

        @property
        def control(self) -> EntryList:
            return self.entry_list

    @dataclass
    class Opened(Message):
        """The participant double-clicked an entry to read it."""

        entry_list: EntryList
        entry_id: str

        @property
        def control(self) -> EntryList:
            return self.entry_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 — Textual's own parameter name
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.rows = EntryRows()
        self._cache: dict[tuple[str, int, bool, bool], Strip] = {}
        self._columns: list[Column] = []
        self._columns_width = -1

    # --- data ------------------------------------------------------------------------------

    @property
    def current_id(self) -> str | None:
        """The id of the highlighted entry."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows.id_at(self.cursor)
        return None

    def set_rows(self, rows: EntryRows) -> None:
        """Show ``rows``, keeping the cursor on the same entry when it is still there."""
        keep = self.current_id
        self.rows = rows
        self._columns_width = -1  # the room the titles need may have changed
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        position = rows.positions.get(keep, 0) if keep else 0
        old = self.cursor
        self.set_reactive(EntryList.cursor, min(position, max(len(rows) - 1, 0)))
        self._scroll_cursor_into_view()
        self.refresh()
        if self.current_id != keep or old != self.cursor or not rows:
            self.post_message(self.Highlighted(self, self.current_id))

    def refresh_row(self, row: EntryRow) -> None:
        """Draw an entry again after it changed (read, stance, edit, new comment...)."""
        entry_id = row.entry.id
        position = self.rows.replace(row)
        if position is None:
            return
        for key in [k for k in self._cache if k[0] == entry_id]:
            del self._cache[key]
        self.refresh_line(position + 1)

    def refresh_all(self) -> None:
        """Draw every line again (the language changed)."""
        self._cache.clear()
        self._columns_width = -1
        self.refresh()

    def select(self, entry_id: str) -> bool:
        """Put the cursor on ``entry_id``; tell whether it is in the list."""
        position = self.rows.positions.get(entry_id)
        if position is None:
            return False
        self.cursor = position
        return True

    def find_unread(self, forward: bool) -> str | None:
        """The next (or previous) unread entry after the cursor, going round the list once."""
        count = len(self.rows)
        step = 1 if forward else -1
        for offset in range(1, count + 1):
            position = (self.cursor + step * offset) % count
            if self.rows.is_unread(position):
                return self.rows.id_at(position)
        return None

    # --- drawing ---------------------------------------------------------------------------

    def _layout(self, width: int) -> list[Column]:
        """The columns that fit in ``width`` cells for the rows shown (kept until either
        changes)."""
        if width != self._columns_width:
            self._columns = layout(width, fitted_widths(row_measures(self.rows)))
            self._columns_width = width
        return self._columns

    def _header_text(self, columns: list[Column]) -> Text:
        labels = column_labels()
        return self._assemble((Text(labels[c.name]), c) for c in columns)

    def _cells(self, row: EntryRow, title_width: int) -> dict[str, Text]:
        entry = row.entry
        marker_style = self.get_component_rich_style("entry-list--marker", partial=True)
        deciding = is_deciding(entry)
        title = Text(safe_line(entry.title))
        if entry.decision is not None and deciding and title_width >= DECISION_TITLE_WIDTH:
            title = Text.assemble((short_time_left(entry.decision) + " ", marker_style), title)
        if entry.conflicts:
            status = Text(
                "⚠ " + _("to resolve"),
                style=self.get_component_rich_style("entry-list--conflict", partial=True),
            )
        else:
            status = Text(status_label(entry.status))
        count = row.comments
        return {
            "marker": Text(("●" if row.unread else " ") + ("⚖" if deciding else ""), marker_style),
            "title": title,
            "kind": Text(short_kind_label(entry.kind)),
            # The day only: the time of day would crowd out the title.
            "activity": Text(local_time(row.activity).split(" ")[0]),
            "stances": Text(stance_signs(row.stances)),
            "author": Text(row.author),
            "objectives": Text(",".join(str(n) for n in entry.objectives)),
            "status": status,
            "comments": Text(str(count) if count else "·"),
        }

    @staticmethod
    def _assemble(cells: object) -> Text:
        line = Text(no_wrap=True, end="")
        for text, column in cells:  # type: ignore[attr-defined]
            text.truncate(column.width, overflow="ellipsis", pad=column.justify != "right")
            if column.justify == "right":
                text.align("right", column.width)
            line.append_text(text)
            line.append(" ")
        return line

    def render_line(self, y: int) -> Strip:
        """Line 0 is the header; the others show the entries from the scroll position down."""
        width = self.size.width
        columns = self._layout(width)
        if y == 0:
            style = self.get_component_rich_style("entry-list--header")
            return self._strip(self._header_text(columns), width, style)
        position = self.scroll_offset.y + y - 1
        if position >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        selected = position == self.cursor
        key = (self.rows.id_at(position), width, selected, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            row = self.rows[position]
            title_width = next((c.width for c in columns if c.name == "title"), 0)
            cells = self._cells(row, title_width)
            base = self.rich_style
            if row.unread:
                base += self.get_component_rich_style("entry-list--unread", partial=True)
            if selected:
                cursor_style = self.get_component_rich_style("entry-list--cursor")
                if not self.has_focus:
                    cursor_style += self.get_component_rich_style("entry-list--dim", partial=True)
                base += cursor_style
            line = self._assemble((cells[c.name], c) for c in columns)
            strip = self._strip(line, width, base)
            if len(self._cache) > CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = strip
        return strip

    def _strip(self, line: Text, width: int, style: Style) -> Strip:
        segments = [
            Segment(s.text, style + s.style if s.style else style)
            for s in line.render(self.app.console, end="")
        ]
        return Strip(segments).crop_extend(0, width, style)

    # --- cursor ----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        for position in (old, new):
            if 0 <= position < len(self.rows):
                self.refresh_line(position + 1)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self, self.current_id))

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(self.size.height - 1, 1)
        top = int(self.scroll_offset.y)
        if top <= self.cursor < top + visible:
            return
        # A cursor leaving the screen brings its entry to the middle, half a screen along
        # (as ``scrolljump`` does in vim): moving the list draws every line of it and its
        # scrollbar again (8 ms), so a held key now does it once every twenty lines, not at
        # every step, and the entries ahead show.
        self.scroll_to(y=max(self.cursor - visible // 2, 0), animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self._scroll_cursor_into_view()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        position = int(self.scroll_offset.y) + event.y - 1
        if 0 <= position < len(self.rows):
            self.cursor = position
            if event.chain >= 2:
                self.post_message(self.Opened(self, self.rows.id_at(position)))

    # --- actions ---------------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        """Move to the entry above."""
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        """Move to the entry below."""
        self.cursor += 1

    def action_page_up(self) -> None:
        """Move up by one screen."""
        self.cursor -= max(self.size.height - 2, 1)

    def action_page_down(self) -> None:
        """Move down by one screen."""
        self.cursor += max(self.size.height - 2, 1)

    def action_first(self) -> None:
        """Move to the first entry."""
        self.cursor = 0

    def action_last(self) -> None:
        """Move to the last entry."""
        self.cursor = len(self.rows) - 1
