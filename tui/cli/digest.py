"""The digest: « Depuis ma dernière visite », what is new for me since I last read."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING

from store.i18n import _
from store.text import safe_line
from tui.cli.base import author_name, json_option, open_notebook, print_json

if TYPE_CHECKING:
    from store.digest import DigestItem
    from store.notebook import Notebook


def digest_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help=_("everything from that day on, read or not"))  # fmt: skip
    json_option(parser)


def cmd_digest(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        items = notebook.digest(since=args.since)
        if args.json:
            print_json([asdict(item) for item in items])
        else:
            print_items(notebook, items)
    return 0


def print_items(notebook: Notebook, items: list[DigestItem]) -> None:
    """The items under the title of their entry, one line each."""
    shown_entry = None
    for item in items:
        if item.entry != shown_entry:
            shown_entry = item.entry
            title = notebook.entry(item.entry).title
            print(f"{notebook.short_id(item.entry):<6} {safe_line(title)}")
        print("       " + item_line(notebook, item))
    if not items:
        print(_("Nothing new since your last visit."), file=sys.stderr)


def item_line(notebook: Notebook, item: DigestItem) -> str:
    from store.digest import describe
    from store.display import local_time

    """One item in words: when, what, who, and its text on one line."""
    return f"{local_time(item.time)} · {describe(item, author_name(notebook, item.author))}"
