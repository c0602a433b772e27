"""Random offline work by 2–4 clones, synced in random orders, while a hostile peer pushes
damage with plain git: all converge, nothing is lost."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synctools import git, shared_notebook, snapshot

from store import Notebook
from store.layout import document_path
from store.model import STATUSES
from store.sync import add_remote, sync

MAX_CLONES = 4
TAGS = ("famille", "quartier", "école", "santé")

_templates: dict[str, Path] = {}


def template(factory: pytest.TempPathFactory) -> Path:
    """Four clones of one notebook with two shared entries, built once and copied per example."""
    if "path" not in _templates:
        base = factory.mktemp("template")
        clones = shared_notebook(base, MAX_CLONES)
        clones[0].add_entry("practice", "Maison des familles", "Texte de départ", tags=["famille"])
        clones[1].add_entry("research", "Évaluation", "Autre texte")
        for _round in range(2):
            for clone in clones:
                sync(clone)
        for clone in clones:
            clone.close()
        _templates["path"] = base
    return _templates["path"]


def copy_of_template(factory: pytest.TempPathFactory, count: int) -> list[Notebook]:
    source = template(factory)
    base = factory.mktemp("example")
    shutil.copytree(source / "remote.git", base / "remote.git")
    git(base, "clone", "-q", (base / "remote.git").as_uri(), "vandal")
    clones = []
    for number in range(count):
        root = base / f"clone-{number}"
        shutil.copytree(source / f"clone-{number}", root, symlinks=True)
        git(root, "remote", "remove", "origin")
        add_remote(root, (base / "remote.git").as_uri())
        clones.append(Notebook(root))
    return clones


@dataclass
class Ledger:
    """Every value written, and the values their writer knowingly replaced."""

    written: set[tuple[str, str, Any]] = field(default_factory=set)
    replaced: set[tuple[str, str, Any]] = field(default_factory=set)
    comments: set[str] = field(default_factory=set)
    counter: int = 0

    def token(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix} {self.counter}"

    def write(self, entry_id: str, name: str, old: Any, new: Any) -> None:
        self.replaced.add((entry_id, name, old))
        self.written.add((entry_id, name, new))


operation = st.tuples(
    st.sampled_from(
        [
            "add",
            "title",
            "body",
            "status",
            "tag",
            "untag",
            "delete",
            "comment",
            "read",
            "stance",
            "resolve",
            "vandal",
            "sync",
            "sync",
        ]
    ),  # fmt: skip
    st.integers(0, MAX_CLONES - 1),
    st.integers(0, 50),
    st.integers(0, 50),
)


def vandalise(vandal: Path, pick: int, choice: int) -> None:
    """A peer who is not a participant's Carnet: damages one document with plain git, pushes."""
    git(vandal, "pull", "-q", "--no-rebase", "--no-edit", "origin", "main")
    documents = sorted(
        path.relative_to(vandal).as_posix()
        for folder in ("entries", "comments")
        for path in (vandal / folder).rglob("*.json")
    )
    if not documents:
        return  # its last push removed everything, and nobody has synced since
    target = vandal / documents[pick % len(documents)]
    how = choice % 4
    if how == 0:
        git(vandal, "rm", "-q", str(target))
    elif how == 1:
        target.write_bytes(b'{"title": "abim')
    elif how == 2:
        target.unlink()
        target.symlink_to("/etc/hostname")
    else:
        git(vandal, "rm", "-rq", "--ignore-unmatch", "entries", "comments")
    git(vandal, "add", "-A")
    git(vandal, "-c", "user.name=Vandale", "-c", "user.email=v@example.org",
        "commit", "-q", "--allow-empty", "-m", "casse")  # fmt: skip
    git(vandal, "push", "-q", "origin", "main")


def apply(clone: Notebook, op: tuple[str, int, int, int], ledger: Ledger) -> None:
    kind, _who, pick, choice = op
    if kind == "sync":
        sync(clone)
        return
    if kind == "vandal":
        vandalise(clone.root.parent / "vandal", pick, choice)
        return
    if kind == "add":
        title = ledger.token("Entrée")
        entry = clone.add_entry("tool", title, ledger.token("corps"), tags=[TAGS[choice % 4]])
        ledger.written |= {(entry.id, "title", title), (entry.id, "body", entry.body),
                           (entry.id, "tag", TAGS[choice % 4])}  # fmt: skip
        return
    entries = clone.entries()
    if not entries:
        return
    entry = entries[pick % len(entries)]
    if kind in ("title", "body"):
        value = ledger.token(kind)
        ledger.write(entry.id, kind, getattr(entry, kind), value)
        clone.edit_entry(entry.id, **{kind: value})
    elif kind == "status":
        status = STATUSES[choice % len(STATUSES)]
        ledger.write(entry.id, "status", entry.status, status)
        clone.edit_entry(entry.id, status=status)
    elif kind == "tag":
        tag = TAGS[choice % len(TAGS)]
        ledger.written.add((entry.id, "tag", tag))
        clone.edit_entry(entry.id, tags=[*entry.tags, tag])
    elif kind == "untag" and entry.tags:
        tag = entry.tags[choice % len(entry.tags)]
        ledger.replaced.add((entry.id, "tag", tag))
        clone.edit_entry(entry.id, tags=[t for t in entry.tags if t != tag])
    elif kind == "delete":
        ledger.write(entry.id, "deleted", False, True)
        clone.delete_entry(entry.id)
    elif kind == "comment":
        ledger.comments.add(clone.add_comment(entry.id, ledger.token("commentaire")).id)
    elif kind == "read":
        clone.mark_read(entry.id)
    elif kind == "stance":
        clone.set_stance(entry.id, ("agree", "question", "disagree", None)[choice % 4])
    elif kind == "resolve":
        conflicted = [e for e in clone.entries(None) if e.conflicts]
        if not conflicted:
            return
        target = conflicted[pick % len(conflicted)]
        conflict = target.conflicts[choice % len(target.conflicts)]
        pending = [c for c in target.conflicts if c.field == conflict.field]
        for other in pending:
            ledger.replaced.add((target.id, conflict.field, _value(other.value)))
        keep = "other" if choice % 2 else "current"
        ledger.replaced.add((target.id, conflict.field, _value(getattr(target, conflict.field))))
        if keep == "other":
            ledger.written.add((target.id, conflict.field, _value(pending[-1].value)))
        clone.resolve_conflict(target.id, conflict.field, keep)


def _value(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    count=st.integers(2, MAX_CLONES),
    operations=st.lists(operation, min_size=3, max_size=12),
    final_order=st.permutations(range(MAX_CLONES)),
)
def test_random_offline_work_converges_and_loses_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    operations: list[tuple[str, int, int, int]],
    final_order: list[int],
) -> None:
    clones = copy_of_template(tmp_path_factory, count)
    ledger = Ledger()
    for op in operations:
        apply(clones[op[1] % count], op, ledger)
    own_reviews = {}
    for clone in clones:
        assert clone.me is not None
        own_reviews[clone.me] = {
            path: data
            for path, data in snapshot(clone).items()
            if path.startswith(f"reviews/{clone.me}/")
        }
    order = [n for n in final_order if n < count]
    for _round in range(2):
        for number in order:
            sync(clones[number])

    files = snapshot(clones[0])
    for clone in clones[1:]:
        assert snapshot(clone) == files
        assert clone.repo.head() == clones[0].repo.head()
    reference = clones[0]
    assert reference.problems == []
    assert {document_path("comments", c) for c in ledger.comments} <= set(files)
    for participant, reviews in own_reviews.items():
        assert {
            p: d for p, d in files.items() if p.startswith(f"reviews/{participant}/")
        } == reviews
    entries = {e.id: e for e in reference.entries(None)} | {
        e.id: e for e in reference.entries(_all())
    }
    for entry_id, name, value in ledger.written - ledger.replaced:
        entry = entries[entry_id]
        if name == "tag":
            assert value in entry.tags, (entry_id, name, value)
            continue
        recorded = {_value(c.value) for c in entry.conflicts if c.field == name}
        assert _value(getattr(entry, name)) == value or value in recorded, (entry_id, name, value)
    for clone in clones:
        clone.close()


def _all() -> Any:
    from store.notebook import EntryFilter

    return EntryFilter(include_deleted=True)
