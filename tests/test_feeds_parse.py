"""parse_feed: what the pipeline gets out of a feed document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsbot.feeds.dedup import content_hash
from newsbot.feeds.parse import parse_feed

SAMPLE = Path(__file__).parent / "data" / "samples" / "sample-wire.xml"


def rss(items: str, channel_extra: str = "", lang: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Wire</title><link>https://wire.example/</link>{lang}{channel_extra}"
        f"{items}</channel></rss>"
    ).encode()


def test_sample_wire_comes_oldest_first_with_utc_dates_and_source():
    feed = parse_feed(SAMPLE.read_bytes(), url="https://sample.example.org/feed.xml")
    assert feed.error is None
    assert feed.title == "Sample wire"
    assert [i.entry_id.rsplit("/", 1)[1] for i in feed.items] == ["s1", "s2", "s3", "s4", "s5"]
    first = feed.items[0]
    # "Fri, 18 Oct 2024 09:00:00 +0200" is 07:00 UTC
    assert first.published == datetime(2024, 10, 18, 7, 0, tzinfo=UTC)
    assert first.source == "Sample wire"
    assert "1.500 Soldaten" in first.text


def test_configured_source_name_wins_over_feed_title():
    feed = parse_feed(SAMPLE.read_bytes(), source="Desk wire")
    assert {i.source for i in feed.items} == {"Desk wire"}


def test_html_summary_becomes_plain_text_without_script_and_with_entities_decoded():
    body = (
        "<item><title>T</title><guid>g1</guid><description>"
        "&lt;p&gt;Mehr als 10.000 &amp;amp; Soldaten&lt;/p&gt;"
        "&lt;script&gt;alert('x')&lt;/script&gt;"
        "&lt;p&gt;Zweiter &amp;quot;Absatz&amp;quot;&lt;/p&gt;"
        "</description></item>"
    )
    item = parse_feed(rss(body)).items[0]
    assert item.text == 'Mehr als 10.000 & Soldaten\nZweiter "Absatz"'
    assert "alert" not in item.text and "<" not in item.text


def test_content_encoded_preferred_over_short_description():
    body = (
        '<item xmlns:content="http://purl.org/rss/1.0/modules/content/"><title>T</title>'
        "<guid>g</guid><description>Kurz.</description>"
        "<content:encoded><![CDATA[<p>Lang: etwa 11.000 Soldaten.</p>]]></content:encoded></item>"
    )
    feed = parse_feed(
        rss(body).replace(
            b"<rss ", b'<rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        )
    )
    assert feed.items[0].text == "Lang: etwa 11.000 Soldaten."


def test_entry_id_falls_back_to_canonical_link_then_hash():
    body = (
        "<item><title>With link</title><link>https://News.Example:443/a?utm_source=x&amp;id=7#top</link></item>"
        "<item><title>Bare</title><pubDate>Mon, 28 Oct 2024 18:00:00 +0000</pubDate></item>"
    )
    items = {i.title: i for i in parse_feed(rss(body)).items}
    assert items["With link"].entry_id == "https://news.example/a?id=7"
    assert items["With link"].link == "https://news.example/a?id=7"
    bare = items["Bare"]
    assert bare.entry_id == content_hash("Bare", datetime(2024, 10, 28, tzinfo=UTC))


def test_undated_entries_follow_dated_ones_in_reverse_document_order():
    late = "<pubDate>Tue, 29 Oct 2024 10:00:00 GMT</pubDate>"
    early = "<pubDate>Mon, 28 Oct 2024 10:00:00 GMT</pubDate>"
    body = (
        "<item><guid>u-newer</guid><title>a</title></item>"
        f"<item><guid>d-late</guid><title>b</title>{late}</item>"
        "<item><guid>u-older</guid><title>c</title></item>"
        f"<item><guid>d-early</guid><title>d</title>{early}</item>"
    )
    ids = [i.entry_id for i in parse_feed(rss(body)).items]
    assert ids == ["d-early", "d-late", "u-older", "u-newer"]


def test_language_normalised_from_entry_feed_or_header():
    entry_lang = (
        b'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB"><title>A</title>'
        b'<entry xml:lang="de-AT"><id>1</id><title>x</title><summary>s</summary></entry>'
        b"<entry><id>2</id><title>y</title><summary>t</summary></entry></feed>"
    )
    langs = {i.entry_id: i.language for i in parse_feed(entry_lang).items}
    assert langs == {"1": "de", "2": "en"}
    channel = parse_feed(
        rss("<item><guid>g</guid><title>x</title></item>", lang="<language>DE_de</language>")
    )
    assert channel.items[0].language == "de"
    header = parse_feed(
        rss("<item><guid>g</guid><title>x</title></item>"), headers={"Content-Language": "en-US"}
    )
    assert header.items[0].language == "en"
    nothing = parse_feed(rss("<item><guid>g</guid><title>x</title></item>"))
    assert nothing.items[0].language is None


def test_charset_from_headers_decodes_the_body():
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Grüße</title>'
        "<item><guid>1</guid><title>Überfall</title></item></channel></rss>"
    )
    feed = parse_feed(
        doc.encode("iso-8859-1"),
        headers={"Content-Type": "application/rss+xml; charset=iso-8859-1"},
    )
    assert feed.title == "Grüße"
    assert feed.items[0].title == "Überfall"


def test_relative_links_resolve_against_the_feed_url():
    feed = parse_feed(
        rss("<item><title>x</title><link>/story/1</link></item>"),
        url="https://wire.example/feeds/all.xml",
    )
    assert feed.items[0].link == "https://wire.example/story/1"


def test_bozo_feed_keeps_its_entries_and_records_the_problem():
    broken = rss(
        "<item><guid>ok</guid><title>Still here</title></item><item><title>unclosed"
    ).rstrip(b">")
    feed = parse_feed(broken)
    assert "Still here" in [i.title for i in feed.items]
    assert feed.error and "SAXParseException" in feed.error


def test_html_page_and_garbage_give_no_items_and_an_error():
    page = parse_feed(
        b"<!DOCTYPE html><html><head><title>Login</title></head><body>hi</body></html>"
    )
    assert page.items == [] and page.error and "HTML page" in page.error
    for junk in (b"", b"\x00\x01\xff\xfe garbage", b'{"json": true}', bytes(range(256)) * 10):
        result = parse_feed(junk)
        assert result.items == [] and result.error


def test_ttl_and_untitled_entry():
    feed = parse_feed(
        rss(
            "<item><guid>g</guid><description>Erster Satz. Mehr.</description></item>",
            "<ttl>90</ttl>",
        )
    )
    assert feed.ttl == timedelta(minutes=90)
    assert feed.items[0].title == "Erster Satz. Mehr."


JSON_FEED = """{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "JSON Wire", "home_page_url": "https://json.example/", "language": "de-DE",
  "items": [
    {"id": "2", "url": "/b?utm_source=x", "title": "Später",
     "content_html": "<p>Etwa <b>10.000</b> Soldaten</p><script>x()</script>",
     "date_published": "2024-10-28T18:00:00+01:00"},
    {"id": 1, "url": "https://json.example/a", "content_text": "Ohne Titel. 1.500 Soldaten",
     "date_published": "2024-10-18T09:00:00Z", "language": "en"},
    "not an object",
    {"url": "https://json.example/c", "title": "Undatiert", "summary": "kurz"}
  ]
}"""


def test_json_feed_items_follow_the_same_rules():
    feed = parse_feed(JSON_FEED.encode(), url="https://json.example/feed.json")
    assert feed.version == "json1" and feed.title == "JSON Wire"
    assert feed.error == "1 entry skipped (unreadable)"
    first, second, undated = feed.items
    assert (first.entry_id, first.title, first.language) == (
        "1",
        "Ohne Titel. 1.500 Soldaten",
        "en",
    )
    assert first.published == datetime(2024, 10, 18, 9, 0, tzinfo=UTC)
    assert second.entry_id == "2" and second.link == "https://json.example/b"
    assert second.text == "Etwa 10.000 Soldaten" and second.language == "de"
    assert second.published == datetime(2024, 10, 28, 17, 0, tzinfo=UTC)
    assert undated.entry_id == "https://json.example/c" and undated.text == "kurz"
    assert {i.source for i in feed.items} == {"JSON Wire"}


def test_json_that_is_not_a_feed_is_an_error():
    for doc in (
        b'{"version": "1", "items": []}',
        b"{broken",
        b'{"a": ' * 100000,
        b"\xef\xbb\xbf[1]",
    ):
        result = parse_feed(doc)
        assert result.items == [] and result.error, doc[:20]
