"""Sync figures (docs/design.md §8): a sync with nothing to do, and merging 1,000 documents.

Each figure comes beside a baseline measured in the same run on the same repositories: plain
``git fetch`` for the sync with nothing to do; for the merge, fetch, ``git merge-tree
--write-tree`` (git's line merge of the same two commits), ``read-tree -m -u`` and push.
``measure(notebook)`` is called by ``bench/run.py`` with the big synthetic notebook; it works
on copies and leaves that notebook as it was. Alone, ``python -m bench.sync_bench
[--entries N | --notebook FOLDER] [--profile]`` generates a notebook of N entries first (or
uses a copy of FOLDER); ``--profile`` prints where the merge spends its time (cProfile, by
cumulative then by internal time, and git's own GIT_TRACE_PERFORMANCE figures by command).

A small notebook (a smoke run) has fewer than 1,000 entries to change: then every entry with
a few lines of text is changed, and the figure keeps its name.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from store.layout import document_path
from store.model import Participant, canonical_bytes
from store.notebook import EntryFilter, Notebook
from store.sync import sync

CHANGED = 1_000
RUNS = 5


class Timing(NamedTuple):
    """One figure: wall seconds, this process's CPU seconds, its git processes' CPU seconds."""

    wall: float
    cpu: float
    git_cpu: float


def _git(cwd: Path, *args: str, name: str = "Banc d'essai", email: str = "banc@example.org") -> str:
    done = subprocess.run(
        ["git", "-c", f"user.name={name}", "-c", f"user.email={email}", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(action: Callable[[], object]) -> Timing:
    wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    action()
    return Timing(time.perf_counter() - wall, time.process_time() - cpu, _children_cpu() - children)


def _median(action: Callable[[], object], runs: int = RUNS) -> Timing:
    timings = [_timed(action) for _run in range(runs)]
    return Timing(*(statistics.median(values) for values in zip(*timings, strict=True)))


def _edit(root: Path, ids: Sequence[str], who: Participant, first_line: bool) -> None:
    """Change entries the way edits do: one side the first line of each body and the tags,
    the other the last line and the status, so that a merge keeps both without a conflict.
    """
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    for entry_id in ids:
        path = root / document_path("entries", entry_id)
        doc = json.loads(path.read_bytes())
        lines = doc["body"].split("\n")
        index = 0 if first_line else len(lines) - 1
        lines[index] = f"{lines[index]} (revu par {who.id})"
        doc["body"] = "\n".join(lines)
        if first_line:
            doc["tags"] = sorted({*doc["tags"], "revu"})
        else:
            doc["status"] = "adopted"
        doc["updated"], doc["updated_by"] = stamp, who.id
        path.write_bytes(canonical_bytes(doc))
    # In the editor's own name: the sync's gate refuses an edit made in someone else's.
    _git(root, "commit", "-qam", f"{len(ids)} edits by {who.id}", name=who.name, email=who.email)


def _changeable(notebook: Notebook) -> list[str]:
    """Up to CHANGED entries with a few lines of text (both sides change a different line)."""
    entries = notebook.entries(EntryFilter(include_deleted=True))
    return sorted(e.id for e in entries if e.body.count("\n") >= 2)[:CHANGED]


@dataclass
class _Setup:
    """Two clones of a shared notebook, and Claire's notebook open and warm."""

    work: Path
    alain: Path
    claire: Path
    mine: Notebook
    ids: list[str]


@contextlib.contextmanager
def _clones(notebook: Notebook) -> Iterator[_Setup]:
    with tempfile.TemporaryDirectory(prefix="carnet-sync-bench-") as folder:
        work = Path(folder)
        remote = work / "remote.git"
        _git(work, "clone", "-q", "--bare", "--no-local", str(notebook.root), str(remote))
        for name in ("alain", "claire"):
            _git(work, "clone", "-q", remote.as_uri(), str(work / name))
        alain, claire = work / "alain", work / "claire"
        mine = Notebook(claire)
        try:
            sync(mine)  # warm: GitPython imported, index refreshed
            yield _Setup(work, alain, claire, mine, _changeable(notebook))
        finally:
            mine.close()


def _both_sides_edit(setup: _Setup) -> None:
    first, second = setup.mine.participants()[:2]
    _edit(setup.alain, setup.ids, first, first_line=True)
    _git(setup.alain, "push", "-q", "origin", "HEAD")
    _edit(setup.claire, setup.ids, second, first_line=False)


def _check(report: object, setup: _Setup) -> None:
    merged = getattr(report, "merged", None)
    if merged != len(setup.ids) or getattr(report, "conflicts", 1):
        raise SystemExit(f"unexpected merge: {report}")


def _plumbing_merge(setup: _Setup) -> Timing:
    """The floor of the merge: the same work done with git's plumbing alone, in copies (of
    Claire's clone and of the shared repository, so that the real sync after it finds the
    same commits). A fetch, ``git merge-tree --write-tree`` (git's line merge: the JSON
    clashes it cannot settle are left as markers, the same work), the merge commit,
    ``read-tree -m -u`` into the work tree, and the push.
    """
    remote, copy = setup.work / "baseline.git", setup.work / "baseline"
    shutil.copytree(setup.work / "remote.git", remote, symlinks=True)
    shutil.copytree(setup.claire, copy, symlinks=True)
    _git(copy, "remote", "set-url", "origin", remote.as_uri())
    # The copied index holds the original files' stat data: read-tree -m -u needs its own.
    _git(copy, "update-index", "-q", "--refresh")

    def merge() -> None:
        _git(copy, "fetch", "-q", "origin")
        done = subprocess.run(
            ["git", "merge-tree", "--write-tree", "HEAD", "origin/main"],
            cwd=copy, capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode not in (0, 1):  # 1: conflicts, the tree is written all the same
            raise SystemExit(f"git merge-tree failed: {done.stderr}")
        tree = done.stdout.split("\n", 1)[0]
        head = _git(copy, "rev-parse", "HEAD").strip()
        commit = _git(
            copy, "commit-tree", tree, "-p", head, "-p", "origin/main", "-m", "merge"
        ).strip()
        _git(copy, "read-tree", "-m", "-u", head, commit)
        _git(copy, "update-ref", "HEAD", commit, head)
        _git(copy, "push", "-q", "origin", "HEAD:main")

    return _timed(merge)


def _measure(notebook: Notebook) -> dict[str, tuple[Timing, Timing]]:
    with _clones(notebook) as setup:
        mine, claire = setup.mine, setup.claire
        nothing = _median(lambda: sync(mine))
        plain_fetch = _median(lambda: _git(claire, "fetch", "-q", "origin"))
        _both_sides_edit(setup)
        floor = _plumbing_merge(setup)
        mine.refresh()
        reports: list[object] = []
        merge = _timed(lambda: reports.append(sync(mine)))
        _check(reports[0], setup)
    return {
        "nothing to do": (nothing, plain_fetch),
        "merge 1,000 documents": (merge, floor),
    }


def measure(notebook: Notebook) -> dict[str, tuple[float, float]]:
    """``{figure: (seconds, baseline seconds)}`` for the sync figures, on copies of ``notebook``."""
    return {
        name: (value.wall, baseline.wall) for name, (value, baseline) in _measure(notebook).items()
    }


def profile(notebook: Notebook, top: int = 30) -> str:
    """Where a merge of up to 1,000 documents spends its time: cProfile and git's own trace."""
    with _clones(notebook) as setup:
        _both_sides_edit(setup)
        setup.mine.refresh()
        trace = setup.work / "git-trace"
        os.environ["GIT_TRACE_PERFORMANCE"] = str(trace)
        profiler = cProfile.Profile()
        try:
            started = time.perf_counter()
            report = profiler.runcall(sync, setup.mine)
            seconds = time.perf_counter() - started
        finally:
            del os.environ["GIT_TRACE_PERFORMANCE"]
        _check(report, setup)
        out = io.StringIO()
        out.write(f"sync merging {len(setup.ids)} documents: {seconds:.2f} s (under cProfile)\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
        out.write(_git_summary(trace.read_text(encoding="utf-8", errors="replace")))
    return out.getvalue()


_TRACE = re.compile(r"performance: ([0-9.]+) s: +git command: (.*)$")
_REGION = re.compile(r"performance: ([0-9.]+) s: +(?!git command)(.*)$")


def _git_summary(trace: str) -> str:
    """Each git command of the trace with its time, then git's slowest inner steps."""
    lines = ["\ngit commands (GIT_TRACE_PERFORMANCE), in order:"]
    regions: list[tuple[float, str]] = []
    for line in trace.splitlines():
        if match := _TRACE.search(line):
            command = " ".join(match.group(2).split()[:6])
            lines.append(f"  {float(match.group(1)):7.3f} s  {command}")
        elif match := _REGION.search(line):
            regions.append((float(match.group(1)), match.group(2).strip()))
    lines.append("git's slowest inner steps:")
    for seconds, what in sorted(regions, reverse=True)[:12]:
        lines.append(f"  {seconds:7.3f} s  {what}")
    return "\n".join(lines) + "\n"


def _show(figures: dict[str, tuple[Timing, Timing]], changed: int) -> None:
    print(f"{changed} entries changed on both sides; medians of {RUNS} runs where repeated")
    for name, (value, baseline) in figures.items():
        print(f"sync, {name:<24} {value.wall * 1000:8.1f} ms (CPU {value.cpu * 1000:6.1f} ms, "
              f"git {value.git_cpu * 1000:6.1f} ms)   baseline (plain git) "
              f"{baseline.wall * 1000:8.1f} ms")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    from bench.generate import Sizes, generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000)
    parser.add_argument("--notebook", type=Path, help="use this notebook instead of a new one")
    parser.add_argument("--profile", action="store_true", help="profile one merge instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="carnet-sync-bench-") as folder:
        root = args.notebook
        if root is None:
            root = Path(folder) / "notebook"
            generate(root, Sizes.for_entries(args.entries))
        notebook = Notebook(root)
        try:
            changed = len(_changeable(notebook))
            print(f"notebook {root} ({len(notebook.entries())} entries)")
            if args.profile:
                print(profile(notebook))
            else:
                _show(_measure(notebook), changed)
        finally:
            notebook.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
