"""Fax numbers as staff type them → E.164 and the dial string (issue 4 §5)."""

from __future__ import annotations

import pytest

from hoteldesk.documents.gateways.faxnumber import DialPlan, dial_string, normalise
from hoteldesk.errors import FaxNumberError, GatewayError


@pytest.mark.parametrize(
    "typed",
    [
        "010-6500 1234",
        "(010) 65001234",
        "（010）6500-1234",  # full-width brackets from a Chinese keyboard
        "+86 10 6500 1234",
        "+86 (10) 6500-1234",
        "0086 10 65001234",
        "86 10 6500 1234",
        "０１０６５００１２３４",  # full-width digits
        " 010.6500.1234 ",
    ],
)
def test_the_ways_staff_write_a_beijing_fax_number_are_one_number(typed: str) -> None:
    assert normalise(typed) == "+861065001234"


def test_foreign_numbers_keep_their_country() -> None:
    assert normalise("+852 2123 4567") == "+85221234567"
    assert normalise("001 212 555 0100") == "+12125550100"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("", "no fax number"),
        ("6500 1234", "no area code"),
        ("010-6500 1234 ext 5", "cannot be dialled"),
        ("传真 010 6500 1234", "cannot be dialled"),
        ("010-12", "too short"),
        ("+86 10 6500 1234 5678 9", "8 to 15"),
    ],
)
def test_a_bad_number_is_a_fax_number_error_that_says_what_to_fix(typed: str, why: str) -> None:
    with pytest.raises(FaxNumberError, match=why) as err:
        normalise(typed)
    assert isinstance(err.value, GatewayError)  # the outbox records it on the job like any gateway error


def test_dial_string_follows_the_configured_plan() -> None:
    assert dial_string("+861065001234") == "861065001234"
    national = DialPlan.from_settings({"country_code": "86", "dial": "national", "dial_prefix": "9"})
    assert dial_string("+861065001234", national) == "9010" + "65001234"
    assert dial_string("+85221234567", national) == "90085221234567"


def test_another_home_country_reads_national_numbers_as_its_own() -> None:
    plan = DialPlan.from_settings({"country_code": "+44"})
    assert normalise("020 7946 0018", plan) == "+442079460018"
