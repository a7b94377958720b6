"""Whether a reply may change an order (issue 5 §5).

A reply is trusted for a hotel only when its From address is registered for that hotel in
Contracts.xlsx › 酒店 (可信发件人 trusted_senders, or the hotel's 预订邮箱) — display names mean
nothing — and, where the receiving server recorded DKIM/SPF/DMARC results, they pass.

Entries in trusted_senders:
- ``rsvn@hilton.com``: exactly that address;
- ``hilton.com`` or ``@hilton.com``: any address at exactly that domain (not its subdomains);
- ``*.hilton.com``: any address at a subdomain of hilton.com (the bare domain needs its own entry).

Look-alikes are rejected: a sender domain with non-ASCII characters or a punycode (``xn--``) label is
trusted only when exactly that domain is registered; ``hilton.com.evil.cn``, ``hi1ton.com`` or
``mail-hilton.com`` never match ``hilton.com``, and the reason says which domain it imitates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# reason key → (zh-CN, en): why a reply may not change an order, and what the clerk does about it
REASONS: dict[str, tuple[str, str]] = {
    "no_from": (
        "回复没有唯一的发件人地址：请人工核对后再处理",
        "the reply has no single From address: check it by hand before acting on it",
    ),
    "no_senders": (
        "酒店 {code} 未登记可信发件人：请在 Contracts.xlsx › 酒店 › 可信发件人 填写酒店的邮箱或域名",
        "hotel {code} has no trusted senders registered: add the hotel's address or domain in "
        "Contracts.xlsx › 酒店 › 可信发件人",
    ),
    "idn": (
        "发件人 {address} 使用国际化（疑似仿冒）域名{seen}：请勿据此改单，请电话向酒店核实",
        "sender {address} uses an internationalised (look-alike) domain{seen}: do not act on it; "
        "call the hotel to check",
    ),
    "idn_seen": ("，近似 {seen}", " resembling {seen}"),
    "lookalike": (
        "发件人 {address} 仅仿似酒店 {code} 登记的 {seen}：可能是仿冒邮件，请勿据此改单，请电话向酒店核实",
        "sender {address} only looks like {seen}, which is registered for hotel {code}: it may be forged; "
        "do not act on it, call the hotel to check",
    ),
    "not_registered": (
        "发件人 {address} 未登记为酒店 {code} 的可信发件人：如确是该酒店的邮箱，请加入 Contracts.xlsx › 酒店 › "
        "可信发件人 后重试；否则请电话向酒店核实",
        "sender {address} is not registered for hotel {code}: if it is the hotel's address, add it to "
        "Contracts.xlsx › 酒店 › 可信发件人 and retry; otherwise call the hotel to check",
    ),
    "auth_failed": (
        "发件人 {address} 已登记为酒店 {code} 的可信发件人，但{problem}：请电话向酒店核实",
        "sender {address} is registered for hotel {code}, but {problem}: call the hotel to check",
    ),
    "trusted": (
        "发件人 {address} 已登记为酒店 {code} 的可信发件人（{match}）",
        "sender {address} registered for hotel {code} as {match}",
    ),
    "auth_bad": (
        "我方邮件服务器记录的 {name} 结果为 {value}",
        "{name} result is '{value}' (recorded by our mail server)",
    ),
    "auth_none": (
        "DKIM 和 SPF 都没有通过（dkim={dkim}，spf={spf}）",
        "neither DKIM nor SPF passed (dkim={dkim}, spf={spf})",
    ),
}


def _say(key: str, locale: str, **values: Any) -> str:
    zh, en = REASONS[key]
    return (en if locale.startswith("en") else zh).format(**values)


_BAD = {"fail", "softfail", "hardfail", "permerror", "temperror", "neutral", "policy", "unaligned"}
_CONFUSABLE = str.maketrans({"0": "o", "1": "l", "3": "e", "5": "s", "i": "l", "|": "l", "-": "", "_": ""})


@dataclass(frozen=True, slots=True)
class TrustResult:
    trusted: bool
    reason: str  # why not (or how, when trusted)
    matched: str = ""  # the registered entry that matched


def attr(obj: Any, key: str, default: Any = "") -> Any:
    """A field of a hotel or order given as a dict or as an object (domain.reference.Hotel)."""
    if isinstance(obj, dict):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _entry(text: str) -> str:
    entry = str(text).strip().strip("<>").lower().removeprefix("mailto:").rstrip(".")
    if entry and not entry.isascii():
        local, at, domain = entry.rpartition("@")
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            return entry
        entry = f"{local}{at}{domain}"
    return entry


def registered_senders(hotel: Any) -> tuple[str, ...]:
    """The hotel's trusted entries: trusted_senders plus its reservation e-mail."""
    raw = attr(hotel, "trusted_senders", ()) or ()
    if isinstance(raw, str):
        raw = re.split(r"[;,，；\s]+", raw)
    entries = [_entry(e) for e in raw]
    email = _entry(attr(hotel, "email", "") or "")
    if "@" in email:
        entries.append(email)
    return tuple(dict.fromkeys(e for e in entries if e))


def sender_matches(address: str, entry: str) -> bool:
    address, entry = address.strip().lower(), _entry(entry)
    if "@" not in address or not entry:
        return False
    domain = address.rpartition("@")[2].rstrip(".")
    if "@" in entry and not entry.startswith("@"):
        return address == entry
    entry = entry.lstrip("@")
    if entry.startswith("*."):
        return domain.endswith(entry[1:]) and len(domain) > len(entry) - 1
    return domain == entry


def _lookalike(domain: str, entries: Iterable[str]) -> str:
    """The registered domain that ``domain`` imitates, or ''."""
    for entry in entries:
        reg = entry.rpartition("@")[2].lstrip("*.")
        if not reg or reg == domain:
            continue
        base = reg.rsplit(".", 1)[0]
        if reg in domain or (len(base) > 3 and base in domain):
            return reg
        if domain.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w") == reg.translate(_CONFUSABLE).replace(
            "rn", "m"
        ).replace("vv", "w"):
            return reg
    return ""


def recorded_auth(headers: Mapping[str, Sequence[str]], from_addr: str) -> tuple[str | None, str | None, str | None]:
    """dkim, spf, dmarc as our receiving server recorded them, or None where nothing was recorded.

    Only the topmost Authentication-Results (and others with the same authserv-id) count: headers
    further down came with the message and can be forged by its sender. DKIM passes only when a
    passing signature's domain is the From domain or a parent of it ('unaligned' otherwise).
    """
    results = headers.get("authentication-results", ())
    dkim = spf = dmarc = None
    domain = from_addr.rpartition("@")[2]
    if results:
        top = results[0]
        serv = top.split(";", 1)[0].strip()
        same = [r for r in results if r.split(";", 1)[0].strip() == serv]
        text = " ; ".join(same).lower()
        dk = re.findall(r"\bdkim\s*=\s*([a-z]+)([^;]*)", text)
        passes = [rest for res, rest in dk if res == "pass"]
        if passes:
            aligned = False
            for rest in passes:
                d = re.search(r"header\.[di]\s*=\s*@?([a-z0-9.\-]+)", rest)
                if d is None or domain == d[1] or domain.endswith("." + d[1]):
                    aligned = True
            dkim = "pass" if aligned else "unaligned"
        elif dk:
            dkim = dk[0][0]
        sp = re.search(r"\bspf\s*=\s*([a-z]+)", text)
        spf = sp[1] if sp else None
        dm = re.search(r"\bdmarc\s*=\s*([a-z]+)", text)
        dmarc = dm[1] if dm else None
    if spf is None and headers.get("received-spf"):
        word = headers["received-spf"][0].split(None, 1)
        spf = word[0].lower() if word else None
    return dkim, spf, dmarc


def auth_problem(dkim: str | None, spf: str | None, dmarc: str | None, locale: str = "zh-CN") -> str:
    """'' when the recorded authentication results allow trust, else why not (in ``locale``)."""
    for name, value in (("DKIM", dkim), ("SPF", spf), ("DMARC", dmarc)):
        if value in _BAD or (name == "DMARC" and value == "fail"):
            return _say("auth_bad", locale, name=name, value=value)
    if (dkim is not None or spf is not None) and "pass" not in (dkim, spf):
        return _say("auth_none", locale, dkim=dkim, spf=spf)
    return ""


def check_trust(reply: Any, hotel: Any, locale: str = "zh-CN") -> TrustResult:
    """Whether ``reply`` (a ReplyRecord) may change an order of ``hotel`` (dict or Hotel); reason in ``locale``."""
    code = attr(hotel, "code", "") or "?"
    address = str(attr(reply, "sender", "") or "").strip().lower()
    if not address or "@" not in address:
        return TrustResult(False, _say("no_from", locale))
    entries = registered_senders(hotel)
    if not entries:
        return TrustResult(False, _say("no_senders", locale, code=code))
    domain = address.rpartition("@")[2]
    exotic = not address.isascii() or any(label.startswith("xn--") for label in domain.split("."))
    match = next((e for e in entries if sender_matches(address, e)), "")
    if exotic and (not match or match.lstrip("@*.").rpartition("@")[2] != domain):
        seen = _lookalike(domain, entries)
        near = _say("idn_seen", locale, seen=seen) if seen else ""
        return TrustResult(False, _say("idn", locale, address=address, seen=near))
    if not match:
        seen = _lookalike(domain, entries)
        if seen:
            return TrustResult(False, _say("lookalike", locale, address=address, seen=seen, code=code))
        return TrustResult(False, _say("not_registered", locale, address=address, code=code))
    auth = (attr(reply, "dkim", None), attr(reply, "spf", None), attr(reply, "dmarc", None))
    problem = auth_problem(*auth, locale=locale)
    if problem:
        return TrustResult(False, _say("auth_failed", locale, address=address, code=code, problem=problem), match)
    return TrustResult(True, _say("trusted", locale, address=address, code=code, match=match), match)


def hotels_for_sender(address: str, hotels: Sequence[Any]) -> list[Any]:
    """The hotels for which ``address`` is registered (by address or domain); look-alikes never match."""
    address = address.strip().lower()
    if not address.isascii():
        return []
    return [h for h in hotels if any(sender_matches(address, e) for e in registered_senders(h))]
