"""The command palette in the participant's language, its search blind to accents and case."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.widgets.option_list import Option

from store.i18n import N_, _
from store.search import normalise
from tui.screens.bindings import TranslatedKeys

# Textual's own commands (App.get_system_commands), by the English title Textual gives them:
# their words here. Theme and Quit are left out: Carnet has its own (its themes in words, and a
# quit that asks before losing a text being written).
TEXTUAL_COMMANDS: dict[str, tuple[str, str] | None] = {
    "Theme": None,
    "Quit": None,
    "Keys": (N_("Keys"), N_("Show or hide the keys of the screen and of the selected field")),
    "Maximize": (N_("Maximize"), N_("Give the selected field the whole screen")),
    "Minimize": (N_("Minimize"), N_("Give the selected field its usual size again")),
    "Screenshot": (N_("Screenshot"), N_("Save a picture (SVG) of the screen")),
}


def textual_commands(commands: Iterable[SystemCommand]) -> Iterable[SystemCommand]:
    """Textual's own commands in the current language, without those Carnet has its own of."""
    for command in commands:
        words = TEXTUAL_COMMANDS.get(command.title, (command.title, command.help))
        if words is not None:
            title, help_text = words
            yield command._replace(title=_(title), help=_(help_text))


class CarnetPalette(TranslatedKeys, CommandPalette):
    """Textual's command palette, its words in the current language."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", N_("Close the palette")),
        Binding("down", "cursor_down", N_("Next command"), show=False),
        Binding("up", "command_list('cursor_up')", N_("Previous command"), show=False),
        Binding("pagedown", "command_list('page_down')", N_("Next page"), show=False),
        Binding("pageup", "command_list('page_up')", N_("Previous page"), show=False),
    ]

    def __init__(self) -> None:
        super().__init__(placeholder=_("Search for a command…"), id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's own countdown to « No matches found », its words in the current language
        (Textual writes them in English in the method itself, so it is replaced whole)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(_("No command found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class CarnetCommands(Provider):
    """Every command the app lists (``App.get_system_commands``), found with or without
    accents: « desaccord » finds « Désaccord »."""

    def _commands(self) -> list[SystemCommand]:
        return list(self.app.get_system_commands(self.screen))

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda command: command.title):
            if command.discover:
                yield DiscoveryHit(command.title, command.callback, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = Matcher(normalise(query), match_style=self.match_style)
        for command in self._commands():
            folded = normalise(command.title)
            score = matcher.match(folded)
            if score > 0:
                shown = _highlighted(matcher, command.title, folded)
                yield Hit(score, shown, command.callback, help=command.help)


def _highlighted(matcher: Matcher, title: str, folded: str) -> Content:
    """``title`` with the letters the query matched in its folded form underlined."""
    content = Content(title)  # plain text: a title's brackets are not markup
    # Folding keeps one letter for one letter but for a few (œ → oe): those titles show plain.
    if len(folded) != len(title):
        return content
    _score, offsets = matcher.fuzzy_search.match(matcher.query, folded)
    style: Any = matcher.match_style
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(style, offset, offset + 1)
    return content
