"""Text out of scans: a PDF without a text layer (or some pages without one), a photo or a screenshot of a notice.

The engine is Tesseract with its Simplified Chinese model (Debian's tesseract-ocr and tesseract-ocr-chi-sim),
run as a program: each page image goes in on standard input and its words come back on standard output, so no
temporary file is ever written, and a page that takes too long is ended by a time limit. Pages are read in
parallel, one Tesseract process for each available core.

Before a page is read, its red and blue ink (the issuer's seal) is washed out, and a page scanned at low
resolution is enlarged; after, the words are put back into lines, and lines into paragraphs by where they start and
end on the page (an indented line starts a paragraph; a line that ends short of the margin ends one). Page numbers
are dropped, and what OCR reads wrongly in the marks a notice's numbering uses (〔2021〕, （一）) is repaired.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import statistics
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import InputError

ENGINE = "tesseract"
LANGUAGE = "chi_sim"
INSTALL = "install Debian's tesseract-ocr and tesseract-ocr-chi-sim, and pip install 'yigai[ocr]'"

# A task list is some pages to some tens; a scan of hundreds of pages is a gazette or a book, hours of OCR.
MAX_PAGES = 100
# Pixels of one page image, checked from its header before it is decoded: an A4 page at 600 dpi is 35 million; a
# 20,000 x 20,000 image (400 million, 400 MB as grey) is a decompression bomb, not a page.
MAX_PIXELS = 50_000_000
# Seconds for Tesseract to read one page: a 300 dpi page takes some seconds; noise or a huge picture can take minutes.
PAGE_SECONDS = 120
# Pages rendered from a PDF at this resolution: what Tesseract's models are trained on.
DPI = 300
# A page narrower than this (pixels, for an A4 page about 1,240 at 150 dpi) is enlarged twice before reading:
# Tesseract misreads Chinese characters drawn under about 20 pixels high.
MIN_WIDTH = 2000
# The share of dark pixels on a page of text is some percent; a photograph, a dark background or noise is half.
MAX_INK = 0.35
# Below this mean confidence (0-100) the text is not text: a picture, noise, a page Tesseract cannot read.
MIN_CONFIDENCE = 40.0


@dataclass(frozen=True)
class Reading:
    """What OCR read from a document: its text, and how sure the engine was (mean word confidence, 0-100)."""

    text: str
    confidence: float
    pages: int  # pages read by OCR (a PDF's text-layer pages are not counted)
    engine: str = ENGINE


@dataclass(frozen=True)
class Line:
    """One line of a page as OCR read it: its text and where it sits (pixels)."""

    text: str
    left: int
    right: int
    height: int
    confidence: float  # mean over its words, weighted by characters
    characters: int


def require(name: str) -> None:
    """Refuse in one line, saying what to install, when the OCR engine, its Chinese model or the extra is missing."""
    for module in ("PIL", "pypdfium2"):
        try:
            __import__(module)
        except ImportError:
            raise InputError(name, f"is a scan: reading it needs OCR, and {module} is not installed", INSTALL) from None
    program = shutil.which("tesseract")
    if program is None:
        raise InputError(name, "is a scan: reading it needs OCR, and the tesseract program is not installed", INSTALL)
    if LANGUAGE not in _languages(program):
        raise InputError(name, "is a scan: reading it needs OCR, and tesseract has no Simplified Chinese model", INSTALL)


@cache
def _languages(program: str) -> tuple[str, ...]:
    """The models Tesseract has (asked once a process: a matrix of many scans asks once)."""
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    return tuple(listed.stdout.split())


# ---------------------------------------------------------------- documents


def image_text(data: bytes, name: str) -> Reading:
    """The text of a photo, screenshot or scanned image (every frame of a multi-page TIFF, in order)."""
    frames = _frames(data, name)  # a bomb or a damaged file is refused first, engine or none
    require(name)
    pages, confidence = _read_pages(frames, name)
    return Reading(joined(pages), confidence, len(pages))


def _frames(data: bytes, name: str) -> Iterator[Any]:
    from PIL import Image

    image = _open_image(data, name)
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_PAGES:
        raise InputError(name, f"holds {frames:,} images, more than the {MAX_PAGES} pages yigai reads by OCR",
                         "split the scan into one file per document")

    def each() -> Iterator[Any]:
        for index in range(frames):
            image.seek(index)
            _check_size(image, name)
            try:
                yield image.convert("RGB") if image.mode not in {"L", "RGB"} else image.copy()
            except (OSError, ValueError, Image.DecompressionBombError) as exc:
                raise InputError(name, f"is not a readable image ({type(exc).__name__})", "re-save or re-scan it") from None

    return each()


def _open_image(data: bytes, name: str) -> Any:
    from PIL import Image

    try:
        image = Image.open(io.BytesIO(data))  # reads the header only: the size is known before any pixel is decoded
    except Image.DecompressionBombError:  # Pillow's own bound, twice ours
        raise _too_large(name, "") from None
    except Exception as exc:  # Pillow raises many kinds for damaged or unknown files
        raise InputError(name, f"is not a readable image ({type(exc).__name__})", "re-save or re-scan it") from None
    _check_size(image, name)
    return image


def _check_size(image: Any, name: str) -> None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise _too_large(name, f"{width:,} x {height:,} pixel ")
    if width < 16 or height < 16:
        raise InputError(name, f"is a {width} x {height} pixel image, too small to hold text", "scan the page at 300 dpi")


def _too_large(name: str, size: str) -> InputError:
    what = f"a {size}image" if size else "an image"
    return InputError(name, f"is {what} larger than the {MAX_PIXELS // 1_000_000} million pixels yigai reads as a page "
                      "(a decompression bomb?)", "scan the page at 300 dpi")


def pdf_pages(data: bytes, name: str, texts: list[str]) -> Reading:
    """Read by OCR the pages of a PDF whose text layer holds nothing (`texts`: each page's text layer), keeping
    the other pages' text; the pages in their order."""
    require(name)
    blank = [index for index, text in enumerate(texts) if not has_text(text)]
    if len(blank) > MAX_PAGES:
        raise too_many(name, len(blank))
    scanned, confidence = _read_pages(_rendered(data, name, blank), name)
    from .clean import normalize_width
    from .readers import reflow as reflow_ascii

    def reflow(lines: list[str]) -> str:  # its patterns see ASCII brackets: （二） is printed full width
        return reflow_ascii([normalize_width(line) for line in lines])

    parts: list[str] = []
    run: list[str] = []  # consecutive text-layer pages, reflowed together as the PDF reader does
    ocr: list[list[Paragraph]] = []  # consecutive scanned pages, a paragraph over a page break joined
    position = {index: k for k, index in enumerate(blank)}
    for index, text in enumerate(texts):
        if index in position:
            if run:
                parts.append(reflow("\n".join(run).split("\n")))
                run = []
            ocr.append(scanned[position[index]])
        else:
            if ocr:
                parts.append(joined(ocr))
                ocr = []
            run.append(text)
    parts += [reflow("\n".join(run).split("\n"))] if run else [joined(ocr)] if ocr else []
    return Reading("\n".join(part for part in parts if part), confidence, len(blank))


def too_many(name: str, pages: int) -> InputError:
    return InputError(name, f"holds {pages:,} scanned pages, more than the {MAX_PAGES} yigai reads by OCR",
                      "split the scan into one file per document")


def has_text(text: str) -> bool:
    """A text layer that holds words (a scanner's PDF can carry a few stray characters, or none)."""
    return len(re.findall(r"[\u4e00-\u9fffA-Za-z]", text)) >= 10


def _rendered(data: bytes, name: str, indexes: list[int]) -> Iterator[Any]:
    """The pages at `indexes`, rendered one at a time (PDFium is not thread-safe: rendering stays on this thread)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:
        raise InputError(name, f"is not a readable PDF ({type(exc).__name__})", "re-save or re-export it") from None
    try:
        for index in indexes:
            page = document[index]
            width, height = page.get_size()
            # 300 dpi, unless that would make a page larger than a page is read at (a poster, a banner)
            scale = min(DPI / 72, (MAX_PIXELS / max(width * height, 1)) ** 0.5)
            # in colour: the seal is told from the text by its colour (in grey, red ink is as dark as text)
            yield page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(name, f"is not a readable PDF ({type(exc).__name__})", "re-save or re-export it") from None
    finally:
        document.close()


# ---------------------------------------------------------------- pages


def workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _read_pages(images: Iterator[Any], name: str) -> tuple[list[list[Paragraph]], float]:
    """OCR each page image in parallel; each page's paragraphs in page order, and the mean confidence."""
    pages: list[list[Line]] = []
    limit = workers()
    with ThreadPoolExecutor(max_workers=limit) as pool:
        pending: list[Future[list[Line]]] = []
        try:
            for image in images:
                # prepared on the worker too (Pillow and numpy let go of the GIL): only rendering is one page at a time
                pending.append(pool.submit(_read_page, image, name))
                # at most two pages waiting per core: a long scan is not all held in memory at once
                while len(pending) - len(pages) > 2 * limit:
                    pages.append(pending[len(pages)].result())
            pages += [future.result() for future in pending[len(pages):]]
        except BaseException:
            for future in pending:
                future.cancel()
            raise
    lines = [line for page in pages for line in page]
    characters = sum(line.characters for line in lines)
    confidence = sum(line.confidence * line.characters for line in lines) / characters if characters else 0.0
    if characters < 10 or confidence < MIN_CONFIDENCE:
        raise InputError(name, f"OCR found no text in it ({characters} characters, mean confidence {confidence:.0f}%)",
                         "give a scan of a printed page, at 300 dpi")
    return [paragraphs(page) for page in pages], confidence


def _read_page(image: Any, name: str) -> list[Line]:
    return _page_lines(_prepared(image, name), name)


def _prepared(image: Any, name: str) -> bytes:
    """A page as Tesseract reads it best: the seal washed out, straightened, enlarged if scanned coarsely; as PNG."""
    from PIL import Image

    grey = _without_seal(image)
    small = _sampled(grey)
    angle = skew(small)
    _check_text_like(small.rotate(angle, fillcolor=255), name)
    if abs(angle) >= 0.2:  # straightened: the lines' ends then line up, and Tesseract reads straight lines best
        grey = grey.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if grey.width < MIN_WIDTH:
        grey = grey.resize((grey.width * 2, grey.height * 2), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    grey.save(out, "PNG", compress_level=1)
    return out.getvalue()


# How much redder (or bluer) than its other channels a pixel is to be seal ink, and how dark a pixel inside the
# seal is to be text printed under it.
SEAL_COLOUR = 40
SEAL_TEXT = 60


def _without_seal(image: Any) -> Any:
    """The page in grey, its red or blue seal turned white and the black text under the seal kept.

    Decided on luminance, which a JPEG keeps at full resolution, within the area the colour marks, which a JPEG keeps
    at half: a red seal's pixel (a luminance near 90, a blue one's near 50) becomes white; a text stroke inside the
    seal (near 0) stays black."""
    import numpy as np
    from PIL import Image

    if image.mode in {"L", "1", "I", "I;16", "F"}:
        return image.convert("L")
    if "A" in image.getbands():  # a screenshot with transparency: on white, as it shows (not on black, as dropped)
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image.convert("RGBA"))
    rgb = np.asarray(image.convert("RGB"), dtype=np.int16)
    luminance = np.asarray(image.convert("L"), dtype=np.uint8)
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    red = (r - np.maximum(g, b) > SEAL_COLOUR) & (luminance >= SEAL_TEXT)
    blue = (b - np.maximum(r, g) > SEAL_COLOUR) & (luminance >= SEAL_TEXT // 2)  # blue ink is darker: near 50
    return Image.fromarray(np.where(red | blue, 255, luminance).astype(np.uint8))


# Angles a page is tried at to find its skew (degrees): a page fed askew into a scanner or photographed by hand.
SKEW_ANGLES = [step / 4 for step in range(-20, 21)]
# A page of text has blank rows: its margins and the space between its lines. Noise, a photograph or a pattern has
# (almost) none, and Tesseract can spend minutes on such a page finding nothing.
MIN_BLANK_ROWS = 0.08


def _sampled(grey: Any) -> Any:
    """A copy at most 900 pixels high and wide, each pixel one of the page's (not an average: averaging turns
    scattered noise into a blank grey, and strokes into faint ones)."""
    from PIL import Image

    scale = min(1.0, 900 / max(grey.size))
    return grey.resize((max(1, int(grey.width * scale)), max(1, int(grey.height * scale))), Image.Resampling.NEAREST)


def skew(small: Any) -> float:
    """The angle that straightens the page's lines: the one at which its rows of ink are sharpest (the sum of
    squared differences between neighbouring rows' ink is largest), tried on a small copy of the page."""
    import numpy as np

    best, best_angle = -1.0, 0.0
    for angle in SKEW_ANGLES:
        ink = np.asarray(small.rotate(angle, fillcolor=255), dtype=np.uint8) < 128
        rows = ink.sum(axis=1).astype(np.float64)
        sharpness = float(np.square(np.diff(rows)).sum())
        if sharpness > best:
            best, best_angle = sharpness, angle
    return best_angle


def _check_text_like(small: Any, name: str) -> None:
    """Refuse, before OCR, a page that cannot be text: half of it dark, or no blank rows between lines (rows are
    looked at between the page's outer tenths, where a scanner's dark edges or a photo's background lie)."""
    import numpy as np

    ink = np.asarray(small, dtype=np.uint8) < 128
    height, width = ink.shape
    rows = ink[:, width // 10 : width - width // 10].mean(axis=1)
    if ink.mean() > MAX_INK or (rows <= 0.005).mean() < MIN_BLANK_ROWS:
        raise InputError(name, "looks like a photograph or noise, not a page of text",
                         "give a scan of a printed page, at 300 dpi")


def _page_lines(png: bytes, name: str) -> list[Line]:
    """Tesseract's lines of one page, in reading order."""
    # one thread per Tesseract: the pages already run in parallel, and OpenMP threads on top of them only contend
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [shutil.which("tesseract") or "tesseract", "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"]
    try:
        done = subprocess.run(command, input=png, capture_output=True, timeout=PAGE_SECONDS, env=env, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(name, f"OCR of a page took longer than {PAGE_SECONDS} s",
                         "give a scan of a printed page, at 300 dpi") from None
    except OSError as exc:
        raise InputError(name, f"OCR could not run tesseract ({exc.strerror or type(exc).__name__})", INSTALL) from None
    if done.returncode != 0:
        raise InputError(name, "OCR failed on a page (tesseract could not read the image)", "re-save or re-scan it")
    return tsv_lines(done.stdout.decode("utf-8", "replace"))


def tsv_lines(tsv: str) -> list[Line]:
    """Lines out of Tesseract's TSV output (one row per word, each with its line's block, paragraph and line)."""
    words: dict[tuple[str, str, str], list[tuple[int, int, int, float, str]]] = {}
    for row in tsv.split("\n")[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip():
            continue
        left, width, height, confidence = int(cells[6]), int(cells[8]), int(cells[9]), float(cells[10])
        words.setdefault((cells[2], cells[3], cells[4]), []).append((left, left + width, height, confidence, cells[11].strip()))
    lines = []
    for parts in words.values():
        text = _joined([word[4] for word in parts])
        counted = [(len(word[4]), word[3]) for word in parts if word[3] >= 0]
        characters = sum(n for n, _ in counted)
        lines.append(Line(text, min(w[0] for w in parts), max(w[1] for w in parts),
                          int(statistics.median(w[2] for w in parts)),
                          sum(n * c for n, c in counted) / characters if characters else 0.0, characters))
    return lines


def _joined(words: list[str]) -> str:
    """Words as printed: no space between Chinese characters (Tesseract splits them), one between Latin words."""
    text = words[0]
    for word in words[1:]:
        text += (" " if text[-1:].isascii() and text[-1:].isalnum() and word[:1].isascii() and word[:1].isalnum() else "") + word
    return text


# ---------------------------------------------------------------- lines into paragraphs

# A page number as notices print it: — 3 —, - 3 -, 3, ·3·, 第3页 (OCR reads the dashes as 一 or _ at times).
_PAGE_NUMBER = re.compile(r"^[\s\-—–_一·.~]*(第?\d{1,4}页?|第?\d{1,4}\s*/\s*\d{1,4}页?)[\s\-—–_一·.~]*$")
# Bracketed numbers in a document number, which OCR reads as [ ] 【 】 ( ) in any mix: 川办函〔2021〕56号.
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8})\s*[\[【（(〔{「]\s*((?:19|20)\d\d)\s*[\]】）)〕}」]\s*(\d{1,4})\s*号")
# An item's label in full-width or mixed brackets, or with the opening bracket lost: (一) （一) 一) -> （一）.
_ITEM_LABEL = re.compile(r"^[\[【（(〔{]?\s*([一二三四五六七八九十]{1,3})\s*[\]】）)〕}]")
# ... or its closing bracket lost: (八规范医疗联合体建设 -> （八）规范医疗联合体建设.
_ITEM_LABEL_OPEN = re.compile(r"^[\[【（(〔{]\s*([一二三四五六七八九十]{1,3}+)(?=[\u4e00-\u9fff])(?![是要])")
_SECTION_LABEL = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、,，.．]\s*")


Paragraph = tuple[str, bool]  # its text, and whether it starts on this page (False: it goes on from the page before)


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """A page's lines joined into paragraphs by where they sit: an indented line, a line after one that ends short
    of the right margin, or a line that opens with an item's label starts a paragraph."""
    from .readers import _LINE_START

    kept = [line for line in lines if line.text.strip() and not _PAGE_NUMBER.match(line.text)]
    if not kept:
        return []
    size = statistics.median(line.height for line in kept) or 1
    lefts = sorted(line.left for line in kept)
    rights = sorted(line.right for line in kept)
    margin_left = lefts[len(lefts) // 10]
    margin_right = rights[len(rights) * 9 // 10]
    out: list[list[Any]] = []
    previous: Line | None = None
    for line in kept:
        text = repair(line.text)
        indented = line.left - margin_left > size * 1.2  # a paragraph's first line, or a centred title
        label = bool(_LINE_START.match(text.replace("（", "(").replace("）", ")")))
        if previous is None:
            out.append([text, indented or label])
        elif indented or label or margin_right - previous.right > size * 2:  # or the line before ended short
            out.append([text, True])
        else:
            out[-1][0] += text
        previous = line
    return [(text, starts) for text, starts in out]


def joined(pages: list[list[Paragraph]]) -> str:
    """Pages' paragraphs in order, a paragraph that goes on over a page break joined to its start; item labels
    OCR misread put back in sequence (renumbered)."""
    out: list[str] = []
    for page in pages:
        for text, starts in page:
            if out and not starts:
                out[-1] += text
            else:
                out.append(text)
    return "\n".join(renumbered(out))


# A bracketed label at a paragraph's start, whatever OCR read inside it: （六） (和六) (大).
_BRACKETED = re.compile(r"^[\[【（(〔{]([^()（）\[\]【】〔〕{}]{1,4})[\]】）)〕}]")
_NUMERAL = re.compile(r"[一二三四五六七八九十]{1,3}")


def renumbered(paragraphs: list[str]) -> list[str]:
    """Item labels OCR misread, put back where the labels around them say what they are: between （五） and （七）,
    a paragraph opening with (和六) or (大) is item （六）."""
    from .numbering import chinese_number, chinese_numeral

    values: list[int | None] = []
    for text in paragraphs:
        found = _BRACKETED.match(text)
        values.append(chinese_number(found.group(1)) if found and _NUMERAL.fullmatch(found.group(1)) else None)
    out = list(paragraphs)
    for k, text in enumerate(paragraphs):
        found = _BRACKETED.match(text)
        if found is None or values[k] is not None:
            continue
        before = next((v for v in reversed(values[:k]) if v is not None), None)
        after = next((v for v in values[k + 1 :] if v is not None), None)
        if before is None:
            continue
        expected = chinese_numeral(before + 1)
        # the labels around it leave exactly its number free, or what OCR read holds that number
        if after == before + 2 or (after is None and expected in found.group(1)):
            out[k] = f"（{expected}）{text[found.end():]}"
            values[k] = before + 1
    return out


def repair(text: str) -> str:
    """What OCR reads wrongly in the marks of a notice's numbering, put back: 〔2021〕 in document numbers, the
    brackets of an item's label (（一）), a section's 、."""
    text = _DOC_NUMBER.sub(r"\1〔\2〕\3号", text)
    text = _ITEM_LABEL.sub(r"（\1）", text)
    text = _ITEM_LABEL_OPEN.sub(r"（\1）", text)
    return _SECTION_LABEL.sub(r"\1、", text)


def note(reading: Reading) -> str:
    """How a document's text was had, as the CLI tells the analyst."""
    pages = f"{reading.pages} page{'s' if reading.pages != 1 else ''}"
    return f"text read by OCR ({reading.engine}, {pages}, mean confidence {reading.confidence:.0f}%): check names and figures"

