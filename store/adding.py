"""A new entry: its checks, its first version and its author's reading; and ``carnet add``'s
way of writing one without opening the notebook.

Opening loads every document and derives the read model, hundreds of milliseconds for a
command that adds one file. A new entry needs little of it: the notebook's settings (its
objectives, its language, its format), the participant acting, and the folder its file goes
in (its short id is unique among the ids ending like it, which all live there). Whatever
this cannot settle from those files (a damaged or newer ``carnet.json``, a participant the
clone's settings do not name, git in the middle of a merge) is left to the notebook, which
says what it always said.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import NamedTuple, Self

from store.errors import InvalidDocumentError, InvalidInputError, disk_error
from store.folder import META_FILE
from store.git.local import LocalRepository
from store.git.program import Identity
from store.i18n import LANGUAGES, N_, _, in_language
from store.ids import SHORT_ID_MIN, is_ulid, new_ulid, short_ids
from store.labels import kind_label, status_label
from store.layout import document_path
from store.local import LOCK_FILE, file_lock, load_settings, signing_key
from store.model import (
    FORMAT_VERSION,
    KINDS,
    MAX_TITLE_LENGTH,
    STATUSES,
    VALIDATORS,
    Entry,
    NotebookInfo,
    Participant,
    Review,
    document_bytes,
    now,
    read_document,
)
from store.storage.files import read_plain_file, sync_folder, write_temp

NEW_ENTRY = N_("New entry: {title}")  # the commit's message
# git's states in which a commit of ours would be taken into what it is doing: left to the
# notebook, as before.
GIT_UNDER_WAY = ("MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "rebase-merge", "rebase-apply")


def check_entry_fields(
    objectives_known: Collection[int],
    *,
    kind: str | None = None,
    title: str | None = None,
    status: str | None = None,
    objectives: Iterable[int] | None = None,
) -> None:
    """Refuse the fields an entry cannot have (None: not given).

    Raises:
        InvalidInputError: an unknown kind, status or objective; an empty or too long title.
    """
    if kind is not None and kind not in KINDS:
        raise InvalidInputError(
            _("unknown kind “{value}”: choose one of {choices}").format(
                value=kind, choices=", ".join(map(kind_label, KINDS))
            )
        )
    if status is not None and status not in STATUSES:
        raise InvalidInputError(
            _("unknown status “{value}”: choose one of {choices}").format(
                value=status, choices=", ".join(map(status_label, STATUSES))
            )
        )
    if title is not None:
        if not title.strip():
            raise InvalidInputError(_("the title is empty: give the entry a title"))
        if len(title) > MAX_TITLE_LENGTH:
            raise InvalidInputError(
                _("the title is too long ({count} characters, at most {limit})").format(
                    count=len(title), limit=MAX_TITLE_LENGTH
                )
            )
    for number in objectives or ():
        if number not in objectives_known:
            raise InvalidInputError(
                _("unknown objective {value}: this notebook has objectives {choices}").format(
                    value=number, choices=", ".join(str(n) for n in sorted(objectives_known))
                )
            )


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t.strip() for t in tags if t.strip()}))


def new_entry(
    entry_id: str, author: str, at: str, kind: str, title: str, body: str,
    objectives: Iterable[int], tags: tuple[str, ...], status: str,
) -> tuple[Entry, Review]:  # fmt: skip
    """A new entry as its author writes it at ``at``, and their reading of it (read then)."""
    entry = Entry(
        id=entry_id,
        kind=kind,
        title=title.strip(),
        body=body,
        objectives=tuple(sorted(set(objectives))),
        tags=tags,
        status=status,
        author=author,
        updated_by=author,
        created=at,
        updated=at,
    )
    return entry, Review(participant=author, entry=entry_id, read=at, stance=None, updated=at)


class DirectNotebook(NamedTuple):
    """What adding an entry needs of a notebook, read from its files (``open``).

    A tuple, not a dataclass: a dataclass's methods are code made and compiled when its
    module is imported (about 0.5 ms each on the 2-core machine), for ``carnet add`` alone."""

    repo: LocalRepository
    info: NotebookInfo
    me: Participant
    language: str
    """The interface's language for this clone (its settings', else the notebook's)."""

    @classmethod
    def open(cls, root: Path) -> Self | None:
        """The notebook at ``root`` as far as adding an entry needs it; None when only the
        notebook itself can say what to do (see the module)."""
        repo = LocalRepository(root)
        if any((repo.git_dir / name).exists() for name in GIT_UNDER_WAY):
            return None
        try:
            meta = read_document("meta", "", read_plain_file(root / META_FILE))
        except InvalidDocumentError:
            return None
        info = NotebookInfo.from_doc(meta)
        settings = load_settings(repo.local_dir)
        me = _participant(root, settings.get("participant"))
        if info.format > FORMAT_VERSION or me is None:
            return None
        repo.signing_key = signing_key(settings)
        language = settings.get("language")
        return cls(repo, info, me, language if language in LANGUAGES else info.language)

    def add_entry(
        self, kind: str, title: str, body: str, *,
        objectives: Iterable[int], tags: Iterable[str], status: str,
    ) -> tuple[Entry, str]:  # fmt: skip
        """Add an entry as ``Notebook.add_entry`` does; the entry and its short id.

        The same checks, in the same order, with the same words; the same files, written as
        the storage writes them (a temp file on disk, renamed, its folder on disk) and
        committed as an action is, under the notebook's file lock.

        Raises:
            InvalidInputError: a field the entry cannot have, or an entry over 1 MB once saved.
            DiskError: a file could not be written (nothing is left of the entry).
            GitError: the commit failed (nothing is left of the entry).
        """
        objectives, tags = tuple(objectives), clean_tags(tags)
        known = {o.number for o in self.info.objectives}
        check_entry_fields(known, kind=kind, title=title, status=status, objectives=objectives)
        with self._locked():
            entry, review = new_entry(
                self._free_id("entries"), self.me.id, now(), kind, title, body, objectives, tags,
                status,
            )  # fmt: skip
            files = {
                document_path("entries", entry.id): encoded("entries", entry.to_doc()),
                document_path("reviews", review.key): encoded("reviews", review.to_doc()),
            }
            self._commit(files, NEW_ENTRY, entry.title)
        return entry, self._short_id("entries", entry.id)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the notebook's file lock (as its actions do); a disk's refusal in plain words."""
        try:
            with file_lock(self.repo.local_dir / LOCK_FILE):
                yield
        except OSError as exc:  # the lock, a file
            raise disk_error(exc, self.repo.root) from exc

    def _commit(self, files: dict[str, bytes], message: str, title: str) -> None:
        """Write ``files`` and commit them as an action does: ``message`` (marked with ``N_``)
        in the notebook's language, the participant its author; if anything fails, the files
        are as they were."""
        with in_language(self.info.language):
            text = _(message).format(title=title)
        commit_files(self.repo, files, text, Identity(self.me.name, self.me.email))

    def _free_id(self, table: str) -> str:
        """A new id whose file in ``table`` does not exist yet."""
        while True:
            doc_id = new_ulid()
            if not os.path.lexists(self.repo.root / document_path(table, doc_id)):
                return doc_id

    def _short_id(self, table: str, doc_id: str) -> str:
        """The document's short id, as the notebook's read model gives it: its shortest unique
        ending among the readable documents of ``table`` (those that end like it share its
        folder, and only the ids sharing its last four characters can make it longer)."""
        folder = self.repo.root / document_path(table, doc_id).rpartition("/")[0]
        ending = doc_id[-SHORT_ID_MIN:]
        near = {name[:-5] for name in os.listdir(folder) if name.endswith(ending + ".json")}
        ids = {i for i in near - {doc_id} if is_ulid(i) and _readable(folder, table, i)}
        return short_ids(ids | {doc_id})[doc_id]


def _participant(root: Path, participant_id: object) -> Participant | None:
    """The participant the clone's settings name, as their file says; None: not that way."""
    if not isinstance(participant_id, str):
        return None
    try:
        path = root / document_path("participants", participant_id)
        doc = read_document("participants", participant_id, read_plain_file(path))
    except InvalidDocumentError:
        return None
    return Participant.from_doc(participant_id, doc)


def _readable(folder: Path, table: str, doc_id: str) -> bool:
    """Whether the document's file in ``folder`` is one the notebook reads (not damaged)."""
    try:
        read_document(table, doc_id, read_plain_file(folder / f"{doc_id}.json"))
    except InvalidDocumentError:
        return False
    return True


def encoded(table: str, doc: dict[str, object]) -> bytes:
    """The bytes the storage would write for ``doc``, checked as it checks them."""
    return document_bytes(VALIDATORS[table](doc))


def commit_files(
    repo: LocalRepository, files: dict[str, bytes], message: str, identity: Identity
) -> None:
    """Write ``files`` (new ones, or ones replaced whole) and commit them; if anything fails,
    put back what was there."""
    # git is started now, to be ready when the commit asks it for the trees it changes.
    repo.start_tree_reader()
    temps: list[tuple[Path, Path]] = []
    replaced: list[tuple[Path, bytes | None]] = []  # each file put in place, and its old bytes
    try:
        for path, data in files.items():
            temps.append((repo.root / path, write_temp(repo.root / path, data)))
        for target, temp in temps:
            try:
                old: bytes | None = read_plain_file(target)
            except InvalidDocumentError:  # no file there (the caller read any it replaces)
                old = None
            os.replace(temp, target)
            replaced.append((target, old))
        for folder in {target.parent for target, _temp in temps}:
            sync_folder(folder)
        repo.commit(list(files), message, identity)
    except BaseException:
        for _target, temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
        for target, old in replaced:
            with contextlib.suppress(OSError):
                if old is None:
                    target.unlink()
                else:
                    os.replace(write_temp(target, old), target)
        if replaced:
            repo.unstage(list(files))
        raise
