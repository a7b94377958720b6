"""Guest names across characters and pinyin (issue 5 §4)."""

from __future__ import annotations

import pytest

from hoteldesk.inbox_watchers.names import name_keys, same_person, split_names


@pytest.mark.parametrize(
    "written",
    ["张伟", "張偉", "Zhang Wei", "ZHANG WEI", "ZHANG/WEI MR", "Zhang/Wei", "WEI ZHANG", "Wei Zhang", "zhangwei",
     "Zhang, Wei", "Mr Zhang Wei", "张伟先生"],
)  # fmt: skip
def test_every_common_form_of_zhang_wei_is_one_person(written: str) -> None:
    assert same_person("张伟", written)
    assert same_person(written, "ZHANG/WEI MR")


@pytest.mark.parametrize(
    ("a", "b"),
    [("王小明", "Xiaoming Wang"), ("王小明", "WANG/XIAOMING MR"), ("王小明", "Xiao Ming Wang"),
     ("欧阳娜娜", "OUYANG/NANA MS"), ("歐陽娜娜", "Nana Ouyang"), ("曾志伟", "Zeng Zhiwei"),
     ("单田芳", "Shan Tianfang"), ("吕布", "Lv Bu"), ("黃志明", "黄志明")],
)  # fmt: skip
def test_pinyin_polyphones_compound_surnames_and_traditional(a: str, b: str) -> None:
    assert same_person(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("张伟", "李娜"), ("张伟", "Zhang Wen"), ("张伟", "张伟强"), ("Zhang Wei", "Wang Wei"), ("张伟", ""),
     ("ZHANG/WEI MR", "ZHANG/WEIMIN MR")],
)  # fmt: skip
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert not same_person(a, b)


def test_titles_are_ignored() -> None:
    assert name_keys("ZHANG/WEI MR") == name_keys("ZHANG/WEI")
    assert name_keys("Mr. Zhang Wei") == name_keys("Zhang Wei")


def test_split_names_as_hotels_write_lists() -> None:
    assert split_names("ZHANG/WEI MR, LI/NA MS") == ("ZHANG/WEI MR", "LI/NA MS")
    assert split_names("陈静、赵磊") == ("陈静", "赵磊")
    assert split_names("Wei Zhang and Na Li") == ("Wei Zhang", "Na Li")
    assert split_names("张伟；李娜") == ("张伟", "李娜")
