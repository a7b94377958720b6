"""Every template rendered with hostile data, converted by the real LibreOffice, read back with pdftotext.

Done-when of issue 4: ``O'Brien & <Smith>``, ``{{ 7*7 }}``, control characters, twenty guests, a
2,000-character remark and Traditional Chinese come out exactly as typed — nothing truncated, nothing
evaluated (no ``49``), no control character — and each fax slip becomes a 1728-pixel-wide 1-bit G4 TIFF.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from hoteldesk.documents.convert import PdfConverter
from hoteldesk.documents.faximage import pdf_to_tiff
from hoteldesk.documents.render import Picture, clean_text, render_docx
from hoteldesk.documents.slips import internal_form_context, slip_context
from hoteldesk.documents.templates import default_template

OBRIEN = "O'Brien & <Smith>"
JINJA = "{{ 7*7 }}"
JINJA_BLOCK = "{% if true %}evaluated{% endif %} {{ ''.__class__ }}"
CONTROL = "高楼层\x00\x07\x08\x0b\x1b無煙\u202e房\x7f\x85!"
TRADITIONAL = "請安排高樓層無煙房，謝謝。貴賓：張偉強、陳淑芬、黃國雄"
GUESTS = (OBRIEN, "張偉強", "陳淑芬", *(f"客人{i:02d}號" for i in range(3, 20)))
REMARK = "".join(f"第{i:03d}條備註：請於入住前確認房型與早餐，O'Brien & <Smith> 同行。" for i in range(60))[:2000]
COMPANY = {
    "name": "示例商旅预订中心 & <Partners>",
    "fax": "+86 10 6500 0000",
    "email": "confirm@example.com",
    "phone": "+86 10 6500 0001",
    "address": "北京市朝阳区建国路 1 号",
}
HOTEL = {
    "code": "BJ001",
    "name_zh": "北京國際飯店 <總店>",
    "name_en": "Beijing Hotel <Main>",
    "address": "北京市东城区建国门内大街 9 号",
    "phone": "010-6512 6688",
    "fax": "010-6512 9961",
    "email": "rsvn@bjhotel.example",
    "cancel_terms": "入住前一天 18:00 前可免費取消 & 不收取費用 <含稅>",
}
NOW = datetime(2026, 11, 26, 9, 35)
# A page's footer, and the table header row Word repeats at the top of the next page.
FOOTER = re.compile(
    r"^.*(第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|Page\s+\d+\s+of\s+\d+).*$(\s*(项目\s*原内容\s*新内容|Item\s*Was\s*Now))?",
    re.MULTILINE,
)


def hostile_order() -> dict[str, Any]:
    return {
        "order_no": "HD20261126-0042",
        "status": "待发",
        "channel": "电话",
        "booked_at": datetime(2026, 11, 26, 9, 30),
        "agent": "王芳",
        "member_card": "M20261",
        "booker": OBRIEN,
        "booker_phone": "138 0013 8000",
        "company": JINJA + " & Co.",
        "guests": GUESTS,
        "hotel": "BJ001",
        "room_type": "豪華大床房",
        "rooms": 2,
        "check_in": date(2026, 11, 27),
        "check_out": date(2026, 11, 30),
        "rate": Decimal("680.00"),
        "floor_price": Decimal("600.00"),
        "payment": "前台现付",
        "requests": CONTROL + " " + TRADITIONAL + " " + JINJA_BLOCK,
        "remarks": REMARK,
        "reply_via": "传真",
        "hotel_conf_no": "CF-77 & <A>",
    }


def contexts(locale: str, picture: Path) -> dict[str, dict[str, Any]]:
    order = hostile_order()
    changes = {"rooms": [1, 2], "check_out": [date(2026, 11, 29), date(2026, 11, 30)], "remarks": ["旧備註", REMARK]}
    out = {
        f"{kind}_slip": slip_context(
            kind, order, changes, COMPANY, HOTEL, datetime(2026, 11, 26, 10, 35), locale, issued_at=NOW
        )
        for kind in ("booking", "change", "cancel")
    }
    out["customer_letter"] = slip_context("letter", order, None, COMPANY, HOTEL, None, locale, issued_at=NOW)
    out["internal_form"] = internal_form_context(
        order,
        {"rate": (Decimal("680"), Decimal("720")), "company": (JINJA + " & Co.", OBRIEN), "rooms": (2, 1)},
        company=COMPANY,
        hotel=HOTEL,
        form_no="X1-20261126-01",
        raised_by="王芳",
        to_department="价格部 & <结算>",
        raised_at=NOW,
        answer_by=datetime(2026, 11, 26, 17, 0),
        note=REMARK,
        locale=locale,
    )
    out["daily_report"] = {
        "title": "每日运营报告 " + JINJA,
        "date": "2026-11-26",
        "generated_at": "2026-11-26 20:00",
        "company": {k: v for k, v in COMPANY.items()},
        "kpi_columns": ["指标", "本期", "说明"],
        "kpis": [
            {"label": OBRIEN, "value": "12", "note": TRADITIONAL, "cells": [OBRIEN, "12", TRADITIONAL]},
            {"label": "C3", "value": "95%", "note": CONTROL, "cells": ["C3", "95%", CONTROL]},
        ],
        "tables": [{"title": "按渠道 " + JINJA, "columns": ["渠道", "订单"], "rows": [[OBRIEN, "3"], ["網上", "5"]]}],
        "charts": [{"title": "图表 <1>", "image": Picture(picture, 60)}],
        "notes": [REMARK],
        "sections": [  # issue 11: the report's sections after its first page
            {
                "title": "一、业务量 " + JINJA,
                "charts": [],
                "tables": [{"title": "按渠道 " + JINJA, "columns": ["渠道", "订单"], "rows": [[OBRIEN, "3"]]}],
            }
        ],
    }
    return out


def expected_texts(name: str, locale: str) -> list[str]:
    """What must come out verbatim (controls stripped) in the PDF of template ``name``."""
    clean = clean_text(CONTROL)
    hotel = HOTEL["name_en" if locale == "en" else "name_zh"]
    if name == "daily_report":
        return [OBRIEN, JINJA, TRADITIONAL, clean, REMARK, "图表 <1>"]
    if name == "internal_form":
        return [OBRIEN, JINJA + " & Co.", "价格部 & <结算>", REMARK, hotel]
    texts = [
        OBRIEN,
        JINJA + " & Co.",
        clean,
        TRADITIONAL,
        JINJA_BLOCK,
        REMARK,
        "HD20261126-0042",
        COMPANY["name"],
        hotel,
    ]
    if name != "change_slip":  # the change slip lists guests in a narrow column, checked name by name
        texts.append(("; " if locale == "en" else "；").join(GUESTS))
    if name == "customer_letter":
        texts.remove(REMARK)  # issue 12 §7 (C8): 备注 is internal, a customer letter never prints it
        texts += [HOTEL["cancel_terms"], HOTEL["address"], "CF-77 & <A>"]
    else:
        texts += [COMPANY["fax"], COMPANY["email"], "回复请注明订单号"]
    return texts


def squash(text: str) -> str:
    """pdftotext output without page footers and without any whitespace (line wrapping is layout)."""
    return re.sub(r"\s+", "", FOOTER.sub("", text))


def pdftotext(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("chart") / "chart.png"
    img = Image.new("L", (300, 150), 255)
    for x in range(40, 260):
        for y in range(100, 140):
            img.putpixel((x, y), 0)
    img.save(path)
    return path


NAMES = ("booking_slip", "change_slip", "cancel_slip", "customer_letter", "internal_form", "daily_report")


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
@pytest.mark.parametrize("name", NAMES)
def test_hostile_data_comes_out_verbatim(
    name: str, locale: str, tmp_path: Path, chart: Path, pdf_converter: PdfConverter
) -> None:
    context = contexts(locale, chart)[name]
    docx = tmp_path / f"{name}.docx"
    docx.write_bytes(render_docx(default_template(name, locale), context))
    pdf = pdf_converter.to_pdf(docx, tmp_path / f"{name}.pdf")
    text = pdftotext(pdf)
    flat = squash(text)
    for expected in expected_texts(name, locale):
        assert squash(clean_text(expected)) in flat, f"{expected[:60]!r} missing or cut in the {name} ({locale}) PDF"
    assert "49" not in text, "a {{ 7*7 }} in the data was evaluated"
    assert "<class" not in text and "str'>" not in text, "a {{ ''.__class__ }} in the data was evaluated"
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]", text.replace("\f", "")), "control character in PDF"
    if name == "change_slip":
        for guest in GUESTS:
            assert squash(guest) in flat
        assert "▲" in text  # C2/B2: the changed lines are marked without colour
    pages = page_count(pdf)
    if name == "customer_letter":  # issue 12 §7: the remark is internal, so the letter stays one page
        assert squash(clean_text(REMARK))[:40] not in flat
    else:
        assert pages >= 2  # the 2,000-character remark runs over
    if name in ("booking_slip", "change_slip", "cancel_slip"):
        # page x of y from Word's PAGE/NUMPAGES fields, on every page
        marks = re.findall(r"第\s*(\d+)\s*页\s*/\s*共\s*(\d+)\s*页|Page\s+(\d+)\s+of\s+(\d+)", text)
        got = [(a or c, b or d) for a, b, c, d in marks]
        assert got == [(str(i), str(pages)) for i in range(1, pages + 1)]
        tif = pdf_to_tiff(pdf, tmp_path / f"{name}.tif")
        with Image.open(tif) as im:
            assert im.size[0] == 1728
            assert im.mode == "1"
            assert im.info["compression"] == "group4"
            assert getattr(im, "n_frames", 1) == pages
