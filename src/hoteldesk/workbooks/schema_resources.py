"""Sheets of the hotel resources and pricing department (Resources.xlsx) and of staff administration
(StaffAdmin.xlsx), issue 14. Registered here in :data:`hoteldesk.workbooks.schema.WORKBOOKS`
(schema.py imports this module last, so every reader of WORKBOOKS sees them).

Resources: 竞争价格 competitor prices (H3), 推荐酒店 recommended hotels of the month with the
director's approval (H4), 旺季展会 peak seasons and trade fairs per city (H7), 免费房使用 staff
travel on free rooms with the director's approval and the CEO's signature (H9).
StaffAdmin: 请假 leave requests (A4) and 新员工档案 new joiners' records (A1).
"""

from __future__ import annotations

from hoteldesk.workbooks.schema import WORKBOOKS, Choice, Field, FieldType, SheetSchema

T = FieldType
F = Field

PERIOD_KINDS = (Choice("旺季", "Peak season"), Choice("展会", "Trade fair"))
LEAVE_KINDS = (
    Choice("年假", "Annual"),
    Choice("事假", "Personal"),
    Choice("病假", "Sick"),
    Choice("调休", "Time off in lieu"),
)

COMPETITOR_PRICES = SheetSchema(
    "Resources",
    "competitor_prices",
    "竞争价格",
    "Competitor Prices",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("room_type", "房型", "Room Type", required=True, width=12),
        F("day", "日期", "Date", T.DATE, True, width=12),
        F("competitor", "竞争对手", "Competitor", required=True, width=16),
        F("price", "价格", "Price", T.MONEY, True),
        F("recorded_by", "记录人", "Recorded By"),
    ),
)

RECOMMENDED = SheetSchema(
    "Resources",
    "recommended",
    "推荐酒店",
    "Recommended Hotels",
    (
        F("month", "月份", "Month", required=True),  # 2026-12
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("reason", "推荐理由", "Reason", width=30),
        F("proposed_by", "提议人", "Proposed By"),
        F("approved_by", "总监审批", "Director Approval"),
        F("approved_on", "审批日期", "Approved On", T.DATE, width=12),
    ),
)

PEAKS = SheetSchema(
    "Resources",
    "peaks",
    "旺季展会",
    "Peak Periods",
    (
        F("city", "城市", "City", required=True),
        F("name", "名称", "Name", required=True, width=20),
        F("kind", "类别", "Kind", T.CHOICE, False, PERIOD_KINDS),
        F("start", "开始日期", "Start", T.DATE, True, width=12),
        F("end", "结束日期", "End", T.DATE, True, width=12),
        F("remarks", "备注", "Remarks", width=20),
    ),
)

FREE_ROOMS = SheetSchema(
    "Resources",
    "free_rooms",
    "免费房使用",
    "Free Room Use",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("check_in", "入住日期", "Check-in", T.DATE, True, width=12),
        F("nights", "间夜", "Room Nights", T.INT, True),
        F("staff", "出差员工", "Staff Travelling", required=True),
        F("purpose", "事由", "Purpose", width=20),
        F("director_approval", "总监审批", "Director Approval"),
        F("ceo_signature", "CEO签字", "CEO Signature"),
        F("order_no", "订单号", "Order No.", width=17),
    ),
)

LEAVE = SheetSchema(
    "StaffAdmin",
    "leave",
    "请假",
    "Leave",
    (
        F("staff_id", "工号", "Staff ID", required=True),
        F("name", "姓名", "Name"),
        F("kind", "类型", "Kind", T.CHOICE, False, LEAVE_KINDS),
        F("start", "开始日期", "Start", T.DATE, True, width=12),
        F("end", "结束日期", "End", T.DATE, True, width=12),
        F("requested_on", "申请日期", "Requested On", T.DATE, True, width=12),
        F("approved_by", "审批人", "Approved By"),
    ),
)

JOINERS = SheetSchema(
    "StaffAdmin",
    "joiners",
    "新员工档案",
    "New Joiners",
    (
        F("staff_id", "工号", "Staff ID", required=True),
        F("name", "姓名", "Name", required=True),
        F("start", "入职日期", "Start Date", T.DATE, True, width=12),
        F("entry_form", "入职登记表", "Entry Form", width=24),  # paths under the drive's staff/ folder
        F("id_card", "身份证", "ID Card", width=24),
        F("diplomas", "学历证书", "Diplomas", T.LIST, width=24),
        F("sent_to_hr", "已报人事", "Sent to HR", T.DATE, width=12),
    ),
    id_field="staff_id",
)

RESOURCES_SHEETS = (COMPETITOR_PRICES, RECOMMENDED, PEAKS, FREE_ROOMS)
STAFF_ADMIN_SHEETS = (LEAVE, JOINERS)
WORKBOOKS["Resources"] = RESOURCES_SHEETS
WORKBOOKS["StaffAdmin"] = STAFF_ADMIN_SHEETS
