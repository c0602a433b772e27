"""What the commands of the command line share: the options several take, and the helpers that
open the notebook and print what it holds."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from store.folder import find_notebook
from store.git.program import git_config
from store.i18n import LANGUAGES, N_, _, set_language
from store.labels import KIND_LABELS, STATUS_LABELS, code_named, kind_label, status_label
from store.text import safe_json, safe_line

if TYPE_CHECKING:
    from store.listing import EntryFilter, Listing
    from store.notebook import Notebook

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
    # Imported here, as in quick_listing: the commands that write (``carnet add``) need neither
    # the listing nor the search it imports.
    from store.listing import EntryFilter

    return EntryFilter(
        kind=args.kind,
        objective=args.objective,
        status=args.status,
        tag=args.tag,
        include_deleted=args.all,
    )


class IdentityOption(NamedTuple):
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
    from store.listing import load as load_listing

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
