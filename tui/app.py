"""The review TUI: the Carnet application, how it opens the notebook, and its participant
actions (the background sync is in ``tui.background_sync``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from store.errors import CarnetError
from store.i18n import LANGUAGES, N_, _, current_language, set_language
from store.keys import find_public_key
from store.listing import Frame, start_frame
from store.notebook import Notebook, load_settings, save_settings
from store.progress import reporting
from tui.actions import ActionRunner
from tui.background_sync import BackgroundSync
from tui.messages import ActionAsked
from tui.palette import CarnetCommands, CarnetPalette, textual_commands
from tui.screens.choice import ChoiceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.digest import announce_digest, open_digest
from tui.screens.history import open_deleted_entries
from tui.screens.listed import ListingScreen, listed_names
from tui.screens.loading import LoadingScreen, threaded_progress
from tui.screens.meetings import MeetingsScreen
from tui.screens.review import ReviewScreen, warm_up
from tui.screens.sections import SectionsScreen

DEFAULT_SYNC_INTERVAL = 300.0
# Seconds the open waits for the listing's frame before it begins (holding Python's lock for a
# second at a time, it would hold the frame back); the frame takes 0.1-0.3 s.
LISTING_FRAME_WAIT = 3.0
LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
DEFAULT_THEME = "textual-dark"
# The themes offered first, in words; Textual's others follow by their own names. The two
# "ansi" ones draw with the terminal's own colours: those of someone who set a large font or
# a high contrast there.
THEME_NAMES = {
    "textual-dark": N_("Dark"),
    "textual-light": N_("Light"),
    "ansi-dark": N_("The terminal's own colours, dark background"),
    "ansi-light": N_("The terminal's own colours, light background"),
}


class CarnetApp(BackgroundSync, ActionRunner, App[None]):
    """Carnet's review TUI over one ``Notebook``.

    Given an open notebook, the app starts on its review screen. Given the notebook's folder
    (as ``carnet`` starts it), it draws a ``LoadingScreen`` at once and opens the notebook in
    a thread, with a progress bar when every file has to be read (no cache yet, after a large
    merge); the review screen replaces it when the notebook is open. When the listing on disk
    is up to date, the thread first has the list drawn from it (``ListingScreen``, a small
    file against the cache's tens of megabytes), then opens the notebook and derives its
    comments and readings before the review screen takes the listing's place, complete. The
    language and the sync interval then come from this clone's settings, as
    ``clone_preferences`` says.
    """

    CSS_PATH = "carnet.tcss"
    TITLE = "Carnet"
    COMMANDS = {CarnetCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), priority=True, id="app.quit"),
        Binding(
            "ctrl+p",
            "command_palette",
            N_("Commands"),
            show=False,
            priority=True,
            id="app.command_palette",
        ),  # fmt: skip
        Binding("v", "digest", N_("Since my last visit"), show=False, id="app.digest"),
    ]

    def __init__(
        self,
        notebook: Notebook | Path,
        *,
        sync_interval: float | None = DEFAULT_SYNC_INTERVAL,
        language: str | None = "fr",
    ) -> None:
        set_language(language or "fr", typeset=True)  # on a screen: French typography
        super().__init__()
        self.sync_interval = sync_interval
        self._language = language
        self._root: Path | None = None
        self.failure: Exception | None = None  # why the notebook could not be opened
        self._arrived: Notebook | None = None  # the one it opened, open to the screens or not
        self._listed_head: str | None = None  # the commit of the listing it started from
        self._frame: Callable[[], Frame | None] | None = None
        if isinstance(notebook, Notebook):
            self.notebook = notebook
        else:
            self._root = Path(notebook)
            # The listing's git status runs from now on, while Textual starts and the
            # listing is read: at 30,000 entries it is most of the first frame's time.
            self._frame = start_frame(self._root)

    @property
    def opened(self) -> bool:
        """Whether the notebook is open (and the review screen at the bottom of the stack)."""
        return hasattr(self, "notebook")

    def get_default_screen(self) -> Screen[Any]:
        if self.opened:
            return ReviewScreen(self.notebook)
        return LoadingScreen(_("Opening the notebook…"))

    @property
    def review(self) -> ReviewScreen:
        """The main screen: at the bottom of the stack, or just over the loading screen (Textual
        cannot replace the screen it starts with), where the listing's screen was."""
        screen = self.screen_stack[0 if self._root is None else 1]
        assert isinstance(screen, ReviewScreen)
        return screen

    def on_mount(self) -> None:
        if self._root is None:
            self._start()
        else:
            loading = self.screen
            assert isinstance(loading, LoadingScreen)
            # Once the loading screen is drawn: reading the cache holds Python's lock for
            # whole seconds at 10,000 entries, which would hold the first frame back.
            self.call_after_refresh(self._open, self._root, loading)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def _open(self, root: Path, loading: LoadingScreen) -> None:
        listed = self._show_listing(root)
        try:
            with reporting(threaded_progress(loading)):
                notebook = Notebook(root)
            if listed:  # the listing's frame stays until the review screen's is complete
                warm_up(notebook)
        except Exception as error:  # said by ``run_app`` once the screen is given back
            self.failure = error
            self.call_from_thread(self.exit, return_code=1)
            return
        language, self.sync_interval = clone_preferences(
            notebook, self._language, self.sync_interval
        )
        try:
            self.call_from_thread(self._opened, notebook, language)
        except RuntimeError:  # the app has ended meanwhile
            notebook.close()

    def _show_listing(self, root: Path) -> bool:
        """Have the list drawn from the listing on disk, if it is up to date (one ``git
        status`` of its files says so), and wait for that frame; tell whether it is shown."""
        frame = self._frame() if self._frame is not None else None
        if frame is None:
            return False
        self._listed_head = frame.head
        title, me = listed_names(root, frame.me)
        drawn = threading.Event()
        try:
            self.call_from_thread(self._listed, frame, title, me, drawn.set)
        except RuntimeError:  # the app has ended meanwhile
            return False
        drawn.wait(LISTING_FRAME_WAIT)
        return True

    def _listed(self, frame: Frame, title: str, me: str | None, drawn: Callable[[], None]) -> None:
        # The listing's language is the one the settings or the notebook give, as
        # ``clone_preferences`` would say.
        set_language(self._language or frame.language, typeset=True)
        self.push_screen(ListingScreen(frame, title, me, drawn))

    def _opened(self, notebook: Notebook, language: str) -> None:
        if not self.is_running:  # the participant quit meanwhile
            notebook.close()
            return
        self._arrived = notebook
        set_language(language, typeset=True)
        listed = next((s for s in self.screen_stack if isinstance(s, ListingScreen)), None)
        if listed is None:
            self.notebook = notebook
            self.push_screen(ReviewScreen(notebook))
            self.call_after_refresh(self._start)
            return

        def review() -> ReviewScreen:
            # Open from now on: the app's commands and keys reach the notebook.
            self.notebook = notebook
            self.call_after_refresh(self._start)
            return ReviewScreen(notebook, warmed=True, cursor_on=listed.current_id)

        listed.hand_over(review)

    def _start(self) -> None:
        """Begin the work of an open notebook: its theme, digest count, sync, warnings."""
        theme = load_settings(self.notebook.repo.local_dir).get("theme")
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        announce_digest(self)
        self.start_watching()
        problems = self.notebook.problems
        if problems:
            self.notify(
                _("{count} file(s) could not be read and were skipped (run carnet doctor)").format(
                    count=len(problems)
                ),
                severity="warning",
                markup=False,
            )

    def close_notebook(self) -> None:
        """Close the notebook the app opened itself (one given to it is its giver's to close),
        leaving its listing on disk for the next start's first frame."""
        arrived, self._arrived = self._arrived, None  # closed once, if asked twice
        if arrived is not None:
            keep_listing(arrived, self._listed_head)
            arrived.close()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key of the screen in the command palette, named in the current language."""
        if not self.opened:
            yield from textual_commands(super().get_system_commands(screen))
            return
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if binding.action in seen or not binding.description or binding.system:
                continue
            seen.add(binding.action)
            yield SystemCommand(
                binding.description,
                _("Key: {key}").format(key=self.get_key_display(binding)),
                self._runner(binding.action, active.node),
            )
        yield SystemCommand(_("Meetings"), _("Prepare, hold and close the group's meetings"),
                            lambda: self.push_screen(MeetingsScreen(self.notebook)))  # fmt: skip
        yield SystemCommand(_("Theme"), _("Change the colours"), self.action_change_theme)
        yield SystemCommand(
            _("The group's synthesis"),
            _("Introduction, what we take away, conclusion"),
            lambda: self.push_screen(SectionsScreen(self.notebook)),
        )
        yield SystemCommand(
            _("Deleted entries"),
            _("Their history, to restore one"),
            lambda: open_deleted_entries(
                self, self.notebook, lambda entry_id: self.review.reload_entries(select=entry_id)
            ),
        )
        yield SystemCommand(
            _("Sign my changes"),
            _("With your SSH key: then nobody can write in your name"),
            self.action_sign,
        )
        yield from textual_commands(super().get_system_commands(screen))
        if screen is self.review:  # found by their title, not listed before a word is typed
            for entry in self.notebook.entries():
                yield SystemCommand(_("Go to: {title}").format(title=entry.title),
                                    _("Put the cursor on this entry"),
                                    self._goer(entry.id), discover=False)  # fmt: skip

    def action_command_palette(self) -> None:
        if not CarnetPalette.is_open(self):
            self.push_screen(CarnetPalette())

    def action_digest(self) -> None:
        """What is new for me since my last visit (« Depuis ma dernière visite »)."""
        if self.opened and self.screen is self.review:
            open_digest(self)

    def _runner(self, action: str, node: Any) -> Callable[[], Any]:
        return lambda: self.run_action(action, node)

    def _goer(self, entry_id: str) -> Callable[[], None]:
        return lambda: self.review.go_to(entry_id)

    async def action_quit(self) -> None:
        """Quit Carnet; if a text being written would be lost, ask first."""
        # The editor and the comment dialog say whether they hold unsaved text.
        if not any(getattr(screen, "changed", False) for screen in self.screen_stack):
            self.exit()
            return

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        self.push_screen(ConfirmScreen(_("Quit and lose the text being written?")), answered)

    def action_sign(self) -> None:
        """Sign this clone's commits with the participant's SSH key (docs/design.md §4.4)."""
        signing = self.notebook.repo.signing_key
        if signing is not None:
            self.notify(
                _("Your changes are already signed with {path}.").format(path=signing),
                markup=False,
            )
            return
        key = find_public_key()
        if key is None:
            self.notify(
                _(
                    "This computer has no SSH key: create one with carnet key --create "
                    "(in a terminal), then choose this command again."
                ),
                severity="warning",
                markup=False,
            )
            return

        def answered(sign: bool | None) -> None:
            if sign:
                notice = _("Your changes are now signed with {path}.").format(path=key)
                self.post_message(ActionAsked(lambda: self.notebook.sign_with(key), notice))

        question = _(
            "Sign your changes with the key {path}? The others will then check that what is "
            "written in your name carries this signature."
        ).format(path=key)
        self.push_screen(ConfirmScreen(question), answered)

    # --- theme and language ----------------------------------------------------------------

    def action_change_theme(self) -> None:
        """Choose the colours of Carnet (kept for this notebook on this computer)."""

        def chosen(theme: str | None) -> None:
            if theme is None or theme == self.theme:
                return
            self.theme = theme
            self._remember(theme=theme)

        others = sorted(set(self.available_themes) - set(THEME_NAMES))
        choices = [(name, Text(_(words))) for name, words in THEME_NAMES.items()]
        choices += [(name, Text(name)) for name in others]
        self.push_screen(ChoiceScreen(_("Theme"), choices, self.theme), chosen)

    def _remember(self, **setting: Any) -> None:
        """Keep a choice of the participant's in this clone's settings, or say it is not kept."""
        try:
            save_settings(self.notebook.repo.local_dir, **setting)
        except CarnetError as error:  # in force now, but not remembered
            self.notify(str(error), title=_("Not saved"), severity="error", markup=False)

    def action_language(self) -> None:
        """Choose the language of Carnet (kept for this notebook on this computer)."""

        def chosen(language: str | None) -> None:
            if language is None or language == current_language():
                return
            self.set_language(language)

        choices = [(code, Text(LANGUAGE_NAMES[code])) for code in LANGUAGES]
        self.push_screen(ChoiceScreen(_("Language"), choices, current_language()), chosen)

    def set_language(self, language: str) -> None:
        """Show everything in ``language`` from now on, and remember the choice."""
        set_language(language, typeset=True)  # on a screen: French typography
        self._remember(language=language)
        self.review.language = language
        self._show_sync_state()


def clone_preferences(
    notebook: Notebook, language: str | None, sync_interval: float | None
) -> tuple[str, float | None]:
    """The language and the sync interval this clone's settings ask for: ``language`` if
    given, else the setting's, else the notebook's; the setting's interval, else
    ``sync_interval``."""
    settings = load_settings(notebook.repo.local_dir)
    chosen = language or settings.get("language") or notebook.info.language
    interval = settings.get("sync_interval", sync_interval)
    if not isinstance(interval, int | float) or interval <= 0:
        interval = None  # a setting of 0 turns background sync off
    return (chosen if chosen in LANGUAGES else "fr"), interval


def keep_listing(notebook: Notebook, listed_head: str | None) -> None:
    """Write the listing on disk again if the notebook's commit is no longer the one of the
    listing the app started from (an action, a sync), or it started without one: else the
    next start could not draw its first frame from it. Without the search's texts unless a
    search built them (a second or more at 10,000 entries: the participant is quitting);
    the first ``carnet list --search`` then opens the notebook and writes them."""
    # Not being able to write it (a full disk, a read-only folder) only costs the next
    # start its quick first frame: quitting says nothing of it.
    with contextlib.suppress(CarnetError, OSError):
        if notebook.repo.head() != listed_head:
            notebook.listing(texts=False)


def run_app(root: Path, *, language: str | None = None) -> None:
    """Open the notebook at ``root`` and run the review TUI until the participant quits.

    Raises:
        CarnetError: the notebook could not be opened (said in plain words).
    """
    app = CarnetApp(root, language=language)
    try:
        app.run()
    finally:
        app.close_notebook()
    if app.failure is not None:
        raise app.failure
