"""What every command of the command line shares: its declaration, the parser, the options
several commands take, and the helpers that open the notebook and print what it holds."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from store.git.program import git_config
from store.i18n import LANGUAGES, N_, _, ngettext, set_language
from store.labels import KIND_LABELS, STATUS_LABELS, code_named, kind_label, status_label
from store.listing import EntryFilter, Listing, find_notebook
from store.listing import load as load_listing
from store.text import safe_json, safe_line

if TYPE_CHECKING:
    from store.notebook import Notebook

EXIT_ERROR = 1

# argparse writes its help and usage errors through gettext's ``_``: route them to our catalogs
# so that they read in the participant's language too.
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]


def _no_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a command that takes none."""


@dataclass(frozen=True)
class Command:
    """One command of ``carnet``, declared once: the parser and the dispatch derive from it."""

    name: str
    help: str
    """What it does, in one line, marked with ``N_()``: translated when the parser is built."""
    run: Callable[[argparse.Namespace], int]
    """Does it; returns the exit status."""
    arguments: Callable[[argparse.ArgumentParser], None] = _no_arguments
    """Adds its arguments and options to its parser."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one translated line, exit status 2."""

    def error(self, message: str) -> Any:
        self.exit(2, f"carnet : {message}\n" + _("Try: carnet --help") + "\n")


def build_parser(commands: Sequence[Command], chosen: str | None = None) -> argparse.ArgumentParser:
    """The whole command line: the options of ``carnet`` itself, then each command's.

    With ``chosen``, a command's name, only that command is declared: each declaration costs,
    and may import what only that command uses. ``carnet --help`` and a mistyped command
    (``chosen`` naming none) declare every command, to list them.
    """
    if any(command.name == chosen for command in commands):
        commands = [command for command in commands if command.name == chosen]
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
    for command in commands:
        help_text = _(command.help)
        command.arguments(
            subparsers.add_parser(command.name, help=help_text, description=help_text)
        )
    return parser


def command_word(arguments: Sequence[str]) -> str | None:
    """The command the arguments name (after ``carnet``'s own options), if any."""
    skip = False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in ("-C", "--lang"):
            skip = True
        elif argument.startswith(("-C", "--lang=")):
            continue
        elif argument.startswith("-"):
            return None  # --help, or an option argparse will refuse: every command is declared
        else:
            return argument
    return None


# --- options that several commands take ---------------------------------------------------------

# The kinds of ``store.schema``, in its order, as their labels list them (with the group's
# synthesis, which ``carnet section`` writes): the schema costs ``carnet list`` more to import
# than all the rest of its work (a test checks that both agree).
ENTRY_KINDS = tuple(kind for kind in KIND_LABELS if kind != "section")


def named(labels: Mapping[str, str]) -> Callable[[str], str]:
    """An argparse ``type``: the code that a typed word names among ``labels`` (the code, or
    its words in French or English: "à discuter" is ``discuss``). Text that names none goes on
    as typed: the store refuses it in plain words (exit 1) rather than argparse."""

    def code(word: str) -> str:
        return code_named(word, labels) or word

    return code


def kind_option(parser: argparse.ArgumentParser, help_text: str = "", **more: Any) -> None:
    words = " | ".join(map(kind_label, ENTRY_KINDS))
    parser.add_argument(
        "--kind", type=named(KIND_LABELS), metavar=_("KIND"), help=f"{help_text} ({words})", **more
    )


def status_option(parser: argparse.ArgumentParser, help_text: str = "", **more: Any) -> None:
    words = " | ".join(map(status_label, STATUS_LABELS))
    parser.add_argument(
        "--status", type=named(STATUS_LABELS), metavar=_("STATUS"), help=f"{help_text} ({words})",
        **more,
    )  # fmt: skip


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=_("print JSON"))


def filter_options(parser: argparse.ArgumentParser) -> None:
    """The options that choose entries, as ``list`` and ``export`` share them."""
    kind_option(parser, _("only this kind of entry"))
    parser.add_argument("--objective", type=int, metavar="N", help=_("only this objective"))
    status_option(parser, _("only this status"))
    parser.add_argument("--tag", help=_("only entries with this tag"))


def criteria(args: argparse.Namespace) -> EntryFilter:
    """The entries that the options of ``filter_options`` (and ``--all``) choose."""
    return EntryFilter(
        kind=args.kind,
        objective=args.objective,
        status=args.status,
        tag=args.tag,
        include_deleted=args.all,
    )


@dataclass(frozen=True)
class IdentityOption:
    """One option that says who the participant is, as ``init`` and ``join`` take it."""

    flag: str
    keyword: str
    """The store's parameter that receives it."""
    help: str
    """Marked with ``N_()``."""
    git_config: str | None = None
    """The git setting to use when the option is not given."""
    type: Callable[[str], Any] = str
    """What the given text (or git's setting) is turned into, as argparse's ``type``."""
    missing: Any = ""
    """The store's value when neither the option nor git gives one."""


IDENTITY_OPTIONS = (
    IdentityOption("--name", "name", N_("your name (default: git config user.name)"),
                   "user.name"),
    IdentityOption("--email", "email", N_("your email (default: git config user.email)"),
                   "user.email"),
    IdentityOption("--org", "organisation", N_("your organisation")),
    IdentityOption("--role", "role", N_("your role in it")),
    IdentityOption("--signing-key", "signing_key",
                   N_("sign your changes with this SSH public key (carnet key shows yours)"),
                   type=Path, missing=None),
)  # fmt: skip


def identity_options(parser: argparse.ArgumentParser) -> None:
    for option in IDENTITY_OPTIONS:
        parser.add_argument(option.flag, type=option.type, help=_(option.help))


def identity(args: argparse.Namespace) -> dict[str, Any]:
    """Who the participant is, as the options and git's settings say.

    Returns:
        The keyword arguments of ``Notebook.create`` and ``join`` that name the participant.
    """
    found: dict[str, Any] = {}
    for option in IDENTITY_OPTIONS:
        value = getattr(args, option.flag.lstrip("-").replace("-", "_"))  # argparse's name
        if not value and option.git_config:
            configured = git_config(option.git_config, Path.cwd())
            value = option.type(configured) if configured else None
        found[option.keyword] = value or option.missing
    return found


# --- helpers of the commands --------------------------------------------------------------------


def open_notebook(args: argparse.Namespace) -> Notebook:
    """The notebook of ``-C`` (or around the current folder), in the participant's language."""
    # Imported here: the commands that answer without opening a notebook never load it.
    from store.notebook import Notebook, load_settings

    notebook = Notebook(find_notebook(args.directory))
    if args.ui_language is None:
        settings = load_settings(notebook.repo.local_dir)
        language = settings.get("language")
        set_language(language if language in LANGUAGES else notebook.info.language)
    return notebook


def quick_listing(args: argparse.Namespace, *, search: bool) -> Listing | None:
    """The notebook's listing on disk (with its search texts, or not), if it is up to date
    (the interface then in its language); None: open the notebook."""
    listing = load_listing(find_notebook(args.directory), search=search)
    if listing is not None and args.ui_language is None:
        set_language(listing.language)
    return listing


def print_json(value: Any) -> None:
    print(safe_json(value))


T = TypeVar("T")


def print_listing(
    items: Sequence[T],
    *,
    as_json: bool,
    doc: Callable[[T], Any],
    line: Callable[[T], str],
    empty: str,
) -> None:
    """A listing command's output: its items as one JSON list, or a line each (with ``empty``
    on stderr when there are none, so that a script reading stdout sees nothing)."""
    if as_json:
        print_json([doc(item) for item in items])
        return
    for item in items:
        print(line(item))
    if not items:
        print(empty, file=sys.stderr)


def author_name(notebook: Notebook, participant_id: str) -> str:
    from store.display import participant_name

    participant = notebook.participant(participant_id)
    return participant_name({participant.id: participant.name} if participant else {},
                            participant_id)  # fmt: skip


def value_line(value: Any) -> str:
    """A field's value, as a merge conflict keeps it, on one line of safe text."""
    if isinstance(value, list | tuple):
        return ", ".join(safe_line(str(item)) for item in value)
    return safe_line(str(value))


def fail(message: str) -> int:
    """Say what went wrong in one line on stderr; returns the exit status of an error."""
    # stderr may be closed too, or unable to take the words: the exit status still tells.
    with contextlib.suppress(OSError, UnicodeError):
        print(f"carnet : {message}", file=sys.stderr)
    return EXIT_ERROR
