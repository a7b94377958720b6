"""The hotel's answer written into our quoted slip (issue 10 §6).

Hotels often answer on the slip itself: they tick a box of the "□ 确认 □ 满房 □ 拒绝" line (☑ ■ √ ✓ [x]),
fill the 确认号 line under "酒店回复（请填写后传回）", or type their answer under the slip. Those are the
hotel's words; the slip's fixed words — the unticked line, its room count, the 确认号 of our order table
above the hotel's section — never count. ``slip_answer`` returns what the hotel wrote as plain sentences
for the ordinary rules ("已确认", "确认号：X"), or '' when the slip came back untouched.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE
_TICK = r"(?:☑|☒|■|▣|✓|✔|√|✅|\[\s*[xX✓√]\s*\]|\(\s*[xX✓√]\s*\)|(?<![A-Za-z])[xX](?=\s*(?:确|確|满|滿|拒)))"
TICKED = re.compile(_TICK + r"\s*(确认|確認|满房|滿房|拒绝|拒絕|confirmed|full|denied)", _I)
_AS_SENTENCE = {
    "确认": "已确认", "確認": "已确认", "满房": "满房", "滿房": "满房", "拒绝": "拒绝", "拒絕": "拒绝",
    "confirmed": "confirmed", "full": "fully booked", "denied": "denied",
}  # fmt: skip
FILL_START = re.compile(r"酒店回复\s*[（(]\s*请填写后传回|酒店回覆|hotel's reply \(please fill in", _I)
CONF_LINE = re.compile(
    r"(?:确认号|確認號|conf\.?\s*no\.?|confirmation\s*no\.?)\s*[:：]?\s*(?P<v>[A-Za-z0-9][A-Za-z0-9\-/]{2,30})", _I
)
REASON_LINE = re.compile(r"(?:原因|reason)\s*[:：]\s*(?P<v>[^\s_].{1,200})", _I)
# The slip's own last lines: after the last of these, anything typed is the hotel's.
TEMPLATE_LINE = re.compile(
    r"□|签名\s*/\s*盖章|signature|确认人|confirmed by|第\s*\d+\s*页|page\s*\d+\s*of|酒店回复|hotel's reply",
    _I,
)


def slip_answer(text: str) -> str:
    """What the hotel wrote into (or under) a quoted copy of our slip; '' when nothing."""
    lines = text.split("\n")
    fill = next((i for i, ln in enumerate(lines) if FILL_START.search(ln)), None)
    out: list[str] = []
    for i, line in enumerate(lines):
        for m in TICKED.finditer(line):
            word = m[1].lower() if m[1].isascii() else m[1]
            out.append(_AS_SENTENCE.get(word, word))
        if fill is None or i <= fill:
            continue  # above the hotel's section: our order's own data (its 确认号 is ours)
        conf = CONF_LINE.search(line)
        if conf and any(c.isdigit() for c in conf["v"]):
            out.append(f"确认号：{conf['v']}")
        reason = REASON_LINE.search(line)
        if reason:
            out.append(f"原因：{reason['v'].strip()}")
    marks = [i for i, ln in enumerate(lines) if TEMPLATE_LINE.search(ln)]
    if marks and fill is not None and marks[-1] >= fill:  # only under the slip's own last section
        tail = [ln for ln in lines[marks[-1] + 1 :] if ln.strip() and not TEMPLATE_LINE.search(ln)]
        out += tail
    return "\n".join(dict.fromkeys(o for o in out if o.strip()))
