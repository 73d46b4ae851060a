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


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal .docx (the three parts Word needs), written by hand so that a million paragraphs stay cheap."""
    import io

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
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
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


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
}


def write(name: str, n: int, folder: Path) -> Path:
    """The shape `name` at size n, written to a file in `folder`."""
    suffix, data = SHAPES[name][1](n)
    path = folder / f"hostile-{abs(hash((name, n)))}{suffix}"
    path.write_bytes(data)
    return path
