"""The demo notebook: the 2005 mission to France, shared through a local remote, ready to sync."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.demo import content, deciding, touch
from store.demo.content import CommentData, EditData, EntryData, PersonData, ReadingData
from store.demo.deciding import DecisionData, MeetingData, SectionData, StanceData
from store.demo.timeline import Action, at_time, commit_date, stored
from store.demo.touch import TouchActions
from store.errors import InvalidInputError
from store.git.local import LocalRepository
from store.git.program import run_git
from store.i18n import _
from store.ids import slugify
from store.notebook import Notebook, save_settings
from store.storage import atomic_write

SHARED_DIR = "partage.git"
CLONE_DIR = "carnet"
PEERS_DIR = ".pairs"
MARKER_FILE = ".carnet-demo"
READY = "ready\n"
# Only these names are ever removed from a demo folder; anything else in it is left alone.
OWN_NAMES = (SHARED_DIR, CLONE_DIR, PEERS_DIR)


def default_demo_dir() -> Path:
    """Where the demo lives unless told otherwise: ``$XDG_DATA_HOME/carnet/demo``."""
    data_home = os.environ.get("XDG_DATA_HOME", "")
    # The XDG specification says a relative value is to be ignored.
    base = Path(data_home) if os.path.isabs(data_home) else Path.home() / ".local" / "share"
    return base / "carnet" / "demo"


def build_demo(path: Path | None = None, *, reset: bool = False) -> Path:
    """Build the demo notebook under ``path`` (or reuse it) and return the participant's folder.

    The folder holds a bare shared repository (``partage.git``), the participant's clone
    (``carnet``) whose ``origin`` is that repository, and a hidden clone of another participant
    (``.pairs/…``), who pushed a new entry and a comment after the clone was made: the first
    sync brings them.

    Args:
        path: the demo folder; ``default_demo_dir()`` when None.
        reset: build again from scratch even if a complete demo is already there.

    Returns:
        The participant's notebook folder (a git clone).

    Raises:
        InvalidInputError: ``path`` holds something other than a demo notebook.
        GitError: git is missing or failed.
    """
    root = (path if path is not None else default_demo_dir()).expanduser().resolve()
    clone = root / CLONE_DIR
    if not reset and _is_ready(root):
        return clone
    _make_room(root)
    _build(root)
    atomic_write(root / MARKER_FILE, READY.encode())
    return clone


def _is_ready(root: Path) -> bool:
    try:
        finished = (root / MARKER_FILE).read_text(encoding="utf-8") == READY
    except OSError:
        return False
    return finished and (root / CLONE_DIR / ".git").is_dir()


def _make_room(root: Path) -> None:
    """Empty the demo folder of a previous demo, refusing to touch a folder that is not one."""
    if root.exists() and not root.is_dir():
        raise InvalidInputError(
            _("{path} is a file, not a folder: choose another place with --path").format(path=root)
        )
    if root.is_dir():
        names = set(os.listdir(root))
        if names and MARKER_FILE not in names:
            raise InvalidInputError(
                _(
                    "{path} is not empty and holds no demo notebook: "
                    "choose another folder with --path"
                ).format(path=root)
            )
        for name in OWN_NAMES:
            if (root / name).exists():
                shutil.rmtree(root / name)
    root.mkdir(parents=True, exist_ok=True)
    # Written first, so that a build cut short is recognised, and redone, next time.
    atomic_write(root / MARKER_FILE, b"building\n")


class _Builder(TouchActions):
    """Replays the demo's content as the participants' own actions, one commit each."""

    def __init__(self, notebook: Notebook, people: dict[str, str]) -> None:
        self.notebook = notebook
        self.people = people  # content key → participant id
        self.entries: dict[str, str] = {}  # content key → entry id
        self.comments: dict[str, str] = {}  # content key → comment id

    def replay(self, *timelines: Iterable[Action]) -> None:
        """Do every action of the timelines in time order, each by its participant and dated
        as written."""
        for action in sorted(itertools.chain(*timelines), key=lambda action: action.at):
            action.do()

    def entries_added(self, entries: Sequence[EntryData]) -> list[Action]:
        return [Action(at_time(e["at"]), self._entry_action(e)) for e in entries]

    def edits(self, edits: Sequence[EditData]) -> list[Action]:
        return [Action(at_time(e["at"]), self._edit_action(e)) for e in edits]

    def comments_added(self, comments: Sequence[CommentData]) -> list[Action]:
        return [Action(at_time(c["at"]), self._comment_action(c)) for c in comments]

    def readings(self, readings: Sequence[ReadingData | StanceData]) -> list[Action]:
        return [Action(at_time(r["at"]), self._reading_action(r)) for r in readings]

    def decisions(self, decisions: Sequence[DecisionData]) -> list[Action]:
        return [Action(at_time(d["at"]), self._decision_action(d)) for d in decisions]

    def meetings(self, meetings: Sequence[MeetingData]) -> list[Action]:
        """Each meeting prepared, then held: its minutes, what was agreed, its closing."""
        actions = []
        for data in meetings:
            prepared, held = self._meeting_actions(data)
            actions += [
                Action(at_time(data["at"]), prepared),
                Action(at_time(data["closed_at"]), held),
            ]
        return actions

    def sections(self, sections: Sequence[SectionData]) -> list[Action]:
        return [Action(at_time(s["at"]), self._section_action(s)) for s in sections]

    @contextlib.contextmanager
    def _as(self, who: str, at: str) -> Iterator[None]:
        when = at_time(at)
        acting = self.notebook.acting_as(self.people[who], clock=lambda: stored(when))
        with acting, commit_date(when):
            yield

    def _entry_action(self, data: EntryData) -> Callable[[], object]:
        def run() -> None:
            with self._as(data["author"], data["at"]):
                entry = self.notebook.add_entry(
                    data["kind"],
                    data["title"],
                    data["body"],
                    objectives=data["objectives"],
                    tags=data["tags"],
                    status=data["status"],
                )
            self.entries[data["key"]] = entry.id

        return run

    def _edit_action(self, data: EditData) -> Callable[[], object]:
        def run() -> None:
            entry = self.notebook.entry(self.entries[data["entry"]])
            body = None
            if "append" in data:
                body = entry.body.rstrip("\n") + "\n" + data["append"]
            with self._as(data["by"], data["at"]):
                self.notebook.edit_entry(
                    entry.id,
                    base=entry,
                    status=data.get("status"),
                    title=data.get("title"),
                    body=body,
                )

        return run

    def _comment_action(self, data: CommentData) -> Callable[[], object]:
        def run() -> None:
            parent = self.comments[data["parent"]] if data["parent"] is not None else None
            with self._as(data["author"], data["at"]):
                comment = self.notebook.add_comment(
                    self.entries[data["entry"]], data["body"], parent=parent
                )
            self.comments[data["key"]] = comment.id

        return run

    def _reading_action(self, data: ReadingData | StanceData) -> Callable[[], object]:
        def run() -> None:
            entry_id = self.entries[data["entry"]]
            with self._as(data["by"], data["at"]):
                stance = data.get("stance")
                if stance is None:
                    self.notebook.mark_read(entry_id)
                else:
                    self.notebook.set_stance(entry_id, stance)

        return run

    def _decision_action(self, data: DecisionData) -> Callable[[], object]:
        def run() -> None:
            closes = data.get("closes") or _days_from_today(data["closes_in_days"])
            with self._as(data["by"], data["at"]):
                self.notebook.open_decision(self.entries[data["entry"]], closes, data["question"])

        return run

    def _meeting_actions(
        self, data: MeetingData
    ) -> tuple[Callable[[], object], Callable[[], object]]:
        made: list[str] = []  # the meeting's id, once prepared

        def prepare() -> None:
            with self._as(data["by"], data["at"]):
                meeting = self.notebook.new_meeting(data["day"], data["title"], data["place"])
                items = [self.entries[item["entry"]] for item in data["agenda"]]
                self.notebook.set_agenda(meeting.id, items)
            made.append(meeting.id)

        def hold() -> None:
            (meeting_id,) = made
            with self._as(data["by"], data["closed_at"]):
                attendees = [self.people[key] for key in data["attendees"]]
                self.notebook.set_attendees(meeting_id, attendees)
                for item in data["agenda"]:
                    entry_id = self.entries[item["entry"]]
                    self.notebook.note_minutes(meeting_id, entry_id, item["minutes"])
                    if "status" in item:
                        self.notebook.agree(meeting_id, entry_id, item["status"])
                self.notebook.close_meeting(meeting_id)

        return prepare, hold

    def _section_action(self, data: SectionData) -> Callable[[], object]:
        def run() -> None:
            with self._as(data["by"], data["at"]):
                self.notebook.edit_section(data["name"], data["body"])

        return run


def _days_from_today(days: int) -> str:
    """The UTC day ``days`` after today: an open decision in the demo stays open."""
    return (datetime.now(UTC) + timedelta(days=days)).date().isoformat()


def _build(root: Path) -> None:
    # The history is written in the creator's hidden clone, each action as its own author.
    creator = _person(content.CREATOR)
    creator_dir = root / PEERS_DIR / slugify(creator["name"])
    shared = root / SHARED_DIR
    clone = root / CLONE_DIR
    with commit_date(at_time(creator["joined"])):
        notebook = Notebook.create(
            creator_dir,
            title=content.TITLE,
            name=creator["name"],
            email=creator["email"],
            organisation=creator["organisation"],
            role=creator["role"],
            language="fr",
        )
    try:
        assert notebook.me is not None
        people = {creator["key"]: notebook.me}
        for person in sorted(content.PARTICIPANTS, key=lambda p: at_time(p["joined"])):
            if person["key"] != creator["key"]:
                people[person["key"]] = _join(notebook, person)
        builder = _Builder(notebook, people)
        builder.replay(
            builder.entries_added(content.ENTRIES),
            builder.edits(content.EDITS),
            builder.comments_added(content.COMMENTS),
            builder.readings(content.READINGS),
            builder.decisions(deciding.DECISIONS),
            builder.readings(deciding.STANCES),
            builder.meetings(deciding.MEETINGS),
            builder.sections(deciding.SECTIONS),
            builder.comments_added(touch.WITHDRAWN_THREAD),
            builder.edits(touch.MISTAKES),
            builder.attachments(touch.ATTACHMENTS),
            builder.restores(touch.RESTORES),
            builder.withdrawals(touch.WITHDRAWALS),
        )

        run_git(root, "init", "-q", "--bare", "-b", "main", str(shared))
        run_git(creator_dir, "remote", "add", "origin", shared.as_uri())
        run_git(creator_dir, "push", "-q", "-u", "origin", "main")
        run_git(root, "clone", "-q", shared.as_uri(), str(clone))
        you = _person(content.YOU)
        run_git(clone, "config", "user.name", you["name"])
        run_git(clone, "config", "user.email", you["email"])
        save_settings(LocalRepository(clone).local_dir, participant=people[you["key"]])
    finally:
        notebook.close()

    # What a peer did, in their own clone, after the participant's last sync: the
    # participant's clone is now behind the shared repository.
    peer = _person(content.PEER)
    news_dir = root / PEERS_DIR / people[peer["key"]]
    run_git(root, "clone", "-q", shared.as_uri(), str(news_dir))
    save_settings(LocalRepository(news_dir).local_dir, participant=people[peer["key"]])
    builder.notebook = Notebook(news_dir)
    try:
        builder.replay(
            builder.entries_added(content.NEWS_ENTRIES),
            builder.comments_added(content.NEWS_COMMENTS),
            builder.decisions(deciding.NEWS_DECISIONS),
        )
    finally:
        builder.notebook.close()
    run_git(news_dir, "push", "-q", "origin", "main")


def _join(notebook: Notebook, person: PersonData) -> str:
    """Register a participant with a commit of their own, as ``carnet join`` does on their clone."""
    when = at_time(person["joined"])
    assert notebook.me is not None
    # acting_as puts back the creator as the notebook's participant afterwards.
    with notebook.acting_as(notebook.me, clock=lambda: stored(when)), commit_date(when):
        participant = notebook.add_participant(
            person["name"], person["email"], person["organisation"], person["role"]
        )
    return participant.id


def _person(key: str) -> PersonData:
    return next(p for p in content.PARTICIPANTS if p["key"] == key)
