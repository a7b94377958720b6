"""Reading a reply's MIME (issue 5 §3): the part walk, every charset hotels use, HTML to text, attachments.

Hotels write in UTF-8, GB2312/GBK/GB18030 and Big5, and often label it wrongly (GBK sent as
``iso-8859-1``, Big5 labelled ``gb2312``, no label at all). Every GB label is decoded as GB18030 (a
superset), Big5 as Big5-HKSCS then CP950; a label that does not fit the bytes is checked against
the two Chinese codecs by how much of the result is common Chinese text, and charset-normalizer is
the last resort. Attachment names are decoded (RFC 2231 and RFC 2047) for display and evidence
only: they are never trusted and never used as a path here.
"""

from __future__ import annotations

import email
import email.header
import email.parser
import email.utils
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

from hoteldesk.inbox_watchers.doctext import attachment_text
from hoteldesk.inbox_watchers.htmltext import MAX_TEXT_CHARS, html_to_text, tidy

MAX_MESSAGE_BYTES = 40 * 1024 * 1024  # beyond this only the headers are read
MAX_PART_BYTES = 12 * 1024 * 1024  # no text is taken from a bigger part
MAX_PARTS = 300
MAX_DEPTH = 40  # MIME nesting; real mail is a few levels deep (issue 10 §9: 1,000 levels blew the stack)

GB = "gb18030"
_ALIASES = {
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "cp936", "ms936", "gb_2312-80", "gb_2312", "euc-cn", "x-euc-cn"), GB),
    **dict.fromkeys(("csgb2312", "chinese", "gb18030", "windows-936", "x-gb2312", "gb2312-80"), GB),
    **dict.fromkeys(("big5", "big-5", "x-big5", "cn-big5", "csbig5", "big5-hkscs", "big5hkscs"), "big5hkscs"),
    **dict.fromkeys(("cp950", "ms950", "x-x-big5", "windows-950"), "cp950"),
    **dict.fromkeys(("utf8", "utf-8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
    **dict.fromkeys(("us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "latin1", "latin-1", "iso8859-1"), "latin-1"),
    **dict.fromkeys(("windows-1252", "cp1252", "x-cp1252"), "cp1252"),
    "ks_c_5601-1987": "cp949",
}
_WESTERN = {"latin-1", "cp1252"}
_CHINESE = {GB, "big5hkscs", "cp950"}


def normalise_charset(label: str | None) -> str:
    """The codec to use for a MIME charset label ('' when there is none or it is unknown)."""
    if not label:
        return ""
    name = str(label).strip().strip("\"'").lower()
    if name in _ALIASES:
        return _ALIASES[name]
    try:
        "".encode(name)
    except (LookupError, ValueError):  # unknown, or a NUL in the label (ValueError)
        return ""
    return name


def _cjk_score(text: str, codec: str) -> float:
    """Share of the non-ASCII characters that are common Chinese text for ``codec``.

    GB: a CJK character or CJK punctuation that GB2312 can encode (the 6,763 common hanzi).
    Big5: one in Big5's frequent-character block (A440–C67E) or CJK punctuation.
    Big5 bytes read as GBK (and the reverse) decode without error but fall mostly outside these.
    """
    good = total = 0
    for ch in text:
        if ch < "\x80":
            continue
        total += 1
        if total > 3000:
            break
        if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
            good += 1
            continue
        if not "\u4e00" <= ch <= "\u9fff":
            continue
        try:
            if codec == GB:
                ch.encode("gb2312")
                good += 1
            elif b"\xa4\x40" <= ch.encode("big5") <= b"\xc6\x7e":
                good += 1
        except UnicodeEncodeError:
            pass
    return good / total if total else 0.0


def _chinese_guess(data: bytes) -> tuple[str, str] | None:
    """GB18030 or Big5, whichever decodes strictly into more common Chinese text."""
    best: tuple[float, str, str] | None = None
    for codec in (GB, "big5hkscs"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _cjk_score(text, codec)
        if best is None or score > best[0]:
            best = (score, text, codec)
    if best is not None and best[0] >= 0.6:
        return best[1], best[2]
    return None


def _normaliser_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:200_000]).best()
    if match is None or match.encoding is None:
        return None
    codec = normalise_charset(match.encoding) or match.encoding
    return str(match), codec


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode text of a part; returns (text, codec actually used)."""
    codec = normalise_charset(declared)
    if data.isascii():
        return data.decode("ascii"), codec or "us-ascii"
    if codec and codec not in _WESTERN:
        tries = ("big5hkscs", "cp950") if codec in ("big5hkscs", "cp950") else (codec,)
        for name in tries:
            try:
                text = data.decode(name)
            except (UnicodeDecodeError, LookupError):
                continue
            if codec in _CHINESE and _cjk_score(text, GB if codec == GB else "big5") < 0.6:
                other = _chinese_guess(data)  # labelled Big5 but GBK (or the reverse)
                if other is not None and other[1] != name:
                    return other
            return text, name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess = _chinese_guess(data)
    if guess is not None:
        return guess
    if codec in _WESTERN:  # really Western text: the label was right
        return data.decode(codec, "replace"), codec
    guess = _normaliser_guess(data)
    if guess is not None:
        return guess
    return data.decode("utf-8", "replace"), "utf-8"


def header_text(value: object) -> str:
    """A header's text: RFC 2047 words decoded with the charset fixes above, raw 8-bit bytes guessed."""
    if value is None:
        return ""
    try:
        chunks = email.header.decode_header(value)  # type: ignore[arg-type]
    except (email.errors.HeaderParseError, ValueError, TypeError):
        return str(value)
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            out.append(chunk.decode("raw-unicode-escape"))
        elif charset == "unknown-8bit":
            out.append(decode_bytes(chunk)[0])
        else:
            out.append(decode_bytes(chunk, charset)[0])
    text = "".join(out)
    if any("\udc80" <= c <= "\udcff" for c in text):  # undecoded 8-bit header bytes
        text = decode_bytes(text.encode("ascii", "surrogateescape"))[0]
    return " ".join(text.split())


# -- the walk -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment: ``name`` is decoded for display only — never trust it, never use it as a path."""

    name: str
    content_type: str
    size: int
    data: bytes
    text: str = ""
    problem: str = ""


@dataclass(frozen=True, slots=True)
class MailMessage:
    subject: str
    from_name: str
    from_addr: str  # lower-cased address of the (single) From mailbox, '' when missing or several
    from_count: int
    message_id: str
    date: datetime | None
    body: str  # the message's own text (plain, or HTML as text)
    forwarded: tuple[str, ...]  # text of attached messages (message/rfc822)
    html: tuple[str, ...]  # raw HTML sources, for JSON-LD and microdata
    attachments: tuple[Attachment, ...]
    headers: dict[str, tuple[str, ...]]  # selected headers, lower-case names
    problems: tuple[str, ...]
    unreadable: str = ""  # why the message cannot be read safely (too big, too deep, hostile labels); '' if fine


_KEEP_HEADERS = (
    "authentication-results", "received-spf", "list-unsubscribe", "list-id", "precedence", "auto-submitted",
    "x-autoreply", "x-auto-response-suppress", "reply-to", "sender", "in-reply-to", "references", "received",
)  # fmt: skip


def attachment_name(part: Message) -> str:
    """The filename (RFC 2231 parameter or RFC 2047 words), decoded; '' when there is none."""
    raw = part.get_param("filename", None, "content-disposition") or part.get_param("name", None)
    if raw is None:
        return ""
    if isinstance(raw, tuple):  # RFC 2231: (charset, language, %-decoded text as latin-1 str)
        charset, _lang, value = raw
        name = decode_bytes(value.encode("latin-1", "replace"), charset or None)[0]
    else:
        name = email.utils.collapse_rfc2231_value(raw)
    if "=?" in name:
        name = header_text(name)
    elif any("\udc80" <= c <= "\udcff" for c in name):
        name = decode_bytes(name.encode("ascii", "surrogateescape"))[0]
    return " ".join(name.replace("\x00", "").split())[:255]


class _Walk:
    def __init__(self) -> None:
        self.bodies: list[tuple[str, str]] = []  # (kind 'plain'|'html', text)
        self.forwarded: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []
        self.problems: list[str] = []
        self.parts = 0
        self.depth = 0
        self.unreadable = ""

    def part_text(self, part: Message) -> str:
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            payload = str(part.get_payload()).encode("utf-8", "surrogateescape")
        if len(payload) > MAX_PART_BYTES:
            self.problems.append(f"text part of {len(payload)} bytes skipped (limit {MAX_PART_BYTES})")
            return ""
        return decode_bytes(payload, part.get_content_charset())[0]

    def walk(self, part: Message, forwarded: list[str] | None) -> None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                self.unreadable = self.unreadable or unreadable_text("nested", str(MAX_DEPTH))
                return
            self.visit(part, forwarded)
        finally:
            self.depth -= 1

    def visit(self, part: Message, forwarded: list[str] | None) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            if self.parts == MAX_PARTS + 1:
                self.problems.append(f"more than {MAX_PARTS} MIME parts; the rest were not read")
            return
        ctype = part.get_content_type()
        if "\x00" in str(part.get("Content-Type", "")) or "\x00" in str(part.get("Content-Disposition", "")):
            self.unreadable = self.unreadable or unreadable_text("nul")
        for defect in getattr(part, "defects", []):
            self.problems.append(f"MIME defect: {type(defect).__name__}")
        if ctype == "message/rfc822" and part.is_multipart():
            inner: list[str] = []
            for sub in part.get_payload():
                if isinstance(sub, Message):
                    subject = header_text(sub.get("Subject"))
                    sender = header_text(sub.get("From"))
                    inner.append(f"From: {sender}\nSubject: {subject}")
                    self.walk(sub, inner)
            self.forwarded.append(tidy("\n".join(inner)))
            return
        if part.is_multipart():
            subs = [s for s in part.get_payload() if isinstance(s, Message)]
            if ctype == "multipart/alternative":
                self.alternative(subs, forwarded)
            else:
                for sub in subs:
                    self.walk(sub, forwarded)
            return
        name = attachment_name(part)
        disposition = (part.get_content_disposition() or "").lower()
        is_text = ctype in ("text/plain", "text/html") or ctype.startswith("multipart/")
        if is_text and not (disposition == "attachment" and name):
            text = self.part_text(part)
            kind = "html" if ctype == "text/html" else "plain"
            if kind == "html":
                self.html.append(text)
                text = html_to_text(text)
            else:
                text = tidy(text)
            if forwarded is not None:
                forwarded.append(text)
            else:
                self.bodies.append((kind, text))
            return
        self.attachment(part, name, ctype, forwarded)

    def alternative(self, subs: list[Message], forwarded: list[str] | None) -> None:
        plain = [s for s in subs if s.get_content_type() == "text/plain"]
        rest = [s for s in subs if s.get_content_type() != "text/plain"]
        mark = len(self.bodies), len(forwarded or [])
        for sub in rest:
            self.walk(sub, forwarded)
        rich = forwarded[mark[1] :] if forwarded is not None else [t for _k, t in self.bodies[mark[0] :]]
        rich_len = sum(len(t.strip()) for t in rich)
        text = tidy(self.part_text(plain[0])) if plain else ""
        if plain and len(text.strip()) >= 0.3 * rich_len:  # a real text alternative: prefer it
            if forwarded is not None:
                del forwarded[mark[1] :]
                forwarded.append(text)
            else:
                del self.bodies[mark[0] :]
                self.bodies.append(("plain", text))

    def attachment(self, part: Message, name: str, ctype: str, forwarded: list[str] | None) -> None:
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        text, problem = "", ""
        if len(data) > MAX_PART_BYTES:
            problem = f"attachment of {len(data)} bytes not read (limit {MAX_PART_BYTES})"
        elif ctype.startswith("text/"):
            text = tidy(decode_bytes(data, part.get_content_charset())[0])
            if ctype == "text/html":
                self.html.append(text)
                text = html_to_text(text)
        else:
            text, problem = attachment_text(data, ctype, name)
        if problem:
            self.problems.append(f"attachment {name or ctype}: {problem}")
        self.attachments.append(Attachment(name, ctype, len(data), data, text[:MAX_TEXT_CHARS], problem))
        if forwarded is not None and text:
            forwarded.append(text)


def _addresses(msg: Message) -> tuple[str, str, int]:
    raw = msg.get_all("From") or []
    values = [str(v) if not isinstance(v, str) else v for v in raw]
    pairs = [(n, a) for n, a in email.utils.getaddresses(values) if "@" in a]
    if not pairs and values:  # the whole header was RFC 2047-encoded, address included
        pairs = [(n, a) for n, a in email.utils.getaddresses([header_text(v) for v in raw]) if "@" in a]
    if len(pairs) != 1 or len(raw) != 1:
        name = header_text(pairs[0][0]) if pairs else ""
        return name, "", len(pairs)
    name, addr = pairs[0]
    if any("\udc80" <= c <= "\udcff" for c in addr):
        addr = decode_bytes(addr.encode("ascii", "surrogateescape"))[0]
    return header_text(name), addr.strip().lower(), 1


#: Why a message cannot be read safely (issue 10 §9), key → (zh-CN, en); the drive's locale picks one when
#: the reason is shown (QA stop 7 §9). :attr:`MailMessage.unreadable` holds ``key`` or ``key:detail``.
UNREADABLE: dict[str, tuple[str, str]] = {
    "nested": (
        "邮件无法读取（邮件结构嵌套超过 {detail} 层）：请打开归档的原件人工处理",
        "the message cannot be read (MIME nested more than {detail} levels deep): open the filed copy",
    ),
    "nul": (
        "邮件无法读取（信头的字符集或文件名中有空字符 NUL）：请打开归档的原件人工处理",
        "the message cannot be read (a NUL character in a MIME header (charset/name)): open the filed copy",
    ),
    "parser": (
        "邮件无法读取（解析出错：{detail}）：请打开归档的原件人工处理",
        "the message cannot be read ({detail}): open the filed copy",
    ),
    "too_big": (
        "邮件过大：{detail} 兆字节（上限 {limit} 兆字节），只读了信头：请打开归档的原件人工处理",
        "too big: {detail} MB (limit {limit} MB); only its headers were read: open the filed copy",
    ),
}


def unreadable_text(key: str, detail: str = "") -> str:
    """The code of an unreadable message's reason (a key of :data:`UNREADABLE` and its detail)."""
    return f"{key}:{detail}" if detail else key


def unreadable_reason(code: str, locale: str) -> str:
    """The review reason for an unreadable message, in ``locale`` (text that is not a code stays as it is)."""
    key, _, detail = code.partition(":")
    if key not in UNREADABLE:
        return code
    zh, en = UNREADABLE[key]
    limit = f"{MAX_MESSAGE_BYTES / 1_048_576:.0f}"
    return (en if locale.startswith("en") else zh).format(detail=detail, limit=limit)


def too_big_text(size: int) -> str:
    return unreadable_text("too_big", f"{size / 1_048_576:.1f}")


def read_message(raw: bytes) -> MailMessage:
    """Parse raw RFC 5322 bytes; never raises for broken MIME (problems are listed instead)."""
    problems: list[str] = []
    size = len(raw)
    too_big = size > MAX_MESSAGE_BYTES
    if too_big:
        problems.append(f"message of {len(raw)} bytes: only headers read (limit {MAX_MESSAGE_BYTES})")
        end = raw.find(b"\r\n\r\n")
        end = raw.find(b"\n\n") if end < 0 else end
        raw = raw[: end if end > 0 else 65536]
    walk = _Walk()
    try:
        msg = email.message_from_bytes(raw)
    except (RecursionError, ValueError, LookupError, TypeError, IndexError) as exc:  # the stdlib parser recurses
        msg = email.parser.BytesParser().parsebytes(raw, headersonly=True)
        walk.unreadable = unreadable_text("parser", f"{type(exc).__name__}: {str(exc)[:120]}")
        too_big = True  # nothing more is read from it
    if not too_big:
        try:
            walk.walk(msg, None)
        except (RecursionError, ValueError, LookupError, TypeError, AttributeError, IndexError, KeyError) as exc:
            walk.unreadable = unreadable_text("parser", f"{type(exc).__name__}: {str(exc)[:120]}")
    name, addr, count = _addresses(msg)
    if count != 1:
        problems.append(f"From has {count} addresses")
    try:
        date = email.utils.parsedate_to_datetime(str(msg.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        date = None
    headers = {h: tuple(header_text(v) for v in msg.get_all(h) or []) for h in _KEEP_HEADERS if h in msg}
    body = "\n\n".join(t for _k, t in walk.bodies if t.strip())
    return MailMessage(
        subject=header_text(msg.get("Subject")),
        from_name=name,
        from_addr=addr,
        from_count=count,
        message_id=header_text(msg.get("Message-ID")).strip(),
        date=date,
        body=body,
        forwarded=tuple(walk.forwarded),
        html=tuple(walk.html),
        attachments=tuple(walk.attachments),
        headers=headers,
        problems=tuple(problems + walk.problems),
        unreadable=walk.unreadable or (too_big_text(size) if too_big else ""),
    )
