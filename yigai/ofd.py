"""OFD (GB/T 33190-2016), the fixed-layout format e-government systems issue: the text of its pages, in reading order.

An OFD file is a zip: OFD.xml names each document's Document.xml (DocBody/DocRoot), which lists its pages
(Pages/Page BaseLoc); each page's Content.xml holds TextObjects, each a box (Boundary: x y w h, in millimetres)
holding TextCode runs placed at X, Y within it. Text is put back into lines by where it sits on the page, and lines
into paragraphs as OCR's lines are (yigai.ocr.paragraphs: indented lines and short lines end paragraphs).

This reads the standard's XML itself (PyPI's OFD packages have not been tried on real files here), with the same
zip limits as Word and Excel files (readers._check_unpacked). It has been tested on a file written from the
standard's structure, not yet on files from an OFD writer.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree import ElementTree

from .errors import InputError
from .ocr import Line, Paragraph, joined, paragraphs

HINT = "export it from the OFD reader as PDF or text"
# A task list is some pages; an OFD of thousands is a gazette, and its parts are parsed one by one.
MAX_PAGES = 500
MAX_TEXT_OBJECTS = 200_000


def is_ofd(data: bytes) -> bool:
    """A zip whose root holds OFD.xml."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.lower() == "ofd.xml" for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def ofd_text(data: bytes, name: str) -> str:
    """Every page's text of every document in the file, in page order."""
    from .readers import _check_unpacked

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked(archive, name, HINT)
            pages = [page for root in _doc_roots(archive) for page in _pages(archive, root, name)]
    except InputError:
        raise
    except Exception as exc:  # a damaged archive or XML
        raise InputError(name, f"is not a readable OFD document ({type(exc).__name__})", HINT) from None
    return joined(pages)


def _local(tag: str) -> str:
    """An element's name without its namespace (writers use ofd: with or without a namespace URI)."""
    return tag.rsplit("}", 1)[-1].split(":")[-1]


def _find_all(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def _xml(archive: zipfile.ZipFile, path: str) -> ElementTree.Element:
    names = {entry.lower(): entry for entry in archive.namelist()}
    entry = names.get(path.lstrip("/").lower())
    if entry is None:
        raise KeyError(path)
    return ElementTree.fromstring(archive.read(entry))


def _doc_roots(archive: zipfile.ZipFile) -> list[str]:
    return [(node.text or "").strip() for node in _find_all(_xml(archive, "OFD.xml"), "DocRoot") if (node.text or "").strip()]


def _resolve(base: str, location: str) -> str:
    """A location inside the package: absolute (/Doc_0/...) or relative to the folder of the file naming it."""
    location = location.strip()
    if location.startswith("/"):
        return posixpath.normpath(location.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), location))


def _pages(archive: zipfile.ZipFile, root: str, name: str) -> list[list[Paragraph]]:
    document_path = _resolve("", root)
    document = _xml(archive, document_path)
    locations = [node.get("BaseLoc", "") for node in _find_all(document, "Page")]
    if len(locations) > MAX_PAGES:
        raise InputError(name, f"holds {len(locations):,} pages, more than the {MAX_PAGES} yigai reads", HINT)
    pages, objects = [], 0
    for location in locations:
        content = _xml(archive, _resolve(document_path, location))
        texts = _find_all(content, "TextObject")
        objects += len(texts)
        if objects > MAX_TEXT_OBJECTS:
            raise InputError(name, f"holds more than {MAX_TEXT_OBJECTS:,} text objects", HINT)
        pages.append(paragraphs(_lines(texts)))
    return pages


def _lines(texts: list[ElementTree.Element]) -> list[Line]:
    """Text runs grouped into lines by their baseline, each line's runs left to right, lines top to bottom."""
    runs: list[tuple[float, float, float, float, str]] = []  # baseline, left, right, size, text
    for node in texts:
        x, y, width, _height = (float(v) for v in (node.get("Boundary", "0 0 0 0").split() + ["0"] * 4)[:4])
        size = float(node.get("Size", "0") or 0) or 3.5
        for code in _find_all(node, "TextCode"):
            text = "".join(code.itertext())
            if not text.strip():
                continue
            left = x + float(code.get("X", "0") or 0)
            runs.append((y + float(code.get("Y", "0") or 0), left, max(left + len(text) * size * 0.5, x + width), size, text))
    runs.sort()
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for run in runs:
        if lines and abs(run[0] - lines[-1][0][0]) <= run[3] * 0.5:
            lines[-1].append(run)
        else:
            lines.append([run])
    out = []
    for line in lines:
        line.sort(key=lambda run: run[1])
        text = "".join(run[4] for run in line)
        # millimetres as tenths, the integer units a Line is measured in
        right = max(run[2] for run in line)
        out.append(Line(text, int(line[0][1] * 10), int(right * 10), int(line[0][3] * 10), 100.0, len(text)))
    return out
