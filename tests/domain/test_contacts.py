"""C8: booker phone, customer fax and customer e-mail are numbers and addresses that can be reached."""

from __future__ import annotations

import pytest

from hoteldesk.domain.contacts import EmailProblem, PhoneProblem, check_contacts, email_problem, phone_problem
from tests.domain.sample import order


@pytest.mark.parametrize(
    "number",
    [
        "13812345678",  # mainland mobile
        "138 1234 5678",
        "+86 138-1234-5678",
        "008613812345678",
        "19912345678",
        "010-12345678",  # Beijing landline, 3-digit area code with its 0
        "(010) 6505 0000",
        "021-87654321",
        "0755-1234567",  # 4-digit area code, 7-digit number
        "0571-88886666",
        "+86 10 8888 0000",  # +86 drops the area code's 0; 10 is Beijing, not a mobile
        "+86 755 1234567",
        "010-12345678转801",  # extension
        "400-820-8820",
        "+852 2123 4567",  # Hong Kong
        "+853 2812 3456",  # Macau
        "+886 2 2345 6789",  # Taiwan, 9 digits after the code
        "+886 912 345 678",
        "+44 20 7946 0000",  # any other country with its code
        "+1 212 555 0100",
    ],
)
def test_numbers_that_can_be_dialled(number: str) -> None:
    assert phone_problem(number) is None, number


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("1381234567", PhoneProblem.MOBILE_LENGTH),  # 10 digits
        ("138123456789", PhoneProblem.MOBILE_LENGTH),  # 12 digits
        ("12812345678", PhoneProblem.MOBILE_PREFIX),  # 12x is no mobile prefix
        ("+86 11812345678", PhoneProblem.MOBILE_PREFIX),
        ("65050000", PhoneProblem.NO_AREA_CODE),  # a landline without its area code
        ("6505-0000", PhoneProblem.NO_AREA_CODE),
        ("010-123456", PhoneProblem.LANDLINE_LENGTH),  # 6 digits after the area code
        ("010-123456789", PhoneProblem.LANDLINE_LENGTH),
        ("0755-123456", PhoneProblem.LANDLINE_LENGTH),
        ("+852 2123 456", PhoneProblem.REGION_LENGTH),
        ("+853 2812 34567", PhoneProblem.REGION_LENGTH),
        ("+886 2 234", PhoneProblem.REGION_LENGTH),
        ("+44 20", PhoneProblem.INTERNATIONAL_LENGTH),
        ("+44 20 7946 0000 1234 5678", PhoneProblem.INTERNATIONAL_LENGTH),
        ("138-abcd-5678", PhoneProblem.LETTERS),
        ("１３８１２３４５６７８", PhoneProblem.LETTERS),  # full-width digits cannot be dialled by the fax server
    ],
)
def test_numbers_that_cannot_be_dialled(number: str, problem: PhoneProblem) -> None:
    found = phone_problem(number)
    assert found is not None and found[0] is problem, number


@pytest.mark.parametrize("address", ["li.lei@example.com", "booking+vip@mail.example.com.cn", "a_b@ex-ample.cn"])
def test_email_addresses_that_receive_mail(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("li.lei＠example.com", EmailProblem.FULL_WIDTH),
        ("li.lei@example。com", EmailProblem.FULL_WIDTH),
        ("li.lei@example", EmailProblem.SHAPE),
        ("li.lei.example.com", EmailProblem.SHAPE),
        ("li lei@example.com", EmailProblem.SHAPE),
        ("li@@example.com", EmailProblem.SHAPE),
        ("li@example..com", EmailProblem.SHAPE),
    ],
)
def test_email_addresses_that_do_not(address: str, problem: EmailProblem) -> None:
    assert email_problem(address) is problem


def test_C8_bad_contacts_are_warnings_that_say_what_to_write() -> None:
    found = check_contacts(order(booker_phone="65050000", customer_fax="0755-123456", customer_email="li@example"))
    assert [(f.rule, f.severity) for f in found] == [("C8", "warning")] * 3
    assert found[0].message == "预订人电话 65050000 没有区号：固话请写成 010-12345678 或 0755-1234567"
    assert found[1].message == (
        "客户传真 0755-123456 位数不对：固话应为区号加 7–8 位号码，如 010-12345678、0755-1234567"
    )
    assert found[2].message == "客户邮箱 li@example 不是有效的邮箱地址：应写成 name@example.com"


def test_C8_each_number_of_a_cell_is_checked_and_english_drives_read_english() -> None:
    found = check_contacts(order(booker_phone="13812345678 / +852 2123 456"), "en")
    assert [f.message for f in found] == [
        "Booker Phone +852 2123 456 has the wrong length: Hong Kong numbers are +852 and 8 digits, e.g. +852 2123 4567"
    ]


def test_C8_good_and_missing_contacts_give_nothing_here() -> None:
    assert check_contacts(order()) == []  # the sample's 13800000000 and +86 10 8888 0000
    assert check_contacts(order(booker_phone=None, customer_fax="", customer_email=None)) == []


def test_C8_contact_checks_run_with_every_order_check() -> None:
    from decimal import Decimal

    from hoteldesk.domain.checks import Rules, check_all
    from hoteldesk.domain.remaining import remaining_rooms
    from tests.domain.sample import TODAY, reference

    ref, o = reference(), order(booker_phone="+852 2123 456")
    rules = Rules(today=TODAY, min_margin=Decimal("0.10"))
    found = check_all([(o["order_no"], o)], ref, {o["order_no"]}, rules, remaining_rooms(ref, [o]))[o["order_no"]]
    assert [f.line() for f in found] == [
        "[C8 警告] 预订人电话 +852 2123 456 位数不对：香港号码请写成 +852 加 8 位，如 +852 2123 4567"
    ]
