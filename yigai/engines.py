"""The formats read through an outside engine: scans and photos (OCR), old Word and WPS files (.doc, .wps), and OFD.

`load` asks here first; None means "not one of these", and the readers in yigai.readers take the file as before.
Each engine is optional: without it, the file is refused in one line that says what to install.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .ocr import Reading

# Image formats a scan or a photo arrives in, by their first bytes: PNG, JPEG, TIFF (both byte orders), BMP.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")


def is_image(data: bytes) -> bool:
    """A PNG, JPEG, TIFF, BMP or WebP file, by its first bytes."""
    return data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


@dataclass(frozen=True)
class Read:
    """A document's text as an engine gave it, the format it was in, and the OCR reading, if OCR read it."""

    text: str
    kind: str  # image | pdf | doc | wps | ofd
    ocr: Reading | None = None


def read(data: bytes, kind: str, suffix: str, name: str) -> Read | None:
    """The text of a file an engine reads (`kind`: what readers.sniff found), or None for the readers to take
    (engines are imported only for the files they read: a text file pays nothing here)."""
    if kind == "pdf":
        return _scanned_pdf(data, name)
    if kind == "zip":
        from . import ofd

        return Read(ofd.ofd_text(data, name), "ofd") if ofd.is_ofd(data) else None
    if kind == "ole" and suffix not in {".xls", ".et"}:
        from . import legacy

        return Read(legacy.doc_text(data, name, suffix), "wps" if suffix == ".wps" else "doc")
    if kind == "text" and is_image(data):
        from . import ocr

        reading = ocr.image_text(data, name)
        return Read(reading.text, "image", reading)
    return None


def _scanned_pdf(data: bytes, name: str) -> Read | None:
    """A PDF with pages that hold a picture and no text (a scan), read by OCR with its text pages; None for any
    other PDF (and for one pypdf cannot open: the PDF reader says what is wrong with it)."""
    import logging

    from pypdf import PdfReader

    from . import ocr

    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    try:
        reader = PdfReader(io.BytesIO(data))
        scanned = 0 if reader.is_encrypted else sum(1 for page in reader.pages if _scanned(page))
        if scanned > ocr.MAX_PAGES:  # said before any page's text is extracted: a long scan is refused at once
            raise ocr.too_many(name, scanned)
        if not scanned:
            return None
        texts = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # a damaged PDF: the PDF reader words the error
        return None
    if all(ocr.has_text(text) for text in texts):
        return None
    reading = ocr.pdf_pages(data, name, texts)
    return Read(reading.text, "pdf", reading)


def _scanned(page: object) -> bool:
    """A page that draws a picture and uses no font: what a scanner writes (read from the page's resources alone,
    without its content, so that a PDF with a text layer costs almost nothing here)."""
    resources = page.get("/Resources")  # type: ignore[attr-defined]
    resources = resources.get_object() if resources is not None else {}
    fonts = resources.get("/Font")
    return resources.get("/XObject") is not None and (fonts is None or not fonts.get_object())
