"""The registry of commands: each is declared once, and the parser and dispatch follow it."""

from __future__ import annotations

import argparse
import re

import pytest

from store.i18n import N_
from tui.cli import COMMANDS, DEFAULT_COMMAND, main
from tui.cli.base import Command, build_parser

NAMES = [command.name for command in COMMANDS]


def test_each_command_is_declared_once_and_listed_by_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert len(NAMES) == len(set(NAMES)) and DEFAULT_COMMAND in NAMES
    with pytest.raises(SystemExit) as done:
        main(["--lang", "en", "--help"])
    assert done.value.code == 0
    listed = capsys.readouterr().out
    # A long name has its help on the next line.
    positions = [re.search(rf"\n    {re.escape(name)}\s", listed).start() for name in NAMES]  # type: ignore[union-attr]
    assert positions == sorted(positions)  # in the order of the registry


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_its_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert f"usage : carnet {name}" in capsys.readouterr().out


def test_a_command_is_its_declaration_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """A new command is one entry in a group's table: its parser and its help follow."""

    def arguments(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    parser = build_parser([Command("key", N_("list entries"), lambda args: 0, arguments)])
    args = parser.parse_args(["key", "--quiet"])
    assert args.command == "key" and args.quiet
    parser.print_help()
    assert ["key", "lister", "les", "entrées"] in [
        line.split() for line in capsys.readouterr().out.splitlines()
    ]
