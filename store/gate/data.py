"""The plain data the gate is handed (the versions of paths, the incoming commits, who this
clone knows) and hands back (its verdict, the refusals), shared by its checks and its wording."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from store.schema import ATTACHMENT_LIMIT_MB

FILE_MODES = ("100644", "100755")

# Why a change was refused.
REMOVED = "removed"  # a document deleted (deletion is a tombstone field, never a removal)
DAMAGED = "damaged"  # a version that does not parse or validate
NOT_A_FILE = "not-a-file"  # a symbolic link, a submodule or a folder where a document was
FORGED = "forged"  # a change only the document's owner may make, by a commit of someone else
# An attached file not named by its own hash, or over the notebook's size limit.
BAD_ATTACHMENT = "bad-attachment"


@dataclass(frozen=True)
class Blob:
    """One version of a path in a git tree."""

    mode: str
    sha: str

    @property
    def is_file(self) -> bool:
        """A plain file (not a symbolic link or a submodule)."""
        return self.mode in FILE_MODES


@dataclass(frozen=True)
class Change:
    """A path that differs between two trees: its version in each (None: not there)."""

    old: Blob | None
    new: Blob | None


@dataclass(frozen=True)
class Refusal:
    """A change that arrived and was not applied (``kept``) or could not be made good."""

    path: str
    reason: str  # REMOVED, DAMAGED, NOT_A_FILE, FORGED or BAD_ATTACHMENT
    kept: bool  # a valid version stays in its place; False: nothing valid to put back
    detail: str = ""  # what is wrong with the version that arrived
    commit: str = ""  # the newest incoming commit that changed the path
    author: str = ""
    email: str = ""

    def to_doc(self) -> dict[str, object]:
        """As saved in the sync log and printed by ``carnet doctor --json``."""
        return {
            "path": self.path,
            "reason": self.reason,
            "kept": self.kept,
            "detail": self.detail,
            "commit": self.commit,
            "author": self.author,
            "email": self.email,
        }

    @classmethod
    def from_doc(cls, doc: Mapping[str, object]) -> Refusal:
        """Read back what ``to_doc`` saved (a damaged log entry gives empty fields)."""

        def text(key: str) -> str:
            value = doc.get(key)
            return value if isinstance(value, str) else ""

        return cls(
            path=text("path"),
            reason=text("reason"),
            kept=doc.get("kept") is True,
            detail=text("detail"),
            commit=text("commit"),
            author=text("author"),
            email=text("email"),
        )


@dataclass(frozen=True)
class Version:
    """The version of a path one incoming commit gave it (None: the commit removed it)."""

    commit: str
    author: str
    email: str
    blob: Blob | None
    old: Blob | None = None  # the version its first parent had


@dataclass(frozen=True)
class Origin:
    """One incoming commit: its parents (the first one first), its author, and the fingerprint
    of the SSH key whose good signature it carries ("": none, or not a good one)."""

    parents: tuple[str, ...]
    author: str
    email: str
    signer: str = ""


@dataclass
class Known:
    """The participants as this clone's records know them (never the incoming ones, which an
    intruder may have rewritten): their emails and SSH keys; whether ``carnet.json`` requires
    signatures, and the largest file it lets one attach, in bytes."""

    emails: dict[str, str] = field(default_factory=dict)
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required: bool = False
    attachment_limit: int = ATTACHMENT_LIMIT_MB * 1024 * 1024


@dataclass(frozen=True)
class Lineage:
    """What the ownership rules need to know of the incoming history, read by ``store.sync``.

    ``commits`` are the incoming commits (theirs not in ours); ``participants`` what ours'
    records say of each participant, and the signature policy; ``blob_at`` gives the version
    of a path at a commit that is not incoming; ``merge_base`` the commit a merge of two
    commits starts from, as Carnet's sync picks it.
    """

    tip: str
    commits: Mapping[str, Origin]
    participants: Known
    blob_at: Callable[[str, str], Blob | None]
    merge_base: Callable[[str, str], str | None]


@dataclass
class Verdict:
    """What to do with theirs before merging: the paths to put back, and why."""

    replace: dict[str, Blob | None] = field(default_factory=dict)  # None: leave the path out
    refusals: list[Refusal] = field(default_factory=list)


BlobReader = Callable[[Iterable[str]], Mapping[str, bytes]]
HistoryReader = Callable[[Iterable[str]], Mapping[str, Sequence[Version]]]
