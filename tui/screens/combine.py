"""Both versions of a conflicting value side by side, and the screen that combines two texts."""

from __future__ import annotations

import difflib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from store import Conflict, Entry, Notebook
from store.display import field_label
from store.i18n import N_, _
from store.text import safe_line, safe_text
from tui.messages import ActionAsked, ActionDone, WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.failures import ReportsFailures

CHANGED_LINE = "┃ "
SAME_LINE = "  "


def side_by_side(mine: str, theirs: str) -> tuple[Text, Text]:
    """Both texts with a mark in the margin of every line that the other side does not have."""
    a, b = mine.split("\n"), theirs.split("\n")
    if len(a) == 1 and len(b) == 1:  # a title, a kind: nothing to point at
        return Text(mine), Text(theirs)
    changed_a: set[int] = set()
    changed_b: set[int] = set()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed_a.update(range(i1, i2))
            changed_b.update(range(j1, j2))
    return _marked(a, changed_a), _marked(b, changed_b)


def _marked(lines: list[str], changed: set[int]) -> Text:
    text = Text(no_wrap=False)
    for index, line in enumerate(lines):
        if index:
            text.append("\n")
        if index in changed:
            text.append(CHANGED_LINE, style="bold yellow")
            text.append(line, style="bold")
        else:
            text.append(SAME_LINE)
            text.append(line)
    return text


class CombineScreen(TranslatedKeys, ReportsFailures, Screen[bool]):
    """Both versions of a text, read-only, over the text to keep: it starts as their line merge
    (what did not clash applied, both sides' clashing lines one after the other, no marker)."""

    BINDINGS = [
        Binding("escape", "close", N_("Back without resolving"), id="combine.close"),
        Binding("ctrl+s", "save", N_("Resolve with this text"), id="combine.save", priority=True),
    ]

    DEFAULT_CSS = """
    CombineScreen {
        layout: vertical;
    }
    CombineScreen #heading {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    CombineScreen #versions {
        height: 2fr;
    }
    CombineScreen .side {
        width: 1fr;
        border: round $border-blurred;
        border-title-style: bold;
        padding: 0 1;
    }
    CombineScreen .who, CombineScreen #explain {
        height: auto;
        color: $text-muted;
    }
    CombineScreen #explain {
        padding: 0 1;
    }
    CombineScreen #combined {
        height: 3fr;
    }
    """

    def __init__(
        self,
        notebook: Notebook,
        entry: Entry,
        conflict: Conflict,
        sides: tuple[str, str],
        start: str,
    ) -> None:
        super().__init__()
        self.notebook = notebook
        self.entry = entry
        self.conflict = conflict
        self.sides = sides
        self.start = start
        self._busy = False

    def compose(self) -> ComposeResult:
        entry, conflict = self.entry, self.conflict
        current, other = getattr(entry, conflict.field), conflict.value
        yield Static(
            Content.assemble(
                _("Combine: "),
                (safe_line(entry.title), "bold"),
                " — ",
                field_label(conflict.field).capitalize(),
            ),
            id="heading",
        )
        titles = (_("Current value"), _("Other value"))
        with Horizontal(id="versions"):
            for side, title, who, text in zip(
                ("current", "other"),
                titles,
                self.sides,
                side_by_side(safe_text(current), safe_text(other)),
                strict=True,
            ):
                with Vertical(classes="side", id=f"{side}-side") as box:
                    box.border_title = title
                    yield Static(Content(who), classes="who")
                    with VerticalScroll():
                        yield Static(text, id=f"{side}-version")
        yield Static(
            Content(
                _(
                    "Write the text to keep, from both versions: it starts with both. "
                    "Ctrl+S resolves the conflict with it."
                )
            ),
            id="explain",
        )
        yield TextArea(safe_text(self.start), soft_wrap=True, id="combined")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#combined", TextArea).focus()

    def action_save(self) -> None:
        """Resolve the conflict with the text written, through the app's action pipeline."""
        if self._busy:
            return
        self._busy = True
        entry_id, field = self.entry.id, self.conflict.field
        text = self.query_one("#combined", TextArea).text
        self.post_message(
            ActionAsked(
                lambda: self.notebook.resolve_conflict(entry_id, field, "combined", text=text),
                _("Conflict resolved with both versions combined."),
                entry_id,
                self,
            )
        )

    @on(ActionDone)
    def _saved(self) -> None:
        self.dismiss(True)

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._busy = False  # the text stays as written, to save again or copy
        self.notify(message.reason, title=_("Not resolved"), severity="error", markup=False)

    def action_close(self) -> None:
        """Go back without resolving."""
        self.dismiss(False)
