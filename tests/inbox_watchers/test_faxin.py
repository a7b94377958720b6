"""Issue 17: faxed-back slips dropped in mailroom/fax-in/ — applied only when certain, else reviewed with
the crops; filed by date with the image (C6); exactly once through the mailroom's ledger."""

from __future__ import annotations

import json
from pathlib import Path

from hoteldesk.automations.context import open_context
from hoteldesk.demo.faxback import Damage, Fill, blank_page
from hoteldesk.documents.qr import SlipCode
from hoteldesk.inbox_watchers.faxroom import process_faxes
from tests.inbox_watchers import faxkit as F
from tests.inbox_watchers import mailkit as K


def _review(drive: Path) -> dict[str, object]:
    [entry] = list((drive / "mailroom" / "review").glob("*.json"))
    data: dict[str, object] = json.loads(entry.read_text(encoding="utf-8"))
    return data


def test_typed_confirmation_is_applied_and_filed_with_the_image(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "fax000001.tif", [F.page(Fill((0,), "CF1234567", "typed"))], csid=F.HOTEL_FAX)
        lines = process_faxes(ctx)
        assert lines[0] == "传真回件：已应用 1，已归档 1，转人工审核 0，忽略 0，失败 0", lines
    order = K.read_orders(K.DriveLayout(drive))[F.NO]
    assert order["status"] == "已确认" and order["hotel_conf_no"] == "CF1234567"
    [filed] = list((drive / "replies").rglob("*.eml"))  # C6: replies/YYYY/MM/DD, the TIFF inside
    assert filed.relative_to(drive / "replies").parts[:3] == ("2026", "11", "27")
    assert b"fax000001.tif" in filed.read_bytes()
    assert not list((drive / "mailroom" / "fax-in").iterdir())  # moved on once decided
    assert list((drive / "mailroom" / "processed-fax").rglob("fax000001.tif"))


def test_the_same_fax_dropped_twice_is_applied_once(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        img = F.page(Fill((0,), "CF1234567", "typed"))
        F.drop(ctx, "a.tif", [img])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
        F.drop(ctx, "copy-of-a.tif", [img])
        assert process_faxes(ctx)[0] == "传真回件：已应用 0，已归档 0，转人工审核 0，忽略 1，失败 0"


def test_full_needs_no_number_and_is_applied(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "full.tif", [F.page(Fill((1,), ""))])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "满房"


def test_two_ticks_go_to_review_and_change_nothing(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "two.tif", [F.page(Fill((0, 2), "CF1234567"))])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，已归档 1，转人工审核 1，")
    assert "more than one box ticked" in str(_review(drive)["reason"])
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "已发"


def test_handwritten_number_is_never_guessed_and_the_clerk_gets_the_crop(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "hand.tif", [F.page(Fill((0,), "5512340", "handwritten"))])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，已归档 1，转人工审核 1，")
    review = _review(drive)
    assert "handwritten" in str(review["reason"])
    crops = [e.split(": ", 1)[1] for e in review["evidence"] if str(e).startswith(("number:", "panel:"))]  # type: ignore[attr-defined]
    assert len(crops) == 2 and all((drive / c).is_file() for c in crops)
    order = K.read_orders(K.DriveLayout(drive))[F.NO]
    assert order["status"] == "已发" and not order.get("hotel_conf_no")


def test_wrong_check_value_goes_to_review(drive: Path) -> None:
    forged = SlipCode(F.NO, 1, "booking").payload[:-6] + "000000"
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "forged.tif", [F.page(Fill((0,), "CF1234567"), payload=forged)])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，已归档 1，转人工审核 1，")
    assert "without our slip's QR" in str(_review(drive)["reason"])
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "已发"


def test_blank_pages_without_qr_or_number_go_to_review(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "blank.tif", [blank_page(), blank_page()])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，已归档 1，转人工审核 1，")
    assert "without text" in str(_review(drive)["reason"])


def test_a_slip_we_never_sent_goes_to_review(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        other = SlipCode(F.NO, 4, "booking")  # a revision the outbox never made
        F.drop(ctx, "r4.tif", [F.page(Fill((0,), "CF1234567"), code=other)])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，")
    assert "no record of sending booking slip r4" in str(_review(drive)["reason"])


def test_fax_from_another_hotels_number_goes_to_review(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "x.tif", [F.page(Fill((0,), "CF1234567"))], csid=F.OTHER_FAX)
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，")
    assert "the fax of BJJL, not of BJHY" in str(_review(drive)["reason"])


def test_a_number_unlike_the_hotels_earlier_ones_goes_to_review(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx, earlier="88-123456")  # this hotel writes NN-NNNNNN
        F.drop(ctx, "odd.tif", [F.page(Fill((0,), "CF1234567"))])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，")


def test_upside_down_fine_resolution_page_is_applied(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx, earlier="77-000001")
        damage = Damage(angle=-2.5, upside_down=True, streaks=2, seed=9)
        F.drop(ctx, "ud.tif", [F.page(Fill((0,), "88-123456", "typed"), damage)], standard=False)
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，"), "see mailroom/review"
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["hotel_conf_no"] == "88-123456"


def test_review_sheet_shows_the_crop_and_refuses_a_clerk_entry_that_is_no_number(drive: Path) -> None:
    import openpyxl

    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "hand.tif", [F.page(Fill((0,), "5512340", "handwritten"))])
        process_faxes(ctx)
        sheet = drive / "mailroom" / "fax-review" / "传真待审.xlsx"
        wb = openpyxl.load_workbook(sheet)
        ws = wb["传真待审"]
        header = [c.value for c in ws[1]]
        assert header[:4] == ["编号", "收到时间", "订单号", "酒店"] and ws.cell(2, 3).value == F.NO
        assert "handwritten" in str(ws.cell(2, 6).value)
        link = ws.cell(2, 7).hyperlink
        assert link is not None and (sheet.parent / str(link.target)).is_file()  # the crop of the reply box
        ws.cell(2, header.index("结果") + 1).value = "确认"
        ws.cell(2, header.index("确认号") + 1).value = "'=1+1"
        wb.save(sheet)
        lines = process_faxes(ctx)
        assert not any("clerk entered" in line for line in lines), lines
        ws = openpyxl.load_workbook(sheet)["传真待审"]
        assert ws.max_row == 2 and "请填写酒店的确认号" in str(ws.cell(2, 11).value)  # told what to fix
        assert ws.cell(2, 10).value == "'=1+1" and ws.cell(2, 10).data_type == "s"  # kept, as text
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "已发"


def test_clerk_entry_is_applied(drive: Path) -> None:
    import openpyxl

    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "hand.tif", [F.page(Fill((0,), "5512340", "handwritten"))])
        process_faxes(ctx)
        sheet = drive / "mailroom" / "fax-review" / "传真待审.xlsx"
        wb = openpyxl.load_workbook(sheet)
        ws = wb["传真待审"]
        ws.cell(2, 9).value, ws.cell(2, 10).value = "确认", "5512340"
        wb.save(sheet)
        lines = process_faxes(ctx)
        assert any("clerk entered 确认 5512340" in line for line in lines), lines
        assert openpyxl.load_workbook(sheet)["传真待审"].max_row == 1
    order = K.read_orders(K.DriveLayout(drive))[F.NO]
    assert order["status"] == "已确认" and order["hotel_conf_no"] == "5512340"


def test_fax_by_a_registered_fax_to_email_service_is_read_as_a_fax(drive: Path) -> None:
    from hoteldesk.demo.faxback import to_tiff
    from hoteldesk.inbox_watchers.mailroom import process_mail

    with (drive / "hoteldesk.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[fax_in]\nemail_gateways = ["efax.example.net"]\n')
    with open_context(drive) as ctx:
        F.setup(ctx)
        tif = to_tiff([F.page(Fill((0,), "CF1234567"))], standard=True)
        mail = K.reply(
            None,
            "You have received a 1 page fax.",
            sender="noreply@efax.example.net",
            subject=f"Fax from {F.HOTEL_FAX}",
            attachments=[("fax.tif", tif)],
        )
        K.drop(ctx.layout, "efax.eml", mail)
        assert process_mail(ctx)[0].startswith("邮件室：已应用 1，"), "read as a fax, trusted via the QR"
        K.drop(
            ctx.layout,
            "efax2.eml",
            K.reply(
                None,
                "x",
                sender="noreply@efax.example.net",
                subject=f"Fax from {F.OTHER_FAX}",
                attachments=[("fax.tif", to_tiff([F.page(Fill((1,), ""))]))],
            ),
        )
        assert process_mail(ctx)[0].startswith("邮件室：已应用 0，已归档 1，转人工审核 1，")
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["hotel_conf_no"] == "CF1234567"


def test_multi_page_fax_with_a_cover_page_and_a_pdf_from_a_scanner_are_read(drive: Path) -> None:
    import io

    from PIL import Image

    from hoteldesk.demo.faxback import cover_page

    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "cover+slip.tif", [cover_page(), F.page(Fill((1,), ""))])  # 满房 on page 2
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "满房"

    with open_context(drive) as ctx:
        F.setup(ctx)  # a fresh order 已发 again, saved by the clerk: the pass reads it before the mailroom does
        from hoteldesk.automations.orders import process_workbooks

        process_workbooks(ctx)
        pdf = io.BytesIO()
        Image.fromarray(F.page(Fill((0,), "CF7654321"), Damage(angle=-1.0, seed=2))).save(pdf, "PDF", resolution=200)
        path = ctx.layout.root / "mailroom" / "fax-in" / "scan.pdf"
        path.write_bytes(pdf.getvalue())
        import os

        os.utime(path, (ctx.now().timestamp() - 60,) * 2)
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，")
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["hotel_conf_no"] == "CF7654321"


def test_a_hotels_own_letterhead_is_read_by_ocr_for_our_order_number_and_goes_to_review(drive: Path) -> None:
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from hoteldesk.documents.qr import FONT

    pil = Image.new("L", (1728, 2292), 255)
    draw = ImageDraw.Draw(pil)
    for i, line in enumerate(["北京华苑酒店 预订部", f"贵司订单 {F.NO} 已确认", "确认号 88123"]):
        draw.text((200, 300 + 100 * i), line, fill=0, font=ImageFont.truetype(FONT, 48))
    with open_context(drive) as ctx:
        F.setup(ctx)
        F.drop(ctx, "letterhead.tif", [np.asarray(pil).copy()], standard=False)
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 0，已归档 1，转人工审核 1，")
    review = _review(drive)
    assert f"order {F.NO} named" in str(review["reason"]) and review["orders"] == [F.NO]
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["status"] == "已发"  # OCR alone never changes an order


def test_a_number_read_in_the_hotels_shape_is_applied(drive: Path) -> None:
    with open_context(drive) as ctx:
        F.setup(ctx, earlier="BJ7700001")  # this hotel writes BJ + 7 digits; Tesseract alone reads its J as 3
        F.drop(ctx, "bj.tif", [F.page(Fill((0,), "BJ2599908", "typed"))])
        assert process_faxes(ctx)[0].startswith("传真回件：已应用 1，"), "see mailroom/review"
    assert K.read_orders(K.DriveLayout(drive))[F.NO]["hotel_conf_no"] == "BJ2599908"
