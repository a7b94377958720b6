"""Before a pass: is the drive whole and does the journal know what the drive shows was done? (issue 8 §8)

- A workbook the pass reads that has vanished (renamed, a dangling link) is an alarm, never an
  empty day: the parts that would read it as empty are skipped, the Dashboard keeps its last state,
  and ``run --once`` exits non-zero.
- A journal that is blank while the drive has history (jobs in the outbox folders, documents/,
  replies/, a Dashboard), or that does not know jobs the outbox folders hold (an older copy
  restored), stops the pass before anything is sent: every order would count as new and every 待发
  order would be faxed again. ``hoteldesk journal rebuild DRIVE`` puts back what the drive shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoteldesk.automations.context import Context
from hoteldesk.automations.drive_history import has_history, journal_is_blank, unknown_jobs

#: The workbooks a pass reads, and the parts that must not run without each.
NEEDED: dict[str, frozenset[str]] = {
    "Bookings": frozenset({"orders", "mailroom", "views"}),
    "Contracts": frozenset({"orders", "views"}),
    "RoomStatus": frozenset({"orders", "views"}),
}

#: Set on every pass the preflight lets through: this journal has worked on this drive.
LAST_PASS = "last_pass_at"


@dataclass(frozen=True, slots=True)
class Preflight:
    alarms: tuple[str, ...] = ()  # what is wrong and what to do (one line each)
    stop: bool = False  # nothing may run this pass
    skip: frozenset[str] = frozenset()  # parts that must not run this pass


def _zh(ctx: Context) -> bool:
    return not ctx.locale.startswith("en")


def _missing_workbooks(ctx: Context) -> Preflight:
    alarms: list[str] = []
    skip: set[str] = set()
    for stem, parts in NEEDED.items():
        path = ctx.layout.workbook(stem)
        if path.is_file():
            continue
        skip |= parts
        if _zh(ctx):
            alarms.append(
                f"警报：{path} 不见了（被改名、移走或链接失效）。本轮不处理订单，看板保留上一次的内容；"
                f"请把 {path.name} 放回 {path.parent}（或从 archive/workbooks 恢复）"
            )
        else:
            alarms.append(
                f"ALARM: {path} is missing (renamed, moved or a dangling link). Orders are not processed and the "
                f"Dashboard keeps its last state; put {path.name} back in {path.parent} (or restore it from "
                "archive/workbooks)"
            )
    return Preflight(tuple(alarms), False, frozenset(skip))


def journal_behind(ctx: Context) -> str | None:
    """Why this journal cannot be trusted to know what was sent (see module doc), or None."""
    journal, layout = ctx.journal, ctx.layout
    rebuild = f"hoteldesk journal rebuild {layout.root}"
    if journal.meta(LAST_PASS) is None and journal_is_blank(journal) and has_history(layout):
        if _zh(ctx):
            return (
                f"停止：日志 {journal.path} 是空的或新建的，"
                "但共享盘上已有发送记录（outbox、documents、replies 或看板）。"
                f"若照常运行，所有待发订单会再发一次传真。本轮不发送任何东西。请从 {journal.backups} 恢复备份"
                f"（见 README「日志备份」），或运行 {rebuild} 按共享盘重建日志"
            )
        return (
            f"STOPPED: the journal {journal.path} is new or empty, but the drive shows hoteldesk has sent before "
            f"(outbox, documents, replies or the Dashboard). Running now would fax every 待发 order again, so "
            f"nothing is sent. Restore a backup from {journal.backups} (README › Journal backup) or run: {rebuild}"
        )
    unknown = unknown_jobs(layout, journal)
    if unknown:
        sample = ", ".join(sorted(unknown)[:3])
        if _zh(ctx):
            return (
                f"停止：outbox 文件夹里有 {len(unknown)} 个任务日志 {journal.path} 不认识（如 {sample}）——"
                f"日志丢失或被旧备份覆盖。本轮不发送任何东西，以免重复发传真。请运行 {rebuild}"
            )
        return (
            f"STOPPED: the outbox folders hold {len(unknown)} job(s) the journal {journal.path} does not know "
            f"(e.g. {sample}) — it was lost or an older copy was restored. Nothing is sent, so that no fax goes "
            f"twice. Run: {rebuild}"
        )
    return None


def preflight(ctx: Context) -> Preflight:
    """What this pass may do (see module doc); records that this journal has now worked on the drive."""
    behind = journal_behind(ctx)
    if behind is not None:
        return Preflight((behind,), True, frozenset())
    check = _missing_workbooks(ctx)
    ctx.journal.set_meta(LAST_PASS, ctx.now().isoformat())
    return check
