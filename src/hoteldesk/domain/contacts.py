"""C8: the numbers and addresses the customer is answered at are ones a fax, phone or mail can reach.

Accepted phone and fax numbers (spaces, hyphens, dots and brackets ignored; 转/ext extensions kept):
- mainland mobile: 11 digits starting 13–19, e.g. 13812345678 (optionally +86 / 0086 in front);
- mainland landline with its area code: 010-12345678, 021-87654321, 0755-1234567
  (+86 10 12345678 too: the leading 0 of the area code is dropped after +86);
- service numbers 400-xxx-xxxx and 800-xxx-xxxx;
- Hong Kong +852 and Macau +853 (8 digits), Taiwan +886 (8–9 digits), and any other
  international number written with + (or 00) and its country code: 8 to 15 digits in all (E.164).
E-mail addresses: one ``@`` (half-width), a name before it and a domain with a dot after it.
Several numbers in one cell (13812345678 / 010-12345678) are checked one by one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from functools import lru_cache
from typing import Any

from hoteldesk.domain.findings import Finding


class PhoneProblem(StrEnum):
    """Why a number cannot be dialled (the message keys below)."""

    LETTERS = "letters"
    MOBILE_LENGTH = "mobile_length"
    MOBILE_PREFIX = "mobile_prefix"
    NO_AREA_CODE = "no_area_code"
    LANDLINE_LENGTH = "landline_length"
    REGION_LENGTH = "region_length"
    INTERNATIONAL_LENGTH = "international_length"


class EmailProblem(StrEnum):
    FULL_WIDTH = "email_full_width"
    SHAPE = "email_shape"


# message key → (zh-CN, en); each says what is wrong and what to write instead
MESSAGES: dict[str, tuple[str, str]] = {
    "letters": (
        "{label} {value} 含有非数字字符：请只填号码，如 13812345678 或 010-12345678",
        "{label} {value} holds characters other than digits: write the number only, e.g. 13812345678 or 010-12345678",
    ),
    "mobile_length": (
        "{label} {value} 位数不对：手机号为 11 位，如 13812345678；固话请加区号，如 010-12345678",
        "{label} {value} has the wrong length: a mobile number has 11 digits (13812345678); "
        "a landline needs its area code (010-12345678)",
    ),
    "mobile_prefix": (
        "{label} {value} 不是有效的手机号（应以 13–19 开头，共 11 位）：请向客人核对号码",
        "{label} {value} is not a valid mobile number (11 digits starting 13–19): check the number with the customer",
    ),
    "no_area_code": (
        "{label} {value} 没有区号：固话请写成 010-12345678 或 0755-1234567",
        "{label} {value} has no area code: write a landline as 010-12345678 or 0755-1234567",
    ),
    "landline_length": (
        "{label} {value} 位数不对：固话应为区号加 7–8 位号码，如 010-12345678、0755-1234567",
        "{label} {value} has the wrong length: a landline is the area code and 7–8 digits, "
        "e.g. 010-12345678, 0755-1234567",
    ),
    "region_length": (
        "{label} {value} 位数不对：{region}号码请写成 {code} 加 {digits} 位，如 {example}",
        "{label} {value} has the wrong length: {region} numbers are {code} and {digits} digits, e.g. {example}",
    ),
    "international_length": (
        "{label} {value} 不是有效的国际号码：请写成 + 国家代码 + 号码，共 8–15 位，如 +44 20 7946 0000",
        "{label} {value} is not a valid international number: write + country code + number, 8–15 digits "
        "in all, e.g. +44 20 7946 0000",
    ),
    "email_full_width": (
        "{label} {value} 含全角字符（＠、。、，）：请改用半角 @ 和 .",
        "{label} {value} holds full-width characters (＠ 。 ，): use the half-width @ and .",
    ),
    "email_shape": (
        "{label} {value} 不是有效的邮箱地址：应写成 name@example.com",
        "{label} {value} is not a valid e-mail address: write it as name@example.com",
    ),
}

#: (label zh, label en) of the contact fields checked here.
FIELDS: dict[str, tuple[str, str]] = {
    "booker_phone": ("预订人电话", "Booker Phone"),
    "customer_fax": ("客户传真", "Customer Fax"),
    "customer_email": ("客户邮箱", "Customer E-mail"),
}

#: Greater China regions: country code → (zh name, en name, digits after the code, example).
REGIONS: dict[str, tuple[str, str, tuple[int, ...], str]] = {
    "852": ("香港", "Hong Kong", (8,), "+852 2123 4567"),
    "853": ("澳门", "Macau", (8,), "+853 2812 3456"),
    "886": ("台湾", "Taiwan", (8, 9), "+886 2 2345 6789"),
}

_SEPARATORS = re.compile(r"[\s\-.()（）]+")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*\d{1,6}$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:/|／|;|；|,|，|、|\n)\s*")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
_FULL_WIDTH = str.maketrans("", "", "＠。，．")


@lru_cache(maxsize=65536)  # the same bookers' numbers come back on every pass
def phone_problem(text: str) -> tuple[PhoneProblem, dict[str, str]] | None:
    """Why one phone or fax number cannot be dialled (with details for the message), or None when it can."""
    raw = _EXTENSION.sub("", text.strip())
    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    plus = digits.startswith("+")
    body = digits[1:] if plus else digits
    if not body.isdigit() or not body.isascii():
        return PhoneProblem.LETTERS, {}
    if plus:
        if body.startswith("86"):
            return _mainland(body[2:], international=True)
        for code, (zh, en, lengths, example) in REGIONS.items():
            if body.startswith(code):
                rest = body[len(code) :].removeprefix("0")
                if len(rest) not in lengths:
                    digits_text = (
                        "–".join(str(n) for n in (lengths[0], lengths[-1])) if len(lengths) > 1 else str(lengths[0])
                    )
                    return PhoneProblem.REGION_LENGTH, {
                        "region_zh": zh, "region_en": en, "code": f"+{code}", "digits": digits_text, "example": example
                    }  # fmt: skip
                return None
        return None if 8 <= len(body) <= 15 and body[0] != "0" else (PhoneProblem.INTERNATIONAL_LENGTH, {})
    return _mainland(body, international=False)


def _mainland(body: str, *, international: bool) -> tuple[PhoneProblem, dict[str, str]] | None:
    if body.startswith("1") and not (international and body.startswith("10")):  # mobile: 1[3-9], 11 digits
        # (+86 10 … is Beijing's area code 010 without its 0, never a mobile)
        if len(body) != 11:
            return PhoneProblem.MOBILE_LENGTH, {}
        return None if body[1] in "3456789" else (PhoneProblem.MOBILE_PREFIX, {})
    if body[:3] in ("400", "800") and len(body) == 10:
        return None  # service numbers have no area code
    if international:
        body = "0" + body.removeprefix("0")
    if not body.startswith("0"):
        return PhoneProblem.NO_AREA_CODE, {}
    # area codes: 010 and 02X have 3 digits with their 0, all others 4 (0755, 0571, …)
    area = 3 if body[1] in "12" else 4
    local = len(body) - area
    return None if 7 <= local <= 8 else (PhoneProblem.LANDLINE_LENGTH, {})


@lru_cache(maxsize=65536)
def email_problem(text: str) -> EmailProblem | None:
    """Why an e-mail address cannot receive mail, or None when it looks deliverable."""
    s = text.strip().removeprefix("mailto:")
    if s != s.translate(_FULL_WIDTH):
        return EmailProblem.FULL_WIDTH
    return None if _EMAIL.match(s) and ".." not in s else EmailProblem.SHAPE


def _msg(key: str, locale: str, **values: str) -> str:
    zh, en = MESSAGES[key]
    return (en if locale.startswith("en") else zh).format(**values)


def check_contacts(order: Mapping[str, Any], locale: str = "zh-CN") -> list[Finding]:
    """C8: a warning for each booker phone, customer fax or customer e-mail that cannot be reached."""
    en = locale.startswith("en")
    out: list[Finding] = []
    for key, (label_zh, label_en) in FIELDS.items():
        value = order.get(key)
        if value is None or not str(value).strip():
            continue  # missing is the C8 reply-channel check's business
        label = label_en if en else label_zh
        for part in _SPLIT.split(str(value).strip()):
            if not part:
                continue
            if key == "customer_email":
                problem = email_problem(part)
                if problem is not None:
                    out.append(Finding("C8", "warning", _msg(problem.value, locale, label=label, value=part)))
                continue
            found = phone_problem(part)
            if found is not None:
                kind, cached = found
                details = {k: v for k, v in cached.items() if not k.startswith("region_")}  # never edit the cache
                region = cached.get("region_en" if en else "region_zh", "")
                text = _msg(kind.value, locale, label=label, value=part, region=region, **details)
                out.append(Finding("C8", "warning", text))
    return out
