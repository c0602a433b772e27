"""Decisions on entries: opened, closed with an outcome, or closed by their deadline.

There is no server to close a decision on its day: each clone closes the overdue ones when it
opens the notebook and after each sync, all in the same way, so that clones agree. Days are UTC
days of the notebook's clock (the one that dates every change), so that clones in Paris and in
Québec close a decision on the same day.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from store.actions import NotebookActions
from store.errors import CarnetError, InvalidInputError
from store.i18n import N_, _
from store.labels import status_label
from store.model import STANCES, Decision, DecisionState, Entry
from store.record import replace
from store.schema import DECISION_OUTCOMES, is_day
from store.writing import unknown_participant


class NotebookDecisions(NotebookActions):
    """The decisions of a notebook: the group's answers to a question, until a day."""

    def __init__(self, root: Path, *, participant: str | None = None) -> None:
        super().__init__(root, participant=participant)
        # Closing what is overdue must never keep a notebook from opening (a read-only disk,
        # another Carnet writing): the next opening or sync tries again.
        with contextlib.suppress(CarnetError, OSError):
            self.close_overdue_decisions()

    def _today(self) -> str:
        """Today, as a UTC day ``YYYY-MM-DD`` of the notebook's clock."""
        return self._clock()[:10]

    def decisions(self, open_only: bool = False) -> list[DecisionState]:
        """The entries put to a decision, by closing day: the stances of an open one as they
        are now, of a closed one as they were when it closed."""
        everyone = [p.id for p in self.participants()]
        states = []
        for entry in self.entries():
            decision = entry.decision
            if decision is None or (open_only and decision.is_closed):
                continue
            taken = dict(decision.result) if decision.is_closed else self.stances(entry.id)
            counts = tuple((s, sum(1 for t in taken.values() if t == s)) for s in STANCES)
            answered = tuple(p for p in everyone if p in taken)
            missing = tuple(p for p in everyone if p not in taken)
            states.append(DecisionState(entry, decision, counts, answered, missing))
        return sorted(states, key=lambda state: (state.decision.closes, state.entry.id))

    def open_decision(self, entry_id: str, closes: str, question: str = "") -> Entry:
        """Put an entry to the group's decision until ``closes`` (a day, ``YYYY-MM-DD``).

        Raises:
            InvalidInputError: not a day, a day already past, or a decision already open.
        """
        if not is_day(closes):
            raise InvalidInputError(
                _("“{value}” is not a day: write it YYYY-MM-DD").format(value=closes)
            )
        if closes < self._today():
            raise InvalidInputError(
                _("the closing day {day} is already past: choose a later one").format(day=closes)
            )
        current = self.entry(entry_id)
        if current.decision is not None and not current.decision.is_closed:
            raise InvalidInputError(_("a decision is already open on this entry"))
        if self.me is None:
            raise unknown_participant()
        decision = Decision(question.strip(), closes, self.me, self._clock())
        return self._update_entry(current, {"decision": decision}, N_("Open a decision: {title}"))

    def close_decision(self, entry_id: str, outcome: str, status: str = "adopted") -> Entry:
        """Close the entry's decision: the stances as they are now become its result, and the
        entry takes ``status`` (adopted or archived).

        Raises:
            InvalidInputError: an unknown status, no decision, or one already closed.
        """
        if status not in DECISION_OUTCOMES:
            raise InvalidInputError(
                _("unknown outcome “{value}”: choose one of {choices}").format(
                    value=status, choices=", ".join(map(status_label, DECISION_OUTCOMES))
                )
            )
        self.refresh()  # the stances frozen are the latest this clone has
        current = self.entry(entry_id)
        if current.decision is None:
            raise InvalidInputError(_("this entry is not put to a decision"))
        if current.decision.is_closed:
            raise InvalidInputError(_("this decision is already closed"))
        if self.me is None:
            raise unknown_participant()
        closed = replace(
            current.decision, closed_by=self.me, closed=self._clock(), outcome=outcome.strip(),
            status=status, result=tuple(sorted(self.stances(current.id).items())),
        )  # fmt: skip
        changes = {"decision": closed, "status": status}
        return self._update_entry(current, changes, N_("Close the decision: {title}"))

    def close_overdue_decisions(self) -> list[Entry]:
        """Close the decisions whose closing day is past, as every clone closes them.

        Each clone that finds one closes it the same way, so that two of them doing it offline
        agree: closed at the end of its day, by nobody (``closed_by`` empty: the deadline
        closed it, no participant did), with no outcome and the entry's status as it is.
        Nothing happens on a read-only notebook.
        """
        if self.read_only or self.me is None:
            return []
        today = self._today()
        closed = []
        for entry in self.entries():
            decision = entry.decision
            if decision is None or decision.is_closed or decision.closes >= today:
                continue
            frozen = replace(
                decision, closed_by="", closed=f"{decision.closes}T23:59:59Z",
                outcome="", result=tuple(sorted(self.stances(entry.id).items())),
            )  # fmt: skip
            message = N_("Close the decision by its deadline: {title}")
            closed.append(self._update_entry(entry, {"decision": frozen}, message))
        return closed
