"""Per-entry cost of newsbot's parse_feed + dedup_keys against feedparser.parse alone.

Both run on the same documents in the same process, interleaved round by round; each side's
best round counts (least disturbed by other work on the machine). Target: ratio ≤ 2.

    python benchmarks/bench_ingest.py [--rounds N]

Progress goes to stderr; the result table to stdout.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsbot.feeds.dedup import dedup_keys  # noqa: E402
from newsbot.feeds.parse import parse_feed  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "feedparser-corpus"
BASE = "http://127.0.0.1:8097/"


def corpus_documents() -> list[tuple[str, bytes]]:
    """Every corpus file that yields at least one entry (per-entry cost needs entries)."""
    docs = []
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.name not in {"LICENSE", "README.md"}:
            data = path.read_bytes()
            if feedparser.parse(io.BytesIO(data)).entries:
                docs.append((BASE + str(path.relative_to(CORPUS)), data))
    return docs


def synthetic_feed(entries: int = 200) -> bytes:
    """A news-shaped RSS 2.0 document: HTML descriptions, tracking links, dates."""
    items = []
    for n in range(entries):
        items.append(
            f"<item><title>Meldung {n}: Nordkorea schickt {n * 100} Soldaten</title>"
            f"<link>https://news.example/a/{n}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid isPermaLink='false'>urn:news:{n}</guid>"
            f"<pubDate>Mon, {1 + n % 28:02d} Oct 2024 {n % 24:02d}:00:00 +0200</pubDate>"
            "<description><![CDATA[<p>Nach Angaben des Geheimdienstes sind <b>mindestens "
            f"{n * 100}</b> Soldaten in Russland.</p><p>Weitere Details folgen. "
            "<a href='https://news.example/'>Mehr</a></p><script>track()</script>]]>"
            "</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def baseline(docs: list[tuple[str, bytes]]) -> int:
    entries = 0
    for url, data in docs:
        entries += len(
            feedparser.parse(io.BytesIO(data), response_headers={"content-location": url}).entries
        )
    return entries


def ours(docs: list[tuple[str, bytes]]) -> int:
    entries = 0
    for url, data in docs:
        feed = parse_feed(data, url=url)
        for item in feed.items:
            dedup_keys(item)
        entries += len(feed.items)
    return entries


def best_of(rounds: int, runs: dict[str, Callable[[], int]], label: str) -> dict[str, float]:
    best = {name: float("inf") for name in runs}
    for r in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - started)
        print(f"  {label}: round {r + 1}/{rounds}", file=sys.stderr)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    print("loading corpus…", file=sys.stderr)
    corpus = corpus_documents()
    synthetic = [("https://news.example/feed.xml", synthetic_feed())]
    print(f"{'set':<10} {'docs':>5} {'entries':>7} {'feedparser µs/entry':>20} "
          f"{'newsbot µs/entry':>17} {'ratio':>6}")  # fmt: skip
    worst = 0.0
    for label, docs in (("corpus", corpus), ("synthetic", synthetic)):
        entries = baseline(docs)
        assert ours(docs) == entries, "both sides must see the same entries"
        best = best_of(args.rounds, {"feedparser": lambda d=docs: baseline(d),
                                      "newsbot": lambda d=docs: ours(d)}, label)  # fmt: skip
        base_us = best["feedparser"] / entries * 1e6
        ours_us = best["newsbot"] / entries * 1e6
        ratio = best["newsbot"] / best["feedparser"]
        worst = max(worst, ratio)
        print(
            f"{label:<10} {len(docs):>5} {entries:>7} {base_us:>20.1f} "
            f"{ours_us:>17.1f} {ratio:>6.2f}"
        )
    print(f"worst ratio {worst:.2f} (target ≤ 2.00): {'OK' if worst <= 2 else 'OVER'}")


if __name__ == "__main__":
    main()
