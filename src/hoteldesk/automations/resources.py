"""The hotel resources department on the drive: who the director is, and its Dashboard sheets.

H5: the department directors are named in hoteldesk.toml (``[resources] directors = ["…"]``) or,
failing that, found in Rosters.xlsx › 员工 (部门 酒店资源部, 岗位 总监). A contract whose 签署人
is not one of them is not active (:func:`hoteldesk.domain.contracts.with_director_check`).
Dashboard: contracts expiring within 60 days, unsigned contracts (H5), the month's progress
against minimum room-nights (H6) and suspended hotels (H10), one sheet each.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.desk_queues import DeskQueue
from hoteldesk.automations.remaining import Snapshot
from hoteldesk.domain.contracts import expiring, minimum_progress, suspended, unsigned, with_director_check
from hoteldesk.domain.reference import Reference, norm
from hoteldesk.errors import HoteldeskError
from hoteldesk.workbooks.reader import read_sheet
from hoteldesk.workbooks.schema import STAFF

DIRECTOR_DEPARTMENT = "酒店资源部"
DIRECTOR_ROLES = frozenset({"总监", "director"})

_lock = threading.Lock()
_rosters: dict[Path, tuple[tuple[int, int], tuple[str, ...]]] = {}
_signed: dict[str, tuple[Reference, tuple[str, ...], Reference]] = {}


def _version(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, -1)
    return (st.st_mtime_ns, st.st_size)


def directors_in(staff: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Names of the hotel resources department's directors among Rosters › 员工 records."""
    return tuple(
        str(s.get("name")).strip()
        for s in staff
        if s.get("name")
        and norm(s.get("department")) == norm(DIRECTOR_DEPARTMENT)
        and norm(s.get("role")) in DIRECTOR_ROLES
    )


def directors(ctx: Context) -> tuple[str, ...]:
    """H5: who may sign contracts — the configured names, else the directors in Rosters.xlsx."""
    configured = ctx.config.raw.get("resources", {}).get("directors")
    if configured:
        return tuple(str(d) for d in ([configured] if isinstance(configured, str) else configured))
    path = ctx.layout.rosters
    version = _version(path)
    with _lock:
        hit = _rosters.get(path)
        if hit is not None and hit[0] == version:
            return hit[1]
    names: tuple[str, ...] = ()
    if path.is_file():
        try:
            names = directors_in([row.values for row in read_sheet(path, STAFF).rows])
        except HoteldeskError:
            return hit[1] if hit is not None else ()  # a Rosters.xlsx caught mid-save: keep the last reading
    with _lock:
        _rosters[path] = (version, names)
    return names


def signed_reference(ctx: Context, reference: Reference) -> Reference:
    """``reference`` with H5 applied (the same object back while neither it nor the directors change)."""
    names = directors(ctx)
    key = str(ctx.layout.contracts)
    with _lock:
        hit = _signed.get(key)
        if hit is not None and hit[0] is reference and hit[1] == names:
            return hit[2]
    out = with_director_check(reference, names)
    with _lock:
        _signed[key] = (reference, names, out)
    return out


def _pct(value: Any) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _hotel_cols() -> tuple[tuple[str, str, str, float], ...]:
    return (("酒店代码", "Hotel Code", "text", 10), ("酒店", "Hotel", "text", 24), ("城市", "City", "text", 8))


EXPIRING_COLUMNS = (
    *_hotel_cols(),
    ("合同结束", "Contract To", "date", 12),
    ("剩余天数", "Days Left", "int", 8),
    ("签署人", "Signed By", "text", 10),
)
UNSIGNED_COLUMNS = (*_hotel_cols(), ("签署人", "Signed By", "text", 10), ("合同状态", "Contract Status", "text", 10))
MINIMUM_COLUMNS = (
    *_hotel_cols(),
    ("月最低间夜", "Minimum", "int", 10),
    ("本月已订", "Booked", "int", 10),
    ("尚差", "Missing", "int", 8),
    ("累计返佣", "Cumulative Commission", "text", 12),
)
SUSPENDED_COLUMNS = (
    *_hotel_cols(),
    ("合同开始", "Contract From", "date", 12),
    ("合同结束", "Contract To", "date", 12),
    ("签署人", "Signed By", "text", 10),
)


def dashboard_queues(ctx: Context, snap: Snapshot | None) -> list[DeskQueue]:
    """Issue 14's Dashboard sheets: contracts (H5 H6 H10), pricing (H3 H4 H7 H9), staff (A1–A4)."""
    from hoteldesk.automations.staff_admin import pricing_queues, staff_queues

    if snap is None:
        return staff_queues(ctx)
    contracts = resource_queues(ctx, snap.reference, snap.orders)
    return contracts + pricing_queues(ctx, snap.reference, snap.orders, snap.remaining) + staff_queues(ctx)


def resource_queues(ctx: Context, reference: Reference | None, orders: Sequence[Mapping[str, Any]]) -> list[DeskQueue]:
    """The department's contract sheets (empty list when the contracts could not be read)."""
    if reference is None:
        return []
    locale, today = ctx.config.locale, ctx.now().date()
    hotels = reference.hotels.values()

    def head(h: Any) -> list[Any]:
        return [h.code, h.name(locale), h.city]

    ending = [[*head(e.hotel), e.hotel.contract_to, e.days_left, e.hotel.signed_by] for e in expiring(hotels, today)]
    no_sign = [[*head(h), h.signed_by, h.contract_status] for h in unsigned(hotels)]
    progress = [
        [*head(p.hotel), p.minimum, p.booked, p.missing, _pct(p.commission)]
        for p in minimum_progress(reference, orders, today)
    ]
    paused = [[*head(h), h.contract_from, h.contract_to, h.signed_by] for h in suspended(hotels)]
    return [
        DeskQueue(
            "contracts_expiring",
            "合同到期",
            "Contracts Expiring",
            EXPIRING_COLUMNS,
            ending,
        ),
        DeskQueue(
            "contracts_unsigned",
            "合同未签署",
            "Unsigned Contracts",
            UNSIGNED_COLUMNS,
            no_sign,
        ),
        DeskQueue(
            "monthly_minimum",
            "月最低间夜",
            "Monthly Minimum",
            MINIMUM_COLUMNS,
            progress,
        ),
        DeskQueue(
            "suspended",
            "暂停合作酒店",
            "Suspended Hotels",
            SUSPENDED_COLUMNS,
            paused,
        ),
    ]


def resources_pass(ctx: Context) -> list[str]:
    """Issue 14's part of every pass: H6 announcements, the monthly archive, H4 publication, A1 Friday list."""
    from hoteldesk.automations.monthly_resources import archive_month
    from hoteldesk.automations.staff_admin import joiners_to_hr

    return announce_terms(ctx) + archive_month(ctx) + joiners_to_hr(ctx)


# -- H6 announcements ---------------------------------------------------------------------------

BASELINE_KEY = "h6_terms_on_file_since"


def announce_to(ctx: Context) -> tuple[str, ...]:
    """``[resources] announce_to``: the sales and booking-desk addresses H6 announcements go to."""
    value = ctx.config.raw.get("resources", {}).get("announce_to", ())
    return tuple(str(v) for v in ([value] if isinstance(value, str) else value) if str(v).strip())


def announce_terms(ctx: Context) -> list[str]:
    """H6: a hotel whose demanding terms (minimum rooms, cumulative commission) are new or changed is
    announced — a .docx under documents/ and an e-mail to ``[resources] announce_to`` — once per change.

    The first pass on a drive takes the terms on file as known (no flood of announcements for the
    contracts staff already work with); from then on every addition and change is announced. A
    message the mail server refuses is tried again on the next pass.
    """
    from hoteldesk.automations.reference import load_reference
    from hoteldesk.documents.announcement import announcement_docx, text
    from hoteldesk.documents.mailer import Mailer, build_message, send_once
    from hoteldesk.domain.contracts import announcements_due, terms_fingerprint
    from hoteldesk.errors import GatewayError

    if not ctx.layout.contracts.is_file():
        return []
    reference = load_reference(ctx)
    db, now = ctx.journal.db, ctx.now()
    known = {str(h): str(f) for h, f in db.execute("SELECT hotel, fingerprint FROM term_announcements")}
    due = announcements_due(reference, known)
    if ctx.journal.meta(BASELINE_KEY) is None:
        with ctx.journal.transaction():
            ctx.journal.set_meta(BASELINE_KEY, now.isoformat())
            for code in due:
                db.execute(
                    "INSERT OR REPLACE INTO term_announcements (hotel, fingerprint, announced_at) VALUES (?,?,?)",
                    (code, terms_fingerprint(reference.terms[code]), now.isoformat()),
                )
        return [
            f"H6: {len(due)} hotel(s) with demanding terms on file; additions and changes are announced from now on"
        ]
    locale, to = ctx.config.locale, announce_to(ctx)
    lines = []
    for code in due:
        hotel, terms = reference.hotels[code], reference.terms[code]
        fingerprint = terms_fingerprint(terms)
        folder = ctx.layout.documents_folder(now.date())
        folder.mkdir(parents=True, exist_ok=True)
        stamp = f"{now:%Y%m%d%H%M%S}"
        path = folder / f"announcement_{code}_{stamp}.docx"
        path.write_bytes(announcement_docx(hotel, terms, now.date(), locale))
        if to:
            mailer = Mailer.from_settings(ctx.config.smtp)
            subject = f"{text('title', locale)} {hotel.name(locale)}"
            body = text("intro", locale, hotel=hotel.name(locale), code=code, city=hotel.city)
            msg = build_message(sender=mailer.sender, to=", ".join(to), subject=subject, body=body, attachments=[path])
            try:
                send_once(mailer, msg, f"announcement_{code}_{stamp}", ctx.layout.outbox_mail / "announcements")
            except GatewayError as exc:
                lines.append(f"H6 announcement for {code} not sent ({exc}); it is tried again on the next pass")
                continue
        with ctx.journal.transaction() as tx:
            tx.execute(
                "INSERT OR REPLACE INTO term_announcements (hotel, fingerprint, announced_at, document, sent_to) "
                "VALUES (?,?,?,?,?)",
                (code, fingerprint, now.isoformat(), str(path), ", ".join(to)),
            )
        lines.append(f"H6: announced {code} {hotel.name(locale)} ({path.name}{' → ' + ', '.join(to) if to else ''})")
    return lines
