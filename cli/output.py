"""Writing results: to stdout, or to a file whole-or-nothing, never onto an input."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from yigai.errors import InputError


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


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` atomically (a temp file renamed into place)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    parent = output.parent if str(output.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(str(output), f"cannot write output: {exc.strerror or exc}", "check the path") from None
