"""The benchmark runs by its path and prints, with --json, nothing but its figures on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def test_run_by_path_prints_only_the_canonical_figures_as_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--entries", "60", "--runs", "1", "--json",
         "--only", "open", "--only", "search", "--only", "actions", "--dir", str(tmp_path)],
        cwd=PROJECT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)  # the whole of stdout: the tables went to stderr
    assert [f["figure"] for f in figures] == ["open (warm)", "open (cold)", "search", "action"]
    for figure in figures:
        assert set(figure) == {
            "figure", "value", "unit", "baseline", "target", "ratio", "ratio_target", "holds"
        }  # fmt: skip
        assert figure["value"] > 0 and figure["baseline"] > 0
        within_ratio = figure["ratio_target"] is None or figure["ratio"] <= figure["ratio_target"]
        assert figure["holds"] is (figure["value"] <= figure["target"] and within_ratio)
    warm, cold, search, action = figures
    assert warm["unit"] == cold["unit"] == "s" and search["unit"] == action["unit"] == "ms"
    # 1.5 times its floor (marshal.loads of the cache), each rounded to the millisecond.
    assert abs(warm["target"] - 1.5 * warm["baseline"]) <= 0.0021
    assert (cold["target"], search["target"], action["target"]) == (1.5, 30.0, 50.0)
    assert "open, with the cache: Notebook()" in done.stderr  # the detailed table
    # The benchmark's own actions were undone: the notebook is as generated.
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=tmp_path / "notebook-60", capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert status.stdout == ""
    log = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=tmp_path / "notebook-60", capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert log.stdout.strip() == "1"


def test_the_command_line_figures_are_measured_on_a_notebook_never_opened(tmp_path: Path) -> None:
    """Their floors read the load cache: the benchmark writes it first (it once failed on a
    notebook just generated, which had none)."""
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--entries", "40", "--runs", "1", "--json",
         "--only", "cli", "--dir", str(tmp_path)],
        cwd=PROJECT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    figures = {f["figure"]: f for f in json.loads(done.stdout)}
    assert list(figures) == ["cli add", "cli list", "cli search", "cli search / git grep"]
    assert all(f["value"] > 0 and f["baseline"] > 0 for f in figures.values())
    assert [f["ratio_target"] for f in figures.values()] == [1.3, 1.3, 1.3, 2.0]
