"""The store's exceptions: each carries one plain sentence a participant can act on."""

from __future__ import annotations

import errno

from store.i18n import _
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


class DiskError(CarnetError):
    """A file could not be written: a read-only folder, a full disk, a missing permission.

    Nothing was changed: the action that needed the file was undone.
    """


class GitError(CarnetError):
    """The git program failed on a local operation.

    ``detail`` is git's own last line when that is all there is to say (None when the message
    already says what to do: a full disk, a read-only folder, no git at all).
    """

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class SyncError(CarnetError):
    """Sharing with the others failed; everything done on this computer is kept."""


class OfflineError(SyncError):
    """The shared repository cannot be reached: no network, unknown host, or no answer in time."""


class AuthError(SyncError):
    """The shared repository refused the participant's credentials."""


class RejectedError(SyncError):
    """The shared repository kept refusing the push."""


class RemoteError(SyncError):
    """No shared repository is set, or its address is refused or leads nowhere."""


# What the operating system says (``errno``), and what git prints (``LC_ALL=C``), for the
# faults a participant can fix themselves.
_READ_ONLY = (errno.EROFS,)
_FULL = (errno.ENOSPC, errno.EDQUOT)
_FORBIDDEN = (errno.EACCES, errno.EPERM)
_NOT_A_FOLDER = (errno.ENOTDIR, errno.EEXIST)
# Checked in this order: a read-only folder or a permission is named by git; what is left of
# "cannot write" (a lock file "couldn't write", "unable to write") is a full disk.
_GIT_WORDS = (
    (_READ_ONLY, ("read-only file system",)),
    (_FORBIDDEN, ("permission denied", "insufficient permission")),
    (_FULL, ("no space left on device", "disk quota exceeded", "out of diskspace",
             "file write error", "unable to write", "couldn't write")),
)  # fmt: skip


def fault_message(code: int | None, path: object = None) -> str | None:
    """The plain words for a fault the participant can fix (``code`` an ``errno``), or None.

    Args:
        code: the ``errno`` of the failure.
        path: the file or folder concerned, if known.
    """
    where = "" if path is None else str(path)
    if code in _FULL:
        return _("the disk is full: free some space, then try again (nothing was saved)")
    if code in _READ_ONLY:
        return _(
            "the notebook's folder is read-only: {path}; nothing was saved "
            "(copy the notebook to a folder you can write to, or ask for write access)"
        ).format(path=where)
    if code in _FORBIDDEN:
        return _(
            "Carnet is not allowed to write to {path}: ask for write access to the folder, "
            "then try again (nothing was saved)"
        ).format(path=where)
    if code in _NOT_A_FOLDER:
        return _(
            "{path} cannot be made: a file is in the way where a folder should be; "
            "choose another folder"
        ).format(path=where)
    return None


def disk_error(exc: OSError, path: object = None) -> DiskError:
    """The ``DiskError`` that tells a participant what ``exc`` means and what to do.

    Args:
        exc: the failure, as Python raised it.
        path: the file or folder concerned, when ``exc`` does not name it.
    """
    where = exc.filename if exc.filename is not None else path
    if exc.errno in _READ_ONLY:  # the whole folder is: name it, not the file tried first
        where = _outside_git(path if path is not None else where)
    message = fault_message(exc.errno, where)
    if message is None:
        message = _("Carnet could not write {path} ({reason}); nothing was saved").format(
            path=where if where is not None else "?", reason=exc.strerror or exc
        )
    return DiskError(message)


def _outside_git(path: object) -> object:
    """``/notebook/.git/carnet/lock`` → ``/notebook``: the folder a person knows."""
    if path is None:
        return None
    text = str(path)
    head, sep, _tail = text.partition("/.git/")
    return head if sep else text.removesuffix("/.git")


def git_fault(output: str, path: object = None) -> str | None:
    """The plain words for what git printed (in English: ``LC_ALL=C``), if it is a disk fault."""
    text = output.lower()
    for codes, words in _GIT_WORDS:
        if any(word in text for word in words):
            return fault_message(codes[0], path)
    return None


def explain(error: BaseException) -> str:
    """Plain words for any failure of a participant's action, for the screen or the terminal.

    A ``CarnetError`` already says what to do; an ``OSError`` is a disk fault; anything else is
    a bug, told as such rather than as a traceback.
    """
    if isinstance(error, CarnetError):
        return str(error)
    if isinstance(error, OSError):
        return str(disk_error(error))
    return _(
        "Carnet met an unexpected problem ({detail}); what was already saved is kept. "
        "Try again, and if it happens again, tell whoever looks after Carnet"
    ).format(detail=f"{type(error).__name__}: {error}")
