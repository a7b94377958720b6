"""Charts for the reports: matplotlib on the Agg backend, Chinese labels in Noto Sans CJK.

No pyplot (no global state, no GUI): each chart is its own Figure saved as PNG. The
CJK font is found with font_manager among the installed fonts (Debian
fonts-noto-cjk); without it Chinese would print as empty boxes, so a missing font
is a clear error.

Read at a glance (issue 11): bars sorted, the biggest first; time axes span the whole
period with real date/hour ticks (never a run of identical labels from samples taken
minutes apart); the coming nights as a heat map, hotel × night.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter, DayLocator, HourLocator, date2num
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findSystemFonts
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from hoteldesk.errors import ConversionError

_PREFERRED = ("NotoSansCJK-Regular", "NotoSansCJKsc-Regular", "NotoSansSC-Regular", "NotoSerifCJK-Regular")
BLUE, GREY, RED = "#4a6fa5", "#b8c4d6", "#a54a4a"


@lru_cache(maxsize=1)
def cjk_font() -> FontProperties:
    """Noto Sans CJK (the first installed of the preferred files)."""
    fonts = findSystemFonts()
    for stem in _PREFERRED:
        for path in fonts:
            if Path(path).stem == stem:
                return FontProperties(fname=path)
    raise ConversionError(
        "no CJK font for the report charts (Noto Sans CJK); install fonts-noto-cjk (`make test` does)"
    )


def _figure(width: float = 6.4, height: float = 3.2) -> Figure:
    fig = Figure(figsize=(width, height), dpi=150)
    FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out, format="png")
    return out


def bar_chart(
    values: Mapping[str, float],
    title: str,
    out: Path,
    *,
    ylabel: str = "",
    percent: bool = False,
    sort: bool = True,
) -> Path:
    """A bar per label (the biggest first unless ``sort=False``), the value printed on each bar."""
    font = cjk_font()
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    items = sorted(values.items(), key=lambda kv: -kv[1]) if sort else list(values.items())
    labels = [k for k, _ in items] or ["—"]
    data = [float(v) for _, v in items] or [0.0]
    bars = ax.bar(range(len(labels)), data, color=BLUE)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontproperties=font, rotation=0 if len(labels) <= 6 else 30, ha="center")
    ax.set_title(title, fontproperties=font)
    if ylabel:
        ax.set_ylabel(ylabel, fontproperties=font)
    if percent:
        ax.set_ylim(0, 112)  # room for the label over a 100% bar
        ax.set_yticks([0, 20, 40, 60, 80, 100])
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # orders come in whole numbers
    top = max(data) if data else 0
    for bar, value in zip(bars, data, strict=True):
        text = f"{value:.0f}%" if percent else f"{value:g}"
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + top * 0.01, text, ha="center", va="bottom")
    ax.spines[["top", "right"]].set_visible(False)
    return save(fig, out)


def ranking_chart(values: Mapping[str, float], title: str, out: Path, *, fmt: str = "{:,.0f}", top: int = 12) -> Path:
    """Horizontal bars, the best at the top (H8 ranking): long hotel names stay readable."""
    font = cjk_font()
    items = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    fig = _figure(6.4, max(1.6, 0.32 * len(items) + 0.9))
    ax = fig.add_subplot(1, 1, 1)
    names = [k for k, _ in items][::-1] or ["—"]
    data = [float(v) for _, v in items][::-1] or [0.0]
    bars = ax.barh(range(len(names)), data, color=BLUE)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontproperties=font)
    ax.set_title(title, fontproperties=font)
    peak = max(data) if data else 0.0
    for bar, value in zip(bars, data, strict=True):
        ax.text(bar.get_width() + peak * 0.01, bar.get_y() + bar.get_height() / 2, fmt.format(value), va="center")
    ax.set_xlim(0, peak * 1.18 or 1)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.spines[["top", "right"]].set_visible(False)
    return save(fig, out)


def _time_axis(ax: Any, start: datetime, end: datetime) -> None:
    """The whole period on the x axis, with hour ticks for a day and date ticks for longer."""
    ax.set_xlim(start, end)
    if end - start <= timedelta(days=1):
        ax.xaxis.set_major_locator(HourLocator(byhour=range(0, 24, 3)))  # type: ignore[no-untyped-call]
        first = float(date2num(start))  # type: ignore[no-untyped-call]

        def hour(x: float, _pos: int | None = None) -> str:
            hours = round((x - first) * 24)  # the day's end is 24:00, not a second 00:00
            return f"{hours:02d}:00" if 0 <= hours <= 24 else ""

        ax.xaxis.set_major_formatter(FuncFormatter(hour))
    elif end - start <= timedelta(days=8):
        ax.xaxis.set_major_locator(DayLocator())  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(DateFormatter("%m-%d"))  # type: ignore[no-untyped-call]
    else:
        # a tick every few days from the period's first day (not from the 1st of each month, which
        # would crowd the last tick of a month against the next month's first)
        days = (end - start).days
        every = -(-days // 8)
        ticks = [start + timedelta(days=i) for i in range(0, days + 1, every)]
        ax.xaxis.set_major_locator(FixedLocator([float(date2num(t)) for t in ticks]))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(DateFormatter("%m-%d"))  # type: ignore[no-untyped-call]  # no month names


def _local(at: datetime, like: datetime) -> datetime:
    return at.astimezone(like.tzinfo).replace(tzinfo=None) if at.tzinfo and like.tzinfo else at


def queue_figure(
    points: Sequence[tuple[datetime, float]],
    title: str,
    start: datetime,
    end: datetime,
    *,
    limit: float | None = None,
    label: str = "",
) -> Figure:
    """The unsent queue over the period (C1), the limit dashed; the count holds until the next sample."""
    font = cjk_font()
    fig = _figure(6.4, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    inside = sorted(p for p in points if start <= p[0] < end)
    # matplotlib shows aware times in UTC: plot the drive's wall-clock times (Asia/Shanghai) instead
    inside = [(_local(at, start), n) for at, n in inside]
    start, end = _local(start, start), _local(end, start)
    if inside:
        xs: list[Any] = [p[0] for p in inside] + [min(end, max(p[0] for p in inside) + timedelta(hours=1))]
        ys = [p[1] for p in inside] + [inside[-1][1]]
        ax.step(xs, ys, where="post", color=BLUE)
        ax.fill_between(xs, ys, step="post", color=BLUE, alpha=0.15)
    if limit is not None:
        ax.axhline(limit, linestyle="--", color=RED)
        if label:
            ax.text(0.01, limit, label, transform=ax.get_yaxis_transform(), va="bottom", fontproperties=font)
    top = max([p[1] for p in inside] + [float(limit or 0)])
    ax.set_ylim(0, top * 1.15 + 1)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontproperties=font)
    _time_axis(ax, start, end)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def queue_chart(
    points: Sequence[tuple[datetime, float]],
    title: str,
    out: Path,
    start: datetime,
    end: datetime,
    *,
    limit: float | None = None,
    label: str = "",
) -> Path:
    return save(queue_figure(points, title, start, end, limit=limit, label=label), out)


def days_figure(
    days: Sequence[date], now: Sequence[float], before: Sequence[float], title: str, labels: tuple[str, str]
) -> Figure:
    """One bar per day of the period, the previous period's same day as a grey bar beside it."""
    return bars_figure([f"{d:%m-%d}" for d in days], now, before, title, labels)


def bars_figure(
    ticks: Sequence[str], now: Sequence[float], before: Sequence[float], title: str, labels: tuple[str, str]
) -> Figure:
    """This period's bars (blue) beside the previous period's (grey), one pair per day or hour."""
    font = cjk_font()
    fig = _figure(6.4, 2.8)
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(ticks)))
    if before:
        ax.bar([x - 0.2 for x in xs], list(before)[: len(xs)], width=0.4, color=GREY, label=labels[1])
    ax.bar([x + 0.2 if before else x for x in xs], list(now), width=0.4 if before else 0.7, color=BLUE, label=labels[0])
    step = 1 if len(ticks) <= 8 else 3
    ax.set_xticks(xs[::step])
    ax.set_xticklabels(list(ticks)[::step])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title, fontproperties=font)
    ax.legend(prop=font, frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def days_chart(
    days: Sequence[date],
    now: Sequence[float],
    before: Sequence[float],
    title: str,
    out: Path,
    labels: tuple[str, str],
) -> Path:
    return save(days_figure(days, now, before, title, labels), out)


def hours_chart(now: Sequence[float], before: Sequence[float], title: str, out: Path, labels: tuple[str, str]) -> Path:
    """Orders per hour of the day (00–23), the day before beside them."""
    return save(bars_figure([f"{h:02d}:00" for h in range(24)], now, before, title, labels), out)


def heat_map(
    hotels: Sequence[str],
    nights: Sequence[date],
    booked: Sequence[Sequence[int]],
    allotment: Sequence[Sequence[int]],
    title: str,
    out: Path,
    *,
    top: int = 15,
) -> Path:
    """Rooms on the books over allotment, hotel × night: white empty, dark blue full, red numbers over (B3)."""
    import numpy as np

    font = cjk_font()
    rows = list(range(min(top, len(hotels))))
    fig = _figure(7.0, max(2.6, 0.32 * len(rows) + 1.4))
    ax = fig.add_subplot(1, 1, 1)
    grid = np.zeros((len(rows), len(nights)))
    for i in rows:
        for j in range(len(nights)):
            a, b = allotment[i][j], booked[i][j]
            grid[i, j] = b / a if a else (1.2 if b else 0.0)
    image = ax.imshow(grid, aspect="auto", cmap="Blues", vmin=0, vmax=1.2, interpolation="nearest")
    for i in rows:  # numbers only where a manager must act: more rooms on the books than allotted (B3)
        for j in range(len(nights)):
            if booked[i][j] > allotment[i][j]:
                ax.text(j, i, str(booked[i][j]), ha="center", va="center", fontsize=6, color=RED, fontweight="bold")
    ax.set_yticks(rows)
    ax.set_yticklabels([hotels[i] for i in rows], fontproperties=font, fontsize=7)
    step = 1 if len(nights) <= 10 else 3
    ax.set_xticks(range(0, len(nights), step))
    ax.set_xticklabels([f"{n:%m-%d}" for n in nights][::step], fontsize=7)
    ax.set_title(title, fontproperties=font)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_ticks([0, 0.5, 1.0])
    bar.set_ticklabels(["0%", "50%", "100%"])
    return save(fig, out)
