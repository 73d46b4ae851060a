"""Old Word and WPS files (.doc, .wps) read through LibreOffice: the same items and text as the .docx they were
saved from, and a damaged or oversized file refused in one line, leaving no temporary file.

The fixtures (tests/fixtures/legacy/) are made by tests/fixtures/legacy/make_legacy.py.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from yigai import legacy
from yigai.documents import read_documents
from yigai.errors import InputError

from .conftest import SICHUAN
from .render import to_docx

LEGACY = Path(__file__).resolve().parent / "fixtures" / "legacy"

# CI installs LibreOffice (.ci/run): there a missing converter fails the run instead of skipping the tests.
needs_converter = pytest.mark.skipif(legacy.converter() is None and os.environ.get("CI") != "true",
                                     reason="LibreOffice (libreoffice-writer-nogui) is not installed")


@pytest.fixture
def temp(tmp_path, monkeypatch):
    """An empty folder as the temporary folder, to see what is left in it."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def _items(path: Path) -> list[tuple[str, str, str]]:
    return [(item.label, item.title, item.text) for document in read_documents(path) for item in document.items]


@needs_converter
@pytest.mark.parametrize("name", ["sichuan-2021.doc", "sichuan-2021.wps"])
def test_doc_and_wps_read_to_the_items_and_text_of_the_docx_they_were_saved_from(tmp_path, temp, name):
    docx = to_docx(SICHUAN.read_text(encoding="utf-8"), tmp_path / "sichuan.docx")
    expected = _items(docx)
    assert len(expected) == 19
    assert _items(LEGACY / name) == expected
    assert list(temp.iterdir()) == []


@needs_converter
def test_a_damaged_doc_is_refused_in_one_line_and_leaves_no_file(tmp_path, temp, cli):
    damaged = tmp_path / "damaged.doc"
    damaged.write_bytes((LEGACY / "sichuan-2021.doc").read_bytes()[:512] + os.urandom(20_000))
    start = time.perf_counter()
    result = cli("parse", damaged)
    assert time.perf_counter() - start < 30  # LibreOffice's start is most of it
    assert result.status == 2 and result.err.count("\n") == 1
    assert "not a readable Word .doc file" in result.err
    assert list(temp.iterdir()) == []


def test_a_doc_larger_than_the_cap_is_refused_before_conversion(tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "MAX_BYTES", 1024)
    with pytest.raises(InputError, match=r"larger than the 0 MB yigai converts|yigai converts"):
        read_documents(LEGACY / "sichuan-2021.wps")


def test_without_libreoffice_a_doc_is_refused_saying_what_to_install(monkeypatch, cli):
    monkeypatch.setattr(legacy, "converter", lambda: None)
    result = cli("parse", LEGACY / "sichuan-2021.doc")
    assert result.status == 2 and result.err.count("\n") == 1
    assert "libreoffice-writer-nogui" in result.err


@needs_converter
def test_a_conversion_past_the_time_limit_is_ended_and_leaves_no_file(tmp_path, temp, monkeypatch):
    monkeypatch.setattr(legacy, "SECONDS", 0.01)
    with pytest.raises(InputError, match="took longer than"):
        read_documents(LEGACY / "sichuan-2021.doc")
    assert list(temp.iterdir()) == []
