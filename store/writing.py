"""How a participant's action is made: locked, on fresh data, written through TinyDB, and
ending in exactly one commit (or leaving nothing behind)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from tinydb.table import Document as TinyDocument

from store.errors import CarnetError, ReadOnlyError, disk_error
from store.git.batch import close_reader
from store.git.program import Identity
from store.i18n import _, in_language
from store.local import LOCK_FILE, file_lock
from store.model import Participant
from store.reads import NotebookReads
from store.storage import documents_at


class NotebookWriting(NotebookReads):
    """The frame of every change: its lock, its commit, its undoing when it fails; each
    document written through TinyDB, applied to the read model once committed."""

    @contextlib.contextmanager
    def _action(
        self, message: str, *, author: Participant | None = None, **values: str
    ) -> Iterator[str]:
        """Run one participant action: locked, on fresh data, ending in exactly one commit.

        ``message`` (marked with ``N_``, formatted with ``values``) becomes the commit message,
        written in the notebook's language whatever the screen's. Yields the action's time,
        which is also the participant's new read time. ``author`` is only given for a
        participant who is not yet in the notebook (joining it).
        """
        if self.read_only:
            raise ReadOnlyError(
                _(
                    "this notebook was written by a newer Carnet: it is open read-only; "
                    "update Carnet to change it"
                )
            )
        me = author or self.me_participant
        if me is None:
            raise unknown_participant()
        try:
            with self._lock, file_lock(self.repo.local_dir / LOCK_FILE):
                self.refresh()
                self._storage.begin()
                try:
                    yield self._clock()
                    with in_language(self.info.language):
                        text = _(message).format(**values)
                    written = self._storage.take_written()
                    self.repo.commit(written, text, Identity(me.name, me.email))
                except BaseException:
                    self._undo_action()
                    raise
                self._storage.settle()
                self._loaded_head = self.repo.head()
                self._index.apply(documents_at(written))
        except OSError as exc:  # the lock, a folder: what the storage did not already say
            raise disk_error(exc, self.root) from exc

    def _undo_action(self) -> None:
        """Leave nothing of an action that failed half-way (a full disk, a refused commit).

        Its files are put back, and taken out of git's index, so that no later commit (nor a
        sync's "changes left unsaved") carries part of it. The read model takes in an action's
        documents once they are committed, but it may have seen some of them before: the
        comments and readings it derives on first use are derived from the storage as it is
        then, which may be during the action (its own reading of them, or another thread's).
        It takes in the documents put back.
        """
        paths = self._storage.undo()
        if paths:
            self.repo.unstage(paths)
        self._db.clear_all_caches()
        self._index.apply(documents_at(paths))

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this notebook's lock and its file lock for multi-step work such as a sync.

        Nothing inside may start an action (``add_entry``...): the file lock is not reentrant.
        The work leaves no git process running: the trees' reader (``store.git.batch``) ends
        with it, and the next action starts it again.
        """
        try:
            with self._lock, file_lock(self.repo.local_dir / LOCK_FILE):
                try:
                    yield
                finally:
                    close_reader()
        except OSError as exc:
            raise disk_error(exc, self.root) from exc

    @contextlib.contextmanager
    def acting_as(
        self, participant_id: str, clock: Callable[[], str] | None = None
    ) -> Iterator[None]:
        """Act as another participant, at other times (to build the demo notebook)."""
        saved = self.me, self._clock
        self.me = participant_id
        if clock is not None:
            self._clock = clock
        try:
            yield
        finally:
            self.me, self._clock = saved

    def _write(self, table: str, doc_id: str, doc: dict[str, Any]) -> None:
        """Write one whole document through TinyDB: inserted if new, else updated."""
        documents = self._db.table(table)
        if doc_id in self._storage.read()[table]:
            documents.update(doc, doc_ids=[doc_id])  # type: ignore[list-item]  # str ids
        else:
            documents.insert(TinyDocument(doc, doc_id=doc_id))  # type: ignore[arg-type]


def unknown_participant() -> CarnetError:
    """What to say when this clone does not know who is using it."""
    return CarnetError(
        _(
            "Carnet does not know who you are in this notebook: "
            "run carnet join, or set git config user.email to your participant email"
        )
    )
