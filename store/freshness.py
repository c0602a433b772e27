"""Opening a notebook's documents and keeping its read model fresh: a full reload, the files
a merge changed, or the commits made since by another process."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from store.errors import InvalidDocumentError, NotANotebookError
from store.folder import META_FILE
from store.git.local import LocalRepository
from store.git.program import changed_between
from store.i18n import _
from store.index import Index
from store.model import FORMAT_VERSION, Document, NotebookInfo, read_document
from store.storage import (
    DocumentStorage,
    NotebookDatabase,
    Problem,
    collection_paused,
    read_plain_file,
)

# A refresh reads again only the files that changed, unless they are more than this many and
# more than a quarter of the documents: then one full scan costs no more.
REFRESH_ALL_MIN = 2_000


class NotebookFreshness:
    """The loading of a ``NotebookReads``: its documents, ``carnet.json`` and its read model,
    made again whole or in part (under its lock) when the files change underneath."""

    root: Path
    repo: LocalRepository
    info: NotebookInfo
    read_only: bool
    _lock: threading.RLock
    _meta_problem: Problem | None
    _storage: DocumentStorage
    _db: NotebookDatabase
    _index: Index
    _loaded_head: str | None

    def _load_index(self) -> Index:
        """A read model of every document, made aside: readers keep the one in place until
        this one is whole."""
        index = Index(self._storage.read)
        # The collector is paused because every object made here lives on, so its passes
        # over the growing heap would free nothing.
        with collection_paused():
            index.apply()
        return index

    def _read_meta(self) -> None:
        """Read ``carnet.json``; if it is damaged, its newest valid committed version.

        A damaged ``carnet.json`` must not lock anyone out (not even ``sync``, which could
        bring a repaired one): it is reported in ``problems`` and the notebook works on.
        """
        self._meta_problem = None
        try:
            meta = read_document("meta", "", read_plain_file(self.root / META_FILE))
        except InvalidDocumentError as exc:
            self._meta_problem = Problem(META_FILE, str(exc))
            meta = self._last_valid_meta(str(exc))
        self.info = NotebookInfo.from_doc(meta)
        # A notebook written by a newer Carnet is shown but never rewritten.
        self.read_only = self.info.format > FORMAT_VERSION

    def _last_valid_meta(self, reason: str) -> Document:
        for data in self.repo.versions(META_FILE):
            try:
                return read_document("meta", "", data)
            except InvalidDocumentError:
                continue
        raise NotANotebookError(
            _(
                "{file} is damaged ({reason}) and no earlier version of it is valid: "
                "copy it back from another participant's notebook folder"
            ).format(file=self.root / META_FILE, reason=reason)
        )

    def reload(self) -> None:
        """Read everything again after the files changed underneath (a pull, another process)."""
        with self._lock:
            self._read_meta()
            self._storage.reload()
            self._db.clear_all_caches()
            self._index = self._load_index()
            self._loaded_head = self.repo.head()

    def reload_paths(self, paths: Iterable[str]) -> None:
        """Read again only the files at ``paths`` (e.g. those a merge changed), and derive again
        only what they touch; the rest of the notebook stays as it was loaded.

        A damaged file among them is reported in ``problems``, as a full reload would.
        """
        paths = list(paths)
        with self._lock:
            if META_FILE in paths:
                self._read_meta()
            changed = self._storage.reload_paths(paths)
            self._db.clear_all_caches()
            with collection_paused():
                self._index.apply(changed)

    def refresh(self) -> bool:
        """Catch up if a commit happened since we last looked (another process, a sync); tell
        whether one did.

        Only the files those commits changed are read again, unless they are so many that
        reading everything costs no more (and rewrites the local cache).
        """
        with self._lock:
            head = self.repo.head()
            if head == self._loaded_head:
                return False
            paths = changed_between(self.root, self._loaded_head, head) if head else None
            documents = sum(len(table) for table in self._storage.read().values())
            if paths is None or len(paths) > max(REFRESH_ALL_MIN, documents // 4):
                self.reload()
            else:
                self.reload_paths(paths)
                self._loaded_head = head
            return True
