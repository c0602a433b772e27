"""The registry of commands: each is declared once, and the parser and dispatch follow it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from test_boundaries import _modules_after

from store.i18n import N_
from tui.cli import COMMANDS, DEFAULT_COMMAND, Command, build_parser, main

NAMES = [command.name for command in COMMANDS]


def test_each_command_is_declared_once_and_listed_by_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert len(NAMES) == len(set(NAMES)) and DEFAULT_COMMAND in NAMES
    with pytest.raises(SystemExit) as done:
        main(["--lang", "en", "--help"])
    assert done.value.code == 0
    listed = capsys.readouterr().out
    # A long name stands on its own line, its help on the next.
    found = [re.search(rf"\n    {re.escape(name)}[ \n]", listed) for name in NAMES]
    positions = [match.start() for match in found if match is not None]
    assert len(positions) == len(NAMES)
    assert positions == sorted(positions)  # in the order of the registry


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_its_help(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0
    assert f"usage : carnet {name}" in capsys.readouterr().out


def test_a_command_is_its_declaration_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """A new command is one entry in the table: its parser and its help follow."""
    parser = build_parser([Command("key", N_("list entries"), "base", "print_json",
                                   "json_option")], "key")  # fmt: skip
    args = parser.parse_args(["key", "--json"])
    assert args.command == "key" and args.json
    parser.print_help()
    assert ["key", "lister", "les", "entrées"] in [
        line.split() for line in capsys.readouterr().out.splitlines()
    ]


def test_a_run_builds_the_parser_of_its_command_alone(capsys: pytest.CaptureFixture[str]) -> None:
    """The others are declared only for ``carnet --help`` and a mistyped command."""
    assert build_parser(COMMANDS).parse_args(["open"]).command == "open"
    assert build_parser(COMMANDS, "lister").parse_args(["open"]).command == "open"
    with pytest.raises(SystemExit):
        build_parser(COMMANDS, "list").parse_args(["open"])
    assert "open" in capsys.readouterr().err


def test_every_command_names_functions_that_exist() -> None:
    for command in COMMANDS:
        assert callable(command.function(command.run)), command.name
        if command.arguments is not None:
            assert callable(command.function(command.arguments)), command.name


def test_every_command_function_is_in_the_table() -> None:
    """A ``cmd_`` function that the table does not name would be a command nobody can run."""
    named = {(command.module, command.run) for command in COMMANDS}
    folder = Path(__file__).resolve().parents[1] / "tui" / "cli"
    found = {
        (path.stem, node.name)
        for path in folder.glob("*.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("cmd_")
    }
    assert found == named


def _command_modules_after(*arguments: str) -> set[str]:
    modules = _modules_after(
        "import contextlib, io\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({list(arguments)!r})"
    )
    return {name for name in modules if name.startswith("tui.cli.")}


def test_only_the_module_of_the_command_asked_for_is_imported() -> None:
    """Every run imported every command's module (and all they import) to build its parser."""
    assert _command_modules_after("--lang", "en", "--help") == set()
    assert _command_modules_after("list", "--help") == {"tui.cli.base", "tui.cli.entries"}
    assert _command_modules_after("no-such-command") == set()
