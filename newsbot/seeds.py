"""The seed corpus: the articles the desk starts from, imported by ``newsbot init``.

A seed file is plain text: the first non-empty line is the title, the rest the body. Seeds are
undated background: their figures make later figures KNOWN but never CONFLICT.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsbot import models
from newsbot.feeds.dedup import content_hash, entry_fingerprint
from newsbot.figures.extract import extract_figures
from newsbot.pipeline import figure_row
from newsbot.types import Item


def read_seed(path: Path) -> Item:
    lines = path.read_text(encoding="utf-8").strip().splitlines()
    title = lines[0].strip() if lines else path.stem
    body = "\n".join(lines[1:]).strip()
    return Item(entry_id=path.name, title=title, text=body, language="de", source=None)


def read_seeds(folder: Path) -> list[Item]:
    return [read_seed(p) for p in sorted(folder.glob("*.txt"))]


def import_seeds(session: Session, seeds: list[Item], *, progress: bool = True) -> int:
    """Store the seeds not stored yet, with their figures; returns how many were added."""
    known = set(session.scalars(select(models.Item.entry_id).where(models.Item.feed_id.is_(None))))
    added = 0
    now = datetime.now(UTC)
    for n, seed in enumerate(seeds, 1):
        if progress:
            print(f"\rimporting seeds {n}/{len(seeds)}", end="", file=sys.stderr, flush=True)
        if seed.entry_id in known:
            continue
        row = models.Item(
            entry_id=seed.entry_id,
            title=seed.title,
            text=seed.text,
            content_hash=content_hash(seed.title, None),
            text_hash=entry_fingerprint(seed.title, seed.text),
            language=seed.language,
            relevant=True,
            relevance=1.0,
            announce=False,
            fetched_at=now,
        )
        for fig in extract_figures(f"{seed.title}\n{seed.text}", language=seed.language):
            row.figures.append(figure_row(fig, status=None, date=None))
        session.add(row)
        added += 1
    if progress and seeds:
        print(file=sys.stderr)
    return added
