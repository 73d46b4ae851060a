"""One battery of bad inputs, run against every command (in the manner of csvkit's shared test mixins).

Each bad input gets exit 2 and one line `yigai: error: <file>: …` naming the file, never a traceback,
never a partly written output, never a modified input. Inputs that are odd but valid get a result.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
import zipfile
from pathlib import Path

import pytest

from yigai.errors import shown

from .conftest import CITY, NATIONAL

COMMANDS = {
    "parse": lambda doc: ["parse", doc],
    "compare": lambda doc: ["compare", NATIONAL, doc],
    "matrix": lambda doc: ["matrix", NATIONAL, doc],
    "check": lambda doc: ["check", NATIONAL, doc, "--min-coverage", "0.1"],
    "diff": lambda doc: ["diff", CITY, doc],
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


# ---------------------------------------------------------------- hostile inputs: the exact line for each

def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.txt"
    os.mkfifo(path)  # reading it would block for ever: refused before it is opened
    return path


def _deep_html(tmp: Path) -> Path:
    path = tmp / "deep.html"
    path.write_text("<html><body>" + "<div>" * 100_000 + "<p>(一)推进医改。</p><p>(二)深化改革。</p>", encoding="utf-8")
    return path


def _many_paragraphs(tmp: Path) -> Path:
    from .hostile import docx_bytes

    path = tmp / "long.docx"
    path.write_bytes(docx_bytes(["(一)推进医改。", "(二)深化改革。"] + ["开展试点。"] * 50_000))
    return path


def _docx_bomb(tmp: Path) -> Path:
    from .test_hostile import _docx_bomb as bomb

    return bomb(tmp / "bomb.docx", 120)


def _selector(text: str):  # type: ignore[no-untyped-def]
    def make(tmp: Path) -> str:
        path = tmp / "city.txt"
        path.write_bytes(CITY.read_bytes())
        return f"{path}#{text}"

    return make


LONG = "长" * 5000
HOSTILE = {
    "fifo": (_fifo, "{doc}: is a named pipe, not a regular file (save the document to a file first)"),
    "device": (lambda tmp: Path("/dev/zero"), "/dev/zero: is a device, not a regular file (save the document to a file first)"),
    "deep html": (_deep_html, "{doc}: HTML nests elements deeper than 512 levels (save the article's text as .txt)"),
    "50,001 paragraphs": (_many_paragraphs, "{doc}: holds more than 50,000 paragraphs and table rows "
                                            "(one task list holds hundreds; split the document)"),
    "docx bomb": (_docx_bomb, "{doc}: unpacks to 120 MB, more than the 100 MB yigai reads (a zip bomb?) (re-save it from Word)"),
    "selector ²": (_selector("²"), "{doc}: no document matches selector '²' (choose one of: #1 某市)"),
    "selector ①": (_selector("①"), "{doc}: no document matches selector '①' (choose one of: #1 某市)"),
    "long selector": (_selector(LONG), "{doc}: no document matches selector '" + "长" * 29 + "…" + "长" * 29
                                       + "' (choose one of: #1 某市)"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_input(cli, tmp_path, command, case):
    make, message = HOSTILE[case]
    ref = str(make(tmp_path))
    named = ref.split("#")[0]
    before = _digest(Path(named))
    out = tmp_path / "out.json"
    result = cli(*COMMANDS[command](ref), "--output", out)
    assert (result.status, result.out) == (2, "")
    assert result.err == "yigai: error: " + message.format(doc=named) + "\n"
    assert not out.exists()
    assert _digest(Path(named)) == before


def test_a_name_too_long_to_be_a_file(cli, tmp_path):
    name = str(tmp_path / ("长" * 2000 + ".txt"))
    result = cli("parse", name)
    shown = name[:99] + "…" + name[-99:]
    assert (result.status, result.err) == (2, f"yigai: error: {shown}: cannot be read: File name too long (check the path)\n")


# ---------------------------------------------------------------- outputs: never a file yigai reads

@pytest.fixture
def city(tmp_path):
    path = tmp_path / "x#y.txt"
    path.write_bytes(CITY.read_bytes())
    return path


def _vocab(tmp: Path) -> Path:
    path = tmp / "extra.yaml"
    path.write_text("topics:\n  - topic: 价格改革\n    instruments:\n      - name: 价格动态调整\n", encoding="utf-8")
    return path


def _output_cases(tmp: Path, city: Path) -> dict[str, tuple[list[str], Path, str]]:
    """case -> (the command's arguments, the --output given, the exact line expected)"""
    vocab = _vocab(tmp)
    (tmp / "link.txt").symlink_to(city)
    (tmp / "dangling.txt").symlink_to(tmp / "nowhere.txt")
    os.link(city, tmp / "hard.txt")
    onto = "output would overwrite an input file (choose another --output)"
    national = Path(NATIONAL.split("#")[0])
    return {
        "input named with its selector": ([f"{city}#1"], city, f"{city}: {onto}"),
        "input spelled another way": ([f"{city.parent}/./{city.name}"], city, f"{city}: {onto}"),
        "symlink to the input": ([str(city)], tmp / "link.txt", f"{tmp / 'link.txt'}: {onto}"),
        "hard link to the input": ([str(city)], tmp / "hard.txt", f"{tmp / 'hard.txt'}: {onto}"),
        "national list": ([str(city)], national, f"{national}: {onto}"),
        "vocabulary": ([str(city), "--vocab", str(vocab)], vocab,
                       f"{vocab}: output would overwrite the --vocab file (choose another --output)"),
        "dangling symlink": ([str(city)], tmp / "dangling.txt", f"{tmp / 'dangling.txt'}: output is a symbolic link "
                                                               "to a missing file (remove the link or name another file)"),
        "directory": ([str(city)], tmp, f"{tmp}: output is a directory (name a file)"),
        "missing folder": ([str(city)], tmp / "no" / "o.txt", f"{tmp / 'no' / 'o.txt'}: output directory does not exist "
                                                             "(create it first)"),
        "name too long": ([str(city)], tmp / ("o" * 300),
                          f"{shown(str(tmp / ('o' * 300)))}: output file name is 300 bytes, longer than "
                          "the file system allows (255) (choose a shorter name)"),
    }


OUTPUT_CASES = ["input named with its selector", "input spelled another way", "symlink to the input",
                "hard link to the input", "national list", "vocabulary", "dangling symlink", "directory",
                "missing folder", "name too long"]


@pytest.mark.parametrize("command", ["parse", "compare", "matrix", "check"])
@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_output_never_replaces_what_yigai_reads(cli, tmp_path, city, command, case):
    if command == "parse" and case in {"vocabulary", "national list"}:
        pytest.skip("parse reads no vocabulary and no national list")
    args, output, line = _output_cases(tmp_path, city)[case]
    guarded = [p for p in (city, _vocab(tmp_path) if "--vocab" in args else None, Path(NATIONAL.split("#")[0])) if p]
    before = {p: _digest(p) for p in guarded}
    if command == "parse":
        full = ["parse", *args]
    else:
        full = [command, NATIONAL, *args]
    result = cli(*full, "--output", output)
    assert (result.status, result.err) == (2, f"yigai: error: {line}\n")
    assert {p: _digest(p) for p in guarded} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".yigai-")]


def _written_through_a_fifo(cli, pipe: Path, *args: object) -> bytes:  # type: ignore[no-untyped-def]
    """Run yigai with --output into a FIFO of the test's own (it stands for /dev/null and /dev/stdout: a writer
    that renamed over a device would, run as root, replace the machine's /dev/null); what the FIFO received."""
    import threading

    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = cli(*args, "--output", pipe)
    reader.join(timeout=10)
    assert result.status == 0 and pipe.is_fifo() and received
    return received[0]


def test_devices_and_pipes_are_written_directly(cli, tmp_path, city):
    assert "某市".encode() in _written_through_a_fifo(cli, tmp_path / "pipe.txt", "parse", city)


def test_output_keeps_the_mode_of_the_file_it_replaces_or_takes_the_umask(cli, tmp_path, city):
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    kept.chmod(0o640)
    assert cli("parse", city, "--output", kept).status == 0
    assert kept.stat().st_mode & 0o777 == 0o640 and "某市" in kept.read_text(encoding="utf-8")
    mask = os.umask(0o022)
    try:
        assert cli("parse", city, "--output", tmp_path / "new.txt").status == 0
    finally:
        os.umask(mask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644


# Every format goes through the one guard: the xlsx workbook (bytes) and the HTML report as well as text.
BINARY_AND_REPORT = {
    "parse xlsx": lambda city: ["parse", city],
    "compare xlsx": lambda city: ["compare", NATIONAL, city],
    "matrix xlsx": lambda city: ["matrix", NATIONAL, city],
    "report": lambda city: ["report", NATIONAL, city],
}


def _suffix(case: str) -> str:
    return ".html" if case == "report" else ".xlsx"


@pytest.mark.parametrize("case", BINARY_AND_REPORT)
def test_xlsx_and_report_never_replace_an_input(cli, tmp_path, city, case):
    alias = tmp_path / f"alias{_suffix(case)}"
    os.link(city, alias)  # the input under another name, with the extension the format wants
    before = _digest(city)
    result = cli(*BINARY_AND_REPORT[case](city), "--output", alias)
    assert (result.status, result.err) == (2, f"yigai: error: {alias}: output would overwrite an input file "
                                              "(choose another --output)\n")
    assert _digest(city) == before


@pytest.mark.parametrize("case", BINARY_AND_REPORT)
def test_xlsx_and_report_keep_the_replaced_mode_and_follow_links(cli, tmp_path, city, case):
    target = tmp_path / f"target{_suffix(case)}"
    target.write_bytes(b"old")
    target.chmod(0o640)
    (tmp_path / f"link{_suffix(case)}").symlink_to(target)
    assert cli(*BINARY_AND_REPORT[case](city), "--output", tmp_path / f"link{_suffix(case)}").status == 0
    written = target.read_bytes()
    assert (tmp_path / f"link{_suffix(case)}").is_symlink() and target.stat().st_mode & 0o777 == 0o640
    assert written.startswith(b"<!" if case == "report" else b"PK\x03\x04") and len(written) > 1000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".yigai-")]


def test_xlsx_into_a_pipe_is_written_directly(cli, tmp_path, city):
    assert _written_through_a_fifo(cli, tmp_path / "pipe.xlsx", "parse", city).startswith(b"PK\x03\x04")


def test_output_through_a_symlink_writes_its_target(cli, tmp_path, city):
    target = tmp_path / "target.txt"
    target.write_text("old", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(target)
    assert cli("parse", city, "--output", tmp_path / "link.txt").status == 0
    assert (tmp_path / "link.txt").is_symlink() and "某市" in target.read_text(encoding="utf-8")


def test_unwritable_output_is_one_line(cli, tmp_path, city, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):  # root writes through chmod 555, so the refusal is simulated
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out.txt"
    result = cli("parse", city, "--output", out)
    assert (result.status, result.err) == (2, f"yigai: error: {out}: cannot write output: Permission denied (check the path)\n")


@pytest.mark.parametrize("case", ["input", "missing folder", "directory"])
def test_step_summary_is_guarded_like_an_output(cli, tmp_path, city, monkeypatch, case):
    target = {"input": city, "missing folder": tmp_path / "no" / "summary.md", "directory": tmp_path}[case]
    problem = {"input": "step summary would overwrite an input file", "missing folder": "step summary directory does not exist",
               "directory": "step summary is a directory"}[case]
    before = _digest(city)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(target))
    result = cli("check", NATIONAL, city, "--format", "github")
    assert (result.status, result.out, result.err) == (2, "", f"yigai: error: {target}: {problem} (check GITHUB_STEP_SUMMARY)\n")
    assert _digest(city) == before


def test_items_past_ten_thousand_are_kept(cli, tmp_path):
    doc = tmp_path / "long.txt"
    doc.write_text("\n".join(f"{n}.推进第{n}项改革。" for n in range(1, 10_003)), encoding="utf-8")
    items = cli("parse", doc, "--format", "json").json()["documents"][0]["items"]
    assert [items[-1]["index"], items[-1]["label"]] == [10_002, "10002."]


# ---------------------------------------------------------------- --vocab files: the file, the entry, the problem

def _entry(body: str) -> str:
    return "topics:\n  - topic: 医保\n    instruments:\n      - name: DRG付费\n" + body


# 9 ** 9 strings out of a few hundred bytes of anchors; printing the pattern took 5.4 GB and a minute
_ANCHOR_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join([f'*{chr(97 + k)}'] * 9)}]\n" for k in range(8)
) + _entry("        patterns: *i\n")
_WHERE = "topic '医保', instrument #1 (DRG付费)"

VOCABULARIES = {
    "inline flag": (_entry("        patterns: ['(?i)drg组']\n"),
                    f"{_WHERE}: bad pattern '(?i)drg组': inline flags such as (?i) apply only at the start: write (?i:…) "
                    "(fix the regular expression)"),
    "binary pattern": (_entry("        patterns: [!!binary ZHJn]\n"),
                       f"{_WHERE}: each pattern must be non-empty text (quote it in the YAML file)"),
    "unbounded repeat": (_entry("        patterns: ['(drg)+组']\n"),
                         f"{_WHERE}: pattern '(drg)+组' repeats without an upper bound (*, + or {{n,}}) "
                         "(use bounded repeats such as {1,3})"),
    "nested repeat": (_entry("        patterns: ['(?:a{1,9}){1,9}b']\n"),
                      f"{_WHERE}: pattern '(?:a{{1,9}}){{1,9}}b' nests one repeat inside another "
                      "(use bounded repeats such as {1,3})"),
    "backreference": (_entry("        patterns: ['(医)\\1']\n"),
                      f"{_WHERE}: pattern '(医)\\1' refers back to a group (use bounded repeats such as {{1,3}})"),
    "deep nesting": ("topics: " + "[" * 100_000 + "]" * 100_000 + "\n", "invalid YAML at line 1 (fix the file's syntax)"),
    "anchor bomb": (_ANCHOR_BOMB, f"{_WHERE}: each pattern must be non-empty text (quote it in the YAML file)"),
    "60,000 instruments": ("topics:\n  - topic: 医保\n    instruments:\n"
                           + "".join(f"      - name: 工具{k}\n" for k in range(60_000)),
                           "vocabulary holds more than 50,000 instruments (split it, or check for YAML anchors (*name) "
                           "that repeat a list)"),
    "alias too long": (_entry(f"        aliases: [{'长' * 300}]\n"),
                       f"{_WHERE}: '{'长' * 19}…{'长' * 19}' is longer than 200 characters "
                       "(an alias is a printed name, not a passage)"),
    # YAML keeps the second list and drops the first without a word: the analyst's first aliases would vanish
    "a key twice": (_entry("        aliases: [DRG付费]\n        aliases: [按病组付费]\n"),
                    "key 'aliases' appears twice in one entry (line 6) (merge the two: YAML would keep only the last)"),
    "generic sense without a condition": (_entry("        generic: [{alias: 按病组}]\n"),
                                          f"{_WHERE}, sense '按病组': give needs, unless, not_in or in_item (or list it as a "
                                          "plain alias)"),
    "fifo": (None, "is not a file (check the --vocab path)"),
}


@pytest.mark.parametrize("command", ["compare", "matrix", "check"])
@pytest.mark.parametrize("case", VOCABULARIES)
def test_bad_vocabulary_is_named_with_its_entry(cli, tmp_path, command, case):
    content, problem = VOCABULARIES[case]
    vocab = tmp_path / "extra.yaml"
    if content is None:
        os.mkfifo(vocab)
    else:
        vocab.write_text(content, encoding="utf-8")
    before = _digest(vocab)
    start = time.perf_counter()
    gate = ["--min-coverage", "0.1"] if command == "check" else []
    result = cli(command, NATIONAL, CITY, "--vocab", vocab, *gate)
    assert (result.status, result.out, result.err) == (2, "", f"yigai: error: {vocab}: {problem}\n")
    assert time.perf_counter() - start < 10  # (the anchor bomb took 61 s and 5.4 GB when its value was printed)
    assert _digest(vocab) == before


def test_a_ten_thousand_instrument_vocabulary_is_read_and_matched(cli, tmp_path):
    rng = random.Random(14)
    word = lambda n: "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(n))  # noqa: E731
    entries = "".join(f"      - name: {word(5)}\n        aliases: [{word(4)}, {word(6)}]\n" for _ in range(10_000))
    vocab = tmp_path / "big.yaml"
    vocab.write_text("topics:\n  - topic: 试点\n    instruments:\n" + entries
                     + "      - name: 城市医疗集团网格化\n        aliases: [网格化布局]\n", encoding="utf-8")
    result = cli("compare", NATIONAL, CITY, "--vocab", vocab, "--format", "json")
    assert result.status == 0, result.err
    assert result.json()["coverage"]["total"] > 0
