"""The labelled evaluation set meets the bars: relevance precision and recall, duplicates."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsbot.matching.evaluation import LabelledItem, evaluate, parse_items, seeded_matcher

ROOT = Path(__file__).resolve().parent.parent
BAR = 0.95


def load(name: str) -> list[LabelledItem]:
    return parse_items((ROOT / "tests" / "data" / name).read_text(encoding="utf-8").splitlines())


def test_evaluation_set_is_big_and_mixed_enough_to_mean_something() -> None:
    items = load("matching_eval.jsonl")
    assert len(items) >= 80
    assert len({i.item_id for i in items}) == len(items)
    kinds = {(i.lang, i.relevant) for i in items}
    assert kinds == {("de", True), ("de", False), ("en", True), ("en", False)}
    assert sum(i.kind == "hardneg" for i in items) >= 20
    assert sum(i.duplicate_of is not None for i in items) >= 10
    ids = {i.item_id for i in items}
    for item in items:  # a duplicate points back to a seed or an earlier relevant item
        assert (
            item.duplicate_of is None
            or item.duplicate_of in ids
            or item.duplicate_of.endswith(".txt")
        )


@pytest.mark.parametrize("name", ["matching_eval.jsonl", "matching_eval_holdout.jsonl"])
def test_relevance_and_duplicate_bars(name: str) -> None:
    report = evaluate(seeded_matcher(ROOT / "seeds"), load(name))
    detail = "\n".join(report.mistakes)
    assert report.precision >= BAR, detail
    assert report.recall >= BAR, detail
    assert report.duplicate_accuracy >= BAR, detail


def test_malformed_evaluation_line_names_the_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_items(['{"id": "a", "title": "t", "text": "x", "relevant": true}', "{not json"])


def test_eval_script_prints_the_figures_and_passes() -> None:
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "eval_matching.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    for figure in ("precision:", "recall:", "duplicate detection accuracy:", "same event"):
        assert figure in run.stdout
    assert run.stdout.count("PASS") == 2


def test_benchmark_script_runs_end_to_end_on_a_small_corpus() -> None:
    # the bars are for 100,000 stories; here only that every figure is measured and printed
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench_matching.py"),
            "--stories",
            "300",
            "--queries",
            "8",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    for figure in ("index build:", "snapshot:", "peak RSS", "matcher: p50", "scan:", "top-1"):
        assert figure in run.stdout, run.stdout
    assert "built" in run.stderr or "running" in run.stderr  # progress goes to stderr
