"""An entry's history: what each change did (``carnet history``), and restoring a version."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from store.i18n import _
from store.text import safe_line, safe_text
from tui.cli.base import json_option, open_notebook, print_json

if TYPE_CHECKING:
    from store.history import Change, FieldChange


def history_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    json_option(parser)


def cmd_history(args: argparse.Namespace) -> int:
    from store.display import field_label, local_time, objective_titles

    with open_notebook(args) as notebook:
        changes = notebook.changes(args.id)
        if args.json:
            print_json([change_json(change) for change in changes])
            return 0
        objectives = objective_titles(notebook.info.objectives)
        for change in changes:
            print(
                f"{change.commit[:8]}  {local_time(change.time)} · {safe_line(change.author)}"
                f" · {safe_line(change.message)}"
            )
            for changed in change.fields:
                print(f"    {field_label(changed.field)} : {field_line(changed, objectives)}")
    return 0


def change_json(change: Change) -> dict[str, Any]:
    """A change for ``--json``: the commit, who and when, the names of the fields it changed,
    and each field's values before and after, with the word diff of a text."""
    data = asdict(change)
    data["fields"] = [changed.field for changed in change.fields]
    data["changes"] = {changed.field: asdict(changed) for changed in change.fields}
    return data


def field_line(changed: FieldChange, objectives: dict[int, str]) -> str:
    """What a change did to one field, on one line: a short word diff for a text, the new
    value for the others (a record, conflicts or a decision, by its name alone)."""
    from store.history import ADDED, REMOVED, shortened, value_words

    if changed.words:
        # How a plain terminal shows a word diff, as ``git diff --word-diff=plain`` does.
        marks = {ADDED: ("{+", "+}"), REMOVED: ("[-", "-]")}
        return "".join(
            safe_text(segment.text).join(marks.get(segment.kind, ("", "")))
            for segment in shortened(changed.words)
        )
    return safe_line(value_words(changed, objectives))


def restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")
    parser.add_argument("--version", required=True, metavar="COMMIT",
                        help=_("the change to go back to, as carnet history lists it"))  # fmt: skip


def cmd_restore(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        notebook.restore(args.id, args.version)
    return 0
