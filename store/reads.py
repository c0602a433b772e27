"""A notebook opened, and every read of it (its loading and freshness: ``store.freshness``)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Self

from store.adding import check_entry_fields
from store.errors import (
    AmbiguousIdError,
    GitError,
    NotANotebookError,
    NotFoundError,
)
from store.folder import META_FILE
from store.freshness import NotebookFreshness
from store.git.local import HistoryItem, LocalRepository
from store.git.program import git_config
from store.i18n import LANGUAGES, _
from store.ids import is_ulid
from store.index import EntryFilter, ThreadItem
from store.layout import document_path
from store.listing import Listing, rows_of
from store.listing import save as save_listing
from store.listing_check import settings_key
from store.local import load_settings, signing_key
from store.model import (
    KINDS,
    STATUSES,
    Comment,
    Entry,
    Objective,
    Participant,
    Review,
    now,
)
from store.storage import DocumentStorage, NotebookDatabase, Problem


class NotebookReads(NotebookFreshness):
    """A notebook folder opened: its documents, its git repository, the participant using it.

    Actions, reloads and entry listings hold one lock (a reentrant one), so that a sync's
    merge and a save never interleave and a listing never sees the read model half-updated;
    an action also takes a file lock, so that two Carnet processes never interleave their
    commits. The other reads take no lock: each is a lookup in the read model, which a full
    reload replaces whole.
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
        self.repo.signing_key = signing_key(load_settings(self.repo.local_dir))
        self._lock = threading.RLock()
        self._clock: Callable[[], str] = now
        self._meta_problem: Problem | None = None
        self._read_meta()
        self._storage: DocumentStorage
        self._db = NotebookDatabase(self.root, storage=DocumentStorage)
        self._storage = self._db.storage  # type: ignore[assignment]
        self._loaded_head = self.repo.head()
        self._index = self._load_index()
        self.me: str | None = participant or self._find_me()

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
        """Release the database, git's index brought up to date with this notebook's actions
        (their index updates waited for): once closed, nothing of this notebook's still
        holds the index, and plain git in the folder finds it as git left it."""
        self._db.close()
        with contextlib.suppress(GitError):  # another git holds it: kept for the next time
            self.repo.refresh_index()

    def __enter__(self) -> Self:
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
        with self._lock:  # an apply() from another thread must not change it midway
            return self._index.select(criteria, self.me)

    def listing(self, *, texts: bool = True) -> Listing:
        """What ``carnet list`` shows of every entry, from the read model; written to disk for
        the next ``carnet list`` when the read model is exactly the commit it was loaded at.

        Without ``texts``, the search's texts are in it only if a query has built them: a
        listing without them draws the list (``carnet list``, the TUI's first frame), and
        ``carnet list --search`` opens the notebook.
        """
        index = self._index
        with self._lock:
            names = {p.id: p.name for p in index.participants.values()}
            settings = load_settings(self.repo.local_dir)
            language = settings.get("language")
            listing = Listing(
                head=self._loaded_head or "",
                settings_key=settings_key(self.root),
                language=language if language in LANGUAGES else self.info.language,
                objectives=tuple(o.number for o in self.info.objectives),
                kinds=KINDS,
                statuses=STATUSES,
                rows=rows_of(index.entries.values(), index.short_entry_ids, names),
                search=index.search if texts else index.search_built,
                unread=frozenset(index.unread(self.me) if self.me else ()),
                me=self.me,
            )
            # Written only when it is exactly the commit's: git's checks on reading it say
            # whether the files still are.
            # ...and made for whom any process opening this clone finds.
            if self._loaded_head and self._storage.as_committed and self.me == self._find_me():
                save_listing(self.root, listing)
        return listing

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
        return self._index.thread(entry_id)

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

    def _check_entry_fields(
        self,
        *,
        kind: str | None = None,
        title: str | None = None,
        status: str | None = None,
        objectives: Iterable[int] | None = None,
    ) -> None:
        known = {o.number for o in self.info.objectives}
        check_entry_fields(known, kind=kind, title=title, status=status, objectives=objectives)


def _resolve(
    text: str, ids: Mapping[str, Any], not_found: str, short_id: Callable[[str], str]
) -> str:
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
