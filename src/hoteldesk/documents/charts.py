"""Charts for the reports: matplotlib on the Agg backend, Chinese labels in Noto Sans CJK.

No pyplot (no global state, no GUI): each chart is its own Figure saved as PNG. The
CJK font is found with font_manager among the installed fonts (Debian
fonts-noto-cjk); without it Chinese would print as empty boxes, so a missing font
is a clear error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findSystemFonts
from matplotlib.ticker import MaxNLocator

from hoteldesk.errors import ConversionError

_PREFERRED = ("NotoSansCJK-Regular", "NotoSansCJKsc-Regular", "NotoSansSC-Regular", "NotoSerifCJK-Regular")


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


def _save(fig: Figure, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out, format="png")
    return out


def bar_chart(values: Mapping[str, float], title: str, out: Path, *, ylabel: str = "", percent: bool = False) -> Path:
    """A bar per label (in the given order), the value printed on each bar."""
    font = cjk_font()
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    labels = list(values) or ["—"]
    data = [float(values[k]) for k in values] or [0.0]
    bars = ax.bar(range(len(labels)), data, color="#4a6fa5")
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, fontproperties=font, rotation=0 if len(labels) <= 6 else 30)
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
    return _save(fig, out)


def line_chart(
    points: Sequence[tuple[datetime, float]], title: str, out: Path, *, limit: float | None = None, label: str = ""
) -> Path:
    """Values over a day (the unsent queue), with the limit drawn as a dashed line."""
    font = cjk_font()
    fig = _figure()
    ax = fig.add_subplot(1, 1, 1)
    if points:
        xs: list[Any] = [p[0] for p in points]
        ax.step(xs, [p[1] for p in points], where="post", color="#4a6fa5")
    if limit is not None:
        ax.axhline(limit, linestyle="--", color="#a54a4a")
        if label:
            ax.text(0.01, limit, label, transform=ax.get_yaxis_transform(), va="bottom", fontproperties=font)
    ax.set_ylim(bottom=0)
    ax.set_title(title, fontproperties=font)
    if points and len({p[0].date() for p in points}) == 1:
        ax.xaxis.set_major_formatter(DateFormatter("%H:%M"))  # type: ignore[no-untyped-call]  # one day: the hour
    fig.autofmt_xdate()
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, out)
