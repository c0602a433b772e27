"""The ``Notebook`` facade: every domain operation the command line and the TUI need."""

from __future__ import annotations

import contextlib
import fcntl
import json
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from tinydb import Query
from tinydb.table import Document as TinyDocument

from store.errors import (
    AmbiguousIdError,
    BusyError,
    CarnetError,
    InvalidDocumentError,
    InvalidInputError,
    NotANotebookError,
    NotFoundError,
    ReadOnlyError,
    disk_error,
)
from store.i18n import N_, _, in_language
from store.ids import is_ulid, new_ulid, short_ids, slugify
from store.keys import allowed_signers, load_signing_key, read_public_key
from store.layout import META_FILE, document_path
from store.merge import merge_entry
from store.model import (
    FORMAT_VERSION,
    KINDS,
    MAX_TITLE_LENGTH,
    STANCES,
    STATUSES,
    Comment,
    Document,
    Entry,
    NotebookInfo,
    Objective,
    Participant,
    Review,
    canonical_bytes,
    document_bytes,
    format_time,
    is_field_value,
    now,
    parse_time,
    read_document,
)
from store.repo import HistoryItem, Identity, LocalRepository, changed_between, git_config
from store.search import SearchIndex
from store.storage import (
    DocumentStorage,
    NotebookDatabase,
    Problem,
    atomic_write,
    collection_paused,
    read_plain_file,
)

SETTINGS_FILE = "settings.json"
LOCK_TIMEOUT = 10.0
# A refresh reads again only the files that changed, unless they are more than this many and
# more than a quarter of the documents: then one full scan costs no more.
REFRESH_ALL_MIN = 2_000

MISSION_OBJECTIVES = {
    "fr": (
        "Pratiques françaises de développement social local et de soutien à la parentalité",
        "Recherche française et évaluation des projets et des interventions",
        "Collaboration intersectorielle : modes de collaboration et outils concrets",
        "Réseautage entre organismes français et québécois",
    ),
    "en": (
        "French practices of local social development and parenting support",
        "French research and the evaluation of projects and interventions",
        "Intersectoral collaboration: ways of working together and concrete tools",
        "Networking between French and Québec organisations",
    ),
}


@dataclass(frozen=True)
class EntryFilter:
    """Which entries to list; every criterion given must hold."""

    kind: str | None = None
    objective: int | None = None
    status: str | None = None
    tag: str | None = None
    unread: bool = False
    conflicts: bool = False
    search: str = ""
    include_deleted: bool = False


@dataclass(frozen=True)
class ThreadItem:
    """A comment in its thread, with its depth (0 for a comment, 1 for a reply...)."""

    comment: Comment
    depth: int


class _Index:
    """What the screens ask for at every keystroke, derived once from the documents."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.comments: dict[str, Comment] = {}
        self.comments_of: dict[str, list[Comment]] = {}
        self.reviews_of: dict[str, dict[str, Review]] = {}
        self.activity: dict[str, str] = {}
        self.participants: dict[str, Participant] = {}
        self._search: SearchIndex | None = None
        self._short_entry_ids: dict[str, str] | None = None
        self._short_comment_ids: dict[str, str] | None = None
        self._unread: set[str] = set()
        self._unread_for: str | None = None

    def put_entry(self, entry: Entry) -> None:
        is_new = entry.id not in self.entries
        self.entries[entry.id] = entry
        last_comment = self.comments_of.get(entry.id)
        self.activity[entry.id] = max(
            entry.updated, last_comment[-1].created if last_comment else ""
        )
        if self._search is not None:
            self._search.set_entry(entry.id, entry.title, entry.body, entry.tags)
        if is_new:
            self._short_entry_ids = None
        self._touch(entry.id)

    def put_comment(self, comment: Comment) -> None:
        self.comments[comment.id] = comment
        thread = self.comments_of.setdefault(comment.entry, [])
        thread.append(comment)
        if len(thread) > 1 and thread[-2].created > comment.created:
            thread.sort(key=_thread_order)
        self.activity[comment.entry] = max(self.activity.get(comment.entry, ""), comment.created)
        if self._search is not None:
            self._search.add_comment(comment.entry, comment.body)
        self._short_comment_ids = None
        self._touch(comment.entry)

    def put_review(self, review: Review) -> None:
        self.reviews_of.setdefault(review.entry, {})[review.participant] = review
        self._touch(review.entry)

    def unread(self, participant: str) -> set[str]:
        """The entries (not deleted) with news since ``participant`` last read them.

        Computed once, then kept up to date entry by entry as documents are put.
        """
        if self._unread_for != participant:
            self._unread = {i for i in self.entries if self._is_unread(i, participant)}
            self._unread_for = participant
        return self._unread

    def _is_unread(self, entry_id: str, participant: str) -> bool:
        if self.entries[entry_id].deleted:
            return False
        review = self.reviews_of.get(entry_id, {}).get(participant)
        if review is None or review.read is None:
            return True
        return review.read < self.activity.get(entry_id, "")

    def _touch(self, entry_id: str) -> None:
        if self._unread_for is None or entry_id not in self.entries:
            return
        if self._is_unread(entry_id, self._unread_for):
            self._unread.add(entry_id)
        else:
            self._unread.discard(entry_id)

    def update(self, tables: dict[str, dict[str, Document]], changed: dict[str, set[str]]) -> None:
        """Take in the documents of ``changed`` (ids by table) as ``tables`` now hold them.

        Only what these documents touch is derived again; an id missing from ``tables`` (its
        file removed or damaged) leaves the index. The search text of an entry follows an
        edit or a new comment; a comment changed or gone makes it all be built again.
        """
        touched: set[str] = set()  # entries whose thread, activity or unread state may change
        for participant_id in changed.get("participants", ()):
            doc = tables["participants"].get(participant_id)
            if doc is None:
                self.participants.pop(participant_id, None)
            else:
                self.participants[participant_id] = Participant.from_doc(participant_id, doc)
        for comment_id in changed.get("comments", ()):
            old = self.comments.pop(comment_id, None)
            if old is not None:
                self.comments_of[old.entry].remove(old)
                touched.add(old.entry)
                self._search = None  # its text is inside its entry's: build it all again
            doc = tables["comments"].get(comment_id)
            if doc is not None:
                comment = self.comments[comment_id] = Comment.from_doc(comment_id, doc)
                self.comments_of.setdefault(comment.entry, []).append(comment)
                touched.add(comment.entry)
                if self._search is not None:
                    self._search.add_comment(comment.entry, comment.body)
            self._short_comment_ids = None
        for review_id in changed.get("reviews", ()):
            participant, _slash, entry_id = review_id.partition("/")
            self.reviews_of.get(entry_id, {}).pop(participant, None)
            doc = tables["reviews"].get(review_id)
            if doc is not None:
                review = Review.from_doc(doc)
                self.reviews_of.setdefault(review.entry, {})[review.participant] = review
            touched.add(entry_id)
        for entry_id in changed.get("entries", ()):
            doc = tables["entries"].get(entry_id)
            if doc is None:
                if self.entries.pop(entry_id, None) is not None:
                    self.activity.pop(entry_id, None)
                    self._unread.discard(entry_id)
                    self._short_entry_ids = self._search = None
                continue
            entry = self.entries[entry_id] = Entry.from_doc(entry_id, doc)
            if self._search is not None:
                self._search.set_entry(entry_id, entry.title, entry.body, entry.tags)
            self._short_entry_ids = None
            touched.add(entry_id)
        for entry_id in touched:
            thread = self.comments_of.get(entry_id)
            if thread is not None:
                thread.sort(key=_thread_order)
            known = self.entries.get(entry_id)
            if known is not None:
                self.activity[entry_id] = (
                    max(known.updated, thread[-1].created) if thread else known.updated
                )
                self._touch(entry_id)

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            index = SearchIndex()
            for entry in self.entries.values():
                index.set_entry(entry.id, entry.title, entry.body, entry.tags)
            for entry_id, thread in self.comments_of.items():
                index.add_comments(entry_id, (comment.body for comment in thread))
            self._search = index
        return self._search

    @property
    def short_entry_ids(self) -> dict[str, str]:
        if self._short_entry_ids is None:
            self._short_entry_ids = short_ids(self.entries)
        return self._short_entry_ids

    @property
    def short_comment_ids(self) -> dict[str, str]:
        if self._short_comment_ids is None:
            self._short_comment_ids = short_ids(self.comments)
        return self._short_comment_ids


class Notebook:
    """A notebook folder: its documents, its git repository and the participant using it.

    One ``Notebook`` object serialises all its reads of shared state and every write behind
    one lock, and takes a file lock around writes so that two Carnet processes never
    interleave their commits.
    """

    def __init__(self, root: Path, *, participant: str | None = None) -> None:
        self.root = root.resolve()
        meta_path = self.root / META_FILE
        if not meta_path.is_file() and not meta_path.is_symlink():
            raise NotANotebookError(
                _(
                    "{path} is not a notebook (no {file}): run carnet init or carnet join first"
                ).format(path=self.root, file=META_FILE)
            )
        self.repo = LocalRepository(self.root)
        self.repo.signing_key = _signing_key(load_settings(self.repo.local_dir))
        self._lock = threading.RLock()
        self._clock: Callable[[], str] = now
        self._meta_problem: Problem | None = None
        self._read_meta()
        self._storage: DocumentStorage
        self._db = NotebookDatabase(self.root, storage=DocumentStorage)
        self._storage = self._db.storage  # type: ignore[assignment]
        self._loaded_head = self.repo.head()
        self._index = self._build_index()
        self.me: str | None = participant or self._find_me()

    # --- creation -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        root: Path,
        *,
        title: str,
        name: str,
        email: str,
        organisation: str = "",
        role: str = "",
        language: str = "fr",
        objectives: Sequence[str] | None = None,
        signing_key: Path | None = None,
        require_signatures: bool = False,
    ) -> Notebook:
        """Make a new notebook and its git repository, with its creator as first participant.

        ``signing_key`` (an SSH public key file) signs every commit of this clone and goes in
        the creator's record; ``require_signatures`` makes signatures required of everyone.

        Raises:
            InvalidInputError: the title, name or email is empty, ``root`` is not empty, or the
            key cannot be read (or is missing while signatures are required).
        """
        if not title.strip():
            raise InvalidInputError(_("the notebook needs a title (--title)"))
        try:
            existed = root.exists()
            if existed and any(root.iterdir()):
                raise InvalidInputError(
                    _("{path} is not empty: choose a new folder for the notebook").format(path=root)
                )
        except OSError as exc:  # a file where the folder should be, a folder we may not read
            raise disk_error(exc, root) from exc
        _check_identity(name, email)
        if require_signatures and signing_key is None:
            raise InvalidInputError(
                _("to require signatures, sign yourself: give your key (--signing-key)")
            )
        keys: tuple[str, ...] = ()
        if signing_key is not None:
            signing_key, key = load_signing_key(signing_key)
            keys = (key,)
        titles = objectives or MISSION_OBJECTIVES.get(language, MISSION_OBJECTIVES["fr"])
        info = NotebookInfo(
            title=title.strip(),
            language=language,
            objectives=tuple(Objective(n, t) for n, t in enumerate(titles, start=1)),
            signatures_required=require_signatures,
        )
        participant = Participant(
            slugify(name), name.strip(), email.strip(), organisation, role, keys
        )
        # Checked before the folder is made: a refused document leaves nothing behind.
        meta, first = document_bytes(info.to_doc()), document_bytes(participant.to_doc())
        try:
            repo = LocalRepository.create(root)
            repo.signing_key = signing_key
            atomic_write(root / META_FILE, meta)
            atomic_write(root / "participants" / f"{participant.id}.json", first)
            save_settings(repo.local_dir, participant=participant.id, **_key_setting(signing_key))
            with in_language(info.language):
                message = _("Create the notebook “{title}”").format(title=info.title)
            repo.commit(
                [META_FILE, f"participants/{participant.id}.json"],
                message,
                Identity(participant.name, participant.email),
            )
        except BaseException as exc:
            # Leave no half-made notebook behind, so that trying again just works.
            remove_made(root, existed)
            if isinstance(exc, OSError):
                raise disk_error(exc, root) from exc
            raise
        notebook = cls(root, participant=participant.id)
        notebook.share_keys()
        return notebook

    def add_participant(
        self,
        name: str,
        email: str,
        organisation: str = "",
        role: str = "",
        signing_key: Path | None = None,
    ) -> Participant:
        """Register a participant (or find them by email) as the one using this clone.

        With ``signing_key`` this clone signs with it, and the new record lists it (the first
        commit of a participant makes their key known: trust on first use).
        """
        _check_identity(name, email)
        for existing in self._index.participants.values():
            if existing.email.lower() == email.strip().lower():
                self.me = existing.id
                save_settings(self.repo.local_dir, participant=existing.id)
                return existing if signing_key is None else self.sign_with(signing_key)
        keys: tuple[str, ...] = ()
        if signing_key is not None:
            signing_key, key = load_signing_key(signing_key)
            keys = (key,)
        participant = Participant(
            slugify(name, self._index.participants), name.strip(), email.strip(), organisation,
            role, keys,
        )  # fmt: skip
        if signing_key is not None:
            self.repo.signing_key = signing_key
            save_settings(self.repo.local_dir, **_key_setting(signing_key))
        with self._action(
            N_("Join the notebook: {name}"), author=participant, name=participant.name
        ):
            self._db.table("participants").insert(
                TinyDocument(participant.to_doc(), doc_id=participant.id)  # type: ignore[arg-type]
            )
            self._index.participants[participant.id] = participant
        self.me = participant.id
        save_settings(self.repo.local_dir, participant=participant.id)
        self.share_keys()
        return participant

    def share_keys(self) -> None:
        """Give git the participants' keys, to verify their signatures (store.keys)."""
        keys = {p.id: p.keys for p in self._index.participants.values() if p.keys}
        self.repo.write_allowed_signers(allowed_signers(keys))

    def sign_with(self, signing_key: Path) -> Participant:
        """Sign this clone's commits with ``signing_key`` from now on, and list it in my record.

        A key already listed for me is only taken into use. A new one is added by a commit
        signed with a key my record already lists (the one this clone used so far), or, for my
        first key, with the new key itself: the others accept a key change no other way.

        Raises:
            InvalidInputError: the key cannot be read, or my record lists other keys and this
            clone does not sign with one of them.
        """
        signing_key, key = load_signing_key(signing_key)
        me = self.me_participant
        if me is None:
            raise _unknown_me()
        if key not in me.keys:
            signer = self.repo.signing_key
            if me.keys and (signer is None or _key_of(signer) not in me.keys):
                raise InvalidInputError(
                    _(
                        "your record already lists another key: sign with it first "
                        "(carnet key --sign with the old key), then add the new one"
                    )
                )
            if not me.keys:
                self.repo.signing_key = signing_key
            updated = replace(me, keys=(*me.keys, key))
            with self._action(N_("Sign with an SSH key: {name}"), name=me.name):
                self._put(self._db.table("participants"), me.id, updated.to_doc())
                self._index.participants[me.id] = updated
            me = updated
        self.repo.signing_key = signing_key
        save_settings(self.repo.local_dir, **_key_setting(signing_key))
        self.share_keys()
        return me

    # --- loading and freshness -----------------------------------------------------------

    def _build_index(self) -> _Index:
        # Straight from the storage's snapshot: iterating TinyDB tables would copy every
        # document first. The collector is paused because every object made here lives on,
        # so its passes over the growing heap would free nothing.
        index = _Index()
        with collection_paused():
            tables = self._storage.read()
            for participant_id, doc in tables["participants"].items():
                index.participants[participant_id] = Participant.from_doc(participant_id, doc)
            comments, comments_of = index.comments, index.comments_of
            for comment_id, doc in tables["comments"].items():
                comment = comments[comment_id] = Comment.from_doc(comment_id, doc)
                thread = comments_of.get(comment.entry)
                if thread is None:
                    comments_of[comment.entry] = [comment]
                else:
                    thread.append(comment)
            for thread in comments_of.values():
                if len(thread) > 1:
                    thread.sort(key=_thread_order)
            entries, activity = index.entries, index.activity
            for entry_id, doc in tables["entries"].items():
                entry = entries[entry_id] = Entry.from_doc(entry_id, doc)
                thread = comments_of.get(entry_id)
                # As _Index.put_entry does: the entry's last change or its latest comment.
                activity[entry_id] = (
                    max(entry.updated, thread[-1].created) if thread else entry.updated
                )
            reviews_of = index.reviews_of
            for doc in tables["reviews"].values():
                review = Review.from_doc(doc)
                readers = reviews_of.get(review.entry)
                if readers is None:
                    reviews_of[review.entry] = {review.participant: review}
                else:
                    readers[review.participant] = review
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
            self._index = self._build_index()
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
                self._index.update(self._storage.read(), changed)

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

    def _find_me(self) -> str | None:
        settings = load_settings(self.repo.local_dir)
        participant = settings.get("participant")
        if isinstance(participant, str) and participant in self._index.participants:
            return participant
        email = git_config("user.email", self.root)
        for candidate in self._index.participants.values():
            if email and candidate.email.lower() == email.lower():
                return candidate.id
        return None

    @property
    def problems(self) -> list[Problem]:
        """Files that could not be read: skipped, never rewritten (see ``carnet doctor``)."""
        found = [self._meta_problem] if self._meta_problem is not None else []
        return found + list(self._storage.problems)

    def close(self) -> None:
        """Release the database."""
        self._db.close()

    def __enter__(self) -> Notebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- reading ---------------------------------------------------------------------------

    def participant(self, participant_id: str) -> Participant | None:
        """The participant with this id, if known."""
        return self._index.participants.get(participant_id)

    def participants(self) -> list[Participant]:
        """Every participant, by name."""
        return sorted(self._index.participants.values(), key=lambda p: p.name.casefold())

    @property
    def me_participant(self) -> Participant | None:
        """The participant using this clone."""
        return self._index.participants.get(self.me) if self.me else None

    def resolve_id(self, text: str) -> str:
        """The full id of the entry that ``text`` names, in full or by a suffix of 4+ characters.

        Raises:
            NotFoundError: no entry has that id, or its file is damaged.
            AmbiguousIdError: several entries end with it.
        """
        try:
            return _resolve(
                text,
                self._index.entries,
                _("no entry has the id “{id}”"),
                self.short_id,
            )
        except NotFoundError:
            # The id may be that of an entry whose file a peer damaged: say so, not "no entry".
            wanted = text.strip().upper()
            path = document_path("entries", wanted) if is_ulid(wanted) else None
            for problem in self.problems:
                if problem.path == path:
                    raise NotFoundError(
                        _("the entry “{id}” cannot be read ({reason}): see carnet doctor").format(
                            id=wanted, reason=problem.reason
                        )
                    ) from None
            raise

    def resolve_comment_id(self, text: str) -> str:
        """The full id of the comment that ``text`` names (see ``resolve_id``)."""
        return _resolve(
            text,
            self._index.comments,
            _("no comment has the id “{id}”"),
            self.short_id,
        )

    def short_id(self, full_id: str) -> str:
        """The shortest unique suffix (4+ characters) people see for an entry or comment."""
        short = self._index.short_entry_ids.get(full_id)
        if short is None:
            short = self._index.short_comment_ids.get(full_id, full_id)
        return short

    def entry(self, entry_id: str) -> Entry:
        """The entry with this id (full or short).

        Raises:
            NotFoundError: no entry has that id.
        """
        return self._index.entries[self.resolve_id(entry_id)]

    def entries(self, criteria: EntryFilter | None = None) -> list[Entry]:
        """The entries matching ``criteria``, oldest first.

        Raises:
            InvalidInputError: the filter names an unknown kind, status or objective.
        """
        criteria = criteria or EntryFilter()
        self._check_entry_fields(
            kind=criteria.kind,
            status=criteria.status,
            objectives=() if criteria.objective is None else (criteria.objective,),
        )
        with self._lock:
            index = self._index
            table = self._db.table("entries")
            entry = Query()
            conditions = []
            if criteria.kind:
                conditions.append(entry.kind == criteria.kind)
            if criteria.status:
                conditions.append(entry.status == criteria.status)
            if criteria.objective is not None:
                conditions.append(entry.objectives.any([criteria.objective]))
            if criteria.tag:
                conditions.append(entry.tags.any([criteria.tag]))
            if len(conditions) > 1:
                ids: Iterable[str] = [str(d.doc_id) for d in table.search(_all_of(conditions))]
            elif conditions:
                ids = [str(d.doc_id) for d in table.search(conditions[0])]
            else:
                ids = index.entries.keys()
            # Deleted or not is read from the index: as a TinyDB query, the one every screen
            # asks first, it cost a pass of Python calls over every document (60 ms at 10,000).
            entries = index.entries
            if criteria.include_deleted:
                selected = [i for i in ids if i in entries]
            else:
                selected = [i for i in ids if i in entries and not entries[i].deleted]
            if criteria.unread:
                unread = index.unread(self.me) if self.me else set()
                selected = [i for i in selected if i in unread]
            if criteria.conflicts:
                selected = [i for i in selected if index.entries[i].conflicts]
            if criteria.search.strip():
                found = index.search.search(criteria.search, selected)
                selected = [i for i in selected if i in found]
            selected.sort()
            return [index.entries[i] for i in selected]

    def search(self, query: str) -> list[Entry]:
        """Entries (not deleted) whose text or comments contain every word of ``query``."""
        return self.entries(EntryFilter(search=query))

    def is_unread(self, entry_id: str) -> bool:
        """Whether something happened on the entry since the participant last read it."""
        return self.me is not None and entry_id in self._index.unread(self.me)

    def unread_count(self) -> int:
        """How many entries (not deleted) are unread."""
        return len(self._index.unread(self.me)) if self.me else 0

    def comment_count(self, entry_id: str) -> int:
        """How many comments and replies an entry has."""
        return len(self._index.comments_of.get(entry_id, ()))

    def comments(self, entry_id: str) -> list[Comment]:
        """An entry's comments, oldest first."""
        return list(self._index.comments_of.get(entry_id, ()))

    def thread(self, entry_id: str) -> list[ThreadItem]:
        """An entry's comments in reading order: each followed by its replies, indented."""
        comments = self._index.comments_of.get(entry_id, [])
        known = {c.id for c in comments}
        children: dict[str | None, list[Comment]] = {}
        for comment in comments:
            # A reply whose parent never arrived is shown as a top-level comment, not lost.
            parent = comment.parent if comment.parent in known else None
            children.setdefault(parent, []).append(comment)
        items: list[ThreadItem] = []
        stack = [(c, 0) for c in reversed(children.get(None, []))]
        while stack:
            comment, depth = stack.pop()
            items.append(ThreadItem(comment, depth))
            stack.extend((c, depth + 1) for c in reversed(children.get(comment.id, [])))
        return items

    def reviews(self, entry_id: str) -> list[Review]:
        """Every participant's review of an entry."""
        return list(self._index.reviews_of.get(entry_id, {}).values())

    def review(self, entry_id: str) -> Review | None:
        """The participant's own review of an entry."""
        if self.me is None:
            return None
        return self._index.reviews_of.get(entry_id, {}).get(self.me)

    def stances(self, entry_id: str) -> dict[str, str]:
        """Who took which stance on an entry: ``{participant: stance}``."""
        return {
            p: r.stance for p, r in self._index.reviews_of.get(entry_id, {}).items() if r.stance
        }

    def readers(self, entry_id: str) -> list[str]:
        """The participants who have read the entry."""
        return sorted(p for p, r in self._index.reviews_of.get(entry_id, {}).items() if r.read)

    def history(self, entry_id: str) -> list[HistoryItem]:
        """The commits that changed an entry, newest first."""
        return self.repo.history(document_path("entries", self.resolve_id(entry_id)))

    def objective(self, number: int) -> Objective | None:
        """The objective with this number."""
        return next((o for o in self.info.objectives if o.number == number), None)

    # --- writing -----------------------------------------------------------------------------

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
            raise _unknown_me()
        try:
            with self._lock, file_lock(self.repo.local_dir / "lock"):
                self.refresh()
                self._storage.begin()
                try:
                    yield self._clock()
                    with in_language(self.info.language):
                        text = _(message).format(**values)
                    self.repo.commit(
                        self._storage.take_written(), text, Identity(me.name, me.email)
                    )
                except BaseException:
                    self._undo_action()
                    raise
                self._storage.settle()
                self._loaded_head = self.repo.head()
        except OSError as exc:  # the lock, a folder: what the storage did not already say
            raise disk_error(exc, self.root) from exc

    def _undo_action(self) -> None:
        """Leave nothing of an action that failed half-way (a full disk, a refused commit).

        Its files are put back, and taken out of git's index, so that no later commit (nor a
        sync's "changes left unsaved") carries part of it; the read model forgets it.
        """
        paths = self._storage.undo()
        if paths:
            self.repo.unstage(paths)
        self._db.clear_all_caches()
        self._index = self._build_index()

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold this notebook's lock and its file lock for multi-step work such as a sync.

        Nothing inside may start an action (``add_entry``...): the file lock is not reentrant.
        """
        try:
            with self._lock, file_lock(self.repo.local_dir / "lock"):
                yield
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

    def _check_entry_fields(
        self,
        *,
        kind: str | None = None,
        title: str | None = None,
        status: str | None = None,
        objectives: Iterable[int] | None = None,
    ) -> None:
        if kind is not None and kind not in KINDS:
            raise InvalidInputError(
                _("unknown kind “{value}”: choose one of {choices}").format(
                    value=kind, choices=", ".join(KINDS)
                )
            )
        if status is not None and status not in STATUSES:
            raise InvalidInputError(
                _("unknown status “{value}”: choose one of {choices}").format(
                    value=status, choices=", ".join(STATUSES)
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
        known = {o.number for o in self.info.objectives}
        for number in objectives or ():
            if number not in known:
                raise InvalidInputError(
                    _("unknown objective {value}: this notebook has objectives {choices}").format(
                        value=number, choices=", ".join(str(n) for n in sorted(known))
                    )
                )

    def add_entry(
        self,
        kind: str,
        title: str,
        body: str = "",
        *,
        objectives: Iterable[int] = (),
        tags: Iterable[str] = (),
        status: str = "open",
    ) -> Entry:
        """Write a new entry; the author has read it.

        Raises:
            InvalidInputError: unknown kind, status or objective, empty title, or an entry
                over 1 MB once saved.
        """
        objectives, tags = tuple(objectives), _clean_tags(tags)
        self._check_entry_fields(kind=kind, title=title, status=status, objectives=objectives)
        with self._action(N_("New entry: {title}"), title=title.strip()) as at:
            assert self.me is not None
            entry = Entry(
                id=new_ulid(),
                kind=kind,
                title=title.strip(),
                body=body,
                objectives=tuple(sorted(set(objectives))),
                tags=tags,
                status=status,
                author=self.me,
                updated_by=self.me,
                created=at,
                updated=at,
            )
            self._put_entry(entry, new=True)
            self._write_review(entry.id, at, read=at)
        return entry

    def edit_entry(
        self,
        entry_id: str,
        *,
        base: Entry | None = None,
        kind: str | None = None,
        title: str | None = None,
        body: str | None = None,
        status: str | None = None,
        objectives: Iterable[int] | None = None,
        tags: Iterable[str] | None = None,
    ) -> Entry:
        """Change the given fields of an entry; fields left at None keep their value.

        An edit is a merge: the participant's changes are what the given fields change in
        ``base``, the entry as they read it when they started (the editor's opening, the
        command's read), and they are merged onto the entry as it is now with the rules of a
        sync. What someone else saved meanwhile stays; where both changed the same lines or
        the same field, this save is the latest and its value is kept, the other one waits
        among the entry's conflicts. Without ``base``, the entry as this call first reads it.

        Args:
            entry_id: the entry, by its full or short id.
            base: the version of the entry the participant started from.

        Raises:
            NotFoundError: no such entry.
            InvalidInputError: a value is not acceptable.
        """
        objectives = tuple(objectives) if objectives is not None else None
        self._check_entry_fields(kind=kind, title=title, status=status, objectives=objectives)
        current = self.entry(entry_id)
        start = base if base is not None else current
        if start.id != current.id:
            raise ValueError(f"the base of an edit of {current.id} is {start.id}")
        changes: dict[str, Any] = {}
        if kind is not None:
            changes["kind"] = kind
        if title is not None:
            changes["title"] = title.strip()
        if body is not None:
            changes["body"] = body
        if status is not None:
            changes["status"] = status
        if objectives is not None:
            changes["objectives"] = tuple(sorted(set(objectives)))
        if tags is not None:
            changes["tags"] = _clean_tags(tags)
        changes = {k: v for k, v in changes.items() if getattr(start, k) != v}
        if not changes:
            return current
        return self._update_entry(start, changes, N_("Edit: {title}"))

    def delete_entry(self, entry_id: str) -> Entry:
        """Mark an entry deleted (a tombstone: the file stays, and a merge can bring it back)."""
        current = self.entry(entry_id)
        return self._update_entry(current, {"deleted": True}, N_("Delete: {title}"))

    def resolve_conflict(self, entry_id: str, field: str, keep: str) -> Entry:
        """Settle a merge conflict on ``field``: keep the ``current`` value or the ``other`` one.

        Raises:
            NotFoundError: the entry has no conflict on that field.
            InvalidInputError: the other value is not one the field can have.
        """
        if keep not in ("current", "other"):
            raise InvalidInputError(_("say which value to keep: current or other"))
        current = self.entry(entry_id)
        pending = [c for c in current.conflicts if c.field == field]
        if not pending:
            raise NotFoundError(_("the entry has no conflict on “{field}”").format(field=field))
        changes: dict[str, Any] = {
            "conflicts": tuple(c for c in current.conflicts if c.field != field)
        }
        if keep == "other":
            value = pending[-1].value
            # The record was written by a peer: loading checks it, and so does this, since its
            # value becomes the field's own.
            if not is_field_value(field, value):
                raise InvalidInputError(
                    _(
                        "the other value of “{field}” cannot be kept: it is not a value this "
                        "field can have; keep the current one"
                    ).format(field=field)
                )
            if field == "title":
                self._check_entry_fields(title=value)  # as long as a title may be
            changes[field] = tuple(value) if isinstance(value, list) else value
        return self._update_entry(current, changes, N_("Resolve a conflict: {title}"))

    def _update_entry(self, base: Entry, changes: dict[str, Any], message: str) -> Entry:
        """Apply ``changes`` to ``base`` and merge that onto the entry as it is now: one commit.

        The merge is sync's own (``merge_entry``), so an edit keeps what arrived since ``base``
        exactly as a sync would, and records a clash the same way.
        """
        with self._action(message, title=self.entry(base.id).title) as at:
            assert self.me is not None
            # Read again under the lock: refresh() may have brought a newer version.
            current = self._index.entries[base.id]
            # The person saving now is the latest writer: their version must be the later one
            # for the merge's rule (later ``updated`` wins), even if another clock ran ahead.
            at = _later_than(at, current.updated)
            ours = replace(base, **changes, updated=at, updated_by=self.me)
            merged, _new = merge_entry(base.to_doc(), ours.to_doc(), current.to_doc())
            # Two texts merged may outgrow what each one was: the storage refuses a document
            # over the limit once saved, conflicts included, before anything is written.
            entry = Entry.from_doc(base.id, merged)
            self._put_entry(entry, new=False)
            self._write_review(entry.id, at, read=at)
        return entry

    def add_comment(self, entry_id: str, body: str, *, parent: str | None = None) -> Comment:
        """Comment on an entry, or reply to one of its comments.

        Raises:
            NotFoundError: no such entry or comment.
            InvalidInputError: an empty body, or a reply to a comment of another entry.
        """
        entry = self.entry(entry_id)
        if not body.strip():
            raise InvalidInputError(_("the comment is empty: write something first"))
        parent_id = None
        if parent is not None:
            parent_id = self.resolve_comment_id(parent)
            if self._index.comments[parent_id].entry != entry.id:
                raise InvalidInputError(_("that comment belongs to another entry"))
        with self._action(N_("Comment on: {title}"), title=entry.title) as at:
            assert self.me is not None
            comment = Comment(new_ulid(), entry.id, parent_id, self.me, body, at)
            self._db.table("comments").insert(
                TinyDocument(comment.to_doc(), doc_id=comment.id)  # type: ignore[arg-type]
            )
            self._index.put_comment(comment)
            self._write_review(entry.id, at, read=at)
        return comment

    def mark_read(self, entry_id: str) -> Review:
        """Record that the participant has read the entry as it is now."""
        entry = self.entry(entry_id)
        with self._action(N_("Read: {title}"), title=entry.title) as at:
            return self._write_review(entry.id, at, read=at)

    def mark_unread(self, entry_id: str) -> Review:
        """Put the entry back among the participant's unread ones."""
        entry = self.entry(entry_id)
        with self._action(N_("Mark unread: {title}"), title=entry.title) as at:
            return self._write_review(entry.id, at, read=None)

    def set_stance(self, entry_id: str, stance: str | None) -> Review:
        """Take a stance on an entry (agree, question, disagree), or withdraw it with None.

        Raises:
            InvalidInputError: an unknown stance.
        """
        if stance is not None and stance not in STANCES:
            raise InvalidInputError(
                _("unknown stance “{value}”: choose one of {choices}").format(
                    value=stance, choices=", ".join(STANCES)
                )
            )
        entry = self.entry(entry_id)
        with self._action(N_("Stance on: {title}"), title=entry.title) as at:
            return self._write_review(entry.id, at, stance=stance, read=at)

    _KEEP: Any = object()

    def _write_review(
        self,
        entry_id: str,
        at: str,
        *,
        read: str | None | Any = _KEEP,
        stance: str | None | Any = _KEEP,
    ) -> Review:
        assert self.me is not None
        previous = self._index.reviews_of.get(entry_id, {}).get(self.me)
        review = Review(
            participant=self.me,
            entry=entry_id,
            read=(previous.read if previous else None) if read is Notebook._KEEP else read,
            stance=(previous.stance if previous else None) if stance is Notebook._KEEP else stance,
            updated=at,
        )
        if previous is not None and (previous.read, previous.stance) == (
            review.read,
            review.stance,
        ):
            return previous
        self._put(self._db.table("reviews"), review.key, review.to_doc())
        self._index.put_review(review)
        return review

    def _put_entry(self, entry: Entry, *, new: bool) -> None:
        self._put(self._db.table("entries"), entry.id, entry.to_doc(), new=new)
        self._index.put_entry(entry)

    @staticmethod
    def _put(table: Any, doc_id: str, doc: dict[str, Any], *, new: bool = False) -> None:
        if new or not table.contains(doc_id=doc_id):
            table.insert(TinyDocument(doc, doc_id=doc_id))  # type: ignore[arg-type]
        else:
            table.update(doc, doc_ids=[doc_id])


def _thread_order(comment: Comment) -> tuple[str, str]:
    return comment.created, comment.id


def _resolve(text: str, ids: dict[str, Any], not_found: str, short_id: Callable[[str], str]) -> str:
    """The one id in ``ids`` equal to ``text`` or ending with it (4+ characters)."""
    wanted = text.strip().upper()
    if wanted in ids:
        return wanted
    matches = [i for i in ids if i.endswith(wanted)] if len(wanted) >= 4 else []
    if not matches:
        hint = "" if len(wanted) >= 4 else " " + _("(give at least 4 characters)")
        raise NotFoundError(not_found.format(id=text) + hint)
    if len(matches) > 1:
        raise AmbiguousIdError(
            _("“{id}” matches several: {ids}; give more characters").format(
                id=text, ids=", ".join(short_id(m) for m in matches[:5])
            )
        )
    return matches[0]


def _all_of(conditions: list[Any]) -> Any:
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def _later_than(at: str, previous: str) -> str:
    """``at``, or one millisecond after ``previous`` if ``at`` is not later (a clock behind)."""
    if at > previous:
        return at
    return format_time(parse_time(previous) + timedelta(milliseconds=1))


def remove_made(root: Path, existed: bool) -> None:
    """Remove what making a notebook at ``root`` made: the folder, or what it holds now (it
    was empty)."""
    if not existed:
        shutil.rmtree(root, ignore_errors=True)
        return
    with contextlib.suppress(OSError):
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def _check_identity(name: str, email: str) -> None:
    if not name.strip():
        raise InvalidInputError(_("your name is missing: give --name, or set git config user.name"))
    if "@" not in email:
        raise InvalidInputError(
            _("your email is missing: give --email, or set git config user.email")
        )


def _clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t.strip() for t in tags if t.strip()}))


@contextlib.contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT, busy: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` so that one Carnet process writes at a time.

    Raises:
        BusyError: another process held it for longer than ``timeout`` seconds (``busy`` says
            what it is doing, if given).
    """
    path.parent.mkdir(parents=True, exist_ok=True)  # on a read-only disk: says so
    with open(path, "a") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BusyError(
                        busy
                        or _("another Carnet is writing to this notebook; try again in a moment")
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _unknown_me() -> CarnetError:
    return CarnetError(
        _(
            "Carnet does not know who you are in this notebook: "
            "run carnet join, or set git config user.email to your participant email"
        )
    )


def _signing_key(settings: Mapping[str, Any]) -> Path | None:
    key = settings.get("signing_key")
    return Path(key) if isinstance(key, str) and key else None


def _key_setting(signing_key: Path | None) -> dict[str, str]:
    """The clone setting that remembers the key it signs with (an absolute path)."""
    return {} if signing_key is None else {"signing_key": str(signing_key)}


def _key_of(path: Path) -> str | None:
    try:
        return read_public_key(path)
    except InvalidInputError:
        return None


def load_settings(local_dir: Path, name: str = SETTINGS_FILE) -> dict[str, Any]:
    """This clone's own settings (participant, language...), never shared; or another of its
    local JSON files, ``name`` (the sync's state)."""
    try:
        value = json.loads((local_dir / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def save_settings(local_dir: Path, name: str = SETTINGS_FILE, **values: Any) -> None:
    """Update this clone's settings (or its local JSON file ``name``) with ``values``."""
    settings = load_settings(local_dir, name)
    settings.update(values)
    atomic_write(local_dir / name, canonical_bytes(settings))


def find_notebook(start: Path) -> Path:
    """The notebook folder containing ``start`` (like git, walking up to the root)."""
    for folder in (start.resolve(), *start.resolve().parents):
        meta = folder / META_FILE
        if (meta.is_file() or meta.is_symlink()) and (folder / ".git").exists():
            return folder
    raise NotANotebookError(
        _("no notebook here ({path}): go into a notebook folder, or use carnet -C FOLDER").format(
            path=start
        )
    )
