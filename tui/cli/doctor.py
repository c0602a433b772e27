"""The command that checks every file of the notebook: doctor."""

from __future__ import annotations

import argparse
import dataclasses

from store.i18n import _
from store.text import safe_line, safe_name, safe_text
from tui.cli import EXIT_ERROR
from tui.cli.base import open_notebook, print_json

DOCTOR_PATHS = 10  # refused paths doctor prints; --json gives every one


def cmd_doctor(args: argparse.Namespace) -> int:
    from store.gate import describe
    from store.signatures import describe_unsigned, unsigned_history
    from store.sync import refusals

    with open_notebook(args) as notebook:
        problems = [{"path": p.path, "reason": p.reason} for p in notebook.problems]
        refused = refusals(notebook)
        unsigned = unsigned_history(notebook)
        if notebook.read_only:
            problems.append(
                {
                    "path": "carnet.json",
                    "reason": _(
                        "written by a newer Carnet (format {format}): open read-only"
                    ).format(format=notebook.info.format),
                }
            )
        if args.json:
            print_json(
                {
                    "ok": not problems,
                    "problems": problems,
                    "refused": [refusal.to_doc() for refusal in refused],
                    "unsigned": [dataclasses.asdict(commit) for commit in unsigned],
                }
            )
            return EXIT_ERROR if problems else 0
        if refused:
            print(_("Changes from the others that the sync did not let through:"))
            for line in describe(refused):
                print(f"  {safe_text(line)}")
            shown = refused[-DOCTOR_PATHS:]
            for refusal in shown:
                print(f"  {safe_name(refusal.path)} ({refusal.commit[:10]})")
            if len(refused) > len(shown):
                print(
                    "  "
                    + _("… and {count} more: carnet doctor --json lists them all").format(
                        count=len(refused) - len(shown)
                    )
                )
        if unsigned:
            print(_("Changes already in the history that lack their author's signature:"))
            for line in describe_unsigned(unsigned):
                print(f"  {safe_text(line)}")
        if problems:
            for problem in problems:
                # A file name comes from whoever pushed the file: one line, escapes visible.
                print(f"{safe_name(problem['path'])}: {safe_line(problem['reason'])}")
            print(
                _(
                    "{count} file(s) could not be read; Carnet leaves them as they are and works "
                    "without them. Ask the participant who wrote them to fix or replace them."
                ).format(count=len(problems))
            )
        elif not refused and not unsigned:
            print(_("Everything is in order."))
    return EXIT_ERROR if problems else 0
