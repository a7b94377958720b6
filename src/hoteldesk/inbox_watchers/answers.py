"""One answer per order (issue 10 §3): a message naming several orders answers each on its own line.

Hotels answer a group request line by line ("HD…0018 cancelled, cancellation no. C7781001; HD…0097
无法取消"), row by row in a table, or paragraph by paragraph. Each order gets the text that names it
alone — its line (cut at the next order number), the lines after it in the same paragraph, the table
row — and its answer is read from that text only: its own kind and its own numbers. Text before the
first order number ("以下订单均已确认：") speaks for all of them.

"无法取消", "不能取消", "cannot cancel", "unable to" refuse what we asked: such an order gets the kind
``refused`` and goes to review, never takes a neighbour's cancellation (B-rules: nothing is guessed).
Only the hotel's own words are read here (quoted mail never decides, issue 10 §2).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from hoteldesk.inbox_watchers import rules as R

REFUSED = "refused"
PRIORITY = ("no-show", "cancelled", "full", "denied", "modified", "confirmed")
REFUSAL_RE = re.compile(
    r"[无無]法取消|不能取消|不可取消|未能取消|不予取消|[无無]法[变變]更|不能[变變]更|[无無]法更改|不能更改"
    r"|can ?not (?:be )?cancel+(?:ed)?|can't (?:be )?cancel+(?:ed)?|unable to\b|not able to cancel"
    r"|cannot (?:be )?(?:changed|modified|amended)",
    re.IGNORECASE,
)
_CANCEL_REFUSAL = re.compile(
    r"[无無]法取消|不能取消|不可取消|未能取消|不予取消|can ?not (?:be )?cancel|unable to cancel", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class OrderAnswer:
    order_no: str
    kind: str  # a reply kind, or 'refused'
    conf_no: str = ""
    cancel_no: str = ""
    text: str = ""  # the hotel's words this answer was read from

    def as_tuple(self) -> tuple[str, str, str, str]:
        return (self.order_no, self.kind, self.conf_no, self.cancel_no)


def _chunks(texts: Sequence[str], our: re.Pattern[str], prefix: str) -> tuple[str, dict[str, list[str]]]:
    """(text before any order number, order no. → the hotel's words about that order alone)."""
    common: list[str] = []
    by_order: dict[str, list[str]] = {}
    for text in texts:
        current: str | None = None
        for line in text.split("\n"):
            if not line.strip():
                current = None  # a blank line ends a paragraph about one order
                continue
            hits = list(our.finditer(line))
            if not hits:
                if current is not None:
                    by_order[current].append(line)
                elif not by_order:
                    common.append(line)
                continue
            for i, m in enumerate(hits):
                start = 0 if i == 0 else m.start()
                end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
                no = f"{prefix}{m[1]}-{m[2]}".upper()
                by_order.setdefault(no, []).append(line[start:end])
                current = no
            if len(hits) > 1:
                current = None  # lines after a line naming several orders belong to none of them
    return "\n".join(common), by_order


def _kind(text: str) -> str:
    found = {k for k, *_rest in R.kind_hits(text)}
    return next((k for k in PRIORITY if k in found), "")


def _number(regex: re.Pattern[str], text: str, our: re.Pattern[str]) -> str:
    for m in regex.finditer(text):
        value = m["v"].strip("-/")
        if any(c.isdigit() for c in value) and not our.search(value):
            return value
    return ""


def per_order_answers(
    own_texts: Sequence[str],
    order_nos: Sequence[str],
    our: re.Pattern[str],
    prefix: str,
    *,
    kind: str,
    conf_no: str,
    cancel_no: str,
) -> tuple[OrderAnswer, ...]:
    """Each order's own answer when they differ from the message's single answer; () when they do not.

    ``kind``/``conf_no``/``cancel_no`` are what the whole message says; an order whose words add nothing
    takes the common text's answer, but never another order's number.
    """
    wanted = [n.upper() for n in order_nos]
    common, chunks = _chunks(own_texts, our, prefix)
    if len(wanted) == 1:  # a single order: only a refusal of a cancellation or change overrides the message
        text = "\n".join(own_texts)
        hit = _CANCEL_REFUSAL.search(text) or (REFUSAL_RE.search(text) if kind in ("unknown", "modified") else None)
        if hit and kind in ("cancelled", "modified", "unknown"):
            return (OrderAnswer(wanted[0], REFUSED, text=R.sentence(text, hit.start(), hit.end())),)
        return ()
    if len(wanted) < 2 or not all(n in chunks for n in wanted):
        return ()
    common_kind = _kind(common)
    own_numbers = {
        n: (_number(R.CONF_RE, "\n".join(chunks[n]), our), _number(R.CANCEL_RE, "\n".join(chunks[n]), our))
        for n in wanted
    }
    shares_numbers = not any(c or x for c, x in own_numbers.values())
    answers: list[OrderAnswer] = []
    for n in wanted:
        text = "\n".join(chunks[n])
        refusal = REFUSAL_RE.search(text)
        own_kind = _kind(text)
        if refusal and own_kind not in ("full", "denied"):
            answers.append(OrderAnswer(n, REFUSED, text=R.sentence(text, refusal.start(), refusal.end())))
            continue
        conf, cancel = own_numbers[n]
        if shares_numbers:
            conf, cancel = conf_no, cancel_no
        answers.append(OrderAnswer(n, own_kind or common_kind or kind, conf, cancel, text.strip()[:200]))
    uniform = all(a.kind == kind and a.cancel_no == cancel_no for a in answers)
    return () if uniform else tuple(answers)
