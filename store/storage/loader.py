"""Reading documents from their files: every file of every folder, or only the paths given;
a file that cannot be read as a document becomes a ``Problem``, never an error."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from store.cache import shared
from store.errors import InvalidDocumentError
from store.i18n import _
from store.layout import FOLDER_DEPTH, TABLES, document_at, document_path
from store.model import read_document
from store.progress import report
from store.storage.files import FOLDER_FLAGS, read_in_folder, remove_if_dead, unreadable
from store.storage.records import Table, new_table


@dataclass(frozen=True)
class Problem:
    """A file that could not be read as a document: skipped, reported, never rewritten."""

    path: str
    reason: str


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading builds ~a million acyclic objects.

    Its passes would find nothing to free, and cost a quarter of the loading time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Loader:
    """Reads documents from their files: every file of every folder, or only the paths given."""

    def __init__(self, root: Path, tables: dict[str, Table] | None = None) -> None:
        self.root = root
        self.tables: dict[str, Table] = tables or {name: new_table(name) for name in TABLES}
        self.problems: list[Problem] = []
        self.read = 0
        # Folders of files read, and how many there are: the progress of a whole load.
        self._folders_read = 0
        self._folders = 0

    def load(self) -> None:
        self._folders = sum(_count_folders(self.root / t, FOLDER_DEPTH[t]) for t in TABLES)
        for table in TABLES:
            self._folder(table, table, FOLDER_DEPTH[table])

    def load_paths(self, paths: Iterable[str]) -> None:
        """Read these files again (a path whose file is gone takes its document away)."""
        for relative in sorted(paths):
            folder, _sep, name = relative.rpartition("/")
            if folder.split("/")[0] not in FOLDER_DEPTH:
                continue
            found = document_at(relative)
            if found is None and not name.startswith("."):
                if name.endswith(".json"):
                    self.problems.append(Problem(relative, _misfiled()))
                continue
            if found is not None:
                self.tables[found[0]].discard(found[1])
            dir_fd = self._open_folder(folder, relative)
            if dir_fd is None:
                continue
            try:
                if found is None:
                    remove_if_dead(name, dir_fd)
                else:
                    self._document(*found, relative, dir_fd, name)
            except FileNotFoundError:
                pass  # gone: its document went with it
            finally:
                os.close(dir_fd)

    def _folder(self, table: str, relative: str, depth: int) -> None:
        """Scan the folder at ``relative``, ``depth`` folder levels above its table's files."""
        dir_fd = self._open_folder(relative, relative)
        if dir_fd is None:
            return
        try:
            self._scan(table, relative, depth, dir_fd)
        finally:
            os.close(dir_fd)

    def _open_folder(self, folder: str, reported: str) -> int | None:
        """Open the folder at ``folder``; None if it is not there, or cannot be read (then a
        problem at ``reported``, the path that was to be read)."""
        try:
            return os.open(self.root / folder, FOLDER_FLAGS)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.problems.append(Problem(reported, unreadable(exc)))
            return None

    def _scan(self, table: str, relative: str, depth: int, dir_fd: int) -> None:
        # A review's id is ``participant/entry``: the participant is the folder under reviews/.
        prefix = relative.split("/")[1] + "/" if table == "reviews" and not depth else ""
        subfolders: list[str] = []
        with os.scandir(dir_fd) as listing:
            for item in listing:
                name = item.name
                if name.startswith("."):
                    remove_if_dead(name, dir_fd)
                    continue
                if depth:
                    if item.is_dir(follow_symlinks=False):
                        subfolders.append(name)
                    elif name.endswith(".json"):
                        self.problems.append(Problem(f"{relative}/{name}", _misfiled()))
                    continue
                if name.endswith(".json"):
                    with contextlib.suppress(FileNotFoundError):
                        self._document(
                            table, prefix + name[:-5], f"{relative}/{name}", dir_fd, name
                        )
        if not depth and self._folders:
            self._folders_read += 1
            report(self._folders_read, self._folders)
        for name in sorted(subfolders):
            self._folder(table, f"{relative}/{name}", depth - 1)

    def _document(self, table: str, doc_id: str, relative: str, dir_fd: int, name: str) -> None:
        """Read, parse and check one file; a damaged one becomes a problem.

        Raises:
            FileNotFoundError: the file is not there (any more).
        """
        try:
            if document_path(table, doc_id) != relative:
                raise InvalidDocumentError(_misfiled())
            data = read_in_folder(dir_fd, name)
            self.read += 1
            doc = read_document(table, doc_id, data)
        except InvalidDocumentError as exc:
            self.problems.append(Problem(relative, str(exc)))
            return
        except FileNotFoundError:
            raise
        except OSError as exc:
            self.problems.append(Problem(relative, unreadable(exc)))
            return
        # Shared as it is read: a notebook read whole holds its 450,000 documents at once,
        # and their keys alone, one string each per document, would be 150 MB at 30,000
        # entries.
        self.tables[table][sys.intern(doc_id)] = shared(doc)


def _count_folders(folder: Path, depth: int) -> int:
    """How many folders of files lie ``depth`` levels under ``folder`` (folders only listed)."""
    if not depth:
        return int(folder.is_dir())
    try:
        with os.scandir(folder) as listing:
            names = [i.name for i in listing if i.is_dir(follow_symlinks=False)]
    except OSError:
        return 0
    return sum(_count_folders(folder / n, depth - 1) for n in names if not n.startswith("."))


def _misfiled() -> str:
    return _("the file is not in the folder its name belongs in")
