"""Staying in touch, end to end: three participants, three clones of one shared repository.

After a round of activity synced through git, each one's digest holds exactly what they had
not seen; a mention written without accents reaches its person and nobody else; a link
written on one clone is a link on the others, with its backlink; the same PDF attached by two
people is stored once; an entry restored from its history is a new edit; a withdrawn comment
keeps its replies on every clone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from clitools import carnet
from synctools import bare_remote, git, snapshot

from store import Notebook
from store.layout import attachment_path, document_path
from store.sync import add_remote, join, sync

# A minimal valid PDF: one empty page, its cross-reference table and trailer.
PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R /Size 4>>\n%%EOF\n"
)


@dataclass
class Group:
    """Étienne, Claire and Hélène, each on their own clone, and the entries of round one."""

    etienne: Notebook
    claire: Notebook
    helene: Notebook
    programme: str  # Étienne's
    charter: str  # Étienne's
    grid: str  # Claire's

    @property
    def clones(self) -> tuple[Notebook, Notebook, Notebook]:
        return self.etienne, self.claire, self.helene

    def sync_all(self) -> None:
        for clone in (*self.clones, *self.clones):
            sync(clone)


def _kinds(notebook: Notebook) -> list[tuple[str, str, str]]:
    return [(item.kind, item.entry, item.author) for item in notebook.digest()]


@pytest.fixture
def group(tmp_path: Path) -> Iterator[Group]:
    remote = bare_remote(tmp_path / "remote.git").as_uri()
    etienne = Notebook.create(tmp_path / "etienne", title="Mission 2005", name="Étienne Gagnon",
                              email="etienne@example.org", organisation="INSPQ")  # fmt: skip
    add_remote(etienne.root, remote)
    sync(etienne)
    claire = join(remote, tmp_path / "claire", name="Claire Dubois", email="claire@example.org")
    helene = join(remote, tmp_path / "helene", name="Hélène Côté", email="helene@example.org")
    programme = etienne.add_entry("practice", "Le programme de la mission", "Dix jours.")
    charter = etienne.add_entry("tool", "La charte du quartier", "Signée par les habitants.")
    sync(etienne)
    sync(claire)
    grid = claire.add_entry("research", "La grille d'évaluation", "Quatre critères.")
    group = Group(etienne, claire, helene, programme.id, charter.id, grid.id)
    group.sync_all()
    # Everyone has read everything: nothing is new for anyone.
    for clone in group.clones:
        for entry in clone.entries():
            clone.mark_read(entry.id)
    group.sync_all()
    assert [_kinds(clone) for clone in group.clones] == [[], [], []]
    yield group
    for clone in group.clones:
        clone.close()


def test_each_digest_holds_exactly_what_its_reader_had_not_seen(group: Group) -> None:
    etienne, claire, helene = group.clones
    me = {clone: clone.me or "" for clone in group.clones}
    # A round of activity, each on their own clone, synced through the shared repository.
    thanks = claire.add_comment(group.programme, "Merci @etienne, je le fais circuler.")
    sync(claire)
    twinning = helene.add_entry(
        "proposal", "Un jumelage de quartiers", "Sur le modèle de [[la charte du QUARTIER]]."
    )
    sync(helene)
    sync(etienne)
    remark = etienne.add_comment(group.grid, "Il manque la participation des habitants.")
    sync(etienne)
    sync(helene)
    helene.add_comment(group.grid, "D'accord, ajoutons-la.", parent=remark.id)
    helene.set_stance(group.grid, "agree")
    group.sync_all()

    # Each one's digest, grouped by entry (the newest item first), newest first inside.
    assert _kinds(etienne) == [
        ("reply", group.grid, me[helene]),
        ("entry", twinning.id, me[helene]),
        ("mention", group.programme, me[claire]),
    ]
    assert _kinds(claire) == [
        ("stance", group.grid, me[helene]),
        ("comment", group.grid, me[helene]),
        ("comment", group.grid, me[etienne]),
        ("entry", twinning.id, me[helene]),
    ]
    # Hélène answered Étienne's remark: she has seen it.
    assert _kinds(helene) == [("comment", group.programme, me[claire])]
    # The mention written without its accents reached Étienne, and nobody else.
    mentions = {clone: [i for i in clone.digest() if i.kind == "mention"] for clone in group.clones}
    assert [item.comment for item in mentions[etienne]] == [thanks.id]
    assert mentions[claire] == mentions[helene] == []

    # Reading an entry takes its items away, and only them.
    etienne.mark_read(group.programme)
    assert _kinds(etienne) == [
        ("reply", group.grid, me[helene]),
        ("entry", twinning.id, me[helene]),
    ]
    claire.mark_read(group.grid)
    assert _kinds(claire) == [("entry", twinning.id, me[helene])]
    # The command line says the same, as Hélène reads her own digest.
    listed = json.loads(carnet("digest", "--json", cwd=helene.root).stdout)
    assert [(i["kind"], i["entry"], i["author"]) for i in listed] == _kinds(helene)


def test_a_link_written_on_one_clone_is_a_link_and_a_backlink_on_the_others(
    group: Group,
) -> None:
    etienne, claire, helene = group.clones
    twinning = helene.add_entry(
        "proposal", "Un jumelage de quartiers", "Sur le modèle de [[la charte du QUARTIER]]."
    )
    claire.add_comment(group.programme, "Voir aussi [[#" + group.grid[-4:] + "]].")
    group.sync_all()
    for clone in (etienne, claire):
        [link] = clone.links(clone.entry(twinning.id).body)
        assert link.target == group.charter
        assert clone.cited(twinning.id) == [group.charter]
        assert clone.cited_by(group.charter) == [twinning.id]
        assert clone.cited_by(group.grid) == [group.programme]
    assert helene.cited_by(group.programme) == []  # a link goes one way


def test_the_same_pdf_attached_by_two_people_is_stored_once(group: Group, tmp_path: Path) -> None:
    etienne, claire, helene = group.clones
    mine = tmp_path / "downloads" / "programme.pdf"
    mine.parent.mkdir()
    mine.write_bytes(PDF)
    theirs = tmp_path / "bureau" / "Programme de la mission (1).pdf"
    theirs.parent.mkdir()
    theirs.write_bytes(PDF)
    # Both attach it offline, before either has synced.
    etienne.attach(group.programme, mine)
    claire.attach(group.programme, theirs)
    group.sync_all()
    stored = attachment_path(etienne.attachments(group.programme)[0].sha256)
    for clone in group.clones:
        records = clone.attachments(group.programme)
        assert sorted((a.added_by, a.name) for a in records) == [
            (claire.me, "Programme de la mission (1).pdf"),
            (etienne.me, "programme.pdf"),
        ]
        assert {a.sha256 for a in records} == {stored.rsplit("/", 1)[-1]}
        files = [p for p in (clone.root / "attachments").rglob("*") if p.is_file()]
        assert [p.relative_to(clone.root).as_posix() for p in files] == [stored]
        assert files[0].read_bytes() == PDF
    blobs = git(helene.root, "ls-tree", "-r", "HEAD", "--", "attachments").splitlines()
    assert len(blobs) == 1


def test_an_entry_restored_from_its_history_is_a_new_edit(group: Group) -> None:
    etienne, claire, helene = group.clones
    claire.edit_entry(group.grid, body="Trois critères, le troisième à revoir.")
    group.sync_all()
    path = document_path("entries", group.grid)
    before = git(helene.root, "log", "--format=%H", "--", path).split()
    created = helene.changes(group.grid)[-1]  # the oldest: the entry as Claire wrote it
    done = carnet("restore", group.grid, "--version", created.commit[:8], cwd=helene.root)
    assert done.returncode == 0, done.stderr
    helene.refresh()
    group.sync_all()
    after = git(etienne.root, "log", "--format=%H", "--", path).split()
    # One change more, and every earlier one still there: nothing was rewritten.
    assert after[1:] == before and len(after) == len(before) + 1
    for clone in group.clones:
        assert clone.entry(group.grid).body == "Quatre critères."
        latest = clone.changes(group.grid)[0]
        assert latest.participant == helene.me
        assert latest.message.startswith("Restauration d’une version antérieure")
        assert [change.field for change in latest.fields] == ["body"]
    assert snapshot(etienne) == snapshot(claire) == snapshot(helene)


def test_a_withdrawn_comment_keeps_its_replies_on_every_clone(group: Group) -> None:
    etienne, claire, helene = group.clones
    remark = etienne.add_comment(group.grid, "Il manque la participation des habitants.")
    group.sync_all()
    reply = helene.add_comment(group.grid, "D'accord, ajoutons-la.", parent=remark.id)
    group.sync_all()
    answer = claire.add_comment(group.grid, "Je m'en charge.", parent=reply.id)
    group.sync_all()
    etienne.withdraw_comment(remark.id)
    group.sync_all()
    for clone in group.clones:
        thread = [(item.comment.id, item.depth) for item in clone.thread(group.grid)]
        assert thread == [(remark.id, 0), (reply.id, 1), (answer.id, 2)]
        withdrawn = clone.comment(remark.id)
        assert withdrawn.deleted and withdrawn.body == ""
        assert clone.comment(reply.id) == reply
        assert clone.comment(answer.id) == answer
    assert snapshot(etienne) == snapshot(claire) == snapshot(helene)
