"""The labelled evaluation set, scored exactly as benchmarks/eval_figures.py scores it."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "eval_figures", ROOT / "benchmarks" / "eval_figures.py"
)
assert _spec and _spec.loader
eval_figures = importlib.util.module_from_spec(_spec)
sys.modules["eval_figures"] = eval_figures  # dataclasses look their module up
_spec.loader.exec_module(eval_figures)

EVAL_FILES = sorted((ROOT / "tests" / "data").glob("figures_eval*.jsonl"))


def test_eval_set_is_big_and_bilingual() -> None:
    items = [json.loads(x) for f in EVAL_FILES for x in f.read_text(encoding="utf-8").splitlines()]
    langs = {i["lang"] for i in items}
    assert len(items) >= 80 and langs == {"de", "en"}
    assert sum(len(i["noise"]) for i in items) >= 50
    for item in items:
        assert item["text"].strip()
        for want in item["figures"]:
            low, high = want["low"], want["high"]
            assert low is None or high is None or low <= want["value"] <= high or low <= high


def test_recall_precision_and_noise_bars() -> None:
    for path in EVAL_FILES:
        scores = eval_figures.evaluate(path)
        s = scores["all"]
        print(
            f"\n{path.name}: recall {s.recall:.3f} precision {s.precision:.3f} "
            f"noise taken {s.noise_rate:.1%}"
        )
        assert s.recall >= 0.95, s.misses
        assert s.noise_rate <= 0.02, s.false_positives
        assert s.precision >= 0.90, s.false_positives


def test_scoring_counts_a_wrong_claimant_as_a_miss() -> None:
    item = {
        "id": "t1",
        "lang": "en",
        "text": "North Korea has sent about 10,000 troops to Russia, the Pentagon said.",
        "source": None,
        "figures": [
            {"value": 10000, "low": 9000, "high": 11000, "unit": "troops", "claimant": "Kremlin"}
        ],
        "noise": [],
    }
    s = eval_figures.score_item(item)
    assert (s.found, s.produced, s.correct) == (0, 1, 0)
