"""The ``newsbot`` command line. Each command is a few lines over ``Newsbot`` methods.

Results go to stdout (JSON lines with ``--json``); logs and progress go to stderr. Known
failures (bad config, unreachable database, bad feed) end with one line and exit code 1.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click

from newsbot.app import FeedCommandError, FeedCommands, Newsbot
from newsbot.config import Config, ConfigError, load_config
from newsbot.feeds.parse import parse_feed
from newsbot.store import StoreError

log = logging.getLogger("newsbot")


def fail_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Known errors become one line on stderr and exit 1, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ConfigError, StoreError, FeedCommandError) as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def open_bot(ctx: click.Context) -> Newsbot:
    """The Newsbot of this invocation, closed when the command ends."""
    config: Config = ctx.obj["config"]
    bot = Newsbot(config)
    ctx.call_on_close(bot.close)
    return bot


@click.group()
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML config file (default: ./config.toml if present, else built-in).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debug details to stderr.")
@click.pass_context
@fail_cleanly
def cli(ctx: click.Context, config_path: Path | None, verbose: bool) -> None:
    """newsbot: watch news feeds on one story and flag new or conflicting figures."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "apscheduler", "discord", "alembic"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if verbose else logging.WARNING)
    ctx.obj = {"config": load_config(config_path)}


@cli.command()
@click.pass_context
@fail_cleanly
def init(ctx: click.Context) -> None:
    """Create or upgrade the database and import the seed articles."""
    bot = open_bot(ctx)
    report = bot.init()
    click.echo(f"database {bot.store.safe_url} at revision {report.revision}")
    click.echo(
        f"seeds: {report.seeds_added} imported, "
        f"{report.seeds_total - report.seeds_added} already there"
    )
    counts = bot.counts()
    click.echo(
        f"store: {counts['items']} items, {counts['figures']} figures, "
        f"{counts['feeds']} feeds ({report.feeds_added} added from config)"
    )


def read_source(bot: Newsbot, source: str) -> tuple[str, bytes, dict[str, str]]:
    """The feed at a URL or path, as (url, bytes, headers)."""
    if urlsplit(source).scheme in ("http", "https"):
        from newsbot.poll import fetch, open_fetcher

        async def get() -> Any:
            async with open_fetcher(bot.config) as fetcher:
                return await fetch(bot, fetcher, source)

        result = asyncio.run(get())
        if result.status != "ok":
            raise click.ClickException(f"cannot fetch {source}: {result.error or result.status}")
        return result.url, result.content, result.headers
    path = Path(source)
    if not path.is_file():
        raise click.ClickException(f"no such feed file: {source}")
    return path.resolve().as_uri(), path.read_bytes(), {}


@cli.command()
@click.argument("feed")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per entry on stdout.")
@click.pass_context
@fail_cleanly
def check(ctx: click.Context, feed: str, as_json: bool) -> None:
    """One pass over FEED (a file path or URL): match, figures, statuses. No Discord."""
    from newsbot.report import entry_row

    bot = open_bot(ctx)
    bot.store.check()
    url, content, headers = read_source(bot, feed)
    parsed = parse_feed(content, url=url, headers=headers)
    if parsed.error:
        click.echo(f"feed problem: {parsed.error}", err=True)
    feed_id = bot.feed_for_check(url, parsed.title)
    reports = bot.ingest(parsed.items, feed_id=feed_id, announce=[False] * len(parsed.items))
    for report in reports:
        if as_json:
            click.echo(json.dumps(entry_row(report), ensure_ascii=False))
        else:
            click.echo(describe(report))
    new = sum(r.new for r in reports)
    click.echo(
        f"{len(reports)} entries: {new} new, {len(reports) - new} seen before"
        + (" (nothing new since the last check)" if reports and not new else ""),
        err=True,
    )


def describe(report: Any) -> str:
    """Human-readable lines for one EntryReport."""
    from newsbot.digest import finding_text

    res = report.result
    mark = "NEW " if report.new else ("UPD " if report.updated else "seen")
    head = f"[{mark}] {report.item.title}"
    if not res.relevant:
        return f"{head}\n       off topic (relevance {res.relevance:.2f})"
    lines = [
        head,
        f"       relevance {res.relevance:.2f}"
        + (f", best match {res.best.story_id} ({res.best.score:.0f})" if res.best else "")
        + (f", copy of {report.duplicate_of}" if report.duplicate_of else ""),
    ]
    lines += [f"       {finding_text(f)}" for f in report.findings]
    return "\n".join(lines)


@cli.command()
@click.pass_context
@fail_cleanly
def digest(ctx: click.Context) -> None:
    """Write pending findings as a digest and deliver it (stdout in console mode)."""
    from newsbot.runner import print_pending
    from newsbot.scheduler import make_digest

    bot = open_bot(ctx)
    bot.store.check()
    if make_digest(bot) is None:
        click.echo("nothing new for a digest", err=True)
    if bot.config.console_mode:
        print_pending(bot)
    else:
        click.echo("digest queued; the running bot posts it", err=True)


@cli.command()
@click.pass_context
@fail_cleanly
def run(ctx: click.Context) -> None:
    """Run the bot: poll feeds on schedule and post digests (console mode without a token)."""
    from newsbot.runner import run_bot

    bot = open_bot(ctx)
    bot.store.check()
    asyncio.run(run_bot(bot))


@cli.command()
@click.pass_context
@fail_cleanly
def demo(ctx: click.Context) -> None:
    """Run the whole path offline on the bundled demo feeds and a temporary SQLite store."""
    from newsbot.runner import run_demo

    with tempfile.TemporaryDirectory(prefix="newsbot-demo-") as tmp:
        run_demo(ctx.obj["config"], Path(tmp))


@cli.group()
def feeds() -> None:
    """List and change the watched feeds."""


@feeds.command("list")
@click.pass_context
@fail_cleanly
def feeds_list(ctx: click.Context) -> None:
    """Each feed with its state, last fetch, last new item and errors."""
    bot = open_bot(ctx.find_root())
    for f in FeedCommands(bot).list():
        when = f.last_fetch_at.isoformat(timespec="minutes") if f.last_fetch_at else "never"
        new = f.last_new_item_at.isoformat(timespec="minutes") if f.last_new_item_at else "-"
        click.echo(
            f"{f.id:>3} {f.state:<8} {f.name} <{f.url}> fetched {when}, "
            f"new item {new}, errors {f.error_count}"
            + (f" — {f.paused_reason or f.last_error}" if f.paused_reason or f.last_error else "")
        )


@feeds.command("add")
@click.argument("url")
@click.argument("name", required=False)
@click.pass_context
@fail_cleanly
def feeds_add(ctx: click.Context, url: str, name: str | None) -> None:
    """Watch the feed at URL."""
    f = FeedCommands(open_bot(ctx.find_root())).add(url, name)
    click.echo(f"watching feed {f.id}: {f.name} <{f.url}>")


def _feed_action(verb: str, method: str) -> None:
    @feeds.command(verb)
    @click.argument("feed")
    @click.pass_context
    @fail_cleanly
    def action(ctx: click.Context, feed: str) -> None:
        f = getattr(FeedCommands(open_bot(ctx.find_root())), method)(feed)
        click.echo(f"feed {f.id} ({f.name}) {f.state}")

    action.__doc__ = f"{verb.capitalize()} FEED (number, URL or name)."


for _verb in ("remove", "pause", "resume"):
    _feed_action(_verb, _verb)


def main() -> None:
    cli(prog_name="newsbot")


@cli.command("compare")
@click.argument("query", nargs=-1, required=True)
@click.pass_context
@fail_cleanly
def compare_cmd(ctx: click.Context, query: tuple[str, ...]) -> None:
    """Compare TEXT, a URL or a stored ITEM_ID with the corpus: best matches and figures."""
    from urllib.parse import urlsplit

    from newsbot.compare import compare, fetch_page, render_text, stored_query, text_query
    from newsbot.poll import open_fetcher

    bot = open_bot(ctx)
    bot.store.check()
    ref = " ".join(query).strip()
    found = stored_query(bot, ref)
    if found is None and urlsplit(ref).scheme in ("http", "https") and " " not in ref:

        async def get() -> Any:
            async with open_fetcher(bot.config) as fetcher:
                return await fetch_page(bot, fetcher, ref)

        found = asyncio.run(get())
    found = found or text_query(ref)
    click.echo(render_text(found, compare(bot, found)))


@cli.command("figures")
@click.argument("subject", required=False)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the timeline chart as a PNG file.",
)
@click.pass_context
@fail_cleanly
def figures_cmd(ctx: click.Context, subject: str | None, chart: Path | None) -> None:
    """The figures on record for SUBJECT (default: the one with most figures), by date."""
    from newsbot.bot.chart import timeline_png
    from newsbot.bot.cogs.figures import load_points
    from newsbot.bot.timeline import summary, table_lines

    bot = open_bot(ctx)
    bot.store.check()
    found, points, others = load_points(bot.store, subject)
    if found is None:
        matching = f" matching {subject!r}" if subject else ""
        raise click.ClickException(f"no figures on record{matching}")
    click.echo(f"{found}: {summary(points)}")
    for line in table_lines(points):  # Discord markdown → plain text
        click.echo(re.sub(r"\\(.)", r"\1", line.replace("**", "").replace("`", "")))
    if others:
        click.echo("other subjects: " + ", ".join(others[:10]))
    if chart is not None:
        chart.write_bytes(timeline_png(points, found))
        click.echo(f"chart written to {chart}", err=True)


@cli.command()
@click.option("--concurrency", type=int, help="Feeds polled at once (scale.worker_concurrency).")
@click.option("--name", help="Name of this worker in logs and in the database sessions.")
@click.pass_context
@fail_cleanly
def worker(ctx: click.Context, concurrency: int | None, name: str | None) -> None:
    """Poll feeds from the PostgreSQL job queue (scaled mode) until Ctrl-C / SIGTERM."""
    from newsbot.scale.worker import quiet_per_job_logs, run_worker

    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        quiet_per_job_logs()
    asyncio.run(run_worker(ctx.obj["config"], concurrency=concurrency, name=name))


@cli.command()
@click.pass_context
@fail_cleanly
def queue(ctx: click.Context) -> None:
    """Show the job queue of scaled mode: jobs by state, workers, overdue feeds."""
    from newsbot.scale.status import queue_status

    bot = open_bot(ctx)
    for line in queue_status(bot).lines(bot.config["scale.stalled_after_seconds"]):
        click.echo(line)
