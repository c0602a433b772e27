"""Files attached to entries: stored once by their hash, merged as a set, refused by the gate
when a peer pushes one that is not what its name says."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from clitools import carnet
from synctools import git, shared_notebook
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from tui_data import review_notebook
from tuitools import settle

from store import Notebook
from store.errors import InvalidInputError, NotFoundError
from store.layout import attachment_path
from store.merge import merge_entry
from store.sync import refusals, sync
from tui.app import CarnetApp
from tui.screens import attachments as screen_module
from tui.screens.attachments import AttachmentsScreen

PDF = b"%PDF-1.4\n" + b"la charte du programme " * 400
HOSTILE = ("-c", "user.name=Claire Dubois", "-c", "user.email=claire@example.org")


def _pdf(folder: Path, name: str = "charte.pdf", data: bytes = PDF) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def _entry(notebook: Notebook) -> str:
    return notebook.add_entry("practice", "Le programme de la visite", "À lire avant.").id


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "attachments").rglob("*"))


def test_attach_stores_the_bytes_by_their_hash_and_the_record_in_the_entry(
    notebook: Notebook, tmp_path: Path
) -> None:
    entry = _entry(notebook)
    attachment = notebook.attach(entry, _pdf(tmp_path / "docs"))
    sha = hashlib.sha256(PDF).hexdigest()
    assert (attachment.sha256, attachment.name, attachment.size) == (sha, "charte.pdf", len(PDF))
    assert attachment.type == "application/pdf"
    assert attachment.added_by == notebook.me
    assert (notebook.root / attachment_path(sha)).read_bytes() == PDF
    assert _files(notebook.root) == [f"attachments/{sha[:2]}", f"attachments/{sha[:2]}/{sha}"]
    assert notebook.attachments(entry) == [attachment]
    assert notebook.attachment_bytes(entry, sha[:8]) == PDF
    # Committed, file and record together, and the loader does not take the file for a document.
    assert git(notebook.root, "status", "--porcelain") == ""
    assert attachment_path(sha) in git(notebook.root, "show", "--name-only", "HEAD")
    reopened = Notebook(notebook.root)
    assert reopened.attachments(entry) == [attachment]
    assert reopened.problems == []


def test_save_attachment_copies_it_elsewhere(notebook: Notebook, tmp_path: Path) -> None:
    entry = _entry(notebook)
    sha = notebook.attach(entry, _pdf(tmp_path / "docs")).sha256
    saved = notebook.save_attachment(entry, sha, tmp_path / "ailleurs.pdf")
    assert saved.read_bytes() == PDF
    (tmp_path / "dossier").mkdir()
    assert notebook.save_attachment(entry, sha, tmp_path / "dossier").name == "charte.pdf"
    with pytest.raises(InvalidInputError, match="existe déjà"):
        notebook.save_attachment(entry, sha, saved)
    with pytest.raises(NotFoundError):
        notebook.attachment_bytes(entry, "0" * 64)


@pytest.mark.parametrize("problem", ["missing", "folder", "over the limit"])
def test_bad_input_writes_nothing(notebook: Notebook, tmp_path: Path, problem: str) -> None:
    entry = _entry(notebook)
    head = git(notebook.root, "rev-parse", "HEAD")
    if problem == "missing":
        path, words = tmp_path / "absent.pdf", "aucun fichier"
    elif problem == "folder":
        path, words = tmp_path, "est un dossier"
    else:
        meta = json.loads((notebook.root / "carnet.json").read_text(encoding="utf-8"))
        meta["attachment_limit_mb"] = 1
        (notebook.root / "carnet.json").write_text(json.dumps(meta), encoding="utf-8")
        git(notebook.root, "commit", "-qam", "limit")
        head = git(notebook.root, "rev-parse", "HEAD")
        notebook = Notebook(notebook.root)
        path, words = _pdf(tmp_path / "docs", data=b"x" * (1024 * 1024 + 1)), "jusqu'à 1 Mo"
    with pytest.raises(InvalidInputError, match=words) as raised:
        notebook.attach(entry, path)
    assert "\n" not in str(raised.value)
    assert git(notebook.root, "rev-parse", "HEAD") == head
    assert not (notebook.root / "attachments").exists()
    assert notebook.attachments(entry) == []


def test_the_same_file_twice_on_an_entry_is_one_attachment(
    notebook: Notebook, tmp_path: Path
) -> None:
    entry = _entry(notebook)
    first = notebook.attach(entry, _pdf(tmp_path / "a"))
    head = git(notebook.root, "rev-parse", "HEAD")
    assert notebook.attach(entry, _pdf(tmp_path / "b", "autre-nom.pdf")) == first
    assert git(notebook.root, "rev-parse", "HEAD") == head


def test_two_people_attaching_the_same_pdf_store_one_copy(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = _entry(alain)
    other = alain.add_entry("tool", "La charte", "").id
    for clone in (alain, claire):
        sync(clone)
    alain.attach(entry, _pdf(tmp_path / "alain"))
    # Claire has the same PDF under another name, in another folder, and attaches it offline.
    source = _pdf(tmp_path / "claire" / "téléchargements", "Charte (1).pdf")
    claire.attach(entry, source)
    claire.attach(other, source)
    source.rename(tmp_path / "claire" / "renommée.pdf")  # her disk changes nothing
    for clone in (alain, claire, alain):
        sync(clone)
    sha = hashlib.sha256(PDF).hexdigest()
    for clone in (alain, claire):
        assert _files(clone.root) == [f"attachments/{sha[:2]}", f"attachments/{sha[:2]}/{sha}"]
        by = sorted((a.added_by, a.name) for a in clone.attachments(entry))
        assert by == [("alain-martin", "charte.pdf"), ("claire-dubois", "Charte (1).pdf")]
        assert [a.sha256 for a in clone.attachments(other)] == [sha]
        assert clone.attachment_bytes(entry, sha) == PDF
    # One blob in the shared history for both.
    blobs = git(alain.root, "rev-list", "--objects", "--all").split()
    assert blobs.count(attachment_path(sha)) == 1


def test_attachments_merge_as_a_set(notebook: Notebook, tmp_path: Path) -> None:
    entry = _entry(notebook)
    base = notebook.entry(entry).to_doc()
    first = notebook.attach(entry, _pdf(tmp_path / "a", "a.pdf", b"A")).to_doc()
    second = {**first, "name": "b.png", "sha256": "b" * 64, "type": "image/png"}
    ours = {**base, "attachments": [first], "updated": "2026-01-02T00:00:00Z"}
    theirs = {**base, "attachments": [second], "updated": "2026-01-03T00:00:00Z"}
    merged, conflicts = merge_entry(base, ours, theirs)
    assert conflicts == []
    assert sorted(a["name"] for a in merged["attachments"]) == ["a.pdf", "b.png"]
    # A record taken away on one side, kept on the other, stays away; none: no field at all.
    both = {**base, "attachments": [first, second]}
    merged, _new = merge_entry(both, {**both, "attachments": [first]}, both)
    assert merged["attachments"] == [first]
    merged, _new = merge_entry(base, {**base, "title": "Autre"}, base)
    assert "attachments" not in merged


def _push_as_claire(claire: Notebook, path: str, make: str, data: bytes) -> None:
    target = claire.root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    if make == "link":
        target.symlink_to("/etc/passwd")
    else:
        target.write_bytes(data)
    git(claire.root, "add", "-A")
    git(claire.root, *HOSTILE, "commit", "-qm", "une pièce jointe")
    git(claire.root, "push", "-q", "origin", "HEAD:main")


@pytest.mark.parametrize("make", ["not its hash", "oversized", "link"])
def test_the_gate_refuses_an_attachment_that_is_not_what_its_name_says(
    tmp_path: Path, make: str
) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    meta = json.loads((alain.root / "carnet.json").read_text(encoding="utf-8"))
    meta["attachment_limit_mb"] = 1
    (alain.root / "carnet.json").write_text(json.dumps(meta), encoding="utf-8")
    git(alain.root, "commit", "-qam", "limit")
    sync(alain)
    sync(claire)
    data = b"x" * (1024 * 1024 + 1) if make == "oversized" else b"pas ce que dit le nom"
    sha = hashlib.sha256(data).hexdigest() if make == "oversized" else "a" * 64
    _push_as_claire(claire, attachment_path(sha), make, data)
    sync(alain)
    assert not (alain.root / attachment_path(sha)).exists()
    assert not (alain.root / attachment_path(sha)).is_symlink()
    found = [r for r in refusals(alain) if r.path == attachment_path(sha)]
    assert len(found) == 1
    assert found[0].author == "Claire Dubois"
    if make != "link":
        words = "plus de 1 Mo" if make == "oversized" else "n'est pas son empreinte"
        assert words in found[0].detail


def test_an_attachment_in_someone_elses_name_is_refused(tmp_path: Path) -> None:
    alain, claire = shared_notebook(tmp_path, 2)
    entry = _entry(alain)
    sync(alain)
    sync(claire)
    path = claire.root / "entries" / entry[-1] / f"{entry}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    sha = hashlib.sha256(b"B").hexdigest()
    doc["attachments"] = [
        {"name": "b.txt", "size": 1, "type": "text/plain", "sha256": sha,
         "added_by": "alain-martin", "added": "2026-01-01T00:00:00Z"}
    ]  # fmt: skip
    doc.update(updated_by="claire-dubois", updated="2026-01-01T00:00:00Z")
    path.write_text(json.dumps(doc), encoding="utf-8")
    _push_as_claire(claire, attachment_path(sha), "file", b"B")
    sync(alain)
    assert alain.attachments(entry) == []
    assert any("alain-martin" in r.detail for r in refusals(alain))


def test_the_command_line(notebook: Notebook, tmp_path: Path) -> None:
    entry = _entry(notebook)
    root = notebook.root
    sha = hashlib.sha256(PDF).hexdigest()
    done = carnet("attach", entry, str(_pdf(tmp_path / "docs")), cwd=root)
    assert (done.returncode, done.stdout.strip()) == (0, sha)
    listed = json.loads(carnet("attachments", entry, "--json", cwd=root).stdout)
    assert listed == [
        {"name": "charte.pdf", "size": len(PDF), "type": "application/pdf", "sha256": sha,
         "added_by": notebook.me, "added": listed[0]["added"]}
    ]  # fmt: skip
    assert "charte.pdf — 9 ko — " in carnet("attachments", entry, cwd=root).stdout
    saved = carnet("attachment-save", entry, sha[:10], str(tmp_path / "copie.pdf"), cwd=root)
    assert saved.returncode == 0
    assert (tmp_path / "copie.pdf").read_bytes() == PDF
    refused = carnet("attach", entry, str(tmp_path / "absent.pdf"), cwd=root)
    assert refused.returncode != 0
    assert refused.stderr.strip().splitlines() == [
        f"carnet : aucun fichier à {tmp_path / 'absent.pdf'}"
    ]


def test_the_export_lists_them_and_copies_them_beside_the_page(
    notebook: Notebook, tmp_path: Path
) -> None:
    entry = _entry(notebook)
    sha = notebook.attach(entry, _pdf(tmp_path / "docs", "charte & programme.pdf")).sha256
    listed = carnet("export", cwd=notebook.root).stdout
    assert "**Pièces jointes**" in listed
    assert "- charte & programme.pdf (9 ko)" in listed
    page = tmp_path / "synthese.html"
    done = carnet("export", "--format", "html", "-o", str(page), "--attachments",
                  cwd=notebook.root)  # fmt: skip
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "synthese_fichiers" / f"{sha[:12]}-charte & programme.pdf"
    assert copy.read_bytes() == PDF
    html = page.read_text(encoding="utf-8")
    link = f"synthese_fichiers/{sha[:12]}-charte%20%26%20programme.pdf"
    assert f'<a href="{link}">charte &amp; programme.pdf</a>' in html
    refused = carnet("export", "--attachments", cwd=notebook.root)
    assert refused.returncode != 0
    assert "donnez -o" in refused.stderr


async def _attachments_screen(app: CarnetApp, pilot: Pilot[None]) -> AttachmentsScreen:
    await settle(pilot, 0.2)
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(app.screen, AttachmentsScreen)
    return app.screen


def _message(screen: AttachmentsScreen) -> str:
    return str(screen.query_one("#message", Static).content)


async def _type(pilot: Pilot[None], screen: AttachmentsScreen, key: str, text: str) -> None:
    await pilot.press(key)
    screen.query_one("#path", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def test_the_screen_attaches_a_file_by_its_path_and_saves_a_copy(tmp_path: Path) -> None:
    nb = review_notebook(tmp_path / "carnet")
    entry = nb.entries()[0].id
    source = _pdf(tmp_path / "docs")
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _attachments_screen(app, pilot)
        assert "Aucune pièce jointe" in _message(screen)
        await _type(pilot, screen, "a", str(tmp_path / "absent.pdf"))
        assert "aucun fichier" in _message(screen)
        await _type(pilot, screen, "a", str(source))
        assert _message(screen) == "Joint\u00a0: charte.pdf"
        assert screen.query_one("#files", DataTable).row_count == 1
        assert [a.name for a in nb.attachments(entry)] == ["charte.pdf"]
        await _type(pilot, screen, "s", str(tmp_path / "copie.pdf"))
        assert (tmp_path / "copie.pdf").read_bytes() == PDF
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AttachmentsScreen)
    nb.close()


async def test_the_screen_opens_with_the_viewer_or_says_there_is_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = review_notebook(tmp_path / "carnet")
    entry = nb.entries()[0].id
    sha = nb.attach(entry, _pdf(tmp_path / "docs")).sha256
    opened = tmp_path / "opened"
    viewer = tmp_path / "viewer"
    viewer.write_text(f'#!/bin/sh\necho "$1" > {opened}\n', encoding="utf-8")
    viewer.chmod(0o755)
    monkeypatch.setattr(screen_module, "viewer_command", lambda: [str(viewer)])
    app = CarnetApp(nb, sync_interval=None)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _attachments_screen(app, pilot)
        await pilot.press("o")
        await pilot.pause(0.5)
        assert _message(screen) == "Ouvert avec la visionneuse du système."
        for _wait in range(50):
            if opened.exists():
                break
            await pilot.pause(0.1)
        assert opened.read_text(encoding="utf-8").strip() == str(nb.root / attachment_path(sha))
        monkeypatch.setattr(screen_module, "viewer_command", lambda: None)
        await pilot.press("o")
        await pilot.pause()
        assert "Aucune visionneuse" in _message(screen)
    nb.close()
