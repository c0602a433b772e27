"""The one runner of participant actions: each is saved off the screen's thread, in the order
asked for, and its end is told the same way whatever the action."""

from __future__ import annotations

import threading

from textual import work

from store.errors import explain
from store.i18n import _
from tui.messages import ActionAsked, ActionDone, ActionFailed, WorkFailed
from tui.mixins import AppMixin


class ActionRunner(AppMixin):
    """Mixin for the app: runs every ``ActionAsked`` that a screen posts, one after the other.

    Actions run in threads (a sync may hold the notebook for a while) but are saved in the
    order they were asked for: each thread waits for its ticket to be served.
    """

    _turn: threading.Condition | None = None
    _next_ticket = 0
    _serving = 0

    def on_action_asked(self, asked: ActionAsked) -> None:
        asked.stop()
        if self._turn is None:
            self._turn = threading.Condition()
        ticket = self._next_ticket
        self._next_ticket += 1
        self._run_action(ticket, asked, self._turn)

    @work(thread=True, group="actions", exit_on_error=False)
    def _run_action(self, ticket: int, asked: ActionAsked, turn: threading.Condition) -> None:
        with turn:
            turn.wait_for(lambda: self._serving == ticket)
        try:
            result = asked.run()
        except Exception as error:  # whatever it is, the participant is told, never left unsure
            self.post_message(ActionFailed(asked, explain(error)))
        else:
            self.post_message(ActionDone(asked, result))
        finally:
            with turn:
                self._serving += 1
                turn.notify_all()

    def on_action_done(self, done: ActionDone) -> None:
        asked = done.asked
        if asked.notice:
            self.notify(asked.notice, timeout=3, markup=False)
        self.after_save()
        if asked.requester is not None and asked.requester.is_attached:
            asked.requester.post_message(ActionDone(asked, done.result))

    def on_action_failed(self, failed: ActionFailed) -> None:
        requester = failed.asked.requester
        if requester is not None and requester.is_attached:
            requester.post_message(WorkFailed(failed.reason))
        else:  # the screen that asked is gone: the failure is said all the same
            self.notify(failed.reason, title=_("Not saved"), severity="error", markup=False)

    def after_save(self) -> None:
        """What the app does after each saved action (Carnet syncs a little later)."""
