"""The review TUI: the Carnet application, its background sync and its participant actions."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from store.errors import CarnetError, explain
from store.gate import describe
from store.git.program import git_config
from store.i18n import LANGUAGES, N_, _, current_language, ngettext, set_language
from store.keys import find_public_key
from store.notebook import EntryFilter, Notebook, load_settings, save_settings
from store.sync_result import SyncStatus
from store.text import safe_text
from tui.actions import ActionRunner
from tui.messages import (
    ActionAsked,
    NotebookChanged,
    SyncFailed,
    SyncFinished,
    SyncStarted,
    SyncStatusRead,
)
from tui.palette import CarnetCommands, CarnetPalette, textual_commands
from tui.screens.choice import ChoiceScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.digest import announce_digest, open_digest
from tui.screens.history import open_deleted_entries
from tui.screens.meetings import MeetingsScreen
from tui.screens.review import ReviewScreen
from tui.screens.sections import SectionsScreen
from tui.widgets.status_bar import describe_sync

DEFAULT_SYNC_INTERVAL = 300.0
# A save is followed by a sync once the participant pauses, not after every key.
SYNC_AFTER_SAVE_DELAY = 5.0
# How often the screen looks for commits made elsewhere (the command line, another window): a
# read of .git/HEAD and its branch's file, no process started.
WATCH_INTERVAL = 2.0
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


class CarnetApp(ActionRunner, App[None]):
    """Carnet's review TUI over one open ``Notebook``."""

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
        notebook: Notebook,
        *,
        sync_interval: float | None = DEFAULT_SYNC_INTERVAL,
        language: str = "fr",
    ) -> None:
        set_language(language, typeset=True)  # on a screen: French typography
        super().__init__()
        self.notebook = notebook
        self.sync_interval = sync_interval
        self.sync_status: SyncStatus | None = None
        self.sync_error: str | None = None
        self.syncing = False
        self._sync_soon: Any = None
        self._manual_sync = False

    def get_default_screen(self) -> Screen[Any]:
        return ReviewScreen(self.notebook)

    @property
    def review(self) -> ReviewScreen:
        """The main screen (always at the bottom of the stack)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReviewScreen)
        return screen

    def on_mount(self) -> None:
        theme = load_settings(self.notebook.repo.local_dir).get("theme")
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        announce_digest(self)
        if self.sync_interval:
            self.call_after_refresh(self.start_sync, manual=False)
            self.set_interval(self.sync_interval, self._interval_sync)
        self.set_interval(WATCH_INTERVAL, self._look_for_changes)
        problems = self.notebook.problems
        if problems:
            self.notify(
                _("{count} file(s) could not be read and were skipped (run carnet doctor)").format(
                    count=len(problems)
                ),
                severity="warning",
                markup=False,
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key of the screen in the command palette, named in the current language."""
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
        if self.screen is self.review:
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

    # --- sync ------------------------------------------------------------------------------

    def action_sync(self) -> None:
        """Send your changes and receive the others' now."""
        self.start_sync(manual=True)

    def after_save(self) -> None:
        """Sync a little after a save, once the participant pauses; until then, the status bar
        counts it among the changes to send (and a conflict resolved is no longer counted)."""
        self._read_status()
        if not self.sync_interval:
            return
        if self._sync_soon is not None:
            self._sync_soon.stop()
        self._sync_soon = self.set_timer(SYNC_AFTER_SAVE_DELAY, self._interval_sync)

    def _interval_sync(self) -> None:
        self.start_sync(manual=False)

    def start_sync(self, *, manual: bool) -> None:
        """Start a sync in the background unless one is running."""
        if self.syncing:
            if manual:
                self.notify(_("A sync is already running"), timeout=3)
            return
        self.syncing = True
        self._manual_sync = manual
        self._show_sync_state()
        self._sync()

    @work(thread=True, exclusive=True, group="sync", exit_on_error=False)
    def _sync(self) -> None:
        # Imported here, in the thread: GitPython takes long to import, and the first frame
        # must not wait for it.
        self.post_message(SyncStarted())
        sync_module: Any = None
        try:
            from store import sync as sync_module

            before = _conflict_marks(self.notebook)
            report = sync_module.sync(self.notebook)
            came = {entry_id for entry_id, _field, _at in _conflict_marks(self.notebook) - before}
            # The merge rebuilt the notebook's index: its short ids are computed here, in the
            # thread, rather than when the screen next shows an entry.
            self.notebook.short_id("")
        except Exception as error:  # any failure, a bug too, must end the "syncing…" state
            usual = sync_module is not None and _usual_failure(sync_module, error, self.notebook)
            self.post_message(SyncFailed(explain(error), usual=usual))
        else:
            self.post_message(SyncFinished(report, conflicted=len(came)))
        self._post_status()

    @work(thread=True, exclusive=True, group="status", exit_on_error=False)
    def _read_status(self) -> None:
        self._post_status()

    def _post_status(self) -> None:
        """Read where the notebook stands (in a thread: the first read imports GitPython)."""
        # A failure to read the state is the sync's to report, when it next runs.
        with contextlib.suppress(Exception):
            from store import sync as sync_module

            self.post_message(SyncStatusRead(sync_module.status(self.notebook)))

    def _look_for_changes(self) -> None:
        if not self.syncing:  # a sync reloads the notebook itself when it is done
            self._catch_up()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _catch_up(self) -> None:
        # In a thread: the notebook's lock may be held by an action for a moment.
        if self.notebook.refresh():
            self.call_from_thread(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        """Commits made elsewhere (the command line, another window) show at once."""
        for screen in self.screen_stack:
            screen.post_message(NotebookChanged())
        self.after_save()  # what was saved there is shared from here too

    @on(SyncFinished)
    def _sync_finished(self, message: SyncFinished) -> None:
        self.syncing = False
        self.sync_error = None
        report = message.report
        new_entries = len(report.new_entries)
        new_comments = len(report.new_comments)
        conflicts = message.conflicted
        news: list[str] = []
        if new_entries:
            news.append(
                ngettext("{count} new entry", "{count} new entries", new_entries).format(
                    count=new_entries
                )
            )
        if new_comments:
            news.append(
                ngettext("{count} new comment", "{count} new comments", new_comments).format(
                    count=new_comments
                )
            )
        if conflicts:
            news.append(
                ngettext(
                    "{count} entry to resolve (x)", "{count} entries to resolve (x)", conflicts
                ).format(count=conflicts)
            )
        if news:
            self.notify(_("Sync: {news}").format(news=", ".join(news)), markup=False)
        elif self._manual_sync:
            self.notify(_("Sync done: everything is up to date"), timeout=3, markup=False)
        for line in describe(report.refused):
            self.notify(
                safe_text(line),
                title=_("Changes not let through"),
                severity="warning",
                timeout=12,
                markup=False,
            )
        if not report.up_to_date or new_entries or new_comments or conflicts:
            # The list shows the entries again; an editor open meanwhile tells its writer
            # that the entry changed under them.
            for screen in self.screen_stack:
                screen.post_message(NotebookChanged())
        self._show_sync_state()

    @on(SyncFailed)
    def _sync_failed(self, message: SyncFailed) -> None:
        self.syncing = False
        # A background sync tells a new trouble once (a full disk, refused access), not every
        # few minutes, and the usual states not at all: the status bar shows them.
        news = message.error != self.sync_error and not message.usual
        self.sync_error = message.error
        if self._manual_sync or news:
            self.notify(message.error, title=_("Sync failed"), severity="error", markup=False)
        self._show_sync_state()

    @on(SyncStatusRead)
    def _sync_status_read(self, message: SyncStatusRead) -> None:
        self.sync_status = message.status
        self._show_sync_state()

    @on(SyncStarted)
    def _sync_started(self) -> None:
        self._show_sync_state()

    def _show_sync_state(self) -> None:
        words = describe_sync(self.sync_status, running=self.syncing, error=self.sync_error)
        self.review.sync_state = words

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


def _conflict_marks(notebook: Notebook) -> set[tuple[str, str, str]]:
    """Each conflict waiting: its entry, field and time (what tells a new one apart)."""
    return {
        (entry.id, conflict.field, conflict.updated)
        for entry in notebook.entries(EntryFilter(conflicts=True))
        for conflict in entry.conflicts
    }


def _usual_failure(sync_module: Any, error: Exception, notebook: Notebook) -> bool:
    """Whether a sync failed for a reason that is a state rather than a trouble: offline (a
    participant on the move), or a notebook kept on this computer only (no shared remote)."""
    if isinstance(error, sync_module.OfflineError):
        return True
    return isinstance(error, sync_module.RemoteError) and not git_config(
        f"remote.{sync_module.REMOTE}.url", notebook.root
    )


def run_app(root: Path, *, language: str | None = None) -> None:
    """Open the notebook at ``root`` and run the review TUI until the participant quits."""
    notebook = Notebook(root)
    try:
        settings = load_settings(notebook.repo.local_dir)
        chosen = language or settings.get("language") or notebook.info.language
        interval = settings.get("sync_interval", DEFAULT_SYNC_INTERVAL)
        if not isinstance(interval, int | float) or interval <= 0:
            interval = None  # a setting of 0 turns background sync off
        CarnetApp(
            notebook,
            sync_interval=interval,
            language=chosen if chosen in LANGUAGES else "fr",
        ).run()
    finally:
        notebook.close()
