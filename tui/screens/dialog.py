"""The base of Carnet's dialogs: a box in the middle of the screen, over the dimmed screen."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose box (the child with the id ``dialog``) sits in the middle."""

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog > #dialog {
        background: $surface;
    }
    """
