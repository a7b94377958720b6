"""Why a write-back was not made — a conflict with a staff edit, a formula, merged cells, a missing row —
in the workbook's locale (QA stop 7 §9). Shown by ``hoteldesk writebacks list`` and the Dashboard's 写回失败.

Like :data:`hoteldesk.workbooks.cellreason.REASONS`: key → (zh-CN, en), filled with str.format. The locale
is the sheet's: English when most of its headers are English labels, else zh-CN (the drive's own).
"""

from __future__ import annotations

from typing import Any

WRITE_REASONS: dict[str, tuple[str, str]] = {
    "conflict": (
        "{where}（{label}）：现在是 {now}，应为 {expected}——业务员已改动，未覆盖；请核对后在该单元格填写正确的值",
        "{where} ({label}): now {now}, expected {expected} — changed by staff, not overwritten",
    ),
    "conflict_late": (
        "{row_id} 的 {field} 在 hoteldesk 算出此写回之后被业务员改为 {now}——未覆盖；请核对该单元格",
        "{field} of {row_id} was changed to {now} by staff after hoteldesk computed this write — not overwritten",
    ),
    "formula": (
        "{where}：单元格里是公式——未覆盖；请删除公式，或在别处填写",
        "{where}: holds a formula — not overwritten",
    ),
    "merged": (
        "{where}：在合并单元格 {span} 之内，Excel 只显示 {top}——请取消合并",
        "{where}: inside merged cells {span}, Excel shows only {top} — unmerge them",
    ),
    "no_row": ("{sheet}：没有 {id_label} 为 {row_id} 的行；请核对订单号", "{sheet}: no row with {id_label} {row_id}"),
}


def write_reason(key: str, locale: str, /, **values: Any) -> str:
    zh, en = WRITE_REASONS[key]
    return (en if locale.startswith("en") else zh).format(**values)


__all__ = ["WRITE_REASONS", "write_reason"]
