"""One battery of bad inputs, run against every command (in the manner of csvkit's shared test mixins).

Each bad input gets exit 2 and one line `yigai: error: <file>: …` naming the file, never a traceback,
never a partly written output, never a modified input. Inputs that are odd but valid get a result.
"""

from __future__ import annotations

import hashlib
import os
import random
import zipfile
from pathlib import Path

import pytest

from .conftest import CITY, NATIONAL

COMMANDS = {
    "parse": lambda doc: ["parse", doc],
    "compare": lambda doc: ["compare", NATIONAL, doc],
    "matrix": lambda doc: ["matrix", NATIONAL, doc],
    "check": lambda doc: ["check", NATIONAL, doc, "--min-coverage", "0.1"],
}


def _missing(tmp: Path) -> Path:
    return tmp / "missing.txt"


def _empty(tmp: Path) -> Path:
    (tmp / "empty.txt").write_bytes(b"")
    return tmp / "empty.txt"


def _blank(tmp: Path) -> Path:
    (tmp / "blank.txt").write_bytes(b" \n\t\r\n   \n")
    return tmp / "blank.txt"


def _garbage(tmp: Path) -> Path:
    (tmp / "garbage.txt").write_bytes(random.Random(1).randbytes(4096))
    return tmp / "garbage.txt"


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: the size alone must be refused
    return path


def _nothing_numbered(tmp: Path) -> Path:
    (tmp / "words.txt").write_text("hello world\nfoo bar\n", encoding="utf-8")
    return tmp / "words.txt"


def _fake_docx(tmp: Path) -> Path:
    path = tmp / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    return path


def _textless_pdf(tmp: Path) -> Path:
    from reportlab.pdfgen import canvas

    path = tmp / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(40, 40, 300, 300, fill=1)
    pdf.save()
    return path


def _bad_selector(tmp: Path) -> str:
    return f"{CITY}#99"


BAD = {
    "missing": (_missing, "no such file"),
    "empty": (_empty, "file is empty"),
    "whitespace": (_blank, "white space"),
    "binary": (_garbage, "binary"),
    "50 MB": (_huge, "larger than the 20 MB"),
    "no tasks": (_nothing_numbered, "no tasks found"),
    "zip as docx": (_fake_docx, "zip archive, not a Word .docx"),
    "pdf without text": (_textless_pdf, "no text layer"),
    "unknown selector": (_bad_selector, "no document matches selector '99'"),
}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() and path.stat().st_size < 10**7 else None


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BAD)
def test_bad_input(cli, tmp_path, command, case):
    make, problem = BAD[case]
    doc = make(tmp_path)
    named = str(doc).split("#")[0]
    before = _digest(Path(named))
    out = tmp_path / "out.json"
    args = COMMANDS[command](doc) + (["--output", out] if command != "check" else [])
    result = cli(*args)
    assert result.status == 2, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"yigai: error: {named}"), lines
    assert problem in lines[0] and "Traceback" not in result.err
    assert not out.exists()
    assert _digest(Path(named)) == before


@pytest.mark.parametrize("command", COMMANDS)
def test_directory_where_a_file_is_expected(cli, tmp_path, command):
    result = cli(*COMMANDS[command](tmp_path))
    assert result.status == 2 and result.err.count("\n") == 1
    expected = "holds no supported documents" if command == "matrix" else "is a directory"
    assert result.err.startswith(f"yigai: error: {tmp_path}: ") and expected in result.err


@pytest.mark.parametrize("command", COMMANDS)
def test_unreadable_file(cli, tmp_path, command, monkeypatch):
    doc = tmp_path / "locked.txt"
    doc.write_bytes(CITY.read_bytes())
    import yigai.load

    real = os.open

    def refuse(path, *args, **kwargs):  # root reads through chmod 000, so the refusal is simulated
        if Path(path) == doc:
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(yigai.load.os, "open", refuse)
    result = cli(*COMMANDS[command](doc))
    assert result.status == 2
    assert result.err == f"yigai: error: {doc}: cannot be read: permission denied (check the file's permissions)\n"


@pytest.mark.parametrize("command", ["parse", "compare", "matrix"])
def test_output_errors(cli, tmp_path, command):
    doc = tmp_path / "city.txt"
    doc.write_bytes(CITY.read_bytes())
    missing_dir = cli(*COMMANDS[command](doc), "--output", tmp_path / "nope" / "out.txt")
    assert missing_dir.status == 2 and "output directory does not exist" in missing_dir.err
    onto_input = cli(*COMMANDS[command](doc), "--output", doc)
    assert onto_input.status == 2 and "would overwrite an input file" in onto_input.err
    assert doc.read_bytes() == CITY.read_bytes()


@pytest.mark.parametrize("command", COMMANDS)
def test_truncated_utf8_is_read_up_to_the_cut(cli, tmp_path, command):
    data = CITY.read_bytes()
    doc = tmp_path / "cut.txt"
    doc.write_bytes(data[:-2] if data[-1:] != b"\n" else data.rstrip(b"\n")[:-1])
    result = cli(*COMMANDS[command](doc))
    assert result.status == 0, result.err
    assert result.err == ""


def test_five_thousand_items(cli, tmp_path):
    titles = ["推进医疗服务价格改革", "开展药品耗材集中带量采购", "深化医保支付方式改革", "加强基层医疗卫生服务能力建设"]
    doc = tmp_path / "long.txt"
    doc.write_text("\n".join(f"{n}.{titles[n % 4]}第{n}项。" for n in range(1, 5001)), encoding="utf-8")
    data = cli("parse", doc, "--format", "json").json()
    assert len(data["documents"][0]["items"]) == 5000
    result = cli("check", NATIONAL, doc, "--format", "json")
    assert result.status in (0, 1) and result.json()["local"]["items"][-1]["index"] == 5000
