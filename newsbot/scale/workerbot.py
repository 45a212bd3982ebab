"""A ``Newsbot`` for worker processes: its matcher keeps up with what other workers store.

Each process holds its own in-memory matcher (the corpus index). In one process the pipeline
grows it as items arrive; with several workers, stories stored by the others would be missing
from it, so near-duplicates across workers would go unnoticed. Before each ingest a worker
therefore reads the relevant stories stored since it last looked (one indexed query, only on
polls that brought entries; the 304 path never gets here) and adds them.

What stays inconsistent, by design: two workers ingesting in the same instant do not see each
other's uncommitted stories, so a wire story arriving in two feeds at once may be stored as two
originals instead of one with two sources. Identical entries of one feed cannot be stored
twice: that is the unique constraint on (feed, entry), not the matcher.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from newsbot import models
from newsbot.app import Newsbot
from newsbot.config import Config
from newsbot.matching.index import Matcher
from newsbot.pipeline import EntryReport
from newsbot.store import Store
from newsbot.types import Item

# Rows become visible at commit, not in id order: an id handed out before a later one can
# commit after it. Stories are therefore re-read from the high-water mark of SETTLE seconds ago;
# those already in the matcher are skipped.
SETTLE_SECONDS = 60.0


class WorkerBot(Newsbot):
    def __init__(self, config: Config, store: Store | None = None) -> None:
        super().__init__(config, store)
        self._marks: deque[tuple[float, int]] = deque()  # (monotonic time, highest item id seen)

    def _max_item_id(self) -> int:
        with self.store.session() as session:
            return session.scalar(select(func.max(models.Item.id))) or 0

    @property
    def matcher(self) -> Matcher:
        with self._lock:
            if self._matcher is None:
                mark = self._max_item_id()  # read before building: newer ones come via catch_up
                self._marks = deque([(time.monotonic() - SETTLE_SECONDS, mark)])
            return Newsbot.matcher.fget(self)  # type: ignore[attr-defined]

    def catch_up(self) -> int:
        """Add the relevant stories other processes stored since the last look; returns how
        many were new to this matcher."""
        with self._lock:
            matcher = self.matcher
            now = time.monotonic()
            while len(self._marks) > 1 and self._marks[1][0] <= now - SETTLE_SECONDS:
                self._marks.popleft()
            since = self._marks[0][1]
            with self.store.session() as session:
                rows = session.execute(
                    select(
                        models.Item.id, models.Item.entry_id, models.Item.title, models.Item.text
                    )
                    .where(
                        models.Item.id > since,
                        models.Item.relevant.is_(True),
                        models.Item.duplicate_of_id.is_(None),
                    )
                    .order_by(models.Item.id)
                ).all()
            added = 0
            for _id, entry_id, title, text in rows:
                if entry_id not in matcher:
                    matcher.add(entry_id, title, text)
                    added += 1
            high = max([since, self._marks[-1][1], *(r[0] for r in rows)])
            self._marks.append((now, high))
            return added

    def ingest(
        self,
        items: Sequence[Item],
        *,
        feed_id: int | None,
        announce: Sequence[bool] | None = None,
        now: datetime | None = None,
    ) -> list[EntryReport]:
        with self._lock:
            self.catch_up()
            return super().ingest(items, feed_id=feed_id, announce=announce, now=now)
