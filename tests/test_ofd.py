"""OFD (GB/T 33190) files: their pages' text in reading order, read to the same items as the text they were laid
out from, and a zip bomb or damaged package refused in one line.

The fixture (tests/fixtures/ofd/) is written by tests/fixtures/ofd/make_ofd.py from the standard's structure.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from yigai import ofd
from yigai.documents import read_document
from yigai.errors import InputError

from .conftest import SICHUAN

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ofd" / "sichuan-2021.ofd"


def _items(ref: str) -> list[tuple[str, str, str]]:
    return [(item.label, item.title, item.text) for item in read_document(ref).items]


def test_an_ofd_reads_to_the_items_and_text_of_the_list_it_was_laid_out_from():
    expected = _items(str(SICHUAN))
    assert len(expected) == 19
    assert _items(str(FIXTURE)) == expected
    document = read_document(str(FIXTURE))
    assert document.doc_number == "川办函〔2021〕56号" and document.year == 2021 and not document.ocr


def test_lines_written_out_of_order_come_back_in_reading_order_without_page_numbers():
    text = ofd.ofd_text(FIXTURE.read_bytes(), "x.ofd")
    assert text.startswith("四川省人民政府办公厅\n关于推进医药卫生体制改革2021年重点工作的通知\n川办函〔2021〕56号")
    assert "— 1 —" not in text and "— 2 —" not in text


def _archive(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_an_ofd_zip_bomb_is_refused_from_its_listing(tmp_path):
    bomb = _archive(tmp_path / "bomb.ofd", {"OFD.xml": FIXTURE and zipfile.ZipFile(FIXTURE).read("OFD.xml"),
                                            "Doc_0/Res/image.bmp": b"\0" * (110 * 1024 * 1024)})
    start = time.perf_counter()
    with pytest.raises(InputError, match="zip bomb"):
        read_document(str(bomb))
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("parts, words", [
    ({"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"},
     "not a readable OFD document"),
    ({"OFD.xml": b"<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml"
                 b"</ofd:DocRoot></ofd:DocBody></ofd:OFD>"}, "not a readable OFD document (KeyError)"),
])
def test_a_damaged_ofd_is_refused_in_one_line(tmp_path, cli, parts, words):
    result = cli("parse", _archive(tmp_path / "damaged.ofd", parts))
    assert result.status == 2 and result.err.count("\n") == 1
    assert words in result.err
