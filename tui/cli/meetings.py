"""The commands of meetings: plan one, build its agenda, take minutes, close it, list them."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from store.errors import InvalidInputError, NotFoundError
from store.i18n import _
from store.labels import status_label
from store.text import safe_line, safe_text
from tui.cli.base import (
    author_name,
    json_option,
    open_notebook,
    print_json,
    status_option,
    value_line,
)

if TYPE_CHECKING:
    from store.model import Meeting
    from store.notebook import Notebook


def meeting_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    new = actions.add_parser("new", help=_("plan a meeting; prints its id"))
    new.add_argument("--date", required=True, metavar="YYYY-MM-DD", help=_("the meeting's day"))
    new.add_argument("--title", required=True, help=_("the meeting's title"))
    new.add_argument("--place", default="", help=_("where it takes place"))
    show = actions.add_parser("show", help=_("show a meeting: its agenda, minutes, attendees"))
    show.add_argument("meeting", metavar="MID")
    json_option(show)
    agenda = actions.add_parser("agenda", help=_("build or change a meeting's agenda"))
    agenda.add_argument("meeting", metavar="MID")
    agenda.add_argument(
        "--prepare",
        action="store_true",
        help=_("add the entries to discuss and those with an open decision"),
    )
    agenda.add_argument("--entries", metavar="ID,ID,…",
                        help=_("the agenda's entries, in order"))  # fmt: skip
    note = actions.add_parser("note", help=_("write the minutes of an agenda item"))
    note.add_argument("meeting", metavar="MID")
    note.add_argument("--entry", required=True, metavar="ID", help=_("the agenda's entry"))
    note.add_argument("--text", help=_("the minutes"))
    status_option(note, _("the status agreed for the entry, applied on closing"))
    close = actions.add_parser("close", help=_("close a meeting and apply what it agreed"))
    close.add_argument("meeting", metavar="MID")


def cmd_meeting(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        if args.action == "new":
            print(notebook.new_meeting(args.date, args.title, args.place).id)
        elif args.action == "show":
            meeting = notebook.meeting(args.meeting)
            if args.json:
                print_json(meeting_json(meeting))
            else:
                print_meeting(notebook, meeting)
        elif args.action == "agenda":
            meeting = notebook.meeting(args.meeting)
            if args.entries is not None:
                chosen = [part.strip() for part in args.entries.split(",") if part.strip()]
                meeting = notebook.set_agenda(meeting.id, chosen)
            if args.prepare:
                meeting = notebook.prepare_agenda(meeting.id)
            print_agenda(notebook, meeting)
        elif args.action == "note":
            if args.text is None and args.status is None:
                raise InvalidInputError(_("give the minutes (--text), the status agreed, or both"))
            if args.status is not None:
                notebook.agree(args.meeting, args.entry, args.status)
            if args.text is not None:
                notebook.note_minutes(args.meeting, args.entry, args.text)
            print(_("Minutes written."))
        else:
            meeting = notebook.close_meeting(args.meeting)
            print(_("Meeting closed: “{title}”.").format(title=safe_line(meeting.title)))
    return 0


def meetings_arguments(parser: argparse.ArgumentParser) -> None:
    json_option(parser)


def cmd_meetings(args: argparse.Namespace) -> int:
    from store.display import local_day

    with open_notebook(args) as notebook:
        meetings = notebook.meetings()
        if args.json:
            print_json([meeting_json(meeting) for meeting in meetings])
            return 0
        for meeting in meetings:
            state = _("closed") if meeting.is_closed else _("to hold")
            place = f" — {safe_line(meeting.place)}" if meeting.place else ""
            print(
                f"{notebook.meeting_short_id(meeting.id):<6} {local_day(meeting.day)} "
                f"{safe_line(meeting.title)}{place} — {state}"
            )
        if not meetings:
            print(_("No meeting."), file=sys.stderr)
    return 0


def meeting_json(meeting: Meeting) -> dict[str, Any]:
    return {"id": meeting.id, **meeting.to_doc()}


def print_meeting(notebook: Notebook, meeting: Meeting) -> None:
    """A meeting in words: its day and place, who came, then each item with its minutes."""
    from store.display import local_day, local_time

    print(f"{safe_line(meeting.title)}  [{notebook.meeting_short_id(meeting.id)}]")
    where = f" · {safe_line(meeting.place)}" if meeting.place else ""
    print(f"{local_day(meeting.day)}{where} · {author_name(notebook, meeting.author)}")
    if meeting.closed:
        print(_("Closed on {time} by {name}").format(
            time=local_time(meeting.closed), name=author_name(notebook, meeting.closed_by or "")
        ))  # fmt: skip
    names = ", ".join(author_name(notebook, p) for p in meeting.attendees) or "-"
    print(_("Attendees: {names}").format(names=names))
    for conflict in meeting.conflicts:
        print(
            _("To resolve: “{field}” also had the value “{value}” ({author})").format(
                field=safe_line(conflict.field), value=value_line(conflict.value),
                author=author_name(notebook, conflict.author),
            )
        )  # fmt: skip
    print_agenda(notebook, meeting)


def print_agenda(notebook: Notebook, meeting: Meeting) -> None:
    if not meeting.agenda:
        print(_("The agenda is empty."))
    for number, item in enumerate(meeting.agenda, start=1):
        try:
            title = safe_line(notebook.entry(item.entry).title)
        except NotFoundError:  # an entry whose file a peer damaged
            title = "?"
        agreed = f" → {status_label(item.status)}" if item.status else ""
        print(f"{number}. {title}  [{notebook.short_id(item.entry)}]{agreed}")
        for line in safe_text(item.minutes).splitlines():
            print(f"   {line}")
