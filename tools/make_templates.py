"""Build the default Word templates shipped in ``src/hoteldesk/templates/`` (zh-CN and en).

Run ``.venv/bin/python tools/make_templates.py``; the output is reproducible (fixed zip
timestamps and document properties), so a re-run on an unchanged script changes no byte.
Staff edit the drive's copies in Word; these are only the defaults ``hoteldesk init`` copies.

Every template is A4 with a CJK font (Noto Sans CJK SC, eastAsia set) so Chinese renders on
Linux. Fax slips are black only (fax is 1-bit), with "page x of y" as Word PAGE/NUMPAGES
fields in the footer.

Context keys (built by ``hoteldesk.documents.slips``; ``hoteldesk templates check`` lints them):

booking_slip / change_slip / cancel_slip (预订单 / 变更单 / 取消单, C1)
    ``title``, ``kind``, ``order_no``, ``issued_at``, ``reply_by`` (C3/C4 clock),
    ``company.{name,address,phone,fax,email}``, ``to.{hotel,attn,fax,phone,email}``,
    ``order.<field>`` — every field of the Bookings sheet as display text, plus ``order.nights``;
    ``rows`` — [{``mark`` ("▲" when changed), ``label``, ``old``, ``new_changed``, ``new_same``}]
    (the change slip shows old → new; a changed value is bold + underlined and marked ▲, no colour);
    ``changes`` — the changed rows only;
    ``qr`` — the reply panel picture (QR with order no., revision, kind and check value; the tick
    boxes and the 确认号 line drawn relative to it, issue 17 — keep it whole and at its size).

customer_letter (客户确认函, C8)
    the slip keys plus ``customer.{name,company,fax,email}``,
    ``hotel.{name,address,phone}``, ``cancel_terms``, ``total`` (rate × nights × rooms) and
    ``payment_note`` (how and when to pay; 代收代付 pays us). Internal fields (备注 …) read blank.

internal_form (内部沟通单, X1)
    ``form_no``, ``raised_at``, ``answer_by``, ``raised_by``, ``to_department``, ``order_no``,
    ``hotel_name``, ``issue``, ``note``, ``company.*``,
    ``rows`` — [{``label``, ``ours``, ``hotels``}] the mismatching values (rate, guest, company, rooms).

answer_letter (满房 / 拒绝 / 已取消 letters, C8; issue 12 §7)
    the customer_letter keys plus ``answer_title``, ``answer_intro`` and ``alternatives`` (满房: up to
    three hotels of the same class, one a line); ``order.cancel_no`` for a cancellation.

prize_letter (兑奖确认函, S2; issue 12) — filled by ``hoteldesk.documents.member_letters``:
    ``request_no``, ``issued_at``, ``prize``, ``points``, ``delivered_on``, ``delivered_by``, ``balance``,
    ``member.{card_no,name,address}``, ``company.*``.

daily_report (每日/每周/每月运营报告, issue 11) — filled by ``documents/report*``:
    ``title``, ``date``, ``generated_at``, ``company.*``,
    ``kpi_columns`` — [str] and ``kpis`` — [{``label``, ``value``, ``note``, ``cells``: [str]}]
    (the first page's key figures: this period, the previous one, the change ▲▼, …),
    ``charts`` — [{``title``, ``image``}] (the first page's chart) where ``image`` is a
    ``hoteldesk.documents.render.Picture`` (render_docx turns it into a docxtpl InlineImage),
    ``notes`` — [str],
    ``sections`` — [{``title``, ``charts``: [{``title``, ``image``}],
    ``tables``: [{``title``, ``columns``: [str], ``rows``: [[str]]}]}],
    ``tables`` — every section's tables in one list (for copies of the older one-page template).
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "hoteldesk" / "templates"
FONT = "Noto Sans CJK SC"
FIXED = datetime(2026, 1, 1, 0, 0, 0)

# Static labels, per locale. Order-field labels match workbooks/schema.py (ORDERS).
L: dict[str, dict[str, str]] = {
    "zh-CN": {
        "tel": "电话",
        "fax": "传真",
        "email": "邮箱",
        "to": "致",
        "attn": "收件人",
        "from": "发件人",
        "date": "日期",
        "order_no": "订单号 Order No.",
        "quote": "回复请注明订单号 / please quote our order no.",
        "reply_by": "请于以下时间前回复确认：",
        "reply_to": "请回复至 传真 {{ company.fax }} 或 邮箱 {{ company.email }}",
        "hotel_fill": "酒店回复（请填写后传回）",
        "conf_no": "确认号",
        "confirmed_by": "确认人",
        "signature": "签名/盖章",
        "full": "□ 确认    □ 满房    □ 拒绝    原因：",
        "reason": "原因（满房/拒绝时）",
        "note": "备注",
        "page": "第 {P} 页 / 共 {N} 页",
        "booking": "预订单",
        "change": "变更单",
        "cancel": "取消单",
        "change_note": "以下为变更内容（▲ 与粗体下划线标示变更项），其余内容不变。",
        "cancel_note": "请取消以下订单，并回复取消号。",
        "cancel_no": "取消号",
        "item": "项目",
        "old": "原内容",
        "new": "新内容",
        "guests": "入住人",
        "requests": "特殊要求",
        "remarks": "备注",
        "letter": "预订确认函",
        "dear": "尊敬的 {{ customer.name }}：",
        "letter_intro": "感谢您的预订。酒店已确认您的订单，详情如下：",
        "hotel_conf": "酒店确认号",
        "hotel": "酒店",
        "address": "地址",
        "stay": "入住 / 离店",
        "nights": "晚",
        "rate": "房价",
        "payment": "付款方式",
        "cancel_terms": "取消条款",
        "letter_close": "如有任何问题，请致电 {{ company.phone }} 或发邮件至 {{ company.email }}，并注明订单号。",
        "internal": "内部沟通单",
        "form_no": "编号",
        "raised_by": "提出人",
        "to_department": "接收部门",
        "raised_at": "提出时间",
        "answer_by": "回复时限",
        "issue": "问题",
        "ours": "我方订单",
        "hotels": "酒店记录",
        "note": "说明",
        "resolution": "处理结果（接收部门填写）",
        "handled_by": "处理人",
        "handled_at": "处理时间",
        "report": "每日运营报告",
        "kpi": "指标",
        "value": "数值",
        "remark": "说明",
        "generated": "生成时间",
    },
    "en": {
        "tel": "Tel",
        "fax": "Fax",
        "email": "E-mail",
        "to": "To",
        "attn": "Attn",
        "from": "From",
        "date": "Date",
        "order_no": "Our Order No.",
        "quote": "Please quote our order no. in your reply / 回复请注明订单号",
        "reply_by": "Please confirm by:",
        "reply_to": "Reply to fax {{ company.fax }} or e-mail {{ company.email }}",
        "hotel_fill": "Hotel's reply (please fill in and fax back)",
        "conf_no": "Confirmation No.",
        "confirmed_by": "Confirmed by",
        "signature": "Signature / stamp",
        "full": "□ Confirmed    □ Full    □ Denied    Reason:",
        "reason": "Reason (if full or declined)",
        "note": "Note",
        "page": "Page {P} of {N}",
        "booking": "Booking Slip",
        "change": "Change Slip",
        "cancel": "Cancellation Slip",
        "change_note": "Changes are marked ▲ and in bold underline; everything else is unchanged.",
        "cancel_note": "Please cancel the order below and reply with your cancellation number.",
        "cancel_no": "Cancellation No.",
        "item": "Item",
        "old": "Was",
        "new": "Now",
        "guests": "Guests",
        "requests": "Special Requests",
        "remarks": "Remarks",
        "letter": "Booking Confirmation",
        "dear": "Dear {{ customer.name }},",
        "letter_intro": "Thank you for your booking. The hotel has confirmed it as follows:",
        "hotel_conf": "Hotel Confirmation No.",
        "hotel": "Hotel",
        "address": "Address",
        "stay": "Check-in / Check-out",
        "nights": "night(s)",
        "rate": "Nightly Rate",
        "payment": "Payment",
        "cancel_terms": "Cancellation Terms",
        "letter_close": "For any question call {{ company.phone }} or write to {{ company.email }}, "
        "quoting the order number.",
        "internal": "Internal Communication Form",
        "form_no": "Form No.",
        "raised_by": "Raised by",
        "to_department": "To department",
        "raised_at": "Raised at",
        "answer_by": "Answer by",
        "issue": "Issue",
        "ours": "Our order",
        "hotels": "Hotel's record",
        "note": "Note",
        "resolution": "Resolution (filled in by the receiving department)",
        "handled_by": "Handled by",
        "handled_at": "Handled at",
        "report": "Daily Operations Report",
        "kpi": "Measure",
        "value": "Value",
        "remark": "Note",
        "generated": "Generated at",
    },
}

# (label zh, label en, context key) — the slip's order fields, two per table row.
PAIRS: list[tuple[tuple[str, str, str], tuple[str, str, str]]] = [
    (("酒店", "Hotel", "hotel"), ("房型", "Room Type", "room_type")),
    (("入住日期", "Check-in", "check_in"), ("离店日期", "Check-out", "check_out")),
    (("间数", "Rooms", "rooms"), ("晚数", "Nights", "nights")),
    (("房价", "Nightly Rate", "rate"), ("付款方式", "Payment", "payment")),
    (("预订人", "Booker", "booker"), ("预订人电话", "Booker Phone", "booker_phone")),
    (("公司", "Company", "company"), ("会员卡号", "Member No.", "member_card")),
    (("预订员", "Agent", "agent"), ("预订时间", "Booked At", "booked_at")),
    (("确认号", "Conf. No.", "hotel_conf_no"), ("渠道", "Channel", "channel")),
]
WIDE = [("入住人", "Guests", "guests"), ("特殊要求", "Requests", "requests"), ("备注", "Remarks", "remarks")]


def _lab(locale: str, zh: str, en: str) -> str:
    return en if locale == "en" else zh


# -- low-level helpers ---------------------------------------------------------------------


def _set_font(rpr_parent: object, size: float | None = None) -> None:
    """Noto Sans CJK SC for ascii, hAnsi and eastAsia text on a style or run."""
    font = rpr_parent.font  # type: ignore[attr-defined]
    font.name = FONT
    if size:
        font.size = Pt(size)
    rpr = rpr_parent.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _new_document(landscape: bool = False) -> DocumentObject:
    doc = Document()
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    else:
        sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(18)
    sec.top_margin = Mm(15)
    sec.bottom_margin = Mm(18)
    sec.footer_distance = Mm(8)
    normal = doc.styles["Normal"]
    _set_font(normal, 10.5)
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    for name in ("Table Grid",):
        _set_font(doc.styles[name], 10)
    # East-Asian line breaking and a Chinese language tag so Word/LibreOffice pick CJK rules.
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    props = doc.core_properties
    props.author = "hoteldesk"
    props.last_modified_by = "hoteldesk"
    props.created = FIXED
    props.modified = FIXED
    props.revision = 1
    props.comments = ""
    return doc


def _para(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_after: float | None = None,
) -> Paragraph:
    p = container.add_paragraph()
    if text:
        _run(p, text, size=size, bold=bold, underline=underline)
    if align is not None:
        p.alignment = align
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def _run(p: Paragraph, text: str, *, size: float | None = None, bold: bool = False, underline: bool = False) -> None:
    r = p.add_run(text)
    r.bold = bold or None
    r.underline = underline or None
    if size:
        r.font.size = Pt(size)


def _cell_text(
    cell: _Cell, text: str, *, bold: bool = False, size: float | None = None, underline: bool = False
) -> Paragraph:
    p = cell.paragraphs[0]
    if text:
        _run(p, text, bold=bold, size=size, underline=underline)
    return p


def _bottom_border(p: Paragraph, size: int = 12) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    bdr.append(bottom)
    ppr.append(bdr)


def _field(p: Paragraph, instr: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin/instr/separate/result/end runs."""

    def fld(kind: str) -> None:
        r = p.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld("begin")
    r = p.add_run()
    it = OxmlElement("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} \\* ARABIC "
    r._r.append(it)
    fld("separate")
    p.add_run("1")
    fld("end")


def _table(doc: DocumentObject | _Cell, rows: int, widths_mm: list[float]) -> Table:
    t = doc.add_table(rows=rows, cols=len(widths_mm))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(w)
    # LibreOffice lays a table out by its grid, not by the cell widths: set both.
    for col, w in zip(t._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(w).twips)))
    # Fixed layout (autofit off) and a fixed total width, so a 2,000-character remark wraps instead of
    # widening the table.
    tblw = t._tbl.tblPr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(sum(int(Mm(w).twips) for w in widths_mm)))
    return t


def _no_split_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


# -- shared blocks -------------------------------------------------------------------------


def _letterhead(doc: DocumentObject, lab: dict[str, str]) -> None:
    _para(doc, "{{ company.name }}", size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _para(doc, "{{ company.address }}", size=9, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    p = _para(
        doc,
        f"{lab['tel']} {{{{ company.phone }}}}    {lab['fax']} {{{{ company.fax }}}}    "
        f"{lab['email']} {{{{ company.email }}}}",
        size=9,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=4,
    )
    _bottom_border(p)


def _footer(doc: DocumentObject, lab: dict[str, str], left: str) -> None:
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, rest = lab["page"].split("{P}")
    middle, after = rest.split("{N}")
    _run(p, f"{left}    {before}", size=8)
    _field(p, "PAGE")
    _run(p, middle, size=8)
    _field(p, "NUMPAGES")
    _run(p, after, size=8)


def _to_block(doc: DocumentObject, lab: dict[str, str]) -> None:
    t = _table(doc, 3, [20, 67, 20, 67])
    cells = [
        (lab["to"], "{{ to.hotel }}", lab["fax"], "{{ to.fax }}"),
        (lab["attn"], "{{ to.attn }}", lab["tel"], "{{ to.phone }}"),
        (lab["from"], "{{ company.name }}", lab["date"], "{{ issued_at }}"),
    ]
    for row, values in zip(t.rows, cells, strict=True):
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            _cell_text(cell, text, bold=i % 2 == 0, size=9.5)


def _order_no_block(doc: DocumentObject, lab: dict[str, str], title: str) -> None:
    _para(doc, "", space_after=0)
    _para(doc, title, size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _run(p, f"{lab['order_no']}: ", size=12, bold=True)
    _run(p, "{{ order_no }}", size=20, bold=True)
    _para(doc, lab["quote"], size=9.5, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)


def _order_table(doc: DocumentObject, locale: str) -> None:
    t = _table(doc, len(PAIRS) + len(WIDE), [30, 57, 30, 57])
    for row, ((z1, e1, k1), (z2, e2, k2)) in zip(t.rows, PAIRS, strict=False):
        c = row.cells
        _cell_text(c[0], _lab(locale, z1, e1), bold=True)
        _cell_text(c[1], f"{{{{ order.{k1} }}}}")
        _cell_text(c[2], _lab(locale, z2, e2), bold=True)
        _cell_text(c[3], f"{{{{ order.{k2} }}}}")
    for row, (z, e, k) in zip(t.rows[len(PAIRS) :], WIDE, strict=True):
        c = row.cells
        _cell_text(c[0], _lab(locale, z, e), bold=True)
        merged = c[1].merge(c[3])
        _cell_text(merged, f"{{{{ order.{k} }}}}")


def _reply_block(doc: DocumentObject, lab: dict[str, str], cancel: bool = False) -> None:
    _para(doc, "", space_after=0)
    p = _para(doc, "", space_after=0)
    _run(p, lab["reply_by"] + " ", bold=True)
    _run(p, "{{ reply_by }}", size=13, bold=True, underline=True)
    _para(doc, lab["reply_to"], bold=True, space_after=6)
    t = _table(doc, 4, [40, 134])
    _cell_text(t.rows[0].cells[0], lab["hotel_fill"], bold=True)
    t.rows[0].cells[0].merge(t.rows[0].cells[1])
    # issue 17 §1: the QR, the tick boxes and the number line are one picture, the field {{ qr }}
    # (documents/qr.py), so a faxed-back page is read relative to the QR whatever else staff edit.
    _cell_text(t.rows[1].cells[0].merge(t.rows[1].cells[1]), "{{ qr }}")
    _cell_text(t.rows[2].cells[0], lab["note"] if cancel else lab["reason"], bold=True)
    _cell_text(t.rows[3].cells[0], f"{lab['confirmed_by']} / {lab['signature']}", bold=True)
    for row in t.rows[2:]:
        row.height = Mm(11)


# -- the templates -------------------------------------------------------------------------


def booking_slip(locale: str) -> DocumentObject:
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _to_block(doc, lab)
    _order_no_block(doc, lab, lab["booking"])
    _order_table(doc, locale)
    _reply_block(doc, lab)
    _footer(doc, lab, f"{{{{ company.name }}}} · {lab['booking']} · {{{{ order_no }}}}")
    return doc


def cancel_slip(locale: str) -> DocumentObject:
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _to_block(doc, lab)
    _order_no_block(doc, lab, lab["cancel"])
    _para(doc, lab["cancel_note"], bold=True, underline=True, space_after=4)
    _order_table(doc, locale)
    _reply_block(doc, lab, cancel=True)
    _footer(doc, lab, f"{{{{ company.name }}}} · {lab['cancel']} · {{{{ order_no }}}}")
    return doc


def change_slip(locale: str) -> DocumentObject:
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _to_block(doc, lab)
    _order_no_block(doc, lab, lab["change"])
    _para(doc, lab["change_note"], bold=True, space_after=4)
    t = _table(doc, 4, [36, 48, 90])
    for cell, text in zip(t.rows[0].cells, (lab["item"], lab["old"], lab["new"]), strict=True):
        _cell_text(cell, text, bold=True)
    _no_split_header(t.rows[0])
    _cell_text(t.rows[1].cells[0], "{%tr for r in rows %}")
    label = t.rows[2].cells
    p = _cell_text(label[0], "{{ r.mark }}", bold=True)
    _run(p, "{{ r.label }}")
    _cell_text(label[1], "{{ r.old }}")
    p = _cell_text(label[2], "{{ r.new_changed }}", bold=True, underline=True)
    _run(p, "{{ r.new_same }}")
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    _reply_block(doc, lab)
    _footer(doc, lab, f"{{{{ company.name }}}} · {lab['change']} · {{{{ order_no }}}}")
    return doc


def customer_letter(locale: str) -> DocumentObject:
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _para(doc, lab["letter"], size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, f"{lab['date']}: {{{{ issued_at }}}}    {lab['order_no']}: ")
    _run(p, "{{ order_no }}", bold=True)
    _para(doc, lab["dear"], space_after=4)
    _para(doc, "{{ customer.company }}", space_after=4)
    _para(doc, lab["letter_intro"], space_after=6)
    rows = [
        (lab["hotel_conf"], "{{ order.hotel_conf_no }}"),
        (lab["hotel"], "{{ hotel.name }}"),
        (lab["address"], "{{ hotel.address }}"),
        (lab["tel"], "{{ hotel.phone }}"),
        (
            lab["stay"],
            f"{{{{ order.check_in }}}} — {{{{ order.check_out }}}}  ({{{{ order.nights }}}} {lab['nights']})",
        ),
        (_lab(locale, "房型 / 间数", "Room type / rooms"), "{{ order.room_type }} × {{ order.rooms }}"),
        (lab["guests"], "{{ order.guests }}"),
        (lab["rate"], "{{ order.rate }}"),
        (lab["payment"], "{{ order.payment }}"),
        (lab["requests"], "{{ order.requests }}"),
        # issue 12 §7 (C8): never 备注 (internal); the total to pay and how to pay instead.
        (_lab(locale, "应付总额", "Total to pay"), "{{ total }}"),
        (_lab(locale, "付款说明", "How to pay"), "{{ payment_note }}"),
        (lab["cancel_terms"], "{{ cancel_terms }}"),
    ]
    t = _table(doc, len(rows), [40, 134])
    for row, (k, v) in zip(t.rows, rows, strict=True):
        _cell_text(row.cells[0], k, bold=True)
        _cell_text(row.cells[1], v, bold=k == lab["hotel_conf"])
    _para(doc, "", space_after=0)
    _para(doc, lab["letter_close"], space_after=10)
    _para(doc, "{{ company.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ order.agent }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(doc, lab, f"{{{{ company.name }}}} · {lab['letter']} · {{{{ order_no }}}}")
    return doc


def internal_form(locale: str) -> DocumentObject:
    lab = L[locale]
    doc = _new_document()
    _para(doc, "{{ company.name }}", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    p = _para(doc, lab["internal"], size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    _bottom_border(p)
    head = [
        (lab["form_no"], "{{ form_no }}", lab["order_no"], "{{ order_no }}"),
        (lab["raised_by"], "{{ raised_by }}", lab["to_department"], "{{ to_department }}"),
        (lab["raised_at"], "{{ raised_at }}", lab["answer_by"], "{{ answer_by }}"),
        (lab["hotel"], "{{ hotel_name }}", lab["issue"], "{{ issue }}"),
    ]
    t = _table(doc, len(head), [26, 61, 26, 61])
    for row, values in zip(t.rows, head, strict=True):
        for i, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            _cell_text(cell, text, bold=i % 2 == 0)
    _para(doc, "", space_after=0)
    t = _table(doc, 4, [34, 70, 70])
    for cell, text in zip(t.rows[0].cells, (lab["item"], lab["ours"], lab["hotels"]), strict=True):
        _cell_text(cell, text, bold=True)
    _cell_text(t.rows[1].cells[0], "{%tr for r in rows %}")
    _cell_text(t.rows[2].cells[0], "{{ r.label }}", bold=True)
    _cell_text(t.rows[2].cells[1], "{{ r.ours }}")
    _cell_text(t.rows[2].cells[2], "{{ r.hotels }}")
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    _para(doc, "", space_after=0)
    p = _para(doc, f"{lab['note']}: ", bold=True)
    _run(p, "{{ note }}")
    _para(doc, "", space_after=0)
    t = _table(doc, 2, [40, 134])
    _cell_text(t.rows[0].cells[0], lab["resolution"], bold=True)
    t.rows[0].cells[0].merge(t.rows[0].cells[1])
    t.rows[0].height = Mm(40)
    _cell_text(t.rows[1].cells[0], f"{lab['handled_by']} / {lab['handled_at']}", bold=True)
    t.rows[1].height = Mm(11)
    _footer(doc, lab, f"{lab['internal']} · {{{{ form_no }}}}")
    return doc


def _keep_with_next(p: Paragraph) -> Paragraph:
    p.paragraph_format.keep_with_next = True
    return p


def _loop_table(doc: DocumentObject, columns: str, rows: str, size: float = 9) -> Table:
    """A table whose columns and rows come from the context (widths are set after rendering)."""
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_text(t.rows[0].cells[0], f"{{%tc for col in {columns} %}}")
    _cell_text(t.rows[0].cells[1], "{{ col }}", bold=True, size=size)
    _cell_text(t.rows[0].cells[2], "{%tc endfor %}")
    _no_split_header(t.rows[0])
    _cell_text(t.rows[1].cells[0], f"{{%tr for row in {rows} %}}")
    _cell_text(t.rows[2].cells[0], "{%tc for v in row %}")
    _cell_text(t.rows[2].cells[1], "{{ v }}", size=size)
    _cell_text(t.rows[2].cells[2], "{%tc endfor %}")
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    return t


def daily_report(locale: str) -> DocumentObject:
    """The manager report (daily, weekly, monthly; issue 11): a first page, then sections."""
    lab = L[locale]
    doc = _new_document()
    _para(doc, "{{ company.name }}", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    p = _para(doc, "{{ title }}", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    p = _para(doc, f"{{{{ date }}}}    {lab['generated']}: {{{{ generated_at }}}}", size=9, space_after=6)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _bottom_border(p)
    # First page: the key figures with the previous period and the change, and one chart.
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_text(t.rows[0].cells[0], "{%tc for col in kpi_columns %}")
    _cell_text(t.rows[0].cells[1], "{{ col }}", bold=True, size=9.5)
    _cell_text(t.rows[0].cells[2], "{%tc endfor %}")
    _no_split_header(t.rows[0])
    _cell_text(t.rows[1].cells[0], "{%tr for k in kpis %}")
    _cell_text(t.rows[2].cells[0], "{%tc for v in k.cells %}")
    _cell_text(t.rows[2].cells[1], "{{ v }}", size=10)
    _cell_text(t.rows[2].cells[2], "{%tc endfor %}")
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")
    _para(doc, "", space_after=0)
    _para(doc, "{%p for c in charts %}")
    _keep_with_next(_para(doc, "{{ c.title }}", size=11, bold=True, space_after=2))
    _para(doc, "{{ c.image }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p for n in notes %}")
    _para(doc, "• {{ n }}", size=9.5)
    _para(doc, "{%p endfor %}")
    # Then one section per subject; a heading never ends a page without its content.
    _para(doc, "{%p for s in sections %}")
    p = _keep_with_next(_para(doc, "{{ s.title }}", size=14, bold=True, space_after=4))
    p.paragraph_format.page_break_before = True
    _para(doc, "{%p for c in s.charts %}")
    _keep_with_next(_para(doc, "{{ c.title }}", size=11, bold=True, space_after=2))
    _para(doc, "{{ c.image }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p for tb in s.tables %}")
    _keep_with_next(_para(doc, "{{ tb.title }}", size=11, bold=True, space_after=2))
    _loop_table(doc, "tb.columns", "tb.rows")
    _para(doc, "", space_after=0)
    _para(doc, "{%p endfor %}")
    _para(doc, "{%p endfor %}")
    _footer(doc, lab, "{{ company.name }} · {{ title }} · {{ date }}")
    return doc


def answer_letter(locale: str) -> DocumentObject:
    """满房 / 拒绝 / 已取消 letters (C8, issue 12 §7): the answer's title and text, the order, the hotel's
    cancellation number and, for 满房, up to three hotels of the same class. Never 备注 (internal)."""
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _para(doc, "{{ answer_title }}", size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, f"{lab['date']}: {{{{ issued_at }}}}    {lab['order_no']}: ")
    _run(p, "{{ order_no }}", bold=True)
    _para(doc, lab["dear"], space_after=4)
    _para(doc, "{{ customer.company }}", space_after=4)
    _para(doc, "{{ answer_intro }}", space_after=6)
    rows = [
        (lab["hotel"], "{{ hotel.name }}"),
        (
            lab["stay"],
            f"{{{{ order.check_in }}}} — {{{{ order.check_out }}}}  ({{{{ order.nights }}}} {lab['nights']})",
        ),
        (_lab(locale, "房型 / 间数", "Room type / rooms"), "{{ order.room_type }} × {{ order.rooms }}"),
        (lab["guests"], "{{ order.guests }}"),
        (lab["rate"], "{{ order.rate }}"),
        (_lab(locale, "取消号", "Cancellation No."), "{{ order.cancel_no }}"),
        (_lab(locale, "可选酒店", "Hotels with rooms"), "{{ alternatives }}"),
    ]
    t = _table(doc, len(rows), [40, 134])
    for row, (k, v) in zip(t.rows, rows, strict=True):
        _cell_text(row.cells[0], k, bold=True)
        _cell_text(row.cells[1], v)
    _para(doc, "", space_after=0)
    _para(doc, lab["letter_close"], space_after=10)
    _para(doc, "{{ company.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, "{{ order.agent }}", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(doc, lab, "{{ company.name }} · {{ answer_title }} · {{ order_no }}")
    return doc


def prize_letter(locale: str) -> DocumentObject:
    """兑奖确认函 (S2): the written confirmation of a delivered prize (issue 12; context in
    ``hoteldesk.documents.member_letters``)."""
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    title = _lab(locale, "兑奖确认函", "Prize Delivery Confirmation")
    _para(doc, title, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, f"{lab['date']}: {{{{ issued_at }}}}    {_lab(locale, '兑奖单号', 'Request No.')}: ")
    _run(p, "{{ request_no }}", bold=True)
    _para(doc, _lab(locale, "尊敬的 {{ member.name }}：", "Dear {{ member.name }},"), space_after=4)
    intro = _lab(
        locale,
        "感谢您对我们的支持。您兑换的奖品已送达，详情如下：",
        "Thank you for staying with us. The prize you chose has been delivered:",
    )
    _para(doc, intro, space_after=6)
    rows = [
        (_lab(locale, "会员卡号", "Card No."), "{{ member.card_no }}"),
        (_lab(locale, "奖品", "Prize"), "{{ prize }}"),
        (_lab(locale, "扣减积分", "Points used"), "{{ points }}"),
        (_lab(locale, "送达日期", "Delivered on"), "{{ delivered_on }}"),
        (_lab(locale, "送达方", "Delivered by"), "{{ delivered_by }}"),
        (_lab(locale, "积分余额", "Points balance"), "{{ balance }}"),
    ]
    t = _table(doc, len(rows), [40, 134])
    for row, (k, v) in zip(t.rows, rows, strict=True):
        _cell_text(row.cells[0], k, bold=True)
        _cell_text(row.cells[1], v)
    _para(doc, "", space_after=0)
    close = _lab(
        locale,
        "如有任何问题，请致电 {{ company.phone }} 或发邮件至 {{ company.email }}。",
        "For any question call {{ company.phone }} or write to {{ company.email }}.",
    )
    _para(doc, close, space_after=10)
    _para(doc, "{{ company.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, _lab(locale, "客服中心", "Customer Service"), align=WD_ALIGN_PARAGRAPH.RIGHT)


# -- the booking floor (issue 13) ----------------------------------------------------------


def _loop_table(doc: DocumentObject, heads: list[str], cells: list[str], widths: list[float], var: str) -> None:
    """A table with one header row and one row per item of ``var`` (docxtpl ``{%tr for %}``)."""
    t = _table(doc, 4, widths)
    for cell, text in zip(t.rows[0].cells, heads, strict=True):
        _cell_text(cell, text, bold=True, size=9)
    _no_split_header(t.rows[0])
    _cell_text(t.rows[1].cells[0], f"{{%tr for r in {var} %}}")
    for cell, text in zip(t.rows[2].cells, cells, strict=True):
        _cell_text(cell, text, size=9)
    _cell_text(t.rows[3].cells[0], "{%tr endfor %}")


def chase_letter(locale: str) -> DocumentObject:
    """催款函 (P3): to a hotel holding our deposits past their term.

    Context: ``company.*``, ``letter_no``, ``issued_at``, ``hotel.{name,address,phone,fax}``, ``total``,
    ``past_term``, ``reply_by``, ``rows`` — [{``paid_on``, ``amount``, ``term_days``, ``due_back``,
    ``days_over``}].
    """
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _para(
        doc,
        _lab(locale, "催款函", "Request for Return of Deposits"),
        size=16,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_after=6,
    )
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, f"{_lab(locale, '编号', 'Ref.')}: {{{{ letter_no }}}}    {lab['date']}: {{{{ issued_at }}}}")
    _para(doc, "{{ hotel.name }}", bold=True, space_after=0)
    _para(doc, "{{ hotel.address }}", space_after=0)
    _para(doc, f"{lab['tel']} {{{{ hotel.phone }}}}    {lab['fax']} {{{{ hotel.fax }}}}", space_after=6)
    _para(doc, _lab(locale, "财务部负责人：您好！", "Dear Finance Manager,"), space_after=4)
    _para(
        doc,
        _lab(
            locale,
            "根据双方合同，贵酒店代我司保管的下列押金已超过约定期限，合计 {{ past_term }} 元"
            "（贵酒店现保管我司押金共 {{ total }} 元）。请于 {{ reply_by }} 前退回或与我司结算。",
            "Under our contract, the deposits below that your hotel holds for us are past their agreed term: "
            "{{ past_term }} in all (you hold {{ total }} of ours). Please return or settle them by {{ reply_by }}.",
        ),
        space_after=6,
    )
    heads = [
        _lab(locale, "支付日期", "Paid On"),
        _lab(locale, "金额", "Amount"),
        _lab(locale, "期限（天）", "Term (days)"),
        _lab(locale, "应退日期", "Due Back"),
        _lab(locale, "超期天数", "Days Over"),
    ]
    cells = ["{{ r.paid_on }}", "{{ r.amount }}", "{{ r.term_days }}", "{{ r.due_back }}", "{{ r.days_over }}"]
    _loop_table(doc, heads, cells, [38, 38, 30, 38, 30], "rows")
    _para(doc, "", space_after=0)
    _para(
        doc,
        _lab(locale, "如已退回，请告知退款日期，谢谢！", "If already returned, please tell us when. Thank you."),
        space_after=10,
    )
    _para(doc, "{{ company.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, _lab(locale, "结算部", "Settlement"), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(doc, lab, "{{ company.name }} · {{ letter_no }}")
    return doc


def finance_handover(locale: str) -> DocumentObject:
    """代收代付交接单 (P1/P2): the day's slips the shift lead signed off, handed to finance.

    Context: ``company.*``, ``date``, ``generated_at``, ``count``, ``total_due``, ``total_received``,
    ``rows`` — [{``order_no``, ``hotel``, ``check_in``, ``due``, ``received``, ``receipt_no``,
    ``invoice_no``, ``signed_off_by``, ``signed_off_at``}].
    """
    lab = L[locale]
    doc = _new_document(landscape=True)
    _para(doc, "{{ company.name }}", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    title = _lab(locale, "代收代付交接单（交财务）", "Collect-and-Pay Hand-over to Finance")
    _para(doc, title, size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    p = _para(doc, f"{{{{ date }}}}    {lab['generated']}: {{{{ generated_at }}}}", size=9, space_after=6)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _bottom_border(p)
    heads = [
        lab["order_no"],
        _lab(locale, "酒店", "Hotel"),
        _lab(locale, "入住日期", "Check-in"),
        _lab(locale, "应收", "Due"),
        _lab(locale, "已收", "Received"),
        _lab(locale, "收据号", "Receipt"),
        _lab(locale, "发票号", "Invoice"),
        _lab(locale, "签核人", "Signed Off By"),
        _lab(locale, "签核时间", "Signed Off At"),
    ]
    cells = [
        "{{ r.order_no }}", "{{ r.hotel }}", "{{ r.check_in }}", "{{ r.due }}", "{{ r.received }}",
        "{{ r.receipt_no }}", "{{ r.invoice_no }}", "{{ r.signed_off_by }}", "{{ r.signed_off_at }}",
    ]  # fmt: skip
    _loop_table(doc, heads, cells, [36, 40, 24, 24, 24, 24, 24, 24, 31], "rows")
    _para(doc, "", space_after=0)
    _para(
        doc,
        _lab(
            locale,
            "共 {{ count }} 张，应收合计 {{ total_due }}，已收合计 {{ total_received }}。",
            "{{ count }} slip(s); due {{ total_due }} in all, received {{ total_received }}.",
        ),
        bold=True,
        space_after=12,
    )
    t = _table(doc, 1, [90, 90, 90])
    for cell, text in zip(
        t.rows[0].cells,
        (
            _lab(locale, "交出人：", "Handed over by:"),
            _lab(locale, "接收人（财务）：", "Received by (finance):"),
            _lab(locale, "日期：", "Date:"),
        ),
        strict=True,
    ):
        _cell_text(cell, text, bold=True)
    t.rows[0].height = Mm(14)
    _footer(doc, lab, f"{{{{ company.name }}}} · {title} · {{{{ date }}}}")
    return doc


def thanks_letter(locale: str) -> DocumentObject:
    """感谢函 (N2): to the booker of a stay the hotel's night audit missed, once the order is corrected.

    Context: ``company.*``, ``issued_at``, ``order_no``, ``booker``, ``hotel``, ``check_in``, ``check_out``.
    """
    lab = L[locale]
    doc = _new_document()
    _letterhead(doc, lab)
    _para(doc, _lab(locale, "感谢函", "Thank You"), size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.RIGHT)
    _run(p, f"{lab['date']}: {{{{ issued_at }}}}    {lab['order_no']}: {{{{ order_no }}}}")
    _para(doc, _lab(locale, "尊敬的 {{ booker }}：", "Dear {{ booker }},"), space_after=4)
    _para(
        doc,
        _lab(
            locale,
            "感谢您于 {{ check_in }} 至 {{ check_out }} 入住{{ hotel }}。酒店夜审曾将此次入住误记为未入住（NO-SHOW），"
            "经与酒店核实，我们已更正订单记录，您的积分与结算不受影响。给您带来的不便，敬请谅解。",
            "Thank you for staying at {{ hotel }} from {{ check_in }} to {{ check_out }}. The hotel's night audit had "
            "recorded the stay as a no-show; we verified it with the hotel and corrected your booking, so your points "
            "and billing are not affected. We apologise for any inconvenience.",
        ),
        space_after=6,
    )
    _para(doc, _lab(locale, "期待再次为您服务！", "We look forward to your next booking."), space_after=10)
    _para(doc, "{{ company.name }}", bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _footer(doc, lab, "{{ company.name }} · {{ order_no }}")
    return doc


BUILDERS: dict[str, Callable[[str], DocumentObject]] = {
    "booking_slip": booking_slip,
    "change_slip": change_slip,
    "cancel_slip": cancel_slip,
    "customer_letter": customer_letter,
    "internal_form": internal_form,
    "daily_report": daily_report,
    "prize_letter": prize_letter,  # issue 12, S2
    "answer_letter": answer_letter,  # issue 12 §7, C8
    "chase_letter": chase_letter,  # issue 13 (P3)
    "finance_handover": finance_handover,  # issue 13 (P1/P2)
    "thanks_letter": thanks_letter,  # issue 13 (N2)
}


def _reproducible(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and order so the output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build(out: Path = OUT) -> list[Path]:
    written: list[Path] = []
    for locale in ("zh-CN", "en"):
        folder = out / locale
        folder.mkdir(parents=True, exist_ok=True)
        for name, builder in BUILDERS.items():
            doc = builder(locale)
            doc.core_properties.title = f"{name} ({locale})"
            buf = io.BytesIO()
            doc.save(buf)
            target = folder / f"{name}.docx"
            target.write_bytes(_reproducible(buf.getvalue()))
            written.append(target)
    init = out / "__init__.py"
    if not init.exists():
        init.write_text('"""Default Word templates (package data), built by tools/make_templates.py."""\n')
    return written


if __name__ == "__main__":
    for path in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
