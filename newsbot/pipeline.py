"""One pass of items through dedup → match → figures → classify → store.

The same function serves ``newsbot check``, the bot's polls, the workers and the demo. The
judging is done by the pure core (``matching``, ``figures``); this module only looks things
up in the store and writes the outcome, inside the caller's transaction.

Decisions written down here (DESIGN.md is silent on them):
- Figures are judged and recorded only for relevant items: numbers in off-topic items (a
  football crowd) are not figures of the story, so they are neither shown nor kept.
- A syndicated copy (``duplicate_of``) is stored, linked to the first item, and not announced:
  the digest shows the story once with its extra sources.
- An entry seen before whose title or text changed is updated in place and reported as an
  update, never as a new story.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from newsbot import models
from newsbot.feeds.dedup import canonical_link, content_hash, entry_fingerprint
from newsbot.figures.classify import classify
from newsbot.figures.extract import extract_figures
from newsbot.matching.index import Matcher
from newsbot.types import Figure, Finding, Item, Match, MatchResult, RecordedFigure, Status


@dataclass(frozen=True)
class EntryReport:
    """What one pass found out about one feed entry."""

    item: Item
    new: bool  # first time this entry was seen
    updated: bool  # seen before, title or text changed since
    result: MatchResult  # relevance and matches (story ids are entry ids)
    duplicate_of: str | None  # entry_id of the earlier item this one copies
    findings: tuple[Finding, ...] = ()


@dataclass
class FigureRecord:
    """Figures on record by subject, loaded lazily and grown as the pass stores more."""

    session: Session
    _by_subject: dict[str, list[RecordedFigure]] = field(default_factory=dict)
    ids: dict[RecordedFigure, int] = field(default_factory=dict)  # figures.id of each

    def get(self, subject: str) -> list[RecordedFigure]:
        if subject not in self._by_subject:
            rows = self.session.execute(
                select(models.FigureRow, models.Item.entry_id)
                .join(models.Item, models.FigureRow.item_id == models.Item.id)
                .where(
                    models.FigureRow.subject == subject,
                    models.Item.duplicate_of_id.is_(None),  # a copy's figures count once
                )
                .order_by(models.FigureRow.id)
            ).all()
            figures = self._by_subject[subject] = []
            for row, entry_id in rows:
                figure = recorded(row, entry_id)
                figures.append(figure)
                self.ids[figure] = row.id
        return self._by_subject[subject]

    def add(self, figure: RecordedFigure, row_id: int) -> None:
        self.get(figure.figure.subject).append(figure)
        self.ids[figure] = row_id


def recorded(row: models.FigureRow, entry_id: str) -> RecordedFigure:
    return RecordedFigure(figure=figure_of(row), item_id=entry_id, date=row.as_of)


def figure_of(row: models.FigureRow) -> Figure:
    return Figure(
        value=row.value,
        low=row.low,
        high=row.high,
        unit=row.unit,
        subject=row.subject,
        claimant=row.claimant,
        quote=row.quote,
        qualifier=row.qualifier,
    )


# Text beyond this many characters is stored but not analysed: a news item says what it has to
# say long before that, and a hostile multi-megabyte entry must not stall a poll.
MAX_ANALYSED_CHARS = 50_000


def story_text(item: Item) -> str:
    return f"{item.title}\n{item.text}"[:MAX_ANALYSED_CHARS]


def distinct_figures(figures: Iterable[Figure]) -> list[Figure]:
    """One figure per claim: the same value, interval, subject and claimant said twice in an
    item (title and body, a repeated paragraph) is one figure, quoted where it first stands."""
    seen: set[tuple] = set()
    out = []
    for fig in figures:
        key = (fig.value, fig.low, fig.high, fig.subject, fig.claimant)
        if key not in seen:
            seen.add(key)
            out.append(fig)
    return out


def build_matcher(
    session: Session,
    *,
    threshold: float = 0.0,
    duplicate_threshold: float = 0.0,
    aliases: dict[str, list[str]] | None = None,
) -> Matcher:
    """A matcher holding every stored relevant story (seeds included), oldest first."""
    kwargs: dict = {"aliases": aliases or None}
    if threshold:
        kwargs["threshold"] = threshold
    if duplicate_threshold:
        kwargs["duplicate_threshold"] = duplicate_threshold
    matcher = Matcher(**kwargs)
    rows = session.execute(
        select(models.Item.entry_id, models.Item.title, models.Item.text)
        .where(models.Item.relevant.is_(True), models.Item.duplicate_of_id.is_(None))
        .order_by(models.Item.id)
    )
    for entry_id, title, text in rows:
        matcher.add(entry_id, title, text)
    return matcher


def _find_existing(session: Session, feed_id: int | None, item: Item) -> models.Item | None:
    return session.scalars(
        select(models.Item).where(
            models.Item.feed_id.is_(feed_id) if feed_id is None else models.Item.feed_id == feed_id,
            models.Item.entry_id == item.entry_id,
        )
    ).first()


def _find_copy(session: Session, item: Item, link: str | None, chash: str) -> models.Item | None:
    """An item from another feed with the same canonical link or title+date hash."""
    if link:
        row = session.scalars(
            select(models.Item).where(models.Item.canonical_link == link).order_by(models.Item.id)
        ).first()
        if row is not None:
            return row
    return session.scalars(
        select(models.Item).where(models.Item.content_hash == chash).order_by(models.Item.id)
    ).first()


def stored_findings(session: Session, row: models.Item) -> tuple[Finding, ...]:
    """The findings recorded for a stored item, with the figures each conflicted with."""
    findings = []
    for fig in row.figures:
        conflicts = []
        if fig.conflicts_with:
            others = session.execute(
                select(models.FigureRow, models.Item.entry_id)
                .join(models.Item, models.FigureRow.item_id == models.Item.id)
                .where(models.FigureRow.id.in_(fig.conflicts_with))
            ).all()
            conflicts = [recorded(other, entry_id) for other, entry_id in others]
        status = Status(fig.status) if fig.status else Status.KNOWN
        findings.append(
            Finding(figure=figure_of(fig), status=status, conflicts_with=tuple(conflicts))
        )
    return tuple(findings)


def _stored_report(session: Session, row: models.Item, item: Item, updated: bool) -> EntryReport:
    """Re-state what the store knows about an entry seen before."""
    findings = stored_findings(session, row)
    matches = tuple(
        Match(story_id=m.story.entry_id, title=m.story.title, score=m.score) for m in row.matches
    )
    duplicate = session.get(models.Item, row.duplicate_of_id) if row.duplicate_of_id else None
    result = MatchResult(
        relevant=row.relevant,
        relevance=row.relevance,
        matches=matches,
        duplicate_of=duplicate.entry_id if duplicate else None,
    )
    return EntryReport(
        item=item,
        new=False,
        updated=updated,
        result=result,
        duplicate_of=result.duplicate_of,
        findings=tuple(findings),
    )


def judge_figures(
    figures: Iterable[Figure], record: FigureRecord, *, date: datetime | None, window: timedelta
) -> list[Finding]:
    """Classify each figure against the record as it stands before this item."""
    return [classify(fig, record.get(fig.subject), date=date, window=window) for fig in figures]


def ingest(
    session: Session,
    items: Sequence[Item],
    *,
    feed: models.Feed | None,
    matcher: Matcher,
    window: timedelta,
    announce: Sequence[bool] | None = None,
    now: datetime,
) -> list[EntryReport]:
    """Run ``items`` (any order) through the pipeline oldest first and store the outcome.

    ``announce[i]`` says whether item i, if new and relevant, goes into the next digest
    (False for what a feed's first poll only records). The caller commits.
    """
    flags = list(announce) if announce is not None else [True] * len(items)
    order = sorted(
        range(len(items)), key=lambda i: (items[i].published is None, items[i].published or now, i)
    )
    record = FigureRecord(session)
    feed_id = feed.id if feed is not None else None
    reports: list[EntryReport] = []
    for i in order:
        item = items[i]
        existing = _find_existing(session, feed_id, item)
        thash = entry_fingerprint(item.title, item.text)
        if existing is not None:
            changed = existing.text_hash != thash
            if changed:
                existing.title, existing.text = item.title, item.text
                existing.text_hash, existing.updated_at = thash, now
            reports.append(_stored_report(session, existing, item, changed))
            continue
        link = canonical_link(item.link) if item.link else None
        chash = content_hash(item.title, item.published)
        result = matcher.match(item.title, item.text[:MAX_ANALYSED_CHARS])
        copy = _find_copy(session, item, link, chash)
        original = copy
        if original is None and result.duplicate_of is not None:
            original = session.scalars(
                select(models.Item)
                .where(models.Item.entry_id == result.duplicate_of)
                .order_by(models.Item.id)
            ).first()
        duplicate_of = original.entry_id if original is not None else None
        if original is not None and copy is not None:
            result = MatchResult(
                relevant=original.relevant,
                relevance=original.relevance,
                matches=result.matches,
                duplicate_of=duplicate_of,
            )
        findings: list[Finding] = []
        if result.relevant:
            figures = distinct_figures(
                extract_figures(story_text(item), language=item.language, source=item.source)
            )
            findings = judge_figures(figures, record, date=item.published, window=window)
        row = models.Item(
            feed_id=feed_id,
            entry_id=item.entry_id,
            title=item.title,
            text=item.text,
            link=item.link,
            canonical_link=link,
            content_hash=chash,
            text_hash=thash,
            published=item.published,
            fetched_at=now,
            language=item.language,
            source=item.source,
            relevant=result.relevant,
            relevance=result.relevance,
            duplicate_of_id=original.id if original is not None else None,
            announce=bool(flags[i] and result.relevant and original is None),
        )
        session.add(row)
        session.flush()
        _store_matches(session, row, result.matches)
        for finding in findings:
            fig_row = figure_row(finding.figure, status=finding.status, date=item.published)
            row.figures.append(fig_row)
            fig_row.conflicts_with = [
                record.ids[c] for c in finding.conflicts_with if c in record.ids
            ]
        session.flush()
        for fig_row, finding in zip(row.figures, findings, strict=True):
            record.add(
                RecordedFigure(figure=finding.figure, item_id=item.entry_id, date=item.published),
                fig_row.id,
            )
        if result.relevant and original is None:
            matcher.add(item.entry_id, item.title, item.text[:MAX_ANALYSED_CHARS])
        if feed is not None:
            feed.last_new_item_at = now
        reports.append(
            EntryReport(
                item=item,
                new=True,
                updated=False,
                result=result,
                duplicate_of=duplicate_of,
                findings=tuple(findings),
            )
        )
    return reports


def _store_matches(session: Session, row: models.Item, matches: Sequence[Match]) -> None:
    ids = (
        dict(
            session.execute(
                select(models.Item.entry_id, models.Item.id).where(
                    models.Item.entry_id.in_([m.story_id for m in matches])
                )
            ).all()
        )
        if matches
        else {}
    )
    for rank, match in enumerate(matches):
        story_id = ids.get(match.story_id)
        if story_id is not None and story_id != row.id:
            row.matches.append(models.MatchRow(story_id=story_id, rank=rank, score=match.score))


def figure_row(fig: Figure, *, status: Status | None, date: datetime | None) -> models.FigureRow:
    """A figures row; ``status`` None for seed (background) figures."""
    return models.FigureRow(
        value=fig.value,
        low=fig.low,
        high=fig.high,
        unit=fig.unit,
        subject=fig.subject,
        claimant=fig.claimant,
        quote=fig.quote,
        qualifier=fig.qualifier,
        as_of=date,
        status=str(status) if status else None,
        conflicts_with=[],
    )
