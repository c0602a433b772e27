"""Measure Carnet against the performance targets of DESIGN.md §8, each beside a baseline.

Run from the project folder: ``python -m bench.run [--dir FOLDER]``. The synthetic notebooks
are generated into FOLDER the first time (about a minute at 10,000 entries) and reused after;
the actions the benchmark takes are undone at the end (``git reset`` of that notebook only).
Not part of the test suite: timings on shared machines vary, so every figure is the median of
several runs, with the CPU time beside the wall time where the process is ours.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import importlib
import inspect
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.generate import Sizes, generate
from store import cache
from store.model import KINDS
from store.notebook import Notebook
from store.repo import run_git
from store.storage import DocumentStorage

PROJECT = Path(__file__).resolve().parent.parent
QUERIES = (
    "développement",
    "developpement",
    "évaluation des projets",
    "PARENTALITÉ",
    "québécoises",
    "outils concrets de concertation",
    "introuvable zzz",
)


@dataclass
class Figure:
    """One measured figure, its baseline from the same run, and its target."""

    name: str
    value: float | None  # None: not measured (see ``note``)
    unit: str
    target: float | None = None
    baseline: str = ""
    baseline_value: float | None = None
    note: str = ""
    # The target is a multiple of the baseline rather than an absolute value.
    target_is_ratio: bool = False

    @property
    def verdict(self) -> str:
        if self.value is None or self.target is None:
            return ""
        if self.target_is_ratio:
            if not self.baseline_value:
                return ""
            return "ok" if self.value <= self.target * self.baseline_value else "MISSED"
        return "ok" if self.value <= self.target else "MISSED"


@dataclass
class Timing:
    """Several runs of one measurement, in seconds."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else float("nan")

    def describe(self, scale: float = 1.0, unit: str = "s") -> str:
        text = f"median of {len(self.wall)}, best {self.best * scale:.{_digits(unit)}f} {unit}"
        if self.cpu:
            text += f", CPU {self.cpu_median * scale:.{_digits(unit)}f} {unit}"
        return text


def _digits(unit: str) -> int:
    return 2 if unit == "s" else 1


def timed(
    action: Callable[[], object], runs: int, before: Callable[[], object] | None = None
) -> Timing:
    """Run ``action`` ``runs`` times (``before`` each time, untimed); wall and CPU seconds."""
    timing = Timing()
    for _ in range(runs):
        if before is not None:
            before()
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        timing.cpu.append(time.process_time() - cpu)
        timing.wall.append(time.perf_counter() - wall)
    return timing


def timed_process(command: Sequence[str], runs: int, cwd: Path = PROJECT) -> Timing:
    """The wall time of a whole process, ``runs`` times (after one untimed warm-up run)."""
    subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    timing = Timing()
    for _ in range(runs):
        before = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, check=False)
        timing.wall.append(time.perf_counter() - started)
        timing.cpu.append(_children_cpu() - before)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return timing


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# --- machine facts ----------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """What the figures ran on."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    git = run_git(Path.cwd(), "--version").strip()
    return {
        "cpus (nproc)": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "memory": memory,
        "system": platform.platform(),
        "python": sys.version.split()[0] + " " + platform.python_implementation(),
        "git": git,
        "load average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


# --- the notebooks ----------------------------------------------------------------------------


def notebook_at(folder: Path, entries: int) -> Path:
    """The synthetic notebook of that size in ``folder``, generated if missing."""
    root = folder / f"notebook-{entries}"
    if not (root / ".git").is_dir():
        print(f"generating {root} ...", flush=True)
        done = generate(root, Sizes.for_entries(entries))
        print(
            f"  {done.entries} entries, {done.comments} comments, {done.reviews} reviews, "
            f"{done.participants} participants: {done.files} files, {done.bytes / 1e6:.1f} MB; "
            f"written in {done.seconds_writing:.1f} s, committed in "
            f"{done.seconds_committing:.1f} s",
            flush=True,
        )
    return root


def one_file_baseline(root: Path, folder: Path) -> Path:
    """Every document of the notebook in one JSON file: the baseline of opening it."""
    path = folder / f"{root.name}-all-documents.json"
    if not path.exists():
        storage = DocumentStorage(root, use_cache=False)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(storage.read(), handle, ensure_ascii=False)
    return path


def _load_one_file(path: Path) -> object:
    with open(path, "rb") as handle:
        return json.load(handle)


# --- the figures --------------------------------------------------------------------------------


def open_figures(root: Path, folder: Path, runs: int) -> list[Figure]:
    baseline_path = one_file_baseline(root, folder)
    documents = sum(len(t) for t in DocumentStorage(root, use_cache=False).read().values())
    baseline = timed(lambda: _load_one_file(baseline_path), runs)
    size = baseline_path.stat().st_size / 1e6
    base_text = f"json.load of one {size:.0f} MB file: {baseline.median:.2f} s"
    cache_file = cache.cache_path(root)
    assert cache_file is not None

    def forget_cache() -> None:
        cache.remove(cache_file)

    storage_cold = timed(lambda: DocumentStorage(root, use_cache=False), runs)
    loads: list[float] = []

    def open_notebook() -> None:
        notebook = Notebook(root)
        loads.append(notebook._storage.last_load.seconds)
        notebook.close()

    cold = timed(open_notebook, runs, before=forget_cache)
    cold_loads, loads[:] = list(loads), []
    warm = timed(open_notebook, runs)
    warm_loads = list(loads)
    storage_warm = timed(lambda: DocumentStorage(root), runs)
    check = DocumentStorage(root)
    assert check.last_load.from_cache and check.last_load.read == 0, check.last_load
    cache_size = cache_file.stat().st_size / 1e6
    return [
        Figure(
            f"open, cold, no cache: Notebook() ({documents} documents)",
            cold.median, "s", 1.5, base_text, baseline.median,
            note=f"{cold.describe()}; of which loading the documents and writing the cache "
            f"{statistics.median(cold_loads):.2f} s",
        ),
        Figure(
            "  storage alone, cold, cache not written",
            storage_cold.median, "s", 1.5, base_text, baseline.median,
            note=storage_cold.describe(),
        ),
        Figure(
            "open, with the cache: Notebook()",
            warm.median, "s", 2.0, base_text, baseline.median, target_is_ratio=True,
            note=f"{warm.describe()}; of which the documents {statistics.median(warm_loads):.2f} s,"
            f" the rest building the notebook's index; cache {cache_size:.0f} MB",
        ),
        Figure(
            "  storage alone, with the cache",
            storage_warm.median, "s", 2.0, base_text, baseline.median, target_is_ratio=True,
            note=storage_warm.describe(),
        ),
    ]  # fmt: skip


def search_figures(notebook: Notebook, runs: int) -> list[Figure]:
    gc.collect()
    started = time.perf_counter()
    notebook.search(QUERIES[0])
    first = time.perf_counter() - started
    # Baseline: a plain case-folded substring scan of the same text (which misses accents).
    texts: dict[str, str] = {}
    for entry in notebook.entries():
        parts = [entry.title, entry.body, *entry.tags]
        parts += [c.body for c in notebook.comments(entry.id)]
        texts[entry.id] = "\n".join(parts).casefold()

    def plain(query: str) -> list[str]:
        words = query.casefold().split()
        return [i for i, text in texts.items() if all(w in text for w in words)]

    figures = [
        Figure(
            "search, first query (builds the index)", first * 1000, "ms",
            note="a one-time cost, paid at the first search after opening",
        )
    ]  # fmt: skip
    for query in QUERIES:
        found = len(notebook.search(query))
        timing = timed(lambda q=query: notebook.search(q), runs)  # type: ignore[misc]
        plain_found = len(plain(query))
        base = timed(lambda q=query: plain(q), runs)  # type: ignore[misc]
        figures.append(
            Figure(
                f"search “{query}”: {found} entries", timing.median * 1000, "ms", 30,
                f"casefolded substring scan: {base.median * 1000:.1f} ms, {plain_found} entries",
                base.median * 1000, note=timing.describe(1000, "ms"),
            )
        )  # fmt: skip
    return figures


def action_figures(notebook: Notebook, runs: int) -> list[Figure]:
    """Mark read, comment and edit, each with its commit, timed; the git part apart."""
    git_seconds: list[float] = []
    commit = notebook.repo.commit

    def timed_commit(*args: object, **kwargs: object) -> str | None:
        started = time.perf_counter()
        try:
            return commit(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            git_seconds.append(time.perf_counter() - started)

    notebook.repo.commit = timed_commit  # type: ignore[method-assign]
    entries = [e for e in notebook.entries() if notebook.is_unread(e.id)][: runs * 3]
    picks = iter(entries)
    figures = []
    actions: list[tuple[str, Callable[[], object]]] = [
        ("mark read", lambda: notebook.mark_read(next(picks).id)),
        ("comment", lambda: notebook.add_comment(next(picks).id, "Très juste : à creuser.")),
        ("edit (title)", lambda: notebook.edit_entry(next(picks).id, title="Titre révisé, été")),
    ]
    try:
        for name, action in actions:
            git_seconds.clear()
            timing = timed(action, runs)
            git = statistics.median(git_seconds)
            figures.append(
                Figure(
                    f"action: {name}, with its commit", timing.median * 1000, "ms", 50,
                    f"its git commands alone: {git * 1000:.0f} ms", git * 1000,
                    note=timing.describe(1000, "ms"),
                )
            )  # fmt: skip
    finally:
        notebook.repo.commit = commit  # type: ignore[method-assign]
    return figures


def cli_figures(root: Path, runs: int) -> list[Figure]:
    python = sys.executable
    cli = [python, "-m", "tui.cli", "-C", str(root)]
    if not (PROJECT / "tui" / "cli.py").is_file():
        return [Figure("command line", None, "ms", note="tui/cli.py does not exist yet")]
    python_pass = timed_process([python, "-c", "pass"], runs)
    git_version = timed_process(["git", "--version"], runs)
    base = (
        f"python -c pass: {python_pass.median * 1000:.0f} ms, "
        f"git --version: {git_version.median * 1000:.0f} ms"
    )
    figures = []
    commands = [
        ("carnet add", ["add", "--kind", KINDS[0], "--title", "Visite du centre social",
                        "--body", "Un accueil chaleureux, des échanges très riches."], 150),
        ("carnet list", ["list"], 200),
        ("carnet list --search", ["list", "--search", "développement"], 200),
    ]  # fmt: skip
    for name, args, target in commands:
        timing = timed_process([*cli, *args], runs)
        figures.append(
            Figure(
                f"{name} (1,000 entries, whole process)", timing.median * 1000, "ms", target,
                base, python_pass.median * 1000, note=timing.describe(1000, "ms"),
            )
        )  # fmt: skip
    figures.append(import_figure(cli))
    return figures


def import_figure(cli: list[str]) -> Figure:
    """What ``carnet list`` imports, the heaviest first; Textual and GitPython must be absent."""
    done = subprocess.run(
        [cli[0], "-X", "importtime", *cli[1:], "list"], cwd=PROJECT, capture_output=True, text=True
    )
    rows: list[tuple[int, str]] = []
    total = 0
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[12:].split("|")
        if len(name) - len(name.lstrip()) == 1:  # a top-level import, not a nested one
            rows.append((int(cumulative), name.strip()))
            total += int(cumulative)
    rows.sort(reverse=True)
    names = {name for _us, name in rows} | {
        line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line
    }
    heavy = ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in rows[:6])
    banned = sorted(n for n in names if n.split(".")[0] in ("textual", "git"))
    return Figure(
        "imports of carnet list", total / 1000, "ms",
        note=f"heaviest: {heavy}; textual or GitPython imported: {', '.join(banned) or 'no'}",
    )  # fmt: skip


# The peak is read from VmHWM: ru_maxrss survives exec, and a child spawned by a large
# process would report the parent's size.
MEMORY_SCRIPT = """
import resource, sys, tracemalloc
from pathlib import Path
if sys.argv[2] == "trace":
    tracemalloc.start()
from store.notebook import Notebook, EntryFilter
notebook = Notebook(Path(sys.argv[1]))
notebook.search("développement")
notebook.entries(EntryFilter(unread=True))
notebook.unread_count()
peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0
try:
    status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
    rss = int(status) * 1024
except (OSError, IndexError):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(rss, peak)
"""


def memory_figures(root: Path) -> list[Figure]:
    """Peak memory of a fresh process that opens the notebook, searches and lists unread."""
    figures = []
    cache_file = cache.cache_path(root)
    assert cache_file is not None
    for label, forget in (("with the cache", False), ("cold, writing the cache", True)):
        if forget:
            cache.remove(cache_file)
        done = subprocess.run(
            [sys.executable, "-c", MEMORY_SCRIPT, str(root), "rss"],
            cwd=PROJECT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        rss = int(done.stdout.split()[0]) / 1e6
        figures.append(Figure(f"peak memory (VmHWM), open {label} + search", rss, "MB", 300))
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(root), "trace"],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures.append(
        Figure(
            "peak Python allocations (tracemalloc), same",
            int(done.stdout.split()[1]) / 1e6,
            "MB",
            note="allocations only: no interpreter, no fragmentation",
        )
    )
    return figures


# --- hooks for the figures measured by other parts ----------------------------------------------


# Targets of the figures other parts measure, by the name their ``measure`` gives them (s).
HOOK_TARGETS = {
    "start to first frame": 1.0,
    # The wall time of a step includes the pilot waiting for the screen to be idle (over 40 ms
    # for a bare Textual app): it is printed beside that baseline, without the target.
    "cursor step, CPU": 0.016,
    "key held, CPU a step": 0.016,
    "nothing to do": 0.5,
    "merge 1,000 documents": 3.0,
}


def hooked_figures(module: str, what: str, root: Path) -> list[Figure]:
    """Figures from ``bench/<module>.py``, whose ``measure(notebook)`` (a coroutine or not)
    returns ``{name: (seconds, baseline seconds)}``.

    The TUI figures (start to first frame ≤ 1 s, a cursor step ≤ 16 ms) and the sync figures
    (nothing to do ≤ 0.5 s, merging 1,000 documents ≤ 3 s) belong to those parts: they plug
    in here without this file changing.
    """
    try:
        hook = importlib.import_module(f"bench.{module}")
    except ModuleNotFoundError as exc:
        if exc.name != f"bench.{module}":
            raise
        return [Figure(what, None, "", note=f"not measured yet: write bench/{module}.py")]
    notebook = Notebook(root)
    try:
        result = hook.measure(notebook)
        if inspect.isawaitable(result):
            result = asyncio.run(result)  # type: ignore[arg-type]
    finally:
        notebook.close()
    return [
        Figure(
            f"{what.split(':')[0]}: {name}", value * 1000, "ms",
            HOOK_TARGETS[name] * 1000 if name in HOOK_TARGETS else None,
            f"baseline ({module}): {baseline * 1000:.1f} ms", baseline * 1000,
        )
        for name, (value, baseline) in result.items()
    ]  # fmt: skip


# --- report ---------------------------------------------------------------------------------------


def show(figures: Sequence[Figure]) -> None:
    for figure in figures:
        if figure.value is None:
            print(f"{figure.name:<56} {'—':>10}            {figure.note}")
            continue
        target = ""
        if figure.target is not None:
            target = f"≤ {figure.target:g}{'×' if figure.target_is_ratio else ' ' + figure.unit}"
        print(f"{figure.name:<56} {figure.value:>8.2f} {figure.unit:<3} {target:>10} "
              f"{figure.verdict:<6}  {figure.baseline}")  # fmt: skip
        if figure.note:
            print(f"{'':<58}{figure.note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(tempfile.gettempdir()) / "carnet-bench"
    parser.add_argument("--dir", type=Path, default=default, help=f"default: {default}")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--cli-entries", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("open", "search", "actions", "cli", "memory", "hooks"),
                        action="append", help="measure only these (repeatable)")  # fmt: skip
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    wanted = set(args.only or ("open", "search", "actions", "cli", "memory", "hooks"))
    args.dir.mkdir(parents=True, exist_ok=True)

    facts = machine()
    for key, value in facts.items():
        print(f"{key:<14} {value}")
    print()
    big = notebook_at(args.dir, args.entries)
    small = notebook_at(args.dir, args.cli_entries) if "cli" in wanted else None
    heads = {root: run_git(root, "rev-parse", "HEAD").strip() for root in (big, small) if root}
    figures: list[Figure] = []
    try:
        if "open" in wanted:
            figures += open_figures(big, args.dir, max(3, args.runs // 2))
            show(figures[-4:])
        if wanted & {"search", "actions"}:
            notebook = Notebook(big)
            if "search" in wanted:
                part = search_figures(notebook, args.runs)
                show(part)
                figures += part
            if "actions" in wanted:
                part = action_figures(notebook, args.runs)
                show(part)
                figures += part
            notebook.close()
            del notebook
        if small is not None:
            part = cli_figures(small, args.runs)
            show(part)
            figures += part
        if "memory" in wanted:
            part = memory_figures(big)
            show(part)
            figures += part
        if "hooks" in wanted:
            part = hooked_figures("tui_bench", "TUI: start to first frame, cursor step", big)
            part += hooked_figures("sync_bench", "sync: nothing to do, merge 1,000 documents", big)
            show(part)
            figures += part
    finally:
        for root, head in heads.items():  # undo the benchmark's own actions
            run_git(root, "reset", "-q", "--hard", head)
    facts["load average at the end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nload average at the end: {facts['load average at the end']}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": facts, "figures": [asdict(f) for f in figures]}, indent=2,
                       ensure_ascii=False) + "\n", encoding="utf-8",
        )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
