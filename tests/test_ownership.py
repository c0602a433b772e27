"""Nobody can speak in another's name: the gate's ownership rules against a peer using plain git.

Claire has push access and writes with plain git, committing as herself. She rewrites Alain's
stance, his participant record, who wrote his entry, his comment, adds an entry in his name,
and hides a forged stance in a merge commit she makes by hand. Hélène (who syncs first) and
Alain refuse each change, keep the previous version and say who tried. Honest work by several
clones, merging and syncing, is never refused.
"""

from __future__ import annotations

import json
from pathlib import Path

from synctools import git, shared_notebook, snapshot

from store import Notebook
from store.gate import FORGED, Refusal, describe
from store.ids import new_ulid
from store.layout import document_path
from store.sync import refusals, sync

CLAIRE = ("-c", "user.name=Claire Dubois", "-c", "user.email=claire@example.org")
FUTURE = "2099-01-01T00:00:00.000Z"


def edit_json(root: Path, path: str, **changes: object) -> None:
    """Change fields of a document as a text editor would (plain JSON, not Carnet's writer)."""
    target = root / path
    doc = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
    doc.update(changes)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def push_as_claire(claire: Notebook, message: str = "correction") -> None:
    git(claire.root, "add", "-A")
    git(claire.root, *CLAIRE, "commit", "-qm", message)
    git(claire.root, "push", "-q", "origin", "main")


def assert_refused_from_claire(refused: tuple[Refusal, ...], paths: set[str]) -> None:
    assert {r.path for r in refused} == paths
    assert {(r.reason, r.author, r.email) for r in refused} == {
        (FORGED, "Claire Dubois", "claire@example.org")
    }
    lines = describe(refused)
    assert lines and all("Claire Dubois" in line for line in lines), lines
    assert any("au nom de quelqu'un d'autre" in line for line in lines), lines


def three(tmp_path: Path) -> tuple[Notebook, Notebook, Notebook]:
    alain, claire, helene = shared_notebook(tmp_path, 3)
    assert (alain.me, claire.me, helene.me) == ("alain-martin", "claire-dubois", "helene-cote")
    return alain, claire, helene


def everyone_syncs(*clones: Notebook) -> None:
    for clone in (*clones, *clones):
        assert sync(clone).refused == ()


def test_a_forged_stance_dated_in_the_future_is_refused(tmp_path: Path) -> None:
    """Claire wrote reviews/alain-martin/… dated 2099: it beat Alain's real stance everywhere."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier")
    alain.set_stance(entry.id, "agree")
    other = helene.add_entry("tool", "Charte de quartier")  # Alain has no review of it
    everyone_syncs(alain, claire, helene)
    forged = document_path("reviews", f"alain-martin/{entry.id}")
    added = document_path("reviews", f"alain-martin/{other.id}")
    for path, doc_entry in ((forged, entry.id), (added, other.id)):
        edit_json(claire.root, path, participant="alain-martin", entry=doc_entry,
                  read=FUTURE, stance="disagree", updated=FUTURE)  # fmt: skip
    push_as_claire(claire)

    report = sync(helene)
    assert_refused_from_claire(report.refused, {forged, added})
    assert {r.path: r.kept for r in report.refused} == {forged: True, added: False}
    assert sync(alain).refused == ()  # Hélène's repair is what he receives
    for clone in (alain, helene):
        assert clone.stances(entry.id) == {"alain-martin": "agree"}
        assert clone.stances(other.id) == {}
    assert {r.path for r in refusals(helene)} == {forged, added}
    assert snapshot(alain) == snapshot(helene)


def test_a_rewritten_participant_record_is_refused(tmp_path: Path) -> None:
    """Claire changed Alain's name and email: his own later commits then carried her identity."""
    alain, claire, helene = three(tmp_path)
    path = document_path("participants", "alain-martin")
    edit_json(claire.root, path, name="Alain Imposteur", email="claire@example.org")
    push_as_claire(claire)

    assert_refused_from_claire(sync(alain).refused, {path})
    assert sync(helene).refused == ()  # what she receives is Alain's repair
    for clone in (alain, helene):
        record = Notebook(clone.root).participant("alain-martin")
        assert record is not None
        assert (record.name, record.email) == ("Alain Martin", "alain@example.org")
    # Alain's next action is still his, in his name.
    alain.add_entry("practice", "Maison des familles")
    assert git(alain.root, "log", "-1", "--format=%an <%ae>").strip() == (
        "Alain Martin <alain@example.org>"
    )


def test_a_changed_entry_author_or_creation_date_is_refused(tmp_path: Path) -> None:
    """Claire rewrote who wrote Alain's entry and when: the entry became hers."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles", "Un lieu d'accueil.\n")
    dated = alain.add_entry("tool", "Charte de quartier")
    everyone_syncs(alain, claire, helene)
    first = document_path("entries", entry.id)
    second = document_path("entries", dated.id)
    edit_json(claire.root, first, author="claire-dubois", updated_by="claire-dubois")
    edit_json(claire.root, second, created="2001-01-01T00:00:00.000Z", updated_by="claire-dubois")
    push_as_claire(claire)
    # Alain edits his entry offline meanwhile: his edit is merged as usual.
    alain.edit_entry(entry.id, title="Maison des familles de Belleville")

    assert_refused_from_claire(sync(helene).refused, {first, second})
    sync(alain)
    sync(helene)
    for clone in (alain, helene):
        kept, other = clone.entry(entry.id), clone.entry(dated.id)
        assert (kept.author, kept.title) == ("alain-martin", "Maison des familles de Belleville")
        assert (other.author, other.created) == ("alain-martin", dated.created)


def test_anyone_may_edit_an_entry_in_their_own_name(tmp_path: Path) -> None:
    """The rules must not refuse what is allowed: Claire edits Alain's entry as herself."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles")
    everyone_syncs(alain, claire, helene)
    path = document_path("entries", entry.id)
    edit_json(claire.root, path, title="Maison des familles (Lyon)", updated_by="claire-dubois")
    push_as_claire(claire)
    assert sync(helene).refused == ()
    assert helene.entry(entry.id).title == "Maison des familles (Lyon)"
    assert helene.entry(entry.id).author == "alain-martin"


def test_an_entry_edit_in_someone_elses_name_is_refused(tmp_path: Path) -> None:
    """Claire's edit said Alain made it (updated_by), which also let it win conflicts as his."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles")
    everyone_syncs(alain, claire, helene)
    path = document_path("entries", entry.id)
    edit_json(claire.root, path, title="Maison fermée", updated_by="alain-martin", updated=FUTURE)
    push_as_claire(claire)
    assert_refused_from_claire(sync(helene).refused, {path})
    assert helene.entry(entry.id).title == "Maison des familles"


def test_a_new_entry_in_someone_elses_name_is_refused(tmp_path: Path) -> None:
    """Claire added an entry "by" Alain: everyone saw Alain as its author."""
    alain, claire, helene = three(tmp_path)
    everyone_syncs(alain, claire, helene)
    entry_id = new_ulid()
    path = document_path("entries", entry_id)
    edit_json(claire.root, path, kind="proposal", title="Fermer la maison des familles",
              body="", objectives=[], tags=[], status="open", author="alain-martin",
              updated_by="alain-martin", created=FUTURE, updated=FUTURE, deleted=False,
              conflicts=[])  # fmt: skip
    push_as_claire(claire)

    report = sync(helene)
    assert_refused_from_claire(report.refused, {path})
    assert [r.kept for r in report.refused] == [False]
    sync(alain)
    for clone in (alain, helene):
        assert entry_id not in {e.id for e in clone.entries()}
        assert not (clone.root / path).exists()


def test_a_comment_changed_by_someone_else_than_its_author_is_refused(tmp_path: Path) -> None:
    """Claire rewrote Alain's comment: he seemed to have said what she wrote."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles")
    comment = alain.add_comment(entry.id, "Nous l'avons visitée ensemble.")
    everyone_syncs(alain, claire, helene)
    path = document_path("comments", comment.id)
    edit_json(claire.root, path, body="Je retire tout ce que j'ai dit.")
    reply = document_path("comments", new_ulid())
    edit_json(claire.root, reply, entry=entry.id, parent=comment.id, author="alain-martin",
              body="Claire a raison.", created=FUTURE)  # fmt: skip
    push_as_claire(claire)

    assert_refused_from_claire(sync(helene).refused, {path, reply})
    sync(alain)
    for clone in (alain, helene):
        assert [c.body for c in clone.comments(entry.id)] == ["Nous l'avons visitée ensemble."]


def test_a_forged_change_hidden_in_a_hand_made_merge_commit_is_refused(tmp_path: Path) -> None:
    """A merge commit passed for "only merged the others' work", whatever it held."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier")
    alain.set_stance(entry.id, "agree")
    everyone_syncs(alain, claire, helene)
    # Both sides move on, so that Claire's merge is a real one.
    claire.add_comment(entry.id, "Bonne idée.")
    alain.edit_entry(entry.id, title="Jumelage des maisons de quartier (Lyon–Montréal)")
    sync(alain)
    git(claire.root, "fetch", "-q", "origin")
    git(claire.root, *CLAIRE, "merge", "-q", "--no-ff", "--no-commit", "origin/main")
    forged = document_path("reviews", f"alain-martin/{entry.id}")
    edit_json(claire.root, forged, stance="disagree", updated=FUTURE, read=FUTURE)
    git(claire.root, "add", "-A")
    git(claire.root, *CLAIRE, "commit", "-qm", "Merge")
    git(claire.root, "push", "-q", "origin", "main")
    assert len(git(claire.root, "log", "-1", "--format=%P").split()) == 2

    assert_refused_from_claire(sync(helene).refused, {forged})
    assert sync(alain).refused == ()
    for clone in (alain, helene):
        assert clone.stances(entry.id) == {"alain-martin": "agree"}
        assert [c.body for c in clone.comments(entry.id)] == ["Bonne idée."]
        assert clone.entry(entry.id).title.endswith("(Lyon–Montréal)")


def test_honest_work_merged_across_clones_is_never_refused(tmp_path: Path) -> None:
    """Sync merges carry the others' values (updated_by, a stance): none may be refused."""
    alain, claire, helene = three(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles", "Premier.\n\nDeuxième.\n")
    comment = alain.add_comment(entry.id, "Vu à Lyon.")
    everyone_syncs(alain, claire, helene)
    # Offline, each on their own: the same entry edited on both sides, stances, replies.
    # Hélène edits first and merges Alain's later edit: her merge commit says Alain made the
    # entry's last change (updated_by), which Claire's clone must accept.
    helene.edit_entry(entry.id, body="Premier.\n\nDeuxième, revu.\n", status="discuss")
    alain.edit_entry(entry.id, body="Premier, revu.\n\nDeuxième.\n", tags=["accueil"])
    alain.set_stance(entry.id, "agree")
    helene.add_comment(entry.id, "Et à Montréal.", parent=comment.id)
    helene.set_stance(entry.id, "question")
    claire.edit_entry(entry.id, title="Maison des familles du quartier")
    for clone in (alain, helene, claire, alain, helene, claire):
        assert sync(clone).refused == ()
    assert claire.entry(entry.id).updated_by == "claire-dubois"  # her title came last
    # Someone new joins (trust on first use) and takes part at once.
    denis = shared_join(tmp_path, alain)
    denis.add_entry("reflection", "Ce que j'ai retenu")
    denis.set_stance(entry.id, "agree")
    for clone in (denis, alain, helene, claire, denis, alain, helene, claire):
        assert sync(clone).refused == ()
    final = snapshot(alain)
    for clone in (claire, helene, denis):
        assert snapshot(clone) == final
    merged = alain.entry(entry.id)
    assert merged.body == "Premier, revu.\n\nDeuxième, revu.\n"
    assert merged.title == "Maison des familles du quartier"
    assert alain.stances(entry.id) == {
        "alain-martin": "agree", "helene-cote": "question", "denis-tremblay": "agree",
    }  # fmt: skip


def shared_join(tmp_path: Path, alain: Notebook) -> Notebook:
    from store.sync import join

    url = git(alain.root, "remote", "get-url", "origin").strip()
    return join(url, tmp_path / "clone-denis", name="Denis Tremblay", email="denis@example.org")
