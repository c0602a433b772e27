"""The local document cache: served only for files git says are untouched, ignored when damaged
or foreign."""

from __future__ import annotations

import gc
import json
import marshal
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from store import Notebook, cache
from store.layout import TABLES, document_path
from store.storage import DocumentStorage


def _filled(notebook: Notebook) -> Notebook:
    first = notebook.add_entry("practice", "Écoute des parents", "Un lieu d'accueil.", tags=["été"])
    second = notebook.add_entry("research", "Évaluation", "Des indicateurs.", objectives=[2])
    comment = notebook.add_comment(first.id, "Très intéressant")
    notebook.add_comment(first.id, "Je précise", parent=comment.id)
    notebook.set_stance(second.id, "question")
    return notebook


def _storage(root: Path) -> DocumentStorage:
    return DocumentStorage(root)


def _cache_everything(root: Path) -> DocumentStorage:
    """Load the notebook from its files and write a cache of every document."""
    cache.remove(cache.cache_path(root))  # type: ignore[arg-type]
    storage = _storage(root)
    assert storage.last_load.cache_saved and not storage.problems
    assert storage.last_load.read == storage.last_load.documents
    return storage


def _write(root: Path, relative: str, data: bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _damage(root: Path) -> str:
    path = document_path("entries", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    _write(root, path, b'{"kind": "practice", "title": ')
    return path


def _write_cache(
    path: Path, parts: list[object], head: object = "0" * 40, unsure: object = ()
) -> None:
    """A cache file with a valid trailer and checksums around ``parts``."""
    payloads = [marshal.dumps(part) for part in parts]
    trailer = json.dumps(
        {
            "format": cache.CACHE_FORMAT,
            "code": cache.code_fingerprint(),
            "tables": list(TABLES),
            "head": head,
            "unsure": list(unsure) if isinstance(unsure, tuple) else unsure,
            "parts": [[n, len(p), zlib.crc32(p)] for n, p in zip(TABLES, payloads, strict=False)],
        }
    ).encode()
    path.write_bytes(cache.MAGIC + b"".join(payloads) + trailer + len(trailer).to_bytes(8, "big"))


def test_a_cache_hit_gives_the_same_documents_and_problems(notebook: Notebook) -> None:
    root = _filled(notebook).root
    damaged = _damage(root)
    cache.remove(cache.cache_path(root))  # type: ignore[arg-type]
    cold = _storage(root)
    assert cold.last_load.read == cold.last_load.documents + 1 and cold.last_load.cache_saved
    assert cache.cache_path(root).is_file()  # type: ignore[union-attr]

    warm = _storage(root)

    assert warm.last_load.from_cache
    assert warm.last_load.read == 1  # only the damaged file: problems are never cached
    assert warm.read() == cold.read()
    assert warm.problems == cold.problems
    assert [p.path for p in warm.problems] == [damaged]


def test_a_hand_edit_of_the_same_size_is_not_served_stale(notebook: Notebook) -> None:
    entry = _filled(notebook).add_entry("tool", "Grille", "version un")
    _cache_everything(notebook.root)
    path = notebook.root / document_path("entries", entry.id)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode, same size
        handle.write(text.replace("version un", "version 1!"))
    # Even with the modification time put back, the change time still tells.
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_ino == before.st_ino

    reopened = Notebook(notebook.root)

    assert reopened._storage.last_load.from_cache
    assert reopened._storage.last_load.read == 1
    assert reopened.entry(entry.id).body == "version 1!"


def test_files_changed_by_git_are_read_again(notebook: Notebook) -> None:
    entry = _filled(notebook).add_entry("tool", "Avant", "Texte")
    _cache_everything(notebook.root)
    other = Notebook(notebook.root)
    other.edit_entry(entry.id, title="Après")
    added = other.add_entry("contact", "Nouvelle", "Texte")
    other.repo.refresh_index()  # the action's index update done: git rm would meet its lock
    subprocess.run(
        ["git", "rm", "-q", document_path("entries", added.id)], cwd=notebook.root, check=True
    )

    reopened = Notebook(notebook.root)

    assert reopened.entry(entry.id).title == "Après"
    assert added.id not in {e.id for e in reopened.entries()}
    assert reopened._storage.last_load.from_cache


def test_a_file_damaged_after_it_was_cached_is_reported(notebook: Notebook) -> None:
    entry = _filled(notebook).add_entry("tool", "Saine", "Texte")
    _cache_everything(notebook.root)
    (notebook.root / document_path("entries", entry.id)).write_bytes(b"[1, 2")

    reopened = Notebook(notebook.root)

    assert entry.id not in {e.id for e in reopened.entries()}
    assert [p.path for p in reopened.problems] == [document_path("entries", entry.id)]


def test_our_own_writes_are_read_again_after_a_reload(notebook: Notebook) -> None:
    entry = _filled(notebook).add_entry("tool", "Titre", "Texte")
    notebook.reload()
    notebook.edit_entry(entry.id, body="Texte changé")

    storage = notebook._storage
    storage.reload()

    assert storage.last_load.read >= 2  # the entry and its review, written just now
    assert notebook.entry(entry.id).body == "Texte changé"
    on_disk = json.loads((notebook.root / document_path("entries", entry.id)).read_bytes())
    assert storage.read()["entries"][entry.id] == on_disk


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-1] + bytes([data[-1] ^ 0xFF]),
        lambda data: data[:200] + bytes([data[200] ^ 0x01]) + data[201:],
        lambda data: b"",
        lambda data: b"garbage" + data,
        lambda data: data + b"more",
        lambda data: data.replace(f'"format": {cache.CACHE_FORMAT}'.encode(), b'"format": 9', 1),
    ],
    ids=[
        "truncated",
        "flipped-last",
        "flipped-inside",
        "empty",
        "garbage",
        "appended",
        "other-format",
    ],  # fmt: skip
)
def test_a_damaged_cache_is_ignored_and_rebuilt(notebook: Notebook, damage: object) -> None:
    root = _filled(notebook).root
    expected = _cache_everything(root).read()
    path = cache.cache_path(root)
    assert path is not None
    data = path.read_bytes()
    assert f'"format": {cache.CACHE_FORMAT}'.encode() in data
    path.write_bytes(damage(data))  # type: ignore[operator]

    reopened = _storage(root)

    assert not reopened.last_load.from_cache
    assert reopened.read() == expected
    assert reopened.last_load.cache_saved
    assert _storage(root).last_load.from_cache


def test_a_cache_written_by_other_code_is_ignored(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _filled(notebook).root
    _cache_everything(root)
    monkeypatch.setattr(cache, "_fingerprint", "another version of the validation code")
    assert not _storage(root).last_load.from_cache


def test_a_cache_of_the_wrong_shape_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / cache.CACHE_FILE
    documents = {name: {"x": {"a": 1}} for name in TABLES}
    parts: list[object] = [documents[name] for name in TABLES]
    _write_cache(path, parts, unsure=("entries/V/x.json",))
    assert cache.load(path, TABLES) == cache.Snapshot("0" * 40, documents, ["entries/V/x.json"])
    assert cache.load(path, (*TABLES, "elsewhere")) is None
    _write_cache(path, [*parts[:-1], ["x"]])
    assert cache.load(path, TABLES) is None  # a table that is not a mapping
    _write_cache(path, parts[:-1])
    assert cache.load(path, TABLES) is None
    _write_cache(path, parts, head=None)
    assert cache.load(path, TABLES) is None
    _write_cache(path, parts, unsure=[1])
    assert cache.load(path, TABLES) is None


def test_a_cache_of_the_format_before_parts_is_rebuilt(notebook: Notebook) -> None:
    """Format 4 held a table in one part, its trailer a length and a checksum per table."""
    root = _filled(notebook).root
    expected = _cache_everything(root).read()
    path = cache.cache_path(root)
    assert path is not None
    tables = [{doc_id: dict(doc) for doc_id, doc in expected[name].items()} for name in TABLES]
    payloads = [marshal.dumps(table) for table in tables]
    data = path.read_bytes()
    trailer = json.loads(data[-8 - int.from_bytes(data[-8:], "big") : -8])
    trailer.update(format=4, parts=[[len(p), zlib.crc32(p)] for p in payloads])
    encoded = json.dumps(trailer).encode()
    path.write_bytes(cache.MAGIC + b"".join(payloads) + encoded + len(encoded).to_bytes(8, "big"))

    reopened = _storage(root)

    assert not reopened.last_load.from_cache and reopened.last_load.cache_saved
    assert reopened.read() == expected and _storage(root).last_load.from_cache


def test_an_edit_undone_by_git_is_read_again(notebook: Notebook) -> None:
    """A file cached while it differed from HEAD is read again even once git says it is clean."""
    entry = _filled(notebook).add_entry("tool", "Grille", "version un")
    # The action's index update runs in its own process and stages the files as it finds
    # them: the hand edit comes after it, or it would be staged and "git checkout" keep it.
    notebook.repo.refresh_index()
    path = notebook.root / document_path("entries", entry.id)
    path.write_text(path.read_text("utf-8").replace("version un", "à la main"), "utf-8")
    assert _cache_everything(notebook.root).read()["entries"][entry.id]["body"] == "à la main"
    subprocess.run(["git", "checkout", "-q", "--", "."], cwd=notebook.root, check=True)

    reopened = Notebook(notebook.root)

    assert reopened._storage.last_load.from_cache
    assert reopened.entry(entry.id).body == "version un"


def test_a_cache_of_a_commit_git_no_longer_has_means_reading_everything(
    notebook: Notebook,
) -> None:
    root = _filled(notebook).root
    expected = _cache_everything(root).read()
    path = cache.cache_path(root)
    snapshot = cache.load(path, TABLES)  # type: ignore[arg-type]
    assert snapshot is not None
    assert cache.save(path, snapshot._replace(head="f" * 40))  # type: ignore[arg-type]

    reopened = _storage(root)

    assert not reopened.last_load.from_cache
    assert reopened.last_load.read == reopened.last_load.documents
    assert reopened.read() == expected


def test_a_copied_clone_opens_from_its_cache(notebook: Notebook, tmp_path: Path) -> None:
    """Every file of a copy has a new inode: git checks their content, not just their stat."""
    root = _filled(notebook).root
    expected = _cache_everything(root).read()
    copy = tmp_path / "copie"
    shutil.copytree(root, copy, symlinks=True)

    reopened = _storage(copy)

    assert reopened.last_load.from_cache and reopened.last_load.read == 0
    assert reopened.read() == expected


def test_the_cache_stays_out_of_the_repository(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _cache_everything(root)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status == ""
    assert not list(root.rglob(".*.tmp"))


def test_links_are_not_followed(notebook: Notebook, tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"secret": true}', encoding="utf-8")
    link = notebook.root / document_path("entries", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)
    (notebook.root / "reviews").mkdir(exist_ok=True)
    (notebook.root / "reviews" / "intrus").symlink_to(tmp_path, target_is_directory=True)

    reopened = Notebook(notebook.root)

    assert [p.path for p in reopened.problems] == [link.relative_to(notebook.root).as_posix()]


def test_a_temp_file_of_a_live_writer_is_kept(notebook: Notebook) -> None:
    """Regression: opening a notebook removed the temp file another process was writing."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    folder = (notebook.root / document_path("entries", "01ARZ3NDEKTSV4RRFFQ69G5FAV")).parent
    dead = folder / f".01ARZ3NDEKTSV4RRFFQ69G5FAV.json.{done.stdout.strip()}.tmp"
    live = folder / f".01ARZ3NDEKTSV4RRFFQ69G5FAW.json.{os.getppid()}.tmp"
    _write(notebook.root, str(dead.relative_to(notebook.root)), b"{")
    _write(notebook.root, str(live.relative_to(notebook.root)), b"{")

    Notebook(notebook.root)

    assert not dead.exists() and live.exists()


def test_a_document_nested_too_deeply_is_a_problem_not_a_crash(notebook: Notebook) -> None:
    path = document_path("comments", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    _write(notebook.root, path, b"[" * 200_000)

    reopened = Notebook(notebook.root)

    assert [p.path for p in reopened.problems] == [path]


def test_the_cache_is_rewritten_once_enough_files_changed(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.storage.documents

    monkeypatch.setattr(store.storage.documents, "CACHE_REWRITE_MIN", 3)
    entry = _filled(notebook).add_entry("tool", "Titre", "Texte")
    _cache_everything(notebook.root)
    notebook.mark_unread(entry.id)  # one file changed: read again, cache left as it is
    assert not _storage(notebook.root).last_load.cache_saved
    notebook.edit_entry(entry.id, title="Autre titre")  # now three: the cache is rewritten
    notebook.add_comment(entry.id, "Un de plus")
    rewritten = _storage(notebook.root)
    assert rewritten.last_load.read >= 3 and rewritten.last_load.cache_saved
    again = _storage(notebook.root)
    assert again.last_load.read == 0 and again.read() == rewritten.read()


def test_a_document_read_shares_its_keys_and_its_equal_values(notebook: Notebook) -> None:
    """Every document as read holds its keys, the values many documents repeat, and the
    strings equal within it, once: a whole notebook is held in memory at once."""
    entry = _filled(notebook).entries()[0]
    notebook.mark_read(entry.id)
    cache.remove(cache.cache_path(notebook.root))  # type: ignore[arg-type]
    for storage in (_storage(notebook.root), _storage(notebook.root)):  # read, then cached
        tables = storage.read()
        entries = tables["entries"]
        first, second = entries.values()
        assert all(a is b for a, b in zip(first, second, strict=True))  # the same keys
        assert first["author"] is second["author"]
        assert first["created"] is first["updated"]  # never edited: one time
        (reading,) = (r for r in tables["reviews"].values() if r["entry"] == entry.id)
        assert reading["read"] is reading["updated"]
        assert reading["entry"] is next(i for i in entries if i == entry.id)


def test_an_open_from_the_cache_freezes_nothing_and_thaws_nothing(notebook: Notebook) -> None:
    """The open counts the cache's objects old at once (a freeze at once undone): it leaves
    nothing frozen, and what another part of the process froze (the review screen) stays so."""
    root = _filled(notebook).root
    _cache_everything(root)
    gc.collect()
    assert gc.get_freeze_count() == 0
    assert DocumentStorage(root).last_load.from_cache
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        assert DocumentStorage(root).last_load.from_cache
        assert gc.get_freeze_count() > 0  # thawed, none would be left
    finally:
        gc.unfreeze()
