"""The hotel's own words apart from the quoted copy of our slip and forwarded chains (issue 5 §3).

A reply is cut into segments: the hotel's own text (top-posted, or between inline ``>`` quotes),
and quoted segments, each opened by a quote header ("-----Original Message-----", "发件人:" …
"发送时间:", "From:" … "Sent:", "在 … 写道：", "On … wrote:", a forward banner) or made of ``>``
lines. A quoted segment is *ours* when it carries our slip's markers (the wording of the slip
templates: "回复请注明订单号", "酒店回复（请填写后传回）" …) or comes from one of our addresses; nothing
in ours is ever taken as the hotel's answer (a confirmation number there is our blank form or an
older reply). Other quoted segments (a hotel colleague's forwarded mail) count, but less.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Wording of our slips (tools/make_templates.py, zh-CN and en) and of our customer letters.
SLIP_MARKERS: tuple[str, ...] = (
    "回复请注明订单号",
    "please quote our order no",
    "酒店回复（请填写后传回）",
    "酒店回复(请填写后传回)",
    "hotel's reply (please fill in",
    "请于以下时间前回复确认",
    "please confirm by:",
    "请取消以下订单",
    "please cancel the order below",
    "以下为变更内容",
    "changes are marked ▲",
    "□ 确认    □ 满房",
    "□ confirmed    □ full",
)

# Quote headers of the common clients in zh-Hans, zh-Hant, en, ja, ko, ru, de, fr, it, es, pt (issue 10 §6).
# The vocabulary follows the layouts published with talon and mail-parser-reply (studied, not copied).
_BANNER = re.compile(
    r"^\s*(?:-{2,}|_{5,}|={3,})?\s*(?:original(?: message)?|原始邮件|原始郵件|原邮件|forwarded message|转发邮件"
    r"|轉寄郵件|轉發郵件|转发的邮件|forwarded by .{0,60}|reply message|回复邮件"
    r"|ursprüngliche nachricht|weitergeleitete nachricht|message d'origine|message transféré|messaggio originale"
    r"|messaggio inoltrato|mensaje original|mensaje reenviado|mensagem original|mensagem encaminhada"
    r"|исходное сообщение|пересылаемое сообщение|переадресованное сообщение|元のメッセージ|転送メッセージ"
    r"|원본 메시지|전달된 메시지)\s*(?:-{2,}|_{5,}|={3,})?\s*$"
    r"|^\s*(?:begin forwarded message|以下为转发的?邮件|下面是转发的邮件|début du message réexpédié"
    r"|inizio messaggio inoltrato|anfang der weitergeleiteten nachricht)\s*[:：]?\s*$",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"forward|转发|轉寄|轉發|weitergeleitet|transféré|réexpédié|inoltrato|reenviado|encaminhada|пересыла|переадрес"
    r"|転送|전달",
    re.IGNORECASE,
)
_FROM = re.compile(
    r"^\s*\**\s*(?:发件人|寄件者|寄件人|from|von|de|da|от|差出人|送信者|보낸\s?사람)\s*\**\s*[:：]", re.IGNORECASE
)
_HEADER_NEXT = re.compile(
    r"^\s*\**\s*(?:发送时间|发送日期|寄件日期|傳送時間|日期|时间|sent|date|主题|主旨|subject|收件人|to|cc|抄送"
    r"|gesendet|datum|betreff|an|envoyé|objet|à|inviato|data|oggetto|a|enviado(?: em)?|enviada(?: em)?|fecha|asunto"
    r"|assunto|para"
    r"|отправлено|дата|тема|кому|送信日時|日時|件名|宛先|보낸\s?날짜|날짜|제목|받는\s?사람)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_WROTE = re.compile(
    r"^\s*(?:在.{2,120}写道|在.{2,120}寫道|on\s.{4,200}\swrote|.{2,120}\s(?:于|於).{2,80}写道"
    r"|am\s.{4,200}\sschrieb.{0,80}|le\s.{4,200}\sa\s[ée]crit|il\s.{4,200}\sha\sscritto|el\s.{4,200}\sescribi[óo]"
    r"|em\s.{4,200}\sescreveu|.{4,200}\s(?:пишет|написал|написала|написал\(а\))|.{4,200}に書きました"
    r"|.{4,200}(?:님이\s?작성|작성)|.{4,200}\sот\s.{2,160}"  # mail.ru: "…, от Name <addr>:"
    r"|\d{1,2}\.\d{1,2}\.\d{2,4},?\s+\d{1,2}:\d{2},?\s+.{0,120}<[^<>@\s]+@[^<>\s]+>"  # Yandex: "26.11.2026, 09:00, …"
    r"|.{4,200}\s(?:wrote|schrieb|a écrit|ha scritto|escribió|escreveu))\s*[:：]?\s*$",
    re.IGNORECASE,
)
_WROTE_END = re.compile(r"^\s*(?:wrote|写道|寫道)\s*[:：]?\s*$", re.IGNORECASE)
_ON_START = re.compile(r"^\s*(?:on\s|在\s?\d)", re.IGNORECASE)
_QUOTE_LINE = re.compile(r"^\s*>")


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    own: bool  # the hotel's own words
    ours: bool = False  # a quoted copy of our slip or our own mail
    forwarded: bool = False  # opened by a forward banner: passed on as information, not thread history


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _BANNER.match(line) or _WROTE.match(line):
        return True
    if _ON_START.match(line) and i + 1 < len(lines) and _WROTE_END.match(lines[i + 1]):
        return True
    if _FROM.match(line):
        ahead = [ln for ln in lines[i + 1 : i + 7] if ln.strip()]
        return any(_HEADER_NEXT.match(ln) for ln in ahead[:5])
    return False


def _opens_gt_quote(lines: list[str], i: int) -> bool:
    """ "On … wrote:" followed by '>' lines: the quote is those lines only (Thunderbird, Apple Mail), and
    text after them is the hotel's again — a bottom-posted or inline answer (issue 10 §6)."""
    line = lines[i]
    if _WROTE.match(line):
        nxt = i + 1
    elif _ON_START.match(line) and i + 1 < len(lines) and _WROTE_END.match(lines[i + 1]):
        nxt = i + 2
    else:
        return False
    ahead = next((ln for ln in lines[nxt : nxt + 3] if ln.strip()), "")
    return bool(_QUOTE_LINE.match(ahead))


def _is_body(line: str) -> bool:
    """A line of a quoted message's text (not blank, not one of its header lines)."""
    return bool(line.strip()) and not (_BANNER.match(line) or _FROM.match(line) or _HEADER_NEXT.match(line))


def is_ours(text: str, our_addresses: Sequence[str] = ()) -> bool:
    low = text.casefold()
    if any(m.casefold() in low for m in SLIP_MARKERS):
        return True
    head = "\n".join(low.split("\n")[:6])
    return any(a and a.casefold() in head for a in our_addresses)


def split_quoted(text: str, our_addresses: Sequence[str] = ()) -> list[Segment]:
    """Cut ``text`` into own and quoted segments, in order; empty segments are dropped."""
    lines = text.split("\n")
    segments: list[Segment] = []
    buf: list[str] = []
    mode = "own"  # own | quote (to the end, opened by a header) | gt (a run of '>' lines)

    def flush(next_mode: str) -> None:
        nonlocal buf, mode
        chunk = "\n".join(buf).strip("\n")
        if chunk.strip():
            if mode == "own":
                segments.append(Segment(chunk, own=True))
            else:
                if mode == "gt":
                    chunk = "\n".join(re.sub(r"^\s*(?:>\s?)+", "", ln) for ln in chunk.split("\n"))
                head = next((ln for ln in chunk.split("\n") if ln.strip()), "")
                fwd = bool(_BANNER.match(head) and _FORWARD.search(head))
                segments.append(Segment(chunk, own=False, ours=is_ours(chunk, our_addresses), forwarded=fwd))
        buf = []
        mode = next_mode

    header_until = -1
    for i, line in enumerate(lines):
        if i <= header_until:  # the rest of a two-line "On …\nwrote:" header
            buf.append("> " + line)
            continue
        if mode == "own" and _opens_gt_quote(lines, i):
            flush("gt")
            buf.append("> " + line)  # the header line belongs to the '>' quote that follows it
            header_until = i + 1 if not _WROTE.match(line) else i
            continue
        if mode != "quote" and mode != "gt" and _starts_quote(lines, i):
            flush("quote")
        elif mode == "quote" and _starts_quote(lines, i) and any(_is_body(ln) for ln in buf):
            flush("quote")  # the next message of a forwarded chain
        elif mode == "own" and _QUOTE_LINE.match(line):
            flush("gt")
        elif mode == "gt" and not _QUOTE_LINE.match(line):
            if _starts_quote(lines, i):
                flush("quote")
            else:
                flush("own")
        buf.append(line)
    flush("own")
    return segments


def own_text(text: str) -> str:
    """Only the hotel's own words of ``text``."""
    return "\n".join(s.text for s in split_quoted(text) if s.own)
