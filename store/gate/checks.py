"""The validity check of the gate, and its verdict on everything that arrives.

A peer may push anything with plain git: a document deleted, damaged, replaced by a symbolic
link or a folder. Before a merge is committed, every path the incoming commits change (from
the merge base to theirs) passes here, and a change that would lose a valid document is
undone: the newest valid version the incoming commits gave it (else the base's, else ours)
takes its place, so an edit the damage ran over is merged too. The damaged version stays in
history, and each refusal is reported with who sent it (docs/design.md §4). A change that passes
the validity check then goes through the ownership rules (``store.gate.owners``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from store.errors import InvalidDocumentError
from store.gate.data import (
    BAD_ATTACHMENT,
    DAMAGED,
    FORGED,
    NOT_A_FILE,
    REMOVED,
    Blob,
    BlobReader,
    Change,
    HistoryReader,
    Known,
    Lineage,
    Refusal,
    Verdict,
    Version,
)
from store.gate.owners import OWNED_TABLES, Culprit, Judge, table_of
from store.i18n import _
from store.layout import attachment_at
from store.merge import Documents


def inspect(
    theirs: Mapping[str, Change],
    ours: Mapping[str, Change],
    read: BlobReader,
    history: HistoryReader,
    lineage: Lineage | None = None,
    parsed: Documents | None = None,
) -> Verdict:
    """Check every incoming change of a shared document; decide what to put back.

    Args:
        theirs: the paths that differ from the merge base to theirs, with both versions.
        ours: the same from the merge base to ours (a path not in it is ours as in the base).
        read: gives the contents of blobs by their ids, with one git process for all.
        history: for some paths, the versions the incoming commits gave them, newest first.
        lineage: the incoming commits, to check the ownership rules (None: not checked).
        parsed: where the versions are parsed, once for the gate and the merge after it.

    Returns:
        For each refused path, the version that takes theirs' place: the newest acceptable
        version the incoming commits gave it (valid, and allowed for the commit that wrote
        it, so that what a participant wrote there before the damage or the forgery is merged
        like any change), else the base's, else ours; None (the path left out) for a link or
        submodule, or a new document forged in someone else's name, that has no acceptable
        version to give way to. A damaged file with no valid version to give way to is left
        as it arrived (the loader skips it, ``carnet doctor`` lists it). Each refusal names
        who sent the change.
    """
    documents = {
        path: change for path, change in theirs.items() if table_of(path) or attachment_at(path)
    }
    arrived = read(c.new.sha for c in documents.values() if c.new is not None and c.new.is_file)
    limit = (lineage.participants if lineage is not None else Known()).attachment_limit
    parsed = parsed or Documents()

    def invalid(path: str, data: bytes) -> str | None:
        if attachment_at(path):
            return _invalid_attachment(path, data, limit)
        try:
            parsed.read(path, data)
        except InvalidDocumentError as exc:
            return str(exc)
        return None

    problems: dict[str, tuple[str, str]] = {}
    for path, change in documents.items():
        new = change.new
        if new is None:
            problems[path] = (REMOVED, "")
        elif not new.is_file:
            problems[path] = (NOT_A_FILE, "")
        else:
            reason = invalid(path, arrived[new.sha])
            if reason is not None:
                problems[path] = (BAD_ATTACHMENT if attachment_at(path) else DAMAGED, reason)

    def mine_of(path: str) -> Blob | None:
        return ours[path].new if path in ours else theirs[path].old

    # Only what changes a document we do not already have as it arrives needs its history.
    owned = sorted(
        path
        for path, change in documents.items()
        if lineage is not None
        and path not in problems
        and (
            table_of(path) in OWNED_TABLES
            or (table_of(path) == "meta" and lineage.participants.required)
        )
        and change.new != mine_of(path)
    )
    if not problems and not owned:
        return Verdict()
    versions = history([*problems, *owned])
    judge = None
    if lineage is not None:
        trusted = {
            path: [mine_of(path), theirs[path].old]
            for path in [*problems, *owned]
            if table_of(path)
        }
        judge = Judge(lineage, versions, read, trusted, parsed)
        forgeries: dict[str, Culprit] = {}
        # Participant records first: one accepted on first use makes its owner's commits known.
        for path in sorted(owned, key=lambda p: (table_of(p) != "participants", p)):
            culprit = judge.refusal(path, lineage.tip)
            if culprit is not None:
                forgeries[path] = culprit
                problems[path] = (FORGED, culprit.detail)
            elif table_of(path) == "participants":
                judge.learn(path, lineage.tip)

    def candidates(path: str) -> list[tuple[Blob, str | None]]:
        base = theirs[path].old
        mine = mine_of(path)
        earlier = [(v.blob, v.commit) for v in versions.get(path, ())]
        return [
            (b, commit)
            for b, commit in (*earlier, (base, None), (mine, None))
            if b is not None and b.is_file
        ]

    contents = read(blob.sha for path in problems for blob, _c in candidates(path))

    def acceptable(path: str, blob: Blob, commit: str | None) -> bool:
        if invalid(path, contents[blob.sha]) is not None:
            return False
        # The base and ours are this clone's own history: already accepted once. An attached
        # file is anybody's: what names it is its hash.
        if judge is None or commit is None or not table_of(path):
            return True
        return judge.refusal(path, commit) is None

    verdict = Verdict()
    for path, (reason, detail) in sorted(problems.items()):
        if reason == FORGED:
            culprit = forgeries[path]
            sender = (culprit.commit, culprit.author, culprit.email)
        else:
            sender = _sender_of(theirs[path].new, versions.get(path, ()))
        valid = next((b for b, c in candidates(path) if acceptable(path, b, c)), None)
        if valid is not None:
            verdict.replace[path] = valid
            verdict.refusals.append(Refusal(path, reason, True, detail, *sender))
        elif reason in (NOT_A_FILE, FORGED, BAD_ATTACHMENT):
            verdict.replace[path] = None
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        elif reason == DAMAGED:
            verdict.refusals.append(Refusal(path, reason, False, detail, *sender))
        # A removal of something that was not a valid document anyway is let through.
    return verdict


def _sender_of(arrived: Blob | None, versions: Sequence[Version]) -> tuple[str, str, str]:
    """Who sent what arrived: the earliest of the newest commits that gave the path that
    version (a merge that only passed it on does not count as sending it)."""
    sender = ("", "", "")
    for version in versions:
        if version.blob != arrived:
            break
        sender = (version.commit, version.author, version.email)
    return sender


def _invalid_attachment(path: str, data: bytes, limit: int) -> str | None:
    """Why ``data`` may not be the attached file at ``path``, or None if it may."""
    if hashlib.sha256(data).hexdigest() != attachment_at(path):
        return _("the file's name is not its hash: it is not the file it claims to be")
    if len(data) > limit:
        return _("the file is over {limit} MB, the notebook's limit for attachments").format(
            limit=limit // (1024 * 1024)
        )
    return None
