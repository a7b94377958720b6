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
    # hoteldesk run / run --once / the daemon: one line per step (runzh), file names stay as they are
    "orders_pass": (
        "{name}：新增 {new}，修改 {changed}，删除 {deleted}，编号 {numbered}；排队的单据：{jobs}；"
        "待写回 {writes} 个单元格",
        "{name}: {new} new, {changed} changed, {deleted} deleted, {numbered} numbered; slips queued: {jobs}; "
        "{writes} cell(s) to write back",
    ),
    "no_jobs": ("无", "none"),
    "row_deleted": (
        "{name}：订单 {order_no} 的行已删除 — 请恢复该行或取消订单（见「问题」，需人工处理）",
        "{name}: row of order {order_no} was deleted — restore it or cancel the order (问题 for a person)",
    ),
    "status_flagged": (
        "{name}：{n} 个订单的状态变更不被允许（见「问题」）",
        "{name}: {n} order(s) with a status change that is not allowed (see 问题)",
    ),
    "mail_tally": (
        "{what}：已应用 {applied}，已归档 {filed}，转人工审核 {review}，忽略 {ignored}，失败 {failed}",
        "{what}: {applied} applied, {filed} filed, {review} sent to review, {ignored} ignored, {failed} failed",
    ),
    "mailroom": ("邮件室", "Mailroom"),
    "fax_in": ("传真回件", "Fax-in"),
    "retried": ("重试 {n} 封", "Retried {n}"),
    "outbox_pass": ("发件箱：已生成 {render}，已提交 {submit}", "outbox: {render} rendered, {submit} submitted"),
    "outbox_c1": (
        "发件箱：C1 — {unsent} 张订单待发送（上限 {limit}）",
        "outbox: C1 — {unsent} slips waiting to be sent (limit {limit})",
    ),
    "outbox_attention": (
        "发件箱：{n} 个任务需要人工处理（失败或状态不明），见 `hoteldesk outbox list`",
        "outbox: {n} job(s) need a person (failed or unknown)",
    ),
    "remaining_view": (
        "views/Remaining.xlsx：{n} 个房晚，超订 {over} 个",
        "views/Remaining.xlsx: {n} nights, {over} over-booked",
    ),
    "dashboard_view": (
        "views/Dashboard.xlsx：待发送 {waiting}，待酒店回复 {awaiting}，即将到期 {due_soon}，已超时 {overdue}，"
        "待审核 {review}，满房 {full}",
        "views/Dashboard.xlsx: {waiting} waiting to send, {awaiting} awaiting the hotel, {due_soon} due soon, "
        "{overdue} overdue, {review} to review, {full} full",
    ),
    "view_not_rewritten": (
        "{view} 未重写（{error}）；请在 Excel 中关闭它，下一轮会重写",
        "{view} not rewritten ({error}); close it in Excel, it is rewritten on the next pass",
    ),
    "views_no_bookings": (
        "视图未重写：找不到 {path}；Dashboard.xlsx 保持上次的内容，请恢复该工作簿",
        "views not rewritten: {path} is missing; the Dashboard keeps its last state",
    ),
    "orphans_ended": (
        "已结束上次停止的 hoteldesk 遗留的 {n} 个 LibreOffice 进程",
        "ended {n} LibreOffice process(es) a stopped hoteldesk left",
    ),
    "watching": (
        "正在监视 {path}（{mode}）；按 Ctrl+C 停止",
        "watching {path} ({mode}); stop with Ctrl+C",
    ),
    "mode_polling": ("轮询", "polling"),
    "mode_events": ("文件事件", "events"),
    "standby": ("待命：{leader} 正在处理 {root}", "standby: {leader} leads {root}"),
    "another_watcher": ("另一个监视进程", "another watcher"),
    "members_pass": (
        "会员：记入积分 {posted} 条，Members.xlsx/Bookings.xlsx 待写回 {cells} 个单元格，"
        "记录会员资料变更 {changed} 处，投诉编号 {numbered} 件，投诉时限超时 {overdue} 件；{view}",
        "members: {posted} points entr(ies) posted, {cells} cell(s) queued for Members.xlsx/Bookings.xlsx, "
        "{changed} member detail change(s) recorded, {numbered} complaint(s) numbered, {overdue} complaint clock(s) "
        "overdue; {view}",
    ),
    "members_missing": (
        "会员：找不到 {path} — 请运行 `hoteldesk init {root}` 创建",
        "members: {path} not found — run `hoteldesk init {root}` to create it",
    ),
    "custsvc_view": (
        "views/{view}：积分流水 {ledger} 条，资料变更 {changes} 处，待转化 {convert} 人（S6），待寄卡 {post} 张，"
        "超时 {late} 张（S7）{labels}",
        "views/{view}: {ledger} ledger entr(ies), {changes} change(s), {convert} to convert (S6), "
        "{post} card(s) to post, {late} overdue (S7){labels}",
    ),
    "leading": ("正在处理 {root}，身份 {holder}（第 {epoch} 届）", "leading {root} as {holder} (epoch {epoch})"),
}  # fmt: skip

#: Write-back states as `writebacks list` shows them.
WRITE_STATES: dict[str, tuple[str, str]] = {
    "failed": ("失败", "failed"),
    "conflict": ("冲突", "conflict"),
}


#: The slips an orders pass queues (documents/jobs.py SLIP_KINDS), as the orders line names them.
SLIP_KINDS: dict[str, tuple[str, str]] = {
    "booking": ("预订单", "booking"),
    "change": ("变更单", "change"),
    "cancel": ("取消单", "cancel"),
}


def slip_kind(kind: str, locale: str) -> str:
    zh, en = SLIP_KINDS.get(kind, (kind, kind))
    return en if is_en(locale) else zh


def is_en(locale: str) -> bool:
    return locale.startswith("en")


def say(key: str, locale: str, /, **values: Any) -> str:
    """The text of ``key`` in ``locale`` with its placeholders filled."""
    zh, en = SUMMARIES[key]
    return (en if is_en(locale) else zh).format(**values)


def write_state(status: str, locale: str) -> str:
    zh, en = WRITE_STATES.get(status, (status, status))
    return en if is_en(locale) else zh


__all__ = ["SLIP_KINDS", "SUMMARIES", "WRITE_STATES", "say", "slip_kind", "write_state"]
