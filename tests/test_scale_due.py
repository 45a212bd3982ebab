"""Next fetch times: a publisher's RSS <ttl> and Cache-Control max-age lengthen the wait, on
the cheap 304 path as on the full one, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from newsbot import models
from newsbot.app import Newsbot, now_utc
from newsbot.config import load_config
from newsbot.feeds.fetch import Fetcher, make_client
from newsbot.poll import poll_feed
from newsbot.scale.due import cache_max_age, publisher_interval
from newsbot.scale.feedfarm import FeedFarm, start_in_thread

from .conftest import write_config


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("max-age=7200", timedelta(hours=2)),
        ("public, max-age=600, must-revalidate", timedelta(minutes=10)),
        ('max-age="300"', timedelta(minutes=5)),
        ("MAX-AGE=60", timedelta(minutes=1)),
        ("no-cache, max-age=600", None),  # revalidate every time
        ("no-store", None),
        ("max-age=0", None),
        ("max-age=-5", None),
        ("max-age=soon", None),  # malformed: ignored, not an error
        ("max-age=99999999999", None),  # absurd: ignored
        ("s-maxage=600", None),  # for shared caches, not for us
        ("", None),
    ],
)
def test_cache_max_age(header: str, expected: timedelta | None) -> None:
    assert cache_max_age({"cache-control": header} if header else {}) == expected


def test_publisher_interval_is_the_longer_of_ttl_and_max_age() -> None:
    hour = timedelta(hours=1)
    assert publisher_interval(hour, {"cache-control": "max-age=7200"}) == 2 * hour
    assert publisher_interval(2 * hour, {"cache-control": "max-age=60"}) == 2 * hour
    assert publisher_interval(None, {}) is None


@pytest.mark.parametrize("max_age", [None, 7200])
async def test_max_age_lengthens_the_wait_after_200_and_304(
    db_url: str, tmp_path: Path, max_age: int | None
) -> None:
    path = write_config(
        tmp_path / "c.toml",
        f'feeds = []\n[database]\nurl = "{db_url}"\n[polling]\nallow_private = true\n'
        "interval_minutes = 15\n",
    )
    bot = Newsbot(load_config(path, env={}))
    bot.store.migrate()
    farm = start_in_thread(FeedFarm(1, max_age=max_age))
    farm.call(farm.farm.bump, [0])
    with bot.store.session() as session:
        session.add(models.Feed(name="farm", url=farm.url(0), polled_once=True))
    wait = timedelta(hours=2) if max_age else timedelta(minutes=15)
    try:
        async with make_client() as client:
            fetcher = Fetcher(client)
            for expected_status in ("ok", "not_modified"):
                start = now_utc()
                result = await poll_feed(bot, fetcher, 1)
                assert result.status == expected_status
                with bot.store.session() as session:
                    due = session.get(models.Feed, 1).next_fetch_at
                assert start + wait <= due <= now_utc() + wait * 1.1  # 10% jitter at most
    finally:
        farm.stop()
        bot.close()
