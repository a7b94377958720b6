"""Issue 17: the small rules behind reading a faxed-back slip, one by one."""

from __future__ import annotations

from hoteldesk.documents.qr import SlipCode, parse_payload
from hoteldesk.inbox_watchers.faxpage import PageReading
from hoteldesk.inbox_watchers.faxreply import plausible, same_number

CODE = SlipCode("HD20261126-0001", 2, "change")


def test_slip_code_round_trips_and_a_changed_character_fails_its_check() -> None:
    assert parse_payload(CODE.payload) == (CODE, "")
    tampered = CODE.payload.replace("|2|", "|3|")
    assert parse_payload(tampered) == (None, "check value does not match")
    assert parse_payload("https://example.com/x")[0] is None


def test_exactly_one_clear_tick_is_an_answer() -> None:
    assert PageReading(0, code=CODE, ticked=(0,)).answer == "confirmed"
    assert PageReading(0, code=CODE, ticked=(1,)).answer == "full"
    assert PageReading(0, code=CODE, ticked=(0, 2)).answer == ""  # two ticks
    assert PageReading(0, code=CODE, ticked=()).answer == ""  # none
    assert PageReading(0, code=CODE, ticked=(0,), unsure=(2,)).answer == ""  # a faint mark elsewhere
    assert PageReading(0, code=None, ticked=(0,)).answer == ""  # no valid QR, no answer
    cancel = SlipCode("HD20261126-0001", 3, "cancel")
    assert PageReading(0, code=cancel, ticked=(1,)).answer == "refused"


def test_fax_numbers_compare_by_their_last_eight_digits() -> None:
    assert same_number("+86 10 6500 1234", "010-65001234")
    assert not same_number("+86 10 6500 1234", "010-65001235")
    assert not same_number("", "010-65001234")


def test_a_number_must_look_like_the_hotels_earlier_numbers() -> None:
    assert plausible("CF1234567", [])
    assert plausible("CF1234567", ["RS7654321"])
    assert not plausible("CF1234567", ["88-123456"])
    assert not plausible("=1+1", [])
    assert not plausible("12", [])


def test_a_faint_slip_whose_qr_modules_came_out_thin_is_still_read() -> None:
    import random

    import cv2
    import numpy as np

    from hoteldesk.demo.faxback import Damage, Fill, damage_page, fill_page, synthetic_slip, to_tiff
    from hoteldesk.inbox_watchers.faxpage import read_fax

    code = SlipCode("HD20261126-0001", 1, "booking")
    pale = cv2.dilate(synthetic_slip(code), np.ones((7, 7), np.uint8))  # printed pale: modules ~0.8 mm thinner
    faint = fill_page(pale, "booking", Fill((1,), ""), random.Random(7))  # then ticked 满房 in pen
    for standard in (False, True):
        back = damage_page(faint, Damage(angle=1.0, speckle=0.002, standard=standard, seed=1))
        [reading] = read_fax(to_tiff([back], standard=standard), "x.tif", ocr_pages=False)
        assert reading.code == code and reading.answer == "full"
