"""Render sample documents into the formats analysts save: an HTML page, a .docx, a PDF.

Fixtures are made here from data/samples/, so every format is checked against the same text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from yigai.numbering import ITEM_STYLES

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<script>var _hmt = _hmt || []; document.write("<div>统计代码</div>");</script>
<style>.nav {{ color: red }}</style></head>
<body>
<header><div class="logo">中国政府网</div>
<nav><a href="/">首页</a> | <a href="/zc">政策</a> | <a href="/hd">互动</a></nav></header>
<div class="breadcrumb">当前位置:首页 &gt; 政策文件</div>
<aside class="sidebar"><h3>相关文件</h3><ul><li><a href="#">关于印发某某通知的解读</a></li></ul></aside>
<div class="article"><div class="pages_content" id="UCAP-CONTENT">
{body}
</div></div>
<div class="share">分享到:<a>微信</a><a>微博</a></div>
<footer><p>主办单位:某某人民政府办公厅 版权所有 京ICP备05070218号</p><p>扫一扫在手机打开当前页</p></footer>
<script>console.log("pv")</script>
</body></html>
"""


def to_html(text: str, path: Path) -> Path:
    body = "\n".join(f"<p>{html.escape(line)}</p>" if line.strip() else "<p><br/></p>" for line in text.split("\n"))
    path.write_text(PAGE.format(title="政策文件", body=body), encoding="utf-8")
    return path


def _add_numbering(document, fmt: str, text: str) -> str:  # type: ignore[no-untyped-def]
    """A new Word numbering definition (as Word writes them); returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    ids = [int(n.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNumId"))
           for n in numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}abstractNum")]
    abstract_id = max(ids, default=0) + 100
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>'
    )
    numbering.insert(0, abstract)
    num_id = str(abstract_id)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def to_docx(text: str, path: Path, automatic_numbers: bool = True) -> Path:
    """Each line a paragraph; item numbers become Word's automatic numbering (not in the text)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    lines = text.split("\n")
    style = next((s for s in ITEM_STYLES if sum(1 for line in lines if s.match(line.strip())) >= 2), None)
    num_id = None
    fmt, label = ("chineseCounting", "(%1)") if style is not None and style.numeral == "chinese" else ("decimal", "%1.")
    for line in lines:
        stripped = line.strip()
        match = style.match(stripped) if style is not None else None
        if automatic_numbers and match is not None:
            if num_id is None or match[0] == 1:  # a list that starts again at 1 is a new Word list
                num_id = _add_numbering(document, fmt, label)
            paragraph = document.add_paragraph(match[2])
            paragraph._p.get_or_add_pPr().append(
                parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
        else:
            document.add_paragraph(stripped)
    document.save(str(path))
    return path


def to_pdf(text: str, path: Path, width: int = 36) -> Path:
    """A PDF with a real text layer (reportlab, STSong CID font), wrapped at the page width."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    pdf.setFont("STSong-Light", 12)
    for line in text.split("\n"):
        line = line.strip()
        chunks = [line[i : i + width] for i in range(0, len(line), width)] or [""]
        for chunk in chunks:
            if not chunk:
                continue
            if y < 50:
                pdf.showPage()
                pdf.setFont("STSong-Light", 12)
                y = 800
            pdf.drawString(40, y, chunk)
            y -= 16
    pdf.save()
    return path


def strip_numbers(text: str) -> str:
    return re.sub(r"(?m)^\d+\.", "", text)
