"""Sync figures (DESIGN.md §8): a sync with nothing to do, and merging 1,000 documents.

Each figure comes beside a baseline measured in the same run on the same repositories: plain
``git fetch`` for the sync with nothing to do; for the merge, fetch plus ``git merge -X ours``
(git's line merge of the same two commits, whose JSON clashes it cannot settle alone).
``measure(notebook)`` is called by ``bench/run.py`` with the big synthetic notebook; it works
on copies and leaves that notebook as it was. Alone, ``python -m bench.sync_bench
[--entries N]`` generates a notebook of N entries first.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from store.model import canonical_bytes
from store.notebook import Notebook
from store.sync import sync

CHANGED = 1_000
RUNS = 5


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Banc d'essai", "-c", "user.email=banc@example.org", *args],
        cwd=cwd, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def _median(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _edit(root: Path, ids: Sequence[str], who: str, first_line: bool) -> None:
    """Change entries the way edits do: one side the first line of each body and the tags,
    the other the last line and the status, so that a merge keeps both without a conflict.
    """
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    for entry_id in ids:
        path = root / "entries" / f"{entry_id}.json"
        doc = json.loads(path.read_bytes())
        lines = doc["body"].split("\n")
        index = 0 if first_line else len(lines) - 1
        lines[index] = f"{lines[index]} (revu par {who})"
        doc["body"] = "\n".join(lines)
        if first_line:
            doc["tags"] = sorted({*doc["tags"], "revu"})
        else:
            doc["status"] = "adopted"
        doc["updated"], doc["updated_by"] = stamp, who
        path.write_bytes(canonical_bytes(doc))
    _git(root, "commit", "-qam", f"1,000 edits by {who}")


def measure(notebook: Notebook) -> dict[str, tuple[float, float]]:
    """``{figure: (seconds, baseline seconds)}`` for the sync figures, on copies of ``notebook``."""
    with tempfile.TemporaryDirectory(prefix="carnet-sync-bench-") as folder:
        work = Path(folder)
        remote = work / "remote.git"
        _git(work, "clone", "-q", "--bare", "--no-local", str(notebook.root), str(remote))
        for name in ("alain", "claire"):
            _git(work, "clone", "-q", remote.as_uri(), str(work / name))
        alain, claire = work / "alain", work / "claire"
        mine = Notebook(claire)
        sync(mine)  # warm: GitPython imported, index refreshed

        nothing = _median(lambda: sync(mine))
        plain_fetch = _median(lambda: _git(claire, "fetch", "-q", "origin"))

        ids = sorted(
            p.name[:-5]
            for p in (alain / "entries").glob("*.json")
            if json.loads(p.read_bytes())["body"].count("\n") >= 2
        )[:CHANGED]
        _edit(alain, ids, "alain-bench", first_line=True)
        _git(alain, "push", "-q", "origin", "HEAD")
        _edit(claire, ids, "claire-bench", first_line=False)
        # The baseline: git's own line merge of the same two commits, in a copy.
        baseline_copy = work / "baseline"
        shutil.copytree(claire, baseline_copy, symlinks=True)
        _git(baseline_copy, "fetch", "-q", "origin")
        started = time.perf_counter()
        # Adjacent JSON lines clash in git's line merge (DESIGN.md §4): -X ours settles them.
        _git(baseline_copy, "merge", "-q", "--no-edit", "-X", "ours", "origin/main")
        plain_merge = time.perf_counter() - started + plain_fetch

        mine.refresh()
        started = time.perf_counter()
        report = sync(mine)
        merge_seconds = time.perf_counter() - started
        if report.merged != len(ids) or report.conflicts:
            raise SystemExit(f"unexpected merge: {report}")
        mine.close()
    return {
        "nothing to do": (nothing, plain_fetch),
        "merge 1,000 documents": (merge_seconds, plain_merge),
    }


def main(argv: Sequence[str] | None = None) -> int:
    from bench.generate import Sizes, generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="carnet-sync-bench-") as folder:
        root = Path(folder) / "notebook"
        generate(root, Sizes.for_entries(args.entries))
        notebook = Notebook(root)
        figures = measure(notebook)
        notebook.close()
    print(f"notebook of {args.entries} entries; {CHANGED} entries changed on both sides")
    for name, (seconds, baseline) in figures.items():
        print(f"sync, {name:<24} {seconds * 1000:8.1f} ms   baseline (plain git) "
              f"{baseline * 1000:8.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
