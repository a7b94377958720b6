"""Issue 17 §3-§4: the 确认号 line read exactly, in the shape the hotel writes its numbers, and only a
reading with a clear lead over every rival is certain enough to apply."""

from __future__ import annotations

import random

import numpy as np
import pytest

from hoteldesk.demo.faxback import Damage, Fill, damage_page, fill_page, synthetic_slip, to_tiff
from hoteldesk.documents.qr import SlipCode
from hoteldesk.inbox_watchers.faxnumber import DIGITS, NumberRead, decode, glyphs_agree, joined, patterns, whitelist
from hoteldesk.inbox_watchers.faxpage import PageReading, read_fax
from hoteldesk.inbox_watchers.faxreply import certain_number

CODE = SlipCode("HD20261126-0001", 1, "booking")
# Tesseract's alternatives for a faxed "BJ25", best first: the J is ranked just below a 3
BJ25 = [[("B", 94.0), ("3", 5.0)], [("3", 86.0), ("J", 84.0), ("I", 66.0)], [("2", 95.0)], [("5", 96.0), ("S", 1.0)]]


def test_patterns_allow_any_digit_and_only_the_letters_the_hotel_wrote_there() -> None:
    [(first, second, *digits)] = patterns(["CF1234567", "BJ7654321", "cf7777777"])
    assert (first, second) == ("BC", "FJ") and digits == [DIGITS] * 7
    assert patterns(["88-123456"]) == ((DIGITS, DIGITS, "-", *[DIGITS] * 6),)
    assert patterns(["=1+1", ""]) == ()  # no number, no pattern
    assert whitelist(patterns(["123456", "1234567"])) == DIGITS  # a digits-only hotel: no letter is ever read
    assert whitelist(()) == "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"


def test_each_character_takes_the_best_alternative_the_hotels_shape_allows_there() -> None:
    assert decode(BJ25, ()).text == "B325"  # Tesseract alone
    held = decode(BJ25, patterns(["BJ00"]))
    assert held == NumberRead("BJ25", 84.0, 84.0 - 0.0)  # the only letter allowed there has no rival
    assert decode(BJ25, patterns(["BJI0", "BJJ0"])) == NumberRead()  # no pattern of this length: nothing
    letters = decode(BJ25, patterns(["BJ00", "BI00"]))
    assert letters.text == "BJ25" and letters.lead == 84.0 - 66.0  # I allowed too: J leads it by 18


def test_a_close_rival_makes_a_number_uncertain_however_confident() -> None:
    close = decode([[("0", 88.0), ("6", 84.0)], [("1", 95.0)]] * 3, ())
    assert close.text == "010101" and close.conf == 88.0 and close.lead == 4.0
    page = PageReading(0, code=CODE, ticked=(0,), number=close.text, number_conf=close.conf, number_lead=close.lead)
    assert not certain_number(page, ["123456"])
    sure = PageReading(0, code=CODE, ticked=(0,), number="010101", number_conf=90.0, number_lead=80.0)
    assert certain_number(sure, ["123456"]) and not certain_number(sure, ["CF1234567"])


FAXED = Damage(angle=1.5, scale=0.97, speckle=0.001, standard=True, seed=3)
NOISIER = Damage(angle=-2.0, speckle=0.003, standard=True, seed=5)


@pytest.mark.parametrize("damage", [FAXED, NOISIER], ids=["faxed", "noisier"])
@pytest.mark.parametrize(
    ("number", "hand", "earlier"),
    [
        ("BJ2599908", "typed", "BJ1234567"),  # Tesseract alone: B32599908
        ("BJ3047238", "stamped", "BJ1234567"),  # the stamp's frame read as I or 1 before it was taken out
        ("SH0738685", "typed", "SH1234567"),  # 5HO738685: S↔5 and 0↔O where the hotel writes the other
        ("BJ0852500", "stamped", "BJ1234567"),
        ("90-393016", "typed", "12-345678"),
    ],
)
def test_typed_and_stamped_numbers_are_read_exactly_in_the_hotels_shape(
    number: str, hand: str, earlier: str, damage: Damage
) -> None:
    page = damage_page(fill_page(synthetic_slip(CODE), "booking", Fill((0,), number, hand), random.Random(7)), damage)
    [reading] = read_fax(to_tiff([page], standard=True), "x.tif", earlier=lambda _code: [earlier])
    assert reading.number == number and not reading.handwritten


def _line(number: str, overlap: int) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    from hoteldesk.demo.faxback import MONO

    pil = Image.new("L", (700, 140), 255)
    draw, font, x = ImageDraw.Draw(pil), ImageFont.truetype(MONO, 40), 30
    for k, ch in enumerate(number):
        draw.text((x, 50), ch, fill=0, font=font)
        x += 24 - (overlap if k == 3 else 0)  # the 4th and 5th characters drawn in one stroke when overlapping
    return np.asarray(pil) < 128


def test_a_hand_that_joins_two_characters_is_handwriting_even_on_one_baseline() -> None:
    assert not joined(_line("129848", 0), "129848")  # typed: one blob per character
    assert joined(_line("129848", 12), "129848")  # the 8 and the 4 run together: a hand


def test_a_digit_read_against_its_glyphs_loops_a_0_ring_is_no_6() -> None:
    line = _line("071954061", 0)
    assert glyphs_agree(line, "071954061")
    assert not glyphs_agree(line, "671954061")  # the LSTM's sure 6 for a fax's dotted 0: the ring says 0
    assert not glyphs_agree(line, "071954001")  # and a 6's single lower loop is no 0
