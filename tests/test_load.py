"""Loading: encodings are detected, not assumed; what is not a text document is refused by name."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yigai.errors import InputError
from yigai.load import load

from .conftest import BAOKANG, CITY

TEXT = CITY.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "encoding, text",
    [
        ("utf-8", TEXT),
        ("utf-8-sig", TEXT),
        ("gb18030", TEXT),
        ("gbk", TEXT),
        ("big5", opencc.OpenCC("s2t").convert(BAOKANG.read_text(encoding="utf-8")[:3000])),
    ],
)
def test_detects_encoding(tmp_path, encoding, text):
    path = tmp_path / f"doc-{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="ignore"))
    loaded = load(path)
    assert loaded.text == text.encode(encoding, errors="ignore").decode(encoding).lstrip("\ufeff")


def test_short_gbk_text_is_detected(tmp_path):
    path = tmp_path / "short.txt"
    path.write_bytes("(一)推进医疗服务价格改革。".encode("gbk"))
    assert load(path).text == "(一)推进医疗服务价格改革。"


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"", "file is empty"),
        (b"  \n\t \n", "file holds only white space"),
        (b"\x00\x01\x02binary\x00" * 50, "looks like a binary file"),
        (bytes(range(0x80, 0x100)) * 4 + b"\xff\xff", "cannot be decoded"),
    ],
)
def test_refuses_non_documents(tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load(path)
    assert info.value.source == str(path)
    assert problem in info.value.problem


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)


def test_crlf_becomes_lf(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes("(一)甲。\r\n(二)乙。\r\n".encode())
    assert load(path).text == "(一)甲。\n(二)乙。\n"


def test_the_c_yaml_parser_reads_every_data_file_as_the_python_one() -> None:
    import yaml

    from yigai import resources
    from yigai.resources import data_path, read_yaml

    assert resources._LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)
    names = ["vocabulary.yaml", "cleaning.yaml", "jurisdictions.yaml", "departments.yaml"]
    for name in names:
        text = data_path(name).read_text(encoding="utf-8")
        assert read_yaml(text) == yaml.safe_load(text)


def test_two_documents_of_one_page_are_read_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import GUANGXI, NATIONAL, SICHUAN
    from yigai import documents

    reads = []
    real = documents.read_documents
    monkeypatch.setattr(documents, "read_documents", lambda path: reads.append(path) or real(path))
    national, local = documents.read_pair(NATIONAL, GUANGXI)
    assert len(reads) == 1 and (national.selector, local.selector) == ("1", "2")
    assert (national, local) == (documents.read_document(NATIONAL), documents.read_document(GUANGXI))
    documents.read_pair(NATIONAL, str(SICHUAN))
    assert len(reads) == 5  # two files: each read once (and twice more by the read_document calls above)


def test_binary_is_told_by_the_share_of_control_characters_as_defined() -> None:
    import random

    from yigai.load import _looks_binary

    def defined(text: str) -> bool:
        sample = text[:4096]
        return sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v") > max(4, len(sample) // 50)

    rng = random.Random(1)
    for _ in range(2000):
        text = "".join(chr(rng.choice([rng.randint(0, 40), 0x4E00, 0x1F, 0x0B, 0x0C])) for _ in range(rng.randint(0, 300)))
        assert _looks_binary(text) == defined(text)
    assert _looks_binary("\x00\x01\x02\x03\x04\x05 text") and not _looks_binary("医改\n\t\f\v\r任务")


def test_half_a_surrogate_pair_from_a_damaged_pdf_is_read_as_a_replacement_character(cli):
    """A mutated PDF (found by the fuzzer) whose text layer decodes to a lone surrogate: no encoder, OpenCC
    included, accepts one, so it crashed the reader. It is read, as U+FFFD."""
    from pathlib import Path

    damaged = Path(__file__).parent / "fixtures" / "damaged-lone-surrogate.pdf"
    source = load(damaged)
    assert "\ufffd" in source.text and not any("\ud800" <= ch <= "\udfff" for ch in source.text)
    source.text.encode("utf-8")
    result = cli("parse", str(damaged), "--format", "json")
    assert result.status in (0, 2) and "Traceback" not in result.err and "internal error" not in result.err


def test_a_pdf_pypdf_complains_about_is_still_one_line():
    """pypdf logs what it works around at ERROR level (a damaged font: "Advanced encoding … not implemented"),
    and Python prints that on stderr: the refusal must stay yigai's one line. (A process of its own: inside
    pytest, its logging capture would take pypdf's messages off stderr.)"""
    import subprocess
    import sys
    from pathlib import Path

    damaged = Path(__file__).parent / "fixtures" / "damaged-font-encoding.pdf"
    result = subprocess.run([sys.executable, "-m", "yigai_cli", "parse", str(damaged)], capture_output=True,
                            text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"yigai: error: {damaged}: "), result.stderr


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*map(chr, range(0x30)), "医", "改", "é", "😀", "\ud800", "\x7f"]), max_size=5000))
def test_control_characters_are_counted_as_the_plain_definition_says(text: str) -> None:
    """_looks_binary counts control characters as bytes; the answer is the count of the characters."""
    from yigai.load import _looks_binary

    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) <= 0x08 or 0x0E <= ord(ch) <= 0x1F)
    assert _looks_binary(text) == (controls > max(4, len(sample) // 50))


def test_a_file_is_read_whole_and_no_further_than_the_limit(tmp_path: Path) -> None:
    from yigai import load as loading

    for size in (1, 4095, 4096, 70_000, 2_000_000):
        path = tmp_path / f"f{size}.txt"
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        path.write_bytes(data)
        assert loading.read_bytes(path) == data
    with open(tmp_path / "f70000.txt", "rb") as handle:
        fd = handle.fileno()
        assert len(loading._read_at_most(fd, 10, 5000)) == 5000  # a file longer than it said: read on, up to the limit


def test_charset_detection_runs_only_for_files_that_are_not_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import charset_normalizer

    asked: list[int] = []
    detect = charset_normalizer.from_bytes
    monkeypatch.setattr(charset_normalizer, "from_bytes", lambda data, **kw: asked.append(len(data)) or detect(data, **kw))
    utf8, gbk = tmp_path / "utf8.txt", tmp_path / "gbk.txt"
    utf8.write_text(TEXT, encoding="utf-8")
    gbk.write_bytes(TEXT.encode("gb18030"))
    assert load(utf8).text == TEXT.replace("\r\n", "\n") and not asked
    assert load(gbk).text == load(utf8).text and asked
