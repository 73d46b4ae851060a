"""Scanned copies of a sample list, made the way a scan of a printed notice looks: the text printed to a PDF with an
embedded Chinese font (reportlab), rasterised by PDFium (pypdfium2), then rotated, stamped and photographed with
Pillow. tests/fixtures/scans/make_scans.py writes the committed fixtures with these; bench/ocr.py renders the whole
list with them at run time.
"""

from __future__ import annotations

import io
import math
import random
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "samples" / "sichuan-2021.txt"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")  # Debian's fonts-wqy-zenhei
SCANS = ROOT / "tests" / "fixtures" / "scans"

PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
MARGIN = 72.0
SIZE = 14.0  # a printed notice's body text is 三号/四号 (16/14 pt)
LEADING = 24.0


def notice_text(path: Path = SAMPLE) -> str:
    """The notice as printed on paper: from the issuer's heading to the date under the signature (the web page's
    breadcrumb, metadata and footer are not on the paper)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").split("\n")]
    start = next(i for i, line in enumerate(lines) if re.fullmatch(r"\S+人民政府办公厅", line))
    end = next(i for i, line in enumerate(lines) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", line))
    return "\n".join(line for line in lines[start : end + 1] if line)


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "ZenHei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ZenHei", str(FONT), subfontIndex=0))
    return "ZenHei"


# Punctuation as a notice prints it: full width (the sample holds the ASCII forms yigai's cleaning writes).
_FULL_WIDTH = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？"})


def _wrap(paragraph: str, font: str, width: float) -> list[str]:
    """Lines filled to the text width, as a word processor fills them (digits are narrower than characters)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for char in paragraph:
        if line and stringWidth(line + char, font, SIZE) > width:
            lines.append(line)
            line = ""
        line += char
    return lines + [line]


def print_pdf(text: str, path: Path, pages: int | None = None) -> Path:
    """Each line a paragraph, first lines indented two characters, wrapped at the text width, a page number
    (— 1 —) at the foot of each page, as a government notice is printed. `pages`: stop after that many."""
    from reportlab.pdfgen import canvas

    font = _font()
    pdf = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H))
    width = PAGE_W - 2 * MARGIN
    y, page = PAGE_H - MARGIN, 1

    def foot() -> None:
        pdf.setFont(font, 12)
        pdf.drawCentredString(PAGE_W / 2, MARGIN / 2, f"— {page} —")

    pdf.setFont(font, SIZE)
    for number, paragraph in enumerate(text.split("\n")):
        centred = number < 3 or len(paragraph) < 16  # heading, title and document number; the signature
        paragraph = paragraph.translate(_FULL_WIDTH)
        for line in _wrap(paragraph if centred else "\u3000\u3000" + paragraph, font, width):
            if y < MARGIN + LEADING:
                foot()
                if pages is not None and page >= pages:
                    pdf.showPage()
                    pdf.save()
                    return path
                pdf.showPage()
                page += 1
                pdf.setFont(font, SIZE)
                y = PAGE_H - MARGIN
            if centred:
                pdf.drawCentredString(PAGE_W / 2, y, line)
            else:
                pdf.drawString(MARGIN, y, line)
            y -= LEADING
    foot()
    pdf.showPage()
    pdf.save()
    return path


def rasterise(pdf: Path, dpi: int) -> list[Any]:
    """The PDF's pages as greyscale images, as a scanner delivers them."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def rotate(image: Any, degrees: float) -> Any:
    """A page fed into the scanner askew."""
    from PIL import Image

    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def stamp(image: Any, centre: tuple[float, float]) -> Any:
    """The issuer's red seal (a ring, the issuer's name round its edge, a star) printed over the page, multiplied
    into it as ink is: black text under the seal stays black."""
    from PIL import Image, ImageChops, ImageDraw, ImageFont

    page = image.convert("RGB")
    seal = Image.new("RGB", page.size, (255, 255, 255))
    draw = ImageDraw.Draw(seal)
    radius = page.width * 0.12
    cx, cy = centre[0] * page.width, centre[1] * page.height
    red = (220, 30, 40)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=max(3, int(radius / 14)))
    star = [(cx + r * math.cos(math.radians(90 + 36 * k)), cy - r * math.sin(math.radians(90 + 36 * k)))
            for k, r in enumerate([radius * 0.3, radius * 0.12] * 5)]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(str(FONT), int(radius / 4.5))
    name = "四川省人民政府办公厅"
    for k, char in enumerate(name):
        angle = math.radians(210 - k * 240 / (len(name) - 1))
        x, y = cx + radius * 0.75 * math.cos(angle), cy - radius * 0.75 * math.sin(angle)
        glyph = Image.new("RGBA", (int(radius / 3), int(radius / 3)), (255, 255, 255, 0))
        ImageDraw.Draw(glyph).text((0, 0), char, font=font, fill=red)
        glyph = glyph.rotate(math.degrees(angle) - 90, expand=True)
        seal.paste(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)), glyph)
    return ImageChops.multiply(page, seal)


def phone_photo(image: Any, seed: int = 7) -> Any:
    """A page photographed by a phone: smaller, askew, lit unevenly, grainy, saved as a lossy JPEG."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    page = rotate(image.convert("L"), 1.2).resize((1100, int(1100 * image.height / image.width)),
                                                 Image.Resampling.LANCZOS)
    light = Image.linear_gradient("L").resize(page.size).point(lambda v: 255 - v // 4)  # darker towards the foot
    page = Image.composite(page, Image.new("L", page.size, 0), light)
    noise = Image.effect_noise(page.size, 12).point(lambda v: v - 128 + rng.randint(-2, 2))
    page = Image.blend(page, noise.convert("L"), 0.03).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    page.convert("RGB").save(out, "JPEG", quality=70)
    return Image.open(io.BytesIO(out.getvalue()))


def images_pdf(images: list[Any], path: Path, dpi: int) -> Path:
    """Page images bound into a PDF with no text layer, as a scanner's PDF is (1-bit pages, CCITT G4)."""
    first, *rest = [_ink(image) for image in images]
    first.save(str(path), "PDF", resolution=dpi, save_all=True, append_images=rest)
    return path


def _ink(image: Any) -> Any:
    """Black and white, as office scanners save text pages; a colour page (a seal) is kept in colour, as JPEG."""
    if image.mode == "RGB":
        return image
    return image.point(lambda v: 255 if v > 160 else 0).convert("1")


def mixed_pdf(printed: Path, scanned_page: Any, path: Path, dpi: int) -> Path:
    """The printed PDF's first page (with its text layer), then a scanned page: an attachment scanned into a notice."""
    from pypdf import PdfReader, PdfWriter

    scan = io.BytesIO()
    _ink(scanned_page).save(scan, "PDF", resolution=dpi)
    writer = PdfWriter()
    writer.add_page(PdfReader(str(printed)).pages[0])
    writer.add_page(PdfReader(scan).pages[0])
    with open(path, "wb") as handle:
        writer.write(handle)
    return path
