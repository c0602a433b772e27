"""The commands that change one's own words: comment-edit, comment-withdraw; delete, undelete."""

from __future__ import annotations

import argparse

from store.i18n import _
from store.text import safe_line
from tui.cli.base import open_notebook
from tui.cli.entries import body_options, read_body


def comment_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("comment_id", metavar="COMMENT_ID")


def edit_arguments(parser: argparse.ArgumentParser) -> None:
    comment_id_argument(parser)
    body_options(parser)


def cmd_comment_edit(args: argparse.Namespace) -> int:
    body = read_body(args) or ""
    with open_notebook(args) as notebook:
        comment = notebook.edit_comment(args.comment_id, body)
        print(_("Comment changed: {id}").format(id=notebook.short_id(comment.id)))
    return 0


def cmd_comment_withdraw(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        comment = notebook.withdraw_comment(args.comment_id)
        print(_("Comment withdrawn: {id}").format(id=notebook.short_id(comment.id)))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        entry = notebook.delete_entry(args.id)
        print(
            _("Deleted: {title} (carnet undelete {id} brings it back)").format(
                title=safe_line(entry.title), id=notebook.short_id(entry.id)
            )
        )
    return 0


def cmd_undelete(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        entry = notebook.undelete_entry(args.id)
        print(_("Restored: {title}").format(title=safe_line(entry.title)))
    return 0
