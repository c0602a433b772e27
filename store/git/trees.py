"""The git plumbing a sync merges with: raw diffs, incoming history, blobs, trees.

Nothing here touches the participant's own index or files (``store.git.checkout`` does). Each
step is one git process, fed on its standard input, whatever the number of files (not one call
each).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable, Mapping

from store import gate
from store.errors import GitError, InvalidDocumentError, SyncError
from store.folder import META_FILE
from store.gate import Blob, Change
from store.git import failures, objects
from store.git.local import LocalRepository
from store.git.objects import writes_sha1
from store.git.program import ALLOWED_SIGNERS, ZERO_ID, git_bytes
from store.i18n import _
from store.layout import document_of
from store.model import read_document
from store.schema import attachment_limit

TREE_INDEX = "tree-index"


def _git(
    repo: LocalRepository,
    *args: str,
    data: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> bytes:
    """git's standard output for ``args``; any failure is the sync's.

    Raises:
        SyncError: git refused, or is missing.
    """
    done = _process(repo, *args, data=data, env=env)
    if done.returncode != 0:
        raise _refused(repo, done)
    return done.stdout


def _process(
    repo: LocalRepository,
    *args: str,
    data: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return git_bytes(repo.root, *args, data=data, env=env)
    except GitError as exc:
        raise SyncError(str(exc)) from exc


def _refused(repo: LocalRepository, done: subprocess.CompletedProcess[bytes]) -> SyncError:
    text = f"{_text(done.stderr)}\n{_text(done.stdout)}"
    output = [line.strip() for line in text.splitlines() if line.strip()]
    return failures.unexpected(output, done.returncode, repo.root)


def _text(out: bytes) -> str:
    return out.decode("utf-8", "surrogateescape")


def _run(repo: LocalRepository, *args: str, env: Mapping[str, str] | None = None) -> str:
    """git's answer for ``args``, as text, its last newline removed."""
    return _text(_git(repo, *args, env=env)).removesuffix("\n")


# --- commits --------------------------------------------------------------------------------


def merge_base(repo: LocalRepository, one: str, other: str) -> str | None:
    """The commit a merge of ``one`` and ``other`` starts from (git's pick), or None."""
    done = _process(repo, "merge-base", one, other)
    if done.returncode == 1:  # no common history
        return None
    if done.returncode != 0:
        raise _refused(repo, done)
    return _text(done.stdout).strip() or None


def tree_and_author(repo: LocalRepository, commit: str) -> tuple[str, str, str]:
    """The tree of ``commit``, and its author's name and email."""
    tree, author, email = _run(repo, "log", "-1", "--format=%T%x1f%an%x1f%ae", commit).split("\x1f")
    return tree, author, email


def update_branch(repo: LocalRepository, branch: str, old: str, new: str) -> None:
    """Move ``branch`` from commit ``old`` to ``new``, only if it still points to ``old``."""
    _git(repo, "update-ref", "-m", "carnet: sync", f"refs/heads/{branch}", new, old)


# --- what changed ---------------------------------------------------------------------------


def changes(repo: LocalRepository, old: str, new: str) -> dict[str, Change]:
    """Every path that differs between two commits, with its version in each."""
    out = _text(
        _git(repo, "diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", old, new)
    )
    fields = out.split("\0")
    return {fields[at + 1]: raw_change(fields[at]) for at in range(0, len(fields) - 1, 2)}


def raw_change(raw: str) -> Change:
    """One record of git's ``--raw`` output.

    The record reads ":<old mode> <new mode> <old sha> <new sha> <status>".
    """
    old_mode, new_mode, old_sha, new_sha, _status = raw.lstrip(":").split(" ")
    return Change(
        Blob(old_mode, old_sha) if old_sha != ZERO_ID else None,
        Blob(new_mode, new_sha) if new_sha != ZERO_ID else None,
    )


def incoming_versions(
    repo: LocalRepository, ours: str, theirs: str, paths: Iterable[str]
) -> tuple[dict[str, list[gate.Version]], dict[str, gate.Origin]]:
    """For each path, the versions the commits of theirs that ours lacks gave it, newest first;
    and every such commit, with its parents and author.

    A merge commit counts by what it changed from its first parent: a sync's merge made a
    version of its own (both sides' edits), which a later commit may have damaged.
    """
    wanted = set(paths)
    # %G? and %GK: whether git verified the commit's SSH signature (G: by a listed key, U: by
    # another one, still a good signature), and the fingerprint of the key that made it.
    out = _text(_git(
        repo, "log", "-z", "--raw", "--no-renames", "--no-abbrev", "--diff-merges=first-parent",
        "--format=%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%G?%x1f%GK", f"{ours}..{theirs}",
        env=_verify_env(repo),
    ))  # fmt: skip
    found: dict[str, list[gate.Version]] = {}
    commits: dict[str, gate.Origin] = {}
    for record in out.split("\x1e")[1:]:
        header, *fields = record.split("\0")
        commit, parents, author, email, good, key = (header.split("\x1f", 5) + [""] * 5)[:6]
        signer = key if good in ("G", "U") else ""
        commits[commit] = gate.Origin(tuple(parents.split()), author, email, signer)
        for at in range(0, len(fields) - 1, 2):
            raw, path = fields[at].strip("\n"), fields[at + 1]
            if path not in wanted or not raw.startswith(":"):
                continue
            change = raw_change(raw)
            found.setdefault(path, []).append(
                gate.Version(commit, author, email, change.new, change.old)
            )
    return found, commits


def known_participants(repo: LocalRepository, commit: str) -> gate.Known:
    """Each participant's email and keys, and whether signatures are required, as the files
    of ``commit`` say (a damaged record names nobody; a damaged ``carnet.json`` requires
    nothing, and cannot arrive: the gate puts the valid one back)."""
    listing = _text(_git(repo, "ls-tree", "-z", commit, "--", "participants/", META_FILE))
    shas: dict[tuple[str, str], str] = {}
    for record in listing.split("\0"):
        info, _tab, path = record.partition("\t")
        parts = info.split()
        found = document_of(path)
        if len(parts) == 3 and parts[0] in gate.FILE_MODES and found is not None:
            shas[found] = parts[2]
    contents = read_blobs(repo, list(shas.values()))
    known = gate.Known()
    for (table, doc_id), sha in shas.items():
        with contextlib.suppress(InvalidDocumentError):
            doc = read_document(table, doc_id, contents[sha])
            if table == "meta":
                known.required = doc.get("signatures") == "required"
                known.attachment_limit = attachment_limit(doc)
            else:
                known.emails[doc_id] = doc["email"]
                known.keys[doc_id] = tuple(doc.get("keys", ()))
    return known


def _verify_env(repo: LocalRepository) -> dict[str, str]:
    """git's settings to verify SSH signatures: its ``allowed_signers`` file must exist."""
    path = repo.local_dir / ALLOWED_SIGNERS
    if not path.exists():
        with contextlib.suppress(OSError):
            path.write_text("", encoding="utf-8")
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "gpg.ssh.allowedSignersFile",
        "GIT_CONFIG_VALUE_0": str(path),
    }


def blob_at(repo: LocalRepository, commit: str, path: str) -> Blob | None:
    """The version of ``path`` at ``commit`` (None: no file there)."""
    line = _text(_git(repo, "ls-tree", "-z", commit, "--", path))
    info, _tab, _path = line.split("\0")[0].partition("\t")
    parts = info.split()
    return Blob(parts[0], parts[2]) if len(parts) == 3 and parts[1] == "blob" else None


# --- blobs ----------------------------------------------------------------------------------


def read_blobs(repo: LocalRepository, shas: Iterable[str]) -> dict[str, bytes]:
    """The contents of these blobs, read by one ``git cat-file --batch`` (not one call each)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    output = _git(repo, "cat-file", "--batch", data=("\n".join(wanted) + "\n").encode("ascii"))
    blobs: dict[str, bytes] = {}
    at = 0
    for sha in wanted:
        # Each answer: "<sha> <type> <size>\n<content>\n", in the order asked.
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if len(header) != 3 or header[0].decode("ascii") != sha:
            raise SyncError(_("sync failed ({detail}): try again").format(detail="cat-file"))
        size = int(header[2])
        blobs[sha] = output[header_end + 1 : header_end + 1 + size]
        at = header_end + 2 + size
    return blobs


def store_blobs(repo: LocalRepository, blobs: list[bytes]) -> list[str]:
    """Write blobs into the repository with one git process, as one pack.

    ``git fast-import`` writes them into a single pack file: several times faster than as many
    loose objects (``hash-object -w``, one process per blob).
    """
    if not blobs:
        return []
    commands = bytearray()
    for number, data in enumerate(blobs, start=1):
        commands += b"blob\nmark :%d\ndata %d\n" % (number, len(data))
        commands += data
        commands += b"\n"
    marks = repo.local_dir / "merge-marks"
    try:
        _git(repo, "fast-import", "--quiet", f"--export-marks={marks}", data=bytes(commands))
        shas: dict[int, str] = {}
        for line in marks.read_text(encoding="ascii").splitlines():
            mark, _space, sha = line.partition(" ")
            shas[int(mark[1:])] = sha
    finally:
        marks.unlink(missing_ok=True)
    if sorted(shas) != list(range(1, len(blobs) + 1)):
        raise SyncError(_("sync failed ({detail}): try again").format(detail="fast-import"))
    return [shas[number] for number in range(1, len(blobs) + 1)]


# --- trees ----------------------------------------------------------------------------------


def tree_with(repo: LocalRepository, commit: str, versions: Mapping[str, Blob | None]) -> str:
    """The tree of ``commit`` with these paths set to these versions (None: removed), written
    into the repository: only the folders on their way to the root are read and written
    (``store.git.objects``), not an index of every path.

    Raises:
        SyncError: git could not read the trees, or the repository could not be written.
    """
    if not writes_sha1(repo.git_dir):
        return _tree_through_index(repo, commit, versions)
    entries = {
        path: None if blob is None else (blob.mode.encode("ascii"), bytes.fromhex(blob.sha))
        for path, blob in versions.items()
    }
    try:
        return objects.tree_from(repo.root, repo.git_dir, commit, entries)
    except GitError as exc:
        raise SyncError(str(exc)) from exc
    except OSError as exc:
        raise SyncError(
            _("sync failed ({detail}): try again").format(detail=exc.strerror or exc)
        ) from exc


def _tree_through_index(
    repo: LocalRepository, commit: str, versions: Mapping[str, Blob | None]
) -> str:
    """``tree_with`` for a SHA-256 repository, through an index of the sync's own (under
    ``.git/carnet/``, removed after): the participant's index and files stay untouched."""
    index = repo.local_dir / TREE_INDEX
    env = {"GIT_INDEX_FILE": str(index)}
    index.unlink(missing_ok=True)
    try:
        _git(repo, "read-tree", commit, env=env)
        # A path put back replaces whatever is in its way (a link where its folder was, files
        # under a folder where it was a file): git's index does that by itself.
        lines = [
            f"0 {ZERO_ID}\t{path}\0" if blob is None else f"{blob.mode} {blob.sha} 0\t{path}\0"
            for path, blob in sorted(versions.items())
        ]
        if lines:
            data = "".join(lines).encode("utf-8", "surrogateescape")
            _git(repo, "update-index", "-z", "--index-info", data=data, env=env)
        return _run(repo, "write-tree", env=env).strip()
    finally:
        index.unlink(missing_ok=True)
