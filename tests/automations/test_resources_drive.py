"""The resources department on a drive: H5 directors from Rosters.xlsx, its Dashboard sheets."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
from PIL import Image

from hoteldesk.automations.checking import check_orders
from hoteldesk.automations.context import open_context
from hoteldesk.automations.staff_admin import joiners_to_hr
from hoteldesk.automations.views import refresh_views
from hoteldesk.documents.resource_papers import archive_month
from hoteldesk.workbooks.create import write_workbook
from hoteldesk.workbooks.schema import ATTENDANCE, HOTELS, RATES, REPLY_RULES, ROSTER, STAFF, TERMS
from hoteldesk.workbooks.schema_resources import COMPETITOR_PRICES, FREE_ROOMS, JOINERS, LEAVE, PEAKS, RECOMMENDED
from tests.domain.sample import NOW, TODAY, hotels, order, rates, write_drive

DIRECTOR = "赵总监"
D = Decimal
LATER = date(2027, 6, 30)  # far beyond the 60-day window


def write_contracts(root: Path, signers: dict[str, str], ends: dict[str, Any]) -> None:
    hotel_recs = [
        {
            "code": h.code, "name_zh": h.name_zh, "name_en": h.name_en, "city": h.city, "district": h.district,
            "star": h.star, "fax": h.fax, "contract_status": h.contract_status, "contract_from": h.contract_from,
            "contract_to": ends.get(h.code, LATER), "signed_by": signers.get(h.code, DIRECTOR),
        }
        for h in hotels()
    ]  # fmt: skip
    rate_recs = [
        {"hotel": r.hotel, "room_type": r.room_type, "valid_from": r.valid_from, "valid_to": r.valid_to,
         "rate": r.rate, "floor_price": r.floor_price}
        for r in rates()
    ]  # fmt: skip
    terms = [{"hotel": "BJ002", "monthly_min_rooms": 30, "cumulative_commission": Decimal("0.02")}]
    write_workbook(
        root / "workbooks" / "Contracts.xlsx",
        [(HOTELS, hotel_recs), (RATES, rate_recs), (TERMS, terms), (REPLY_RULES, [])],
    )


def write_rosters(root: Path) -> None:
    staff = [
        {"staff_id": "S01", "name": DIRECTOR, "department": "酒店资源部", "role": "总监"},
        {"staff_id": "S02", "name": "李价格", "department": "酒店资源部", "role": "价格专员"},
    ]
    write_workbook(root / "workbooks" / "Rosters.xlsx", [(STAFF, staff), (ROSTER, []), (ATTENDANCE, [])])


def rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_H5_director_from_rosters_and_resources_dashboard(drive: Path) -> None:
    orders = [order(order_no="A", status="已确认", hotel="BJ002", rooms=2)]
    write_drive(drive, orders)
    write_contracts(
        drive, {"BJ001": "李价格"}, {"BJ003": TODAY + timedelta(days=60), "BJ007": TODAY + timedelta(days=61)}
    )
    write_rosters(drive)
    with open_context(drive, clock=lambda: NOW) as ctx:
        found = check_orders(ctx, [order(order_no="N")], {"N"})["N"]
        refresh_views(ctx)
    assert [f.rule for f in found] == ["H5"]
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    assert [r[0] for r in rows(wb["合同未签署"])[1:]] == ["BJ001"]
    assert [(r[0], r[4]) for r in rows(wb["合同到期"])[1:]] == [("BJ003", 60)]
    assert rows(wb["月最低间夜"])[1][:7] == ["BJ002", "北京嘉里大酒店", "北京", 30, 4, 26, "2.0%"]
    assert [r[0] for r in rows(wb["暂停合作酒店"])[1:]] == ["BJ006"]
    wb.close()


def test_H5_configured_director_wins_over_rosters(drive: Path) -> None:
    write_drive(drive, [])
    write_contracts(drive, {"BJ001": "李价格"}, {})
    write_rosters(drive)
    config = drive / "hoteldesk.toml"
    config.write_text(config.read_text(encoding="utf-8") + '\n[resources]\ndirectors = ["李价格"]\n', encoding="utf-8")
    with open_context(drive, clock=lambda: NOW) as ctx:
        assert check_orders(ctx, [order(order_no="N")], {"N"})["N"] == []
        assert [
            f.rule for f in check_orders(ctx, [order(order_no="M", hotel="BJ002", rate=Decimal("850"))], {"M"})["M"]
        ] == ["H5"]


def test_pricing_and_staff_sheets_on_the_dashboard(drive: Path) -> None:
    write_drive(drive, [order(order_no="A", status="已确认", rooms=5, check_in=date(2026, 11, 27))])
    write_contracts(drive, {}, {})
    write_rosters(drive)
    resources = [
        (
            COMPETITOR_PRICES,
            [{"hotel": "BJ001", "room_type": "大床房", "day": TODAY, "competitor": "携程", "price": D("900")}],
        ),
        (
            RECOMMENDED,
            [{"month": "2026-12", "hotel": "BJ002", "approved_by": DIRECTOR}, {"month": "2026-11", "hotel": "BJ003"}],
        ),
        (
            PEAKS,
            [{"city": "北京", "name": "圣诞", "kind": "旺季", "start": date(2026, 12, 1), "end": date(2026, 12, 2)}],
        ),
        (
            FREE_ROOMS,
            [
                {
                    "hotel": "BJ001",
                    "check_in": date(2026, 12, 3),
                    "nights": 1,
                    "staff": "李价格",
                    "director_approval": DIRECTOR,
                }
            ],
        ),
    ]
    write_workbook(drive / "workbooks" / "Resources.xlsx", resources)
    leave = [{"staff_id": "S02", "start": TODAY, "end": TODAY, "requested_on": TODAY, "approved_by": "经理"}]
    write_workbook(drive / "workbooks" / "StaffAdmin.xlsx", [(LEAVE, leave), (JOINERS, [])])
    with open_context(drive, clock=lambda: NOW) as ctx:
        refresh_views(ctx)
    wb = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    assert rows(wb["竞争价格对比"])[1] == ["BJ001", "北京国贸大酒店", "大床房", 1, 800, 900, -100, "我方更便宜"]
    assert [(r[0], r[1], r[5]) for r in rows(wb["推荐酒店审批"])[1:]] == [
        ("2026-11", "BJ003", "待总监审批"),
        ("2026-12", "BJ002", "可发布"),
    ]
    assert rows(wb["旺季展会"])[1][:6] == ["北京", "圣诞", "旺季", datetime(2026, 12, 1), datetime(2026, 12, 2), 5]
    assert [r[0] for r in rows(wb["免费房待审批"])[1:]] == ["BJ001"]  # no CEO signature yet (H9)
    clocks = {r[1]: r[2:] for r in rows(wb["人事时限"])[1:]}
    assert clocks["2026-12 排班表"] == [datetime(2026, 11, 25), -1, "已超时"]  # no December roster by the 25th
    problems = [r[3] for r in rows(wb["排班请假问题"])[1:]]
    assert "S01 赵总监 没有 2026-12 的排班（A3）" in problems
    assert "S02 李价格 2026-11-26 起的请假在 2026-11-26 才申请，应提前申请（A4）" in problems
    wb.close()


def test_H9_free_room_order_waits_for_the_director_and_the_ceo(drive: Path) -> None:
    write_drive(drive, [])
    use = {"hotel": "BJ001", "check_in": date(2026, 11, 27), "nights": 2, "staff": "李价格", "order_no": "HD1"}
    book = drive / "workbooks" / "Resources.xlsx"
    orders = [order(order_no="HD1"), order(order_no="HD2", status="已确认")]
    for signed, expected in (
        ({"director_approval": DIRECTOR}, ["H9"]),
        ({"director_approval": DIRECTOR, "ceo_signature": "钱"}, []),
    ):
        write_workbook(book, [(COMPETITOR_PRICES, []), (RECOMMENDED, []), (PEAKS, []), (FREE_ROOMS, [use | signed])])
        with open_context(drive, clock=lambda: NOW) as ctx:
            found = check_orders(ctx, orders, set())
        assert [f.rule for f in found["HD1"]] == expected
        assert found["HD2"] == []  # already sent: the gate is before sending


def test_H3_H8_H10_month_archived_once_and_H4_publishes_only_approved(drive: Path) -> None:
    october = [order(order_no="A", status="已入住", rooms=2, check_in=date(2026, 10, 30), check_out=date(2026, 11, 2))]
    write_drive(drive, october)
    write_contracts(drive, {}, {})
    write_rosters(drive)
    prices = [
        {"hotel": "BJ001", "room_type": "大床房", "day": date(2026, 10, 5), "competitor": "携程", "price": D("700")}
    ]
    recommended = [{"month": "2026-11", "hotel": "BJ002", "approved_by": DIRECTOR, "reason": "好评"},
                   {"month": "2026-11", "hotel": "BJ003", "approved_by": "李价格"}]  # fmt: skip
    book = drive / "workbooks" / "Resources.xlsx"
    write_workbook(book, [(COMPETITOR_PRICES, prices), (RECOMMENDED, recommended), (PEAKS, []), (FREE_ROOMS, [])])
    pictures = drive / "hotels" / "BJ001"
    pictures.mkdir(parents=True)
    Image.new("RGB", (40, 30), "navy").save(pictures / "lobby.png")
    (pictures / "broken.jpg").write_bytes(b"not a picture")
    with open_context(drive, clock=lambda: NOW) as ctx:
        lines = archive_month(ctx)
        assert lines == [
            "H3 H8 H10: 2026-10-酒店资源.xlsx archived; H11: 8 hotel file(s) in reports/hotels/",
            "H4: 1 recommended hotel(s) published to 2026-11-推荐酒店.xlsx",
        ]
        assert archive_month(ctx) == []  # once
    hotel_file = docx.Document(str(drive / "reports" / "hotels" / "BJ001.docx"))
    text = "\n".join(p.text for p in hotel_file.paragraphs)
    assert "北京国贸大酒店 (BJ001)" in text and "销售额 ¥3,200.00 (#1)" in text
    assert "图片无法读取：broken.jpg" in text and len(hotel_file.inline_shapes) == 1  # lobby.png placed
    index = openpyxl.load_workbook(drive / "reports" / "hotels" / "index.xlsx")
    assert rows(index["酒店档案"])[1][0] == "BJ001" and rows(index["酒店档案"])[1][-1] == "BJ001.docx"
    index.close()
    wb = openpyxl.load_workbook(drive / "reports" / "monthly" / "2026-10-酒店资源.xlsx")
    assert rows(wb["比价（H3）"])[1] == ["BJ001", "北京国贸大酒店", "大床房", 1, 800, 700, "我方更贵"]
    assert rows(wb["排名（H8）"])[1] == [1, 1, "BJ001", "北京国贸大酒店", 3200, 4]  # Oct 30 and 31, 2 rooms
    assert [r[0] for r in rows(wb["暂停合作酒店（H10）"])[1:]] == ["BJ006"]
    wb.close()
    published = openpyxl.load_workbook(drive / "reports" / "monthly" / "2026-11-推荐酒店.xlsx")
    assert [r[0] for r in rows(published["推荐酒店"])[1:]] == ["BJ002"]  # BJ003 lacks the director's approval
    published.close()


def test_A1_the_weeks_joiners_go_to_hr_on_friday(drive: Path) -> None:
    write_drive(drive, [])
    joiners = [
        {"staff_id": "S901", "name": "周晓", "start": date(2026, 11, 23)},
        {"staff_id": "S902", "name": "吴敏", "start": date(2026, 11, 30)},  # next week
    ]
    write_workbook(drive / "workbooks" / "StaffAdmin.xlsx", [(LEAVE, []), (JOINERS, joiners)])
    with open_context(drive, clock=lambda: NOW) as ctx:  # Thursday
        assert joiners_to_hr(ctx) == []
    friday = NOW + timedelta(days=1)
    with open_context(drive, clock=lambda: friday) as ctx:
        assert joiners_to_hr(ctx) == ["A1: 1 joiner(s) this week listed for HR in 2026-11-27-新员工名单.xlsx"]
        assert joiners_to_hr(ctx) == []  # once
        refresh_views(ctx)
    wb = openpyxl.load_workbook(drive / "reports" / "weekly" / "2026-11-27-新员工名单.xlsx")
    assert rows(wb["新员工"])[1:] == [["S901", "周晓", datetime(2026, 11, 23)]]
    dash = openpyxl.load_workbook(drive / "views" / "Dashboard.xlsx")
    assert rows(dash["考勤汇总"])[1:] == [["全中心", 0, 0, 0, 0]]
    assert "S901：入职登记表 （未填） 不在共享盘上（A1）" in [r[3] for r in rows(dash["排班请假问题"])[1:]]
