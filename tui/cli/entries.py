"""The commands that write and read entries: add, edit, comment, read, endorse, list, show."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.errors import InvalidInputError
from store.folder import find_notebook
from store.i18n import _, set_language
from store.labels import STANCE_LABELS, kind_label, stance_label, status_label
from store.text import safe_line, safe_text
from tui.cli.base import (
    author_name,
    criteria,
    filter_options,
    json_option,
    kind_option,
    named,
    open_notebook,
    print_json,
    quick_listing,
    status_option,
    value_line,
)

if TYPE_CHECKING:
    from store.listing import Row
    from store.model import Entry
    from store.notebook import Notebook


def entry_id_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID")


def body_options(parser: argparse.ArgumentParser) -> None:
    body = parser.add_mutually_exclusive_group()
    body.add_argument("--body", help=_("the text (Markdown)"))
    body.add_argument(
        "--body-file",
        type=Path,
        metavar=_("FILE"),
        help=_("read the text from a file (- for stdin)"),
    )


def read_body(args: argparse.Namespace) -> str | None:
    """The text of ``--body`` or ``--body-file``; None when neither is given."""
    if args.body_file is None:
        body: str | None = args.body
        return body
    path: Path = args.body_file
    try:
        if str(path) == "-":
            return sys.stdin.read()
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(
            _("cannot read {path}: {reason}").format(path=path, reason=exc)
        ) from None


def entry_json(notebook: Notebook, entry: Entry) -> dict[str, Any]:
    """An entry for ``--json``: every field of its table, as stored, and what the notebook knows
    of it (a field added to the table appears here by itself)."""
    return {
        "id": entry.id,
        "short_id": notebook.short_id(entry.id),
        **entry.to_doc(),
        "unread": notebook.is_unread(entry.id),
        "stances": notebook.stances(entry.id),
        "comments_count": notebook.comment_count(entry.id),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    kind_option(parser, required=True)
    parser.add_argument("--title", required=True)
    body_options(parser)
    parser.add_argument("--objective", type=int, action="append", default=[], metavar="N")
    parser.add_argument("--tag", action="append", default=[])
    status_option(parser, default="open")


def cmd_add(args: argparse.Namespace) -> int:
    # Without opening the notebook when its files settle every check (store.adding).
    from store.adding import DirectNotebook

    body = read_body(args) or ""
    direct = DirectNotebook.open(find_notebook(args.directory))
    if direct is not None:
        if args.ui_language is None:
            set_language(direct.language)
        _entry, short = direct.add_entry(
            args.kind, args.title, body, objectives=args.objective, tags=args.tag,
            status=args.status,
        )  # fmt: skip
        print(short)
        return 0
    with open_notebook(args) as notebook:
        entry = notebook.add_entry(
            args.kind,
            args.title,
            body,
            objectives=args.objective,
            tags=args.tag,
            status=args.status,
        )
        print(notebook.short_id(entry.id))
    return 0


def edit_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    kind_option(parser)
    parser.add_argument("--title")
    body_options(parser)
    status_option(parser)
    parser.add_argument(
        "--objective",
        type=int,
        action="append",
        metavar="N",
        help=_("the entry's objectives (replaces them; repeat the option)"),
    )
    parser.add_argument(
        "--tag", action="append", help=_("the entry's tags (replaces them; repeat the option)")
    )


def cmd_edit(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        # The entry is read before the new text (which may come from a pipe that is still
        # being written): that version is the edit's base, merged onto whatever is current
        # when the edit is saved.
        entry = notebook.entry(args.id)
        body = read_body(args)
        notebook.edit_entry(
            entry.id,
            base=entry,
            kind=args.kind,
            title=args.title,
            body=body,
            status=args.status,
            objectives=args.objective,
            tags=args.tag,
        )
    return 0


def comment_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    body_options(parser)
    parser.add_argument("--reply-to", metavar="COMMENT_ID")


def cmd_comment(args: argparse.Namespace) -> int:
    body = read_body(args)
    if body is None:
        raise InvalidInputError(_("the comment is empty: give --body or --body-file"))
    # Without opening the notebook when its files settle every check (store.direct_actions).
    from store.direct_actions import DirectActions

    direct = DirectActions.open(find_notebook(args.directory))
    if direct is not None:
        if args.ui_language is None:
            set_language(direct.language)
        done = direct.add_comment(args.id, body, parent=args.reply_to)
        if done is not None:
            print(done[1])
            return 0
    with open_notebook(args) as notebook:
        comment = notebook.add_comment(args.id, body, parent=args.reply_to)
        print(notebook.short_id(comment.id))
    return 0


def read_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    parser.add_argument("--unread", action="store_true", help=_("mark it unread instead"))


def cmd_read(args: argparse.Namespace) -> int:
    # Without opening the notebook when its files settle every check (store.direct_actions).
    from store.direct_actions import DirectActions

    entry = None
    direct = DirectActions.open(find_notebook(args.directory))
    if direct is not None:
        if args.ui_language is None:
            set_language(direct.language)
        entry = direct.mark_unread(args.id) if args.unread else direct.mark_read(args.id)
    if entry is None:
        with open_notebook(args) as notebook:
            entry = notebook.entry(args.id)
            if args.unread:
                notebook.mark_unread(entry.id)
            else:
                notebook.mark_read(entry.id)
    done = _("Marked unread: {title}") if args.unread else _("Marked read: {title}")
    print(done.format(title=safe_line(entry.title)))
    return 0


def endorse_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    stance = parser.add_mutually_exclusive_group()
    stance.add_argument("--stance", default="agree", type=named(STANCE_LABELS),
                        help=" | ".join(map(stance_label, STANCE_LABELS)))  # fmt: skip
    stance.add_argument("--withdraw", action="store_true", help=_("withdraw your stance"))


def cmd_endorse(args: argparse.Namespace) -> int:
    # Without opening the notebook when its files settle every check (store.direct_actions).
    from store.direct_actions import DirectActions

    stance = None if args.withdraw else args.stance
    entry = None
    direct = DirectActions.open(find_notebook(args.directory))
    if direct is not None:
        if args.ui_language is None:
            set_language(direct.language)
        entry = direct.set_stance(args.id, stance)
    if entry is None:
        with open_notebook(args) as notebook:
            entry = notebook.entry(args.id)
            notebook.set_stance(entry.id, stance)
    title = safe_line(entry.title)
    if stance is None:
        print(_("Stance withdrawn on: {title}").format(title=title))
    else:
        print(
            _("Your stance, “{stance}”, on: {title}").format(
                stance=stance_label(stance), title=title
            )
        )
    return 0


def list_arguments(parser: argparse.ArgumentParser) -> None:
    filter_options(parser)
    parser.add_argument("--unread", action="store_true", help=_("only unread entries"))
    parser.add_argument("--conflicts", action="store_true", help=_("only entries to resolve"))
    parser.add_argument(
        "--search",
        default="",
        metavar=_("WORDS"),
        help=_("only entries containing these words (accents and case ignored)"),
    )
    parser.add_argument("--all", action="store_true", help=_("include deleted entries"))
    json_option(parser)


def cmd_list(args: argparse.Namespace) -> int:
    chosen = criteria(args)._replace(
        unread=args.unread, conflicts=args.conflicts, search=args.search
    )
    if not args.json:
        # The listing on disk, when it is up to date, answers without opening the notebook.
        listing = quick_listing(args, search=bool(chosen.search.strip()))
        if listing is not None and listing.accepts(chosen):
            return print_rows(listing.select(chosen), listing.unread)
    with open_notebook(args) as notebook:
        if args.json:
            print_json([entry_json(notebook, e) for e in notebook.entries(chosen)])
            return 0
        listing = notebook.listing()
        if not listing.accepts(chosen):
            notebook.entries(chosen)  # refuses the unknown kind, status or objective in words
        return print_rows(listing.select(chosen), listing.unread)


def print_rows(rows: list[Row], unread: Collection[str]) -> int:
    """One line per entry: unread and conflict marks, short id, kind, objectives, status,
    title and author."""
    # A handful of kinds and statuses among a thousand lines: each label translated once.
    kinds = {kind: kind_label(kind) for kind in {row.kind for row in rows}}
    statuses = {status: status_label(status) for status in {row.status for row in rows}}
    lines = []
    for row in rows:
        marks = ("●" if row.id in unread else " ") + ("!" if row.conflicts else " ")
        objectives = "[" + (",".join(map(str, row.objectives)) or "-") + "]"
        lines.append(
            f"{marks} {row.short_id:<6} {kinds[row.kind]:<24} "
            f"{objectives:<9} {statuses[row.status]:<11} {safe_line(row.title)}"
            f" — {safe_line(row.author_name)}\n"
        )
    sys.stdout.write("".join(lines))
    if not rows:
        print(_("No entry matches."), file=sys.stderr)
    return 0


def show_arguments(parser: argparse.ArgumentParser) -> None:
    entry_id_argument(parser)
    json_option(parser)


def cmd_show(args: argparse.Namespace) -> int:
    from store.display import local_time

    with open_notebook(args) as notebook:
        entry = notebook.entry(args.id)
        thread = notebook.thread(entry.id)
        if args.json:
            data = entry_json(notebook, entry)
            data["comments"] = [{"id": i.comment.id, **i.comment.to_doc()} for i in thread]
            data["links"] = [link_json(notebook, i) for i in notebook.cited(entry.id)]
            data["backlinks"] = [link_json(notebook, i) for i in notebook.cited_by(entry.id)]
            print_json(data)
            return 0
        print(f"{safe_line(entry.title)}  [{notebook.short_id(entry.id)}]")
        objectives = ", ".join(str(n) for n in entry.objectives) or "-"
        print(
            f"{kind_label(entry.kind)} · {status_label(entry.status)} · "
            + _("objectives {numbers}").format(numbers=objectives)
            + f" · {author_name(notebook, entry.author)} · {local_time(entry.created)}"
        )
        if entry.tags:
            print(_("Tags: {tags}").format(tags=value_line(entry.tags)))
        stances = notebook.stances(entry.id)
        if stances:
            print(
                " · ".join(
                    f"{author_name(notebook, p)} : {stance_label(s)}" for p, s in stances.items()
                )
            )
        for conflict in entry.conflicts:
            print(
                _("To resolve: “{field}” also had the value “{value}” ({author})").format(
                    field=safe_line(conflict.field),
                    value=value_line(conflict.value),
                    author=author_name(notebook, conflict.author),
                )
            )
        print()
        print(safe_text(entry.body))
        for heading, ids in ((_("Cites: {titles}"), notebook.cited(entry.id)),
                             (_("Cited by: {titles}"), notebook.cited_by(entry.id))):  # fmt: skip
            if ids:
                print()
                print(heading.format(titles=" · ".join(link_line(notebook, i) for i in ids)))
        if thread:
            print()
            print(_("Comments ({count})").format(count=len(thread)))
        for item in thread:
            indent = "    " * item.depth
            comment = item.comment
            print(
                f"{indent}— {author_name(notebook, comment.author)}, "
                f"{local_time(comment.created)} [{notebook.short_id(comment.id)}]"
            )
            body = _("(comment withdrawn)") if comment.deleted else safe_text(comment.body)
            for line in body.splitlines():
                print(f"{indent}  {line}")
    return 0


def link_json(notebook: Notebook, entry_id: str) -> dict[str, Any]:
    """An entry linked to or from, for ``--json``: its id, short id, title, whether deleted."""
    entry = notebook.entry(entry_id)
    return {
        "id": entry.id,
        "short_id": notebook.short_id(entry.id),
        "title": entry.title,
        "deleted": entry.deleted,
    }


def link_line(notebook: Notebook, entry_id: str) -> str:
    """An entry linked to or from, on one line: its title and short id, or that it is gone."""
    entry = notebook.entry(entry_id)
    if entry.deleted:
        return _("entry not found") + f" [{notebook.short_id(entry.id)}]"
    return f"{safe_line(entry.title)} [{notebook.short_id(entry.id)}]"
