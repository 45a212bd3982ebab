"""`newsbot compare TEXT|URL|ITEM_ID`: best matches with scores and figures side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbot.cli import cli
from newsbot.digest import figure_text
from newsbot.types import Figure

from .test_check import newsbot


@pytest.fixture
def initialised(db_url: str) -> str:
    newsbot(db_url, "init")
    return db_url


def compare(db_url: str, *args: str, config: Path | None = None) -> str:
    opts = ["--config", str(config)] if config else []
    result = CliRunner().invoke(
        cli, [*opts, "compare", *args], env={"NEWSBOT_DATABASE_URL": db_url}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_is_matched_and_its_figure_set_against_the_record(initialised: str) -> None:
    out = compare(
        initialised, "Das Pentagon spricht von etwa 10.000 nordkoreanischen Soldaten in Russland."
    )
    lines = out.splitlines()
    assert "on the story" in lines[1]
    assert "002_1bf99e9070e36d9d.txt" in out  # the seed with the Pentagon's 10,000
    figure_line = next(line for line in lines if "10,000" in line and "KNOWN" in line)
    assert "Pentagon" in figure_line
    assert any("≈" in line and "Pentagon" in line and "undated" in line for line in lines)


def test_a_stored_item_is_not_compared_with_itself(initialised: str) -> None:
    out = compare(initialised, "003_1b8548fd83fa8b64.txt")
    assert "stored item 003_1b8548fd83fa8b64.txt" in out
    matches = [line for line in out.splitlines() if line.startswith("  ") and "[" in line]
    assert matches and not any("[003_1b8548fd83fa8b64.txt]" in m for m in matches)


def test_off_topic_text_says_so(initialised: str) -> None:
    out = compare(initialised, "Vor 12.000 Zuschauern gewann Jena das Regionalliga-Derby.")
    assert "off the story" in out.splitlines()[1]


async def test_a_url_is_fetched_and_compared(initialised: str, tmp_path: Path) -> None:
    from tests.feedserver import FeedServer

    page = (
        "<html><head><title>Kirby: 3.000 Soldaten</title></head><body><p>Nordkorea hat "
        "mindestens 3.000 Soldaten nach Russland verlegt, sagte John Kirby.</p></body></html>"
    )
    config = tmp_path / "c.toml"
    config.write_text("feeds = []\n[polling]\nallow_private = true\n")
    async with FeedServer() as server:
        server.reply("/article", page.encode(), Content_Type="text/html; charset=utf-8")
        import asyncio

        out = await asyncio.to_thread(compare, initialised, server.url("/article"), config=config)
    assert out.splitlines()[0] == "Kirby: 3.000 Soldaten"
    assert "mindestens 3,000" in out and "KNOWN" in out


def test_count_words_show_their_interval() -> None:
    fig = Figure(
        value=2000,
        low=2000,
        high=9999,
        unit="Soldaten",
        subject="s",
        claimant=None,
        quote="Tausende Soldaten",
        qualifier="Tausende",
    )
    assert figure_text(fig) == "Tausende (2,000–9,999) Soldaten"
