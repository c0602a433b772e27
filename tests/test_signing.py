"""Signed commits: each participant's SSH key, in their record, proves their changes.

With signing on, every commit Carnet makes is signed (``git log --show-signature`` verifies
it). Claire pushes with plain git: a change in Alain's name signed with her own key, or not
signed at all, a key swapped into his record, "signatures required" turned off: each is
refused by the others' gate, and the previous version kept.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from synctools import bare_remote, git
from test_ownership import edit_json

from store import Notebook
from store.errors import CarnetError, InvalidInputError
from store.gate import FORGED, describe
from store.keys import fingerprint, read_public_key
from store.layout import document_path
from store.signatures import UNSIGNED, WRONG_KEY, describe_unsigned, unsigned_history
from store.sync import add_remote, join, sync

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="needs ssh-keygen (Debian: openssh-client)"
)
ALAIN = ("Alain Martin", "alain@example.org")
CLAIRE = ("Claire Dubois", "claire@example.org")
HELENE = ("Hélène Côté", "helene@example.org")


def new_key(folder: Path, name: str, passphrase: str = "") -> Path:
    """A new ed25519 key pair; the path of its public half."""
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", str(private)],
        check=True, timeout=60,
    )  # fmt: skip
    return folder / f"{name}.pub"


def signing_group(tmp_path: Path, required: bool = False) -> tuple[Notebook, Notebook, Notebook]:
    """Alain (who creates the notebook), Claire and Hélène, each signing with their own key."""
    keys = tmp_path / "keys"
    remote = bare_remote(tmp_path / "remote.git").as_uri()
    alain = Notebook.create(
        tmp_path / "alain", title="Mission 2005", name=ALAIN[0], email=ALAIN[1],
        signing_key=new_key(keys, "alain"), require_signatures=required,
    )  # fmt: skip
    add_remote(alain.root, remote)
    sync(alain)
    claire, helene = (
        join(remote, tmp_path / who, name=name, email=email, signing_key=new_key(keys, who))
        for who, (name, email) in (("claire", CLAIRE), ("helene", HELENE))
    )
    for clone in (alain, claire, helene, alain):
        sync(clone)
    return alain, claire, helene


def signatures(root: Path) -> list[tuple[str, str]]:
    """(verification letter, signer) of every commit, newest first, as git reports them."""
    out = git(root, "log", "--format=%G? %GS")
    return [(line[:1], line[2:].strip()) for line in out.splitlines()]


def push_as(clone: Notebook, author: tuple[str, str], key: Path | None) -> None:
    """Commit everything changed in ``clone``'s files with plain git, as ``author``, signed
    with ``key`` (or not signed), and push it."""
    who = ("-c", f"user.name={author[0]}", "-c", f"user.email={author[1]}")
    signing = ("-c", "gpg.format=ssh", "-c", f"user.signingKey={key}") if key else ()
    git(clone.root, "add", "-A")
    git(clone.root, *who, *signing, "commit", "-q", *(["-S"] if key else []), "-m", "correction")
    git(clone.root, "push", "-q", "origin", "main")


def test_every_commit_of_a_signing_clone_verifies(tmp_path: Path) -> None:
    alain, claire, helene = signing_group(tmp_path)
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier")
    helene.add_entry("tool", "Charte de quartier")  # offline on both sides: sync merges
    sync(helene)
    alain.add_comment(entry.id, "À discuter en réunion.")
    alain.set_stance(entry.id, "agree")
    report = sync(alain)
    assert report.refused == ()
    merges = git(alain.root, "log", "--merges", "--format=%H").split()
    assert merges, "the sync made a merge commit"
    found = signatures(alain.root)
    # Every commit of the shared history, merges included, is signed by a listed key.
    assert {letter for letter, _who in found} == {"G"}, found
    assert {who for _l, who in found} == {"alain-martin", "claire-dubois", "helene-cote"}
    shown = git(alain.root, "log", "-1", "--show-signature", merges[0])
    assert 'Good "git" signature for alain-martin' in shown


def test_a_change_signed_with_another_participants_key_is_refused(tmp_path: Path) -> None:
    """git calls a commit by Alain signed with Claire's key "good": Carnet does not."""
    alain, claire, helene = signing_group(tmp_path)
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier")
    alain.set_stance(entry.id, "agree")
    for clone in (alain, claire, helene):
        sync(clone)
    forged = document_path("reviews", f"alain-martin/{entry.id}")
    edit_json(claire.root, forged, stance="disagree", updated="2099-01-01T00:00:00.000Z")
    push_as(claire, ALAIN, tmp_path / "keys" / "claire.pub")
    assert git(claire.root, "log", "-1", "--format=%G?") in ("G\n", "U\n")  # good, for git

    report = sync(helene)
    assert [(r.path, r.reason, r.email) for r in report.refused] == [(forged, FORGED, ALAIN[1])]
    assert "Alain Martin" in " ".join(describe(report.refused))
    assert "sans sa signature" in report.refused[0].detail
    assert helene.stances(entry.id) == {"alain-martin": "agree"}
    sync(alain)
    assert alain.stances(entry.id) == {"alain-martin": "agree"}


def test_an_unsigned_change_in_a_signing_participants_name_is_refused(tmp_path: Path) -> None:
    alain, claire, helene = signing_group(tmp_path)
    entry = alain.add_entry("practice", "Maison des familles", "Un lieu d'accueil.\n")
    for clone in (alain, claire, helene):
        sync(clone)
    path = document_path("entries", entry.id)
    edit_json(claire.root, path, body="Texte remplacé.\n", updated_by="alain-martin")
    push_as(claire, ALAIN, None)

    assert [r.path for r in sync(helene).refused] == [path]
    assert helene.entry(entry.id).body == "Un lieu d'accueil.\n"


def test_a_key_swapped_into_a_record_is_refused_and_a_real_change_accepted(
    tmp_path: Path,
) -> None:
    alain, claire, helene = signing_group(tmp_path)
    record = document_path("participants", "alain-martin")
    keys = tmp_path / "keys"
    # Claire puts her key in Alain's record, signing with it, in his name.
    edit_json(claire.root, record, keys=[read_public_key(keys / "claire.pub")])
    push_as(claire, ALAIN, keys / "claire.pub")
    assert [r.path for r in sync(helene).refused] == [record]
    assert helene.participant("alain-martin").keys == (read_public_key(keys / "alain.pub"),)
    # Alain changes his key for real: the change is signed with his old key.
    sync(alain)
    alain.sign_with(new_key(keys, "alain-2"))
    entry = alain.add_entry("contact", "Fédération des centres sociaux")  # signed by the new key
    assert sync(alain).refused == ()
    assert sync(helene).refused == ()
    assert helene.entry(entry.id).author == "alain-martin"
    assert len(helene.participant("alain-martin").keys) == 2
    # With her record listing a key, a new one can only come from a clone signing with it.
    helene.repo.signing_key = None
    with pytest.raises(InvalidInputError, match="autre clé"):
        helene.sign_with(new_key(keys, "other"))


def test_required_signatures_refuse_unsigned_changes_and_cannot_be_turned_off(
    tmp_path: Path,
) -> None:
    alain, claire, helene = signing_group(tmp_path, required=True)
    assert alain.info.signatures_required and helene.info.signatures_required
    entry = alain.add_entry("proposal", "Jumelage des maisons de quartier")
    for clone in (alain, claire, helene):
        sync(clone)
    # Claire, unsigned, in her own name: her stance is refused, like the policy turned off.
    stance = document_path("reviews", f"claire-dubois/{entry.id}")
    edit_json(claire.root, stance, participant="claire-dubois", entry=entry.id, read=None,
              stance="agree", updated="2026-01-01T00:00:00.000Z")  # fmt: skip
    edit_json(claire.root, "carnet.json", signatures="optional")
    push_as(claire, CLAIRE, None)
    refused = sync(helene).refused
    assert sorted(r.path for r in refused) == ["carnet.json", stance]
    assert Notebook(helene.root).info.signatures_required
    assert helene.stances(entry.id) == {}


def test_joining_a_notebook_that_requires_signatures_needs_a_key(tmp_path: Path) -> None:
    alain, _claire, _helene = signing_group(tmp_path, required=True)
    remote = git(alain.root, "remote", "get-url", "origin").strip()
    denis = join(remote, tmp_path / "denis", name="Denis Tremblay", email="denis@example.org")
    sync(denis)
    assert [r.path for r in sync(alain).refused] == [
        document_path("participants", "denis-tremblay")
    ]
    assert alain.participant("denis-tremblay") is None


def test_a_key_with_a_passphrase_says_what_to_do_and_saves_nothing(tmp_path: Path) -> None:
    key = new_key(tmp_path / "keys", "locked", passphrase="secret phrase")
    with pytest.raises(CarnetError, match="ssh-agent"):
        Notebook.create(tmp_path / "nb", title="Mission", name=ALAIN[0], email=ALAIN[1],
                        signing_key=key)  # fmt: skip
    assert not (tmp_path / "nb").exists()


def test_fingerprints_are_the_ones_ssh_keygen_prints(tmp_path: Path) -> None:
    key = new_key(tmp_path, "k")
    printed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(key)], capture_output=True, text=True, check=True
    ).stdout.split()[1]
    assert fingerprint(read_public_key(key)) == printed


def test_doctor_lists_unsigned_commits_already_in_the_history(tmp_path: Path) -> None:
    """What is already there (not through the gate): a commit made with plain git in a clone,
    unsigned or signed with another's key, in the name of someone who signs."""
    alain, claire, _helene = signing_group(tmp_path)
    assert unsigned_history(alain) == []  # everything Carnet made is signed
    keys = tmp_path / "keys"
    entry = alain.add_entry("practice", "Maison des familles")
    edit_json(alain.root, document_path("entries", entry.id), body="Sans signature.\n")
    as_alain = ("-c", f"user.name={ALAIN[0]}", "-c", f"user.email={ALAIN[1]}")
    git(alain.root, *as_alain, "commit", "-qam", "plain git, unsigned")
    edit_json(alain.root, document_path("entries", entry.id), body="Signé par Claire.\n")
    claire_key = ("-c", "gpg.format=ssh", "-c", f"user.signingKey={keys / 'claire.pub'}")
    git(alain.root, *as_alain, *claire_key, "commit", "-S", "-qam", "plain git, another's key")
    found = unsigned_history(Notebook(alain.root))
    assert [(f.email, f.problem) for f in found] == [(ALAIN[1], UNSIGNED), (ALAIN[1], WRONG_KEY)]
    lines = describe_unsigned(found)
    assert lines == [
        f"2 modifications au nom de Alain Martin <{ALAIN[1]}> ne portent pas sa signature "
        f"(la première : commit {found[0].commit[:10]})"
    ]
    del claire


def test_doctor_lists_unsigned_commits_once_signatures_are_required(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path / "remote.git").as_uri()
    denis = Notebook.create(tmp_path / "denis", title="Mission", name="Denis", email="d@x.org")
    add_remote(denis.root, remote)
    denis.add_entry("contact", "Avant les signatures")  # unsigned, and nothing required yet
    assert unsigned_history(denis) == []
    edit_json(denis.root, "carnet.json", signatures="required")
    git(denis.root, "-c", "user.email=d@x.org", "commit", "-qam", "signatures required")
    entry = Notebook(denis.root).add_entry("contact", "Après")
    assert entry.title == "Après"
    found = unsigned_history(Notebook(denis.root))
    assert [f.problem for f in found] == [UNSIGNED]


def test_a_key_given_by_a_relative_path_signs_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git runs in the notebook's folder, and the setting outlives the folder it was typed in."""
    new_key(tmp_path / "keys", "alain")
    monkeypatch.chdir(tmp_path / "keys")
    alain = Notebook.create(tmp_path / "nb", title="Mission", name=ALAIN[0], email=ALAIN[1],
                            signing_key=Path("alain.pub"))  # fmt: skip
    monkeypatch.chdir(tmp_path)
    Notebook(alain.root).add_entry("practice", "Maison des familles")
    assert [letter for letter, _who in signatures(alain.root)] == ["G", "G"]


async def test_the_tui_signs_with_the_persons_key_after_asking(
    tmp_path: Path, isolated_git: Path
) -> None:
    """The command palette's "Signer mes modifications": the key of ~/.ssh, after a yes."""
    from tuitools import settle

    from tui.app import CarnetApp
    from tui.screens.confirm import ConfirmScreen

    notebook = Notebook.create(tmp_path / "nb", title="Mission", name=ALAIN[0], email=ALAIN[1])
    app = CarnetApp(notebook, sync_interval=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.action_sign()  # no key on this computer yet: it says how to make one
        await settle(pilot)
        assert "carnet key --create" in " ".join(str(n.message) for n in app._notifications)
        key = new_key(isolated_git / ".ssh", "id_ed25519")
        app.action_sign()
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("o")
        await settle(pilot)
    assert notebook.repo.signing_key == key
    assert notebook.participant("alain-martin").keys == (read_public_key(key),)
    assert signatures(notebook.root)[0] == ("G", "alain-martin")
    assert Notebook(notebook.root).repo.signing_key == key  # remembered for the next start
