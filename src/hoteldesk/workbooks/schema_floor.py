"""Shifts.xlsx: the booking floor's own working book (issue 13).

Why a new workbook and not sheets in Rosters.xlsx: Rosters is HR's (staff, 排班, 考勤, A1–A4) and is
edited by a few people a month; the floor's sheets are edited by every shift all day, and a workbook open
in Excel holds hoteldesk's writes back — so the floor's busy sheets live apart from HR's.

- ``NO-SHOW``: one row per 待核实/NO-SHOW order, added by hoteldesk (N1); the handler records the call,
  the reason, that the booker was reminded, the hotel's re-verification (N3) and feedback (N5).
- ``交接`` (B6): open items each shift writes; hoteldesk carries over what is not closed.
- ``集团纠错`` (G1): rows of 集团 orders the shift lead found wrong, with who must hear of the fix.
- ``咨询`` (B10): conference and tour enquiries; hoteldesk mails each to its department and writes
  转交时间; the department's answer goes into 结果.
- ``发单前核对`` (C2, C7): a slip that waits for a person — a change or cancellation the remarks speak
  against, an online order's call to the customer; 核对人 + 结果 放行 releases it.
"""

from __future__ import annotations

from hoteldesk.workbooks.schema import Choice, Field, FieldType, SheetSchema

T = FieldType
F = Field
YES_NO = (Choice("是", "Yes"), Choice("否", "No"))  # schema.FLAG, spelled here: schema.py imports this module

#: N1: the common reasons a booker gives (the dropdown); 原因说明 takes the rest.
NO_SHOW_REASONS = tuple(
    Choice(zh, en)
    for zh, en in (
        ("行程取消", "Trip cancelled"),
        ("行程改期", "Trip postponed"),
        ("改住其他酒店", "Stayed elsewhere"),
        ("航班/火车延误", "Flight/train delayed"),
        ("忘记通知取消", "Forgot to cancel"),
        ("联系不上", "Not reachable"),
        ("实际已入住", "Did stay"),
        ("其他", "Other"),
    )
)
#: N3: what the hotel said when asked again.
VERIFY_OUTCOMES = tuple(Choice(zh, en) for zh, en in (("确认未入住", "No-show confirmed"), ("实际已入住", "Did stay")))

NO_SHOWS = SheetSchema(
    "Shifts",
    "no_shows",
    "NO-SHOW",
    "No-shows",
    (
        F("order_no", "订单号", "Order No.", required=True, width=17),
        F("hotel", "酒店", "Hotel", width=20),
        F("check_in", "入住日期", "Check-in", T.DATE, width=12),
        F("booker", "预订人", "Booker"),
        F("booker_phone", "预订人电话", "Booker Phone", width=14),
        F("due_at", "处理时限", "Due By", T.DATETIME, width=17),
        F("handler", "处理人", "Handler"),
        F("called_at", "联系时间", "Called At", T.DATETIME, width=17),
        F("reason", "原因", "Reason", T.CHOICE, False, NO_SHOW_REASONS, width=14),
        F("reason_note", "原因说明", "Reason Details", width=24),
        F("reminded", "已提醒提前通知", "Reminded To Notify", T.FLAG, False, YES_NO),
        F("hotel_checked_with", "酒店复核人", "Hotel Contact"),
        F("hotel_checked_at", "复核时间", "Re-verified At", T.DATETIME, width=17),
        F("verified", "复核结果", "Hotel Says", T.CHOICE, False, VERIFY_OUTCOMES, width=12),
        F("feedback", "客户反馈", "Feedback", width=30),
    ),
    id_field="order_no",
)

HANDOVER_STATES = tuple(Choice(zh, en) for zh, en in (("未完成", "Open"), ("已完成", "Done")))

HANDOVER = SheetSchema(
    "Shifts",
    "handover",
    "交接",
    "Handover",
    (
        F("item_no", "编号", "Item No.", width=10),
        F("written_at", "登记时间", "Written At", T.DATETIME, True, width=17),
        F("shift", "班次", "Shift"),
        F("written_by", "登记人", "Written By"),
        F("order_no", "订单号", "Order No.", width=17),
        F("item", "事项", "Item", required=True, width=40),
        F("state", "状态", "State", T.CHOICE, False, HANDOVER_STATES),
        F("closed_by", "完成人", "Closed By"),
        F("closed_at", "完成时间", "Closed At", T.DATETIME, width=17),
    ),
)

#: C2/C7: what releases a slip that waits for a person.
CHECK_RESULTS = tuple(
    Choice(zh, en) for zh, en in (("放行", "Release"), ("联系不上", "Not reachable"), ("暂不发送", "Do not send"))
)

SLIP_CHECKS = SheetSchema(
    "Shifts",
    "slip_checks",
    "发单前核对",
    "Pre-send Checks",
    (
        F("check_id", "核对编号", "Check No.", required=True, width=12),
        F("rule", "规则", "Rule"),
        F("order_no", "订单号", "Order No.", width=17),
        F("kind", "单据", "Slip"),
        F("booker", "预订人", "Booker"),
        F("booker_phone", "预订人电话", "Booker Phone", width=14),
        F("what", "核对内容", "What To Check", width=40),
        F("remark", "备注原文", "Remark", width=30),
        F("created_at", "生成时间", "Created At", T.DATETIME, width=17),
        F("checked_by", "核对人", "Checked By"),
        F("checked_at", "核对时间", "Checked At", T.DATETIME, width=17),
        F("result", "结果", "Result", T.CHOICE, False, CHECK_RESULTS, width=12),
        F("note", "说明", "Note", width=24),
    ),
    id_field="check_id",
)

#: G1: who must hear of a correction.
TELL = tuple(Choice(zh, en) for zh, en in (("客户", "Client"), ("酒店", "Hotel"), ("客户和酒店", "Client and hotel")))

GROUP_MARKS = SheetSchema(
    "Shifts",
    "group_marks",
    "集团纠错",
    "Corporate Corrections",
    (
        F("order_no", "订单号", "Order No.", required=True, width=17),
        F("marked_by", "标记人", "Marked By"),
        F("marked_at", "标记时间", "Marked At", T.DATETIME, width=17),
        F("wrong", "问题", "What Is Wrong", required=True, width=36),
        F("tell", "需通知", "Tell", T.CHOICE, False, TELL, width=12),
        F("corrected_by", "更正人", "Corrected By"),
        F("corrected_at", "更正时间", "Corrected At", T.DATETIME, width=17),
    ),
)

ENQUIRY_KINDS = tuple(Choice(zh, en) for zh, en in (("会议", "Conference"), ("旅游", "Tour"), ("其他", "Other")))

ENQUIRIES = SheetSchema(
    "Shifts",
    "enquiries",
    "咨询",
    "Enquiries",
    (
        F("enquiry_no", "编号", "Enquiry No.", required=True, width=10),
        F("received_at", "登记时间", "Received At", T.DATETIME, True, width=17),
        F("kind", "类别", "Kind", T.CHOICE, True, ENQUIRY_KINDS),
        F("taken_by", "登记人", "Taken By"),
        F("customer", "客户", "Customer", required=True, width=16),
        F("phone", "电话", "Phone", width=14),
        F("email", "邮箱", "E-mail", width=22),
        F("details", "需求", "Details", required=True, width=40),
        F("department", "转交部门", "Passed To", required=True, width=12),
        F("passed_at", "转交时间", "Passed At", T.DATETIME, width=17),
        F("outcome", "结果", "Outcome", width=30),
        F("closed_at", "结案时间", "Closed At", T.DATETIME, width=17),
    ),
    id_field="enquiry_no",
)

SHIFTS = (NO_SHOWS, HANDOVER, SLIP_CHECKS, GROUP_MARKS, ENQUIRIES)
