"""An entry's decision as the entry view shows it: its question, time left or outcome, the
stances counted and named, who has not answered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from store.display import local_day, local_time
from store.i18n import _, ngettext
from store.labels import stance_label, status_label
from store.model import STANCES, Decision, Entry
from store.text import safe_text


@dataclass(frozen=True)
class DecisionDetails:
    """What the entry view shows of the entry's decision, with names rather than ids."""

    decision: Decision
    counts: tuple[tuple[str, int], ...]  # (stance, how many): frozen once closed
    stances: tuple[tuple[str, str], ...]  # (name, stance), by name: frozen once closed
    missing: tuple[str, ...]  # the names of those who have taken no stance
    closed_by: str  # a name; "" when its deadline closed it (or while it is open)


def is_deciding(entry: Entry) -> bool:
    """Whether ``entry`` is put to a decision still open."""
    return entry.decision is not None and not entry.decision.is_closed


def days_left(decision: Decision, today: date | None = None) -> int:
    """Days from ``today`` to the decision's closing day (0 on the day, negative once past)."""
    return (date.fromisoformat(decision.closes) - (today or date.today())).days


def short_time_left(decision: Decision) -> str:
    """ "D-3" (in French "J-3"): the days left to an open decision, as a countdown."""
    days = days_left(decision)
    return _("D-{count}").format(count=days) if days >= 0 else _("past")


def time_left(decision: Decision) -> str:
    """ "closes in 3 days", "closes today", "closed": the decision's time left, in words."""
    if decision.is_closed:
        return _("closed")
    days = days_left(decision)
    if days < 0:  # a clone that cannot write (read-only) leaves it open past its day
        return _("past its closing day")
    if days == 0:
        return _("closes today")
    return ngettext("closes in {count} day", "closes in {count} days", days).format(count=days)


def decision_block(details: DecisionDetails) -> RenderableType:
    """The entry's decision: its question, time left or outcome, the stances and who has
    not answered."""
    decision = details.decision
    if decision.is_closed:
        heading = _("⚖ Decision closed")
    else:
        heading = _("⚖ Decision: {time_left}").format(time_left=time_left(decision))
    lines: list[Text] = []
    if decision.question:
        lines.append(Text(safe_text(decision.question), style="italic"))
    if decision.is_closed:
        closer = details.closed_by or _("by its deadline")
        closed = _("closed {date}, {closer}: {status}").format(
            date=local_time(decision.closed),
            closer=closer,
            status=status_label(decision.status or ""),
        )
        lines.append(Text(closed, style="dim"))
        if decision.outcome:
            outcome = _("Outcome: {outcome}").format(outcome=safe_text(decision.outcome))
            lines.append(Text(outcome))
    else:
        lines.append(
            Text(_("closing day {day}").format(day=local_day(decision.closes)), style="dim")
        )
    counts = Text(stance_counts(dict(details.counts)))
    append_names(counts, details.stances)
    lines.append(counts)
    if details.missing:
        missing = ", ".join(details.missing)
        lines.append(
            Text(
                _("Had not answered: {names}").format(names=missing)
                if decision.is_closed
                else _("Not answered yet: {names}").format(names=missing),
                style="dim",
            )
        )
    # Padding, not leading spaces: a long line wraps under its own first word.
    return Group(Text(heading, style="bold"), Padding(Group(*lines), (0, 0, 0, 2)))


def stance_counts(counts: dict[str, int]) -> str:
    """ "3 d'accord · 1 abstention": the stances taken, each counted; the stances nobody took
    are left out (five zeros said nothing)."""
    taken = [f"{counts[s]} {stance_label(s)}" for s in STANCES if counts.get(s)]
    return " · ".join(taken) or _("No stance taken yet")


def append_names(text: Text, stances: tuple[tuple[str, str], ...]) -> None:
    """Add to ``text`` a line per stance taken: who took it (``stances`` is (name, stance))."""
    for stance in STANCES:
        names = [name for name, s in stances if s == stance]
        if names:
            text.append("\n  ")
            text.append(
                _("{stance}: {names}").format(stance=stance_label(stance), names=", ".join(names)),
                style="dim",
            )
