"""The review screen as the listing on disk holds it, drawn while the notebook opens: a small
file against the cache's tens of megabytes, so the list shows before the notebook is open."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.binding import Binding
from textual.widgets import Static

from store.i18n import _
from store.listing import Frame
from tui.screens.bindings import TranslatedKeys
from tui.screens.review import ReviewLayout, ReviewScreen, title_line
from tui.views import listed_rows
from tui.widgets.entry_list import EntryList
from tui.widgets.entry_view import EntryView
from tui.widgets.status_bar import StatusBar


class ListingScreen(TranslatedKeys, ReviewLayout):
    """The review screen as the listing on disk (``store.listing``) shows it, while the
    notebook opens: the entries with their kind, status, author and unread marks, the unread
    count. The cursor, ``ctrl+q`` and ``ctrl+p`` answer; the review screen's other keys say
    that the notebook is still opening (they need it). ``hand_over`` puts the review screen
    in its place once the notebook is open.

    The listing is shown only when it is up to date (``store.listing.start_frame``: HEAD and
    the files it is made of as it was written): the notebook's own title and my name, read
    from their files, are then those of that commit too.
    """

    BINDINGS = [
        replace(binding, action="not_yet")
        for binding in ReviewScreen.BINDINGS
        if isinstance(binding, Binding)
    ]

    def __init__(self, frame: Frame, title: str, me: str | None, drawn: Callable[[], None]) -> None:
        super().__init__(id="listing")
        self.frame = frame
        self.notebook_title = title
        self.me = me
        self._drawn = drawn
        self._review: Callable[[], ReviewScreen] | None = None

    def on_mount(self) -> None:
        entry_list = self.query_one(EntryList)
        entry_list.set_rows(listed_rows(self.frame))
        entry_list.focus()
        self.query_one(EntryView).show(None, empty_hint=_("Opening the notebook…"))
        self.query_one(StatusBar).show_state(unread=len(self.frame.unread))
        self._draw_title()
        self.call_after_refresh(self._drawn)

    def on_resize(self, event: events.Resize) -> None:
        self._draw_title()

    def _draw_title(self) -> None:
        line = title_line(self.notebook_title, self.size.width, me=self.me)
        self.query_one("#notebook-title", Static).update(line)

    @property
    def current_id(self) -> str | None:
        """The id of the entry under the cursor."""
        return self.query_one(EntryList).current_id

    def action_not_yet(self) -> None:
        """A key that needs the notebook, pressed before it is open."""
        self.notify(_("The notebook is still opening: this key works in a moment."), timeout=3)

    def hand_over(self, review: Callable[[], ReviewScreen]) -> None:
        """Put the screen ``review()`` makes in this one's place: now, or once the screen over
        this one (the command palette, a notice) is closed."""
        self._review = review
        if self.app.screen is self:
            self._switch()

    def on_screen_resume(self) -> None:
        if self._review is not None:
            self._switch()

    def _switch(self) -> None:
        assert self._review is not None
        review, self._review = self._review, None
        self.app.switch_screen(review())


def listed_names(root: Path, me: str | None) -> tuple[str, str | None]:
    """The notebook's title and the name of ``me`` (a participant's id), read from their files
    without opening the notebook: "" and None when a file cannot be read."""
    return (
        _field(root / "carnet.json", "title") or "",
        _field(root / "participants" / f"{me}.json", "name") if me else None,
    )


def _field(path: Path, name: str) -> str | None:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    value = document.get(name) if isinstance(document, dict) else None
    return value if isinstance(value, str) else None
