"""The listing on disk that ``carnet list`` reads without opening the notebook: the same answers
as the notebook's own search, and never trusted once anything it was made from changed."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from synctools import shared_notebook

from store import Notebook, cache, listing, listing_file, schema
from store.labels import STANCE_LABELS, STATUS_LABELS
from store.layout import document_path
from store.listing import EntryFilter, Listing, listing_path, load
from store.local import save_settings
from store.sync import sync
from tui.cli import main
from tui.cli.base import ENTRY_KINDS

QUERIES = ("", "développement", "DEVELOPPEMENT", "Évaluation des", "parentalite", "œuvre",
           "très intéressant", "zzz introuvable", "eté")  # fmt: skip


def _filled(notebook: Notebook) -> Notebook:
    first = notebook.add_entry(
        "practice", "Le développement social local", "Un lieu d'accueil.", tags=["été"]
    )
    second = notebook.add_entry(
        "research", "ÉVALUATION des projets", "La parentalité, mise en œuvre.", objectives=[2]
    )
    notebook.add_entry("tool", "Outil", "Sans accents", objectives=[3])
    comment = notebook.add_comment(first.id, "Très intéressant")
    notebook.add_comment(second.id, "Je précise", parent=None)
    notebook.add_comment(first.id, "Une réponse", parent=comment.id)
    deleted = notebook.add_entry("contact", "Développement effacé", "")
    notebook.delete_entry(deleted.id)
    return notebook


def _written(notebook: Notebook) -> Listing:
    notebook.listing()
    listing = load(notebook.root)
    assert listing is not None, "a listing just made from a fresh notebook is trusted"
    return listing


def _ids(listing: Listing, criteria: EntryFilter) -> list[str]:
    return [row.id for row in listing.select(criteria)]


def _carnet(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(["-C", str(root), *args])
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("query", QUERIES)
def test_the_listing_finds_what_the_notebook_finds(notebook: Notebook, query: str) -> None:
    listing = _written(_filled(notebook))
    for criteria in (
        EntryFilter(search=query),
        EntryFilter(search=query, include_deleted=True),
        EntryFilter(search=query, kind="practice"),
        EntryFilter(search=query, objective=2),
        EntryFilter(search=query, tag="été"),
        EntryFilter(search=query, unread=True),
    ):
        assert _ids(listing, criteria) == [e.id for e in notebook.entries(criteria)], criteria


def test_rows_show_what_the_list_shows(notebook: Notebook) -> None:
    listing = _written(_filled(notebook))
    entry = notebook.search("évaluation")[0]
    row = listing.rows[entry.id]
    assert (row.short_id, row.kind, row.status, row.title, row.objectives) == (
        notebook.short_id(entry.id), "research", "open", "ÉVALUATION des projets", (2,)
    )  # fmt: skip
    assert row.author_name == "Hélène Côté" and not row.deleted and not row.conflicts


def test_the_command_prints_the_same_from_the_listing_and_from_the_notebook(
    notebook: Notebook,
) -> None:
    root = _filled(notebook).root
    for arguments in (["list"], ["list", "--search", "developpement"], ["list", "--all"]):
        listing_path(root).unlink(missing_ok=True)
        from_notebook = _carnet(root, *arguments)
        assert listing_path(root).exists(), "the command writes the listing it did not find"
        assert load(root) is not None
        assert _carnet(root, *arguments) == from_notebook
        assert from_notebook[0] == 0 and from_notebook[1]


def test_an_unknown_kind_is_refused_in_words_even_with_a_listing(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _written(notebook)
    status, _out, err = _carnet(root, "list", "--kind", "nothing")
    assert status == 1 and "nothing" in err


def test_a_new_commit_makes_it_stale(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _written(notebook)
    notebook.add_entry("practice", "Nouvelle", "Développement encore")
    assert load(root) is None
    _status, out, _err = _carnet(root, "list", "--search", "nouvelle")
    assert "Nouvelle" in out
    assert load(root) is not None, "rebuilt by the command that found it stale"


def test_a_peer_change_arriving_by_sync_makes_it_stale(tmp_path: Path) -> None:
    mine, theirs = shared_notebook(tmp_path, 2)
    mine.add_entry("practice", "La mienne", "")
    sync(mine)
    _written(mine)
    sync(theirs)
    theirs.add_entry("research", "Développement venu d'ailleurs", "")
    sync(theirs)
    assert load(mine.root) is not None
    sync(mine)
    assert load(mine.root) is None, "the merge moved HEAD"
    _status, out, _err = _carnet(mine.root, "list", "--search", "developpement")
    assert "venu d'ailleurs" in out


def test_a_hand_edit_makes_it_stale(notebook: Notebook) -> None:
    root = _filled(notebook).root
    entry = notebook.search("outil")[0]
    _written(notebook)
    path = root / document_path("entries", entry.id)
    path.write_text(path.read_text(encoding="utf-8").replace("Outil", "Truelle"), "utf-8")
    assert load(root) is None
    _status, out, _err = _carnet(root, "list", "--search", "truelle")
    assert "Truelle" in out
    assert load(root) is None, "never written while a file differs from the commit"


@pytest.mark.parametrize("cut", [0, 10, 50, -1])
def test_a_truncated_or_damaged_listing_is_not_used(notebook: Notebook, cut: int) -> None:
    root = _filled(notebook).root
    _written(notebook)
    path = listing_path(root)
    data = path.read_bytes()
    path.write_bytes(data[:cut] if cut >= 0 else data[:-1] + bytes([data[-1] ^ 1]))
    assert load(root) is None
    assert load(root, search=False) is None or cut == -1  # a flipped text byte: rows still sound
    status, out, _err = _carnet(root, "list", "--search", "développement")
    assert status == 0 and "Le développement social local" in out
    assert load(root) is not None, "made again"


def test_changed_settings_make_it_stale(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _written(notebook)
    save_settings(notebook.repo.local_dir, language="en")
    assert load(root) is None


def test_it_goes_with_the_cache(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _written(notebook)
    cache.remove(cache.cache_path(root))  # type: ignore[arg-type]
    assert not listing_path(root).exists()


def test_my_reading_changed_by_hand_makes_it_stale(notebook: Notebook) -> None:
    root = _filled(notebook).root
    entry = notebook.search("outil")[0]
    notebook.mark_read(entry.id)
    _written(notebook)
    assert entry.id not in load(root).unread  # type: ignore[union-attr]
    path = root / document_path("reviews", f"{notebook.me}/{entry.id}")
    path.write_text(path.read_text(encoding="utf-8").replace("20", "19", 1), "utf-8")
    assert load(root) is None


def test_a_listed_notebook_is_listed_without_importing_the_notebook(notebook: Notebook) -> None:
    """What makes ``carnet list`` quick: neither the notebook's machinery nor its schema, nor
    ``dataclasses`` (with ``inspect``, a tenth of the whole process): its records are tuples;
    nor ``shutil``, which argparse's own formatter imports for the terminal's width."""
    root = _filled(notebook).root
    _written(notebook)
    code = (
        "import sys, io, contextlib\nfrom tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['-C', {str(root)!r}, 'list', '--search', 'développement'])\n"
        "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(done.stdout.split())
    assert "store.listing" in modules
    heavy_modules = ("store.notebook", "store.model", "store.schema", "tinydb", "textual", "git",
                     "dataclasses", "shutil")  # fmt: skip
    for heavy in heavy_modules:
        assert heavy not in modules, heavy


def test_the_quick_path_copies_agree_with_the_store() -> None:
    assert ENTRY_KINDS == schema.KINDS
    assert tuple(STATUS_LABELS) == schema.STATUSES
    assert tuple(STANCE_LABELS) == schema.STANCES


def test_a_module_split_into_a_package_keys_the_cache_and_listing_by_all_its_files() -> None:
    top = Path(cache.__file__).resolve().parent.parent
    sources = cache.module_sources(top, "store.git")
    assert top / "store" / "git" / "program.py" in sources and len(sources) > 3
    assert cache.module_sources(top, "store.search") == [top / "store" / "search.py"]


def test_the_frame_is_the_review_screens_first_list_in_its_order(notebook: Notebook) -> None:
    root = _filled(notebook).root
    written = _written(notebook)
    frame = listing.start_frame(root)()
    assert frame is not None
    rows = written.select(EntryFilter())  # the deleted entry left out, oldest first
    assert frame.ids == tuple(row.id for row in rows) and len(rows) == 3
    assert frame.titles == tuple(row.title for row in rows)
    assert frame.authors == tuple(row.author_name for row in rows)
    assert frame.objectives == tuple(row.objectives for row in rows)
    assert (frame.unread, frame.me, frame.head) == (written.unread, written.me, written.head)


def test_a_stale_or_damaged_frame_is_not_used(notebook: Notebook) -> None:
    root = _filled(notebook).root
    _written(notebook)
    path = listing_path(root)
    data = path.read_bytes()
    header = len(listing_file.MAGIC) + 4 * 16
    meta_length = int.from_bytes(data[len(listing_file.MAGIC) : len(listing_file.MAGIC) + 8], "big")
    flipped = header + meta_length  # the frame's first byte
    path.write_bytes(data[:flipped] + bytes([data[flipped] ^ 1]) + data[flipped + 1 :])
    assert listing.start_frame(root)() is None
    assert load(root) is not None  # the command line's parts are sound
    path.write_bytes(data)
    assert listing.start_frame(root)() is not None
    notebook.add_entry("practice", "Une de plus", "")
    assert listing.start_frame(root)() is None
