"""The ``carnet`` command line: the scripting interface of docs/design.md §6.

Each group of commands is a module; the table below declares every command by name, its help
and where its code is, in the order ``carnet --help`` lists them. It must stay quick as a whole
process: only the module of the command asked for is imported, and only its parser built (for
``carnet --help`` and a mistyped command the others are listed by name and help), so Textual
and GitPython are imported only by the commands that need them (``open``/``demo`` and the
sync commands).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from store.errors import InvalidInputError, explain
from store.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, _, ngettext, set_language
from tui.launcher import leading_options

EXIT_ERROR = 1

# argparse writes its help and usage errors through gettext's ``_``: route them to our catalogs
# so that they read in the participant's language too.
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]


class Command(NamedTuple):
    """One command of ``carnet``, declared once: the parser, the help and the dispatch follow.

    Its code is named, not imported: importing every command's module (and all they import)
    cost each run more than the work of ``carnet list``.
    """

    name: str
    help: str
    """What it does, in one line, marked with ``N_()``: translated when the parser is built."""
    module: str
    """Its module, in ``tui.cli``."""
    run: str
    """The module's function that does it (``args`` in, the exit status out)."""
    arguments: str | None = None
    """The function that adds its arguments and options to its parser (none: it takes none):
    the module's, or one that several share, named with its module (``base.json_option``)."""

    def function(self, name: str) -> Callable[..., Any]:
        """A function the command names (``self.run``, ``self.arguments``), imported."""
        module, _dot, function_name = name.rpartition(".")
        found = importlib.import_module(f"{__name__}.{module or self.module}")
        function: Callable[..., Any] = getattr(found, function_name)
        return function


COMMANDS: tuple[Command, ...] = (
    Command("init", N_("create a new notebook"), "setup", "cmd_init", "init_arguments"),
    Command("join", N_("take part in a shared notebook (clone it and register)"),
            "setup", "cmd_join", "join_arguments"),
    Command("demo", N_("build the demo notebook and open it"),
            "setup", "cmd_demo", "demo_arguments"),
    Command("open", N_("open the notebook in the review screen"), "setup", "cmd_open"),
    Command("add", N_("write a new entry; prints its id"), "entries", "cmd_add", "add_arguments"),
    Command("edit", N_("change an entry"), "entries", "cmd_edit", "edit_arguments"),
    Command("comment", N_("comment on an entry, or reply to a comment; prints its id"),
            "entries", "cmd_comment", "comment_arguments"),
    Command("read", N_("mark an entry read"), "entries", "cmd_read", "read_arguments"),
    Command("endorse", N_("take a stance on an entry"),
            "entries", "cmd_endorse", "endorse_arguments"),
    Command("list", N_("list entries"), "entries", "cmd_list", "list_arguments"),
    Command("show", N_("show an entry with its comments"), "entries", "cmd_show", "show_arguments"),
    Command("history", N_("what each change of an entry did, who made it and when"),
            "history", "cmd_history", "history_arguments"),
    Command("restore", N_("make an entry as it was after an earlier change (a new edit)"),
            "history", "cmd_restore", "restore_arguments"),
    Command("comment-edit", N_("change the text of one of your comments"),
            "comments", "cmd_comment_edit", "edit_arguments"),
    Command("comment-withdraw", N_("withdraw one of your comments (its replies stay)"),
            "comments", "cmd_comment_withdraw", "comment_id_argument"),
    Command("delete", N_("delete an entry (it can be brought back)"),
            "comments", "cmd_delete", "entries.entry_id_argument"),
    Command("undelete", N_("bring a deleted entry back"),
            "comments", "cmd_undelete", "entries.entry_id_argument"),
    Command("decision", N_("open or close the decision on an entry"),
            "decisions", "cmd_decision", "decision_arguments"),
    Command("decisions", N_("list the decisions: stances, who has not answered"),
            "decisions", "cmd_decisions", "decisions_arguments"),
    Command("attach", N_("attach a file to an entry; prints its hash"),
            "attachments", "cmd_attach", "attach_arguments"),
    Command("attachments", N_("list the files attached to an entry"),
            "attachments", "cmd_attachments", "entries.show_arguments"),
    Command("attachment-save", N_("save a copy of a file attached to an entry"),
            "attachments", "cmd_attachment_save", "save_arguments"),
    Command("section", N_("write a section of the group's synthesis"),
            "sections", "cmd_section", "section_arguments"),
    Command("sections", N_("list the sections of the group's synthesis"),
            "sections", "cmd_sections", "sections_arguments"),
    Command("meeting", N_("plan a meeting, build its agenda, take minutes, close it"),
            "meetings", "cmd_meeting", "meeting_arguments"),
    Command("meetings", N_("list the meetings, the newest first"),
            "meetings", "cmd_meetings", "meetings_arguments"),
    Command("digest", N_("what is new for you since your last visit"),
            "digest", "cmd_digest", "digest_arguments"),
    Command("sync", N_("share your work and receive the others' (pull, merge, push)"),
            "sharing", "cmd_sync", "sync_arguments"),
    Command("status", N_("where the notebook stands against the shared repository"),
            "sharing", "cmd_status", "base.json_option"),
    Command("conflicts", N_("list the values a merge put aside"),
            "sharing", "cmd_conflicts", "base.json_option"),
    Command("resolve", N_("settle a conflict on an entry"),
            "sharing", "cmd_resolve", "resolve_arguments"),
    Command("key", N_("show your SSH key (or create one) and sign your changes with it"),
            "keys", "cmd_key", "key_arguments"),
    Command("export", N_("write the notebook as a commented synthesis"),
            "export", "cmd_export", "export_arguments"),
    Command("doctor", N_("check every file of the notebook"),
            "doctor", "cmd_doctor", "base.json_option"),
    Command("serve", N_("show the review screen in a browser on this computer"),
            "serve", "cmd_serve", "serve_arguments"),
)  # fmt: skip
_BY_NAME = {command.name: command for command in COMMANDS}
DEFAULT_COMMAND = "open"


def _help_width() -> int:
    """The width argparse formats help in: ``shutil.get_terminal_size``'s, found without it.

    argparse builds a formatter for every argument declared, and its formatter imports
    ``shutil`` (with ``bz2`` and ``lzma``) to find the terminal's width: 8–10 ms of every
    command, which prints no help.
    """
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_help_width())


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one translated line, exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:
        self.exit(2, f"carnet : {message}\n" + _("Try: carnet --help") + "\n")


def build_parser(commands: Sequence[Command], chosen: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: the options of ``carnet`` itself, then each command.

    Only ``chosen``'s arguments are declared (its module imported for them). When it names
    one of ``commands``, it is the only command of the parser: argparse reads no other (the
    others' 34 parsers cost each run about 1 ms of CPU). Otherwise every command is there by
    name and help, which is all ``carnet --help`` and a mistyped command show.
    """
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
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    named = [command for command in commands if command.name == chosen]
    for command in named or commands:
        help_text = _(command.help)
        command_parser = subparsers.add_parser(command.name, help=help_text, description=help_text)
        if command.name == chosen and command.arguments is not None:
            command.function(command.arguments)(command_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status (0 ok, 1 error, 2 usage).

    Whatever goes wrong ends in one line on stderr, never a traceback: a person reads it.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    # --help and usage errors are printed while parsing: their language must be set before.
    set_language(_early_language(arguments))
    try:
        _check_arguments(arguments)
        args = build_parser(COMMANDS, leading_options(arguments)[1]).parse_args(arguments)
        if args.ui_language:
            set_language(args.ui_language)
        command = _BY_NAME[args.command or DEFAULT_COMMAND]
        status: int = command.function(command.run)(args)
        # Written out here, inside the handlers: at exit a closed pipe would be told as a
        # traceback-like "Exception ignored" message.
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _stdout_closed()
    except UnicodeEncodeError:
        return fail(
            _(
                "the terminal cannot show some characters: set it to UTF-8 "
                "(for example LANG=fr_FR.UTF-8), then try again"
            )
        )
    except KeyboardInterrupt:
        print(_("carnet: interrupted; nothing was lost."), file=sys.stderr)
        return 130
    except Exception as error:  # a refusal, a disk fault, or even a bug: one line, never more
        return fail(explain(error))


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


def fail(message: str) -> int:
    """Say what went wrong in one line on stderr; returns the exit status of an error."""
    # stderr may be closed too, or unable to take the words: the exit status still tells.
    with contextlib.suppress(OSError, UnicodeError):
        print(f"carnet : {message}", file=sys.stderr)
    return EXIT_ERROR
