"""H11: one file per hotel — details, location, contract and terms, rates, pictures, ranking (H8),
confirmation rate and answer time — as a .docx under ``reports/hotels/``, with an index workbook.

Pictures are the .jpg/.jpeg/.png files of the drive's ``hotels/<code>/`` folder; one that cannot be
read is named in the file instead of stopping it. Every text from the drive is cleaned of control
characters before it goes into the document.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Mm

from hoteldesk.documents.render import clean_text
from hoteldesk.domain.hotel_stats import HotelStats
from hoteldesk.domain.ranking import HotelRank
from hoteldesk.domain.reference import Hotel, Reference

PICTURES = (".jpg", ".jpeg", ".png")
LABELS = {
    "details": ("酒店资料", "Details"),
    "contract": ("合同与条款", "Contract and terms"),
    "rates": ("房价", "Rates"),
    "pictures": ("图片", "Pictures"),
    "figures": ("本月表现", "This month"),
    "no_pictures": ("hotels/{code}/ 文件夹中没有图片", "no pictures in the hotels/{code}/ folder"),
    "bad_picture": ("图片无法读取：{name}", "picture cannot be read: {name}"),
}


def _t(key: str, locale: str, **values: object) -> str:
    zh, en = LABELS[key]
    return (en if locale.startswith("en") else zh).format(**values)


def _c(value: object) -> str:
    return clean_text("" if value is None else str(value))


def hotel_file_docx(
    hotel: Hotel,
    reference: Reference,
    pictures: Path,
    rank: HotelRank | None,
    stats: HotelStats | None,
    day: date,
    locale: str = "zh-CN",
) -> bytes:
    """H11: one hotel's file, as the bytes of a .docx."""
    doc = Document()
    doc.add_heading(f"{_c(hotel.name(locale))} ({_c(hotel.code)})", level=1)
    doc.add_heading(_t("details", locale), level=2)
    _details(doc, hotel)
    doc.add_heading(_t("contract", locale), level=2)
    _contract(doc, hotel, reference, locale)
    doc.add_heading(_t("rates", locale), level=2)
    _rates(doc, hotel, reference)
    doc.add_heading(_t("figures", locale), level=2)
    _month(doc, rank, stats, locale)
    doc.add_heading(_t("pictures", locale), level=2)
    _pictures(doc, hotel, pictures, locale)
    doc.add_paragraph(f"hoteldesk {day.isoformat()}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _details(doc: DocxDocument, hotel: Hotel) -> None:
    """City and district, star, address, phone, fax, e-mail."""
    star = f"{hotel.star}★" if hotel.star else "-"
    for label, value in (
        ("城市 City", f"{hotel.city} {hotel.district}"),
        ("星级 Star", star),
        ("地址 Address", hotel.address),
        ("电话 Phone", hotel.phone),
        ("传真 Fax", hotel.fax),
        ("邮箱 E-mail", hotel.email),
    ):
        doc.add_paragraph(f"{label}: {_c(value)}")


def _contract(doc: DocxDocument, hotel: Hotel, reference: Reference, locale: str) -> None:
    """The contract's state, period, signer and settlement; the cancellation terms; the demanding terms (H6)."""
    en = locale.startswith("en")
    doc.add_paragraph(
        f"{_c(hotel.contract_status)} · {hotel.contract_from or '…'} – {hotel.contract_to or '…'} · "
        f"{'signed by' if en else '签署人'} {_c(hotel.signed_by) or '-'} · {_c(hotel.settlement)}"
    )
    if hotel.cancel_terms:
        doc.add_paragraph(_c(hotel.cancel_terms))
    terms = reference.terms.get(hotel.code)
    if terms is not None:
        doc.add_paragraph(
            f"{'minimum' if en else '月最低间夜'} {terms.monthly_min_rooms or '-'} · "
            f"{'cumulative commission' if en else '累计返佣'} {terms.cumulative_commission or '-'} · "
            f"{'free rooms' if en else '免费房'} {terms.free_rooms or '-'} · {_c(terms.peak_periods)}"
        )


def _rates(doc: DocxDocument, hotel: Hotel, reference: Reference) -> None:
    """The contract rates: room type, validity, selling rate, floor price."""
    rates = [r for r in reference.rates if r.hotel == hotel.code]
    table = doc.add_table(rows=1, cols=5)
    for head, label in zip(table.rows[0].cells, ("房型", "生效", "失效", "卖价", "底价"), strict=True):
        head.text = label
    for r in rates:
        values: tuple[object, ...] = (r.room_type, r.valid_from, r.valid_to, r.rate, r.floor_price)
        for cell, item in zip(table.add_row().cells, values, strict=True):
            cell.text = _c(item)


def _month(doc: DocxDocument, rank: HotelRank | None, stats: HotelStats | None, locale: str) -> None:
    """H8 ranking by sales and room-nights; the confirmation rate and the average answer time."""
    en = locale.startswith("en")
    if rank is not None:
        doc.add_paragraph(
            f"H8: {'sales' if en else '销售额'} ¥{rank.sales:,.2f} (#{rank.by_sales}) · "
            f"{'room-nights' if en else '间夜'} {rank.room_nights} (#{rank.by_room_nights})"
        )
    if stats is not None:
        pct = "-" if stats.rate is None else f"{stats.rate * 100:.0f}%"
        answer = "-" if stats.answer_minutes is None else f"{stats.answer_minutes} min"
        doc.add_paragraph(
            f"{'confirmation rate' if en else '确认率'} {pct} ({stats.confirmed}/{stats.sent}) · "
            f"{'answer time' if en else '平均答复时间'} {answer}"
        )


def _pictures(doc: DocxDocument, hotel: Hotel, pictures: Path, locale: str) -> None:
    """The pictures of hotels/<code>/; one that cannot be placed is named instead."""
    found = sorted(p for p in pictures.glob("*") if p.suffix.lower() in PICTURES) if pictures.is_dir() else []
    if not found:
        doc.add_paragraph(_t("no_pictures", locale, code=hotel.code))
    for path in found:
        try:
            doc.add_picture(str(path), width=Mm(120))
        except Exception:  # any image python-docx cannot place: named, the file still goes out
            doc.add_paragraph(_t("bad_picture", locale, name=path.name))


def hotel_files(
    out: Path,
    reference: Reference,
    pictures_root: Path,
    ranks: Mapping[str, HotelRank],
    stats: Mapping[str, HotelStats],
    day: date,
    locale: str = "zh-CN",
) -> list[Path]:
    """Write ``<out>/<code>.docx`` for every hotel; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for code, hotel in sorted(reference.hotels.items()):
        data = hotel_file_docx(hotel, reference, pictures_root / code, ranks.get(code), stats.get(code), day, locale)
        path = out / f"{code}.docx"
        tmp = path.with_name(f".{path.name}.part")
        tmp.write_bytes(data)
        tmp.replace(path)
        written.append(path)
    return written
