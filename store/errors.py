"""The store's exceptions: each carries one plain sentence a participant can act on."""

from __future__ import annotations

from store.text import safe_line


class CarnetError(Exception):
    """Something the participant asked for cannot be done.

    ``str(error)`` says why, and what to do about it, on one line. A message often quotes a
    value that a peer wrote (a file name, a field's value): it is shown through the one
    sanitiser, wherever the message ends up (the terminal, the TUI, ``carnet doctor``).
    """

    def __str__(self) -> str:
        return safe_line(super().__str__())


class NotFoundError(CarnetError):
    """No document has the given id."""


class AmbiguousIdError(CarnetError):
    """A short id matches several documents."""


class InvalidInputError(CarnetError):
    """A value given by the participant is not acceptable (unknown kind, empty title...)."""


class InvalidDocumentError(CarnetError):
    """A file on disk is not a valid Carnet document (malformed JSON, missing field...)."""


class ReadOnlyError(CarnetError):
    """The notebook was written by a newer Carnet and is open read-only."""


class NotANotebookError(CarnetError):
    """The folder holds no notebook."""


class BusyError(CarnetError):
    """Another Carnet process is writing to this notebook right now."""
