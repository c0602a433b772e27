"""What the screens where a participant writes share: errors said in place, one save at a time,
and a question before throwing written text away."""

from __future__ import annotations

from typing import ClassVar

from textual.content import Content
from textual.widgets import Static

from store.i18n import _
from tui.messages import ActionDone, WorkFailed
from tui.screens.confirm import ConfirmScreen
from tui.screens.failures import ReportsFailures


class WritingScreen(ReportsFailures):
    """Mixin for a screen with unsaved text: ``changed``, ``show_error`` and ``action_cancel``.

    The screen has a ``Static`` with the id ``error`` and sets ``_saving`` while a save runs.
    """

    DISCARD_QUESTION: ClassVar[str]  # marked with N_, asked when leaving with unsaved text
    _saving = False

    @property
    def changed(self) -> bool:
        """Whether leaving now would throw away something the participant wrote."""
        raise NotImplementedError

    def show_error(self, reason: str) -> None:
        """Say in the screen why it cannot be saved (an empty ``reason`` hides it)."""
        error = self.query_one("#error", Static)
        # Store messages start in lower case (they also end command-line lines): a sentence here.
        error.update(Content(reason[:1].upper() + reason[1:]))
        error.set_class(bool(reason), "-shown")

    def action_cancel(self) -> None:
        """Leave without saving; ask first if something was written."""
        if self._saving:
            return
        if not self.changed:
            self.dismiss(None)
            return

        def leave(confirmed: bool | None) -> None:
            if confirmed:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(_(self.DISCARD_QUESTION)), leave)


class ClosesWhenSaved(WritingScreen):
    """Mixin for a writing dialog that closes with what its save returns, or says in place why
    the save failed (the comment and section dialogs)."""

    def on_action_done(self, message: ActionDone) -> None:
        self._saving = False
        self.dismiss(message.result)

    def on_work_failed(self, message: WorkFailed) -> None:
        self._saving = False
        self.show_error(message.reason)
