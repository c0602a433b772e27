"""The command that shows the review screen in a browser on this computer: serve (the server
itself is tui.web, imported only when the command runs)."""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
from pathlib import Path

from store.i18n import _
from tui.cli.base import open_notebook


def _port(text: str) -> int:
    """An argparse ``type``: a TCP port, or 0 for any free one."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            _("not a port number (0 to 65535): {text}").format(text=text)
        )
    return port


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", type=Path, metavar=_("FOLDER"),
                        help=_("the notebook to serve (default: the one around -C)"))  # fmt: skip
    parser.add_argument("--port", type=_port, default=0, metavar="N",
                        help=_("the port to listen on (default: any free one)"))  # fmt: skip
    parser.add_argument("--no-browser", action="store_true",
                        help=_("print the address without opening the browser"))  # fmt: skip


def tui_command(root: Path, language: str | None) -> str:
    """The command line that textual-serve runs (through a shell) for each connection: the
    review screen of ``root``, in ``language`` if one was asked for, else as ``carnet open``
    would choose it. Every word is quoted: a folder's name is never read as shell syntax."""
    words = [sys.executable, "-m", "tui.cli", "-C", str(root)]
    if language:
        words += ["--lang", language]
    return shlex.join([*words, "open"])


def cmd_serve(args: argparse.Namespace) -> int:
    folder = args.path or args.directory
    with open_notebook(argparse.Namespace(directory=folder, ui_language=args.ui_language)) as nb:
        root = nb.root
    import asyncio

    from tui.web import serve

    token = secrets.token_urlsafe(24)
    try:
        asyncio.run(serve(tui_command(root, args.ui_language), token, args.port,
                           open_browser=not args.no_browser))  # fmt: skip
    except KeyboardInterrupt:
        print(_("Stopped: the notebook is no longer served."), flush=True)
    return 0
