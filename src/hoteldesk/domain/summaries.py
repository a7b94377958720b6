"""What the commands print for staff — summaries, breach lines — in the drive's locale (QA stop 7 §9).

Like :data:`hoteldesk.domain.checks.MESSAGES`: each key holds (zh-CN, en), and the drive's ``locale``
in hoteldesk.toml picks one (zh-CN by default; any locale starting with ``en`` gives English). Command
names and file paths stay as typed (`hoteldesk run`, outbox/fax/failed/).
"""

from __future__ import annotations

from typing import Any

# key → (zh-CN, en); placeholders filled with str.format
SUMMARIES: dict[str, tuple[str, str]] = {
    # the views step: a clock that ran out (C1 C3 C4 C8 N4), logged once
    "breach": (
        "违规 {rule}{who}：时限 {due}，超时 {late}{detail}",
        "breach {rule}{who}: due {due}, {late} late{detail}",
    ),
    "new_breaches": ("新增违规 {n} 条：{by_rule}", "{n} new breaches: {by_rule}"),
    # hoteldesk outbox list|retry
    "job_line": (
        "  #{id}  {key}  {state}  已试 {attempts} 次  {error}",
        "  #{id}  {key}  {state}  attempts {attempts}  {error}",
    ),
    "call_line": ("  请致电 {phone}（订单 {order_no}）：{text}", "  call {phone} for {order_no}: {text}"),
    "held_line": ("  {order_no}：{why}", "  held {order_no}: {why}"),  # zh: why starts with 暂停
    "deleted_job_line": (  # tester #6: a deleted row's job waits for a person, never sent nor cancelled
        "  #{id}  {key}  {state}  暂停：订单行已删除，请恢复该行（会发出）或确认不再发送  {error}",
        "  #{id}  {key}  {state}  held: its order row was deleted — restore the row to send it, or leave it  {error}",
    ),
    "outbox_total": (
        "{failed} 个任务需要人工处理，{calls} 个客户电话待打。",
        "{failed} job(s) need a person, {calls} customer call(s) to make.",
    ),
    "job_back": (
        "  {key}：已改回 {state}，`hoteldesk run` 的下一轮会发出",
        "  {key}: back to {state}; it goes out on the next pass of `hoteldesk run`",
    ),
    # hoteldesk writebacks list|retry
    "write_waiting": (
        "  等待  #{id}  {workbook}  {row_id} {field} = {value}",
        "  waiting  #{id}  {workbook}  {row_id} {field} = {value}",
    ),
    "write_line": ("  {status}  #{id}  {workbook}  {row_id} {field} = {value}  — {error}",
                   "  {status:<8} #{id}  {workbook}  {row_id} {field} = {value}  — {error}"),
    "writes_total": (
        "{waiting} 个写回等待中，{failed} 个失败，{conflicts} 个冲突留给业务员处理。",
        "{waiting} write(s) waiting, {failed} failed, {conflicts} conflict(s) left for staff.",
    ),
    "writes_requeued": (
        "{n} 个失败的写回已重新排队，`hoteldesk run` 的下一轮会写入",
        "{n} failed write(s) queued again; they are written on the next pass of `hoteldesk run`",
    ),
    # hoteldesk check
    "check_row": (
        "  Bookings.xlsx › 第 {row} 行 › {order_no}：{text}",
        "  Bookings.xlsx › row {row} › {order_no}: {text}",
    ),
    "no_number": ("（尚无订单号）", "(no number yet)"),
    "check_total": (
        "已检查 {files} 个工作簿、{rows} 行：{cells} 个单元格问题，{bad} 个无法读取的文件或工作表。"
        "{orders} 个订单有问题，与 `hoteldesk run` 之后「问题」列所写相同。",
        "Checked {files} workbook(s), {rows} row(s): {cells} cell problem(s), {bad} unreadable file(s) or sheet(s). "
        "{orders} order(s) with problems, the same as 问题 shows after `run`.",
    ),
}  # fmt: skip

#: Write-back states as `writebacks list` shows them.
WRITE_STATES: dict[str, tuple[str, str]] = {
    "failed": ("失败", "failed"),
    "conflict": ("冲突", "conflict"),
}


def is_en(locale: str) -> bool:
    return locale.startswith("en")


def say(key: str, locale: str, /, **values: Any) -> str:
    """The text of ``key`` in ``locale`` with its placeholders filled."""
    zh, en = SUMMARIES[key]
    return (en if is_en(locale) else zh).format(**values)


def write_state(status: str, locale: str) -> str:
    zh, en = WRITE_STATES.get(status, (status, status))
    return en if is_en(locale) else zh


__all__ = ["SUMMARIES", "WRITE_STATES", "say", "write_state"]
