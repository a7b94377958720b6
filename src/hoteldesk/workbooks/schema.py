"""One schema per sheet of the four staff workbooks (product.md).

A column is found by its zh label, its en label or its field key, in any
order; columns staff add are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hoteldesk.domain.states import CLERK_SETS, OrderStatus


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"  # Decimal, two places
    PERCENT = "percent"  # Decimal fraction, shown as %
    DATE = "date"
    DATETIME = "datetime"
    CHOICE = "choice"  # one of ``choices``
    FLAG = "flag"  # 是/否
    LIST = "list"  # several values separated by ';'


@dataclass(frozen=True, slots=True)
class Choice:
    """An allowed value: the zh label (stored), the en label (accepted and shown in en drives)."""

    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    zh: str
    en: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    choices: tuple[Choice, ...] = ()
    width: float = 0  # 0: fit the label
    menu: tuple[Choice, ...] = ()  # the dropdown, when it offers fewer than ``choices`` (the reader takes all)

    def label(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh

    def names(self) -> tuple[str, str, str]:
        return (self.zh, self.en, self.key)


@dataclass(frozen=True, slots=True)
class SheetSchema:
    workbook: str  # file stem under workbooks/, e.g. "Bookings"
    key: str  # sheet key
    zh: str
    en: str
    fields: tuple[Field, ...]
    id_field: str = ""  # the field that identifies a row (order_no)
    _by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({f.key: f for f in self.fields})

    def label(self, locale: str) -> str:
        return self.en if locale.startswith("en") else self.zh

    def names(self) -> tuple[str, str, str]:
        return (self.zh, self.en, self.key)

    def field(self, key: str) -> Field:
        return self._by_key[key]


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(zh, en) for zh, en in pairs)


STATUS_CHOICES = tuple(Choice(s.value, s.en) for s in OrderStatus)
#: ST1: the 状态 dropdown offers only what a clerk may set (README "Who sets which status");
#: the reader still accepts every status, since hoteldesk writes the others.
STATUS_MENU = tuple(Choice(s.value, s.en) for s in CLERK_SETS)
CONFIRM_METHODS = _choices(("传真", "Fax"), ("邮件", "E-mail"), ("电话", "Phone"))
CHANNELS = _choices(("电话", "Phone"), ("网上", "Online"), ("集团", "Corporate"), ("代理", "Agency"))
PAYMENTS = _choices(("前台现付", "Pay at hotel"), ("代收代付", "Collect and pay"), ("月结", "Monthly"))
REPLY_VIA = _choices(("传真", "Fax"), ("电话", "Phone"), ("邮件", "E-mail"))
FLAG = _choices(("是", "Yes"), ("否", "No"))
CONTRACT_STATUS = _choices(("有效", "Active"), ("暂停", "Suspended"), ("终止", "Ended"))
BREAKFAST = _choices(("无早", "No breakfast"), ("单早", "1 breakfast"), ("双早", "2 breakfasts"))
SHIFT_STATUS = _choices(("出勤", "Present"), ("迟到", "Late"), ("请假", "Leave"), ("缺勤", "Absent"))

T = FieldType
F = Field

ORDERS = SheetSchema(
    "Bookings",
    "orders",
    "订单",
    "Orders",
    (
        F("order_no", "订单号", "Order No.", width=17),
        F("status", "状态", "Status", T.CHOICE, True, STATUS_CHOICES, width=11, menu=STATUS_MENU),
        F("channel", "渠道", "Channel", T.CHOICE, True, CHANNELS),
        F("booked_at", "预订时间", "Booked At", T.DATETIME, True, width=17),
        F("agent", "预订员", "Agent", required=True),
        F("member_card", "会员卡号", "Member Card No.", width=14),
        F("booker", "预订人", "Booker", required=True),
        F("booker_phone", "预订人电话", "Booker Phone", width=14),
        F("company", "公司", "Company", width=22),
        F("guests", "入住人", "Guests", T.LIST, True, width=20),
        F("hotel", "酒店", "Hotel", required=True, width=22),
        F("room_type", "房型", "Room Type", required=True, width=12),
        F("rooms", "间数", "Rooms", T.INT, True),
        F("check_in", "入住日期", "Check-in", T.DATE, True, width=12),
        F("check_out", "离店日期", "Check-out", T.DATE, True, width=12),
        F("rate", "房价", "Nightly Rate", T.MONEY, True),
        F("floor_price", "底价", "Floor Price", T.MONEY),
        F("payment", "付款方式", "Payment", T.CHOICE, True, PAYMENTS, width=12),
        F("requests", "特殊要求", "Special Requests", width=20),
        F("remarks", "备注", "Remarks", width=20),
        F("reply_via", "回复方式", "Reply Via", T.CHOICE, True, REPLY_VIA),
        F("urgent_reply", "即时回复", "Immediate Answer", T.FLAG, False, FLAG),
        F("customer_fax", "客户传真", "Customer Fax", width=14),
        F("customer_email", "客户邮箱", "Customer E-mail", width=22),
        F("hotel_conf_no", "确认号", "Hotel Conf. No.", width=14),
        F("confirmed_at", "确认时间", "Confirmed At", T.DATETIME, width=17),
        F("sent_at", "发送时间", "Sent At", T.DATETIME, width=17),
        F("confirm_by", "确认时限", "Confirm By", T.DATETIME, width=17),
        F("answered_at", "答复客户时间", "Customer Answered At", T.DATETIME, width=17),
        F("cancel_no", "取消号", "Cancellation No.", width=14),
        F("problems", "问题", "Problems", width=40),
        # issue 8: new columns go last, so the columns staff know keep their letters.
        F("confirm_method", "确认方式", "Confirmed Via", T.CHOICE, False, CONFIRM_METHODS),
        F("approved_by", "审批人", "Approved By", width=10),
    ),
    id_field="order_no",
)

ROOM_STATUS = SheetSchema(
    "RoomStatus",
    "room_status",
    "房态",
    "Room Status",
    (
        F("hotel", "酒店", "Hotel", required=True, width=12),
        F("room_type", "房型", "Room Type", required=True, width=12),
        F("night", "日期", "Night", T.DATE, True, width=12),
        F("allotment", "房量", "Allotment", T.INT, True),
        F("stop_sell", "关房", "Stop-sell", T.FLAG, False, FLAG),
        F("full", "满房", "Full", T.FLAG, False, FLAG),
        F("release_days", "释放天数", "Release Days", T.INT),
    ),
)

HOTELS = SheetSchema(
    "Contracts",
    "hotels",
    "酒店",
    "Hotels",
    (
        F("code", "酒店代码", "Hotel Code", required=True),
        F("name_zh", "酒店名称", "Name (zh)", required=True, width=24),
        F("name_en", "英文名称", "Name (en)", width=30),
        F("city", "城市", "City", required=True),
        F("district", "区域", "District"),
        F("star", "星级", "Star", T.INT),
        F("address", "地址", "Address", width=30),
        F("phone", "电话", "Phone", width=15),
        F("fax", "传真", "Fax", width=15),
        F("email", "预订邮箱", "Reservation E-mail", width=26),
        F("trusted_senders", "可信发件人", "Trusted Senders", T.LIST, width=30),
        F("settlement", "结算方式", "Settlement", T.CHOICE, False, PAYMENTS),
        F("contract_status", "合同状态", "Contract Status", T.CHOICE, True, CONTRACT_STATUS),
        F("contract_from", "合同开始", "Contract From", T.DATE, True, width=12),
        F("contract_to", "合同结束", "Contract To", T.DATE, True, width=12),
        F("signed_by", "签署人", "Signed By"),
        F("cancel_terms", "取消条款", "Cancellation Terms", width=30),
    ),
    id_field="code",
)

RATES = SheetSchema(
    "Contracts",
    "rates",
    "房价",
    "Rates",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("room_type", "房型", "Room Type", required=True, width=12),
        F("valid_from", "生效日期", "Valid From", T.DATE, True, width=12),
        F("valid_to", "失效日期", "Valid To", T.DATE, True, width=12),
        F("rate", "卖价", "Selling Rate", T.MONEY, True),
        F("floor_price", "底价", "Floor Price", T.MONEY, True),
        F("breakfast", "早餐", "Breakfast", T.CHOICE, False, BREAKFAST),
        F("commission", "返佣", "Commission", T.PERCENT),
    ),
)

TERMS = SheetSchema(
    "Contracts",
    "terms",
    "条款",
    "Terms",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("monthly_min_rooms", "月最低间夜", "Monthly Minimum Rooms", T.INT),
        F("cumulative_commission", "累计返佣", "Cumulative Commission", T.PERCENT),
        F("free_rooms", "免费房", "Free Rooms", T.INT),
        F("peak_periods", "旺季", "Peak Periods", width=30),
    ),
)

REPLY_RULES = SheetSchema(
    "Contracts",
    "reply_rules",
    "回复规则",
    "Reply Rules",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("sender", "发件人", "Sender", width=26),
        F("field", "字段", "Field", required=True),
        F("pattern", "匹配规则", "Pattern", required=True, width=40),
    ),
)

STAFF = SheetSchema(
    "Rosters",
    "staff",
    "员工",
    "Staff",
    (
        F("staff_id", "工号", "Staff ID", required=True),
        F("name", "姓名", "Name", required=True),
        F("department", "部门", "Department", width=12),
        F("role", "岗位", "Role", width=12),
        F("joined_on", "入职日期", "Joined On", T.DATE, width=12),
        F("shift_group", "班组", "Shift Group"),
    ),
    id_field="staff_id",
)

ROSTER = SheetSchema(
    "Rosters",
    "roster",
    "排班",
    "Roster",
    (
        F("month", "月份", "Month", required=True),
        F("staff_id", "工号", "Staff ID", required=True),
        F("name", "姓名", "Name"),
        *(F(f"d{d}", str(d), str(d), width=4) for d in range(1, 32)),
    ),
)

ATTENDANCE = SheetSchema(
    "Rosters",
    "attendance",
    "考勤",
    "Attendance",
    (
        F("day", "日期", "Date", T.DATE, True, width=12),
        F("staff_id", "工号", "Staff ID", required=True),
        F("shift", "班次", "Shift"),
        F("clock_in", "上班", "Clock In", T.DATETIME, width=17),
        F("clock_out", "下班", "Clock Out", T.DATETIME, width=17),
        F("status", "出勤状态", "Status", T.CHOICE, False, SHIFT_STATUS),
    ),
)

from hoteldesk.workbooks.schema_members import MEMBERS_SHEETS  # noqa: E402  (it uses Field etc. above)

#: Workbook stem → its sheets, in the order they appear.
WORKBOOKS: dict[str, tuple[SheetSchema, ...]] = {
    "Bookings": (ORDERS,),
    "RoomStatus": (ROOM_STATUS,),
    "Contracts": (HOTELS, RATES, TERMS, REPLY_RULES),
    "Rosters": (STAFF, ROSTER, ATTENDANCE),
    "Members": MEMBERS_SHEETS,  # issue 12: customer service (schema_members.py)
}

from hoteldesk.workbooks import schema_resources  # noqa: E402, F401  (issue 14 adds Resources and StaffAdmin)

# issue 13: the booking floor's workbooks (their schemas live in their own modules, which import this one).
from hoteldesk.workbooks.schema_floor import SHIFTS  # noqa: E402
from hoteldesk.workbooks.schema_settlement import SETTLEMENT  # noqa: E402

WORKBOOKS.update({"Settlement": SETTLEMENT, "Shifts": SHIFTS})
