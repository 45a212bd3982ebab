"""Benchmark the matcher on a synthetic corpus of stored stories against a plain rapidfuzz scan.

Usage: python benchmarks/bench_matching.py [--stories 100000] [--queries 200] [--seed 7]

Builds a corpus of generated stories (80% feed items of one to three sentences, 15% medium
articles, 5% long ones), German and English: sentences come from a word-bigram chain trained on
the seeds and the evaluation items, so they read like the topic without repeating its sentences,
with names and words swapped in from a large Zipf-distributed lexicon so the vocabulary grows
like real news. Then runs the same compare queries (edited copies of stored stories, fresh items
on the topic, off-topic items) through ``Matcher.match`` and through a plain rapidfuzz scan
(``process.cdist``, vectorised C++) over every stored passage with the same scoring function,
``score.match_scores``. Prints build time, p50/p95 latency of both, the speed-up, top-1
agreement where the scan's best score is >= 80, and peak RSS; progress goes to stderr.
Exits 1 if a bar is missed: p50 <= 20 ms, >= 50x faster than the scan, top-1 agreement
>= 95%, peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from newsbot.matching import persist, score  # noqa: E402
from newsbot.matching.evaluation import parse_items  # noqa: E402
from newsbot.matching.index import Matcher  # noqa: E402

_SYLLABLES = (
    "ka ri to na me shi ko ra an ber lin gu va el mo den sar pe tri ol kas nu bo zen dra mi"
    " jo han sel wa ter ost gra fen ul ki ja rek pol mar ta dor sun ge bri ch lo ve stad"
)
SYLLABLES = _SYLLABLES.split()


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


class Generator:
    """Stories built from real news sentences with names, numbers and words swapped."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        sentences: list[str] = []
        for path in sorted((ROOT / "seeds").glob("*.txt")):
            sentences += re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8"))
        off_topic: list[str] = []
        for name in ("matching_eval.jsonl", "matching_eval_holdout.jsonl"):
            text = (ROOT / "tests" / "data" / name).read_text(encoding="utf-8")
            for item in parse_items(text.splitlines()):
                parts = [item.title, *re.split(r"(?<=[.!?])\s+", item.text)]
                (sentences if item.relevant else off_topic).extend(parts)
        self.topic = _Chain([s for s in sentences if len(s.split()) >= 4])
        self.off_topic = _Chain([s for s in off_topic if len(s.split()) >= 4])
        # a Zipf-like lexicon: a few very common invented words, a long tail of rare ones
        self.lexicon = [self._word() for _ in range(120_000)]
        self.names = [self._word().capitalize() for _ in range(40_000)]
        weights = [1.0 / (rank + 10) for rank in range(len(self.lexicon))]
        self.cum_lex = list(_accumulate(weights))
        self.cum_names = list(_accumulate(weights[: len(self.names)]))

    def _word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4)))

    def _pick(self, pool: list[str], cum: list[float]) -> str:
        return self.rng.choices(pool, cum_weights=cum, k=1)[0]

    def sentence(self, off_topic: bool = False) -> str:
        base = (self.off_topic if off_topic else self.topic).sentence(self.rng)
        out = []
        for word in base:
            roll = self.rng.random()
            if word[:1].isdigit():
                out.append(f"{self.rng.randint(1, 60)}.{self.rng.randint(0, 999):03d}")
            elif word[:1].isupper() and roll < 0.3:
                out.append(self._pick(self.names, self.cum_names))
            elif roll < 0.15:
                out.append(self._pick(self.lexicon, self.cum_lex))
            else:
                out.append(word)
        return " ".join(out)

    def story(self, off_topic: bool = False) -> tuple[str, str]:
        kind = self.rng.random()
        n = (
            self.rng.randint(1, 3)
            if kind < 0.8
            else self.rng.randint(8, 15)
            if kind < 0.95
            else self.rng.randint(30, 60)
        )
        title = " ".join(self.sentence(off_topic).split()[:12]).rstrip(".")
        return title, " ".join(self.sentence(off_topic) for _ in range(n))

    def edited(self, title: str, text: str) -> tuple[str, str]:
        """A syndicated copy: new headline, a few words changed or dropped, maybe cut short."""
        words = text.split()
        kept = []
        for word in words:
            roll = self.rng.random()
            if roll < 0.04:
                continue
            kept.append(self._pick(self.lexicon, self.cum_lex) if roll < 0.08 else word)
        if len(kept) > 120 and self.rng.random() < 0.5:
            kept = kept[: self.rng.randint(60, 120)]
        new_title = title if self.rng.random() < 0.3 else self.story()[0]
        return new_title, " ".join(kept)


class _Chain:
    """A word-bigram chain: new sentences that read like the training ones, rarely equal."""

    END = "\x00"

    def __init__(self, sentences: list[str]) -> None:
        self.starts: list[str] = []
        self.next: dict[str, list[str]] = {}
        for sentence in sentences:
            words = sentence.split()
            self.starts.append(words[0])
            for a, b in zip(words, [*words[1:], self.END], strict=True):
                self.next.setdefault(a, []).append(b)

    def sentence(self, rng: random.Random, longest: int = 30) -> list[str]:
        word = rng.choice(self.starts)
        words = [word]
        while len(words) < longest:
            word = rng.choice(self.next.get(word, [self.END]))
            if word == self.END:
                break
            words.append(word)
        return words


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for v in values:
        total += v
        yield total


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--scan-queries", type=int, default=None, help="scan only the first N queries (quick runs)"
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    gen = Generator(rng)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    # Which stored stories the "copy" queries will be made from, chosen before generation so
    # only those texts are kept (the corpus itself lives only inside the matcher).
    n_copies = args.queries // 2
    copy_of = set(rng.sample(range(args.stories), n_copies))
    originals: dict[int, tuple[str, str]] = {}

    rss_before = current_rss_mb()
    matcher = Matcher()
    build_seconds = build_cpu = 0.0
    chars = 0
    for i in range(args.stories):
        title, text = gen.story()
        chars += len(title) + len(text)
        if i in copy_of:
            originals[i] = (title, text)
        start, cpu = time.perf_counter(), time.process_time()
        matcher.add(f"s{i}", title, text)
        build_seconds += time.perf_counter() - start
        build_cpu += time.process_time() - cpu
        if (i + 1) % 10_000 == 0:
            log(f"built {i + 1} stories, {build_seconds:.1f} s in add()")
    rss_built = current_rss_mb()

    queries: list[tuple[str, str, str]] = []  # (kind, title, text)
    for i in sorted(originals):
        queries.append(("copy", *gen.edited(*originals[i])))
    n_fresh = (args.queries - n_copies) * 6 // 10
    queries += [("fresh", *gen.story()) for _ in range(n_fresh)]
    queries += [("off", *gen.story(off_topic=True)) for _ in range(args.queries - len(queries))]

    log(f"running {len(queries)} queries through the matcher")
    ours: list[float] = []
    results = []
    cpu = time.process_time()
    for _, title, text in queries:
        start = time.perf_counter()
        results.append(matcher.match(title, text, limit=5))
        ours.append(time.perf_counter() - start)
    ours_cpu = (time.process_time() - cpu) / len(queries)

    log(f"running {len(queries)} queries as a plain rapidfuzz scan over all stories")
    pairs = matcher.profiles()  # every stored story, as the passages the matcher ranks by
    owners = [story_id for story_id, _ in pairs]
    profiles = [text for _, text in pairs]
    del pairs
    log(f"{len(profiles)} passages over {args.stories} stories")
    scan: list[float] = []
    agree = agree_tie = judged = 0
    scanned = queries[: args.scan_queries] if args.scan_queries else queries
    cpu = time.process_time()
    for n, ((_, title, text), result) in enumerate(zip(scanned, results, strict=False)):
        start = time.perf_counter()
        query = matcher.query_profile(title, text)
        scores = score.match_scores(query, profiles)
        top = int(np.argmax(scores))  # the first of equals: the oldest, as the matcher breaks ties
        scan.append(time.perf_counter() - start)
        if scores[top] >= 80:
            judged += 1
            best = result.best
            if best is not None and best.story_id == owners[top]:
                agree += 1
                agree_tie += 1
            elif best is not None and round(float(scores[top]), 2) <= best.score:
                agree_tie += 1  # a different story with the same (best) score
        if (n + 1) % 20 == 0:
            log(f"scanned {n + 1}")
    scan_cpu = (time.process_time() - cpu) / len(scanned)
    del profiles, owners

    peak = rss_mb()  # the bar: building and querying
    # a restart without re-tokenising: save the index once, time loading it back
    with tempfile.TemporaryDirectory() as tmp:
        snapshot = Path(tmp) / "matcher.npz"
        start = time.perf_counter()
        persist.save(matcher, snapshot)
        save_seconds = time.perf_counter() - start
        snapshot_mb = snapshot.stat().st_size / 2**20
        stories = len(matcher)
        del matcher  # a restart: only the loaded copy is in memory
        gc.collect()
        start = time.perf_counter()
        reloaded = persist.load(snapshot)
        load_seconds = time.perf_counter() - start
        reload_ok = len(reloaded) == stories
    log(f"snapshot saved in {save_seconds:.1f} s, loaded in {load_seconds:.1f} s")
    p50, p95 = percentile(ours, 0.5) * 1000, percentile(ours, 0.95) * 1000
    s50, s95 = percentile(scan, 0.5) * 1000, percentile(scan, 0.95) * 1000
    speedup = statistics.median(scan) / statistics.median(ours[: len(scan)])
    top1 = agree_tie / judged if judged else 1.0
    kinds = {k: sum(q[0] == k for q in queries) for k in ("copy", "fresh", "off")}
    relevant = sum(r.relevant for r in results)
    dups = sum(r.duplicate_of is not None for r in results[:n_copies])
    print(f"corpus: {args.stories} stories, {chars / args.stories:.0f} chars on average")
    print(
        f"index build: {build_seconds:.1f} s in add() ({args.stories / build_seconds:.0f}/s), "
        f"{build_cpu:.1f} s CPU"
    )
    print(
        f"snapshot: {snapshot_mb:.0f} MB, saved in {save_seconds:.1f} s, loaded in "
        f"{load_seconds:.1f} s ({'same' if reload_ok else 'DIFFERENT'} story count)"
    )
    print(
        f"memory: {rss_built - rss_before:.0f} MB for the matcher, peak RSS {peak:.0f} MB "
        f"(building and querying; {rss_mb():.0f} MB after the snapshot round trip)"
    )
    print(f"queries: {len(queries)} {kinds}; relevant {relevant}; copies found as dup {dups}")
    print(f"matcher: p50 {p50:.2f} ms, p95 {p95:.2f} ms, mean CPU {ours_cpu * 1000:.2f} ms")
    print(
        f"scan:    p50 {s50:.1f} ms, p95 {s95:.1f} ms, mean CPU {scan_cpu * 1000:.1f} ms "
        f"({len(scan)} queries)"
    )
    print(
        f"speed-up (median scan / median matcher, same queries): {speedup:.0f}x; "
        f"by mean CPU {scan_cpu / ours_cpu:.0f}x"
    )
    print(
        f"top-1 agreement where scan's best >= 80: {top1:.3f} ({agree_tie}/{judged}; "
        f"same story id {agree}/{judged}, the rest tie on the best score)"
    )
    bars = {
        "p50 <= 20 ms": p50 <= 20,
        ">= 50x faster than the scan": speedup >= 50,
        "top-1 agreement >= 0.95": top1 >= 0.95,
        "peak RSS <= 300 MB": peak <= 300,
    }
    for name, ok in bars.items():
        print(f"{'PASS' if ok else 'FAIL'}: {name}")
    return 0 if all(bars.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
