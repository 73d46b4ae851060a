"""Every format analysts save parses to the same items as the .txt sample."""

from __future__ import annotations

import re

import pytest

from yigai.documents import read_documents
from yigai.errors import InputError
from yigai.load import load
from yigai.readers import reflow

from . import render
from .conftest import BAOKANG, CITY, NATIONAL_PAGE, SICHUAN

SAMPLES = [NATIONAL_PAGE, SICHUAN, BAOKANG, CITY]


def _items(path):
    return [[(i.index, i.label, i.title) for i in d.items] for d in read_documents(path)]


def _titles(path):
    return [[i.title for i in d.items] for d in read_documents(path)]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_html_page_parses_like_the_text(tmp_path, sample):
    page = render.to_html(sample.read_text(encoding="utf-8"), tmp_path / f"{sample.stem}.html")
    assert load(page).format == "html"
    assert _items(page) == _items(sample)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_docx_with_word_numbering_parses_like_the_text(tmp_path, sample):
    document = render.to_docx(sample.read_text(encoding="utf-8"), tmp_path / f"{sample.stem}.docx")
    assert load(document).format == "docx"
    assert _items(document) == _items(sample)


def test_docx_numbers_are_not_in_the_paragraph_text(tmp_path):
    import docx

    document = render.to_docx(BAOKANG.read_text(encoding="utf-8"), tmp_path / "baokang.docx")
    texts = [p.text for p in docx.Document(str(document)).paragraphs]
    assert any(t.startswith("製定深化“三醫”聯動改革實施方案") for t in texts)  # item 1: its "1." is Word's
    assert not any(re.match(r"\d{1,3}\.", t) for t in texts)
    assert [d.items[59].label for d in read_documents(document)] == ["60."]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_pdf_text_layer_parses_like_the_text(tmp_path, sample):
    pdf = render.to_pdf(sample.read_text(encoding="utf-8"), tmp_path / f"{sample.stem}.pdf")
    assert load(pdf).format == "pdf"
    assert [len(t) for t in _titles(pdf)] == [len(t) for t in _titles(sample)]
    assert _titles(pdf) == _titles(sample)


def test_content_wins_over_extension(tmp_path):
    misnamed = render.to_html(CITY.read_text(encoding="utf-8"), tmp_path / "page.txt")
    assert load(misnamed).format == "html"
    pdf = render.to_pdf("(一)推进医疗服务价格改革。\n(二)开展药品耗材集中带量采购。", tmp_path / "scan.docx")
    assert load(pdf).format == "pdf"


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 200, 200, fill=1)  # an image-like page: marks, no text
    pdf.save()
    with pytest.raises(InputError, match="no text layer"):
        load(path)


def test_zip_that_is_not_docx(tmp_path):
    import zipfile

    path = tmp_path / "report.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not word")
    with pytest.raises(InputError, match="zip archive, not a Word .docx"):
        load(path)


def test_legacy_doc_is_refused_with_advice(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    # an empty Office binary: LibreOffice cannot convert it (or, without LibreOffice, yigai says to install it)
    with pytest.raises(InputError, match=r"Word \.doc file.*(save it as \.docx|LibreOffice)"):
        load(path)
    sheet = tmp_path / "old.xls"
    sheet.write_bytes(path.read_bytes())
    with pytest.raises(InputError, match=r"legacy Excel \.xls .*save it as \.xlsx first"):
        load(sheet)


def test_reflow_joins_wrapped_lines_only():
    lines = ["(一)推进医疗服务价格改革。建立灵敏有度的价格动", "态调整机制。", "(二)开展集采。", "一、总体要求"]
    joined = ["(一)推进医疗服务价格改革。建立灵敏有度的价格动态调整机制。", "(二)开展集采。", "一、总体要求"]
    assert reflow(lines).split("\n") == joined
