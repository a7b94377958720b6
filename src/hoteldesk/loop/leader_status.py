"""``hoteldesk status DRIVE``: which watcher leads the drive, since when, its last heartbeat, who stands by.

Read from the lease (issue 16 §2): on PostgreSQL the ``hoteldesk.leases`` row and whether its advisory
lock is held right now, and the standbys that asked in the last few seconds; on SQLite the drive's lock
file. It only reads; it works while the watchers run. A lease's times are the database server's clock
(``clock_timestamp()``), not business time (``HOTELDESK_NOW`` does not move them): they are shown in the
drive's zone with the UTC offset and labelled so (QA wave 4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from hoteldesk.config import load_config
from hoteldesk.loop.leader import LOCK_FILE, drive_id, journal_url, read_lock_file
from hoteldesk.shared_drive_layout.resolve import resolve_drive

TEXTS = {
    "zh-CN": {
        "head": "共享盘 {drive}（编号 {id}），日志：{journal}",
        "leader": "  值守（主机）：{holder}，自 {since}（数据库服务器时钟）起（第 {epoch} 任），最近心跳 {ago} 秒前",
        "stale": "  上一任值守 {holder} 已停止（心跳 {ago} 秒前）；备机会在 2 秒内接手",
        "released": "  上一任值守 {holder} 已正常退出（{at}，数据库服务器时钟）",
        "nobody": "  没有 hoteldesk run 在值守此共享盘：请启动 hoteldesk run {drive}",
        "standby": "  备机：{holder}（{ago} 秒前询问）",
        "no_standby": "  备机：无",
        "sqlite_standby": "  备机：SQLite 日志只允许一个值守；要运行备机请把日志放到 PostgreSQL（[journal] url）",
        "lock": "  值守（主机）：{holder}（锁文件 {path}）",
    },
    "en": {
        "head": "Drive {drive} (id {id}), journal: {journal}",
        "leader": "  leader: {holder}, since {since} by the database server's clock (epoch {epoch}), "
        "last heartbeat {ago} s ago",
        "stale": "  the last leader {holder} has stopped (heartbeat {ago} s ago); a standby takes over within 2 s",
        "released": "  the last leader {holder} stopped cleanly ({at}, database server clock)",
        "nobody": "  no hoteldesk run watches this drive: start one with hoteldesk run {drive}",
        "standby": "  standby: {holder} (asked {ago} s ago)",
        "no_standby": "  standby: none",
        "sqlite_standby": "  standby: the SQLite journal allows one watcher; put the journal on PostgreSQL "
        "([journal] url) for a standby",
        "lock": "  leader: {holder} (lock file {path})",
    },
}


@dataclass(frozen=True, slots=True)
class Status:
    lines: tuple[str, ...]
    leading: bool  # a watcher leads the drive now


def _ago(now: datetime, then: datetime) -> str:
    return f"{max((now - then).total_seconds(), 0.0):.0f}"


def _stamp(at: datetime, tz: tzinfo) -> str:
    """A lease time in the drive's zone with its offset: ``2026-11-30 17:42:05 +08:00``."""
    local = at.astimezone(tz)
    offset = local.strftime("%z")
    return local.strftime("%Y-%m-%d %H:%M:%S ") + f"{offset[:3]}:{offset[3:]}"


def _where(url: str) -> str:
    """The URL without its user and password (never printed)."""
    rest = url.split("://", 1)[-1]
    return "PostgreSQL " + rest.rpartition("@")[2].split("?", 1)[0]


def drive_status(drive: Path) -> Status:
    drive = resolve_drive(drive)
    config = load_config(drive)
    t = TEXTS["en" if config.locale.startswith("en") else "zh-CN"]
    url = journal_url(config)
    ident = drive_id(config)
    if not url.startswith(("postgresql:", "postgres:")):
        holder = read_lock_file(drive / LOCK_FILE)
        lines = [t["head"].format(drive=drive, id=ident, journal=f"SQLite {config.journal_path}")]
        found = t["lock"].format(holder=holder, path=drive / LOCK_FILE) if holder else t["nobody"].format(drive=drive)
        lines.append(found)
        lines.append(t["sqlite_standby"])
        return Status(tuple(lines), bool(holder))
    from hoteldesk.loop.leader_pg import lease_rows, standbys

    lines = [t["head"].format(drive=drive, id=ident, journal=_where(url))]
    rows = lease_rows(url, ident)
    leading = bool(rows) and rows[0].held and rows[0].released_at is None
    if rows:
        r = rows[0]
        tz = config.tz
        if leading:
            since = _stamp(r.since, tz)
            ago = _ago(r.now, r.heartbeat_at)
            lines.append(t["leader"].format(holder=r.holder, since=since, epoch=r.epoch, ago=ago))
        elif r.released_at is not None:
            ended = _stamp(r.released_at, tz)
            lines.append(t["released"].format(holder=r.holder, at=ended))
        else:
            lines.append(t["stale"].format(holder=r.holder, ago=_ago(r.now, r.heartbeat_at)))
    if not leading:
        lines.append(t["nobody"].format(drive=drive))
    seen = standbys(url, ident)
    now = rows[0].now if rows else None
    for name, asked in seen:
        lines.append(t["standby"].format(holder=name, ago=_ago(now or asked, asked)))
    if not seen:
        lines.append(t["no_standby"])
    return Status(tuple(lines), leading)
