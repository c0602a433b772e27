"""Reading documents from their files: every file of every folder, or only the paths given;
a file that cannot be read as a document becomes a ``Problem``, never an error."""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import select
import signal
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from store.errors import InvalidDocumentError
from store.i18n import _
from store.layout import FOLDER_DEPTH, TABLES, document_at, document_path
from store.model import read_document
from store.progress import report
from store.storage.files import FOLDER_FLAGS, read_in_folder, remove_if_dead, unreadable
from store.storage.records import Table, new_table

# A folder of documents' files: its table, its path in the notebook, the names of its plain
# files and of the others (links, pipes...), which its listing tells apart.
Folder = tuple[str, str, list[str], list[str]]


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
        self.read_by_helper = 0  # of those, how many a helper process read (``load``)
        # Folders of files read, and how many there are: the progress of a whole load.
        self._folders_read = 0
        self._folders = 0

    def load(self) -> None:
        """Read every file of every folder, the later half of them (about) in a helper
        process when there are enough of them and two processors to share the work."""
        folders = [
            folder for table in TABLES for folder in self._listed(table, table, FOLDER_DEPTH[table])
        ]
        self._folders = len(folders)
        split = _split_point(folders) if _can_share() else len(folders)
        helper = Helper.start(self.root, folders[split:]) if split < len(folders) else None
        if helper is None:  # none, or none could be started: every folder is read here
            split = len(folders)
        try:
            for folder in folders[:split]:
                self._read_folder(*folder)
                self._folder_done()
                if helper is not None:
                    for _done in range(helper.folders_done(wait=False)):
                        self._folder_done()
            if helper is not None:
                for _done in range(helper.folders_done(wait=True)):
                    self._folder_done()
                if not helper.take_into(self):  # it died: its folders are read here
                    for folder in folders[split:]:
                        self._read_folder(*folder)
                        if self._folders_read < self._folders:  # those it had not told
                            self._folder_done()
        finally:
            if helper is not None:
                helper.close()

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

    def _listed(self, table: str, relative: str, depth: int) -> list[Folder]:
        """The folders of files at ``relative``, ``depth`` folder levels above its table's
        files, each with the names of its documents' files, in the order they are read."""
        dir_fd = self._open_folder(relative, relative)
        if dir_fd is None:
            return []
        names: list[str] = []
        others: list[str] = []
        try:
            with os.scandir(dir_fd) as listing:
                for item in listing:
                    name = item.name
                    if name.startswith("."):
                        remove_if_dead(name, dir_fd)
                    elif depth and item.is_dir(follow_symlinks=False):
                        names.append(name)
                    elif name.endswith(".json"):
                        if depth:
                            self.problems.append(Problem(f"{relative}/{name}", _misfiled()))
                        elif item.is_file(follow_symlinks=False):
                            names.append(name)
                        else:
                            others.append(name)
        finally:
            os.close(dir_fd)
        if not depth:
            return [(table, relative, names, others)]
        return [
            folder
            for name in sorted(names)
            for folder in self._listed(table, f"{relative}/{name}", depth - 1)
        ]

    def _read_folder(self, table: str, relative: str, plain: list[str], others: list[str]) -> None:
        """Read the documents' files of the folder at ``relative``: ``plain`` ones, as its
        listing said, and ``others``."""
        dir_fd = self._open_folder(relative, relative)
        if dir_fd is None:
            return
        # A review's id is ``participant/entry``: the participant is the folder under reviews/.
        prefix = relative.split("/")[1] + "/" if table == "reviews" else ""
        try:
            for names, is_plain in ((plain, True), (others, False)):
                for name in names:
                    with contextlib.suppress(FileNotFoundError):
                        self._document(
                            table, prefix + name[:-5], f"{relative}/{name}", dir_fd, name, is_plain
                        )
        finally:
            os.close(dir_fd)

    def _folder_done(self) -> None:
        self._folders_read += 1
        report(self._folders_read, self._folders)

    def _document(
        self, table: str, doc_id: str, relative: str, dir_fd: int, name: str, plain: bool = False
    ) -> None:
        """Read, parse and check one file (``plain``: its folder's listing says it is a plain
        file); a damaged one becomes a problem.

        Raises:
            FileNotFoundError: the file is not there (any more).
        """
        try:
            if document_path(table, doc_id) != relative:
                raise InvalidDocumentError(_misfiled())
            data = read_in_folder(dir_fd, name, plain=plain)
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
        self.tables[table].hold_read(sys.intern(doc_id), doc)


def _misfiled() -> str:
    return _("the file is not in the folder its name belongs in")


# Below this many files, a helper process costs more than it saves.
SHARED_LOAD_MIN_FILES = 2000
# How long a helper may tell nothing (no folder read) before it is taken for stuck: a folder
# takes it well under a second, even of 4,700 comments on a loaded machine.
HELPER_SILENCE = 30.0
# What reading a file costs, against a comment's or a reading's: an entry is two to three
# times larger, and has more fields to check.
_FILE_COST = {"entries": 2}
# The share of that cost read by this process: it also lists the folders and takes in what
# the helper sends (measured: 0.45 leaves the two within 5 % of each other at 10,000
# entries, where halves left this process 25 % more).
_OWN_SHARE = 0.45


def _can_share() -> bool:
    """Whether a helper process can read half of the files: Linux, where ``os.fork`` is
    what makes it (a helper stuck after a fork from a process with threads, as the TUI's,
    is ended after ``HELPER_SILENCE``), and two processors for this process."""
    return sys.platform.startswith("linux") and len(os.sched_getaffinity(0)) > 1


def _split_point(folders: list[Folder]) -> int:
    """Where the folders are cut in two parts that take about as long, this process's
    first (all of them, when there are too few files to share)."""
    counts = [len(plain) + len(others) for _table, _relative, plain, others in folders]
    if sum(counts) < SHARED_LOAD_MIN_FILES:
        return len(folders)
    costs = [
        _FILE_COST.get(folder[0], 1) * count for folder, count in zip(folders, counts, strict=True)
    ]
    total = sum(costs)
    done = 0
    for number, cost in enumerate(costs):
        if done >= total * _OWN_SHARE:
            return number
        done += cost
    return len(folders)


class Helper:
    """A forked process that reads some folders and sends back what it read.

    It reads them with the same code, so that a damaged file is the same problem, with the
    same reason, as if this process had read it; it writes nothing, and sends its tables in
    the cache's form (``Table.packed_parts``, ``marshal``: plain values, no code), a part at
    a time. It tells each folder it has read by one byte on a pipe of its own, so that the
    progress counts its folders too. If it dies, or what it sends is not whole, its folders
    are read here: it never loses a document, at worst it costs the time it took.
    """

    def __init__(self, pid: int, progress: int, data: int) -> None:
        self.pid = pid
        self._progress: int | None = progress
        self._data = data

    @classmethod
    def start(cls, root: Path, folders: list[Folder]) -> Helper | None:
        """The helper reading ``folders``, started; None if no process could be made."""
        progress_read, progress_write = os.pipe()
        data_read, data_write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # too many processes, too little memory
            for fd in (progress_read, progress_write, data_read, data_write):
                os.close(fd)
            return None
        if not pid:  # the helper: never returns into the caller's code
            code = 1
            try:
                os.close(progress_read)
                os.close(data_read)
                _help(root, folders, progress_write, data_write)
                code = 0
            finally:
                os._exit(code)
        os.close(progress_write)
        os.close(data_write)
        os.set_blocking(progress_read, False)
        return cls(pid, progress_read, data_read)

    def folders_done(self, *, wait: bool) -> int:
        """How many more folders it has read; with ``wait``, until it has read them all, or
        has told nothing for ``HELPER_SILENCE`` seconds: then it is ended, as if it had died
        (a process forked from one with threads can be stuck on a lock another thread held),
        and its folders are read here."""
        if self._progress is None:
            return 0
        done = 0
        while True:
            if wait and not select.select([self._progress], [], [], HELPER_SILENCE)[0]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                continue  # its end closes the pipe: read below as an end
            try:
                got = os.read(self._progress, 4096)
            except BlockingIOError:
                if wait:  # woken for nothing
                    continue
                return done
            if not got:  # it has read every folder (or died)
                os.close(self._progress)
                self._progress = None
                return done
            done += len(got)
            if not wait:
                return done

    def take_into(self, loader: Loader) -> bool:
        """Add what it read to ``loader``'s tables and problems; False if it did not send it
        all (then nothing of it is added: its parts are kept aside until its last message)."""
        parts: list[tuple[str, dict[Any, Any]]] = []
        with os.fdopen(self._data, "rb", closefd=False) as stream:
            try:
                while True:
                    message = marshal.loads(_framed(stream))
                    if message[0] is None:  # the end: its problems and how many it read
                        _end, problems, read = message
                        break
                    parts.append(message)
            except (EOFError, ValueError, TypeError):
                return False
        for name, part in parts:
            try:
                loader.tables[name] = Table.unpacked(name, part, loader.tables[name])
            except (KeyError, TypeError):  # not what it should send (a bug): its folders are
                return False  # read here, each of their documents put over what it held
        loader.problems.extend(Problem(path, reason) for path, reason in problems)
        loader.read += read
        loader.read_by_helper += read
        return True

    def close(self) -> None:
        """End it if it still runs (this process was interrupted), and wait for its end."""
        for fd in (self._progress, self._data):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._progress = None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _help(root: Path, folders: list[Folder], progress: int, data: int) -> None:
    """The helper's work: read ``folders`` as this process would, then send the tables."""
    loader = Loader(root)
    for folder in folders:
        loader._read_folder(*folder)
        os.write(progress, b".")
    os.close(progress)
    with os.fdopen(data, "wb") as stream:
        for name, table in loader.tables.items():
            for part in table.packed_parts():
                _frame(stream, marshal.dumps((name, part)))
        problems = [(problem.path, problem.reason) for problem in loader.problems]
        _frame(stream, marshal.dumps((None, problems, loader.read)))


def _frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(len(payload).to_bytes(8, "big"))
    stream.write(payload)


def _framed(stream: BinaryIO) -> bytes:
    """The next payload ``_frame`` wrote, whole; EOFError if the stream ends before it."""
    head = stream.read(8)
    payload = stream.read(int.from_bytes(head, "big")) if len(head) == 8 else b""
    if len(head) != 8 or len(payload) != int.from_bytes(head, "big"):
        raise EOFError
    return payload
