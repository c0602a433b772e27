"""The ``carnet`` command line: the scripting interface of DESIGN.md §6.

It must stay quick as a whole process, so Textual and GitPython are imported only by the
commands that need them (``open``/``demo`` and the sync commands).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from store.errors import CarnetError, InvalidInputError, explain
from store.git.program import git_config
from store.i18n import DEFAULT_LANGUAGE, LANGUAGES, _, ngettext, set_language
from store.labels import kind_label, stance_label, status_label
from store.model import KINDS, STANCES, STATUSES, Entry, parse_time
from store.notebook import EntryFilter, Notebook, find_notebook, load_settings
from store.text import safe_json, safe_line, safe_name, safe_text

EXIT_ERROR = 1

# argparse writes its help and usage errors through gettext's ``_``: route them to our catalogs
# so that they read in the participant's language too.
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one translated line, exit status 2."""

    def error(self, message: str) -> Any:
        self.exit(2, f"carnet : {message}\n" + _("Try: carnet --help") + "\n")


def _kinds_help() -> str:
    # Unknown values are refused by the store (exit 1, in plain words), not by argparse.
    return " (" + " | ".join(KINDS) + ")"


def _statuses_help() -> str:
    return " (" + " | ".join(STATUSES) + ")"


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every command and option."""
    parser = _Parser(
        prog="carnet",
        description=_("Carnet: the shared notebook of the mission, in the terminal."),
    )
    parser.add_argument(
        "-C",
        dest="directory",
        type=Path,
        default=Path("."),
        metavar=_("FOLDER"),
        help=_("work in this notebook folder (default: here)"),
    )
    parser.add_argument(
        "--lang", dest="ui_language", choices=LANGUAGES, help=_("language of the interface")
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text)

    def identity_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--name", help=_("your name (default: git config user.name)"))
        sub.add_argument("--email", help=_("your email (default: git config user.email)"))
        sub.add_argument("--org", default="", help=_("your organisation"))
        sub.add_argument("--role", default="", help=_("your role in it"))

    def filter_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--kind", metavar=_("KIND"), help=_("only this kind of entry") + _kinds_help()
        )
        sub.add_argument("--objective", type=int, metavar="N", help=_("only this objective"))
        sub.add_argument(
            "--status", metavar=_("STATUS"), help=_("only this status") + _statuses_help()
        )
        sub.add_argument("--tag", help=_("only entries with this tag"))

    def body_options(sub: argparse.ArgumentParser) -> None:
        body = sub.add_mutually_exclusive_group()
        body.add_argument("--body", help=_("the text (Markdown)"))
        body.add_argument(
            "--body-file",
            type=Path,
            metavar=_("FILE"),
            help=_("read the text from a file (- for stdin)"),
        )

    sub = command("init", _("create a new notebook"))
    sub.add_argument("path", nargs="?", type=Path, metavar=_("FOLDER"))
    sub.add_argument("--title", required=True, help=_("the notebook's title"))
    sub.add_argument("--remote", help=_("the shared repository to sync with (git URL)"))
    sub.add_argument(
        "--lang",
        dest="notebook_language",
        choices=LANGUAGES,
        default="fr",
        help=_("the notebook's language"),
    )
    identity_options(sub)

    sub = command("join", _("take part in a shared notebook (clone it and register)"))
    sub.add_argument("url", metavar="URL")
    sub.add_argument("path", type=Path, metavar=_("FOLDER"))
    identity_options(sub)

    sub = command("demo", _("build the demo notebook and open it"))
    sub.add_argument("--path", type=Path, metavar=_("FOLDER"), help=_("where to build it"))
    sub.add_argument("--no-open", action="store_true", help=_("build it but do not open it"))
    sub.add_argument("--reset", action="store_true", help=_("build it again from scratch"))

    command("open", _("open the notebook in the review screen"))

    sub = command("add", _("write a new entry; prints its id"))
    sub.add_argument("--kind", required=True, metavar=_("KIND"), help=_kinds_help())
    sub.add_argument("--title", required=True)
    body_options(sub)
    sub.add_argument("--objective", type=int, action="append", default=[], metavar="N")
    sub.add_argument("--tag", action="append", default=[])
    sub.add_argument("--status", default="open", metavar=_("STATUS"), help=_statuses_help())

    sub = command("edit", _("change an entry"))
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--kind", metavar=_("KIND"), help=_kinds_help())
    sub.add_argument("--title")
    body_options(sub)
    sub.add_argument("--status", metavar=_("STATUS"), help=_statuses_help())
    sub.add_argument(
        "--objective",
        type=int,
        action="append",
        metavar="N",
        help=_("the entry's objectives (replaces them; repeat the option)"),
    )
    sub.add_argument(
        "--tag", action="append", help=_("the entry's tags (replaces them; repeat the option)")
    )

    sub = command("comment", _("comment on an entry, or reply to a comment; prints its id"))
    sub.add_argument("id", metavar="ID")
    body_options(sub)
    sub.add_argument("--reply-to", metavar="COMMENT_ID")

    sub = command("read", _("mark an entry read"))
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--unread", action="store_true", help=_("mark it unread instead"))

    sub = command("endorse", _("take a stance on an entry"))
    sub.add_argument("id", metavar="ID")
    stance = sub.add_mutually_exclusive_group()
    stance.add_argument("--stance", default="agree", help=" | ".join(STANCES))
    stance.add_argument("--withdraw", action="store_true", help=_("withdraw your stance"))

    sub = command("list", _("list entries"))
    filter_options(sub)
    sub.add_argument("--unread", action="store_true", help=_("only unread entries"))
    sub.add_argument("--conflicts", action="store_true", help=_("only entries to resolve"))
    sub.add_argument(
        "--search",
        default="",
        metavar=_("WORDS"),
        help=_("only entries containing these words (accents and case ignored)"),
    )
    sub.add_argument("--all", action="store_true", help=_("include deleted entries"))
    sub.add_argument("--json", action="store_true", help=_("print JSON"))

    sub = command("show", _("show an entry with its comments"))
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--json", action="store_true", help=_("print JSON"))

    sub = command("sync", _("share your work and receive the others' (pull, merge, push)"))
    sub.add_argument("--no-push", action="store_true", help=_("receive only"))

    sub = command("status", _("where the notebook stands against the shared repository"))
    sub.add_argument("--json", action="store_true", help=_("print JSON"))

    sub = command("conflicts", _("list the values a merge put aside"))
    sub.add_argument("--json", action="store_true", help=_("print JSON"))

    sub = command("resolve", _("settle a conflict on an entry"))
    sub.add_argument("id", metavar="ID")
    sub.add_argument("--field", required=True)
    sub.add_argument("--keep", required=True, choices=("current", "other"))

    sub = command("export", _("write the notebook as a commented synthesis"))
    sub.add_argument("--format", choices=("md", "html"), default="md")
    sub.add_argument("-o", "--output", type=Path, metavar=_("FILE"))
    filter_options(sub)
    sub.add_argument(
        "--since", metavar=_("DATE"), help=_("only what was written since (YYYY-MM-DD)")
    )
    sub.add_argument("--all", action="store_true", help=_("include archived and deleted entries"))

    sub = command("doctor", _("check every file of the notebook"))
    sub.add_argument("--json", action="store_true", help=_("print JSON"))
    return parser


# --- helpers ------------------------------------------------------------------------------------


def _open(args: argparse.Namespace) -> Notebook:
    notebook = Notebook(find_notebook(args.directory))
    if args.ui_language is None:
        settings = load_settings(notebook.repo.local_dir)
        language = settings.get("language")
        set_language(language if language in LANGUAGES else notebook.info.language)
    return notebook


def _read_body(args: argparse.Namespace) -> str | None:
    if getattr(args, "body_file", None) is None:
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


def _identity(args: argparse.Namespace, cwd: Path) -> tuple[str, str]:
    name = args.name or git_config("user.name", cwd) or ""
    email = args.email or git_config("user.email", cwd) or ""
    return name, email


def _criteria(args: argparse.Namespace) -> EntryFilter:
    """The filter options that ``list`` and ``export`` share."""
    return EntryFilter(
        kind=args.kind,
        objective=args.objective,
        status=args.status,
        tag=args.tag,
        include_deleted=args.all,
    )


def _short_date(value: str) -> str:
    return parse_time(value).astimezone().strftime("%Y-%m-%d %H:%M")


def _entry_json(notebook: Notebook, entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "short_id": notebook.short_id(entry.id),
        "kind": entry.kind,
        "title": entry.title,
        "body": entry.body,
        "status": entry.status,
        "objectives": list(entry.objectives),
        "tags": list(entry.tags),
        "author": entry.author,
        "created": entry.created,
        "updated": entry.updated,
        "deleted": entry.deleted,
        "conflicts": [c.to_doc() for c in entry.conflicts],
        "unread": notebook.is_unread(entry.id),
        "stances": notebook.stances(entry.id),
        "comments_count": notebook.comment_count(entry.id),
    }


def _print_json(value: Any) -> None:
    print(safe_json(value))


def _author(notebook: Notebook, participant_id: str) -> str:
    participant = notebook.participant(participant_id)
    return safe_line(participant.name if participant else participant_id)


def _value(value: Any) -> str:
    """A field's value, as a merge conflict keeps it, on one line of safe text."""
    if isinstance(value, list | tuple):
        return ", ".join(safe_line(str(item)) for item in value)
    return safe_line(str(value))


# --- commands -----------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    path: Path = args.path or args.directory
    name, email = _identity(args, Path.cwd())
    set_language(args.ui_language or args.notebook_language)
    notebook = Notebook.create(
        path,
        title=args.title,
        name=name,
        email=email,
        organisation=args.org,
        role=args.role,
        language=args.notebook_language,
    )
    if args.remote:
        from store.sync import add_remote

        add_remote(notebook.root, args.remote)
    print(_("Notebook created in {path}").format(path=notebook.root))
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from store.sync import join

    name, email = _identity(args, Path.cwd())
    notebook = join(
        args.url, args.path, name=name, email=email, organisation=args.org, role=args.role
    )
    print(
        _("You take part in “{title}”: {path}").format(
            title=safe_line(notebook.info.title), path=notebook.root
        )
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import build_demo

    root = build_demo(args.path, reset=args.reset)
    if args.no_open:
        print(_("Demo notebook ready in {path}").format(path=root))
        return 0
    return _run_tui(root, args.ui_language)


def cmd_open(args: argparse.Namespace) -> int:
    return _run_tui(find_notebook(args.directory), args.ui_language)


def _run_tui(root: Path, language: str | None) -> int:
    from tui.app import run_app

    run_app(root, language=language)
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        entry = notebook.add_entry(
            args.kind,
            args.title,
            _read_body(args) or "",
            objectives=args.objective,
            tags=args.tag,
            status=args.status,
        )
        print(notebook.short_id(entry.id))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        # The entry is read before the new text (which may come from a pipe that is still
        # being written): that version is the edit's base, merged onto whatever is current
        # when the edit is saved.
        entry = notebook.entry(args.id)
        body = _read_body(args)
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


def cmd_comment(args: argparse.Namespace) -> int:
    body = _read_body(args)
    if body is None:
        raise InvalidInputError(_("the comment is empty: give --body or --body-file"))
    with _open(args) as notebook:
        comment = notebook.add_comment(args.id, body, parent=args.reply_to)
        print(notebook.short_id(comment.id))
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        if args.unread:
            notebook.mark_unread(args.id)
        else:
            notebook.mark_read(args.id)
    return 0


def cmd_endorse(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        notebook.set_stance(args.id, None if args.withdraw else args.stance)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    criteria = replace(
        _criteria(args), unread=args.unread, conflicts=args.conflicts, search=args.search
    )
    with _open(args) as notebook:
        entries = notebook.entries(criteria)
        if args.json:
            _print_json([_entry_json(notebook, e) for e in entries])
            return 0
        for entry in entries:
            marks = ("●" if notebook.is_unread(entry.id) else " ") + (
                "!" if entry.conflicts else " "
            )
            objectives = "[" + (",".join(str(n) for n in entry.objectives) or "-") + "]"
            print(
                f"{marks} {notebook.short_id(entry.id):<6} {kind_label(entry.kind):<24} "
                f"{objectives:<9} {status_label(entry.status):<11} {safe_line(entry.title)}"
                f" — {_author(notebook, entry.author)}"
            )
        if not entries:
            print(_("No entry matches."), file=sys.stderr)
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        entry = notebook.entry(args.id)
        thread = notebook.thread(entry.id)
        if args.json:
            data = _entry_json(notebook, entry)
            data["comments"] = [
                {
                    "id": i.comment.id,
                    "parent": i.comment.parent,
                    "author": i.comment.author,
                    "body": i.comment.body,
                    "created": i.comment.created,
                }
                for i in thread
            ]
            _print_json(data)
            return 0
        print(f"{safe_line(entry.title)}  [{notebook.short_id(entry.id)}]")
        objectives = ", ".join(str(n) for n in entry.objectives) or "-"
        print(
            f"{kind_label(entry.kind)} · {status_label(entry.status)} · "
            + _("objectives {numbers}").format(numbers=objectives)
            + f" · {_author(notebook, entry.author)} · {_short_date(entry.created)}"
        )
        if entry.tags:
            print(_("Tags: {tags}").format(tags=_value(entry.tags)))
        stances = notebook.stances(entry.id)
        if stances:
            print(
                " · ".join(
                    f"{_author(notebook, p)} : {stance_label(s)}" for p, s in stances.items()
                )
            )
        for conflict in entry.conflicts:
            print(
                _("To resolve: “{field}” also had the value “{value}” ({author})").format(
                    field=safe_line(conflict.field),
                    value=_value(conflict.value),
                    author=_author(notebook, conflict.author),
                )
            )
        print()
        print(safe_text(entry.body))
        if thread:
            print()
            print(_("Comments ({count})").format(count=len(thread)))
        for item in thread:
            indent = "    " * item.depth
            comment = item.comment
            print(
                f"{indent}— {_author(notebook, comment.author)}, {_short_date(comment.created)}"
                f" [{notebook.short_id(comment.id)}]"
            )
            for line in safe_text(comment.body).splitlines():
                print(f"{indent}  {line}")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    from store.gate import describe
    from store.sync import sync

    with _open(args) as notebook:
        report = sync(notebook, push=not args.no_push)
        if report.up_to_date:
            print(_("Already up to date."))
        else:
            news = [
                ngettext("{count} new entry", "{count} new entries", len(report.new_entries)),
                ngettext("{count} new comment", "{count} new comments", len(report.new_comments)),
                ngettext("{count} conflict to resolve", "{count} conflicts to resolve",
                         report.conflicts),
            ]  # fmt: skip
            counts = (len(report.new_entries), len(report.new_comments), report.conflicts)
            print(
                _("Synced: {news}.").format(
                    news=", ".join(n.format(count=c) for n, c in zip(news, counts, strict=True))
                )
            )
        for line in describe(report.refused):
            print(safe_text(line))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from store.sync import status

    with _open(args) as notebook:
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
            _print_json(data)
            return 0
        print(_("Notebook: {title}").format(title=safe_line(notebook.info.title)))
        print(
            _("Shared repository: {remote}").format(
                remote=safe_line(state.remote) if state.remote else _("none")
            )
        )
        print(_("Unread entries: {count}").format(count=data["unread"]))
        print(
            _("To share: {count} commits; to receive: {behind}").format(
                count=state.unpushed, behind=state.behind
            )
        )
        last = _short_date(state.last_sync) if state.last_sync else _("never")
        print(_("Last sync: {time}").format(time=last) + (_(" (offline)") if state.offline else ""))
        print(_("Conflicts to resolve: {count}").format(count=state.conflicts))
    return 0


def cmd_conflicts(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        entries = notebook.entries(EntryFilter(conflicts=True))
        if args.json:
            _print_json(
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
                        current=_value(current),
                        other=_value(conflict.value),
                        author=_author(notebook, conflict.author),
                    )
                )
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    with _open(args) as notebook:
        notebook.resolve_conflict(notebook.resolve_id(args.id), args.field, args.keep)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.report import render

    criteria = _criteria(args)
    with _open(args) as notebook:
        document = render(
            notebook, fmt=args.format, criteria=criteria, since=args.since, include_all=args.all
        )
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


DOCTOR_PATHS = 10  # refused paths doctor prints; --json gives every one


def cmd_doctor(args: argparse.Namespace) -> int:
    from store.gate import describe
    from store.sync import refusals

    with _open(args) as notebook:
        problems = [{"path": p.path, "reason": p.reason} for p in notebook.problems]
        refused = refusals(notebook)
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
            _print_json(
                {
                    "ok": not problems,
                    "problems": problems,
                    "refused": [refusal.to_doc() for refusal in refused],
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
        elif not refused:
            print(_("Everything is in order."))
    return EXIT_ERROR if problems else 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": cmd_init,
    "join": cmd_join,
    "demo": cmd_demo,
    "open": cmd_open,
    "add": cmd_add,
    "edit": cmd_edit,
    "comment": cmd_comment,
    "read": cmd_read,
    "endorse": cmd_endorse,
    "list": cmd_list,
    "show": cmd_show,
    "sync": cmd_sync,
    "status": cmd_status,
    "conflicts": cmd_conflicts,
    "resolve": cmd_resolve,
    "export": cmd_export,
    "doctor": cmd_doctor,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status (0 ok, 1 error, 2 usage).

    Whatever goes wrong ends in one line on stderr, never a traceback: a person reads it.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    # --help and usage errors are printed while parsing: their language must be set before.
    set_language(_early_language(arguments))
    try:
        _check_arguments(arguments)
        args = build_parser().parse_args(arguments)
        if args.ui_language:
            set_language(args.ui_language)
        status = COMMANDS[args.command or "open"](args)
        # Written out here, inside the handlers: at exit a closed pipe would be told as a
        # traceback-like "Exception ignored" message.
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _stdout_closed()
    except UnicodeEncodeError:
        return _fail(
            _(
                "the terminal cannot show some characters: set it to UTF-8 "
                "(for example LANG=fr_FR.UTF-8), then try again"
            )
        )
    except KeyboardInterrupt:
        print(_("carnet: interrupted; nothing was lost."), file=sys.stderr)
        return 130
    except Exception as error:  # a refusal, a disk fault, or even a bug: one line, never more
        return _fail(explain(error))


def _fail(message: str) -> int:
    # stderr may be closed too, or unable to take the words: the exit status still tells.
    with contextlib.suppress(OSError, UnicodeError):
        print(f"carnet : {message}", file=sys.stderr)
    return EXIT_ERROR


def _stdout_closed() -> int:
    """Stop quietly when the reader of our output went away (``carnet list | head -1``).

    As Python's documentation advises (see "Note on SIGPIPE"): what is still buffered goes to
    /dev/null, so that the interpreter's last flush does not fail again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_ERROR


def _check_arguments(arguments: Sequence[str]) -> None:
    """Refuse an argument that is not UTF-8 text (a terminal set to another encoding).

    Python hands such bytes over as lone surrogates, which cannot be written to a file, shown,
    or given to git: they are refused at once, with the argument shown as best it can be.

    Raises:
        InvalidInputError: an argument is not UTF-8.
    """
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise InvalidInputError(
                _(
                    "an argument is not valid text (UTF-8): “{argument}”; set the terminal "
                    "to UTF-8, or type it again"
                ).format(argument=shown)
            ) from None


def _early_language(arguments: list[str]) -> str:
    """The interface language asked for before the command (``--lang en`` / ``--lang=en``)."""
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--lang="):
            return argument.partition("=")[2]
        if not argument.startswith("-") and arguments[index - 1 : index] != ["-C"]:
            break  # the command: options after it are its own
    return DEFAULT_LANGUAGE


if __name__ == "__main__":
    sys.exit(main())
