"""The commands of the group's synthesis: write a section by its name, list the sections."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from store.errors import InvalidInputError
from store.i18n import _
from store.text import safe_line
from tui.cli.base import author_name, json_option, open_notebook, print_json
from tui.cli.entries import body_options, read_body

if TYPE_CHECKING:
    from store.model import Entry
    from store.notebook import Notebook


def section_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar=_("ACTION"), required=True)
    editing = actions.add_parser("edit", help=_("write the text of a section"))
    editing.add_argument("name", metavar=_("NAME"), help="introduction | objective-N | conclusion")
    body_options(editing)


def cmd_section(args: argparse.Namespace) -> int:
    body = read_body(args)
    if body is None:
        raise InvalidInputError(_("the section's text is missing: give --body or --body-file"))
    with open_notebook(args) as notebook:
        section = notebook.edit_section(args.name, body)
        print(_("Section saved: {title}.").format(title=safe_line(section.title)))
    return 0


def sections_arguments(parser: argparse.ArgumentParser) -> None:
    json_option(parser)


def cmd_sections(args: argparse.Namespace) -> int:
    with open_notebook(args) as notebook:
        found = [(name, notebook.section(name)) for name in notebook.section_names()]
        if args.json:
            print_json([section_json(name, section) for name, section in found])
            return 0
        for name, section in found:
            print(section_line(notebook, name, section))
        if all(section is None for _name, section in found):
            print(_("No section written yet: carnet section edit introduction"), file=sys.stderr)
    return 0


def section_line(notebook: Notebook, name: str, section: Entry | None) -> str:
    from store.sections import section_title

    """One section in words: its name, its title, who changed it last, or that it is unwritten."""
    if section is None:
        return f"{name:<13} {section_title(name)} — " + _("not written yet")
    line = f"{name:<13} {safe_line(section.title)} — " + _("changed by {name}").format(
        name=author_name(notebook, section.updated_by)
    )
    if section.conflicts:
        line += " — " + _("to resolve")
    return line


def section_json(name: str, section: Entry | None) -> dict[str, Any]:
    from store.sections import section_title

    if section is None:
        return {"name": name, "title": section_title(name), "id": None, "body": None}
    return {"name": name, "id": section.id, **section.to_doc()}
