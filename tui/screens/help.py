"""Every key of the review screen, in the current language: the key map and its screen."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from store.i18n import N_, _
from tui.screens.dialog import Dialog


class HelpScreen(Dialog[None]):
    """The key map: ``sections`` are ``(title, [(keys, description)])``, already translated."""

    BINDINGS = [
        Binding("escape,q,question_mark,f1", "close", N_("Close"), id="help.close"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Text(_("Carnet: keys"), style="bold"), id="help-title")
            with VerticalScroll(id="help-keys"):
                for title, keys in self.sections:
                    table = Table(
                        title=Text(title, style="bold"),
                        title_justify="left",
                        show_header=False,
                        box=None,
                        padding=(0, 1),
                        expand=True,
                    )
                    table.add_column(style="bold", no_wrap=True, min_width=14)
                    table.add_column(ratio=1)
                    for key, description in keys:
                        table.add_row(Text(key), Text(description))
                    yield Static(table, classes="help-section")
            yield Static(
                Text(
                    _(
                        "ctrl+p opens every command by name. The mouse works too: click an "
                        "entry, double-click to read it. escape or ? closes this help."
                    ),
                    style="dim",
                ),
                id="help-hint",
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)


def key_map(app: App[Any], bindings: list[Any]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help screen's sections for ``bindings`` and the app's own, in the current language."""
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in [*bindings, *app.BINDINGS]:
        assert isinstance(binding, Binding)
        action = binding.action
        for key in binding.key.split(","):
            keys.setdefault(action, []).append(app.get_key_display(replace(binding, key=key)))
        descriptions[action] = _(binding.description)

    listed: set[str] = set()

    def rows(*actions: str) -> list[tuple[str, str]]:
        listed.update(actions)
        return [(" ".join(keys[a]), descriptions[a]) for a in actions if a in keys]

    sections = [
        (
            _("Moving"),
            rows(
                "cursor_down", "cursor_up", "page_down", "page_up", "first", "last",
                "next_unread", "previous_unread",
            ),
        ),
        (
            _("Reviewing"),
            rows(
                "open", "toggle_unread", "stance('agree')", "stance('question')",
                "stance('disagree')", "stance('abstain')", "stance('block')", "stance('')",
                "comment", "reply",
            ),
        ),
        (
            _("Deciding"),
            rows("open_decision", "close_decision", "decisions"),
        ),
        (
            _("Writing"),
            rows("new_entry", "edit", "change_status", "conflicts", "history", "export"),
        ),
        (
            _("Finding"),
            rows("search", "filters", "clear_filters"),
        ),
        (
            _("Notebook"),
            rows("app.sync", "app.language", "digest", "help", "command_palette", "quit"),
        ),
    ]  # fmt: skip
    # A key added to the screen and not yet given its place above is listed all the same.
    others = rows(*(a for a in keys if a not in listed and descriptions[a]))
    if others:
        sections.append((_("Other keys"), others))
    return sections
