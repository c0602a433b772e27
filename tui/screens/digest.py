"""« Depuis ma dernière visite »: what is new for me, grouped by entry, newest first."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from store.digest import DigestItem, describe
from store.display import local_time, participant_name, participant_names
from store.i18n import N_, _, ngettext
from store.notebook import EntryFilter, Notebook
from store.text import safe_line
from tui.messages import ActionAsked
from tui.screens.bindings import TranslatedKeys
from tui.widgets.entry_list import EntryList

if TYPE_CHECKING:
    from tui.app import CarnetApp


class DigestScreen(TranslatedKeys, Screen[str | None]):
    """The participant's digest; choosing an item dismisses with its entry's id."""

    BINDINGS = [
        Binding("escape,q", "close", N_("Close"), id="digest.close"),
    ]

    DEFAULT_CSS = """
    DigestScreen #digest-summary {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    DigestScreen #digest-items {
        height: 1fr;
    }
    """

    def __init__(self, notebook: Notebook, items: list[DigestItem]) -> None:
        super().__init__()
        self.notebook = notebook
        self.items = items

    def compose(self) -> ComposeResult:
        yield Static(Text(_("Since my last visit"), style="bold"), id="digest-title")
        yield Static(Text(waiting_words(len(self.items))), id="digest-summary")
        yield OptionList(*self._options(), id="digest-items")
        yield Footer()

    def _options(self) -> list[Option]:
        names = participant_names(self.notebook.participants())
        options: list[Option] = []
        shown_entry = None
        for number, item in enumerate(self.items):
            if item.entry != shown_entry:
                shown_entry = item.entry
                title = safe_line(self.notebook.entry(item.entry).title)
                options.append(Option(Text(title, style="bold"), disabled=True))
            words = describe(item, participant_name(names, item.author))
            options.append(Option(Text(f"  {local_time(item.time)} · {words}"), id=str(number)))
        return options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self.items:
            options.highlighted = 1  # the first item, under its entry's title

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.items[int(event.option.id)].entry)

    def action_close(self) -> None:
        """Back to the review screen."""
        self.dismiss(None)


class WaitingCount:
    """How many items of the participant's digest wait, counted again when asked (after a
    sync, a save, an entry read); the screen draws it with ``_draw_title``."""

    notebook: Notebook
    waiting = 0
    _counts_asked = 0  # the counts asked for: only the latest is shown

    def _draw_title(self) -> None:
        raise NotImplementedError

    def count_waiting(self) -> None:
        """Count the digest's items again, in a thread; the title line says how many."""
        self._counts_asked += 1
        self._count(self._counts_asked)

    @work(thread=True, group="digest", exit_on_error=False)
    def _count(self, asked: int) -> None:
        # In a thread: 0.1-0.5 s at 10,000 entries, which neither the first frame nor a save
        # must wait for. Not exclusive, so never cancelled under a test's wait: a count that
        # finishes after a later one was asked is dropped instead.
        waiting = self.notebook.digest_count()
        self.app.call_from_thread(self._counted, asked, waiting)  # type: ignore[attr-defined]

    def _counted(self, asked: int, waiting: int) -> None:
        if asked == self._counts_asked:
            self.waiting = waiting
            self._draw_title()


def waiting_words(count: int) -> str:
    """How many items are waiting, in words."""
    if not count:
        return _("Nothing new since your last visit.")
    return ngettext(
        "{count} item since your last visit", "{count} items since your last visit", count
    ).format(count=count)


def open_digest(app: CarnetApp) -> None:
    """Show the digest; the item chosen opens its entry in the review screen, marked read."""
    notebook = app.notebook

    def chosen(entry_id: str | None) -> None:
        if entry_id is not None:
            go_to_entry(app, entry_id)

    app.push_screen(DigestScreen(notebook, notebook.digest()), chosen)


def go_to_entry(app: CarnetApp, entry_id: str) -> None:
    """Put the review screen's cursor on the entry (showing every entry if a filter hides it)
    and mark it read, which marks its items read."""
    review = app.review
    if not review.query_one(EntryList).select(entry_id):
        review.action_clear_filters()
        review.criteria = EntryFilter()
        review.reload_entries(select=entry_id)
    title = safe_line(app.notebook.entry(entry_id).title)
    # The review screen counts the items again once the action is done.
    read = functools.partial(app.notebook.mark_read, entry_id)
    notice = _("Marked as read: {title}").format(title=title)
    review.post_message(ActionAsked(read, notice, entry_id, requester=review))


def announce_digest(app: CarnetApp) -> None:
    """Say in the review screen's title line how many items wait."""
    app.review.count_waiting()
