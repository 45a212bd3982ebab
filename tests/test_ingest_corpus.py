"""Robustness gate for the whole ingest path: every feedparser corpus file is polled
(read, parsed, de-duplicated, matched, figures taken, stored) on SQLite and PostgreSQL.
No file may raise; each ends as stored entries or as an error recorded on its feed."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter

import pytest
from sqlalchemy import func, select

from newsbot import models
from newsbot.app import Newsbot
from newsbot.config import Config
from newsbot.figures.extract import extract_figures
from newsbot.poll import open_fetcher, poll_feed

from .test_feeds_corpus import CORPUS, corpus_files


@pytest.mark.slow
def test_every_corpus_file_goes_through_the_whole_path(config: Config) -> None:
    bot = Newsbot(config)
    bot.init(progress=False)
    files = corpus_files()
    with bot.store.session() as session:
        session.query(models.Feed).delete()  # only corpus feeds in this store
        feeds = [
            models.Feed(name=str(p.relative_to(CORPUS)), url=p.resolve().as_uri(), backfill=0)
            for p in files
        ]
        session.add_all(feeds)
        session.flush()
        ids = [f.id for f in feeds]

    async def poll_all() -> Counter[str]:
        outcomes: Counter[str] = Counter()
        async with open_fetcher(bot.config) as fetcher:
            for n, feed_id in enumerate(ids, 1):
                result = await poll_feed(bot, fetcher, feed_id)  # must not raise
                outcomes[result.status] += 1
                for report in result.reports:  # figures on every entry, relevant or not
                    extract_figures(
                        f"{report.item.title}\n{report.item.text}", language=report.item.language
                    )
                if n % 250 == 0:
                    print(f"corpus: {n}/{len(ids)} files", file=sys.stderr)
        return outcomes

    outcomes = asyncio.run(poll_all())
    with bot.store.session() as session:
        stored = session.scalar(
            select(func.count(models.Item.id)).where(models.Item.feed_id.is_not(None))
        )
        rows = session.execute(
            select(
                models.Feed.id,
                models.Feed.parse_problem,
                models.Feed.last_error,
                models.Feed.polled_once,
            )
        ).all()
        with_items = set(session.scalars(select(models.Item.feed_id).distinct()))
    unaccounted = [
        fid
        for fid, problem, error, polled in rows
        if fid not in with_items and not (problem or error) and not polled
    ]
    errors = sum(1 for _, problem, error, _ in rows if problem or error)
    print(
        f"corpus through the whole path: {len(files)} files, {stored} entries stored, "
        f"{errors} feeds with a recorded problem, outcomes {dict(outcomes)}"
    )
    assert sum(outcomes.values()) == len(files)
    assert stored > 1000
    assert unaccounted == []  # every file: entries, a recorded error, or an empty feed polled ok
    bot.close()
