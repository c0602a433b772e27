"""An action's commit built from the files it changed: blobs and trees written directly.

``git update-index`` and ``git write-tree`` each read and rewrite the whole index (119,000
paths, 13 MB at 10,000 entries) to commit two files; here only the trees on the way from those
files to the root are read (one ``git cat-file --batch``) and written, as loose objects in
git's own format. The participant's index is not touched: ``store.git.program`` records the
paths it is behind on and brings it up to date before git's commands that read it.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from store.errors import GitError
from store.git.program import git_bytes
from store.i18n import _

TREE_MODE = b"40000"
# git's own compression for loose objects (core.looseCompression): fastest.
COMPRESSION = 1

# One tree's entries: name -> (mode, binary object id).
Entries = dict[bytes, tuple[bytes, bytes]]


def writes_sha1(git_dir: Path) -> bool:
    """Whether objects of this repository are named by SHA-1 (the only format written here;
    a SHA-256 repository is committed through git's index instead)."""
    try:
        config = (git_dir / "config").read_text(encoding="utf-8", errors="replace").lower()
    except OSError:
        return False
    return "objectformat" not in config or "objectformat = sha1" in config


def _raw(kind: bytes, data: bytes) -> bytes:
    return b"%s %d\0%s" % (kind, len(data), data)


def object_id(kind: bytes, data: bytes) -> bytes:
    """The binary id git names an object of that kind and content by (SHA-1)."""
    return hashlib.sha1(_raw(kind, data)).digest()  # noqa: S324 - git's name, not security


def write_object(git_dir: Path, kind: bytes, data: bytes) -> bytes:
    """Store one object as git does (zlib-compressed, under ``objects/xx/``); its binary id.

    Written under a temporary name and renamed: a process killed meanwhile leaves no object
    half-written, only a temporary file git's garbage collection removes.
    """
    raw = _raw(kind, data)
    digest = hashlib.sha1(raw).digest()  # noqa: S324 - git's object name, not a security hash
    name = digest.hex()
    folder = git_dir / "objects" / name[:2]
    final = folder / name[2:]
    if final.exists():
        return digest
    folder.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix="tmp_obj_")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(zlib.compress(raw, COMPRESSION))
            out.flush()
            os.fsync(out.fileno())  # on disk before any ref can point to it
        os.chmod(temporary, 0o444)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def _blob(git_dir: Path, path: Path) -> tuple[bytes, bytes] | None:
    """The mode and id of the file at ``path``, stored as a blob; None if there is none."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return b"120000", write_object(git_dir, b"blob", os.fsencode(os.readlink(path)))
    mode = b"100755" if info.st_mode & stat.S_IXUSR else b"100644"
    return mode, write_object(git_dir, b"blob", path.read_bytes())


def _parse_tree(data: bytes) -> Entries:
    entries: Entries = {}
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        entries[data[space + 1 : nul]] = (data[at:space], data[nul + 1 : nul + 21])
        at = nul + 21
    return entries


def _tree_bytes(entries: Entries) -> bytes:
    # git orders a tree's entries by name, a folder's name as if it ended with "/".
    def key(name: bytes) -> bytes:
        return name + b"/" if entries[name][0] == TREE_MODE else name

    return b"".join(
        b"%s %s\0%s" % (entries[name][0], name, entries[name][1])
        for name in sorted(entries, key=key)
    )


def read_trees(root: Path, commit: str, folders: Iterable[str]) -> dict[str, Entries]:
    """The entries of each of ``folders`` ("" the root) at ``commit``, read by one ``git
    cat-file --batch``; a folder that is not there (or not a folder) has none.

    Raises:
        GitError: git could not read them.
    """
    wanted = sorted(set(folders))
    query = "".join(f"{commit}^{{tree}}\n" if not f else f"{commit}:{f}\n" for f in wanted)
    done = git_bytes(root, "cat-file", "--batch", data=query.encode("utf-8", "surrogateescape"))
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip() or str(done.returncode)
        raise GitError(_("git failed: {detail}").format(detail=detail), detail)
    out = done.stdout
    trees: dict[str, Entries] = {}
    at = 0
    for folder in wanted:
        # Each answer: "<id> <type> <size>\n<content>\n", or "<query> missing\n".
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing" or len(header) != 3:
            trees[folder] = {}
            at = end + 1
            continue
        size = int(header[2])
        content = out[end + 1 : end + 1 + size]
        trees[folder] = _parse_tree(content) if header[1] == b"tree" else {}
        at = end + 2 + size
    return trees


def tree_with(root: Path, git_dir: Path, parent: str | None, paths: Iterable[str]) -> str:
    """The tree of ``parent`` (None: no commit yet) with ``paths`` as they are in the work
    tree (a missing file removed), written into the repository; its id.

    Raises:
        GitError: git could not read the parent's trees.
        OSError: a file could not be read, or the repository written.
    """
    # What changes in each folder ("" the root): a name, and its new entry (None: removed).
    changes: dict[str, dict[bytes, tuple[bytes, bytes] | None]] = {"": {}}
    for path in paths:
        folder, name = _split(path)
        changes.setdefault(folder, {})[name] = _blob(git_dir, root / path)
        while folder:
            folder, _name = _split(folder)
            changes.setdefault(folder, {})
    trees = read_trees(root, parent, changes) if parent else {}
    # The deepest folders first: each folder's new tree goes into its parent's changes.
    for folder in sorted(changes, key=lambda f: (-f.count("/") - bool(f), f)):
        entries = dict(trees.get(folder, {}))
        for name, entry in changes[folder].items():
            if entry is None:
                entries.pop(name, None)
            else:
                entries[name] = entry
        if folder:
            above, name = _split(folder)
            tree = write_object(git_dir, b"tree", _tree_bytes(entries)) if entries else None
            changes[above][name] = None if tree is None else (TREE_MODE, tree)
        else:
            return write_object(git_dir, b"tree", _tree_bytes(entries)).hex()
    raise AssertionError("the root folder is always written")


def _split(path: str) -> tuple[str, bytes]:
    """A path's folder ("" at the root) and its name, as git stores the name."""
    folder, _slash, name = path.rpartition("/")
    return folder, os.fsencode(name)
