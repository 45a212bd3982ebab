"""Score the matcher on the labelled evaluation set: relevance precision/recall, duplicates.

Usage: python benchmarks/eval_matching.py [--verbose] [--set main|holdout]

"main" is the set the matcher was tuned on; "holdout" was written afterwards and not tuned on.
Prints the figures on stdout (and every wrong call with --verbose); exits 1 if a bar is missed.
Bars: precision >= 0.95, recall >= 0.95, duplicate detection accuracy >= 0.95.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.matching.evaluation import evaluate, parse_items, seeded_matcher  # noqa: E402

EVAL_SETS = {
    "main": ROOT / "tests" / "data" / "matching_eval.jsonl",
    "holdout": ROOT / "tests" / "data" / "matching_eval_holdout.jsonl",
}
BAR = 0.95


def score_set(name: str, verbose: bool) -> bool:
    items = parse_items(EVAL_SETS[name].read_text(encoding="utf-8").splitlines())
    report = evaluate(seeded_matcher(ROOT / "seeds"), items)
    relevant = sum(i.relevant for i in items)
    duplicates = sum(i.duplicate_of is not None for i in items)
    print(f"== {name}: {EVAL_SETS[name].name}")
    print(f"items: {len(items)} ({relevant} relevant, {duplicates} duplicates)")
    print(f"relevance: tp={report.tp} fp={report.fp} fn={report.fn} tn={report.tn}")
    print(f"precision: {report.precision:.3f}  (bar {BAR})")
    print(f"recall:    {report.recall:.3f}  (bar {BAR})")
    print(
        f"duplicate detection accuracy: {report.duplicate_accuracy:.3f} "
        f"({report.duplicates_right}/{report.duplicates_total}, bar {BAR})"
    )
    if report.same_event_total:
        print(
            f"same event, best match (mostly across languages): {report.same_event_accuracy:.3f} "
            f"({report.same_event_right}/{report.same_event_total})"
        )
    if verbose:
        for line in report.mistakes:
            print("  wrong:", line)
    passed = min(report.precision, report.recall, report.duplicate_accuracy) >= BAR
    print("PASS" if passed else "FAIL")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", "-v", action="store_true", help="list every wrong call")
    parser.add_argument("--set", choices=sorted(EVAL_SETS), help="score only this set")
    args = parser.parse_args()
    names = [args.set] if args.set else list(EVAL_SETS)
    results = [score_set(name, args.verbose) for name in names]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
