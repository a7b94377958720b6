"""Fax job kinds and states as staff call them (issue 8 §7: no "booking 2" in a zh-CN report)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.context import open_context
from hoteldesk.documents.joblabels import kind_counts, kind_label, state_label
from hoteldesk.documents.report import Figures
from hoteldesk.documents.report_command import report_context

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_kinds_and_states_in_both_locales() -> None:
    assert kind_counts({"booking": 2, "cancel": 1}, "zh-CN") == "预订单 2、取消单 1"
    assert kind_counts({"booking": 2, "cancel": 1}, "en") == "booking 2, cancellation 1"
    assert (kind_label("letter", "zh-CN"), state_label("submitted", "zh-CN")) == ("客户确认函", "已提交")
    assert state_label("delivered", "en") == "delivered"


def test_the_daily_report_names_fax_kinds_in_chinese(drive: Path, tmp_path: Path) -> None:
    figures = Figures(date(2026, 11, 26), date(2026, 11, 27), NOW, faxes_by_kind={"booking": 2, "change": 1})
    with open_context(drive, lambda: NOW) as ctx:
        context = report_context(ctx, figures, "daily", "x", tmp_path, "zh-CN")
    [faxes] = [k for k in context["kpis"] if k["value"] == "3"]
    assert faxes["note"] == "预订单 2、变更单 1"
