"""`newsbot figures [SUBJECT] --chart FILE`: the timeline as a table and a PNG."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsbot.cli import cli

from .test_check import demo_rows, newsbot


def test_timeline_table_and_chart_after_the_demo_feeds(db_url: str, tmp_path: Path) -> None:
    newsbot(db_url, "init")
    demo_rows(db_url)
    chart = tmp_path / "troops.png"
    result = CliRunner().invoke(
        cli,
        ["figures", "troops in russia", "--chart", str(chart)],
        env={"NEWSBOT_DATABASE_URL": db_url},
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("north korean troops in russia:")
    assert any("2024-10-30" in line and "15,000" in line and "CONFLICT" in line for line in lines)
    assert any("undated" in line and "seed" in line for line in lines)
    assert "**" not in result.stdout and "`" not in result.stdout  # plain text, no markdown
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_subject_is_a_clear_answer(db_url: str) -> None:
    newsbot(db_url, "init")
    result = CliRunner().invoke(cli, ["figures", "whales"], env={"NEWSBOT_DATABASE_URL": db_url})
    assert result.exit_code == 1 and "no figures on record matching 'whales'" in result.stderr
