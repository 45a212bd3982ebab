"""``!figures``: subject choice, the table, and the chart (bars per interval, conflicts marked)."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

from matplotlib.patches import Rectangle

from newsbot.bot.chart import png, timeline_figure
from newsbot.bot.timeline import TimelinePoint, choose_subject, table_lines
from newsbot.types import Status

SUBJECT = "north korean troops in russia"


def point(value, low, high, *, claimant, day=None, status=None, qualifier=None):
    date = datetime(2024, 10, day, tzinfo=UTC) if day else None
    source = "seed-01.txt" if day is None else "Wire"
    return TimelinePoint(
        SUBJECT, value, low, high, "Soldaten", qualifier, claimant, source, date, status
    )


POINTS = [
    point(1500, 1500, 1500, claimant="NIS"),  # seed, undated
    point(
        3000, 3000, None, claimant="White House", day=23, status=Status.NEW, qualifier="mindestens"
    ),
    point(10000, 9000, 11000, claimant="Pentagon", day=28, status=Status.KNOWN, qualifier="etwa"),
    point(1500, 1500, 1500, claimant="X", day=28, status=Status.CONFLICT),
]


def test_chart_draws_one_bar_per_figure_and_marks_conflicts() -> None:
    fig = timeline_figure(POINTS, SUBJECT)
    seeds, dated = fig.axes  # undated seeds in a panel of their own, then the time axis
    assert seeds.get_title() == "seeds (undated)"
    assert [t.get_text() for t in seeds.get_xticklabels()] == ["NIS"]
    bars = [p for ax in fig.axes for p in ax.patches if isinstance(p, Rectangle) and p.get_gid()]
    assert len(bars) == 4
    assert len([p for p in seeds.patches if p.get_gid()]) == 1
    assert [b.get_gid() for b in bars].count("conflict-bar") == 1
    lines = [line for ax in fig.axes for line in ax.lines]
    conflict_marks = [line for line in lines if line.get_gid() == "conflict"]
    assert len(conflict_marks) == 1 and list(conflict_marks[0].get_ydata()) == [1500]
    assert len([line for line in lines if line.get_gid() == "open-end"]) == 1  # ≥ 3,000
    pentagon = next(b for b in bars if b.get_y() == 9000)
    assert pentagon.get_height() == 2000  # the interval 9,000–11,000, not a point
    assert dated.get_ylim()[1] > 11000 and dated.get_ylim() == seeds.get_ylim()


def test_png_is_an_image_of_the_expected_size() -> None:
    data = png(timeline_figure(POINTS, SUBJECT))
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (900, 480)


def test_empty_chart_says_so() -> None:
    ax = timeline_figure([], SUBJECT).axes[0]
    assert [t.get_text() for t in ax.texts] == ["no figures on record"]


def test_table_orders_background_first_then_by_date() -> None:
    lines = table_lines(list(reversed(POINTS)))
    assert lines[0].startswith(
        "`   undated` seed-01.txt (NIS) · **1,500** Soldaten · = 1,500 · seed"
    )
    assert "**mindestens 3,000** Soldaten · 3,000 – ∞ · 🆕 NEW" in lines[1]
    assert "**etwa 10,000** Soldaten · 9,000 – 11,000 · KNOWN" in lines[2]
    assert lines[3].endswith("· ⚠️ CONFLICT")


def test_subject_choice() -> None:
    subjects = [SUBJECT] * 5 + ["north korean officers"] * 2 + ["size of the north korean army"]
    assert choose_subject(subjects, None).subject == SUBJECT
    best = choose_subject(subjects, "north korean")
    assert best.subject == SUBJECT and best.others == (
        "north korean officers",
        "size of the north korean army",
    )
    assert choose_subject(subjects, "OFFICERS").subject == "north korean officers"
    assert choose_subject(subjects, "north korean officers").others == ()
    assert choose_subject(subjects, "whales").subject is None
