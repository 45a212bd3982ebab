"""Digest rendering into Discord messages: limits hold, figures and links stay whole, feed
text cannot format or ping. Limits are checked with the fake server's own checker, not the
renderer's."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from newsbot.bot.embeds import (
    STATUS_LABEL,
    clip,
    escape,
    render_digest,
    render_notice,
)
from newsbot.digest import DigestEntry
from newsbot.types import Figure, Finding, Match, RecordedFigure, Status
from tests.fakediscord import limit_errors

KEY = "0123456789abcdef0123456789abcdef"
PING = re.compile(r"@(everyone|here)|<@[!&]?\d+>")


def conflict_with(n: int) -> RecordedFigure:
    fig = Figure(10000 + n, 9000, 11000, "Soldaten", "nk", f"Quelle {n}", "…", "etwa")
    return RecordedFigure(fig, f"seed-{n}.txt", datetime(2024, 10, 20, tzinfo=UTC))


def hostile_entry(i: int, *, findings: int = 3, conflicts: int = 4, link: str | None = None):
    nasty = "@everyone @here <@123456789012345678> **bold** __u__ `code` [x](https://evil.example) "
    figures = tuple(
        Finding(
            Figure(
                1000 * i + k,
                1000 * i + k,
                None,
                "Soldaten " + "sehr " * 40,
                "nk",
                nasty * 5,
                "…",
                "mindestens",
            ),
            Status.CONFLICT,
            tuple(conflict_with(c) for c in range(conflicts)),
        )
        for k in range(findings)
    )
    return DigestEntry(
        item_id=f"i{i}",
        title=nasty * 60,
        link=link if link is not None else f"https://news.example/{i}/a_b*c",
        source=nasty,
        published=datetime(2024, 11, 1, tzinfo=UTC),
        best_match=Match("seed.txt", nasty * 10, 77.0),
        findings=figures,
        also_in=tuple(nasty for _ in range(30)),
    )


def all_text(messages: list[dict]) -> list[str]:
    out = []
    for m in messages:
        out.append(m["content"])
        for e in m["embeds"]:
            out += [e.get("title", ""), e.get("description", "")]
            out.append(e["footer"]["text"] if "footer" in e else "")
    return out


def test_hostile_digest_fits_every_limit_and_pings_no_one() -> None:
    entries = [hostile_entry(i) for i in range(60)]
    messages = render_digest(entries, key=KEY)
    assert len(messages) > 6
    for m in messages:
        assert limit_errors(m) == [], limit_errors(m)
        assert m["allowed_mentions"] == {"parse": []}
    for text in all_text(messages):
        assert not PING.search(text), text[:200]
        assert "**bold**" not in text and "[x](https://evil.example)" not in text


def test_every_figure_and_conflict_line_arrives_once_and_whole() -> None:
    entries = [hostile_entry(i, findings=5, conflicts=6) for i in range(30)]
    lines = [
        line
        for m in render_digest(entries, key=KEY)
        for e in m["embeds"]
        for line in e["description"].split("\n")
    ]
    for i in range(30):
        for k in range(5):
            stated = f"**{STATUS_LABEL[Status.CONFLICT]}** mindestens {1000 * i + k:,} Soldaten"
            assert sum(line.startswith(stated) for line in lines) == 1
    conflict_lines = [line for line in lines if line.startswith("  ↳ vs ")]
    assert len(conflict_lines) == 30 * 5 * 6
    assert all(
        re.search(r"etwa 10,00\d Soldaten \(Quelle \d, 2024-10-20, seed-\d\.txt\)$", c)
        for c in conflict_lines
    )


def test_links_are_whole_or_left_out_never_cut() -> None:
    long_link = "https://news.example/" + "a" * 2100
    entries = [
        hostile_entry(0),
        hostile_entry(1, link="javascript:alert(1)"),
        hostile_entry(2, link=long_link),
    ]
    embeds = [e for m in render_digest(entries, key=KEY) for e in m["embeds"]]
    urls = [e.get("url") for e in embeds]
    assert "https://news.example/0/a_b*c" in urls  # as given, not escaped
    assert not any(u and ("javascript" in u or u.startswith(long_link[:50])) for u in urls)
    notes = [e["description"] for e in embeds if "link left out" in e["description"]]
    assert len(notes) == 2


def test_an_item_too_long_for_one_embed_continues_in_the_next() -> None:
    big = hostile_entry(7, findings=40, conflicts=8)
    messages = render_digest([big], key=KEY)
    embeds = [e for m in messages for e in m["embeds"]]
    assert len(embeds) > 2
    assert all(e["title"].endswith(" (cont.)") for e in embeds[1:])
    assert all(e.get("url") == embeds[0]["url"] for e in embeds)
    assert all(limit_errors(m) == [] for m in messages)


def test_parts_are_numbered_in_footers_and_content() -> None:
    messages = render_digest([hostile_entry(i) for i in range(25)], key=KEY)
    total = len(messages)
    for i, m in enumerate(messages, 1):
        assert m["embeds"][-1]["footer"]["text"] == f"newsbot digest {KEY[:16]} · {i}/{total}"
        assert all("footer" not in e for e in m["embeds"][:-1])
    assert (
        messages[0]["content"]
        == "newsbot digest: 25 new items on the story, 75 conflicting figures"
    )
    assert messages[1]["content"].endswith(f"(continued, 2/{total})")


def test_nothing_to_render_is_no_message() -> None:
    assert render_digest([], key=KEY) == []


def test_notice_is_escaped_and_marked() -> None:
    [notice] = render_notice("feed @everyone **x** <https://a.example/rss> paused", key=KEY)
    description = notice["embeds"][0]["description"]
    assert "@\u200beveryone" in description and "\\*\\*x\\*\\*" in description
    assert notice["embeds"][0]["footer"]["text"] == f"newsbot notice {KEY[:16]} · 1/1"


def test_clip_never_leaves_a_dangling_escape() -> None:
    text = escape("*_" * 300)
    for limit in range(1, 60):
        cut = clip(text, limit)
        assert len(cut) <= limit
        body = cut.removesuffix("…")
        trailing = len(body) - len(body.rstrip("\\"))
        assert trailing % 2 == 0


def test_line_start_markdown_cannot_make_headings_or_lists() -> None:
    for source, expected in (("# Wire", "\\# Wire"), ("- Wire", "\\- Wire"), ("1. FC", "1\\. FC")):
        entry = DigestEntry("i", "t", None, source, None, None)
        [message] = render_digest([entry], key=KEY)
        assert message["embeds"][0]["description"].startswith(expected + " · undated")
