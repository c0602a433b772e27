"""The commands of attachments: attach a file to an entry, list its files, save a copy."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from store.i18n import _
from store.text import safe_line
from tui.cli.base import author_name, open_notebook, print_listing
from tui.cli.entries import entry_id_argument

if TYPE_CHECKING:
    from store.model import Attachment
    from store.notebook import Notebook


def attach_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    parser.add_argument("file", metavar=_("FILE"), type=Path, help=_("the file to attach"))


def cmd_attach(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        print(notebook.attach(args.id, args.file).sha256)
    return 0


def cmd_attachments(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        print_listing(
            notebook.attachments(args.id), as_json=args.json,
            doc=lambda attachment: attachment.to_doc(),
            line=lambda attachment: attachment_line(notebook, attachment),
            empty=_("No attachment."),
        )  # fmt: skip
    return 0


def attachment_line(notebook: Notebook, attachment: Attachment) -> str:
    from store.attachments import size_in_words

    """One attachment in words: its hash's first digits, name, size, who added it."""
    return " — ".join(
        (
            attachment.sha256[:10],
            safe_line(attachment.name),
            size_in_words(attachment.size),
            author_name(notebook, attachment.added_by),
        )
    )


def save_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    parser.add_argument("sha256", metavar="SHA256")
    parser.add_argument("dest", metavar=_("DEST"), type=Path,
                        help=_("where to save the copy (a file, or a folder)"))  # fmt: skip


def cmd_attachment_save(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        saved = notebook.save_attachment(args.id, args.sha256, args.dest)
        print(_("Saved: {path}").format(path=saved))
    return 0
