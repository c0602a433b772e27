"""Bytes a peer pushed never reach the terminal: every command prints them inert.

The peer writes with plain git, not Carnet: documents with escape sequences, C1 controls and
bidi controls in every field, and damaged files whose names hold the same and newlines.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from clitools import carnet
from synctools import git

from store.ids import new_ulid
from store.layout import document_path
from store.model import canonical_bytes

# Hyperlink (OSC 8), clear screen, carriage return, C1 CSI, a bell, right-to-left override and
# isolates: each either drives the terminal or makes the text read as something else.
HOSTILE = (
    "\x1b]8;;http://evil.example\x1b\\lien\x1b]8;;\x1b\\ \x1b[2J\rfaux \x9b31m\x07"
    " \u202etxt.exe \u2066isolé\u2069 \x85fin"
)
# What may not appear in anything printed: C0 controls but newline, DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
TIME = "2026-11-27T10:00:00.000Z"
BAD_NAME = "entries/Z/pirate\x1b[2J\n\u202egnp.json"


def write(root: Path, relative: str, content: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def entry_doc(**fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "kind": "practice", "title": "T", "body": "", "objectives": [1], "tags": [],
        "status": "open", "author": "pirate", "updated_by": "pirate", "created": TIME,
        "updated": TIME, "deleted": False, "conflicts": [],
    }  # fmt: skip
    doc.update(fields)
    return doc


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, str]:
    """A notebook where a peer committed hostile text everywhere; returns it and the entry id."""
    done = carnet("init", "carnet", "--title", "Mission 2005", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "carnet"
    meta = json.loads((root / "carnet.json").read_text(encoding="utf-8"))
    meta["title"] = "Mission " + HOSTILE
    meta["objectives"][0]["title"] = "Objectif " + HOSTILE
    write(root, "carnet.json", canonical_bytes(meta))
    pirate = {"name": "Pirate\n" + HOSTILE, "email": "p@example.org",
              "organisation": "Org " + HOSTILE, "role": HOSTILE}  # fmt: skip
    write(root, "participants/pirate.json", canonical_bytes(pirate))
    entry_id = new_ulid()
    conflict = {"field": "title", "value": "Autre " + HOSTILE, "author": "pirate",
                "updated": TIME, "base": "Base " + HOSTILE}  # fmt: skip
    entry = entry_doc(
        title="Titre " + HOSTILE + "\nFausse ligne",
        body="Corps " + HOSTILE + "\nligne 2 " + HOSTILE,
        tags=["tag " + HOSTILE],
        conflicts=[conflict],
    )
    write(root, document_path("entries", entry_id), canonical_bytes(entry))
    comment = {"entry": entry_id, "parent": None, "author": "pirate",
               "body": "Commentaire " + HOSTILE + "\nsuite", "created": TIME}  # fmt: skip
    write(root, document_path("comments", new_ulid()), canonical_bytes(comment))
    # Damaged files: one whose name is hostile, one whose reason quotes a hostile value.
    write(root, BAD_NAME, b"{}")
    write(root, document_path("entries", new_ulid()), canonical_bytes(entry_doc(kind=HOSTILE)))
    git(root, "add", "-A")
    git(root, "-c", "user.name=Pirate", "-c", "user.email=p@example.org",
        "commit", "-q", "-m", "pirate")  # fmt: skip
    return root, entry_id


COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "{id}"],
    ["show", "{id}", "--json"],
    ["conflicts"],
    ["conflicts", "--json"],
    ["status"],
    ["status", "--json"],
    ["doctor"],
    ["doctor", "--json"],
    ["export"],
    ["export", "--format", "html"],
    ["resolve", "{id}", "--field", "body", "--keep", "other"],
    ["sync"],
    ["edit", "{id}", "--kind", HOSTILE],
    ["read", "{id}"],
    ["endorse", "{id}", "--stance", "question"],
    ["comment", "{id}", "--body", "réponse"],
    ["add", "--kind", "tool", "--title", "Nouveau"],
    ["--lang", "en", "show", "{id}"],
]


def _name(command: list[str]) -> str:
    return "".join(c for c in " ".join(command) if c.isprintable())[:30]


@pytest.mark.parametrize("command", COMMANDS, ids=_name)
def test_every_command_prints_peer_text_inert(
    hostile: tuple[Path, str], command: list[str]
) -> None:
    """Bug: ``carnet doctor`` printed file names raw, JSON kept C1 and bidi controls, titles
    and names could forge lines; now every printed string goes through store.text."""
    root, entry_id = hostile
    done = carnet(*(arg.replace("{id}", entry_id) for arg in command), cwd=root)
    for output in (done.stdout, done.stderr):
        assert not UNSAFE.findall(output), output
    if "--json" in command:
        json.loads(done.stdout)  # the escapes keep it valid JSON


def test_json_output_still_holds_the_text_as_written(hostile: tuple[Path, str]) -> None:
    root, entry_id = hostile
    shown = json.loads(carnet("show", entry_id, "--json", cwd=root).stdout)
    assert shown["title"] == "Titre " + HOSTILE + "\nFausse ligne"
    assert shown["comments"][0]["body"] == "Commentaire " + HOSTILE + "\nsuite"
    assert shown["conflicts"][0]["value"] == "Autre " + HOSTILE


def test_doctor_shows_each_damaged_file_name_on_one_line(hostile: tuple[Path, str]) -> None:
    root, _entry_id = hostile
    done = carnet("doctor", cwd=root)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    named = [line for line in lines if line.startswith("entries/Z/pirate")]
    assert named == [line for line in lines if "pirate" in line]
    assert len(named) == 1 and "pirate\\x1b[2J\\n\\u202egnp.json: " in named[0]
    # The damaged entry's reason quotes the hostile kind: on the same line, made inert.
    assert sum("type inconnu" in line for line in lines) == 1
    report = json.loads(carnet("doctor", "--json", cwd=root).stdout)
    assert BAD_NAME in [p["path"] for p in report["problems"]]


def test_titles_and_names_stay_on_their_line(hostile: tuple[Path, str]) -> None:
    root, entry_id = hostile
    listed = carnet("list", cwd=root).stdout.splitlines()
    assert len(listed) == 1 and "Fausse ligne" in listed[0] and "Pirate" in listed[0]
    shown = carnet("show", entry_id, cwd=root).stdout.splitlines()
    assert "Corps" in shown[shown.index("") + 1]
    assert any(line.startswith("ligne 2 ") for line in shown)  # a body keeps its lines


def test_safe_name_escapes_and_safe_json_decodes_to_the_same_value() -> None:
    from store.text import safe_json, safe_name

    escaped = "a\\x1b[2J\\nb\\t\\\\c\\u202ed\\x9b.json"
    assert safe_name("a\x1b[2J\nb\t\\c\u202ed\x9b.json") == escaped
    assert safe_name("entries/Z/01ARZ3NDEKTSV4RRFFQ69G5FAV.json").endswith("FAV.json")
    value = {"t": "é \x9b \u202e \x7f \x1b", "n": [1, None]}
    text = safe_json(value)
    assert not UNSAFE.findall(text) and "é" in text and json.loads(text) == value


def test_hostile_text_pushed_to_the_shared_repository_stays_inert(tmp_path: Path) -> None:
    """The same peer, through the shared repository: ``carnet sync`` then every reader."""
    from synctools import shared_notebook

    (mine,) = shared_notebook(tmp_path, 1)
    mine.close()
    peer = tmp_path / "peer"
    git(tmp_path, "clone", "-q", (tmp_path / "remote.git").as_uri(), str(peer))
    entry_id = new_ulid()
    entry = entry_doc(author="alain-martin", updated_by="alain-martin",
                      title="Titre " + HOSTILE, body=HOSTILE, tags=[HOSTILE])  # fmt: skip
    write(peer, document_path("entries", entry_id), canonical_bytes(entry))
    write(peer, BAD_NAME, b"{ pas du json")
    meta = json.loads((peer / "carnet.json").read_text(encoding="utf-8"))
    meta["title"] = "Mission " + HOSTILE
    write(peer, "carnet.json", canonical_bytes(meta))
    git(peer, "add", "-A")
    git(peer, "-c", "user.name=Alain Martin", "-c", "user.email=alain@example.org",
        "commit", "-q", "-m", HOSTILE)  # fmt: skip
    git(peer, "push", "-q", "origin", "HEAD:main")
    outputs = [carnet("sync", cwd=mine.root)]
    for command in (["list"], ["show", entry_id], ["doctor"], ["conflicts"], ["export"]):
        outputs.append(carnet(*command, cwd=mine.root))
    url = (tmp_path / "remote.git").as_uri()
    joined = carnet("join", url, "joined", "--name", "Denis", "--email", "d@example.org",
                    cwd=tmp_path)  # fmt: skip
    assert joined.returncode == 0 and "txt.exe isolé" in joined.stdout, joined.stderr
    outputs.append(joined)
    for done in outputs:
        assert not UNSAFE.findall(done.stdout + done.stderr), done
    assert "Titre" in outputs[1].stdout
    assert "entries/Z/pirate\\x1b[2J\\n\\u202egnp.json: " in outputs[3].stdout


def test_half_a_character_from_a_json_escape_is_a_damaged_file(tmp_path: Path) -> None:
    """Bug: a title holding ``\\ud800`` (a lone surrogate, from a JSON escape) made ``list``,
    ``list --json`` and ``export`` crash with UnicodeEncodeError, and any save of it too."""
    assert carnet("init", "carnet", "--title", "Mission", cwd=tmp_path).returncode == 0
    root = tmp_path / "carnet"
    lone, pair = new_ulid(), new_ulid()
    text = canonical_bytes(entry_doc(title="TITLE")).decode("utf-8")
    write(root, document_path("entries", lone), text.replace("TITLE", "A\\ud800B").encode())
    write(root, document_path("entries", pair), text.replace("TITLE", "\\ud83d\\ude00").encode())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "peer")
    for command in (["list"], ["list", "--json"], ["export"], ["doctor"]):
        done = carnet(*command, cwd=root)
        assert "Traceback" not in done.stderr, done.stderr
        assert not UNSAFE.findall(done.stdout + done.stderr)
    assert "😀" in carnet("list", cwd=root).stdout  # a pair of escapes is one character
    assert document_path("entries", lone) in carnet("doctor", cwd=root).stdout
