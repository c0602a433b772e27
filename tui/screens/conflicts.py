"""Conflicts left by a merge: both values side by side, a key to keep one, or to combine texts."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from store import Conflict, Entry, EntryFilter, Notebook
from store.display import (
    field_label,
    field_value,
    local_time,
    objective_titles,
    participant_name,
    participant_names,
)
from store.errors import CarnetError, explain
from store.i18n import N_, _
from store.model import is_field_value
from store.schema import is_text_field
from store.text import safe_line
from tui.messages import ActionAsked, ActionDone, WorkFailed
from tui.screens.bindings import TranslatedKeys
from tui.screens.combine import CombineScreen, side_by_side
from tui.screens.failures import ReportsFailures


@dataclass(frozen=True)
class PendingConflict:
    """One field of one entry waiting for a choice; ``conflict`` is the value that lost."""

    entry: Entry
    conflict: Conflict

    @property
    def key(self) -> str:
        """The option id in the list: ``entry id:field``."""
        return f"{self.entry.id}:{self.conflict.field}"


class ConflictsScreen(TranslatedKeys, ReportsFailures, Screen[None]):
    """Every entry with a conflict; for each, keep the current value or the other one."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="conflicts.close"),
        Binding("c", "keep('current')", N_("Keep the current value"), id="conflicts.keep-current"),
        Binding("o", "keep('other')", N_("Keep the other value"), id="conflicts.keep-other"),
        Binding("m", "combine", N_("Combine"), id="conflicts.combine"),
    ]

    DEFAULT_CSS = """
    ConflictsScreen {
        layout: vertical;
    }
    ConflictsScreen #heading {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    ConflictsScreen #pending {
        height: auto;
        max-height: 30%;
        min-height: 3;
    }
    ConflictsScreen #explain {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    ConflictsScreen #sides {
        height: 1fr;
    }
    ConflictsScreen .side {
        width: 1fr;
        height: 1fr;
        border: round $border-blurred;
        border-title-style: bold;
        border-title-color: $text;
        padding: 0 1;
    }
    ConflictsScreen .side:focus-within {
        border: round $border;
    }
    ConflictsScreen .who {
        height: auto;
        color: $text-muted;
    }
    ConflictsScreen .value {
        height: 1fr;
    }
    ConflictsScreen .side Button {
        width: 100%;
        margin-top: 1;
    }
    ConflictsScreen #empty {
        display: none;
        height: 1fr;
        content-align: center middle;
        color: $text-success;
    }
    ConflictsScreen.-empty #empty {
        display: block;
    }
    ConflictsScreen.-empty #pending, ConflictsScreen.-empty #explain,
    ConflictsScreen.-empty #sides {
        display: none;
    }
    """

    def __init__(self, notebook: Notebook) -> None:
        super().__init__()
        self.notebook = notebook
        self.pending: list[PendingConflict] = []
        self._names: dict[str, str] = {}
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        yield OptionList(id="pending")
        yield Static(
            Content(
                _(
                    "Two people changed this at the same time. Choose the value to keep: "
                    "c keeps the current one, o the other one."
                )
            ),
            id="explain",
        )
        with Horizontal(id="sides"):
            with Vertical(classes="side", id="current") as current:
                current.border_title = _("Current value")
                yield Static(classes="who", id="current-who")
                with VerticalScroll(classes="value"):
                    yield Static(id="current-value")
                yield Button(_("Keep this one"), variant="primary", compact=True, id="keep-current")
            with Vertical(classes="side", id="other") as other:
                other.border_title = _("Other value")
                yield Static(classes="who", id="other-who")
                with VerticalScroll(classes="value"):
                    yield Static(id="other-value")
                yield Button(_("Keep this one"), variant="warning", compact=True, id="keep-other")
        yield Static(Content(_("No conflict to resolve: everything is in order.")), id="empty")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#pending", OptionList).focus()

    # --- showing ---------------------------------------------------------------------------

    def load(self, keep_index: int = 0) -> None:
        """Read the conflicts again and show them, the highlight near ``keep_index``."""
        self._names = participant_names(self.notebook.participants())
        self.pending = [
            PendingConflict(entry, conflict)
            for entry in self.notebook.entries(EntryFilter(conflicts=True, include_deleted=True))
            for conflict in _last_by_field(entry.conflicts)
        ]
        count = len(self.pending)
        self.query_one("#heading", Static).update(
            Content(_("Conflicts to resolve ({count})").format(count=count))
        )
        self.set_class(not self.pending, "-empty")
        options = self.query_one("#pending", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                Content.assemble(
                    (safe_line(item.entry.title), "bold"),
                    " — ",
                    field_label(item.conflict.field).capitalize(),
                ),
                id=item.key,
            )
            for item in self.pending
        )
        if self.pending:
            options.highlighted = min(keep_index, count - 1)
            self.show(self.pending[options.highlighted])

    @on(OptionList.OptionHighlighted, "#pending")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if 0 <= event.option_index < len(self.pending):
            self.show(self.pending[event.option_index])
        self.refresh_bindings()  # "combine" is offered for a text only

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "combine":
            item = self.selected
            return item is not None and is_text_field(item.conflict.field)
        return True

    def show(self, item: PendingConflict) -> None:
        """Put both values of ``item`` side by side."""
        entry, conflict = item.entry, item.conflict
        objectives = objective_titles(self.notebook.info.objectives)
        current_value = field_value(conflict.field, getattr(entry, conflict.field), objectives)
        other_value = field_value(conflict.field, conflict.value, objectives)
        mine, theirs = side_by_side(current_value, other_value)
        self.query_one("#current-value", Static).update(mine)
        self.query_one("#other-value", Static).update(theirs)
        self.query_one("#current-who", Static).update(Content(self._who(*_kept(entry, conflict))))
        self.query_one("#other-who", Static).update(
            Content(self._who(conflict.author, conflict.updated))
        )

    def _who(self, participant_id: str, when: str) -> str:
        name = participant_name(self._names, participant_id)
        return _("{name}, {date}").format(name=name, date=local_time(when))

    @property
    def selected(self) -> PendingConflict | None:
        """The conflict highlighted in the list."""
        index = self.query_one("#pending", OptionList).highlighted
        if index is None or not 0 <= index < len(self.pending):
            return None
        return self.pending[index]

    # --- resolving -------------------------------------------------------------------------

    @on(Button.Pressed, "#keep-current")
    def _keep_current(self) -> None:
        self.action_keep("current")

    @on(Button.Pressed, "#keep-other")
    def _keep_other(self) -> None:
        self.action_keep("other")

    def action_keep(self, which: str) -> None:
        """Settle the highlighted conflict by keeping the ``current`` or the ``other`` value."""
        item = self.selected
        if item is None or self._busy:
            return
        # A peer may have sent a value the field cannot have (the table's check says).
        if which == "other" and not is_field_value(item.conflict.field, item.conflict.value):
            self._not_resolved(
                _("The other value is damaged and cannot be kept: keep the current one.")
            )
            return
        self._busy = True
        entry_id, field = item.entry.id, item.conflict.field
        self.post_message(
            ActionAsked(
                lambda: self.notebook.resolve_conflict(entry_id, field, which),
                _("Conflict resolved."),
                entry_id,
                self,
            )
        )

    def action_combine(self) -> None:
        """Open the highlighted text conflict to write one text from both versions."""
        item = self.selected
        if item is None or self._busy:
            return
        try:
            start = self.notebook.combined_text(item.entry.id, item.conflict.field)
        except CarnetError as error:  # not a text, or settled meanwhile
            self._not_resolved(explain(error))
            return
        sides = (
            self._who(*_kept(item.entry, item.conflict)),
            self._who(item.conflict.author, item.conflict.updated),
        )
        self.app.push_screen(
            CombineScreen(self.notebook, item.entry, item.conflict, sides, start), self._combined
        )

    def _combined(self, saved: bool | None) -> None:
        if saved:
            self._resolved()

    @on(ActionDone)
    def _resolved(self) -> None:
        self._busy = False
        index = self.query_one("#pending", OptionList).highlighted or 0
        self.load(keep_index=index)
        if not self.pending:
            self.query_one("#pending", OptionList).blur()

    @on(WorkFailed)
    def _failed(self, message: WorkFailed) -> None:
        self._busy = False
        self._not_resolved(message.reason)
        self.load(keep_index=self.query_one("#pending", OptionList).highlighted or 0)

    def _not_resolved(self, reason: str) -> None:
        self.notify(reason, title=_("Not resolved"), severity="error", markup=False)

    def action_close(self) -> None:
        """Go back."""
        self.dismiss(None)


def _kept(entry: Entry, conflict: Conflict) -> tuple[str, str]:
    """Who wrote the value the merge kept, and when. Records of earlier versions do not say:
    the entry's last change is the best guess there."""
    if conflict.kept_by:
        return conflict.kept_by, conflict.kept
    return entry.updated_by, entry.updated


def _last_by_field(conflicts: tuple[Conflict, ...]) -> list[Conflict]:
    # resolve_conflict settles a field as a whole and offers its latest losing value.
    last: dict[str, Conflict] = {}
    for conflict in conflicts:
        last[conflict.field] = conflict
    return list(last.values())
