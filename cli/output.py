"""Writing results: to stdout, or to a file whole-or-nothing, never onto an input."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from yigai.errors import InputError

# What each file extension says the file holds; `.txt` holds any text format.
EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "markdown", ".markdown": "markdown", ".xlsx": "xlsx",
              ".xml": "junit", ".txt": "text", ".yaml": "yaml", ".yml": "yaml"}
# What an extension means for a command that names that format otherwise (compare writes YAML as `decisions`).
_ALIASES = {"yaml": "decisions"}
_SUFFIX = {"table": ".txt", "text": ".txt", "github": ".txt", "json": ".json", "csv": ".csv", "markdown": ".md",
           "xlsx": ".xlsx", "junit": ".xml", "decisions": ".yaml", "yaml": ".yaml"}
TEXT_FORMATS = {"table", "text", "json", "csv", "markdown", "junit", "github", "decisions", "yaml"}

# Grade marks a GBK console can print (✓ ◐ ✗ are not in GBK; √ ○ × are).
_LEGACY_MARKS = str.maketrans({"✓": "√", "◐": "○", "✗": "×", "✎": "*", "⊘": "-"})


def resolve_format(given: str | None, output: Path | None, offered: tuple[str, ...], default: str) -> str:
    """The output format: as given, else what --output's extension says, else the default.

    A format the extension contradicts (`-f table -o c.xlsx`) is refused: never a silently wrong file."""
    if output is None:
        return given or default
    implied = EXTENSIONS.get(output.suffix.lower())
    if implied is not None and implied not in offered and _ALIASES.get(implied) in offered:
        implied = _ALIASES[implied]
    if given is None:
        if implied is None or implied == "text":
            return default
        if implied not in offered:
            raise InputError(str(output), f"a {output.suffix} file, but this command writes no {implied}",
                             f"use --format {'|'.join(offered)} and a matching file name")
        return implied
    if implied is None or implied == given:
        return given
    if implied == "text" and given in TEXT_FORMATS:
        return given
    rename = f"name the file {_SUFFIX[given]}"
    raise InputError(str(output), f"--format {given} does not match the {output.suffix} extension",
                     f"drop --format to write {implied}, or {rename}" if implied in offered else rename)


def check_output_path(output: Path | None, inputs: list[str]) -> None:
    """Refuse, before any work, an output that cannot be written or would overwrite an input."""
    if output is None:
        return
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(str(output), "output directory does not exist", "create it first")
    if output.is_dir():
        raise InputError(str(output), "output is a directory", "name a file")
    for name in inputs:
        path = Path(name.split("#")[0]) if not Path(name).exists() else Path(name)
        if path.exists() and output.exists() and path.resolve() == output.resolve():
            raise InputError(str(output), "output would overwrite an input file", "choose another --output")


def stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "")
    return encoding.startswith(("utf", "gb18030"))


def for_console(text: str) -> str:
    """Text for stdout: grade marks the console's encoding cannot print become √ ○ ×."""
    return text if stdout_is_unicode() else text.translate(_LEGACY_MARKS)


def tolerate_console_encoding() -> None:
    """A GBK console (or file redirected under PYTHONIOENCODING=gbk) gets `?` for what it cannot encode,
    never an exception halfway through a table."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "utf-8").lower()
        if not encoding.replace("-", "").startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def _write_atomically(data: bytes, output: Path) -> None:
    parent = output.parent if str(output.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; an output is an ordinary file
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(str(output), f"cannot write output: {exc.strerror or exc}", "check the path") from None


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` (UTF-8) atomically (a temp file renamed into place)."""
    if output is None:
        text = for_console(text)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    _write_atomically(text.encode("utf-8"), output)


def emit_bytes(data: bytes, output: Path | None, what: str) -> None:
    """A binary file (an xlsx workbook) to `output`, or to stdout when that is not a terminal."""
    if output is None:
        if sys.stdout.isatty():
            raise InputError("-", f"{what} is a binary file", "write it with --output FILE.xlsx")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    _write_atomically(data, output)
