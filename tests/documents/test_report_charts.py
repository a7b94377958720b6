"""The report's charts read at a glance: real time ticks, sorted bars, a heat map (issue 11 §3)."""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

from hoteldesk.documents.charts import bar_chart, days_figure, heat_map, queue_figure, ranking_chart

from .outbox_support import TZ


def tick_labels(fig: Any) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]


def test_a_days_queue_sampled_within_one_minute_has_hour_ticks_not_identical_ones() -> None:
    """The issue's chart: seven identical "11:37" ticks, because every sample was taken at 11:37."""
    day = datetime(2026, 11, 26, tzinfo=TZ)
    points = [(day + timedelta(hours=11, minutes=37, seconds=s), float(n)) for s, n in ((0, 3), (20, 9), (50, 4))]
    labels = tick_labels(queue_figure(points, "待发队列（C1）", day, day + timedelta(days=1), limit=15))
    assert len(labels) >= 6 and len(set(labels)) == len(labels)
    assert labels[:3] == ["00:00", "03:00", "06:00"]


def test_a_weeks_and_a_months_queue_have_date_ticks() -> None:
    monday = datetime(2026, 11, 23, tzinfo=TZ)
    points = [(monday + timedelta(hours=h), float(h % 20)) for h in range(0, 24 * 7, 5)]
    week = tick_labels(queue_figure(points, "C1", monday, monday + timedelta(days=7), limit=15))
    assert week[:3] == ["11-23", "11-24", "11-25"] and len(set(week)) == len(week) == 8
    first = datetime(2026, 11, 1, tzinfo=TZ)
    month = tick_labels(queue_figure(points, "C1", first, first + timedelta(days=30), limit=15))
    assert len(month) >= 4 and len(set(month)) == len(month)


def test_the_days_of_a_period_are_labelled_by_date() -> None:
    days = [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    labels = tick_labels(days_figure(days, [1, 2, 3, 0, 0, 5, 1], [0] * 7, "间夜", ("本期", "上期")))
    assert labels == [f"11-{d}" for d in range(23, 30)]


def test_bars_are_sorted_and_the_ranking_and_heat_map_render(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing CJK glyph is a warning: fail on it
        bar_chart({"网上": 1, "电话": 5, "集团": 3}, "按渠道接单", tmp_path / "bars.png")
        ranking_chart({"上海和平饭店": 3, "北京王府饭店": 5}, "酒店间夜排名（H8）", tmp_path / "rank.png")
        nights = [date(2026, 11, 30) + timedelta(days=i) for i in range(30)]
        heat_map(["北京王府饭店", "上海和平饭店"], nights, [[5, 3] + [0] * 28, [0] * 30], [[5] * 30, [4] * 30],
                 "未来30天", tmp_path / "heat.png")  # fmt: skip
    for name in ("bars", "rank", "heat"):
        with Image.open(tmp_path / f"{name}.png") as png:
            assert png.format == "PNG" and png.size[0] >= 900


def test_the_days_orders_per_hour_are_labelled_by_hour() -> None:
    from hoteldesk.documents.charts import bars_figure

    hours = [f"{h:02d}:00" for h in range(24)]
    labels = tick_labels(
        bars_figure(hours, [float(h % 5) for h in range(24)], [1.0] * 24, "每小时接单", ("当日", "前一日"))
    )
    assert labels == ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"]
