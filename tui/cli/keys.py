"""The command that gives a participant their SSH key: key (show, create, sign with it)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from store.errors import NotANotebookError
from store.folder import find_notebook
from store.i18n import _
from store.keys import create_key, find_public_key, load_signing_key
from store.text import safe_line
from tui.cli import EXIT_ERROR

if TYPE_CHECKING:
    from store.notebook import Notebook


def key_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--create",
        action="store_true",
        help=_("create a new SSH key in ~/.ssh if this computer has none"),
    )
    parser.add_argument(
        "--sign",
        nargs="?",
        const=True,
        type=Path,
        metavar=_("KEY"),
        help=_("sign your changes in this notebook with your key (or the key KEY.pub)"),
    )


def cmd_key(args: argparse.Namespace) -> int:
    notebook = _notebook_here(args.directory)
    if args.create:
        me = notebook.me_participant if notebook is not None else None
        # The key's comment names whose it is, for whoever hosts the notebook.
        print(_("New SSH key made: {path}").format(path=create_key(me.email if me else None)))
    if args.sign:
        if notebook is None:
            raise NotANotebookError(
                _("carnet key --sign works in a notebook: go into its folder, or use carnet -C")
            )
        key = find_public_key() if args.sign is True else args.sign
        if key is None:
            return _no_key()
        notebook.sign_with(key)
        print(_("Your changes are now signed with {path}.").format(path=key))
        return 0
    key = notebook.repo.signing_key if notebook is not None else None
    key = key or find_public_key()
    if key is None:
        return _no_key()
    path, _key = load_signing_key(key)
    line = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[0]
    print(_("Your public SSH key ({path}):").format(path=path))
    print()
    print(f"  {safe_line(line)}")
    print()
    print(
        _(
            "To get access to the shared notebook, send this line to whoever hosts it (only this "
            "line: the file without .pub is your private key, which you never send)."
        )
    )
    if notebook is not None and notebook.repo.signing_key is None:
        print(_("To sign your changes with it, so that nobody can write in your name: "
                "carnet key --sign"))  # fmt: skip
    return 0


def _notebook_here(directory: Path) -> Notebook | None:
    from store.notebook import Notebook

    try:
        return Notebook(find_notebook(directory))
    except NotANotebookError:
        return None


def _no_key() -> int:
    print(_("This computer has no SSH key yet: carnet key --create makes one (in ~/.ssh)."))
    return EXIT_ERROR
