"""A tree's bytes edited where its entries change (``store.git.tree_edit``): exactly the tree
``git mktree`` writes of the same entries, for a table's folder (every entry of one mode and
one name length, read without a loop) and for any other tree; a tree out of git's order, as a
hostile peer could push one, is put in order rather than spliced out of place."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from store.git.program import git_bytes, run_git
from store.git.tree_edit import TREE_MODE, Entry, Tree, record, sort_key

MODES = (b"100644", b"100755", b"120000", TREE_MODE)
# Names around "/" in byte order ("-" and "." before it, "0" after), so that a folder's place
# (its name as if it ended with "/") differs from a file's of the same name.
NAMES = st.text(alphabet="ab-.0/", min_size=1, max_size=4).map(
    lambda text: text.replace("/", "_").encode()
)


def _id(seed: int) -> bytes:
    return hashlib.sha1(b"%d" % seed).digest()  # noqa: S324 - a made-up object id


def _mktree(folder: Path, entries: dict[bytes, Entry]) -> bytes:
    """The bytes of the tree ``git mktree`` writes of ``entries``."""
    lines = b"".join(
        b"%s %s %s\t%s\0"
        % (mode, b"tree" if mode == TREE_MODE else b"blob", oid.hex().encode(), name)
        for name, (mode, oid) in entries.items()
    )
    done = git_bytes(folder, "mktree", "-z", "--missing", data=lines)
    assert done.returncode == 0, done.stderr
    tree_id = done.stdout.strip().decode()
    return git_bytes(folder, "cat-file", "tree", tree_id).stdout


@st.composite
def trees_and_changes(
    draw: st.DrawFn,
) -> tuple[dict[bytes, Entry], dict[bytes, Entry | None]]:
    """A tree's entries, either a table's folder (one mode, one name length) or any mix, and
    changes to it: entries set (new or replacing one of either kind) or removed."""
    if draw(st.booleans()):  # a table's folder: "<id>.json" files only
        count = draw(st.integers(0, 60))
        names = [b"%05d.json" % n for n in draw(st.sets(st.integers(0, 99_999), max_size=count))]
        mode = draw(st.sampled_from(MODES))
        tree: dict[bytes, Entry] = {name: (mode, _id(i)) for i, name in enumerate(names)}
        # New names, and some a character longer than a name there, which a folder's "/"
        # places before or after it.
        fresh = st.integers(0, 99_999).map(lambda n: b"%05d.json" % n)
        choices = st.sampled_from(names) | fresh if names else fresh
        choices = choices | st.builds(bytes.__add__, choices, st.sampled_from([b"-", b"0"]))
        modes = st.sampled_from([mode]) | st.sampled_from(MODES)
    else:
        tree = draw(
            st.dictionaries(NAMES, st.tuples(st.sampled_from(MODES), st.builds(_id, st.integers())))
        )
        choices = NAMES
        modes = st.sampled_from(MODES)
    entries = st.tuples(modes, st.builds(_id, st.integers()))
    changes = draw(st.dictionaries(choices, st.none() | entries, max_size=8))
    return tree, changes


def _bytes_of(entries: dict[bytes, Entry]) -> bytes:
    """A tree's bytes in git's order, the simplest way."""
    ordered = sorted(entries.items(), key=lambda item: sort_key(item[0], item[1][0]))
    return b"".join(record(name, entry) for name, entry in ordered)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=trees_and_changes())
def test_an_edited_tree_is_the_one_git_mktree_writes(
    tmp_path: Path, case: tuple[dict[bytes, Entry], dict[bytes, Entry | None]]
) -> None:
    if not (tmp_path / ".git").exists():
        run_git(tmp_path, "init", "-q")
    entries, changes = case
    before = _bytes_of(entries)
    assert _mktree(tmp_path, entries) == before  # the simplest way is git's
    expected = dict(entries)
    for name, entry in changes.items():
        expected.pop(name, None)
        if entry is not None:
            expected[name] = entry
    edited = Tree(before).edited(changes)
    assert edited.data == _mktree(tmp_path, expected)
    # Read again, then edited again (a second action on the same folder).
    again = {next(iter(expected), b"x"): None}
    assert edited.edited(again).data == Tree(edited.data).edited(again).data
    for name, entry in expected.items():
        assert edited.entry(name) == entry


def test_a_table_folder_is_read_without_a_loop_over_its_entries() -> None:
    """The fast reading of a table's folder is the one taken for it (and only for it)."""
    folder = _bytes_of({b"%026d.json" % n: (b"100644", _id(n)) for n in range(2_000)})
    tree = Tree(folder)
    assert isinstance(tree._entries()[1], range)
    assert list(tree._entries()[0]) == sorted(tree._entries()[0])
    mixed = Tree(_bytes_of({b"a.json": (b"100644", _id(1)), b"bb.json": (b"100644", _id(2))}))
    assert isinstance(mixed._entries()[1], list)


@pytest.mark.parametrize("mode", [TREE_MODE, b"100644"])
def test_a_folder_is_placed_as_if_its_name_ended_with_a_slash(tmp_path: Path, mode: bytes) -> None:
    """In a folder of folders (or of files) of one name length, read without a loop, a file a
    character longer goes where git puts it: "a0-" before the folder "a0", "a00" after it."""
    run_git(tmp_path, "init", "-q")
    entries = {b"a0": (mode, _id(1)), b"a1": (mode, _id(2))}
    new = {b"a0-": (b"100644", _id(3)), b"a00": (b"100644", _id(4))}
    tree = Tree(_bytes_of(entries))
    assert isinstance(tree._entries()[1], range)
    assert tree.edited(new).data == _mktree(tmp_path, {**entries, **new})


@pytest.mark.parametrize(
    "written",
    [
        [(b"b", b"100644"), (b"a", b"100644")],  # out of order
        [(b"a", b"100644"), (b"a", b"100755")],  # a name twice: its last entry
        [(b"a", TREE_MODE), (b"a-", b"100644")],  # a folder placed as a file would be
        [(b"%026d" % n, b"100644") for n in (2, 1, 3)],  # a table's folder out of order
    ],
)
def test_a_tree_out_of_git_order_is_put_in_order(
    tmp_path: Path, written: list[tuple[bytes, bytes]]
) -> None:
    """A tree git would not write (a peer may push one): edited, it is put in git's order,
    each name once, as an index built from it would write it, never spliced out of place."""
    run_git(tmp_path, "init", "-q")
    data = b"".join(record(name, (mode, _id(i))) for i, (name, mode) in enumerate(written))
    last = {name: (mode, _id(i)) for i, (name, mode) in enumerate(written)}
    tree = Tree(data)
    assert tree.data == _mktree(tmp_path, last)
    new = (b"100644", _id(99))
    assert tree.edited({b"c": new}).data == _mktree(tmp_path, {**last, b"c": new})


@pytest.mark.parametrize(
    "data", [b"100644 a", b"100644 a\0short", b"1006x4 a\0" + bytes(20), b"junk"]
)
def test_what_is_not_a_tree_is_refused(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a git tree"):
        Tree(data)
