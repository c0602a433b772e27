"""The decisions of the notebook: what the entry view shows of one, and the list of them all."""

from __future__ import annotations

from rich.text import Text

from store.display import participant_name, participant_names
from store.i18n import _
from store.labels import stance_label
from store.model import DecisionState, Entry
from store.notebook import Notebook
from store.text import safe_line
from tui.screens.choice import ChoiceScreen
from tui.widgets.entry_decision import DecisionDetails, time_left

# The list of decisions is this wide (or the screen's width, less a margin).
DIALOG_WIDTH = 110


def decision_state(notebook: Notebook, entry: Entry) -> DecisionState | None:
    """Where the decision on ``entry`` stands, as the notebook counts it (None: none)."""
    if entry.decision is None:
        return None
    return next((s for s in notebook.decisions() if s.entry.id == entry.id), None)


def decision_details(notebook: Notebook, entry: Entry) -> DecisionDetails | None:
    """What the entry view shows of the decision on ``entry`` (None: it is put to none)."""
    state = decision_state(notebook, entry)
    if state is None:
        return None
    names = participant_names(notebook.participants())
    decision = state.decision
    taken = dict(decision.result) if decision.is_closed else notebook.stances(entry.id)
    return DecisionDetails(
        decision=decision,
        counts=state.counts,
        stances=tuple(
            sorted((participant_name(names, who), stance) for who, stance in taken.items())
        ),
        missing=tuple(sorted(participant_name(names, who) for who in state.missing)),
        closed_by=participant_name(names, decision.closed_by) if decision.closed_by else "",
    )


class DecisionsScreen(ChoiceScreen):
    """The decisions of the notebook, to choose one; dismisses with its entry's id, or None."""

    def on_mount(self) -> None:
        super().on_mount()
        # Wider than the other choices (the app's style sets theirs): a decision is told in
        # a few lines: its entry's title, its question, its outcome, where it stands.
        self.query_one("#choice-dialog").styles.width = DIALOG_WIDTH


def decisions_screen(notebook: Notebook) -> DecisionsScreen | None:
    """The open decisions, then the closed ones, to choose one and go to its entry (None:
    the notebook has none)."""
    states = notebook.decisions()
    if not states:
        return None
    names = participant_names(notebook.participants())
    ordered = [s for s in states if not s.closed] + [s for s in states if s.closed]
    choices = [(state.entry.id, _decision_label(state, names)) for state in ordered]
    first_open = next((s.entry.id for s in ordered if not s.closed), None)
    return DecisionsScreen(_("Decisions: choose one to read its entry"), choices, first_open)


def _decision_label(state: DecisionState, names: dict[str, str]) -> Text:
    decision = state.decision
    label = Text("⚖ ", style="dim" if state.closed else "bold")
    label.append(safe_line(state.entry.title), style="bold")
    label.append(f"  · {time_left(decision)}", style="dim")
    if decision.question:
        label.append("\n  " + safe_line(decision.question), style="italic")
    if decision.outcome:
        label.append("\n  " + _("Outcome: {outcome}").format(outcome=safe_line(decision.outcome)))
    counts = " · ".join(f"{n} {stance_label(s)}" for s, n in state.counts if n)
    if counts:
        label.append("\n  " + counts, style="dim")
    if not state.closed and state.missing:
        missing = ", ".join(sorted(participant_name(names, p) for p in state.missing))
        label.append("\n  " + _("Not answered yet: {names}").format(names=missing), style="dim")
    return label
