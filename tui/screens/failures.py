"""Background work that fails in a way nobody foresaw is told like any other failure."""

from __future__ import annotations

from textual.worker import Worker, WorkerState

from store.errors import explain
from tui.messages import WorkFailed
from tui.mixins import ScreenMixin


class ReportsFailures(ScreenMixin):
    """Mixin for a screen whose workers report their failures with ``WorkFailed``.

    A worker started with ``exit_on_error=False`` that raises something unforeseen (a bug)
    would end silently, and the screen would wait for it for ever ("saving…", a button that
    stays disabled): the error comes to the screen's ``WorkFailed`` handler instead.
    """

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.post_message(WorkFailed(explain(error) if error is not None else ""))
