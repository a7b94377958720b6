"""Names in running text (issue 10 §5): the list of guests ends where the sentence goes on."""

from __future__ import annotations

import pytest

from hoteldesk.inbox_watchers.names import split_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("马丽，12/4–12/11，房已确认，确认号 HIL2322", ("马丽",)),
        ("冯强，12月2日-12月5日，预订已确认", ("冯强",)),
        ("张伟、李娜，入住12月1日", ("张伟", "李娜")),
        ("Wei Zhang and Na Li, arriving 2 Dec", ("Wei Zhang", "Na Li")),
        ("ZHANG/WEI MR, LI/NA MS", ("ZHANG/WEI MR", "LI/NA MS")),
    ],
)
def test_names_stop_where_the_sentence_goes_on(text: str, names: tuple[str, ...]) -> None:
    assert split_names(text) == names
