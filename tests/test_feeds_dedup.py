"""Dedup keys and the new / seen / updated decision."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsbot.feeds.dedup import (
    SeenEntry,
    SeenIndex,
    canonical_link,
    classify_entry,
    content_hash,
    dedup_keys,
    entry_fingerprint,
)
from newsbot.feeds.parse import parse_feed
from newsbot.types import Item


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "https://Example.COM:443/a/b?utm_source=rss&utm_medium=feed&id=3#comments",
            "https://example.com/a/b?id=3",
        ),
        ("http://example.com:80", "http://example.com/"),
        ("http://example.com:8080/x?fbclid=abc&gclid=1", "http://example.com:8080/x"),
        (
            "HTTPS://www.tagesschau.de/ausland/x.html?at_medium=rss&wt_mc=feed",
            "https://www.tagesschau.de/ausland/x.html",
        ),
        ("  https://e.org/p?b=2&a=1  ", "https://e.org/p?b=2&a=1"),
        ("tag:example.org,2024:entry-1", "tag:example.org,2024:entry-1"),
        ("http://[::1", "http://[::1"),
        ("https://[2001:DB8::1]:443/x", "https://[2001:db8::1]/x"),
    ],
)
def test_canonical_link(raw: str, expected: str):
    assert canonical_link(raw) == expected


def test_content_hash_ignores_case_punctuation_spacing_and_time_of_day():
    cet = timezone(timedelta(hours=1))
    a = content_hash("Kirby: Mindestens 3.000 Soldaten", datetime(2024, 10, 24, 9, 0, tzinfo=cet))
    b = content_hash(
        "  kirby  mindestens 3 000 soldaten ", datetime(2024, 10, 24, 17, 0, tzinfo=UTC)
    )
    assert a == b
    assert a != content_hash(
        "Kirby: Mindestens 3.000 Soldaten", datetime(2024, 10, 25, 9, tzinfo=UTC)
    )
    assert a != content_hash(
        "Kirby: Mindestens 4.000 Soldaten", datetime(2024, 10, 24, 9, tzinfo=cet)
    )


def item(entry_id: str, title: str = "T", text: str = "x", link: str | None = None) -> Item:
    return Item(
        entry_id=entry_id,
        title=title,
        text=text,
        link=link,
        published=datetime(2024, 10, 24, tzinfo=UTC),
    )


def remember(index: SeenIndex, it: Item) -> None:
    index.add(SeenEntry(it.entry_id, dedup_keys(it), entry_fingerprint(it.title, it.text)))


def verdict(index: SeenIndex, it: Item) -> str:
    return classify_entry(dedup_keys(it), entry_fingerprint(it.title, it.text), index).verdict


def test_keys_from_parsed_entries():
    doc = (
        b'<rss version="2.0"><channel><title>W</title>'
        b"<item><guid>urn:1</guid><title>A</title><link>https://e.org/a?utm_campaign=x</link></item>"
        b"<item><title>B</title><link>https://e.org/b</link></item>"
        b"<item><title>C</title></item></channel></rss>"
    )
    keys = {i.title: dedup_keys(i) for i in parse_feed(doc).items}
    assert keys["A"].guid == "urn:1" and keys["A"].link == "https://e.org/a"
    assert keys["B"].guid is None and keys["B"].link == "https://e.org/b"
    assert keys["C"].guid is None and keys["C"].link is None
    assert keys["C"].hash == content_hash("C", None)


def test_edited_entry_with_same_guid_is_an_update_not_new():
    index = SeenIndex()
    original = item("urn:1", "Seoul: 1.500 Soldaten", "erste Fassung")
    assert verdict(index, original) == "new"
    remember(index, original)
    assert verdict(index, original) == "seen"
    edited = item("urn:1", "Seoul: 3.000 Soldaten", "zweite Fassung")
    result = classify_entry(dedup_keys(edited), entry_fingerprint(edited.title, edited.text), index)
    assert result.verdict == "updated" and result.previous is not None
    assert result.previous.entry_id == "urn:1" and result.matched_by == "guid"
    # whitespace-only changes are not an edit
    assert verdict(index, item("urn:1", " Seoul:  1.500 Soldaten", "erste\n Fassung")) == "seen"


def test_link_matches_when_guid_missing_and_tracking_params_differ():
    index = SeenIndex()
    remember(index, item("https://e.org/a", link="https://e.org/a?utm_source=one"))
    again = item("urn:new-guid", link="https://E.org/a?utm_source=two#x")
    assert verdict(index, again) == "seen"


def test_distinct_guids_sharing_a_homepage_link_stay_distinct():
    index = SeenIndex()
    remember(index, item("urn:1", "Erste Meldung", link="https://e.org/"))
    assert verdict(index, item("urn:2", "Zweite Meldung", link="https://e.org/")) == "new"


def test_regenerated_guid_with_same_title_and_day_is_seen_via_hash():
    index = SeenIndex()
    remember(index, item("urn:build-1", "Gleiche Meldung", "a"))
    assert verdict(index, item("urn:build-2", "Gleiche Meldung", "b")) == "seen"
