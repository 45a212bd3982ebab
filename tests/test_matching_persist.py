"""Snapshots: a restart loads the index instead of re-tokenising every story."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsbot.matching import Matcher, MatcherError
from newsbot.matching.persist import load, save

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    ("NATO: North Korean troops deployed to Kursk region", "The Pentagon put it at 10,000."),
    ("Kirby: Mindestens 3.000 Nordkoreaner in Ostrussland", "Sagte Sprecher John Kirby."),
    ("Regionalliga: Zuschauerrekord in Jena", "Vor 12.000 Zuschauern gewann Jena."),
]


def seeded(**settings) -> Matcher:
    matcher = Matcher(**settings)
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        matcher.add(path.name, title, body)
    matcher.add("empty", "", "")  # a story with no words at all survives too
    return matcher


def test_a_loaded_snapshot_answers_exactly_like_the_original(tmp_path: Path) -> None:
    original = seeded()
    save(original, tmp_path / "matcher.npz")
    loaded = load(tmp_path / "matcher.npz")
    assert len(loaded) == len(original) == 6
    for query in QUERIES:
        assert loaded.match(*query) == original.match(*query)
    assert list(tmp_path.iterdir()) == [tmp_path / "matcher.npz"]  # no temporary left


def test_a_loaded_matcher_keeps_growing(tmp_path: Path) -> None:
    save(seeded(), tmp_path / "m.npz")
    loaded = load(tmp_path / "m.npz")
    loaded.add("new", *QUERIES[0])
    assert loaded.match(*QUERIES[0]).duplicate_of == "new"
    with pytest.raises(MatcherError, match="already"):
        loaded.add("000_a7290a46ad917403.txt", "x", "y")


def test_thresholds_are_settings_not_part_of_the_snapshot(tmp_path: Path) -> None:
    save(seeded(), tmp_path / "m.npz")
    strict = load(tmp_path / "m.npz", threshold=0.99)
    assert strict.threshold == 0.99
    assert not strict.match(*QUERIES[0]).relevant


def test_a_snapshot_from_other_aliases_is_refused_as_stale(tmp_path: Path) -> None:
    save(seeded(), tmp_path / "m.npz")
    with pytest.raises(MatcherError, match="other matching settings"):
        load(tmp_path / "m.npz", aliases={"North Korea": ["Phenjan"]})


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated", "inconsistent"])
def test_a_missing_or_damaged_snapshot_is_refused_not_crashed_on(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "m.npz"
    save(seeded(), path)
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b"\x00not a zip" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:500])
    else:
        with np.load(path) as data:
            arrays = dict(data)
        arrays["passage_story"] = arrays["passage_story"][:-1]
        np.savez(path, **arrays)
    with pytest.raises(MatcherError):
        load(path)


def test_restore_only_into_an_empty_matcher() -> None:
    matcher = seeded()
    with pytest.raises(MatcherError, match="empty"):
        matcher.restore(matcher.snapshot())
