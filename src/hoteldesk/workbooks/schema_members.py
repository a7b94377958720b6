"""Members.xlsx, the customer service desk's workbook (客服中心, issue 12; rules S1–S7, B5, H12).

Sheets staff edit: 会员 (members), 兑奖 (prize redemptions), 投诉 (complaints). hoteldesk writes
only the columns marked "hoteldesk" below (points balance, reserved points, complaint numbers,
owner department when blank, 问题); the points ledger (积分流水) is derived, so it is a view
hoteldesk owns (views/Points.xlsx), as architecture.md asks of every derived list.
"""

from __future__ import annotations

from hoteldesk.workbooks.schema import Choice, Field, FieldType, SheetSchema

T = FieldType
F = Field


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(zh, en) for zh, en in pairs)


FLAG = _choices(("是", "Yes"), ("否", "No"))  # as schema.FLAG (not imported: schema.py imports this module)
MEMBER_LEVELS = _choices(("普通", "Standard"), ("银卡", "Silver"), ("金卡", "Gold"))
CARD_STATUS = _choices(
    ("申请", "Applied"), ("制卡", "Card made"), ("已寄", "Posted"), ("已激活", "Activated"), ("挂失", "Lost")
)
APPLY_CHANNELS = _choices(("网上", "Online"), ("电话", "Phone"), ("柜台", "Counter"), ("办事处", "Regional office"))
COMPLAINT_CATEGORIES = _choices(
    ("预订错误", "Booking error"),
    ("确认延误", "Late confirmation"),
    ("酒店服务", "Hotel service"),
    ("房间设施", "Room and facilities"),
    ("价格", "Price"),
    ("其他", "Other"),
)
SEVERITY = _choices(("一般", "Ordinary"), ("严重", "Serious"))
DEPARTMENTS = _choices(
    ("预订部", "Booking desk"),
    ("确认部", "Confirmation desk"),
    ("酒店资源部", "Hotel resources"),
    ("价格部", "Pricing"),
    ("客服中心", "Customer service"),
)

MEMBERS = SheetSchema(
    "Members",
    "members",
    "会员",
    "Members",
    (
        F("card_no", "会员卡号", "Card No.", width=14),
        F("name", "姓名", "Name", required=True),
        F("level", "等级", "Level", T.CHOICE, False, MEMBER_LEVELS),
        F("phone", "手机", "Mobile", width=14),
        F("email", "邮箱", "E-mail", width=24),
        F("address", "地址", "Address", width=30),
        F("region", "所属办事处", "Regional Office", width=10),
        F("company", "公司", "Company", width=22),
        F("joined_on", "入会日期", "Joined On", T.DATE, width=12),
        F("channel", "申请渠道", "Applied Via", T.CHOICE, False, APPLY_CHANNELS),
        F("card_status", "卡状态", "Card Status", T.CHOICE, False, CARD_STATUS),
        F("applied_on", "申请日期", "Applied On", T.DATE, width=12),
        F("made_on", "制卡日期", "Card Made On", T.DATE, width=12),
        F("posted_on", "寄出日期", "Posted On", T.DATE, width=12),
        F("points", "积分余额", "Points Balance", T.INT),  # hoteldesk (S1)
        F("reserved", "冻结积分", "Points Reserved", T.INT),  # hoteldesk (S2)
        F("last_contact", "最近联系", "Last Contact", T.DATE, width=12),
        F("call_outcome", "回访结果", "Call Outcome", width=20),
        F("problems", "问题", "Problems", width=40),  # hoteldesk
    ),
    id_field="card_no",
)

REDEMPTIONS = SheetSchema(
    "Members",
    "redemptions",
    "兑奖",
    "Redemptions",
    (
        F("request_no", "兑奖单号", "Request No.", width=16),  # hoteldesk numbers a new request
        F("card_no", "会员卡号", "Card No.", required=True, width=14),
        F("name", "姓名", "Name"),
        F("prize", "奖品", "Prize", required=True, width=20),
        F("points", "所需积分", "Points", T.INT, True),
        F("requested_on", "申请日期", "Requested On", T.DATE, True, width=12),
        F("approved_by", "总经理审批", "GM Approval", width=10),
        F("approved_on", "审批日期", "Approved On", T.DATE, width=12),
        F("bought_on", "购买日期", "Bought On", T.DATE, width=12),
        F("delivered_on", "送达日期", "Delivered On", T.DATE, width=12),
        F("confirmed_on", "确认函日期", "Confirmed On", T.DATE, width=12),
        F("problems", "问题", "Problems", width=40),  # hoteldesk
    ),
    id_field="request_no",
)

COMPLAINTS = SheetSchema(
    "Members",
    "complaints",
    "投诉",
    "Complaints",
    (
        F("complaint_no", "投诉编号", "Complaint No.", width=16),  # hoteldesk numbers it (S3)
        F("card_no", "会员卡号", "Card No.", width=14),
        F("order_no", "订单号", "Order No.", width=17),
        F("hotel", "酒店", "Hotel", width=16),
        F("category", "类别", "Category", T.CHOICE, True, COMPLAINT_CATEGORIES),
        F("severity", "严重程度", "Severity", T.CHOICE, True, SEVERITY),
        F("received_at", "受理时间", "Received At", T.DATETIME, True, width=17),
        F("summary", "投诉内容", "What Happened", width=30),
        F("department", "责任部门", "Owner Department", T.CHOICE, False, DEPARTMENTS),  # hoteldesk fills a blank
        F("findings_at", "调查结果时间", "Findings At", T.DATETIME, width=17),
        F("findings", "调查结果与处理意见", "Findings and Resolution", width=30),
        F("interim_at", "中期答复时间", "Interim Answer At", T.DATETIME, width=17),
        F("final_at", "最终答复时间", "Final Answer At", T.DATETIME, width=17),
        F("visit_needed", "需登门致歉", "Visit Needed", T.FLAG, False, FLAG),
        F("visit_done", "致歉日期", "Visit Done On", T.DATE, width=12),
        F("closed_at", "结案时间", "Closed At", T.DATETIME, width=17),
        F("problems", "问题", "Problems", width=40),  # hoteldesk
    ),
    id_field="complaint_no",
)

#: The derived points ledger (S1), written whole by hoteldesk into views/Points.xlsx.
POINTS_LEDGER = SheetSchema(
    "Points",
    "points_ledger",
    "积分流水",
    "Points Ledger",
    (
        F("card_no", "会员卡号", "Card No.", width=14),
        F("order_no", "订单号", "Order No. / Request", width=17),
        F("nights", "间夜", "Room Nights", T.INT),
        F("points", "积分", "Points", T.INT),
        F("kind", "类型", "Kind", width=10),
        F("at", "记账时间", "Booked At", T.DATETIME, width=17),
        F("note", "说明", "Note", width=30),
    ),
)

MEMBERS_SHEETS: tuple[SheetSchema, ...] = (MEMBERS, REDEMPTIONS, COMPLAINTS)

#: S1: a member's phone or card number changed by a clerk (who, when, old → new), in views/Points.xlsx.
MEMBER_CHANGES = SheetSchema(
    "Points",
    "member_changes",
    "资料变更",
    "Member Changes",
    (
        F("card_no", "会员卡号", "Card No.", width=14),
        F("field", "项目", "Field", width=10),
        F("old", "原值", "Old", width=16),
        F("new", "新值", "New", width=16),
        F("who", "修改人", "Changed By", width=12),
        F("at", "修改时间", "Changed At", T.DATETIME, width=17),
    ),
)

#: S6: members who never stayed, for follow-up calls (views/CustomerService.xlsx).
CONVERT_LIST = SheetSchema(
    "CustomerService",
    "to_convert",
    "待转化会员",
    "Members to Convert",
    (
        F("card_no", "会员卡号", "Card No.", width=14),
        F("name", "姓名", "Name"),
        F("phone", "手机", "Mobile", width=14),
        F("company", "公司", "Company", width=22),
        F("region", "所属办事处", "Regional Office", width=10),
        F("joined_on", "入会日期", "Joined On", T.DATE, width=12),
        F("last_contact", "最近联系", "Last Contact", T.DATE, width=12),
    ),
)

#: S7: the day's cards to post, and every card overdue (views/CustomerService.xlsx).
MAILING_LIST = SheetSchema(
    "CustomerService",
    "mailing",
    "寄卡清单",
    "Cards to Post",
    (
        F("name", "姓名", "Name"),
        F("address", "地址", "Address", width=30),
        F("phone", "手机", "Mobile", width=14),
        F("card_status", "卡状态", "Card Status", T.CHOICE, False, CARD_STATUS),
        F("applied_on", "申请日期", "Applied On", T.DATE, width=12),
        F("post_by", "最迟寄出", "Post By", T.DATE, width=12),
        F("overdue", "逾期", "Overdue", T.FLAG, False, FLAG),
    ),
)

#: S5: complaints this week and this month by category, department and hotel (views/CustomerService.xlsx).
COMPLAINT_SUMMARY = SheetSchema(
    "CustomerService",
    "complaint_summary",
    "投诉汇总",
    "Complaint Summary",
    (
        F("period", "期间", "Period", width=24),
        F("dimension", "维度", "By", width=10),
        F("value", "项目", "Item", width=16),
        F("count", "投诉数", "Complaints", T.INT),
        F("serious", "严重", "Serious", T.INT),
    ),
)

#: S2: the quarter's prizes for administration to buy and the offices to deliver, by regional office.
QUARTER_PRIZES = SheetSchema(
    "CustomerService",
    "quarter_prizes",
    "本季奖品",
    "Prizes This Quarter",
    (
        F("region", "所属办事处", "Regional Office", width=12),
        F("request_no", "兑奖单号", "Request No.", width=16),
        F("card_no", "会员卡号", "Card No.", width=14),
        F("name", "姓名", "Name"),
        F("address", "地址", "Address", width=30),
        F("prize", "奖品", "Prize", width=20),
        F("points", "所需积分", "Points", T.INT),
        F("approved_by", "总经理审批", "GM Approval", width=10),
        F("bought_on", "购买日期", "Bought On", T.DATE, width=12),
    ),
)
