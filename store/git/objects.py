"""A commit's tree built from the paths it changes: blobs and trees written directly.

An action's commit (from the files it changed) and a sync's merge (from the versions it
settled) are both built here.

``git update-index`` and ``git write-tree`` each read and rewrite the whole index (119,000
paths, 13 MB at 10,000 entries) to commit two files; here only the trees on the way from those
files to the root are read (one ``git cat-file --batch``) and written, as loose objects in
git's own format. The participant's index is not touched: ``store.git.program`` records the
paths it is behind on and brings it up to date before git's commands that read it.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import stat
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path

from store.errors import GitError
from store.git.batch import Found, close_reader, read_objects
from store.git.tree_edit import TREE_MODE, Entry, Tree
from store.i18n import _

# Loose objects stored without compression (core.looseCompression 0, which git reads as any
# other): a folder of 1,500 documents is a tree of 90 KB, which zlib's fastest level takes
# 1–4 ms to compress to 60 KB; the objects are temporary, until git packs them.
COMPRESSION = 0


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
    half-written, only a temporary file git's garbage collection removes. Not fsynced, as git's
    own commit does not (``core.fsync`` leaves loose objects to the kernel by default): an
    fsync each cost more than the whole commit of the floor.
    """
    raw = _raw(kind, data)
    digest = hashlib.sha1(raw).digest()  # noqa: S324 - git's object name, not a security hash
    name = digest.hex()
    folder = git_dir / "objects" / name[:2]
    final = folder / name[2:]
    if final.exists():
        return digest
    folder.mkdir(exist_ok=True)
    handle, temporary = _new_temporary(folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(zlib.compress(raw, COMPRESSION))
        os.chmod(temporary, 0o444)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


# The numbers of the temporary files this process writes objects through (with its pid).
_TEMPORARY_NUMBERS = itertools.count()


def _new_temporary(folder: Path) -> tuple[int, str]:
    """A new file in ``folder``, made by this process alone and open for writing, named as
    git names its own (``tmp_obj_``, which its garbage collection removes if left behind).

    As ``tempfile.mkstemp`` makes one (created exclusively, never through a link), named by
    the process and a count rather than at random: ``tempfile`` and the ``random`` it
    imports were 2–3 ms of the imports of ``carnet add``, which writes nine objects.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        path = os.path.join(folder, f"tmp_obj_{os.getpid()}_{next(_TEMPORARY_NUMBERS)}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:  # left by a process of the same pid, killed: another name
            continue


# What git would clean out of a name or an email in a commit (its ``strbuf_addstr_without_crud``
# and the brackets around an email): such an identity is left to ``git commit-tree``.
_CRUD = "<>\n\0"
_EDGE_CRUD = " .,:;<>\"\\'\t"
# Set (the demo sets them to date its commits), git's own dates are given to git.
DATE_VARIABLES = ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")


def commit_bytes(
    tree: str, parents: Iterable[str], message: str, name: str, email: str
) -> bytes | None:
    """The commit object ``git commit-tree`` would write for an unsigned commit made now by
    ``name`` and ``email`` (author and committer); None when only git can say (an identity
    git would clean, dates given in the environment)."""
    if not (_plain(name) and _plain(email)) or any(v in os.environ for v in DATE_VARIABLES):
        return None
    who = f"{name} <{email}> {git_stamp()}"
    lines = [f"tree {tree}", *(f"parent {parent}" for parent in parents)]
    lines += [f"author {who}", f"committer {who}", "", message]
    return "\n".join(lines).encode("utf-8")


def git_stamp() -> str:
    """The time now as git writes it in a commit or a ref's log: seconds, then the offset."""
    now = time.time()
    offset = time.localtime(now).tm_gmtoff // 60
    sign = "-" if offset < 0 else "+"
    return f"{int(now)} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"


def _plain(part: str) -> bool:
    """Whether git keeps ``part`` of an identity as it is."""
    return (
        bool(part) and not any(c in part for c in _CRUD)
        and part[0] not in _EDGE_CRUD and part[-1] not in _EDGE_CRUD
    )  # fmt: skip


def _blob(git_dir: Path, path: Path) -> Entry | None:
    """The mode and id of the file at ``path``, stored as a blob; None if there is none."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return b"120000", write_object(git_dir, b"blob", os.fsencode(os.readlink(path)))
    mode = b"100755" if info.st_mode & stat.S_IXUSR else b"100644"
    return mode, write_object(git_dir, b"blob", path.read_bytes())


EMPTY_TREE = Tree(b"")
# An action reads and writes about eight trees, two of them a table's folder (270 KB at 30,000
# entries): the bytes kept, rather than a count, bound the memory whatever the folders' size.
TREE_BYTES_KEPT = 8 << 20
COMMITS_KEPT = 16


class _KeptTrees:
    """Trees by id, those used least recently dropped first beyond ``TREE_BYTES_KEPT``."""

    def __init__(self) -> None:
        self._trees: OrderedDict[bytes, Tree] = OrderedDict()
        self._size = 0

    def get(self, tree_id: bytes) -> Tree | None:
        tree = self._trees.get(tree_id)
        if tree is not None:
            self._trees.move_to_end(tree_id)
        return tree

    def keep(self, tree_id: bytes, tree: Tree) -> None:
        self._size += len(tree.data) - len(self._trees.pop(tree_id, EMPTY_TREE).data)
        self._trees[tree_id] = tree
        while self._size > TREE_BYTES_KEPT and len(self._trees) > 1:
            self._size -= len(self._trees.popitem(last=False)[1].data)

    def clear(self) -> None:
        self._trees.clear()
        self._size = 0


# The trees this process read or wrote, by id (an id names one content in any repository), and
# the root tree of the commits it made: consecutive actions find their parent's trees here
# instead of asking git. A tree changed by anyone else has another id, and is read from git.
_TREES = _KeptTrees()
_COMMIT_TREES: OrderedDict[str, bytes] = OrderedDict()


def remember_commit(commit: str, tree: str) -> None:
    """``commit``, just made, has the root tree ``tree`` (written by ``tree_with``)."""
    _COMMIT_TREES[commit] = bytes.fromhex(tree)
    _COMMIT_TREES.move_to_end(commit)
    while len(_COMMIT_TREES) > COMMITS_KEPT:
        _COMMIT_TREES.popitem(last=False)


def parent_trees(root: Path, commit: str, folders: Iterable[str]) -> dict[str, Tree]:
    """The tree of each of ``folders`` ("" the root) at ``commit``; a folder that is not
    there (or not a folder) has none. Each folder's ancestors are among ``folders``.

    What this process keeps (the trees it read or wrote) is not asked again; the rest is
    asked of git in one round (``store.git.batch``): a folder by its tree's id when its
    parent is known, else by its path. A folder its parent does not list is not asked at all:
    it is new, and holds only what the commit puts in it.

    Raises:
        GitError: git could not read them.
    """
    found: dict[str, Tree] = {}
    asked: dict[str, str] = {}  # a folder to ask git for, and how git names it
    for folder in sorted(folders, key=lambda f: (f.count("/") + bool(f), f)):
        if not folder:
            root_tree = _COMMIT_TREES.get(commit)
            tree = root_tree.hex() if root_tree is not None else None
            name = f"{commit}^{{tree}}"
        else:
            above, base = _split(folder)
            name = f"{commit}:{folder}"
            if above in asked:
                asked[folder] = name
                continue
            entry = found[above].entry(base)
            if entry is None or entry[0] != TREE_MODE:
                found[folder] = EMPTY_TREE
                continue
            tree = entry[1].hex()
        kept = _TREES.get(bytes.fromhex(tree)) if tree is not None else None
        if kept is not None:
            found[folder] = kept
        else:
            asked[folder] = tree or name
    if asked:
        names = list(asked.values())
        answers = read_objects(root, names)
        if not _answers_whole(names, answers):
            # Something that must exist is missing: a process of a repository since removed
            # and made again at the same place. A new one is asked; missing again, git fails.
            close_reader()
            answers = read_objects(root, names)
            if not _answers_whole(names, answers):
                raise GitError(_("git failed: {detail}").format(detail="cat-file"))
        for folder, answer in zip(asked, answers, strict=True):
            if answer is None or answer[1] != b"tree":
                found[folder] = EMPTY_TREE
                continue
            tree_id, _kind, content = answer
            found[folder] = Tree(content)
            _TREES.keep(bytes.fromhex(tree_id), found[folder])
            if not folder:
                remember_commit(commit, tree_id)
    return found


def _answers_whole(names: list[str], answers: list[Found | None]) -> bool:
    """Whether git found every tree asked by its id (its parent lists it) or as a commit's
    root; a folder asked by its path may be missing (it is new)."""
    return all(
        answer is not None or ":" in name for name, answer in zip(names, answers, strict=True)
    )


def tree_with(root: Path, git_dir: Path, parent: str | None, paths: Iterable[str]) -> str:
    """The tree of ``parent`` (None: no commit yet) with ``paths`` as they are in the work
    tree (a missing file removed), written into the repository; its id.

    Raises:
        GitError: git could not read the parent's trees.
        OSError: a file could not be read, or the repository written.
    """
    return tree_from(root, git_dir, parent, {path: _blob(git_dir, root / path) for path in paths})


def tree_from(
    root: Path, git_dir: Path, parent: str | None, entries: Mapping[str, Entry | None]
) -> str:
    """The tree of commit ``parent`` (None: none) with each path of ``entries`` set to its
    mode and binary blob id (None: removed), written into the repository; its id.

    Only the folders on the way from those paths to the root are read and written. A path set
    replaces whatever is in its way, as in git's index: a file where its folder was, a folder
    where a file was; a folder that keeps files wins over a file set at its own path.

    Raises:
        GitError: git could not read the parent's trees.
        OSError: the repository could not be written.
    """
    # What changes in each folder ("" the root): a name, and its new entry (None: removed).
    changes: dict[str, dict[bytes, Entry | None]] = {"": {}}
    for path, entry in entries.items():
        folder, name = _split(path)
        changes.setdefault(folder, {})[name] = entry
        while folder:
            folder, _name = _split(folder)
            changes.setdefault(folder, {})
    trees = parent_trees(root, parent, changes) if parent else {}
    # The deepest folders first: each folder's new tree goes into its parent's changes.
    for folder in sorted(changes, key=lambda f: (-f.count("/") - bool(f), f)):
        edited = trees.get(folder, EMPTY_TREE).edited(changes[folder])
        tree = write_object(git_dir, b"tree", edited.data) if edited.data else None
        if tree is not None:
            _TREES.keep(tree, edited)
        if folder:
            above, name = _split(folder)
            if tree is not None:
                changes[above][name] = (TREE_MODE, tree)
            else:  # an empty folder is gone, unless a file takes its place
                changes[above].setdefault(name, None)
        else:
            return (tree or write_object(git_dir, b"tree", b"")).hex()
    raise AssertionError("the root folder is always written")


def _split(path: str) -> tuple[str, bytes]:
    """A path's folder ("" at the root) and its name, as git stores the name."""
    folder, _slash, name = path.rpartition("/")
    return folder, os.fsencode(name)
