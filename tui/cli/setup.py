"""The commands that make a notebook or open one: init, join, demo, open."""

from __future__ import annotations

import argparse
from pathlib import Path

from store.folder import find_notebook
from store.i18n import LANGUAGES, _, set_language
from store.progress import on_terminal
from store.text import safe_line
from tui.cli.base import identity, identity_options


def init_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", type=Path, metavar=_("FOLDER"))
    parser.add_argument("--title", required=True, help=_("the notebook's title"))
    parser.add_argument("--remote", help=_("the shared repository to sync with (git URL)"))
    parser.add_argument(
        "--lang",
        dest="notebook_language",
        choices=LANGUAGES,
        default="fr",
        help=_("the notebook's language"),
    )
    parser.add_argument(
        "--require-signatures",
        action="store_true",
        help=_("require everyone's changes to be signed (with --signing-key)"),
    )
    identity_options(parser)


def cmd_init(args: argparse.Namespace) -> int:
    from store.notebook import Notebook

    path: Path = args.path or args.directory
    participant = identity(args)
    set_language(args.ui_language or args.notebook_language)
    notebook = Notebook.create(
        path, title=args.title, language=args.notebook_language,
        require_signatures=args.require_signatures, **participant,
    )  # fmt: skip
    if args.remote:
        from store.sync import add_remote

        add_remote(notebook.root, args.remote)
    print(_("Notebook created in {path}").format(path=notebook.root))
    return 0


def join_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", metavar="URL")
    parser.add_argument("path", type=Path, metavar=_("FOLDER"))
    identity_options(parser)


def cmd_join(args: argparse.Namespace) -> int:
    from store.sync import join

    # Copying a large notebook, writing its files and reading them each take seconds: a line
    # tells how far, each stage under its name (a terminal only).
    with on_terminal(_("Reading the notebook")):
        notebook = join(args.url, args.path, **identity(args))
    print(
        _("You take part in “{title}”: {path}").format(
            title=safe_line(notebook.info.title), path=notebook.root
        )
    )
    return 0


def demo_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", type=Path, metavar=_("FOLDER"), help=_("where to build it"))
    parser.add_argument("--no-open", action="store_true", help=_("build it but do not open it"))
    parser.add_argument("--reset", action="store_true", help=_("build it again from scratch"))


def cmd_demo(args: argparse.Namespace) -> int:
    from store.demo import build_demo

    root = build_demo(args.path, reset=args.reset)
    if args.no_open:
        print(_("Demo notebook ready in {path}").format(path=root))
        return 0
    return run_tui(root, args.ui_language)


def cmd_open(args: argparse.Namespace) -> int:
    return run_tui(find_notebook(args.directory), args.ui_language)


def run_tui(root: Path, language: str | None) -> int:
    from tui.app import run_app

    run_app(root, language=language)
    return 0
