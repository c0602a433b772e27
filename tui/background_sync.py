"""The review TUI's background sync: when it runs, what it tells, and the status bar's state.

A sync starts when the app opens, every few minutes, a little after each save, and on S; the
notebook is watched meanwhile for commits made elsewhere (the command line, another window).
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual import work

from store.errors import explain
from store.gate import describe
from store.git.program import git_config
from store.i18n import _, ngettext
from store.notebook import EntryFilter, Notebook
from store.progress import reporting
from store.sync_result import SyncStatus
from store.text import safe_text
from tui.messages import NotebookChanged, SyncFailed, SyncFinished, SyncStarted, SyncStatusRead
from tui.mixins import AppMixin
from tui.widgets.status_bar import describe_sync

if TYPE_CHECKING:
    from tui.screens.review import ReviewScreen


# A save is followed by a sync once the participant pauses, not after every key.
SYNC_AFTER_SAVE_DELAY = 5.0
# How often the screen looks for commits made elsewhere (the command line, another window): a
# read of .git/HEAD and its branch's file, no process started.
WATCH_INTERVAL = 2.0


class BackgroundSync(AppMixin):
    """Mixin for the app: syncs in the background and keeps the status bar's sync state."""

    notebook: Notebook
    sync_interval: float | None
    sync_status: SyncStatus | None = None
    sync_error: str | None = None
    syncing = False
    _sync_soon: Any = None
    _manual_sync = False
    _sync_percent = -1  # how far a large merge has gone, as last shown (-1: not shown)

    @property
    def review(self) -> ReviewScreen:
        """The review screen, whose status bar shows the sync's state: the app's to say."""
        raise NotImplementedError

    def start_watching(self) -> None:
        """Sync now and every ``sync_interval`` (if set), and look for commits made elsewhere."""
        if self.sync_interval:
            self.call_after_refresh(self.start_sync, manual=False)
            self.set_interval(self.sync_interval, self._interval_sync)
        self.set_interval(WATCH_INTERVAL, self._look_for_changes)

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
            self._sync_percent = -1
            with reporting(self._sync_progress):
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

    def _sync_progress(self, done: int, total: int) -> None:
        """A large merge's progress (in the sync's thread): in the status bar, each percent."""
        percent = min(100, done * 100 // max(total, 1))
        if percent != self._sync_percent:
            self._sync_percent = percent
            self.call_from_thread(self._show_sync_progress, percent)

    def _show_sync_progress(self, percent: int) -> None:
        if self.syncing:
            words = "⟳ " + _("merging the others' changes… {percent} %").format(percent=percent)
            self.review.sync_state = (words, "bold")

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

    def on_sync_finished(self, message: SyncFinished) -> None:
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

    def on_sync_failed(self, message: SyncFailed) -> None:
        self.syncing = False
        # A background sync tells a new trouble once (a full disk, refused access), not every
        # few minutes, and the usual states not at all: the status bar shows them.
        news = message.error != self.sync_error and not message.usual
        self.sync_error = message.error
        if self._manual_sync or news:
            self.notify(message.error, title=_("Sync failed"), severity="error", markup=False)
        self._show_sync_state()

    def on_sync_status_read(self, message: SyncStatusRead) -> None:
        self.sync_status = message.status
        self._show_sync_state()

    def on_sync_started(self) -> None:
        self._show_sync_state()

    def _show_sync_state(self) -> None:
        words = describe_sync(self.sync_status, running=self.syncing, error=self.sync_error)
        self.review.sync_state = words


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
