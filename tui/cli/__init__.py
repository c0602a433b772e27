"""The ``carnet`` command line: the scripting interface of docs/design.md §6.

Each group of commands is a module that declares its commands in one table (``COMMANDS``, of
``base.Command``); the registry below gathers them, in the order ``carnet --help`` lists them.
It must stay quick as a whole process, so Textual and GitPython are imported only by the
commands that need them (``open``/``demo`` and the sync commands).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from store.errors import InvalidInputError, explain
from store.i18n import DEFAULT_LANGUAGE, _, set_language
from tui.cli import (
    attachments,
    comments,
    decisions,
    digest,
    doctor,
    entries,
    export,
    history,
    keys,
    meetings,
    sections,
    serve,
    setup,
    sharing,
)
from tui.cli.base import EXIT_ERROR, Command, build_parser, command_word, fail

COMMANDS: tuple[Command, ...] = (
    *setup.COMMANDS,
    *entries.COMMANDS,
    *history.COMMANDS,
    *comments.COMMANDS,
    *decisions.COMMANDS,
    *attachments.COMMANDS,
    *sections.COMMANDS,
    *meetings.COMMANDS,
    *digest.COMMANDS,
    *sharing.COMMANDS,
    *keys.COMMANDS,
    *export.COMMANDS,
    *doctor.COMMANDS,
    *serve.COMMANDS,
)
_BY_NAME = {command.name: command for command in COMMANDS}
DEFAULT_COMMAND = "open"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the process exit status (0 ok, 1 error, 2 usage).

    Whatever goes wrong ends in one line on stderr, never a traceback: a person reads it.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    # --help and usage errors are printed while parsing: their language must be set before.
    set_language(_early_language(arguments))
    try:
        _check_arguments(arguments)
        args = build_parser(COMMANDS, command_word(arguments)).parse_args(arguments)
        if args.ui_language:
            set_language(args.ui_language)
        status = _BY_NAME[args.command or DEFAULT_COMMAND].run(args)
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
