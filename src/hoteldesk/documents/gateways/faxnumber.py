"""Fax numbers as staff type them, normalised to E.164 and to the string a gateway dials.

Staff write ``010-6500 1234``, ``+86 (10) 6500-1234``, ``0086 10 65001234`` or
``（010）65001234``; all are ``+861065001234``. A number that cannot be dialled
(letters, too short, too long, no area code) raises :class:`FaxNumberError` with
the number and what to fix; the outbox records it on the job instead of crashing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from hoteldesk.errors import FaxNumberError

_SEPARATORS = re.compile(r"[\s\-./()\[\]]")


@dataclass(frozen=True, slots=True)
class DialPlan:
    """How numbers are read and dialled, from ``[fax]`` in hoteldesk.toml.

    ``country_code`` (86): the country of numbers written without one. ``trunk_prefix`` ("0"):
    what starts a national number with its area code. ``dial`` "e164" (default) dials
    ``<country><number>`` digits as e-mail-to-fax and HylaFAX expect; "national" dials
    ``0<area><number>`` at home and ``00<country>…`` abroad. ``dial_prefix`` (e.g. "9")
    goes in front for an outside line.
    """

    country_code: str = "86"
    trunk_prefix: str = "0"
    international_prefix: str = "00"
    dial: str = "e164"
    dial_prefix: str = ""

    @classmethod
    def from_settings(cls, fax: dict[str, object]) -> DialPlan:
        return cls(
            country_code=str(fax.get("country_code", "86")).lstrip("+"),
            trunk_prefix=str(fax.get("trunk_prefix", "0")),
            international_prefix=str(fax.get("international_prefix", "00")),
            dial=str(fax.get("dial", "e164")),
            dial_prefix=str(fax.get("dial_prefix", "")),
        )


def normalise(text: str, plan: DialPlan | None = None) -> str:
    """``text`` as E.164 (``+<country><number>``); raise FaxNumberError if it cannot be dialled."""
    plan = plan or DialPlan()
    raw = str(text or "")
    cleaned = unicodedata.normalize("NFKC", raw).strip()  # full-width digits and brackets too
    if not cleaned:
        raise FaxNumberError("no fax number: fill in the hotel's 传真 (Contracts.xlsx) or the customer's 客户传真")
    digits = _SEPARATORS.sub("", cleaned)
    plus = digits.startswith("+")
    if plus:
        digits = digits[1:]
    if not digits.isdigit():
        raise FaxNumberError(
            f"fax number {raw!r} has characters that cannot be dialled; write digits only, e.g. +86 10 6500 1234"
        )
    if plus:
        national = None
        e164 = digits
    elif plan.international_prefix and digits.startswith(plan.international_prefix):
        e164 = digits[len(plan.international_prefix) :]
        national = None
    elif plan.trunk_prefix and digits.startswith(plan.trunk_prefix):
        national = digits[len(plan.trunk_prefix) :]
        e164 = plan.country_code + national
    elif digits.startswith(plan.country_code) and len(digits) >= len(plan.country_code) + 9:
        e164 = digits  # written with the country code but without + (8610…)
        national = None
    else:
        raise FaxNumberError(
            f"fax number {raw!r} has no area code; write it as 0<area code><number> or +<country> <number>"
        )
    if national is not None and len(national) < 7:
        raise FaxNumberError(f"fax number {raw!r} is too short for a national number with its area code")
    if e164.startswith("0"):
        raise FaxNumberError(f"fax number {raw!r}: a country code cannot start with 0")
    if not 8 <= len(e164) <= 15:
        raise FaxNumberError(f"fax number {raw!r} has {len(e164)} digits; an international number has 8 to 15")
    return "+" + e164


def dial_string(e164: str, plan: DialPlan | None = None) -> str:
    """Digits the gateway dials for an E.164 number, following the plan."""
    plan = plan or DialPlan()
    digits = e164.lstrip("+")
    if plan.dial == "national":
        if digits.startswith(plan.country_code):
            out = plan.trunk_prefix + digits[len(plan.country_code) :]
        else:
            out = plan.international_prefix + digits
    else:
        out = digits
    return plan.dial_prefix + out
