"""Scans and photos read by OCR (Tesseract): the items and their labels a scan of the Sichuan 2021 list holds, its
text close to the text sample's, the seal and page numbers gone, and every refusal one line.

The fixtures (tests/fixtures/scans/) are made by tests/fixtures/scans/make_scans.py from data/samples/sichuan-2021.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import time
import zlib
from pathlib import Path

import pytest
from rapidfuzz.distance import Levenshtein

from yigai import ocr
from yigai.documents import read_document, read_documents
from yigai.errors import InputError

from .conftest import SICHUAN

SCANS = Path(__file__).resolve().parent / "fixtures" / "scans"


def _engine() -> bool:
    return shutil.which("tesseract") is not None and "chi_sim" in os.popen("tesseract --list-langs 2>/dev/null").read()


# CI installs Tesseract (.ci/run): there a missing engine fails the run instead of skipping the tests.
needs_engine = pytest.mark.skipif(not _engine() and os.environ.get("CI") != "true",
                                  reason="tesseract-ocr and tesseract-ocr-chi-sim are not installed")


def _plain(text: str) -> str:
    """Text as compared: no white space, punctuation in one width (OCR reads ，or , for the same mark)."""
    from yigai.clean import normalize_width

    return re.sub(r"\s", "", normalize_width(text))


def _expected() -> dict[str, str]:
    return {item.label: item.text for item in read_document(str(SICHUAN)).items}


def _check(path: Path, labels: list[str], accuracy: float) -> None:
    """The scan's items are the sample's items with these labels, with at least `accuracy` of their characters right
    (and no item below 90%)."""
    expected = _expected()
    items = [item for document in read_documents(path) for item in document.items]
    assert [item.label for item in items] == labels
    wrong = total = 0
    for n, item in enumerate(items, start=1):
        read, printed = _plain(item.text), _plain(expected[item.label])
        if n == len(items):  # the scan's last page may end inside its last item: that item's start is compared
            printed = printed[: len(read)]
        distance = Levenshtein.distance(read, printed)
        assert distance <= 0.1 * len(printed), f"{path.name} {item.label}: {distance} of {len(printed)} wrong\n{item.text}"
        wrong, total = wrong + distance, total + len(printed)
    assert 1 - wrong / total >= accuracy, f"{path.name}: {1 - wrong / total:.3f} of characters right"


@needs_engine
def test_a_300_dpi_scan_holds_the_samples_items_with_97_percent_of_characters_right():
    _check(SCANS / "scan-300.pdf", ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"], 0.97)


@needs_engine
def test_a_150_dpi_scan_fed_askew_keeps_every_label():
    _check(SCANS / "scan-150-rotated.pdf", ["(七)", "(八)", "(九)", "(十)"], 0.93)


@needs_engine
def test_the_red_seal_over_a_paragraph_is_not_read_into_it():
    _check(SCANS / "stamped.png", ["(一)", "(二)", "(三)"], 0.95)
    text = "".join(item.text for item in read_document(str(SCANS / "stamped.png")).items)
    assert "四川省人民政府办公厅" not in _plain(text)  # the seal's ring of characters


@needs_engine
def test_the_red_seal_is_washed_out_of_a_scanned_pdf_too(tmp_path):
    from PIL import Image

    sealed = tmp_path / "sealed.pdf"
    Image.open(SCANS / "stamped.png").convert("RGB").save(sealed, "PDF", resolution=150)  # a colour scan: JPEG inside
    _check(sealed, ["(一)", "(二)", "(三)"], 0.95)


@needs_engine
def test_a_phone_photo_reads_to_the_samples_items():
    _check(SCANS / "phone.jpg", ["(四)", "(五)", "(六)"], 0.93)


@needs_engine
def test_a_pdf_of_a_text_page_and_a_scanned_page_reads_both_in_order():
    document = read_document(str(SCANS / "mixed.pdf"))
    assert [item.label for item in document.items] == ["(一)", "(二)", "(三)", "(四)", "(五)", "(六)"]  # page 2: (四) to (六)
    assert document.doc_number == "川办函〔2021〕56号"  # from the text page, exactly as printed
    assert document.ocr


@needs_engine
def test_parse_json_marks_the_document_and_stderr_says_how_sure_ocr_was(cli):
    result = cli("parse", SCANS / "scan-300.pdf", "--format", "json")
    assert result.status == 0
    assert result.json()["documents"][0]["ocr"] is True
    note = re.search(r"^yigai: note: .*scan-300\.pdf: text read by OCR \(tesseract, 2 pages, mean confidence (\d+)%\)",
                     result.err, re.M)
    assert note is not None, result.err
    assert 80 <= int(note.group(1)) <= 100
    plain = cli("parse", SICHUAN, "--format", "json")
    assert "ocr" not in plain.json()["documents"][0] and "OCR" not in plain.err


def test_a_page_number_line_is_dropped_and_lines_join_by_where_they_sit():
    def line(text: str, left: int, right: int) -> ocr.Line:
        return ocr.Line(text, left, right, 50, 90.0, len(text))

    page = [
        line("（一）大力推广三明医改经验。全面落实", 300, 2180),  # its label starts it
        line("要求，因地制宜借鉴推广。", 300, 900),  # goes on; ends short of the margin
        line("在自贡市开展试点，力争在药品耗材降价、", 400, 2180),  # indented: a new paragraph
        line("取得突破。", 300, 600),
        line("— 3 —", 1150, 1330),  # the page number
    ]
    assert ocr.joined([ocr.paragraphs(page)]) == (
        "（一）大力推广三明医改经验。全面落实要求，因地制宜借鉴推广。\n在自贡市开展试点，力争在药品耗材降价、取得突破。")
    following = [line("医疗监管等重点领域取得突破。", 300, 1000)]  # not indented: the paragraph goes on over the break
    assert ocr.joined([ocr.paragraphs(page), ocr.paragraphs(following)]).endswith("取得突破。医疗监管等重点领域取得突破。")


@pytest.mark.parametrize("read, fixed", [
    ("川办函 【2021] 56号", "川办函〔2021〕56号"),
    ("(川医改发[2020）1号)要求", "(川医改发〔2020〕1号)要求"),
    ("（一)大力推广", "（一）大力推广"),
    ("一)大力推广", "（一）大力推广"),
    ("(八规范医疗联合体建设", "（八）规范医疗联合体建设"),
    ("(一是加强", "(一是加强"),  # a clause's 一是, not a label
    ("（十一）完善", "（十一）完善"),
    ("四,统筹推进相关领域改革", "四、统筹推进相关领域改革"),
])
def test_numbering_marks_misread_by_ocr_are_repaired(read, fixed):
    assert ocr.repair(read) == fixed


def test_a_misread_item_label_is_put_back_in_sequence():
    read = ["（五）推动公立医院高质量发展。", "(和六)强化三医协同监管。", "（七）推动优质医疗资源扩容。",
            "(大)规范医疗联合体建设。", "（九）提升基层医疗服务能力。", "(注)本通知自印发之日起施行。"]
    assert ocr.renumbered(read) == ["（五）推动公立医院高质量发展。", "（六）强化三医协同监管。", "（七）推动优质医疗资源扩容。",
                                    "（八）规范医疗联合体建设。", "（九）提升基层医疗服务能力。", "(注)本通知自印发之日起施行。"]


def test_tesseract_words_are_joined_without_spaces_between_chinese_characters():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "5\t1\t1\t1\t1\t1\t100\t10\t50\t40\t90\t推进\n5\t1\t1\t1\t1\t2\t160\t10\t50\t40\t80\tDRG\n"
           "5\t1\t1\t1\t1\t3\t220\t10\t50\t40\t70\tDIP\n5\t1\t1\t1\t1\t4\t280\t10\t50\t40\t60\t付费\n")
    [line] = ocr.tsv_lines(tsv)
    assert (line.text, line.left, line.right, line.characters) == ("推进DRG DIP付费", 100, 330, 10)
    assert line.confidence == pytest.approx((2 * 90 + 3 * 80 + 3 * 70 + 2 * 60) / 10)


# ---------------------------------------------------------------- refusals


def _refused(path: Path, words: str, seconds: float = 10.0) -> str:
    start = time.perf_counter()
    with pytest.raises(InputError) as caught:
        read_documents(path)
    assert time.perf_counter() - start < seconds
    assert words in caught.value.line(), caught.value.line()
    assert "\n" not in caught.value.line()
    return caught.value.line()


def test_without_tesseract_a_scan_is_refused_saying_what_to_install(monkeypatch, cli):
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    result = cli("parse", SCANS / "phone.jpg")
    assert result.status == 2
    assert result.err.count("\n") == 1
    assert "tesseract-ocr-chi-sim" in result.err and "yigai[ocr]" in result.err


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])  # 1 bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_20000_pixel_square_image_is_refused_before_it_is_decoded(tmp_path):
    squeeze = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * (20_000 // 8)  # white rows: 50 MB of pixels that compress to some kilobytes
    rows = b"".join(squeeze.compress(row) for _ in range(20_000)) + squeeze.flush()
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png(20_000, 20_000, rows))
    _refused(bomb, "million pixels", seconds=5)


@needs_engine
@pytest.mark.parametrize("sigma, cut", [(120, 128), (60, 70)])  # grey noise; sparse black specks (17% of pixels)
def test_an_image_of_noise_is_refused_before_ocr(tmp_path, sigma, cut):
    from PIL import Image

    noise = tmp_path / "noise.png"
    Image.effect_noise((1240, 1754), sigma).point(lambda v: 0 if v < cut else 255).save(noise)
    _refused(noise, "looks like a photograph or noise", seconds=10)


@needs_engine
def test_a_scan_with_dark_edges_is_still_read(tmp_path):
    from PIL import Image, ImageDraw

    page = Image.open(SCANS / "stamped.png").convert("L")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, 60, page.height), fill=0)  # the scanner lid's shadow down both edges
    draw.rectangle((page.width - 60, 0, page.width, page.height), fill=0)
    shaded = tmp_path / "shaded.png"
    page.save(shaded)
    assert [item.label for item in read_document(str(shaded)).items] == ["(一)", "(二)", "(三)"]


def test_a_2000_page_scan_is_refused_at_once_and_leaves_no_file(tmp_path, monkeypatch):
    import io
    import tempfile

    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    page = io.BytesIO()
    Image.new("1", (100, 140), 1).save(page, "PDF")  # a scanner's page: a picture, no font
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_page(PdfReader(page).pages[0])
    scan = tmp_path / "long.pdf"
    with open(scan, "wb") as handle:
        writer.write(handle)
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    _refused(scan, "2,000 scanned pages", seconds=10)
    assert list(temp.iterdir()) == []


def test_a_file_that_is_not_an_image_behind_an_image_header_is_refused(tmp_path):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(2000))
    _refused(broken, "readable image", seconds=5)


def test_pages_are_read_in_parallel_one_per_core_in_page_order(monkeypatch):
    import threading

    active, most, lock = [0], [0], threading.Lock()
    order = iter(range(1000))

    def page_lines(png: bytes, name: str) -> list[ocr.Line]:
        number = next(order)
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.3 if number == 0 else 0.1)  # the first page is the slowest: its text must still come first
        with lock:
            active[0] -= 1
        return [ocr.Line(f"（{'一二三四'[number]}）第{number + 1}页的任务。" + "医" * 20, 100, 2000, 50, 90.0, 30)]

    monkeypatch.setattr(ocr, "require", lambda name: None)
    monkeypatch.setattr(ocr, "_page_lines", page_lines)
    # what is measured is how pages are scheduled: rendering and preparing a page cost nothing here
    monkeypatch.setattr(ocr, "_rendered", lambda data, name, indexes: iter(indexes))
    monkeypatch.setattr(ocr, "_prepared", lambda image, name: b"")
    monkeypatch.setattr(ocr, "workers", lambda: 2)
    reading = ocr.pdf_pages(b"%PDF-", "x.pdf", [""] * 4)
    assert most[0] == 2
    assert [line[:3] for line in reading.text.split("\n")] == ["（一）", "（二）", "（三）", "（四）"]
    assert reading.pages == 4 and reading.confidence == 90.0



def test_the_seal_turns_white_and_the_text_under_it_stays_black():
    from PIL import Image

    page = Image.new("RGBA", (4, 1))
    for x, colour in enumerate([(220, 30, 40, 255), (0, 0, 0, 255), (40, 30, 200, 255), (0, 0, 0, 0)]):
        page.putpixel((x, 0), colour)  # red seal, black text, blue seal, transparent (a screenshot's background)
    grey = ocr._without_seal(page)
    assert [grey.getpixel((x, 0)) for x in range(4)] == [255, 0, 255, 255]


@needs_engine
def test_a_scan_prints_on_a_gbk_console_with_its_note(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": "gbk", "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "yigai_cli", "parse", str(SCANS / "scan-150-rotated.pdf")],
                          capture_output=True, env=env, timeout=300)
    assert done.returncode == 0
    out, err = done.stdout.decode("gbk"), done.stderr.decode("gbk")
    assert "规范医疗联合体建设" in out
    assert re.fullmatch(r"yigai: note: \S+scan-150-rotated\.pdf: text read by OCR \(tesseract, 1 page, mean confidence "
                        r"\d+%\): check names and figures\n", err), err
