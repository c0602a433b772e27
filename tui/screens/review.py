"""The main screen: the list of entries beside the selected one, filters and the status line."""

from __future__ import annotations

import gc

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from store.i18n import N_, _, ngettext
from store.notebook import EntryFilter, Notebook
from store.text import safe_line
from tui.messages import NotebookChanged
from tui.screens.bindings import TranslatedKeys
from tui.screens.decisions import decision_details
from tui.screens.digest import WaitingCount
from tui.screens.help import HelpScreen, key_map
from tui.screens.review_actions import ParticipantActions
from tui.screens.review_filters import EntryFiltering
from tui.views import entry_details, entry_row, entry_rows
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView
from tui.widgets.filter_bar import FilterBar, describe_filter, is_filtering
from tui.widgets.status_bar import StatusBar

# Below this width the entry goes under the list instead of beside it.
NARROW_WIDTH = 100
# Seconds the cursor must rest on an entry before it is drawn in full (20-30 ms of work):
# longer than the time between two repeats of a held key (30-40 ms in most terminals, 90 ms
# by default on a Mac), so that holding a key draws only the entry it stops on; short enough
# to feel immediate.
VIEW_DELAY = 0.12
# How many entries left by following links b can come back to.
LINK_HISTORY = 20
# Allocations between two collections of the youngest objects, once the notebook is frozen.
GC_THRESHOLD = 20_000


class ReviewLayout(Screen[None]):
    """The review screen's panes: the notebook's title, the list beside the entry, the status
    line and the keys; the entry goes under the list on a narrow terminal. Also drawn from
    the listing on disk while the notebook opens (``tui.screens.listed.ListingScreen``)."""

    def compose(self) -> ComposeResult:
        yield Static(id="notebook-title")
        with Horizontal(id="panes"):
            yield EntryList(id="entry-list")
            yield EntryView(id="entry-view")
        yield StatusBar(id="status-bar")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")


def title_line(
    title: str, width: int, *, me: str | None = None, read_only: bool = False, waiting: int = 0
) -> Text:
    """The screen's first line: the notebook's ``title``, then ``me`` (my name), whether the
    clone is read-only and how many new items wait; where ``width`` is too short, the title
    is cut, never what follows it."""
    after = Text()
    if me is not None:
        after.append("  ·  " + safe_line(me), style="dim")
    if read_only:
        after.append("  ·  " + _("read-only"), style="bold red")
    if waiting:
        words = ngettext("{count} new item", "{count} new items", waiting)
        after.append("  ·  " + words.format(count=waiting), style="bold")
        after.append(" " + _("(v to see them)"), style="dim")
    line = Text(safe_line(title), style="bold")
    room = width - 2 - after.cell_len  # the line's padding
    if width and line.cell_len > room:
        line.truncate(max(room, 12), overflow="ellipsis")
    return line + after


def warm_up(notebook: Notebook) -> None:
    """Derive what the list's marks and counts and the entry need and the open leaves for
    later: short ids over every entry and comment (a third of a second at 10,000 entries),
    the comments and readings (a second). In a thread: keys answer meanwhile."""
    notebook.short_id("")
    notebook.unread_count()


class ReviewScreen(TranslatedKeys, ParticipantActions, EntryFiltering, WaitingCount, ReviewLayout):
    """Read, mark, take a stance, comment: everything a participant does while reviewing.

    ``warmed``: the notebook's comments and readings are derived already (``warm_up``), so
    the first frame shows them; ``cursor_on``: the entry the cursor starts on.
    """

    BINDINGS = [
        Binding("n", "next_unread", N_("Next unread"), id="review.next_unread"),
        Binding("p", "previous_unread", N_("Previous unread"), id="review.previous_unread"),
        Binding("enter", "open", N_("Read"), id="review.open"),
        Binding("u", "toggle_unread", N_("Read/unread"), id="review.toggle_unread"),
        Binding("1", "stance('agree')", N_("Agree"), show=False, id="review.agree"),
        Binding("2", "stance('question')", N_("Question"), show=False, id="review.question"),
        Binding("3", "stance('disagree')", N_("Disagree"), show=False, id="review.disagree"),
        Binding("4", "stance('abstain')", N_("Abstain"), show=False, id="review.abstain"),
        Binding("5", "stance('block')", N_("Block"), show=False, id="review.block"),
        Binding("0", "stance('')", N_("Withdraw my stance"), show=False, id="review.no_stance"),
        Binding("c", "comment", N_("Add a comment"), id="review.comment"),
        Binding("r", "reply", N_("Reply to a comment"), id="review.reply"),
        Binding("N,ctrl+n", "new_entry", N_("New entry"), id="review.new_entry"),
        Binding("e", "edit", N_("Edit"), id="review.edit"),
        Binding("s", "change_status", N_("Change status"), id="review.status"),
        Binding("d", "open_decision", N_("Put to a decision"), id="review.open_decision"),
        Binding(
            "D", "close_decision", N_("Close the decision"), show=False, id="review.close_decision"
        ),
        Binding("ctrl+d", "decisions", N_("Decisions"), show=False, id="review.decisions"),
        Binding("x", "conflicts", N_("Conflicts"), show=False, id="review.conflicts"),
        Binding("h", "history", N_("History"), show=False, id="review.history"),
        Binding("a", "attachments", N_("Attachments"), show=False, id="review.attachments"),
        Binding("l", "follow_link", N_("Follow a link"), show=False, id="review.follow_link"),
        Binding(
            "b", "link_back", N_("Back to the entry before"), show=False, id="review.link_back"
        ),
        Binding("E", "edit_comment", N_("Edit my comment"), show=False, id="review.edit_comment"),
        Binding(
            "W",
            "withdraw_comment",
            N_("Withdraw my comment"),
            show=False,
            id="review.withdraw_comment",
        ),
        Binding(
            "delete", "delete_entry", N_("Delete the entry"), show=False, id="review.delete_entry"
        ),
        Binding("X", "export", N_("Export the synthesis"), show=False, id="review.export"),
        # Before the keys that follow it reach the list (priority): « /outil » typed in one go
        # searches « outil » rather than running u, l, i… (a slash inside the field is typed).
        Binding("slash", "search", N_("Search"), id="review.search", priority=True),
        Binding("f", "filters", N_("Filters"), id="review.filters"),
        Binding("escape", "clear_filters", N_("Show all"), show=False, id="review.clear"),
        Binding("S,ctrl+s", "app.sync", N_("Sync"), id="review.sync"),
        Binding("L", "app.language", N_("Language"), show=False, id="review.language"),
        Binding("question_mark,f1", "help", N_("Help"), id="review.help"),
    ]

    sync_state: reactive[tuple[str, str]] = reactive(("", ""), init=False, repaint=False)
    """The sync's state in words and their style, as the app describes it."""

    language: reactive[str] = reactive("", init=False, repaint=False)
    """The language everything is shown in: set by the app when the participant changes it."""

    def __init__(
        self, notebook: Notebook, *, warmed: bool = False, cursor_on: str | None = None
    ) -> None:
        super().__init__(id="review")
        self.notebook = notebook
        self._warmed_already = warmed
        self._cursor_on = cursor_on
        self.criteria = EntryFilter()
        self.open_decisions = False  # the filter bar's "open decisions" ticked
        self._view_timer: Timer | None = None
        self._shown: str | None = None
        self._ready = False
        self._thresholds: tuple[int, ...] | None = None
        # The entries left by following links, the latest last: b goes back to them.
        self.link_history: list[str] = []

    # --- layout ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._draw_title()
        entry_list = self.query_one(EntryList)
        # The first frame shows the entries alone, unless they are derived already: their
        # comments and readings (a second to derive at 10,000 entries) follow from the
        # warm-up thread, and the unread count.
        entries = self.notebook.entries(self.criteria)
        readings = self._warmed_already
        entry_list.set_rows(entry_rows(self.notebook, entries, readings=readings))
        if self._cursor_on is not None:
            entry_list.select(self._cursor_on)
        entry_list.focus()
        if readings:
            self._warmed()
        else:
            self.update_status_bar()
            self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        # So that the list is usable at once and its marks, counts and the entry follow.
        warm_up(self.notebook)
        self.app.call_from_thread(self._warmed)

    def _warmed(self) -> None:
        self._ready = True
        entry_list = self.query_one(EntryList)
        if not entry_list.rows.readings:  # a filter may have come first, with them
            entry_list.set_rows(entry_rows(self.notebook, entry_list.rows.entries))
        self.update_status_bar()
        self._show_current()
        self.call_after_refresh(self._freeze)

    def _freeze(self) -> None:
        # The notebook's objects (some 200,000 at 10,000 entries) live as long as the app:
        # moved out of the collector's sight, they are no longer walked by every full
        # collection, which the drawing's many small objects set off (30 ms a cursor step).
        gc.freeze()
        # Drawing makes thousands of short-lived objects a step (Textual gives each line of
        # the screen seven small caches); counted 700 at a time, they set off a collection
        # every few keys and a full one every few entries shown (30-90 ms). Nearly all of
        # them are freed by their reference count anyway: count further before looking.
        self._thresholds = gc.get_threshold()
        gc.set_threshold(GC_THRESHOLD, *self._thresholds[1:])

    def on_unmount(self) -> None:
        # Back in the collector's sight: whatever cyclic garbage was frozen with them goes.
        gc.unfreeze()
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)

    def on_resize(self, event: events.Resize) -> None:
        self._draw_title()  # after ReviewLayout's own: Textual calls both

    # --- what is shown ---------------------------------------------------------------------

    def _draw_title(self) -> None:
        me = self.notebook.me_participant
        line = title_line(
            self.notebook.info.title,
            self.size.width,
            me=me.name if me is not None else None,
            read_only=self.notebook.read_only,
            waiting=self.waiting,
        )
        self.query_one("#notebook-title", Static).update(line)

    def update_status_bar(self) -> None:
        """Redraw the status line's unread count, filter and warnings."""
        notes: list[str] = []
        problems = len(self.notebook.problems)
        if problems:
            notes.append(
                _("{count} unreadable file(s) skipped: run carnet doctor").format(count=problems)
            )
        if self.notebook.me is None:
            notes.append(_("you are not a participant of this notebook: run carnet join"))
        self.query_one(StatusBar).show_state(
            unread=self.notebook.unread_count() if self._ready else None,
            filter_words=describe_filter(
                self.criteria, self.notebook, open_decisions=self.open_decisions
            ),
            notes=notes,
        )

    @property
    def current_id(self) -> str | None:
        """The id of the entry under the cursor."""
        return self.query_one(EntryList).current_id

    @on(EntryList.Highlighted)
    def _highlighted(self, event: EntryList.Highlighted) -> None:
        # The entry is drawn when the cursor pauses: holding a key down moves the cursor at
        # once and draws only the entry it stops on.
        if self._view_timer is not None:
            self._view_timer.stop()
        self._view_timer = self.set_timer(VIEW_DELAY, self._show_current)

    def _show_current(self) -> None:
        self._view_timer = None
        if not self._ready:
            return
        entry_id = self.current_id
        if entry_id is None:
            hint = (
                _("No entry matches: escape shows them all")
                if is_filtering(self.criteria, open_decisions=self.open_decisions)
                else _("The notebook is empty: press N to write the first entry")
            )
            self.query_one(EntryView).show(None, empty_hint=hint)
        else:
            details = entry_details(self.notebook, entry_id)
            decision = decision_details(self.notebook, details.entry)
            view = self.query_one(EntryView)
            # Its links come from a thread (find_links): drawn again, an entry keeps its own.
            view.show(
                details, decision=decision, links=view.links if view.entry_id == entry_id else None
            )
            self.find_links(entry_id)
        self._shown = entry_id

    @on(EntryList.Opened)
    def _opened(self, event: EntryList.Opened) -> None:
        self.action_open()

    @on(EntryView.LinkClicked)
    def _link_clicked(self, event: EntryView.LinkClicked) -> None:
        self.follow(event.entry_id)

    def follow(self, entry_id: str) -> None:
        """Show the entry a link leads to; b comes back to this one."""
        current = self.current_id
        if current is not None and current != entry_id:
            self.link_history = [*self.link_history, current][-LINK_HISTORY:]
        self.go_to(entry_id)

    def action_link_back(self) -> None:
        """Back to the entry shown before the last link followed."""
        if not self.link_history:
            self.notify(_("No link followed to come back from"), timeout=3)
            return
        *self.link_history, entry_id = self.link_history
        self.go_to(entry_id)

    def entry_changed(self, entry_id: str | None) -> None:
        """Draw again what shows an entry after it changed here or in a sync."""
        if entry_id is not None:
            self.query_one(EntryList).refresh_row(
                entry_row(self.notebook, self.notebook.entry(entry_id))
            )
            if entry_id == self._shown:
                self._show_current()
        self.update_status_bar()
        self.count_waiting()

    def reload_entries(self, *, select: str | None = None) -> None:
        """List the entries again (after a sync or a new entry), keeping the filter."""
        self._select_after_filter = select
        self._filter(self.criteria)

    def go_to(self, entry_id: str) -> None:
        """Put the cursor on ``entry_id``, showing every entry again if a filter hides it."""
        if self.query_one(EntryList).select(entry_id):
            return
        self.action_clear_filters()
        self.criteria = EntryFilter()
        self.open_decisions = False
        self.reload_entries(select=entry_id)

    def watch_sync_state(self, state: tuple[str, str]) -> None:
        self.query_one(StatusBar).show_state(sync=state)

    async def watch_language(self) -> None:
        await self.relabel()

    @on(NotebookChanged)
    def _notebook_changed(self) -> None:
        self.reload_entries()

    async def relabel(self) -> None:
        """Draw everything again in the language just chosen."""
        for old_bar in self.query(FilterBar):
            new_bar = self._new_filter_bar()
            new_bar.display = old_bar.display
            # Removed before the new one comes: two widgets may not share the id meanwhile.
            await old_bar.remove()
            await self.mount(new_bar, after="#notebook-title")
        self._draw_title()
        self.query_one(EntryList).refresh_all()
        self._show_current()
        self.update_status_bar()
        self.app.refresh_bindings()

    # --- moving ---------------------------------------------------------------------------

    def action_next_unread(self) -> None:
        """Move to the next unread entry."""
        self._to_unread(forward=True)

    def action_previous_unread(self) -> None:
        """Move to the previous unread entry."""
        self._to_unread(forward=False)

    def _to_unread(self, *, forward: bool) -> None:
        entry_list = self.query_one(EntryList)
        found = entry_list.find_unread(forward)
        if found is None:
            self.notify(_("Nothing left to read here"), timeout=3)
            return
        entry_list.select(found)

    # --- help ------------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        self.app.push_screen(HelpScreen(self.help_sections()))

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The key map for the help screen, grouped, in the current language."""
        return key_map(self.app, [*self.BINDINGS, *EntryList.BINDINGS])
