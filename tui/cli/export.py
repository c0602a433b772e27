"""The command that writes the notebook as a commented synthesis: export."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from store.errors import CarnetError, InvalidInputError
from store.i18n import _
from store.progress import on_terminal
from tui.cli.base import criteria, filter_options, open_notebook


def export_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("md", "html"), default="md")
    parser.add_argument("-o", "--output", type=Path, metavar=_("FILE"))
    filter_options(parser)
    parser.add_argument(
        "--since", metavar=_("DATE"), help=_("only what was written since (YYYY-MM-DD)")
    )
    parser.add_argument(
        "--all", action="store_true", help=_("include archived and deleted entries")
    )
    parser.add_argument(
        "--attachments", action="store_true",
        help=_("copy the attached files into a folder beside the report (with -o)"),
    )  # fmt: skip


def cmd_export(args: argparse.Namespace) -> int:
    from store.report import render

    chosen = criteria(args)
    folder = None
    if args.attachments:
        if args.output is None:
            raise InvalidInputError(_("--attachments copies them beside the report: give -o"))
        folder = args.output.with_name(_("{name}_files").format(name=args.output.stem))
    with open_notebook(args) as notebook, on_terminal(_("Writing the synthesis")):
        document = render(
            notebook, fmt=args.format, criteria=chosen, since=args.since, include_all=args.all,
            attachments_to=folder,
        )  # fmt: skip
    if args.output is None:
        sys.stdout.write(document)
    else:
        try:
            args.output.write_text(document, encoding="utf-8")
        except OSError as exc:
            raise CarnetError(
                _("cannot write {path}: {reason}").format(path=args.output, reason=exc.strerror)
            ) from None
        print(_("Synthesis written to {path}").format(path=args.output))
    return 0
