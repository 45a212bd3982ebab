"""Robustness gate: every feedparser test document through parse_feed + dedup_keys."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsbot.feeds.dedup import dedup_keys
from newsbot.feeds.parse import parse_feed

CORPUS = Path(__file__).parent / "data" / "feedparser-corpus"


def corpus_files() -> list[Path]:
    return sorted(
        p for p in CORPUS.rglob("*") if p.is_file() and p.name not in {"LICENSE", "README.md"}
    )


def test_every_corpus_file_parses_to_items_an_error_or_an_empty_feed():
    files = corpus_files()
    assert len(files) == 2248  # the README's count: nothing silently missing
    outcomes: Counter[str] = Counter()
    for path in files:
        feed = parse_feed(
            path.read_bytes(), url=f"http://127.0.0.1:8097/{path.relative_to(CORPUS)}"
        )
        keys = [dedup_keys(item) for item in feed.items]
        for item, key in zip(feed.items, keys, strict=True):
            assert item.entry_id, path
            assert key.hash and (key.guid or key.link or item.entry_id == key.hash), path
            assert item.published is None or item.published.utcoffset() is not None, path
        if feed.items:
            outcomes["items"] += 1
        elif feed.error:
            outcomes["error"] += 1
        else:
            # no entries and no problem: must be a recognised feed that simply has no entries
            assert feed.version, path
            outcomes["empty feed"] += 1
    assert sum(outcomes.values()) == len(files)
    assert outcomes["items"] > 1000 and outcomes["error"] > 0


def test_hostile_sanitize_files_leave_no_markup_or_script_in_text():
    for path in sorted((CORPUS / "wellformed" / "sanitize").glob("*.xml")):
        for item in parse_feed(path.read_bytes()).items:
            lowered = item.text.lower()
            assert "<script" not in lowered and "javascript:" not in lowered, path
