"""The ``carnet`` command line as a whole process: exit codes, messages, JSON."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from clitools import carnet

from store.layout import document_path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    done = carnet("init", "carnet", "--title", "Mission 2005", "--org", "INSPQ", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return tmp_path / "carnet"


def _head(folder: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


def test_a_session_of_commands(folder: Path) -> None:
    added = carnet(
        "add", "--kind", "research", "--title", "L'évaluation des projets",
        "--body", "Deux **approches**.", "--objective", "2", "--tag", "évaluation", cwd=folder,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    short = added.stdout.strip()
    assert len(short) >= 4

    comment = carnet("comment", short, "--body", "Très utile", cwd=folder)
    reply = carnet("comment", short, "--body-file", "-", "--reply-to", comment.stdout.strip(),
                   cwd=folder, stdin="Je confirme.\n")  # fmt: skip
    assert reply.returncode == 0, reply.stderr
    assert carnet("endorse", short, "--stance", "question", cwd=folder).returncode == 0
    assert carnet("edit", short, "--status", "discuss", cwd=folder).returncode == 0

    shown = json.loads(carnet("show", short, "--json", cwd=folder).stdout)
    assert shown["status"] == "discuss"
    assert shown["stances"] == {"helene-cote": "question"}
    assert [c["body"] for c in shown["comments"]] == ["Très utile", "Je confirme.\n"]
    assert shown["comments"][1]["parent"] == shown["comments"][0]["id"]
    for key in ("id", "kind", "title", "body", "status", "objectives", "tags", "author",
                "created", "updated", "conflicts", "unread", "stances"):  # fmt: skip
        assert key in shown

    text = carnet("show", short, cwd=folder).stdout
    assert "L'évaluation des projets" in text and "Je confirme." in text

    listed = json.loads(
        carnet("list", "--search", "evaluation des projets", "--json", cwd=folder).stdout
    )
    assert [e["id"] for e in listed] == [shown["id"]]
    assert (
        json.loads(carnet("list", "--search", "developpement", "--json", cwd=folder).stdout) == []
    )

    assert carnet("read", short, "--unread", cwd=folder).returncode == 0
    unread = json.loads(carnet("list", "--unread", "--json", cwd=folder).stdout)
    assert [e["id"] for e in unread] == [shown["id"]]
    assert "Aucune entrée" in carnet("list", "--kind", "tool", cwd=folder).stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "--kind", "poem", "--title", "T"], "type inconnu « poem »"),
        (["add", "--kind", "practice", "--title", " "], "titre est vide"),
        (["add", "--kind", "practice", "--title", "T", "--objective", "9"], "objectif inconnu"),
        (["add", "--kind", "practice", "--title", "T", "--status", "fini"], "statut inconnu"),
        (["show", "ZZZZZZ"], "aucune entrée"),
        (["edit", "ZZZZZZ", "--title", "x"], "aucune entrée"),
        (["list", "--kind", "poem"], "type inconnu"),
        (["comment", "ZZZZ", "--body", "x"], "aucune entrée"),
    ],
)
def test_errors_are_one_clear_line_and_change_nothing(
    folder: Path, args: list[str], message: str
) -> None:
    before = _head(folder)
    done = carnet(*args, cwd=folder)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert _head(folder) == before


def test_a_body_over_one_megabyte_is_refused(folder: Path, tmp_path: Path) -> None:
    big = tmp_path / "gros.md"
    big.write_text("é" * 600_000, encoding="utf-8")
    done = carnet(
        "add", "--kind", "practice", "--title", "Gros", "--body-file", str(big), cwd=folder
    )
    assert done.returncode == 1 and "1 Mo" in done.stderr


@pytest.mark.parametrize("args", [["list", "--frob"], ["frob"], ["add", "--title"], []])
def test_usage_errors_exit_2(folder: Path, args: list[str]) -> None:
    done = carnet(*(args or ["add"]), cwd=folder)
    assert done.returncode == 2
    assert "carnet --help" in done.stderr


def test_english_interface(folder: Path) -> None:
    done = carnet("--lang", "en", "show", "ZZZZZZ", cwd=folder)
    assert done.stderr.strip() == "carnet : no entry has the id “ZZZZZZ”"
    assert "usage:" in carnet("--lang", "en", "--help", cwd=folder).stdout
    assert "arguments inconnus" in carnet("list", "--frob", cwd=folder).stderr


def test_doctor_names_each_damaged_file_and_list_keeps_working(folder: Path) -> None:
    short = carnet("add", "--kind", "tool", "--title", "Sain", cwd=folder).stdout.strip()
    assert carnet("doctor", cwd=folder).returncode == 0
    damaged = folder / document_path("entries", "01ARZ3NDEKTSV4RRFFQ69G5FAV")
    damaged.parent.mkdir(parents=True, exist_ok=True)
    damaged.write_bytes(b"{ pas du json")
    (folder / "comments" / "not-an-id.json").parent.mkdir(exist_ok=True)
    (folder / "comments" / "not-an-id.json").write_text("{}")

    doctor = carnet("doctor", cwd=folder)
    assert doctor.returncode == 1
    assert document_path("entries", "01ARZ3NDEKTSV4RRFFQ69G5FAV") in doctor.stdout
    assert "comments/not-an-id.json" in doctor.stdout
    report = json.loads(carnet("doctor", "--json", cwd=folder).stdout)
    assert not report["ok"] and len(report["problems"]) == 2

    listed = carnet("list", "--json", cwd=folder)
    assert listed.returncode == 0
    assert [e["short_id"] for e in json.loads(listed.stdout)] == [short]
    assert carnet("show", short, cwd=folder).returncode == 0
    assert damaged.read_bytes() == b"{ pas du json"


def test_markup_and_escape_sequences_are_printed_inert(folder: Path) -> None:
    title = "[bold red]x[/] \x1b[31mrouge\x1b[0m \x1b]0;pirate\x07 \u202etxt.exe"
    short = carnet("add", "--kind", "tool", "--title", title, cwd=folder).stdout.strip()
    shown = carnet("show", short, cwd=folder).stdout
    listed = carnet("list", cwd=folder).stdout
    for output in (shown, listed):
        assert "[bold red]x[/]" in output
        assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    stored = json.loads(carnet("show", short, "--json", cwd=folder).stdout)["title"]
    assert stored == title  # the participant's text itself is kept as written


def test_commands_outside_a_notebook_say_what_to_do(tmp_path: Path) -> None:
    done = carnet("list", cwd=tmp_path)
    assert done.returncode == 1 and "carnet -C" in done.stderr


def test_dates_read_as_in_the_review_screen(folder: Path) -> None:
    """One way of writing a date: the CLI's is the TUI's (store.display.local_time)."""
    from store import Notebook
    from store.display import local_time
    from store.i18n import in_language

    short = carnet("add", "--kind", "tool", "--title", "Charte", cwd=folder).stdout.strip()
    entry = Notebook(folder).entry(Notebook(folder).resolve_id(short))
    with in_language("fr"):
        shown = local_time(entry.created)
    assert "/" in shown  # 01/12/2026 13:22, as the French screen writes it
    assert shown in carnet("show", short, cwd=folder).stdout
