"""The figure timeline as a PNG: one bar per figure's interval, conflicts marked in red.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, safe in a
worker thread). Undated seed figures stand in a panel of their own left of the dated ones;
open-ended intervals ("mindestens 3.000") run to the top of the plot with an arrow.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from matplotlib import dates as mdates
from matplotlib.axes import Axes
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


def _short(point: TimelinePoint) -> str:
    label = point.claimant or point.source or ""
    return label if len(label) <= 22 else label[:21] + "…"


def _spread(points: Sequence[TimelinePoint]) -> tuple[list[float], float]:
    """x of each dated point (matplotlib date numbers) and the bar width; figures of the
    same day stand side by side instead of on top of each other."""
    base = [mdates.date2num(p.date) for p in points]
    span = max(max(base) - min(base), 4.0)
    width = span / 40
    groups: dict[float, list[int]] = defaultdict(list)
    for i, x in enumerate(base):
        groups[x].append(i)
    xs = list(base)
    for x, members in groups.items():
        for k, i in enumerate(members):
            xs[i] = x + (k - (len(members) - 1) / 2) * width * 1.2
    return xs, width


def _draw(ax: Axes, x: float, width: float, p: TimelinePoint, top: float, colour: str) -> None:
    """One figure: its interval as a bar (arrow when open-ended), its stated value as a dot."""
    high = p.high if p.high is not None else top
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


def timeline_figure(points: Sequence[TimelinePoint], title: str) -> Figure:
    """The chart as a matplotlib Figure (tests inspect it; ``png`` renders it).

    Dated figures stand on a time axis; undated seed figures, which have no place in time,
    stand in a panel of their own on the left, one column each, sharing the value axis.
    """
    points = ordered(points)
    fig = Figure(figsize=(9, 4.8), dpi=100, layout="constrained")
    fig.suptitle(title[:120])
    if not points:
        ax = fig.add_subplot()
        ax.text(0.5, 0.5, "no figures on record", ha="center", va="center")
        return fig
    seeds = [p for p in points if p.date is None]
    dated = [p for p in points if p.date is not None]
    if seeds and dated:
        grid = fig.add_gridspec(1, 2, width_ratios=[1 + len(seeds) / 4, 4])
        seed_ax = fig.add_subplot(grid[0])
        ax = fig.add_subplot(grid[1], sharey=seed_ax)
        ax.tick_params(labelleft=False)
        axes = [ax, seed_ax]
    else:
        axes = [fig.add_subplot()]
        seed_ax = axes[0] if seeds else None
        ax = axes[0] if dated else None
    finite = [v for p in points for v in (p.value, p.low, p.high) if v is not None]
    top = max(finite) * 1.15 or 1.0
    if dated and ax is not None:
        xs, width = _spread(dated)
        for p, x in zip(dated, xs, strict=True):
            _draw(ax, x, width, p, top, BAR)
            ax.annotate(
                _short(p), (x, p.value), xytext=(4, 4), textcoords="offset points", fontsize=7
            )
        lo, hi = min(xs) - width * 2, max(xs) + width * 2
        if hi - lo < 1:
            lo, hi = lo - 1, hi + 1
        ax.set_xlim(lo, hi)
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=6))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m-%d"))
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
    if seeds and seed_ax is not None:
        for i, p in enumerate(seeds):
            _draw(seed_ax, i, 0.6, p, top, SEED_BAR)
        seed_ax.set_xticks(
            range(len(seeds)), [_short(p) for p in seeds], rotation=60, ha="right", fontsize=7
        )
        seed_ax.set_xlim(-0.7, len(seeds) - 0.3)
        seed_ax.set_title("seeds (undated)", fontsize=9)
    first = axes[-1]
    first.set_ylim(0, top * 1.08)
    first.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(round(v))))
    first.set_ylabel(points[0].unit[:40])
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
