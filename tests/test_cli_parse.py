"""`yigai parse` end to end through the real entry point, on every sample."""

from __future__ import annotations

import json
import re

import opencc
import pytest

from .conftest import BAOKANG, CITY, NATIONAL_PAGE, ROUNDUP, SAMPLES, SICHUAN

ALL_SAMPLES = sorted(SAMPLES.glob("*.txt"))
_S2T = opencc.OpenCC("s2t")
_T2S = opencc.OpenCC("t2s")
SPAM = re.compile(r"xbet|新利|体育(?!总局|局)|手机|bet365", re.I)
PINYIN = re.compile(r"\([a-z]{1,6}\)")
FOOTER = re.compile(r"版权所有|ICP|扫一扫|当前位置|主办单位|运行维护|友情链接|发布于|声明:|人气")


def _strings(value):  # every string anywhere in a JSON value
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: p.name)
def test_no_residue_in_any_field(cli, path):
    result = cli("parse", path, "--format", "json")
    assert result.status == 0, result.err
    for text in _strings(result.json()["documents"]):
        assert not SPAM.search(text), text
        assert not PINYIN.search(text), text
        assert not FOOTER.search(text), text
        traditional = [ch for ch in text if _T2S.convert(ch) != ch]
        assert not traditional, (traditional, text)


def test_json_contract(cli):
    data = cli("parse", SICHUAN, "--format", "json").json()
    assert data["source"] == str(SICHUAN)
    (document,) = data["documents"]
    for key in ("source", "selector", "title", "jurisdiction", "level", "year", "doc_number", "items"):
        assert key in document
    item = document["items"][0]
    for key in ("index", "label", "section", "title", "text", "departments", "deadline", "targets"):
        assert key in item
    assert document["selector"] == "1" and item["index"] == 1 and item["label"] == "(一)"


def test_selector_by_name_and_position(cli):
    by_name = cli("parse", f"{ROUNDUP}#四川省", "--format", "json").json()
    by_short = cli("parse", f"{ROUNDUP}#四川", "--format", "json").json()
    assert by_name == by_short
    (document,) = by_name["documents"]
    assert document["jurisdiction"] == "四川省"
    position = document["selector"]
    assert cli("parse", f"{ROUNDUP}#{position}", "--format", "json").json() == by_name


def test_table_lists_documents_with_selectors(cli):
    result = cli("parse", NATIONAL_PAGE)
    assert result.status == 0
    assert f"{NATIONAL_PAGE}#1" in result.out and f"{NATIONAL_PAGE}#2" in result.out
    assert "全国" in result.out and "广西壮族自治区" in result.out


def test_several_paths_give_a_list(cli):
    data = cli("parse", CITY, BAOKANG, "--format", "json").json()
    assert [d["source"] for d in data] == [str(CITY), str(BAOKANG)]


def test_output_file_is_written_whole(cli, tmp_path):
    out = tmp_path / "parse.json"
    result = cli("parse", CITY, "--format", "json", "--output", out)
    assert result.status == 0 and result.out == ""
    assert len(json.loads(out.read_text(encoding="utf-8"))["documents"][0]["items"]) == 25


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "file is empty"),
        (lambda d: _write(d / "blank.txt", b"\n  \n"), "white space"),
        (lambda d: _write(d / "binary.bin", b"\x00\xff" * 300), "binary"),
        (lambda d: _write(d / "latin.txt", b"hello world, nothing numbered here\n"), "no tasks found"),
    ],
)
def test_bad_input_is_one_line_exit_2(cli, tmp_path, make, problem):
    path = make(tmp_path)
    result = cli("parse", path)
    assert result.status == 2
    assert result.out == ""
    lines = result.err.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"yigai: error: {path}: ") and problem in lines[0]


def test_unknown_selector_lists_the_documents(cli):
    result = cli("parse", f"{NATIONAL_PAGE}#西藏")
    assert result.status == 2
    assert "no document matches selector '西藏'" in result.err and "#1 全国" in result.err and "#2 广西壮族自治区" in result.err


def test_prose_without_numbering_still_parses(cli, tmp_path):
    text = "我省将持续推进药品耗材集中带量采购工作。深化医疗服务价格改革,建立动态调整机制。"
    path = _write(tmp_path / "prose.txt", text.encode())
    data = cli("parse", path, "--format", "json").json()
    titles = [item["title"] for item in data["documents"][0]["items"]]
    assert titles == ["我省将持续推进药品耗材集中带量采购工作", "深化医疗服务价格改革,建立动态调整机制"]


def test_usage_error_is_one_line(cli):
    result = cli("parse", CITY, "--format", "xml")
    assert result.status == 2 and result.err.count("\n") == 1 and result.err.startswith("yigai: error: ")


def _write(path, data: bytes):
    path.write_bytes(data)
    return path
