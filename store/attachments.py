"""Files attached to entries: a programme, a charter in PDF, the photos of a visit.

A file's bytes are stored once, under the hash of those bytes (``store.layout``): two people
attaching the same PDF store one copy, and renaming or moving it on someone's disk changes
nothing. The entry keeps a record of each file (its name, size, type, hash, who added it and
when), merged as a set: an attachment added on either side stays (docs/design.md §18).
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import shutil
import stat
from pathlib import Path

from store.actions import NotebookActions
from store.errors import InvalidInputError, NotFoundError, disk_error
from store.i18n import N_, _
from store.layout import attachment_path
from store.model import Attachment
from store.writing import unknown_participant

_MB = 1024 * 1024
_UNKNOWN_TYPE = "application/octet-stream"


class NotebookAttachments(NotebookActions):
    """The files attached to a notebook's entries."""

    @property
    def attachment_limit(self) -> int:
        """The largest file one may attach, in bytes (``carnet.json``'s setting)."""
        return self.info.attachment_limit_mb * _MB

    def attach(self, entry_id: str, path: Path) -> Attachment:
        """Attach the file at ``path`` to the entry: one commit, nothing written if refused.

        Attaching a file the entry already has (the same bytes) changes nothing.

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: no file there, a folder, or a file over the size limit.
        """
        entry = self.entry(entry_id)
        data = self._file_bytes(path)
        sha256 = hashlib.sha256(data).hexdigest()
        known = next((a for a in entry.attachments if a.sha256 == sha256), None)
        if known is not None:
            return known
        if self.me is None:
            raise unknown_participant()
        kind = mimetypes.guess_type(path.name)[0] or _UNKNOWN_TYPE
        attachment = Attachment(path.name, len(data), kind, sha256, self.me, self._clock())
        relative = attachment_path(sha256)
        stored = self.root / relative
        # Someone attached the same bytes before (to any entry): one copy serves them all. A
        # new file is written first, and committed with the entry by the action that follows.
        new_file = not stored.is_file()
        if new_file:
            self._storage.put_file(relative, data)
        changes = {"attachments": (*entry.attachments, attachment)}
        try:
            # The record goes in through the entry's own merge, as any change of an entry does.
            updated = self._update_entry(entry, changes, N_("Attach a file to: {title}"))
        except BaseException:
            if new_file:  # nothing written stays behind
                self._storage.take_written()
                stored.unlink(missing_ok=True)
            raise
        return next(a for a in updated.attachments if a.sha256 == sha256)

    def attachments(self, entry_id: str) -> list[Attachment]:
        """The files attached to the entry, by the time they were added."""
        return sorted(self.entry(entry_id).attachments, key=lambda a: (a.added, a.name))

    def attachment(self, entry_id: str, sha256: str) -> Attachment:
        """The entry's attachment of hash ``sha256`` (its first digits are enough).

        Raises:
            NotFoundError: the entry has no such attachment.
        """
        wanted = sha256.strip().lower()
        found = [a for a in self.attachments(entry_id) if wanted and a.sha256.startswith(wanted)]
        if len({a.sha256 for a in found}) != 1:
            raise NotFoundError(
                _("this entry has no attachment “{hash}”").format(hash=sha256.strip())
            )
        return found[0]

    def attachment_file(self, entry_id: str, sha256: str) -> Path:
        """Where the attached file is in the notebook folder (to open it with a viewer).

        Raises:
            NotFoundError: the entry has no such attachment, or its file has not arrived.
        """
        attachment = self.attachment(entry_id, sha256)
        path = self.root / attachment_path(attachment.sha256)
        if not path.is_file() or path.is_symlink():
            raise NotFoundError(
                _("the file “{name}” is not in this notebook (sync to receive it)").format(
                    name=attachment.name
                )
            )
        return path

    def attachment_bytes(self, entry_id: str, sha256: str) -> bytes:
        """The bytes of the entry's attachment.

        Raises:
            NotFoundError: the entry has no such attachment, or its file has not arrived.
        """
        return self.attachment_file(entry_id, sha256).read_bytes()

    def save_attachment(self, entry_id: str, sha256: str, dest: Path) -> Path:
        """Save a copy of the attachment at ``dest`` (a folder: under its name there).

        Raises:
            NotFoundError: no such attachment, or its file has not arrived.
            InvalidInputError: a file is already at ``dest``.
        """
        attachment = self.attachment(entry_id, sha256)
        source = self.attachment_file(entry_id, attachment.sha256)
        target = dest / attachment.name if dest.is_dir() else dest
        if target.exists() or target.is_symlink():
            raise InvalidInputError(
                _("{path} already exists: choose another name").format(path=target)
            )
        try:
            shutil.copyfile(source, target)
        except OSError as exc:
            raise disk_error(exc, target) from exc
        return target

    def _file_bytes(self, path: Path) -> bytes:
        """The bytes of the file to attach, checked before anything is written."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise InvalidInputError(_("no file at {path}").format(path=path)) from None
        except OSError as exc:
            raise disk_error(exc, path) from exc
        if stat.S_ISDIR(info.st_mode):
            raise InvalidInputError(_("{path} is a folder: attach a file").format(path=path))
        self._check_size(path, info.st_size)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise disk_error(exc, path) from exc
        self._check_size(path, len(data))  # it may have grown since
        return data

    def _check_size(self, path: Path, size: int) -> None:
        limit = self.attachment_limit
        if size > limit:
            raise InvalidInputError(
                _("{path} is {size} MB: the notebook takes files of up to {limit} MB").format(
                    path=path, size=_megabytes(size), limit=limit // _MB
                )
            )


def size_in_words(size: int) -> str:
    """A file's size as people read it: bytes, kB or MB."""
    if size < 1024:
        return _("{size} B").format(size=size)
    if size < 1024 * 1024:
        return _("{size} kB").format(size=f"{size / 1024:.0f}")
    return _("{size} MB").format(size=_megabytes(size))


def _megabytes(size: int) -> str:
    return f"{size / _MB:.1f}".replace(".", ",")
