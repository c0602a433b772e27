"""The files of a notebook as the storage writes and reads them: atomic writes through temp
files (and the temp files a write that died left behind), reads that follow no link."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from store.errors import InvalidDocumentError, disk_error
from store.i18n import _
from store.model import MAX_DOCUMENT_BYTES

TEMP_SUFFIX = ".tmp"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one.

    Raises:
        DiskError: the file could not be written (read-only folder, full disk...); the old
            file, if any, is as it was and no temp file is left.
    """
    try:
        temp = write_temp(path, data)
        os.replace(temp, path)
        sync_folder(path.parent)
    except OSError as exc:
        raise disk_error(exc) from exc


def write_temp(path: Path, data: bytes) -> Path:
    """Write ``data`` to a temp file beside ``path``, on disk (fsync), and return its path.

    A write that fails (a full disk) removes its temp file before raising ``OSError``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


def sync_folder(folder: Path) -> None:
    """Put the folder's entries on disk (fsync): a rename in it survives a crash."""
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# Opening a document never follows a link out of the notebook, and never blocks on a pipe.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
FOLDER_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC


# What a document's file is read with when its size is not asked first: most are a few
# kilobytes, and a larger buffer costs more to allocate than it saves in reads.
_READ_CHUNK = 1 << 14


def read_in_folder(dir_fd: int, name: str, *, plain: bool = False) -> bytes:
    """The bytes of a plain file, up to one byte more than a document may hold.

    ``plain``: the folder's listing says the file is a plain one (its type, which the
    listing gives without asking for each file's status): it is read without asking for
    its status and size first, one system call of four a file. A file replaced meanwhile by
    anything else is still never followed (a link) nor waited on (a pipe).
    """
    fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
    try:
        if plain:
            data = os.read(fd, _READ_CHUNK)
            whole = len(data) < _READ_CHUNK  # a plain file gives less only at its end
        else:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise InvalidDocumentError(
                    _("it is not a plain file: Carnet reads only plain files")
                )
            size = info.st_size
            data = os.read(fd, min(size, MAX_DOCUMENT_BYTES) + 1)
            whole = len(data) <= size  # else it grew while being read
        if not whole:  # read on, as far as the size limit
            chunks = [data]
            while len(data) <= MAX_DOCUMENT_BYTES and (more := os.read(fd, 1 << 16)):
                chunks.append(more)
                data = b"".join(chunks)
        return data
    finally:
        os.close(fd)


def read_plain_file(path: Path) -> bytes:
    """The bytes of the file at ``path``, read as a document is: no link followed, plain files
    only, at most one byte over the size limit.

    Raises:
        InvalidDocumentError: a link, a folder, or a file that cannot be read.
    """
    try:
        folder = os.open(path.parent, FOLDER_FLAGS)
        try:
            return read_in_folder(folder, path.name)
        finally:
            os.close(folder)
    except OSError as exc:
        raise InvalidDocumentError(unreadable(exc)) from None


def remove_if_dead(name: str, dir_fd: int) -> None:
    """Remove the temp file ``name`` of the folder ``dir_fd`` if the write it was for died."""
    if name.endswith(TEMP_SUFFIX) and _is_dead_writer(name):
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)


def _is_dead_writer(name: str) -> bool:
    """Whether the temp file ``name`` (``.<file>.<pid>.tmp``) was left by a write that died.

    Another Carnet process writing right now keeps its temp file; ours are stale here,
    since this process writes and reloads under the same lock.
    """
    pid_text = name[: -len(TEMP_SUFFIX)].rpartition(".")[2]
    if not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return pid <= 0
    return False


def unreadable(exc: OSError) -> str:
    return _("the file cannot be read ({detail})").format(detail=exc.strerror or exc)
