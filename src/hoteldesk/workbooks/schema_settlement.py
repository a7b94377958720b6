"""Settlement.xlsx: collect-and-pay (代收代付) slips and the deposits hotels hold (P1–P3, issue 13).

- ``代收代付``: one slip per order paid 代收代付, added by hoteldesk when the order is confirmed, with the
  amounts (due from the customer, owed to the hotel at 底价, commission). The shift lead signs it off
  (P1: 签核人 + 签核时间) before it goes to finance; the clerk enters money received, receipt and
  invoice (P2).
- ``押金``: deposits hotels hold for us, typed by the settlement clerk; hoteldesk ages them and chases
  the ones past their term (P3).
- ``VIP``: customers who stayed at one hotel often (P4), added by hoteldesk; the clerk records the
  hotel's answer and, when it refuses, when pricing was told.
"""

from __future__ import annotations

from hoteldesk.workbooks.schema import Choice, Field, FieldType, SheetSchema

T = FieldType
F = Field

SLIPS = SheetSchema(
    "Settlement",
    "cp_slips",
    "代收代付",
    "Collect and Pay",
    (
        F("order_no", "订单号", "Order No.", required=True, width=17),
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("booker", "预订人", "Booker"),
        F("check_in", "入住日期", "Check-in", T.DATE, True, width=12),
        F("check_out", "离店日期", "Check-out", T.DATE, True, width=12),
        F("rooms", "间数", "Rooms", T.INT),
        F("nights", "晚数", "Nights", T.INT),
        F("rate", "房价", "Nightly Rate", T.MONEY),
        F("floor_price", "底价", "Floor Price", T.MONEY),
        F("due_from_customer", "应收客户", "Due From Customer", T.MONEY, width=12),
        F("owed_to_hotel", "应付酒店", "Owed To Hotel", T.MONEY, width=12),
        F("commission", "佣金", "Commission", T.MONEY),
        F("created_at", "生成时间", "Created At", T.DATETIME, width=17),
        F("signed_off_by", "签核人", "Signed Off By"),
        F("signed_off_at", "签核时间", "Signed Off At", T.DATETIME, width=17),
        F("received", "已收金额", "Received", T.MONEY),
        F("receipt_no", "收据号", "Receipt No.", width=12),
        F("invoice_no", "发票号", "Invoice No.", width=12),
        F("handed_at", "交财务时间", "Handed To Finance", T.DATETIME, width=17),
    ),
    id_field="order_no",
)

DEPOSITS = SheetSchema(
    "Settlement",
    "deposits",
    "押金",
    "Deposits",
    (
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("amount", "金额", "Amount", T.MONEY, True),
        F("paid_on", "支付日期", "Paid On", T.DATE, True, width=12),
        F("term_days", "期限天数", "Term (days)", T.INT, True),
        F("returned_on", "退回日期", "Returned On", T.DATE, width=12),
        F("note", "备注", "Note", width=30),
    ),
)

HOTEL_ANSWERS = tuple(Choice(zh, en) for zh, en in (("同意", "Agreed"), ("不同意", "Refused")))

VIP = SheetSchema(
    "Settlement",
    "vip",
    "VIP",
    "VIP",
    (
        F("vip_key", "编号", "Key", required=True, width=24),
        F("customer", "客户", "Customer", width=14),
        F("member_card", "会员卡号", "Member Card No.", width=14),
        F("hotel", "酒店代码", "Hotel Code", required=True),
        F("stays", "12个月入住次数", "Stays (12 months)", T.INT),
        F("listed_at", "列入时间", "Listed At", T.DATETIME, width=17),
        F("asked_by", "联系人", "Asked By"),
        F("hotel_answer", "酒店答复", "Hotel's Answer", T.CHOICE, False, HOTEL_ANSWERS),
        F("treatment", "VIP待遇", "Treatment", width=24),
        F("pricing_told_at", "告知价格部时间", "Pricing Told At", T.DATETIME, width=17),
    ),
    id_field="vip_key",
)

SETTLEMENT = (SLIPS, DEPOSITS, VIP)
