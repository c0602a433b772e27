"""What arrives from the others, brought into the branch: the gate first, then the merge.

git settles the files one side changed; ``store.merge`` merges, field by field, the documents
both sides changed; ``store.gate`` decides beforehand which incoming changes are let through.
The git side of each step is in ``store.git.trees``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from store import gate
from store.errors import SyncError
from store.gate import Blob, Change, Refusal
from store.git import checkout, trees
from store.git.local import LocalRepository
from store.git.program import EMPTY_TREE, Identity
from store.i18n import _
from store.layout import document_at, document_of
from store.merge import Documents, merge_file
from store.progress import report
from store.sync_result import Outcome

# A merge of fewer files is over before a progress display would be of any help.
PROGRESS_FROM = 200


@dataclass
class _Merging:
    """What one merge has read so far (shared by the gate, the merge and the work tree), and
    how far it has gone, in files checked, merged and written (told to ``store.progress``)."""

    blobs: dict[str, bytes]
    documents: Documents = field(default_factory=Documents)
    total: int = 0
    done: int = 0

    def advance(self, count: int = 1) -> None:
        self.done = min(self.total, self.done + count)
        if self.total >= PROGRESS_FROM:
            report(self.done, self.total)


def merge(
    repo: LocalRepository,
    branch: str,
    ours: str,
    theirs: str,
    base: str | None,
    identity: Identity,
    read_only: bool,
) -> Outcome:
    """Merge commit ``theirs`` into commit ``ours``: the gate first, then git settles the files
    one side changed, and Python the rest.

    ``base`` is the merge base git picked (None: no common history). With several (criss-cross
    history) that one is used: a field whose value differs on both sides from it becomes a
    recorded conflict, never a silent loss. When ours is the merge base, theirs is taken as it
    is (a fast-forward) unless the gate refused a change: then a merge commit puts the refused
    documents back, and is shared like any other.
    """
    fast_forward = base == ours
    start = base or EMPTY_TREE
    their_tree, author, email = trees.tree_and_author(repo, theirs)
    mine, incoming = trees.changes(repo, start, ours), trees.changes(repo, start, theirs)
    # Every version the gate and the merge will read, with one git process (``_wanted``).
    work = _Merging(trees.read_blobs(repo, _wanted(mine, incoming)))
    # Each incoming file is checked, then written; one both sides changed is merged too.
    work.total = 2 * len(incoming) + sum(
        path in mine and mine[path].new != change.new for path, change in incoming.items()
    )
    work.advance(0)
    gated_tree, refused = _gate(
        repo, (mine, incoming), ours, theirs, their_tree, (author, email), work
    )
    work.advance(len(incoming))
    outcome = Outcome(refused=refused)
    if fast_forward and gated_tree == their_tree:
        changed = checkout.move_to(repo, branch, ours, theirs, work.blobs, work.advance)
        return _arrivals(outcome, changed)
    if read_only:
        raise SyncError(
            _(
                "this notebook was written by a newer Carnet: update Carnet, then sync "
                "(your work is kept here)"
            )
        )
    if fast_forward:
        tree = gated_tree  # ours is the base: nothing of ours to merge in
    else:
        if gated_tree != their_tree:  # refused changes undone: theirs is not what arrived
            incoming = trees.changes(repo, start, gated_tree)
        tree = _merge_trees(repo, ours, (mine, incoming), outcome, work)
    commit = repo.commit_tree(tree, [ours, theirs], _("Sync: merge the others' changes"), identity)
    changed = checkout.move_to(repo, branch, ours, commit, work.blobs, work.advance)
    work.advance(work.total)
    return _arrivals(outcome, changed)


def _wanted(mine: Mapping[str, Change], incoming: Mapping[str, Change]) -> set[str]:
    """The blobs a merge reads: every version that arrived, and the base's of a document (the
    gate checks the one, and judges it against the other), and ours of a path both sides
    changed (the merge needs all three)."""
    wanted: set[str] = set()
    for path, change in incoming.items():
        own = mine.get(path)
        sides = [change.new]
        if document_of(path):
            sides.append(change.old)
        if own is not None and own.new != change.new:
            sides += (change.old, own.new)
        wanted.update(b.sha for b in sides if b is not None and b.is_file)
    return wanted


def _gate(
    repo: LocalRepository,
    changes: tuple[dict[str, Change], dict[str, Change]],
    ours: str,
    theirs: str,
    their_tree: str,
    their_author: tuple[str, str],
    work: _Merging,
) -> tuple[str, tuple[Refusal, ...]]:
    """Check what arrives (see ``store.gate``); return the tree to merge in place of theirs.

    That tree is theirs with every refused change undone; the merge commit still has theirs
    as its parent, so the damaged versions stay in history, where they can be read. The
    blobs it reads, and the documents it parses, are kept in ``work``, for the merge that
    follows. ``changes``: what ours, then theirs, changed since the merge base.
    """
    commits: dict[str, gate.Origin] = {}
    blobs = work.blobs

    def read(shas: Iterable[str]) -> Mapping[str, bytes]:
        blobs.update(trees.read_blobs(repo, [sha for sha in set(shas) if sha not in blobs]))
        return blobs

    def history(paths: Iterable[str]) -> Mapping[str, list[gate.Version]]:
        versions, found = trees.incoming_versions(repo, ours, theirs, paths)
        commits.update(found)
        return versions

    def blob_at(commit: str, path: str) -> Blob | None:
        # Only for a merge's parent or base outside the incoming commits: rare, one process.
        return trees.blob_at(repo, commit, path)

    def merge_base(one: str, other: str) -> str | None:
        return trees.merge_base(repo, one, other)  # the one Carnet's merge starts from

    # The records as this clone knows them: an incoming one may have been rewritten.
    lineage = gate.Lineage(
        theirs, commits, trees.known_participants(repo, ours), blob_at, merge_base
    )
    mine, incoming = changes
    verdict = gate.inspect(incoming, mine, read, history, lineage, work.documents)
    refused = tuple(
        refusal if refusal.commit else dataclasses.replace(
            refusal, commit=theirs, author=their_author[0], email=their_author[1])
        for refusal in verdict.refusals
    )  # fmt: skip
    if not verdict.replace:
        return their_tree, refused
    return trees.tree_with(repo, theirs, verdict.replace), refused


def _merge_trees(
    repo: LocalRepository,
    ours: str,
    changes: tuple[dict[str, Change], dict[str, Change]],
    outcome: Outcome,
    work: _Merging,
) -> str:
    """The merged tree: ours with what theirs changed since the merge base, counted in
    ``outcome``. ``changes``: what ours, then theirs, changed since the base.

    A path only they changed takes their version (a removal included); one both changed the
    same way stays; the others are merged in Python. The tree is written from ours and those
    paths alone, not from an index of every path. ``work``: the contents and documents
    already read (by the gate); only the others are read here. The merged contents join them,
    for the work tree.
    """
    mine, incoming = changes
    blobs = work.blobs
    settled: dict[str, Blob | None] = {}
    both: dict[str, tuple[Blob | None, Blob | None, Blob | None]] = {}
    for path, change in incoming.items():
        own = mine.get(path)
        if own is None:
            settled[path] = change.new
        elif own.new != change.new:
            both[path] = (change.old, own.new, change.new)
    wanted = {blob.sha for versions in both.values() for blob in versions if blob is not None}
    blobs.update(trees.read_blobs(repo, wanted - blobs.keys()))
    problems: list[str] = []
    merged: list[tuple[str, str, bytes]] = []
    for path in sorted(both):
        versions = both[path]
        base_data, ours_data, theirs_data = (
            None if blob is None else blobs[blob.sha] for blob in versions
        )
        result = merge_file(path, base_data, ours_data, theirs_data, work.documents)
        work.advance()
        mode = next(blob for blob in (versions[1], versions[2], versions[0]) if blob).mode
        merged.append((path, mode, result.data))
        outcome.merged += 1
        outcome.conflicts += result.conflicts
        if result.problem is not None:
            problems.append(path)
    outcome.problems = tuple(problems)
    shas = trees.store_blobs(repo, [data for _path, _mode, data in merged])
    for (path, mode, data), sha in zip(merged, shas, strict=True):
        settled[path] = Blob(mode, sha)
        blobs[sha] = data
    return trees.tree_with(repo, ours, settled)


def _arrivals(outcome: Outcome, changed: Mapping[str, Change]) -> Outcome:
    """``outcome`` with the entries and comments among the paths ``changed`` that were not
    there before (read from the changes the work tree was moved by: no other diff)."""
    entries: list[str] = []
    comments: list[str] = []
    for path, change in changed.items():
        found = document_at(path) if change.old is None and change.new is not None else None
        if found is not None and found[0] in ("entries", "comments"):
            (entries if found[0] == "entries" else comments).append(found[1])
    outcome.new_entries, outcome.new_comments = tuple(sorted(entries)), tuple(sorted(comments))
    return outcome
