"""Acceptance: the public sample wire feed yields the expected figures, statuses and no noise."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from newsbot.figures.classify import classify
from newsbot.figures.extract import extract_figures
from newsbot.types import RecordedFigure

DATA = Path(__file__).resolve().parent / "data"
ROOT = DATA.parent.parent


def _entries(joiner: str) -> list[dict]:
    root = ET.parse(DATA / "samples" / "sample-wire.xml").getroot()
    out = []
    for item in root.iter("item"):
        guid = item.findtext("guid") or ""
        out.append(
            {
                "key": guid.rsplit("/", 1)[-1],
                "guid": guid,
                "text": f"{item.findtext('title')}{joiner}{item.findtext('description')}",
                "date": parsedate_to_datetime(item.findtext("pubDate") or ""),
            }
        )
    return sorted(out, key=lambda e: e["date"])


def _seed_record() -> list[RecordedFigure]:
    record = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for fig in extract_figures(path.read_text(encoding="utf-8"), language="de"):
            record.append(RecordedFigure(fig, path.name, None))
    return record


@pytest.mark.parametrize("joiner", ["\n", " ", ". "], ids=["newline", "space", "period"])
def test_sample_feed_figures_statuses_and_noise(joiner: str) -> None:
    """However the pipeline joins title and description, the figures and statuses hold."""
    expected = json.loads((DATA / "samples" / "sample-wire.expected.json").read_text())["entries"]
    record = _seed_record()
    seen = set()
    for entry in _entries(joiner):
        want = expected[entry["key"]]
        figs = extract_figures(entry["text"], source="Sample wire")
        values = [f.value for f in figs]
        for noise in want.get("noise", []):
            assert noise not in values, (entry["key"], figs)
        if want["relevant"]:
            assert sorted(values) == sorted(w["value"] for w in want["figures"]), (
                entry["key"],
                figs,
            )
            for w in want["figures"]:
                fig = next(f for f in figs if f.value == w["value"])
                finding = classify(fig, record, date=entry["date"])
                assert finding.status.value == w["status"], (entry["key"], finding)
                assert finding.related, "a known figure names what it agrees with"
        record.extend(RecordedFigure(f, entry["guid"], entry["date"]) for f in figs)
        seen.add(entry["key"])
    assert seen == set(expected)
