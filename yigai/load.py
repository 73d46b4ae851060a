"""Load a document file into text, detecting its encoding; refuse what is not a text document."""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .ocr import Reading

# Policy documents are tens of kilobytes; anything past this is not one document list.
MAX_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings Chinese government pages are saved in, besides UTF-8.
_LEGACY = ["gb18030", "big5"]


@dataclass(frozen=True)
class Source:
    """A file's decoded text and what we learned while reading it."""

    path: str
    text: str
    encoding: str
    format: str = "text"  # text | html | docx | xlsx | pdf | image | doc | wps | ofd
    ocr: Reading | None = None  # what OCR read, when the text came from a scan or a photo


def _too_large(name: str, size: str) -> InputError:
    return InputError(name, f"file is {size}, larger than the {MAX_BYTES // 1024 // 1024} MB yigai reads",
                      "split it into one file per document")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or an InputError that says why they cannot be had.

    Only regular files are read: a FIFO would block and a device (/dev/zero) never ends, and both
    report size 0, so the kind is checked before opening and at most MAX_BYTES + 1 bytes are read."""
    name = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(name, "no such file", "check the path") from None
    except PermissionError:
        raise InputError(name, "cannot be read: permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or type(exc).__name__}", "check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(name, "is a directory, not a document", "name a file inside it")
    if not stat.S_ISREG(info.st_mode):
        kind = "a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise InputError(name, f"is {kind}, not a regular file", "save the document to a file first")
    if info.st_size > MAX_BYTES:
        raise _too_large(name, f"{info.st_size / 1024 / 1024:.1f} MB")
    try:
        # O_NONBLOCK: should the path be swapped for a FIFO after the check, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise InputError(name, "is not a regular file", "save the document to a file first")
            data = _read_at_most(fd, info.st_size, MAX_BYTES + 1)
        finally:
            os.close(fd)
    except PermissionError:
        raise InputError(name, "cannot be read: permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or type(exc).__name__}", "check the file") from None
    if len(data) > MAX_BYTES:
        raise _too_large(name, f"over {MAX_BYTES // 1024 // 1024} MB")
    return data


def _read_at_most(fd: int, expected: int, limit: int) -> bytes:
    """Up to `limit` bytes of an open file, `expected` (its size when it was looked at) first: a file object's
    read(limit) set aside the whole limit (20 MB) for every file, which cost five times reading a short list."""
    chunks, size = [], 0
    want = min(expected + 1, limit)  # one byte more: a file that grew since is read on
    while size < limit:
        chunk = os.read(fd, want)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        want = min(max(want, 1 << 20), limit - size)
    return b"".join(chunks)


def decode(data: bytes, name: str, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding name: the encoding a fetched page declares, when its bytes read so; else UTF-8 first,
    then GB18030 or Big5, whichever reads as Chinese."""
    if not data.strip():
        raise InputError(name, "file is empty" if not data else "file holds only white space", "give a document with text")
    if declared is not None and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # a page mislabelled: detected as a saved file is
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                raise InputError(name, f"starts with a {encoding} byte-order mark but does not decode as {encoding}",
                                 "re-save the file as UTF-8") from None
    if b"\x00" in data[:8192]:
        raise InputError(name, "looks like a binary file, not text", "give a .txt document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            # a download cut off inside the last character: keep everything before it
            return data[: exc.start].decode("utf-8"), "utf-8"
    from charset_normalizer import from_bytes  # only legacy-encoded files pay for the import

    best = from_bytes(data, cp_isolation=_LEGACY).best()
    if best is None:
        raise InputError(name, "cannot be decoded as UTF-8, GB18030/GBK or Big5", "re-save the file as UTF-8")
    return str(best), best.encoding


# control characters besides \t \n \v \f \r: each is one byte in UTF-8, and no other character's UTF-8 holds
# such a byte, so they are counted as the bytes that bytes.translate deletes (the regex engine took five
# times as long, and a Python loop over the characters a tenth of reading a short document)
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x20)])


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    encoded = sample.encode("utf-8", "surrogatepass")
    return len(encoded) - len(encoded.translate(None, _CONTROL)) > max(4, len(sample) // 50)


def load(path: str | Path, data: bytes | None = None) -> Source:
    """Read a document file as text: plain text, an HTML page, a Word .docx or a PDF's text layer; `-` is
    standard input, an http(s) address the page fetched from it (yigai.fetch). `data`: the file's bytes, read
    already (by read_bytes: the results cache keys a file by the very bytes that are read)."""
    from . import fetch, readers

    name, declared = str(path), None
    if name == fetch.STDIN:
        data, suffix = fetch.read_stdin(MAX_BYTES), ""
        if len(data) > MAX_BYTES:
            raise _too_large(name, f"over {MAX_BYTES // 1024 // 1024} MB")
    elif fetch.is_url(name):
        page = fetch.fetch(name, MAX_BYTES)
        data, suffix, declared = page.data, page.suffix, page.charset
    else:
        path = Path(path)
        data, suffix = read_bytes(path) if data is None else data, path.suffix.lower()
    kind = readers.sniff(data, suffix)  # empty and blank files sniff as text: decode() refuses them
    from .engines import read as engine_read  # scans, photos, .doc/.wps and OFD: read by an outside engine

    engine = engine_read(data, kind, suffix, name)
    if engine is not None:
        text, encoding, kind = engine.text, engine.kind, engine.kind
    elif kind == "pdf":
        text, encoding = readers.pdf_text(data, name), "pdf"
    elif kind == "docx":
        text, encoding = readers.docx_text(data, name), "docx"
    elif kind == "xlsx":
        text, encoding = readers.xlsx_text(data, name), "xlsx"
    elif kind == "zip":
        raise InputError(name, "is a zip archive, not a Word .docx document or an Excel .xlsx workbook",
                         "unpack it, or give the .docx or .xlsx itself")
    elif kind == "ole" and suffix in {".xls", ".et"}:
        raise InputError(name, "is a legacy Excel .xls (or other Office binary) workbook", "save it as .xlsx first")
    elif kind == "ole":
        raise InputError(name, "is a legacy Word .doc (or other Office binary) file", "save it as .docx first")
    else:
        text, encoding = decode(data, name, declared)
        if _looks_binary(text):
            raise InputError(name, "looks like a binary file, not text", "give a .txt, .html, .docx or .pdf document")
        if kind == "html":
            readers.check_html(text, name)
            text = readers.html_text(text)
        else:  # a task table saved or pasted as text, its cells apart by tabs, is read as the list it is
            from .tables import text_tables

            text = text_tables(text)
    if not text.strip():
        raise InputError(name, f"holds no text ({kind})", "give a document with text")
    # a damaged PDF or page can decode to half a surrogate pair, which no text encoding (nor OpenCC) accepts
    text = _LONE_SURROGATE.sub("\ufffd", text)
    return Source(path=name, text=text.replace("\r\n", "\n").replace("\r", "\n"), encoding=encoding, format=kind,
                  ocr=engine.ocr if engine is not None else None)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
