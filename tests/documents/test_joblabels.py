"""Fax job kinds and states as staff call them (issue 8 §7: no "booking 2" in a zh-CN report)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hoteldesk.automations.context import open_context
from hoteldesk.documents.report import Figures
from hoteldesk.domain.joblabels import kind_counts, kind_label, state_label

NOW = datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_kinds_and_states_in_both_locales() -> None:
    assert kind_counts({"booking": 2, "cancel": 1}, "zh-CN") == "预订单 2、取消单 1"
    assert kind_counts({"booking": 2, "cancel": 1}, "en") == "booking 2, cancellation 1"
    assert (kind_label("letter", "zh-CN"), state_label("submitted", "zh-CN")) == ("客户确认函", "已提交")
    assert state_label("delivered", "en") == "delivered"


def test_the_report_names_failed_fax_kinds_and_states_in_chinese(drive: Path, tmp_path: Path) -> None:
    from hoteldesk.documents import jobs
    from hoteldesk.documents.report_command import attention_tables

    figures = Figures(date(2026, 11, 26), date(2026, 11, 27), NOW)
    with open_context(drive, lambda: NOW) as ctx:
        job = jobs.enqueue(ctx.journal, "HD20261126-0001", 1, "booking", {"order": {}}, at=NOW)
        assert job is not None
        figures.failed_jobs = [jobs.move(ctx.journal, job, "failed", at=NOW, error="号码空号", attempts=4)]
        failed = attention_tables(ctx, figures)[-1]
    assert failed["rows"] == [[job.key, "预订单", "传真", "失败", "号码空号"]]  # 渠道: a fax, not a mail (QA §11)
