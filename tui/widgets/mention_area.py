"""A text area that completes ``@prénom`` from the participant list, accents ignored."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from store.i18n import N_
from store.mentions import completions
from store.model import Participant

# What is being typed after an "@" at the cursor (not an email: no word character before it).
_TYPING = re.compile(r"(?<![\w@])@([\w-]*)$")


class MentionChoices(OptionList, can_focus=False):
    """The names offered under a ``MentionArea``, shown only while there are some."""

    DEFAULT_CSS = """
    MentionChoices {
        display: none;
        height: auto;
        max-height: 6;
        width: 32;
        border: round $secondary;
    }
    MentionChoices.-shown {
        display: block;
    }
    """


class MentionArea(TextArea):
    """A ``TextArea`` that, after ``@``, lists the participants whose name starts so; tab
    writes the first one in."""

    BINDINGS = [
        Binding("tab", "complete", N_("Complete the name"), show=False, id="mention.complete"),
    ]

    def __init__(self, text: str = "", *, participants: Iterable[Participant], **options: Any):
        super().__init__(text, **options)
        self.participants = list(participants)
        self.choices = MentionChoices(id="mention-choices")
        self._offered: list[str] = []
        self._typed = ""

    def on_mount(self) -> None:
        self.parent.mount(self.choices, after=self)  # type: ignore[union-attr]

    def _on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.offer()

    def offer(self) -> None:
        """List the participants that complete what is typed after ``@`` at the cursor."""
        row, column = self.cursor_location
        typed = _TYPING.search(self.document.get_line(row)[:column])
        self._typed = typed.group(1) if typed is not None else ""
        self._offered = completions(self._typed, self.participants) if typed else []
        self.choices.clear_options()
        self.choices.add_options(Option(Text("@" + h), id=h) for h in self._offered)
        self.choices.set_class(bool(self._offered), "-shown")

    def action_complete(self) -> None:
        """Write the first name offered in place of what was typed; else tab moves on."""
        if not self._offered:
            self.app.action_focus_next()
            return
        row, column = self.cursor_location
        start = (row, column - len(self._typed))
        self.replace(self._offered[0] + " ", start, (row, column))
        self._offered = []
        self.choices.set_class(False, "-shown")
