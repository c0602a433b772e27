"""``carnet comment``, ``carnet read`` and ``carnet endorse`` without opening the notebook.

Each of them needs one entry, at most one other comment, and the participant's own reading
of that entry, besides what ``carnet add`` reads (``store.adding.DirectNotebook``): a few
files, where opening the notebook reads them all. An id names the entry (or comment) whose
id it is or ends with, and every id ending like it lives in one folder (named by the id's
last character), so one listing of that folder finds it as the notebook's read model would.

The direct path writes only what it can tell, from those files, that the notebook would
write, byte for byte, in the same commit. Whatever it cannot settle is left to the notebook,
which says what it always said: an id that names no entry or several, a damaged file among
those it reads (the notebook refuses to write over one, or tells which entry cannot be
read), an empty comment, a reply to a comment of another entry, an unknown stance. A refusal
then costs an open of the notebook; the action itself never does.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from store.adding import DirectNotebook, encoded
from store.errors import InvalidDocumentError
from store.i18n import N_
from store.ids import SHORT_ID_MIN, is_ulid
from store.layout import document_path
from store.model import STANCES, Comment, Document, Entry, Review, now, read_document
from store.storage.files import FOLDER_FLAGS, read_in_folder

# The commit messages of these actions, whichever path writes them (store.comments and
# store.actions use them too).
COMMENT_ON = N_("Comment on: {title}")
READ = N_("Read: {title}")
MARK_UNREAD = N_("Mark unread: {title}")
STANCE_ON = N_("Stance on: {title}")

_KEEP: Any = object()  # a field of the reading left as it was


class _NotebookNeeded(Exception):
    """The files do not settle what the notebook would do: let it do it."""


class DirectActions(DirectNotebook):
    """A participant's response to an entry (a comment, a reading, a stance), written as the
    notebook writes it. Each method returns None when the notebook must do it instead
    (nothing is written then)."""

    def add_comment(self, entry_id: str, body: str, *, parent: str | None = None) -> (
        tuple[Comment, str] | None
    ):  # fmt: skip
        """Comment on an entry, or reply to one of its comments, as
        ``Notebook.add_comment`` does; the comment and its short id.

        Raises:
            InvalidInputError: a comment over 1 MB once saved.
            InvalidDocumentError: a comment its table refuses (as the notebook's storage).
            DiskError, GitError: the write or the commit failed (nothing is left of it).
        """
        try:
            entry = self._entry(entry_id)
            if not body.strip():
                raise _NotebookNeeded
            parent_id = None
            if parent is not None:
                parent_id, parent_doc = self._document("comments", parent)
                if parent_doc["entry"] != entry.id:
                    raise _NotebookNeeded
            with self._locked():
                at = now()
                me = self.me.id
                comment = Comment(self._free_id("comments"), entry.id, parent_id, me, body, at)
                written = {document_path("comments", comment.id): comment.to_doc()}
                self._respond(entry, COMMENT_ON, written, at, read=at)
        except _NotebookNeeded:
            return None
        return comment, self._short_id("comments", comment.id)

    def mark_read(self, entry_id: str) -> Entry | None:
        """Record that the participant has read the entry as it is now; the entry."""
        return self._review(entry_id, READ, read=True)

    def mark_unread(self, entry_id: str) -> Entry | None:
        """Put the entry back among the participant's unread ones; the entry."""
        return self._review(entry_id, MARK_UNREAD, read=False)

    def set_stance(self, entry_id: str, stance: str | None) -> Entry | None:
        """Take a stance on an entry, or withdraw it with None; the entry."""
        if stance is not None and stance not in STANCES:
            return None
        return self._review(entry_id, STANCE_ON, read=True, stance=stance)

    def _review(
        self, entry_id: str, message: str, *, read: bool, stance: str | None | Any = _KEEP
    ) -> Entry | None:
        try:
            entry = self._entry(entry_id)
            with self._locked():
                at = now()
                self._respond(entry, message, {}, at, read=at if read else None, stance=stance)
        except _NotebookNeeded:
            return None
        return entry

    def _respond(
        self, entry: Entry, message: str, written: dict[str, Document], at: str, *,
        read: str | None, stance: str | None | Any = _KEEP,
    ) -> None:  # fmt: skip
        """Commit ``written`` and the participant's reading of ``entry`` as the notebook's
        ``_write_review`` makes it (not written when it would not change); no commit when
        there is nothing to write. Called under the file lock: the reading is read there.
        """
        key = f"{self.me.id}/{entry.id}"
        previous = self._reading(key)
        review = Review(
            participant=self.me.id,
            entry=entry.id,
            read=read,
            stance=(previous.stance if previous else None) if stance is _KEEP else stance,
            updated=at,
        )
        if previous is None or (previous.read, previous.stance) != (review.read, review.stance):
            written = {**written, document_path("reviews", key): review.to_doc()}
        if written:
            files = {path: encoded(path.partition("/")[0], doc) for path, doc in written.items()}
            self._commit(files, message, entry.title)

    def _entry(self, text: str) -> Entry:
        return Entry.from_doc(*self._document("entries", text))

    def _document(self, table: str, text: str) -> tuple[str, Document]:
        """The one document of ``table`` whose id is ``text`` or ends with it, readable.

        Raises:
            _NotebookNeeded: none, several, or one the notebook would not read (its words).
        """
        wanted = text.strip().upper()
        if len(wanted) < SHORT_ID_MIN or not wanted[-1].isalnum():
            raise _NotebookNeeded
        try:
            with _folder(self.repo.root, f"{table}/{wanted[-1]}") as folder:
                names = [
                    name for name in os.listdir(folder)
                    if name.endswith(wanted + ".json") and is_ulid(name[:-5])
                ]  # fmt: skip
                if len(names) != 1:
                    raise _NotebookNeeded
                doc_id = names[0][:-5]
                return doc_id, read_document(table, doc_id, read_in_folder(folder, names[0]))
        except (OSError, InvalidDocumentError):
            raise _NotebookNeeded from None

    def _reading(self, key: str) -> Review | None:
        """The participant's reading of an entry (``participant/entry``) as its file holds it;
        None: there is none.

        Raises:
            _NotebookNeeded: the file is there, damaged (the notebook will not write over it).
        """
        folder_path, _sep, name = document_path("reviews", key).rpartition("/")
        try:
            with _folder(self.repo.root, folder_path) as folder:
                data = read_in_folder(folder, name)
            return Review.from_doc(read_document("reviews", key, data))
        except FileNotFoundError:
            return None
        except (OSError, InvalidDocumentError):
            raise _NotebookNeeded from None


@contextlib.contextmanager
def _folder(root: Path, relative: str) -> Iterator[int]:
    """The folder at ``relative``, opened as the notebook's loader opens it: no link
    followed on the way (the loader does not go through one)."""
    parts = relative.split("/")
    folder = os.open(root / parts[0], FOLDER_FLAGS)
    try:
        for part in parts[1:]:
            inner = os.open(part, FOLDER_FLAGS, dir_fd=folder)
            os.close(folder)
            folder = inner
        yield folder
    finally:
        os.close(folder)
