"""The commands of decisions: put an entry to the group until a day, close it, list them."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from store.i18n import _
from store.labels import stance_label, status_label
from store.text import safe_line
from tui.cli.base import author_name, json_option, open_notebook, print_listing
from tui.cli.entries import entry_id_argument

if TYPE_CHECKING:
    from store.model import DecisionState
    from store.notebook import Notebook


def decision_arguments(parser: argparse.ArgumentParser) -> None:
    from store.schema import DECISION_OUTCOMES

    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    opening = actions.add_parser("open", help=_("put an entry to a decision"))
    entry_id_argument(opening)
    opening.add_argument("--closes", required=True, metavar="YYYY-MM-DD",
                         help=_("the day the decision closes"))  # fmt: skip
    opening.add_argument("--question", default="", help=_("the question put to the group"))
    closing = actions.add_parser("close", help=_("close the decision on an entry"))
    entry_id_argument(closing)
    closing.add_argument("--outcome", required=True, help=_("what the group decided"))
    closing.add_argument("--status", default="adopted", help=" | ".join(DECISION_OUTCOMES))


def cmd_decision(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        if args.action == "open":
            entry = notebook.open_decision(args.id, args.closes, args.question)
            print(
                _("Decision open on “{title}” until {day}.").format(
                    title=safe_line(entry.title), day=args.closes
                )
            )
        else:
            entry = notebook.close_decision(args.id, args.outcome, args.status)
            print(
                _("Decision closed on “{title}”: {status}.").format(
                    title=safe_line(entry.title), status=status_label(entry.status)
                )
            )
    return 0


def decisions_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help=_("only the open decisions"))
    json_option(parser)


def cmd_decisions(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        print_listing(
            notebook.decisions(open_only=args.open), as_json=args.json, doc=decision_json,
            line=lambda state: decision_line(notebook, state), empty=_("No decision."),
        )  # fmt: skip
    return 0


def decision_line(notebook: Notebook, state: DecisionState) -> str:
    from store.display import local_day

    """One decision in words: its entry, its question, where it stands, who has not answered."""
    decision, entry = state.decision, state.entry
    counts = " · ".join(f"{count} {stance_label(stance)}" for stance, count in state.counts)
    if state.closed:
        when = _("closed: {outcome}").format(outcome=safe_line(decision.outcome or ""))
    else:
        when = _("closes on {day}").format(day=local_day(decision.closes))
    line = f"{notebook.short_id(entry.id):<6} {safe_line(entry.title)}"
    if decision.question:
        line += f" — {safe_line(decision.question)}"
    line += f" — {when} — {counts}"
    if state.missing and not state.closed:
        names = ", ".join(author_name(notebook, p) for p in state.missing)
        line += " — " + _("no answer yet: {names}").format(names=names)
    return line


def decision_json(state: DecisionState) -> dict[str, Any]:
    decision = state.decision
    return {
        "entry": state.entry.id,
        "title": state.entry.title,
        "question": decision.question,
        "closes": decision.closes,
        "closed": state.closed,
        "outcome": decision.outcome,
        "status": decision.status,
        "stances": dict(state.counts),
        "answered": list(state.answered),
        "missing": list(state.missing),
    }
