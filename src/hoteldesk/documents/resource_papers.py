"""The resources department's papers, the documents side of its step of the pass (issue 14; issue 15 §2).

H6: a hotel whose demanding terms are new or changed is announced — a .docx and an e-mail to sales.
H3 H8 H10: on the first pass of a month, last month's price comparison, hotel ranking, suspended hotels and
contracts expiring within 60 days go to ``reports/monthly/<YYYY-MM>-酒店资源.xlsx`` — written once, then
kept — with H11's hotel files. H4: the recommended hotels the director approved for this month and next are
published to ``reports/monthly/<YYYY-MM>-推荐酒店.xlsx``; a recommendation not approved is never in it.
The desk's figures and Dashboard sheets stay in ``automations.resources`` / ``automations.monthly_resources``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from hoteldesk.automations.context import Context
from hoteldesk.automations.directors import directors
from hoteldesk.automations.monthly_resources import PUBLISHED_KEY, month_sheets, write_sheets
from hoteldesk.automations.reference import load_reference
from hoteldesk.automations.remaining import read_orders
from hoteldesk.automations.staff_admin import joiners_to_hr, records
from hoteldesk.documents.announcement import announcement_docx, text
from hoteldesk.documents.hotel_file import hotel_files
from hoteldesk.documents.mailer import Mailer, build_message, send_once
from hoteldesk.domain import pricing
from hoteldesk.domain.contracts import announcements_due, terms_fingerprint
from hoteldesk.domain.hotel_stats import hotel_stats
from hoteldesk.domain.ranking import rank_hotels
from hoteldesk.domain.reference import Reference
from hoteldesk.domain.roster import next_month
from hoteldesk.errors import GatewayError
from hoteldesk.workbooks.schema_resources import COMPETITOR_PRICES, RECOMMENDED


def resources_pass(ctx: Context) -> list[str]:
    """Issue 14's part of every pass: H6 announcements, the monthly archive, H4 publication, A1 Friday list."""

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


# -- H3 H8 H10 H11: the monthly archive; H4: the published list ------------------------------------


def write_hotel_files(ctx: Context, reference: Reference, orders: Sequence[dict[str, Any]], month: date) -> int:
    """H11: one .docx per hotel under reports/hotels/ and index.xlsx listing them, with ``month``'s H8 rank."""

    locale, out = ctx.config.locale, ctx.layout.root / "reports" / "hotels"
    ranks = {r.hotel: r for r in rank_hotels(reference, orders, month)}
    stats = hotel_stats(reference, orders)
    written = hotel_files(out, reference, ctx.layout.root / "hotels", ranks, stats, ctx.now().date(), locale)
    rows = []
    for path in written:
        h = reference.hotels[path.stem]
        r, st = ranks.get(h.code), stats.get(h.code)
        rate = None if st is None or st.rate is None else round(st.rate * 100)
        rows.append([h.code, h.name(locale), h.city, h.star, h.contract_status, h.contract_to,
                     r.by_sales if r else None, rate, path.name])  # fmt: skip
    heads = ("酒店代码", "酒店", "城市", "星级", "合同状态", "合同结束", "销售额排名", "确认率%", "档案")
    write_sheets(out / "index.xlsx", [("酒店档案", heads, rows)])
    return len(written)


def archive_month(ctx: Context) -> list[str]:
    """Write last month's archive once, and the published recommendations when the approvals change."""
    if not ctx.layout.contracts.is_file():
        return []
    today, locale = ctx.now().date(), ctx.config.locale
    book = ctx.layout.workbook("Resources")
    reference = load_reference(ctx)
    lines = []
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    archive = ctx.layout.report_path("monthly", f"{last_month:%Y-%m}-酒店资源.xlsx")
    if not archive.exists():
        orders = read_orders(ctx)
        sheets = month_sheets(reference, orders, records(book, COMPETITOR_PRICES), last_month, locale)
        files = write_hotel_files(ctx, reference, orders, last_month)
        write_sheets(archive, sheets)  # last: a pass stopped half-way writes the month again
        lines.append(f"H3 H8 H10: {archive.name} archived; H11: {files} hotel file(s) in reports/hotels/")
    proposed, signers = records(book, RECOMMENDED), directors(ctx)
    for month in (today.replace(day=1), next_month(today)):
        recs = pricing.publishable(pricing.recommendations(proposed, month, signers))
        signature = "|".join(f"{r.hotel}:{r.approved_by}:{r.reason}" for r in recs)
        key = PUBLISHED_KEY.format(month=f"{month:%Y-%m}")
        if not recs or ctx.journal.meta(key) == signature:
            continue
        path = ctx.layout.report_path("monthly", f"{month:%Y-%m}-推荐酒店.xlsx")
        heads = ("Hotel Code", "Hotel", "City", "Reason", "Approved By") if locale.startswith("en") else (
            "酒店代码", "酒店", "城市", "推荐理由", "总监审批")  # fmt: skip
        rows = [
            [r.hotel, h.name(locale) if (h := reference.find_hotel(r.hotel)) else r.hotel, h.city if h else "",
             r.reason, r.approved_by]
            for r in recs
        ]  # fmt: skip
        write_sheets(path, [("推荐酒店" if not locale.startswith("en") else "Recommended", heads, rows)])
        with ctx.journal.transaction():
            ctx.journal.set_meta(key, signature)
        lines.append(f"H4: {len(recs)} recommended hotel(s) published to {path.name}")
    return lines
