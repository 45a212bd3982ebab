"""The figure timeline as a PNG: one bar per figure's interval, conflicts marked in red.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, safe in a
worker thread). Undated seed figures stand in a "seeds" column left of the dated ones;
open-ended intervals ("mindestens 3.000") run to the top of the plot with an arrow.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from newsbot.bot.timeline import TimelinePoint, ordered
from newsbot.digest import number

BAR = "#5b8def"
SEED_BAR = "#a7b4c8"
CONFLICT = "#d83c3e"
POINT = "#1f2a44"


def _x_positions(points: Sequence[TimelinePoint]) -> tuple[list[float], float, float | None]:
    """x of each point (matplotlib date numbers), bar width, x of the seeds column."""
    dated = [mdates.date2num(p.date) for p in points if p.date is not None]
    if dated:
        first, last = min(dated), max(dated)
        span = max(last - first, 4.0)
    else:
        first, span = 0.0, 4.0
    width = span / 40
    seed_x = first - span / 8 if any(p.date is None for p in points) else None
    base = [mdates.date2num(p.date) if p.date is not None else seed_x for p in points]
    # figures on the same day stand side by side instead of on top of each other
    groups: dict[float, list[int]] = defaultdict(list)
    for i, x in enumerate(base):
        groups[x].append(i)
    xs = list(base)
    for x, members in groups.items():
        for k, i in enumerate(members):
            xs[i] = x + (k - (len(members) - 1) / 2) * width * 1.2
    return xs, width, seed_x


def timeline_figure(points: Sequence[TimelinePoint], title: str) -> Figure:
    """The chart as a matplotlib Figure (tests inspect it; ``png`` renders it)."""
    points = ordered(points)
    fig = Figure(figsize=(9, 4.8), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title[:120])
    if not points:
        ax.text(0.5, 0.5, "no figures on record", ha="center", va="center")
        return fig
    xs, width, seed_x = _x_positions(points)
    finite = [v for p in points for v in (p.value, p.low, p.high) if v is not None]
    top = max(finite) * 1.15 or 1.0
    for p, x in zip(points, xs, strict=True):
        high = p.high if p.high is not None else top
        colour = SEED_BAR if p.date is None else BAR
        ax.bar(
            x,
            max(high - p.bottom, top / 400),
            bottom=p.bottom,
            width=width,
            color=colour,
            edgecolor=CONFLICT if p.conflict else colour,
            linewidth=2 if p.conflict else 0.5,
            gid="conflict-bar" if p.conflict else "bar",
        )
        if p.high is None:
            ax.plot([x], [top], marker="^", color=colour, markersize=7, gid="open-end")
        ax.plot(
            [x],
            [p.value],
            marker="X" if p.conflict else "o",
            color=CONFLICT if p.conflict else POINT,
            markersize=10 if p.conflict else 5,
            linestyle="none",
            gid="conflict" if p.conflict else "value",
        )
        label = (p.claimant or p.source or "")[:24]
        if label:
            ax.annotate(label, (x, p.value), xytext=(4, 4), textcoords="offset points", fontsize=7)
    ax.set_ylim(0, top * 1.08)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(round(v))))
    ax.set_ylabel(points[0].unit[:40])
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
    if seed_x is not None:
        first_dated = min((x for p, x in zip(points, xs, strict=True) if p.date), default=None)
        if first_dated is not None:
            ax.axvline((seed_x + first_dated) / 2, color="#cccccc", linewidth=0.8)
        ax.text(seed_x, top * 1.02, "seeds\n(undated)", ha="center", va="top", fontsize=8)
    lo, hi = min(xs) - width * 2, max(xs) + width * 2
    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    fig.autofmt_xdate()
    fig.legend(
        handles=[
            Patch(color=BAR, label="interval"),
            Patch(color=SEED_BAR, label="seed (undated)"),
            Line2D([], [], marker="o", color=POINT, linestyle="none", label="stated value"),
            Line2D([], [], marker="X", color=CONFLICT, linestyle="none", label="CONFLICT"),
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
    )
    return fig


def png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


def timeline_png(points: Sequence[TimelinePoint], title: str) -> bytes:
    return png(timeline_figure(points, title))
