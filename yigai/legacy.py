"""Old Word and WPS files (.doc, .wps: the binary Word 97 format, which WPS Office writes too), read through
LibreOffice: converted headless to .docx in a temporary folder, then read as a .docx (automatic numbering included).

LibreOffice was measured against antiword and catdoc on the Sichuan 2021 list saved as .doc: all three keep the
Chinese text, but only LibreOffice keeps Word's automatic item numbers ((一), (二), …), which the other two drop, and
without them a list has no items.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .errors import InputError

INSTALL = "install Debian's libreoffice-writer-nogui, or save the file as .docx"
# A task list saved as .doc is some hundred kilobytes; a larger file is many documents or mostly pictures.
MAX_BYTES = 10 * 1024 * 1024
# Seconds LibreOffice may take to convert one file (starting it takes a few; a damaged file can make it loop).
SECONDS = 60


def converter() -> str | None:
    """LibreOffice's program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def doc_text(data: bytes, name: str, suffix: str) -> str:
    """The text of a .doc or .wps file, as the .docx LibreOffice converts it to reads."""
    from .readers import docx_text

    kind = "WPS .wps" if suffix == ".wps" else "Word .doc"
    if len(data) > MAX_BYTES:
        raise InputError(name, f"is a {len(data) / 1024 / 1024:.1f} MB {kind} file, larger than the "
                         f"{MAX_BYTES // 1024 // 1024} MB yigai converts", "save it as .docx")
    program = converter()
    if program is None:
        raise InputError(name, f"is an old {kind} file: reading it needs LibreOffice, which is not installed", INSTALL)
    with tempfile.TemporaryDirectory(prefix="yigai-doc-") as folder:
        converted = _convert(program, data, Path(folder), name, kind)
        return docx_text(converted, name)


def _convert(program: str, data: bytes, folder: Path, name: str, kind: str) -> bytes:
    source = folder / "document.doc"
    source.write_bytes(data)
    command = [
        program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",  # a profile of its own: runs never share one
        "--headless", "--norestore", "--nolockcheck", "--infilter=MS Word 97",  # damaged bytes never read as plain text
        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(source),
    ]
    # its own process group, so that on a time limit LibreOffice's helper processes end with it
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env={**os.environ, "HOME": str(folder)})
    try:
        process.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        raise InputError(name, f"LibreOffice took longer than {SECONDS} s to convert this {kind} file",
                         "open it in Word or WPS and save it as .docx") from None
    finally:
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended meanwhile
                pass
            process.wait()
    converted = folder / "out" / "document.docx"
    if not converted.is_file() or converted.stat().st_size == 0:
        raise InputError(name, f"is not a readable {kind} file (LibreOffice could not convert it)",
                         "open it in Word or WPS and save it as .docx")
    return converted.read_bytes()
