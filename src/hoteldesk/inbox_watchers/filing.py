"""Filing every reply by the day it arrived (C6), and the review queue.

``replies/YYYY/MM/DD/HHMMSS_<order or UNMATCHED>_<hotel>.eml`` (the arrival time in
the drive's time zone), the attachments in ``<same name>_files/`` beside it. Names
are sanitised with :func:`safe_name` and every path is checked to stay inside its
folder whatever the sender called an attachment (``../../x``, ``/etc/passwd``, NUL,
``CON``); a name already taken is suffixed ``_2``, ``_3`` … and files are created
exclusively, so two watchers never overwrite each other.
"""

from __future__ import annotations

import itertools
import json
import mimetypes
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hoteldesk.shared_drive_layout import DriveLayout
from hoteldesk.shared_drive_layout.paths import safe_name

MAX_FILED_ATTACHMENTS = 200  # beyond this only the .eml is filed (it holds them all)


@dataclass(frozen=True, slots=True)
class FiledReply:
    path: Path
    attachments: tuple[Path, ...] = field(default_factory=tuple)


def _inside(folder: Path, path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


def write_exclusive(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` as ``folder/name`` (suffixed ``_2``, ``_3`` … if taken), never outside ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    clean = safe_name(name, limit=120)
    stem, dot, ext = clean.rpartition(".")
    if not dot or not stem or len(ext) > 8:
        stem, ext = clean, ""
    n = 1
    while True:
        candidate = folder / (f"{stem}{'_' + str(n) if n > 1 else ''}{'.' + ext if ext else ''}")
        if not _inside(folder, candidate) or candidate.parent.resolve() != folder.resolve():
            raise ValueError(f"{name!r} would leave {folder}")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            n += 1
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return candidate


def _attachment_parts(msg: Message) -> Iterator[tuple[str, bytes]]:
    n = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        try:
            filename = part.get_filename()
        except (ValueError, LookupError, TypeError):  # broken RFC 2231 parameters
            filename = None
        if disposition != "attachment" and not filename:
            continue
        try:
            payload = part.get_payload(decode=True)
        except (ValueError, LookupError, TypeError):
            payload = None
        if not isinstance(payload, bytes):
            continue
        n += 1
        if not filename:
            ext = mimetypes.guess_extension(part.get_content_type()) or ".bin"
            filename = f"attachment-{n}{ext}"
        yield str(filename), payload


def file_reply(
    layout: DriveLayout,
    raw: bytes,
    received: datetime,
    order_no: str | None,
    hotel: str,
    tz: ZoneInfo,
) -> FiledReply:
    """File ``raw`` under replies/ by its arrival day in ``tz``, attachments beside it."""
    local = received.astimezone(tz) if received.tzinfo else received.replace(tzinfo=tz)
    target = layout.reply_path(local, order_no, hotel or "unknown")
    folder = target.parent
    path = write_exclusive(folder, target.name, raw)
    if not _inside(layout.replies, path):
        raise ValueError(f"{path} is outside {layout.replies}")
    try:
        msg: Message = BytesParser(policy=policy.compat32).parsebytes(raw)
        parts = list(itertools.islice(_attachment_parts(msg), MAX_FILED_ATTACHMENTS + 1))
    except Exception:  # broken MIME (or nested 1,000 deep): the .eml itself is filed, attachments not split out
        parts = []
    if len(parts) > MAX_FILED_ATTACHMENTS:  # issue 10 §9: 20,000 attachments are not written one by one
        parts = []
    saved: list[Path] = []
    if parts:
        att_folder = folder / f"{path.stem}_files"
        for name, data in parts:
            base = os.path.basename(name.replace("\\", "/").replace("\x00", "")) or "attachment"
            saved.append(write_exclusive(att_folder, base, data))
    return FiledReply(path, tuple(saved))


#: How the review entry's fields are named in a zh-CN drive's TXT (the JSON keeps its keys).
REVIEW_LABELS = {
    "received": "收到时间",
    "filed": "原件",
    "source": "来源",
    "sender": "发件人",
    "subject": "主题",
    "kind": "回复类型",
    "orders": "订单",
    "hotel": "酒店",
    "confidence": "把握",
    "evidence": "依据",
}


def write_review(
    layout: DriveLayout,
    *,
    ledger_id: int,
    received: datetime,
    reason: str,
    filed_path: Path | None,
    details: dict[str, Any],
    tz: ZoneInfo,
    locale: str = "zh-CN",
) -> Path:
    """One review entry (JSON for the dashboard, TXT for people, in the drive's locale) in mailroom/review/."""
    local = received.astimezone(tz)
    entry = {
        "ledger_id": ledger_id,
        "received": local.isoformat(),
        "reason": reason,
        "filed": str(filed_path.relative_to(layout.root)) if filed_path else "",
        **details,
    }
    stem = f"{local:%Y%m%d-%H%M%S}_{ledger_id}"
    data = json.dumps(entry, ensure_ascii=False, indent=2, sort_keys=True, default=str).encode("utf-8")
    path = write_exclusive(layout.mail_review, stem + ".json", data)
    en = locale.startswith("en")
    lines = (
        [f"For review — #{ledger_id}", f"Reason: {reason}"] if en else [f"待人工处理 — #{ledger_id}", f"原因：{reason}"]
    )
    for k, v in sorted(entry.items()):
        if k not in ("reason", "ledger_id"):
            lines.append(f"{k}: {v}" if en else f"{REVIEW_LABELS.get(k, k)}：{v}")
    write_exclusive(layout.mail_review, path.stem + ".txt", ("\n".join(lines) + "\n").encode("utf-8"))
    return path


def message_headers(raw: bytes) -> EmailMessage:
    """Headers (and body) parsed leniently, for the ledger's Message-ID and the review entry."""
    parsed = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    assert isinstance(parsed, EmailMessage)
    return parsed
