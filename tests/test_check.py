"""`newsbot check --json` end to end: contract, statuses, idempotency — on both databases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.config import demo_feeds_dir

from .conftest import DATA

SAMPLE = DATA / "samples" / "sample-wire.xml"
EXPECTED = json.loads((DATA / "samples" / "sample-wire.expected.json").read_text())
ROW_KEYS = {
    "entry_id",
    "title",
    "link",
    "published",
    "relevant",
    "relevance",
    "best_match",
    "duplicate_of",
    "figures",
}
FIGURE_KEYS = {
    "value",
    "low",
    "high",
    "unit",
    "subject",
    "claimant",
    "quote",
    "status",
    "conflicts_with",
}


def newsbot(db_url: str, *args: str) -> tuple[list[dict], str]:
    runner = CliRunner()
    result = runner.invoke(
        cli, list(args), env={"NEWSBOT_DATABASE_URL": db_url}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output + result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    return rows, result.stderr


@pytest.fixture
def initialised(db_url: str) -> str:
    newsbot(db_url, "init")
    return db_url


def by_slug(rows: list[dict]) -> dict[str, dict]:
    return {row["link"].rsplit("/", 1)[-1]: row for row in rows}


def test_sample_feed_meets_the_contract(initialised: str) -> None:
    rows, _ = newsbot(initialised, "check", str(SAMPLE), "--json")
    assert [r["link"].rsplit("/", 1)[-1] for r in rows] == ["s1", "s2", "s3", "s4", "s5"]
    for row in rows:
        assert row.keys() >= ROW_KEYS
        for fig in row["figures"]:
            assert fig.keys() >= FIGURE_KEYS
            assert fig["status"] in {"new", "known", "update", "conflict"}
    rows_by = by_slug(rows)
    for slug, expected in EXPECTED["entries"].items():
        row = rows_by[slug]
        assert row["relevant"] is expected["relevant"], slug
        values = {f["value"]: f["status"] for f in row["figures"]}
        for fig in expected.get("figures", []):
            assert values.get(fig["value"]) == fig["status"], (slug, row["figures"])
        for noise in expected.get("noise", []):
            assert noise not in values, (slug, noise)
    assert rows_by["s5"]["best_match"]["story_id"].endswith(".txt")  # an English item finds
    # a German seed story


def test_second_check_reports_nothing_new(initialised: str) -> None:
    first, _ = newsbot(initialised, "check", str(SAMPLE), "--json")
    second, stderr = newsbot(initialised, "check", str(SAMPLE), "--json")
    assert all(r["new"] for r in first)
    assert [r["entry_id"] for r in second] == [r["entry_id"] for r in first]
    assert not any(r["new"] for r in second)
    assert "0 new" in stderr and "nothing new" in stderr
    # what the store remembers is what was reported the first time
    assert [r["figures"] for r in second] == [r["figures"] for r in first]


def demo_rows(db_url: str) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for name in ("agentur_de.xml", "regional_de.xml", "world_en.xml"):
        out, _ = newsbot(db_url, "check", str(demo_feeds_dir() / name), "--json")
        rows.update({r["entry_id"]: r for r in out})
    return rows


def test_demo_feeds_get_the_expected_statuses(initialised: str) -> None:
    rows = demo_rows(initialised)
    relevant = {eid for eid, r in rows.items() if r["relevant"]}
    assert relevant == {
        "demo-de-1001",
        "demo-de-1002",
        "demo-de-1004",
        "demo-en-2001",
        "demo-en-2003",
        "regional-77",
        "regional-81",
    }
    statuses = {eid: {f["value"]: f["status"] for f in r["figures"]} for eid, r in rows.items()}
    assert statuses["demo-de-1001"] == {10000: "known"}  # Pentagon, as in the seeds
    assert statuses["demo-de-1002"] == {3000: "known"}  # knapp 3.000 at the front
    assert statuses["demo-de-1004"] == {15000: "conflict"}  # vs Pentagon 10,000 a week before
    conflict = rows["demo-de-1004"]["figures"][0]["conflicts_with"]
    assert {c["item"] for c in conflict} >= {"demo-de-1001"}
    assert statuses["demo-en-2003"] == {8000: "conflict"}  # Blinken 8,000 vs 10,000 / 15,000
    assert rows["regional-77"]["duplicate_of"] == "demo-de-1001"  # syndicated copy


def test_check_of_a_missing_file_is_a_clear_error(initialised: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["check", str(tmp_path / "nope.xml")], env={"NEWSBOT_DATABASE_URL": initialised}
    )
    assert result.exit_code == 1
    assert "no such feed file" in result.stderr
    assert "Traceback" not in result.output


def test_check_before_init_says_so(db_url: str) -> None:
    result = CliRunner().invoke(cli, ["check", str(SAMPLE)], env={"NEWSBOT_DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert "newsbot init" in result.stderr


def test_check_of_garbage_records_the_problem(initialised: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<html><body>not a feed \xff\xfe</body></html>")
    rows, stderr = newsbot(initialised, "check", str(bad), "--json")
    assert rows == []
    assert "feed problem" in stderr


def test_a_huge_repetitive_entry_is_stored_and_counted_once(
    initialised: str, tmp_path: Path
) -> None:
    sentence = "Nordkorea schickt 10.000 Soldaten nach Russland, sagte das Pentagon. "
    body = sentence * 20000 + "1" * 300_000  # ~1.7 MB of text in one entry
    feed = tmp_path / "huge.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>x</title><item>"
        "<guid isPermaLink='false'>big</guid><title>Nordkoreanische Soldaten in Russland"
        f"</title><description>{body}</description></item></channel></rss>"
    )
    (row,) = newsbot(initialised, "check", str(feed), "--json")[0]
    assert row["relevant"]
    assert [(f["value"], f["claimant"]) for f in row["figures"]] == [(10000, "Pentagon")]
