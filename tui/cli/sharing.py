"""The commands that share the notebook and settle what a merge put aside: sync, status,
conflicts, resolve.

GitPython is imported only inside the commands that need it, to keep the others quick.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from store.i18n import N_, _, ngettext
from store.listing import EntryFilter
from store.progress import on_terminal
from store.text import safe_line, safe_text
from tui.cli.base import (
    author_name,
    named,
    open_notebook,
    print_json,
    value_line,
)
from tui.cli.entries import read_body

# The version of a field in conflict that ``resolve --keep`` keeps, in the words it prints.
KEPT_VERSIONS = {"current": N_("current"), "other": N_("other")}


def sync_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-push", action="store_true", help=_("receive only"))


def cmd_sync(args: argparse.Namespace) -> int:
    from store.gate import describe
    from store.sync import sync

    with open_notebook(args) as notebook:
        # A merge of hundreds of documents tells how far it has gone (on a terminal only).
        with on_terminal(_("Merging the others' changes")):
            report = sync(notebook, push=not args.no_push)
        # The conflicts waiting now, whoever's merge recorded them: one that came in already
        # recorded by another clone's merge is as much to resolve as one this merge found.
        waiting = sum(len(e.conflicts) for e in notebook.entries(EntryFilter(conflicts=True)))
        if report.up_to_date:
            print(_("Already up to date."))
        else:
            news = [
                ngettext("{count} new entry", "{count} new entries", len(report.new_entries))
                .format(count=len(report.new_entries)),
                ngettext("{count} new comment", "{count} new comments", len(report.new_comments))
                .format(count=len(report.new_comments)),
            ]  # fmt: skip
            print(_("Synced: {news}.").format(news=", ".join(news)))
        if waiting:
            print(
                ngettext("{count} conflict to resolve", "{count} conflicts to resolve", waiting)
                .format(count=waiting)
                + " — "
                + _("see: carnet conflicts")
            )  # fmt: skip
        for line in describe(report.refused):
            print(safe_text(line))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from store.display import local_time
    from store.sync import status

    with open_notebook(args) as notebook:
        state = status(notebook)
        data = {
            "remote": state.remote,
            "ahead": state.ahead,
            "behind": state.behind,
            "unpushed": state.unpushed,
            "last_sync": state.last_sync,
            "offline": state.offline,
            "conflicts": state.conflicts,
            "pending": state.pending,
            "unread": notebook.unread_count(),
            "problems": len(notebook.problems),
        }
        if args.json:
            print_json(data)
            return 0
        print(_("Notebook: {title}").format(title=safe_line(notebook.info.title)))
        print(
            _("Shared repository: {remote}").format(
                remote=safe_line(state.remote) if state.remote else _("none")
            )
        )
        print(_("Unread entries: {count}").format(count=data["unread"]))
        print(
            ngettext(
                "To share: {count} change; to receive: {behind}",
                "To share: {count} changes; to receive: {behind}",
                state.unpushed,
            ).format(count=state.unpushed, behind=state.behind)
        )
        last = local_time(state.last_sync) if state.last_sync else _("never")
        print(_("Last sync: {time}").format(time=last) + (_(" (offline)") if state.offline else ""))
        print(_("Conflicts to resolve: {count}").format(count=state.conflicts))
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        entries = notebook.entries(EntryFilter(conflicts=True))
        if args.json:
            print_json(
                [
                    {
                        "id": e.id,
                        "short_id": notebook.short_id(e.id),
                        "title": e.title,
                        "conflicts": [c.to_doc() for c in e.conflicts],
                    }
                    for e in entries
                ]
            )
            return 0
        if not entries:
            print(_("No conflict to resolve."))
        for entry in entries:
            print(f"{notebook.short_id(entry.id)}  {safe_line(entry.title)}")
            for conflict in entry.conflicts:
                current = getattr(entry, conflict.field)
                print(
                    "    "
                    + _("{field}: current “{current}”, other “{other}” ({author})").format(
                        field=safe_line(conflict.field),
                        current=value_line(current),
                        other=value_line(conflict.value),
                        author=author_name(notebook, conflict.author),
                    )
                )
    return 0


def resolve_arguments(parser: argparse.ArgumentParser) -> None:
    from store.display import CONTESTED_FIELD_LABELS, field_label

    parser.add_argument("id", metavar="ID")
    parser.add_argument(
        "--field", required=True, type=named(CONTESTED_FIELD_LABELS), metavar=_("FIELD"),
        help=" | ".join(map(field_label, CONTESTED_FIELD_LABELS)),
    )  # fmt: skip
    choice = parser.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--keep", type=named(KEPT_VERSIONS), choices=tuple(KEPT_VERSIONS),
        help=_("current: the value the entry shows; other: the one the merge put aside"),
    )  # fmt: skip
    # read_body reads it, as it reads the text of an entry.
    choice.add_argument(
        "--text-file",
        dest="body_file",
        type=Path,
        metavar=_("FILE"),
        help=_("settle a text by combining both versions: the text to keep (- for stdin)"),
    )
    parser.set_defaults(body=None)


def cmd_resolve(args: argparse.Namespace) -> int:
    from store.display import field_label

    combined = read_body(args)
    with open_notebook(args) as notebook:
        entry = notebook.resolve_conflict(
            notebook.resolve_id(args.id),
            args.field,
            "combined" if combined is not None else args.keep,
            text=combined,
        )
        print(
            _("Settled: the {field} of “{title}”.").format(
                field=field_label(args.field), title=safe_line(entry.title)
            )
        )
    return 0
