"""A text area that completes ``@prénom`` from the participant list and ``[[Titre`` from the
entries' titles, accents and case ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from store import links, mentions
from store.i18n import N_
from store.model import Entry, Participant

# What is being typed after an "@" at the cursor (not an email: no word character before it).
_TYPING = re.compile(r"(?<![\w@])@([\w-]*)$")
# What is being typed after a "[[" at the cursor: a link not closed yet, on one line.
_TYPING_LINK = re.compile(r"\[\[([^\[\]\n]*)$")


class MentionChoices(OptionList, can_focus=False):
    """The names or titles offered under a ``MentionArea``, shown only while there are some."""

    DEFAULT_CSS = """
    MentionChoices {
        display: none;
        height: auto;
        max-height: 6;
        width: auto;
        min-width: 32;
        max-width: 100%;
        border: round $secondary;
    }
    MentionChoices.-shown {
        display: block;
    }
    """

    def __init__(self, area: MentionArea, **options: Any) -> None:
        super().__init__(**options)
        self.area = area

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.area.choose(int(event.option.id))


class MentionArea(TextArea):
    """A ``TextArea`` that, after ``@``, lists the participants whose name starts so, and after
    ``[[`` the entries whose title starts so (or holds the words); tab writes the first one in,
    a click the one clicked."""

    BINDINGS = [
        Binding("tab", "complete", N_("Complete the name"), show=False, id="mention.complete"),
    ]

    def __init__(
        self,
        text: str = "",
        *,
        participants: Iterable[Participant],
        entries: Iterable[Entry] = (),
        **options: Any,
    ):
        super().__init__(text, **options)
        self.participants = list(participants)
        self.entries = list(entries)
        self.choices = MentionChoices(self, id="mention-choices")
        self._offered: list[str] = []  # what each choice writes in place of what was typed
        self._typed = ""

    def on_mount(self) -> None:
        self.parent.mount(self.choices, after=self)  # type: ignore[union-attr]

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.offer()

    def offer(self) -> None:
        """List what completes the link or the name being typed at the cursor."""
        row, column = self.cursor_location
        before = self.document.get_line(row)[:column]
        link = _TYPING_LINK.search(before)
        name = _TYPING.search(before) if link is None else None
        if link is not None:
            self._typed = link.group(1)
            titles = links.completions(self._typed, self.entries) if self._typed.strip() else []
            self._offered = [title + "]]" for title in titles]
            shown = [f"[[{title}]]" for title in titles]
        elif name is not None:
            self._typed = name.group(1)
            self._offered = mentions.completions(self._typed, self.participants)
            shown = ["@" + handle for handle in self._offered]
        else:
            self._typed, self._offered, shown = "", [], []
        self.choices.clear_options()
        self.choices.add_options(Option(Text(words), id=str(n)) for n, words in enumerate(shown))
        self.choices.set_class(bool(self._offered), "-shown")

    def action_complete(self) -> None:
        """Write the first name or title offered in place of what was typed; else tab moves
        on."""
        if not self._offered:
            self.app.action_focus_next()
            return
        self._write(self._offered[0])

    def choose(self, number: int) -> None:
        """Write the ``number``-th name or title offered (a click on it)."""
        if number < len(self._offered):
            self._write(self._offered[number])
            self.focus()

    def _write(self, completion: str) -> None:
        row, column = self.cursor_location
        start = (row, column - len(self._typed))
        ending = "" if completion.endswith("]]") else " "
        self.replace(completion + ending, start, (row, column))
        self._offered = []
        self.choices.set_class(False, "-shown")
