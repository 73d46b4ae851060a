"""Text out of the formats analysts save: HTML pages, Word .docx files and PDF text layers.

`load` sniffs the content first and trusts the file name's extension only to break ties, since
saved pages are often misnamed (a .doc that is really HTML, a .txt that is a PDF).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from .errors import InputError
from .numbering import CN_NUMERAL, chinese_numeral

_HTML_TAG = re.compile(rb"<!doctype\s+html|<html|<head|<meta|<body|<div|<p[\s>]", re.I)


def _starts_as_html(head: bytes) -> bool:
    """The first thing after leading comments is an HTML tag.

    Comments are skipped with find(), not a regex: `(<!--.*?-->\\s*)*` backtracks exponentially
    over a run of empty comments (<!----><!---->…)."""
    at = 0
    while True:
        while at < len(head) and head[at : at + 1].isspace():
            at += 1
        if not head.startswith(b"<!--", at):
            return _HTML_TAG.match(head, at) is not None
        end = head.find(b"-->", at + 4)
        if end < 0:
            return False
        at = end + 3


def sniff(data: bytes, suffix: str) -> str:
    """'pdf', 'docx', 'xlsx', 'zip', 'ole', 'html' or 'text'."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _starts_as_html(head) or (suffix in {".html", ".htm", ".shtml", ".xhtml"} and b"<" in head):
        return "html"
    return "text"


def _zip_kind(data: bytes) -> str:
    """'docx', 'xlsx' or 'zip' (an archive that is neither)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "zip"
    return "docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names else "zip"


# ---------------------------------------------------------------- HTML

# Page parts that are never the article: scripts, navigation, headers and footers, forms.
_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "select", "button")
# Containers government sites put the article in (TRS and common CMS templates).
_ARTICLE_SELECTORS = (
    "article", "#zoom", ".TRS_Editor", ".TRS_UEDITOR", "#UCAP-CONTENT", ".pages_content", ".article-content",
    ".article", ".content", "#content", ".main-content", "#main", "main",
)
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|div|li|h[1-6]|tr|section|article|table|ul|ol|blockquote|pre|dd|dt)\s*>")


# Bounds on a page's tree, checked before it is parsed. An HTML parser's work per start tag grows with the
# depth of open elements (a scope check walks them), so 100,000 nested <div> take minutes; a government
# page nests a few dozen deep and holds some thousands of tags. Browsers stop nesting at 512 too.
MAX_HTML_DEPTH = 512
MAX_HTML_TAGS = 500_000
# Elements that hold no content, and those whose end tag may be left out (the parser closes them itself).
_NO_NESTING = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont bgsound frame keygen command "
    "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption html head body".split()
)
_FOREIGN = frozenset({"svg", "math"})
# Task tables are read row by row (a third of a millisecond each): a page of tens of thousands of rows is no list.
MAX_HTML_ROWS = 10_000
MAX_HTML_CELLS = 100_000
_CELL_TAGS = frozenset({"tr", "td", "th"})
# A tag name, and whether the tag closes itself (<path/>); `[^<>]*?` stops at the next bracket, so each
# character is looked at a bounded number of times.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:[^<>]*?(/?)>)?")


def check_html(markup: str, name: str) -> None:
    """Refuse a page too deep or too large to parse in bounded time and memory.

    The depth is an upper bound counted without building a tree: every open tag of an element that
    nests, less the end tags that match one."""
    open_count: dict[str, int] = {}
    depth = 0
    cells = [0, 0]  # rows, cells
    for tags, m in enumerate(_TAG.finditer(markup), start=1):
        if tags > MAX_HTML_TAGS:
            raise InputError(name, f"HTML holds more than {MAX_HTML_TAGS:,} tags", "save the article's text as .txt")
        tag = m.group(2).lower()
        if tag in _CELL_TAGS and not m.group(1):
            cells[tag in ("td", "th")] += 1
            if cells[False] > MAX_HTML_ROWS or cells[True] > MAX_HTML_CELLS:
                what = f"{MAX_HTML_ROWS:,} table rows" if cells[False] > MAX_HTML_ROWS else f"{MAX_HTML_CELLS:,} table cells"
                raise InputError(name, f"HTML holds more than {what}",
                                 "one task table holds hundreds; save the article's text as .txt")
        # `/>` closes an element only in SVG and MathML, as browsers parse HTML: <div/> opens a div
        foreign = open_count.get("svg", 0) + open_count.get("math", 0) > 0
        if tag in _NO_NESTING or (m.group(3) and (foreign or tag in _FOREIGN)):
            continue
        if m.group(1):
            if open_count.get(tag, 0) > 0:
                open_count[tag] -= 1
                depth -= 1
        else:
            open_count[tag] = open_count.get(tag, 0) + 1
            depth += 1
            if depth > MAX_HTML_DEPTH:
                raise InputError(name, f"HTML nests elements deeper than {MAX_HTML_DEPTH} levels",
                                 "save the article's text as .txt")


def html_text(markup: str) -> str:
    """The article body of a saved page, one paragraph a line (check_html first, for untrusted pages)."""
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(markup)
    for tag in _DROP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    body = tree.body or tree.root
    best = None
    for selector in _ARTICLE_SELECTORS:
        for node in tree.css(selector):
            size = len(node.text(strip=True))
            # The article holds most of the page's text; a small match is a sidebar widget.
            if size > 200 and (best is None or size > best[0]):
                best = (size, node)
        if best is not None:
            break
    chosen = best[1] if best else body
    if chosen is None:
        return ""
    _task_tables_as_lines(chosen)
    flat = _BLOCK_END.sub(lambda m: m.group(0) + "\n", chosen.html or "")
    text = HTMLParser(flat).text(separator="")
    return "\n".join(line.strip() for line in text.split("\n"))


def _task_tables_as_lines(node: Any) -> None:
    """Each task table (tables.task_lines) under `node` replaced by the lines of a numbered list."""
    from .tables import task_lines

    for table in node.css("table"):
        if len(table.css("table")) > 1:  # (css() matches the node itself too)
            continue  # a table holding tables lays out a page; its innermost tables are read on their own
        lines = task_lines(_grid(table))
        if lines:
            table.replace_with("\n" + "\n".join(lines) + "\n")


def _span(cell: Any, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    return min(int(value), 1000) if value.isdigit() and int(value) > 0 else 1


def _grid(table: Any) -> list[list[str]]:
    """A table's rows as a grid: a cell spanning rows or columns (rowspan, colspan) repeated in each, as a merged
    cell repeats in Word, so that every column keeps its place."""
    grid: list[list[str]] = []
    carried: dict[int, tuple[int, str]] = {}  # column -> (rows still to fill, text)
    for tr in table.css("tr"):
        row: list[str] = []
        cells = iter(tr.css("td, th"))
        while len(row) < MAX_COLUMNS:  # a task table has some columns; spans must not make a row of millions
            column = len(row)
            if column in carried:
                left, text = carried[column]
                row.append(text)
                carried[column] = (left - 1, text)
                if left <= 1:
                    del carried[column]
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = cell.text(separator="\n", strip=True)
            down, across = _span(cell, "rowspan"), min(_span(cell, "colspan"), MAX_COLUMNS - len(row))
            for _ in range(across):
                if down > 1:
                    carried[len(row)] = (down - 1, text)
                row.append(text)
        grid.append(row)
    return grid


# ---------------------------------------------------------------- Word

_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
                    "ideographDigital", "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"}
def _format_number(n: int, fmt: str) -> str:
    if fmt in _CHINESE_FORMATS:
        return chinese_numeral(n)
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (n - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


# Word numbers nine levels (w:ilvl 0 to 8); a file may declare w:ilvl="50000000", and a label is built from
# every level above its own: levels past Word's are no numbering.
MAX_WORD_LEVEL = 8


class _WordNumbering:
    """Word's automatic numbering: the label a numbered paragraph shows but does not contain."""

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        self.style_num_pr: dict[str | None, object] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0"))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[ilvl] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else f"%{ilvl + 1}.",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, level in abstract.get(ref.get(qn("w:val")), {}).items():
                self.levels[(num.get(qn("w:numId")), ilvl)] = level

    def _style_num_pr(self, paragraph):  # type: ignore[no-untyped-def]
        """Numbering inherited from the paragraph's style, looked up once per style: the lookup is an XPath
        query over the styles part, too slow to repeat for every paragraph of a long document."""
        qn = self.qn
        ppr = paragraph._p.pPr
        key = ppr.style if ppr is not None else None
        if key not in self.style_num_pr:
            num_pr, style = None, paragraph.style
            while num_pr is None and style is not None:
                spr = style.element.pPr
                num_pr = spr.find(qn("w:numPr")) if spr is not None else None
                style = style.base_style
            self.style_num_pr[key] = num_pr
        return self.style_num_pr[key]

    def _num_pr(self, paragraph):  # type: ignore[no-untyped-def]
        qn = self.qn
        ppr = paragraph._p.pPr
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            num_pr = self._style_num_pr(paragraph)
        if num_pr is None:
            return None
        num_id = num_pr.find(qn("w:numId"))
        ilvl = num_pr.find(qn("w:ilvl"))
        if num_id is None:
            return None
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0

    def label(self, paragraph) -> str:  # type: ignore[no-untyped-def]
        found = self._num_pr(paragraph)
        if found is None or found[0] == "0":
            return ""
        num_id, ilvl = found
        level = self.levels.get((num_id, ilvl))
        if level is None or not 0 <= ilvl <= MAX_WORD_LEVEL:  # the label is built level by level, up to ilvl
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level[2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a higher level restarts the levels below it
        text = level[1]
        for k in range(ilvl + 1):
            fmt = self.levels.get((num_id, k), ("decimal", "", 1))[0]
            value = counters.get(k, self.levels.get((num_id, k), ("", "", 1))[2])
            text = text.replace(f"%{k + 1}", _format_number(value, fmt))
        return text


_PRINTED_LABEL = re.compile(rf"^\s*(\({CN_NUMERAL}\)|（{CN_NUMERAL}）|{CN_NUMERAL}、|\d{{1,3}}[.．、])")


# Bounds on what a .docx may unpack to, checked in the zip listing before anything is decompressed: a
# 2 MB file can inflate to gigabytes. A task list is some hundreds of paragraphs, a few megabytes of XML.
MAX_UNPACKED = 100 * 1024 * 1024
MAX_PARAGRAPHS = 50_000
_PARAGRAPH_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:p|tr)[\s/>]")


def check_docx(data: bytes, name: str) -> None:
    """Refuse a .docx whose parts unpack to more than yigai reads, or that holds too many paragraphs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked(archive, name, "re-save it from Word")
            with archive.open("word/document.xml") as part:
                paragraphs = len(_PARAGRAPH_TAG.findall(part.read(MAX_UNPACKED + 1)))
    except InputError:
        raise
    except Exception as exc:  # damaged archive: the same words as a damaged document
        raise InputError(name, f"is not a readable Word document ({type(exc).__name__})", "re-save it from Word") from None
    if paragraphs > MAX_PARAGRAPHS:
        raise InputError(name, f"holds more than {MAX_PARAGRAPHS:,} paragraphs and table rows",
                         "one task list holds hundreds; split the document")


def docx_text(data: bytes, name: str) -> str:
    """Paragraphs (and table cells) of a .docx, with Word's automatic numbers written out."""
    check_docx(data, name)
    try:
        return _docx_lines(data)
    except Exception as exc:  # a damaged package can break python-docx or lxml in many ways
        raise InputError(name, f"is not a readable Word document ({type(exc).__name__})", "re-save it from Word") from None


def _docx_lines(data: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from .tables import task_lines

    document = docx.Document(io.BytesIO(data))
    numbering = _WordNumbering(document)
    lines = []
    # paragraphs and tables in the order they are printed (a task table sits between the text around it)
    for element in document.element.body.iterchildren():
        if element.tag == _W_TABLE:
            rows = [[cell.text for cell in row.cells] for row in Table(element, document).rows]
            lines += task_lines(rows) or [" ".join(row) for row in rows]
        elif element.tag == _W_PARAGRAPH:
            paragraph = Paragraph(element, document)
            label = numbering.label(paragraph)
            text = paragraph.text
            if label and not _PRINTED_LABEL.match(text):
                text = label + text
            lines.append(text)
    return "\n".join(lines)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_PARAGRAPH, _W_TABLE = _W + "p", _W + "tbl"


# ---------------------------------------------------------------- Excel

def xlsx_text(data: bytes, name: str) -> str:
    """Every sheet of a workbook: a task table as its numbered list (yigai.tables), any other rows cell by cell."""
    from .tables import task_lines

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_unpacked(archive, name, "re-save it from Excel")
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if workbook.properties.creator == OUTPUT_CREATOR:
            raise InputError(name, "is a workbook yigai wrote (an output), not a task list",
                             "keep outputs out of the folders yigai reads")
        lines: list[str] = []
        rows_read = 0
        for sheet in workbook.worksheets:
            rows = []
            # a task table has some columns; a sheet can declare 16,384 (a cell at XFD1), each row padded to them
            for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                rows_read += 1
                if rows_read > MAX_PARAGRAPHS:
                    raise InputError(name, f"holds more than {MAX_PARAGRAPHS:,} rows", "one task list holds hundreds")
                rows.append([_cell_text(value) for value in row])
            lines += task_lines(rows) or [" ".join(c for c in row if c) for row in rows]
        workbook.close()
    except InputError:
        raise
    except Exception as exc:  # a damaged workbook can break openpyxl in many ways
        raise InputError(name, f"is not a readable Excel workbook ({type(exc).__name__})", "re-save it from Excel") from None
    return "\n".join(lines)


MAX_COLUMNS = 64  # columns of a sheet read (a task table has five to ten)
OUTPUT_CREATOR = "yigai"  # the creator yigai's own workbooks name, so that it never reads one as a task list


def _cell_text(value: object) -> str:
    """A cell as a list prints it: 3 (not 3.0), a date as the day it is due by (2024年12月31日前)."""
    import datetime

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value.year}年{value.month}月{value.day}日前"
    return str(value)


def _check_unpacked(archive: zipfile.ZipFile, name: str, hint: str) -> None:
    """Refuse an Office file whose parts unpack to more than yigai reads, from the zip listing alone."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED:
        raise InputError(name, f"unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                         f"{MAX_UNPACKED // 1024 // 1024} MB yigai reads (a zip bomb?)", hint)


# ---------------------------------------------------------------- PDF

# A wrapped line that ends here ends a paragraph too: a stop, or a lead-department note.
# (The duty word is found by a lookahead, which does not backtrack: see segment.DEPARTMENT_NOTE.)
_SENTENCE_END = re.compile(r"([。;:!?”》\]]|\((?=[^()]*?(?:负责|負責|牵头|牽頭|完成|配合|参与|參與))[^()]*\))$")
_LINE_START = re.compile(rf"^(\({CN_NUMERAL}\)|{CN_NUMERAL}、|\d{{1,3}}[.、](?!\d)|\(\d{{1,3}}\)|{CN_NUMERAL}是)")


_NOTE_MAX = 300  # a lead-department note's length, at most: (…按职责分工负责)


def reflow(lines: list[str]) -> str:
    """Join the lines a PDF wrapped at the page width back into paragraphs."""
    widths = sorted(len(line) for line in lines if line.strip())
    if not widths:
        return ""
    full = widths[int(len(widths) * 0.9)] if len(widths) > 3 else widths[-1]
    paragraphs: list[str] = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        if paragraphs and not _LINE_START.match(line):
            previous = paragraphs[-1]
            wrapped = len(previous) % max(full, 1) >= full * 0.85 or len(previous) >= full * 0.85
            # the end is looked for in the tail: a search over the whole growing paragraph was quadratic
            if wrapped and not _SENTENCE_END.search(previous[-_NOTE_MAX:]):
                paragraphs[-1] = previous + line
                continue
        paragraphs.append(line)
    return "\n".join(paragraphs)


# Bounds on a PDF, checked on its page tree and content streams before any text is extracted: pypdf spends
# about a quarter of a millisecond on each text operator, so one page of 500,000 (13 MB) took minutes, and
# 10,000 pages nearly one (a hundredth of a second a page). A task list is tens of pages, each some thousands
# of operators at most.
MAX_PDF_PAGES = 500
MAX_PDF_PAGE_BYTES = 1024 * 1024  # one page's content stream, unpacked
MAX_PDF_TEXT_OPERATORS = 50_000  # Tj and TJ, over the whole document
_TEXT_OPERATOR = re.compile(rb"T[jJ](?![A-Za-z0-9])")


def _check_pdf(reader: Any, name: str) -> None:
    """Refuse a PDF with more pages, a larger page, or more text operators than yigai reads."""
    try:  # the count the page tree declares, read without walking the tree (10,000 pages: 4 s)
        declared = int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:  # a damaged tree: walked below, as pypdf repairs it
        declared = 0
    pages = declared if declared > MAX_PDF_PAGES else len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise InputError(name, f"PDF has {pages:,} pages, more than the {MAX_PDF_PAGES:,} yigai reads",
                         "one task list is tens of pages; split the file")
    operators = 0
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        stream = contents.get_data() if contents is not None else b""
        if len(stream) > MAX_PDF_PAGE_BYTES:
            raise InputError(name, f"PDF page {number} draws {len(stream) / 1024 / 1024:,.1f} MB of content, more than "
                             f"the {MAX_PDF_PAGE_BYTES // 1024 // 1024} MB a page yigai reads",
                             "re-export it, or save its text as .txt")
        operators += len(_TEXT_OPERATOR.findall(stream))
        if operators > MAX_PDF_TEXT_OPERATORS:
            raise InputError(name, f"PDF holds more than {MAX_PDF_TEXT_OPERATORS:,} text operators (by page {number})",
                             "re-export it, or save its text as .txt")


def pdf_text(data: bytes, name: str) -> str:
    """The text layer of a PDF, reflowed; a PDF without one needs OCR first."""
    import logging

    from pypdf import PdfReader

    # pypdf logs what it works around, some of it at ERROR (a damaged font's "Advanced encoding … not implemented"),
    # and with no handler set Python prints that on stderr: yigai says itself, in one line, what it cannot read
    logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(name, "PDF is encrypted", "save an unprotected copy")
        _check_pdf(reader, name)
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as exc:  # a damaged PDF can break pypdf in many ways (the fuzz tests found several)
        raise InputError(name, f"is not a readable PDF ({type(exc).__name__})", "re-save or re-export it") from None
    text = "\n".join(pages)
    if len(re.findall(r"[\u4e00-\u9fffA-Za-z]", text)) < 10:
        raise InputError(name, "PDF has no text layer (a scan?)", "run OCR on it first, then give yigai the text")
    return reflow(text.split("\n"))
