"""The TinyDB storage: every document in memory, one file per document on disk, written only
where a document changed; an action's writes can be taken back until it settles."""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from operator import methodcaller
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from store import cache
from store.errors import CarnetError, disk_error
from store.git.program import changed_between
from store.git.status import WorkTreeProbe, WorkTreeState
from store.i18n import _
from store.layout import TABLES, document_at, document_path
from store.model import VALIDATORS, Document, document_bytes
from store.storage.database import CopyOnWrite
from store.storage.files import TEMP_SUFFIX, atomic_write, sync_folder, write_temp
from store.storage.loader import Loader, Problem, collection_paused
from store.storage.records import Table, new_table, table_of

# Rewrite the local cache once this many documents had to be read again (or on a first load):
# below that, reading the few changed files costs less than rewriting the whole cache.
CACHE_REWRITE_MIN = 256
CACHE_REWRITE_SHARE = 50  # ...or one document in this many, whichever is more


@dataclass(frozen=True)
class LoadReport:
    """What the last load did: how many documents, how many read from their files."""

    documents: int
    read: int
    from_cache: bool
    cache_saved: bool
    seconds: float = 0.0


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

    Its tables are ``store.storage.records.Table``s: the documents are held compactly, and
    made dicts again as they are read.

    ``write()`` receives the whole database, as TinyDB always passes it, and writes only the
    documents whose content changed. A file that failed to load is listed in ``problems`` and
    Carnet refuses to write over it: a peer's damaged file is left exactly as it arrived.
    """

    def __init__(self, root: str | os.PathLike[str], *, use_cache: bool = True) -> None:
        self.root = Path(root)
        self.problems: list[Problem] = []
        self._tables: dict[str, Table] = {name: new_table(name) for name in TABLES}
        # The commit the documents were loaded at, and the paths they may differ from it at
        # (damaged files, files that differed from it): what the next load compares with.
        self._head: str | None = None
        self._unsure: set[str] = set()
        self._damaged: set[str] = set()
        self._written: list[str] = []
        # While an action runs (``begin``): how to put back each record changed since (what
        # held it before: the tables are changed in place, never copied whole) and each file
        # written (its earlier version kept under another name, or None for a new file), so
        # that an action that fails half-way leaves nothing behind.
        self._acting = False
        self._undo_records: list[Callable[[], None]] = []
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
        probe = WorkTreeProbe(self.root, TABLES, vouch=True)  # runs while this process reads
        with collection_paused():
            base: cache.Snapshot | None = None
            from_cache = False
            if self._head is not None:
                base = cache.Snapshot(self._head, self._tables, list(self._unsure))
            elif self._cache_file is not None:
                base = cache.load(self._cache_file, TABLES, Table.unpacked)
                from_cache = self._cache_current = base is not None
            if base is None:  # git's answer only keys the new cache: read everything meanwhile
                loader = Loader(self.root)
                loader.load()
                state = probe.result()
            else:
                if from_cache:
                    _while_git_answers(base.tables)
                state = probe.result()
                changed = self._changed_since(base, state)
                if changed is None:
                    loader = Loader(self.root)
                    loader.load()
                    from_cache = self._cache_current = False
                else:
                    tables = base.tables
                    if changed:  # the old tables may be in use (TinyDB, a reader): copy them
                        tables = {name: documents.copy() for name, documents in tables.items()}
                    loader = Loader(self.root, tables)
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
                saved = cache.save(self._cache_file, snapshot, methodcaller("packed_parts"))
                self._cache_current = saved
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

    @property
    def as_committed(self) -> bool:
        """Whether no file differed from the commit the documents were loaded at, and none
        was damaged: the documents are exactly that commit's."""
        return not self._unsure

    def read(self) -> dict[str, Table]:  # type: ignore[override]  # tables are mappings
        # A new outer dict: TinyDB replaces a table in it before calling write(), and the
        # comparison in write() needs the old table untouched.
        return dict(self._tables)

    def write(self, data: dict[str, Any]) -> None:
        changes: list[tuple[str, str, Document]] = []
        in_place: list[tuple[Table, str, Document]] = []
        replaced: dict[str, Table] = {}
        for table, documents in data.items():
            old = self._tables.get(table)
            if documents is old:
                continue
            if table not in TABLES or old is None:
                raise CarnetError(_("unknown table “{name}”").format(name=table))
            # Our updates say which documents they touched: the only ones to compare, and to
            # change in the table in place. Any other mapping is compared whole, as TinyDB's
            # contract allows, and becomes the table.
            if isinstance(documents, CopyOnWrite) and documents.base is old:
                candidates = documents.changed
                new = None
            else:
                candidates = {i: documents.get(i) for i in set(documents) | set(old)}
                new = replaced[table] = table_of(table, documents)
            if any(doc is None for i, doc in candidates.items() if i in old):
                raise CarnetError(_("documents are never removed: mark them deleted instead"))
            for doc_id, doc in candidates.items():
                if doc is None:
                    continue
                previous = old.get(doc_id)
                if doc == previous:
                    continue
                path = document_path(table, doc_id)
                if path in self._damaged:
                    raise CarnetError(
                        _(
                            "{path} is damaged; Carnet will not write over it (see carnet doctor)"
                        ).format(path=path)
                    )
                changes.append((table, doc_id, VALIDATORS[table](doc)))
                if new is None:
                    in_place.append((old, doc_id, doc))
                else:
                    new[doc_id] = doc
        # Everything is serialised, and its size checked, before anything is written: a refused
        # value writes nothing. The size is the one every reader checks, of the bytes written.
        encoded = [(document_path(t, i), document_bytes(doc)) for t, i, doc in changes]
        self._put_files(encoded)
        # The documents in memory change once their files are written; each change is undone
        # on its own, from what the table held before it (the last first).
        undo = self._undo_records if self._acting else []
        for documents, doc_id, doc in in_place:
            held = documents.replace(doc_id, doc)
            undo.append(partial(documents.restore, doc_id, held))
        for table, whole in replaced.items():
            undo.append(partial(self._tables.__setitem__, table, self._tables[table]))
            self._tables[table] = whole
        self._written.extend(path for path, _payload in encoded)

    def put_file(self, path: str, data: bytes) -> None:
        """Write a file that is no document (an attached file, at its ``store.layout`` path)
        as part of the action: committed with its documents, taken back with them."""
        self._put_files([(path, data)])
        self._written.append(path)

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
                temps.append((target, write_temp(target, payload)))
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
                sync_folder(folder)
        except OSError as exc:
            for _target, temp in temps:
                with contextlib.suppress(OSError):
                    temp.unlink()
            _put_back(done)
            raise disk_error(exc, self.root) from exc
        self._undo.extend(done)
        if not self._acting:  # no action to take back: the earlier versions can go now
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
        self._acting = True

    def settle(self) -> None:
        """End the action well: what it wrote stays (the earlier versions kept aside go)."""
        for _target, old in self._undo:
            if isinstance(old, Path):
                with contextlib.suppress(OSError):
                    old.unlink()
        self._acting, self._undo_records, self._undo = False, [], []

    def undo(self) -> list[str]:
        """Take back everything written since ``begin``: files, and the documents in memory.

        Returns the paths (relative to the notebook) that were written and are now put back.
        """
        paths = list(dict.fromkeys(str(t.relative_to(self.root)) for t, _old in self._undo))
        _put_back(self._undo)
        for take_back in reversed(self._undo_records):
            take_back()
        self._acting, self._undo_records, self._undo, self._written = False, [], [], []
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
            name: documents.copy() if name in changed else documents
            for name, documents in self._tables.items()
        }
        loader = Loader(self.root, tables)
        loader.load_paths(wanted)
        kept = [problem for problem in self.problems if problem.path not in wanted]
        self._tables = loader.tables
        self.problems = sorted(kept + loader.problems, key=lambda problem: problem.path)
        self._damaged = {problem.path for problem in self.problems}
        self._unsure.update(self._damaged)
        return changed


def _while_git_answers(tables: dict[str, Table]) -> None:
    """What the open does with the tables just read from the cache, while ``git status`` has
    not answered yet (it is most of the open's time): nothing but work the open does anyway.

    The read model makes every entry at the open (``store.index.Index.apply``): made here, it
    finds them made. Any that git then names as changed is read again, its object replaced.

    Then the objects the cache made (137,000 at 10,000 entries) are counted old at once,
    moved to the collector's oldest generation without being walked (a freeze at once
    undone): paused no more, it would walk each of them first (22 ms), and again as they
    aged. A full collection still walks them, and finds whatever is garbage among them; in
    the review screen they are frozen anyway (``tui.screens.review``). While something holds
    objects frozen, undoing a freeze would thaw them too: then the first pass is run here.
    """
    tables["entries"].make_objects()
    if gc.get_freeze_count():
        gc.collect(0)
    else:
        gc.freeze()
        gc.unfreeze()


def documents_at(paths: Iterable[str]) -> dict[str, set[str]]:
    """The ids of the documents stored at ``paths``, by table (other paths are left out)."""
    found: dict[str, set[str]] = {}
    for table, doc_id in filter(None, map(document_at, paths)):
        found.setdefault(table, set()).add(doc_id)
    return found
