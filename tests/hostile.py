"""Hostile document shapes, each at a chosen size: what an attacker (or a broken scraper) hands yigai.

Each shape once made the reader's time grow faster than its input (catastrophic regex backtracking,
quadratic loops, unbounded trees). The linear-time tests and `bench/hostile_speed.py` build them here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

_TASKS = "(一)推进医疗服务价格改革。\n(二)开展药品耗材集中带量采购。\n"
_HTML_TASKS = "<p>(一)推进医疗服务价格改革。</p><p>(二)开展药品耗材集中带量采购。</p>"


def _text(body: str) -> tuple[str, bytes]:
    return ".txt", body.encode("utf-8")


def _html(body: str) -> tuple[str, bytes]:
    return ".html", f"<html><body>{body}</body></html>".encode()


def docx_bytes(paragraphs: list[str], level: int | None = None) -> bytes:
    """A minimal .docx (the three parts Word needs), written by hand so that a million paragraphs stay cheap;
    with `level`, every paragraph is numbered at that w:ilvl (and the numbering part declares it)."""
    import io

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbered = "" if level is None else f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    body = "".join(f"<w:p>{numbered}<w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body}</w:body></w:document>',
    }
    if level is not None:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", (
            '<Override PartName="/word/numbering.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>'))
        parts["word/_rels/document.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
            'Target="numbering.xml"/></Relationships>')
        parts["word/numbering.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {ns}><w:abstractNum w:abstractNumId="0">'
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def pdf_bytes(pages: list[bytes], compress: bool = True) -> bytes:
    """A PDF whose pages draw the given content streams (Helvetica), written by hand: reportlab would take
    minutes over half a million operators. Uncompressed, mutations reach the operators themselves."""
    import zlib

    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode(),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>".encode())
        data = zlib.compress(content) if compress else content
        flate = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_page(lines: int) -> bytes:
    """One page's content: `lines` text operators (Tj), each a line of text."""
    return b"BT /F1 12 Tf 72 720 Td " + b"(Reform of medical service prices.) Tj 0 -14 Td " * lines + b"ET"


def _table(rows: int) -> tuple[str, bytes]:
    body = "".join(f"<tr><td>{k}</td><td>推进第{k}项改革。</td><td>市卫健委</td></tr>" for k in range(1, rows + 1))
    return _html(f"<table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>{body}</table>")


# name -> (size of the smaller case, builder of (suffix, bytes) for size n)
SHAPES: dict[str, tuple[int, Callable[[int], tuple[str, bytes]]]] = {
    "html comments (.txt)": (4_000, lambda n: _text("<!---->" * n + "\n" + _TASKS)),
    "html comments (.html)": (4_000, lambda n: (".html", ("<!---->" * n + f"<section>{_HTML_TASKS}</section>").encode())),
    "line of digits": (40_000, lambda n: _text("推进医改。" + "1" * n)),
    "line of spaces": (1_000_000, lambda n: _text("推进医改。" + " " * n + "完成。")),
    "line of chinese numerals": (200_000, lambda n: _text("推进医改。" + "一" * n)),
    "departments note unclosed": (200_000, lambda n: _text("推进医改。(" + "负责" * n)),
    "short sentences": (100_000, lambda n: _text("a。" * n)),
    "nested div": (20_000, lambda n: _html("<div>" * n + _HTML_TASKS + "</div>" * n)),
    "nested article": (5_000, lambda n: _html("<article>" * n + _HTML_TASKS + "</article>" * n)),
    "unclosed tags": (100_000, lambda n: _html("<span>" * n + _HTML_TASKS)),
    "docx paragraphs": (20_000, lambda n: (".docx", docx_bytes(["(一)推进医改。", "(二)深化改革。"] + ["开展试点。"] * n))),
    "numbered items": (5_000, lambda n: _text("".join(f"{k}.推进第{k}项改革。\n" for k in range(1, n + 1)))),
    "self-closing divs": (100_000, lambda n: _html("<div/>" * n + _HTML_TASKS)),
    "docx numbering level": (2_000, lambda n: (".docx", docx_bytes(["推进医改。"] * n, level=50_000_000))),
    "pdf text operators": (2_000, lambda n: (".pdf", pdf_bytes([pdf_page(n)]))),
    "pdf pages": (200, lambda n: (".pdf", pdf_bytes([pdf_page(5)] * n))),
    "html table rows": (4_000, _table),
    "prose sentences": (20_000, lambda n: _text("推进医疗服务价格改革,开展药品耗材集中带量采购。" * n)),
}


def write(name: str, n: int, folder: Path) -> Path:
    """The shape `name` at size n, written to a file in `folder`."""
    suffix, data = SHAPES[name][1](n)
    path = folder / f"hostile-{abs(hash((name, n)))}{suffix}"
    path.write_bytes(data)
    return path
