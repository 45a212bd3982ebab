"""Scoring the matcher against a labelled set of items, as the pipeline would meet them.

Items are matched in order; an item judged relevant and not a duplicate is added to the
corpus, the way the pipeline stores it, so later copies can be recognised as duplicates of it.
Shared by ``benchmarks/eval_matching.py`` and the test that enforces the bars.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsbot.matching.index import Matcher


@dataclass(frozen=True, slots=True)
class LabelledItem:
    """One evaluation item with what a desk editor says about it."""

    item_id: str
    title: str
    text: str
    relevant: bool
    duplicate_of: str | None
    kind: str = ""  # on / dup / hardneg / offtopic: for the error listing only
    lang: str = ""
    same_event_as: tuple[str, ...] = ()  # earlier stories (often in the other language) on it


@dataclass(slots=True)
class EvalReport:
    """Counts and rates; ``mistakes`` lists every wrong call in words."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    duplicates_right: int = 0
    duplicates_total: int = 0  # items whose duplicate_of (a story id or None) was judged
    same_event_right: int = 0  # best match is the labelled story on the same event
    same_event_total: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def duplicate_accuracy(self) -> float:
        return self.duplicates_right / self.duplicates_total if self.duplicates_total else 1.0

    @property
    def same_event_accuracy(self) -> float:
        return self.same_event_right / self.same_event_total if self.same_event_total else 1.0


def seeded_matcher(seeds_dir: Path) -> Matcher:
    """A matcher holding the seed articles of ``seeds_dir``, as ``newsbot init`` reads them."""
    from newsbot.seeds import read_seeds

    matcher = Matcher()
    for seed in read_seeds(seeds_dir):
        matcher.add(seed.entry_id, seed.title, seed.text)
    return matcher


def parse_items(lines: Iterable[str]) -> list[LabelledItem]:
    """Items from JSON lines (id, title, text, relevant, duplicate_of; optional kind, lang,
    same_event_as)."""
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            items.append(
                LabelledItem(
                    row["id"],
                    row["title"],
                    row["text"],
                    bool(row["relevant"]),
                    row.get("duplicate_of"),
                    row.get("kind", ""),
                    row.get("lang", ""),
                    tuple(row.get("same_event_as") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"evaluation line {number}: {exc}") from exc
    return items


def evaluate(matcher: Matcher, items: Sequence[LabelledItem]) -> EvalReport:
    """Match every item in order, growing ``matcher`` as the pipeline would; tally the calls."""
    report = EvalReport()
    for item in items:
        result = matcher.match(item.title, item.text)
        if result.relevant and item.relevant:
            report.tp += 1
        elif result.relevant:
            report.fp += 1
        elif item.relevant:
            report.fn += 1
        else:
            report.tn += 1
        if result.relevant != item.relevant:
            report.mistakes.append(
                f"{item.item_id} [{item.kind} {item.lang}] relevance {result.relevance:.3f} "
                f"judged {'relevant' if result.relevant else 'not relevant'}: {item.title}"
            )
        report.duplicates_total += 1
        if result.duplicate_of == item.duplicate_of:
            report.duplicates_right += 1
        else:
            report.mistakes.append(
                f"{item.item_id} [{item.kind} {item.lang}] duplicate_of {result.duplicate_of} "
                f"expected {item.duplicate_of}: {item.title}"
            )
        if item.same_event_as:
            report.same_event_total += 1
            best = result.best.story_id if result.best else None
            if best in item.same_event_as:
                report.same_event_right += 1
            else:
                report.mistakes.append(
                    f"{item.item_id} [{item.kind} {item.lang}] best match {best} "
                    f"expected one of {item.same_event_as}: {item.title}"
                )
        if result.relevant and result.duplicate_of is None:
            matcher.add(item.item_id, item.title, item.text)
    return report
