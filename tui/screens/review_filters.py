"""The review screen's filters: the search and the filter bar, shown on demand, and the list
drawn again for what they choose (in a thread: the notebook's lock may be held by a sync)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import Input

from store.notebook import EntryFilter, Notebook
from tui.messages import EntriesFiltered
from tui.mixins import ScreenMixin
from tui.views import entry_rows
from tui.widgets.entry_decision import is_deciding
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView
from tui.widgets.filter_bar import FilterBar


class EntryFiltering(ScreenMixin):
    """Mixin for the review screen: ``/`` and ``f``, the filter bar and the filtered list."""

    notebook: Notebook
    criteria: EntryFilter
    open_decisions: bool
    _shown: str | None

    if TYPE_CHECKING:  # the review screen's own, and WaitingCount's: never shadowed here

        def _show_current(self) -> None: ...

        def update_status_bar(self) -> None: ...

        def count_waiting(self) -> None: ...

    _select_after_filter: str | None = None

    # Handlers by name, not @on: Textual collects @on in its own classes only, not a mixin's.
    def on_filter_bar_changed(self, event: FilterBar.Changed) -> None:
        self.criteria = event.criteria
        self.open_decisions = event.open_decisions
        self._filter(event.criteria)

    @work(thread=True, exclusive=True, group="filter", exit_on_error=False)
    def _filter(self, criteria: EntryFilter) -> None:
        # In a thread: the notebook's lock may be held by a sync for a while.
        rows = entry_rows(self.notebook, self.notebook.entries(criteria))
        self.post_message(EntriesFiltered(criteria, rows))

    def on_entries_filtered(self, message: EntriesFiltered) -> None:
        if message.criteria != self.criteria:
            return  # an older query that finished late
        # Names, short ids or reviews of any entry may have changed (a sync): draw anew.
        self.query_one(EntryView).forget()
        entry_list = self.query_one(EntryList)
        rows = message.rows
        if self.open_decisions:
            rows = entry_rows(self.notebook, [e for e in rows.entries if is_deciding(e)])
        entry_list.set_rows(rows)
        if self._select_after_filter is not None:
            entry_list.select(self._select_after_filter)
            self._select_after_filter = None
        if self._shown is not None and self._shown == entry_list.current_id:
            self._show_current()
        self.update_status_bar()
        self.count_waiting()  # a sync, a save or another window may have brought news

    async def _filter_bar(self) -> FilterBar:
        # Made on first use: its choices cost a tenth of a second to build at 10,000 entries.
        bars = self.query(FilterBar)
        if bars:
            bar = bars.first()
        else:
            bar = self._new_filter_bar()
            await self.mount(bar, after="#notebook-title")
        bar.display = True
        return bar

    def _new_filter_bar(self) -> FilterBar:
        return FilterBar(
            self.notebook, self.criteria, open_decisions=self.open_decisions, id="filter-bar"
        )

    async def action_search(self) -> None:
        """Search titles, texts and comments as you type."""
        if isinstance(self.focused, Input):
            self.focused.insert_text_at_cursor("/")
            return
        (await self._filter_bar()).focus_search()

    async def action_filters(self) -> None:
        """Show the filters (kind, objective, status, tag, unread, to resolve, open decisions)."""
        (await self._filter_bar()).focus_choices()

    def action_clear_filters(self) -> None:
        """Show every entry again and hide the filters."""
        for bar in self.query(FilterBar):
            if bar.criteria != EntryFilter() or bar.open_decisions:
                bar.clear()
            bar.display = False
        self.query_one(EntryList).focus()
