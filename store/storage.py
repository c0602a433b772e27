"""TinyDB storage over one JSON file per document: atomic, diff-only writes, never deletes.

The layout is store/layout.py's. TinyDB sees one table per folder, keyed by string ids; a
review's id is ``participant/entry``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from store import cache
from store.errors import CarnetError, InvalidDocumentError, disk_error
from store.git.program import WorkTreeProbe, WorkTreeState, changed_between
from store.i18n import _
from store.ids import new_ulid
from store.layout import FOLDER_DEPTH, TABLES, document_at, document_path
from store.model import (
    MAX_DOCUMENT_BYTES,
    VALIDATORS,
    Document,
    document_bytes,
    read_document,
)

TEMP_SUFFIX = ".tmp"


@dataclass(frozen=True)
class LoadReport:
    """What the last load did: how many documents, how many read from their files."""

    documents: int
    read: int
    from_cache: bool
    cache_saved: bool
    seconds: float = 0.0


@dataclass(frozen=True)
class Problem:
    """A file that could not be read as a document: skipped, reported, never rewritten."""

    path: str
    reason: str


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one.

    Raises:
        DiskError: the file could not be written (read-only folder, full disk...); the old
            file, if any, is as it was and no temp file is left.
    """
    try:
        temp = _write_temp(path, data)
        os.replace(temp, path)
        _sync_folder(path.parent)
    except OSError as exc:
        raise disk_error(exc) from exc


def _write_temp(path: Path, data: bytes) -> Path:
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


def _sync_folder(folder: Path) -> None:
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# Opening a document never follows a link out of the notebook, and never blocks on a pipe.
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_FOLDER_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC
# Rewrite the local cache once this many documents had to be read again (or on a first load):
# below that, reading the few changed files costs less than rewriting the whole cache.
CACHE_REWRITE_MIN = 256
CACHE_REWRITE_SHARE = 50  # ...or one document in this many, whichever is more


def _read(dir_fd: int, name: str) -> bytes:
    """The bytes of a plain file, up to one byte more than a document may hold."""
    fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidDocumentError(_("it is not a plain file: Carnet reads only plain files"))
        size = info.st_size
        data = os.read(fd, min(size, MAX_DOCUMENT_BYTES) + 1)
        if len(data) > size:  # it grew while being read: read on, as far as the size limit
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
        folder = os.open(path.parent, _FOLDER_FLAGS)
        try:
            return _read(folder, path.name)
        finally:
            os.close(folder)
    except OSError as exc:
        raise InvalidDocumentError(_unreadable(exc)) from None


def _remove_if_dead(name: str, dir_fd: int) -> None:
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


class _Loader:
    """Reads documents from their files: every file of every folder, or only the paths given."""

    def __init__(self, root: Path, tables: dict[str, dict[str, Document]] | None = None) -> None:
        self.root = root
        self.tables: dict[str, dict[str, Document]] = tables or {name: {} for name in TABLES}
        self.problems: list[Problem] = []
        self.read = 0

    def load(self) -> None:
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
                self.tables[found[0]].pop(found[1], None)
            try:
                dir_fd = os.open(self.root / folder, _FOLDER_FLAGS)
            except FileNotFoundError:
                continue
            except OSError as exc:
                self.problems.append(Problem(relative, _unreadable(exc)))
                continue
            try:
                if found is None:
                    _remove_if_dead(name, dir_fd)
                else:
                    self._document(*found, relative, dir_fd, name)
            except FileNotFoundError:
                pass  # gone: its document went with it
            finally:
                os.close(dir_fd)

    def _folder(self, table: str, relative: str, depth: int) -> None:
        """Scan the folder at ``relative``, ``depth`` folder levels above its table's files."""
        try:
            dir_fd = os.open(self.root / relative, _FOLDER_FLAGS)
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problems.append(Problem(relative, _unreadable(exc)))
            return
        try:
            self._scan(table, relative, depth, dir_fd)
        finally:
            os.close(dir_fd)

    def _scan(self, table: str, relative: str, depth: int, dir_fd: int) -> None:
        # A review's id is ``participant/entry``: the participant is the folder under reviews/.
        prefix = relative.split("/")[1] + "/" if table == "reviews" and not depth else ""
        subfolders: list[str] = []
        with os.scandir(dir_fd) as listing:
            for item in listing:
                name = item.name
                if name.startswith("."):
                    _remove_if_dead(name, dir_fd)
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
            data = _read(dir_fd, name)
            self.read += 1
            doc = read_document(table, doc_id, data)
        except InvalidDocumentError as exc:
            self.problems.append(Problem(relative, str(exc)))
            return
        except FileNotFoundError:
            raise
        except OSError as exc:
            self.problems.append(Problem(relative, _unreadable(exc)))
            return
        self.tables[table][doc_id] = doc


def _misfiled() -> str:
    return _("the file is not in the folder its name belongs in")


def _unreadable(exc: OSError) -> str:
    return _("the file cannot be read ({detail})").format(detail=exc.strerror or exc)


def _put_back(done: list[tuple[Path, Path | bytes | None]]) -> None:
    """Put files back as they were before they were written (the last written first)."""
    for target, old in reversed(done):
        with contextlib.suppress(OSError, CarnetError):
            if old is None:
                target.unlink()
            elif isinstance(old, Path):
                os.replace(old, target)
            else:
                atomic_write(target, old)


class DocumentStorage(Storage):
    """A TinyDB ``Storage`` that keeps every document in memory and one file per document on disk.

    ``write()`` receives the whole database, as TinyDB always passes it, and writes only the
    documents whose content changed. A file that failed to load is listed in ``problems`` and
    Carnet refuses to write over it: a peer's damaged file is left exactly as it arrived.
    """

    def __init__(self, root: str | os.PathLike[str], *, use_cache: bool = True) -> None:
        self.root = Path(root)
        self.problems: list[Problem] = []
        self._tables: dict[str, dict[str, Document]] = {name: {} for name in TABLES}
        # The commit the documents were loaded at, and the paths they may differ from it at
        # (damaged files, files that differed from it): what the next load compares with.
        self._head: str | None = None
        self._unsure: set[str] = set()
        self._damaged: set[str] = set()
        self._written: list[str] = []
        # While an action runs (``begin``): the tables as they were, and how to put back each
        # file written since (its earlier version kept under another name, or None for a new
        # file), so that an action that fails half-way leaves nothing behind.
        self._before: dict[str, dict[str, Document]] | None = None
        self._undo: list[tuple[Path, Path | bytes | None]] = []
        self._cache_file = cache.cache_path(self.root) if use_cache else None
        self._cache_current = False  # whether the cache file holds what was last loaded
        self.last_load = LoadReport(0, 0, False, False)
        self.reload()

    def reload(self) -> None:
        """Read the documents again, e.g. after git changed the files.

        git says which files differ from the commit the documents were last loaded at (in this
        process, or by the one that wrote the local cache): only those, and the damaged ones,
        are read, parsed and checked again. Without that (no cache yet, git cannot tell),
        every file is. Temp files left by a write that was killed are removed.
        """
        started = time.perf_counter()
        probe = WorkTreeProbe(self.root, TABLES)  # runs while this process reads
        with collection_paused():
            base: cache.Snapshot | None = None
            from_cache = False
            if self._head is not None:
                base = cache.Snapshot(self._head, self._tables, list(self._unsure))
            elif self._cache_file is not None:
                base = cache.load(self._cache_file, TABLES)
                from_cache = self._cache_current = base is not None
            if base is None:  # git's answer only keys the new cache: read everything meanwhile
                loader = _Loader(self.root)
                loader.load()
                state = probe.result()
            else:
                state = probe.result()
                changed = self._changed_since(base, state)
                if changed is None:
                    loader = _Loader(self.root)
                    loader.load()
                    from_cache = self._cache_current = False
                else:
                    tables = base.tables
                    if changed:  # the old tables may be in use (TinyDB, a reader): copy them
                        tables = {name: dict(documents) for name, documents in tables.items()}
                    loader = _Loader(self.root, tables)
                    loader.load_paths(changed)
            del base
            head = state.head if state is not None else None
            unsure = set(state.differing) if state is not None else set()
            unsure.update(problem.path for problem in loader.problems)
            total = sum(len(docs) for docs in loader.tables.values())
            threshold = max(CACHE_REWRITE_MIN, total // CACHE_REWRITE_SHARE)
            saved = False
            if (
                self._cache_file is not None
                and head is not None
                and (loader.read >= threshold or not self._cache_current)
            ):
                snapshot = cache.Snapshot(head, loader.tables, sorted(unsure))
                cache.share(snapshot)  # replaces the tables of ``loader`` with shared ones
                saved = self._cache_current = cache.save(self._cache_file, snapshot)
        self._tables = loader.tables
        self._head, self._unsure = head, unsure
        self.problems = sorted(loader.problems, key=lambda problem: problem.path)
        self._damaged = {problem.path for problem in loader.problems}
        self.last_load = LoadReport(
            total, loader.read, from_cache, saved, time.perf_counter() - started
        )

    def _changed_since(self, base: cache.Snapshot, state: WorkTreeState | None) -> set[str] | None:
        """The paths to read again over ``base``, or None if git cannot tell which."""
        if state is None or state.head is None:
            return None
        changed = set(state.differing)
        changed.update(base.unsure)
        if base.head != state.head:
            moved = changed_between(self.root, base.head, state.head, TABLES)
            if moved is None:
                return None
            changed |= moved
        return changed

    def read(self) -> dict[str, dict[str, Document]]:
        # A new outer dict: TinyDB replaces a table in it before calling write(), and the
        # comparison in write() needs the old table untouched.
        return dict(self._tables)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        changes: list[tuple[str, str, Document]] = []
        replaced: dict[str, dict[str, Document]] = {}
        for table, documents in data.items():
            old = self._tables.get(table)
            if documents is old:
                continue
            if table not in TABLES:
                raise CarnetError(_("unknown table “{name}”").format(name=table))
            old = old or {}
            replaced[table] = dict(documents)
            # Our tables say which documents an update touched; any other mapping is compared
            # whole, as TinyDB's contract allows.
            candidates = getattr(documents, "touched", None)
            if candidates is None:
                candidates = set(documents) | set(old)
            if any(doc_id not in documents for doc_id in candidates if doc_id in old):
                raise CarnetError(_("documents are never removed: mark them deleted instead"))
            for doc_id in candidates:
                doc = documents.get(doc_id)
                previous = old.get(doc_id)
                if doc is previous or doc == previous:
                    continue
                path = document_path(table, doc_id)
                if path in self._damaged:
                    raise CarnetError(
                        _(
                            "{path} is damaged; Carnet will not write over it (see carnet doctor)"
                        ).format(path=path)
                    )
                changes.append((table, doc_id, VALIDATORS[table](doc)))
        # Everything is serialised, and its size checked, before anything is written: a refused
        # value writes nothing. The size is the one every reader checks, of the bytes written.
        encoded = [(document_path(t, i), document_bytes(doc)) for t, i, doc in changes]
        self._put_files(encoded)
        self._tables.update(replaced)
        self._written.extend(path for path, _payload in encoded)

    def _put_files(self, encoded: list[tuple[str, bytes]]) -> None:
        """Write these files: every temp file first, then each put in place.

        A disk that fills up while the temp files are written leaves every file as it was.

        Raises:
            DiskError: a file could not be written; none of these was changed.
        """
        temps: list[tuple[Path, Path]] = []
        try:
            for path, payload in encoded:
                target = self.root / path
                temps.append((target, _write_temp(target, payload)))
        except OSError as exc:
            for _target, temp in temps:
                with contextlib.suppress(OSError):
                    temp.unlink()
            raise disk_error(exc, self.root) from exc
        done: list[tuple[Path, Path | bytes | None]] = []
        try:
            for target, temp in temps:
                old = self._keep_old(target, len(self._undo) + len(done))
                os.replace(temp, target)
                done.append((target, old))
            for folder in {target.parent for target, _temp in temps}:
                _sync_folder(folder)
        except OSError as exc:
            for _target, temp in temps:
                with contextlib.suppress(OSError):
                    temp.unlink()
            _put_back(done)
            raise disk_error(exc, self.root) from exc
        self._undo.extend(done)
        if self._before is None:  # no action to take back: the earlier versions can go now
            self.settle()

    def _keep_old(self, target: Path, number: int) -> Path | bytes | None:
        """Keep the file at ``target`` aside until the action ends: a hard link (it takes no
        room on a full disk), or its bytes where the disk has no links; None if there is none.
        """
        backup = target.with_name(f".{target.name}.old{number}.{os.getpid()}{TEMP_SUFFIX}")
        with contextlib.suppress(FileNotFoundError):
            backup.unlink()
        try:
            os.link(target, backup, follow_symlinks=False)
        except FileNotFoundError:
            return None
        except OSError:
            try:
                return target.read_bytes()
            except FileNotFoundError:
                return None
        return backup

    def begin(self) -> None:
        """Start an action: what it writes can be taken back (``undo``) until ``settle``."""
        self.settle()
        self._before = dict(self._tables)

    def settle(self) -> None:
        """End the action well: what it wrote stays (the earlier versions kept aside go)."""
        for _target, old in self._undo:
            if isinstance(old, Path):
                with contextlib.suppress(OSError):
                    old.unlink()
        self._before, self._undo = None, []

    def undo(self) -> list[str]:
        """Take back everything written since ``begin``: files, and the documents in memory.

        Returns the paths (relative to the notebook) that were written and are now put back.
        """
        paths = list(dict.fromkeys(str(t.relative_to(self.root)) for t, _old in self._undo))
        _put_back(self._undo)
        if self._before is not None:
            self._tables = self._before
        self._before, self._undo, self._written = None, [], []
        return paths

    def take_written(self) -> list[str]:
        """The paths written since the last call, in order, each once."""
        written, self._written = list(dict.fromkeys(self._written)), []
        return written

    def close(self) -> None:
        """Nothing is held open between writes."""

    def reload_paths(self, paths: Iterable[str]) -> dict[str, set[str]]:
        """Read again only the files at ``paths`` (those a merge changed), keeping the rest.

        Returns the ids read again (or gone), by table. A file in a place no document belongs
        at is reported in ``problems``, as a full load would.
        """
        wanted = set(paths)
        changed = documents_at(wanted)
        # The old tables may be in use (TinyDB, a reader): the changed ones are copied.
        tables = {
            name: dict(documents) if name in changed else documents
            for name, documents in self._tables.items()
        }
        loader = _Loader(self.root, tables)
        loader.load_paths(wanted)
        kept = [problem for problem in self.problems if problem.path not in wanted]
        self._tables = loader.tables
        self.problems = sorted(kept + loader.problems, key=lambda problem: problem.path)
        self._damaged = {problem.path for problem in self.problems}
        self._unsure.update(self._damaged)
        return changed


def documents_at(paths: Iterable[str]) -> dict[str, set[str]]:
    """The ids of the documents stored at ``paths``, by table (other paths are left out)."""
    found: dict[str, set[str]] = {}
    for table, doc_id in filter(None, map(document_at, paths)):
        found.setdefault(table, set()).add(doc_id)
    return found


class _CopyOnWrite(dict[str, Document]):
    """A table handed to TinyDB's updaters: a document is copied the moment it is looked up.

    TinyDB's ``update()`` changes documents in place; copying on access keeps the storage's
    snapshot intact. The keys looked up, set or removed are ``touched``: the only documents
    ``DocumentStorage.write()`` needs to compare, out of tens of thousands.
    """

    def __init__(self, documents: dict[str, Document]) -> None:
        super().__init__(documents)
        self.touched: set[str] = set()

    def __getitem__(self, key: str) -> Document:
        doc = dict(super().__getitem__(key))
        super().__setitem__(key, doc)
        self.touched.add(key)
        return doc

    def __setitem__(self, key: str, doc: Document) -> None:
        super().__setitem__(key, doc)
        self.touched.add(key)

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self.touched.add(key)


class NotebookTable(Table):
    """A TinyDB table with string ids: ULIDs for new documents, never a counter."""

    document_id_class = str  # type: ignore[assignment]  # an int id would silently match nothing

    def _get_next_id(self) -> str:
        return new_ulid()

    # TinyDB's own _update_table copies the whole table twice and lets updates change the
    # storage's documents in place, so write() could only find what changed by comparing
    # copies of every document: an update of one review among 6,000 took 24 ms that way,
    # against 0.2 ms here, where only the documents looked up are copied and compared.
    def _update_table(self, updater: Callable[[dict[Any, Mapping[str, Any]]], None]) -> None:
        tables = self._storage.read() or {}  # DocumentStorage.read() always gives a dict
        table = _CopyOnWrite(tables.get(self.name, {}))
        updater(table)  # type: ignore[arg-type]  # a dict subclass, as TinyDB's own would be
        tables[self.name] = table
        self._storage.write(tables)
        self.clear_cache()


class NotebookDatabase(TinyDB):
    """TinyDB over a notebook folder."""

    table_class = NotebookTable
    default_table_name = "entries"

    def clear_all_caches(self) -> None:
        """Forget cached query results of every table (``clear_cache()`` only clears one)."""
        for name in TABLES:
            self.table(name).clear_cache()
