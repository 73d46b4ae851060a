"""Writing results: to stdout, or to a file whole-or-nothing, never onto a file yigai reads.

One guard serves every file yigai writes (--output, the GitHub step summary, any report):

- it is never an input document, a --vocab or a --decisions file, however the path is spelled
  (`./x.txt`, `a/../x.txt`, a hard or symbolic link, `x.txt#1`): paths are compared resolved, and by inode;
- a symbolic link is followed: the file it points to is written (the link stays), unless that file is
  one of the above; a link that points nowhere is refused;
- a device, a pipe or stdout (`/dev/null`, `/dev/stdout`) is written directly;
- a regular file is written to a temporary file in the same folder and renamed into place, so it is
  whole or untouched; it keeps the permissions of the file it replaces, or gets the usual ones (umask).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
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


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):  # missing, a name too long, a NUL byte: not a file we read
        return None


@dataclass(frozen=True)
class Protected:
    """Files yigai reads in this run, which it must never write: resolved paths and (device, inode)."""

    paths: dict[str, str]  # resolved path -> what it is ("an input file", "the --vocab file")
    inodes: dict[tuple[int, int], str]

    def why(self, path: str) -> str | None:
        """What `path` is, when it names a protected file."""
        found = self.paths.get(os.path.realpath(path))
        info = _stat(path)
        if found is None and info is not None:
            found = self.inodes.get((info.st_dev, info.st_ino))
        return found


def _spellings(ref: str) -> list[str]:
    """Every file a document ref may name: `a#b.txt#1` is `a#b.txt#1`, `a#b.txt` or `a`."""
    found = [ref]
    at = ref.find("#")
    while at >= 0:
        found.append(ref[:at])
        at = ref.find("#", at + 1)
    return found


def protected_files(inputs: Iterable[str], vocab: Iterable[Path | str] = (), decisions: Iterable[Path | str] = ()) -> Protected:
    """The files of this run that no output may replace."""
    paths: dict[str, str] = {}
    inodes: dict[tuple[int, int], str] = {}
    named = [(s, "an input file") for ref in inputs for s in _spellings(str(ref))]
    named += [(str(p), "the --vocab file") for p in vocab]
    named += [(str(p), "the --decisions file") for p in decisions]
    for name, what in named:
        info = _stat(name)
        if info is None or not stat.S_ISREG(info.st_mode):
            continue
        paths.setdefault(os.path.realpath(name), what)
        inodes.setdefault((info.st_dev, info.st_ino), what)
    return Protected(paths, inodes)


def _name_max(folder: str) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255


def check_writable(path: Path, protected: Protected, role: str = "output", hint: str | None = None) -> None:
    """Refuse, before any work, a file that cannot be written or is one yigai reads.

    `hint`, when given, replaces every what-to-do (the step summary's fix is always its variable)."""
    name = str(path)

    def refuse(problem: str, fix: str) -> InputError:
        return InputError(name, problem, hint or fix)

    info = _stat(name)  # follows links as the kernel does (/dev/stdout -> /proc/self/fd/1 -> a pipe)
    if info is None and os.path.islink(name):
        raise refuse(f"{role} is a symbolic link to a missing file", "remove the link or name another file")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise refuse(f"{role} is a directory", "name a file")
    what = protected.why(name)
    if what is not None:
        raise refuse(f"{role} would overwrite {what}", "choose another --output")
    if info is not None and not stat.S_ISREG(info.st_mode):
        if not os.access(name, os.W_OK):
            raise refuse(f"cannot write {role}: permission denied", "check the permissions")
        return  # a device or a pipe: written directly
    target = os.path.realpath(name)
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise refuse(f"{role} directory does not exist", "create it first")
    size, most = len(os.fsencode(os.path.basename(target))), _name_max(folder)
    if size > most:
        raise refuse(f"{role} file name is {size} bytes, longer than the file system allows ({most})", "choose a shorter name")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise refuse(f"cannot write {role}: its folder is not writable", "choose a folder you can write to")


def check_output_path(output: Path | None, inputs: list[str], vocab: Iterable[Path | str] = (),
                      decisions: Iterable[Path | str] = ()) -> None:
    """Refuse, before any work, an --output that cannot be written or would overwrite a file yigai reads."""
    if output is not None:
        check_writable(output, protected_files(inputs, vocab, decisions))


def _mode_for(target: str) -> int:
    info = _stat(target)
    if info is not None:
        return stat.S_IMODE(info.st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


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


def write_file(data: bytes, path: Path, role: str = "output") -> None:
    """Write `data` to `path`: devices and pipes directly, regular files whole (temp file renamed into place)."""
    name = str(path)
    info = _stat(name)
    target = os.path.realpath(name)
    try:
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(name, "wb") as handle:
                handle.write(data)
            return
        # A short temporary name: one derived from a long output name would pass the file system's limit.
        fd, tmp = tempfile.mkstemp(prefix=".yigai-", suffix=".tmp", dir=os.path.dirname(target) or ".")
    except OSError as exc:
        raise InputError(name, f"cannot write {role}: {exc.strerror or type(exc).__name__}", "check the path") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _mode_for(target))  # mkstemp makes the file private; an output is an ordinary file
        os.replace(tmp, target)
    except BaseException as exc:  # an error, or SIGINT/SIGTERM: no temporary file is left behind
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise InputError(name, f"cannot write {role}: {exc.strerror or type(exc).__name__}", "check the path") from None
        raise


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` as UTF-8 (see write_file)."""
    if output is None:
        text = for_console(text)
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    write_file(text.encode("utf-8"), output)


def emit_bytes(data: bytes, output: Path | None, what: str) -> None:
    """A binary file (an xlsx workbook) to `output` (see write_file), or to stdout when that is not a terminal."""
    if output is None:
        if sys.stdout.isatty():
            raise InputError("-", f"{what} is a binary file", "write it with --output FILE.xlsx")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(data, output)


SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


def summary_path(protected: Protected) -> Path | None:
    """The GitHub step summary file, checked like an output; None when the variable is unset."""
    value = os.environ.get(SUMMARY_VARIABLE)
    if not value:
        return None
    path = Path(value)
    check_writable(path, protected, role="step summary", hint=f"check {SUMMARY_VARIABLE}")
    return path


def append_summary(text: str, path: Path) -> None:
    """Append to the step summary (GitHub collects what every step appends, so it is not replaced)."""
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(str(path), f"cannot write step summary: {exc.strerror or type(exc).__name__}",
                         f"check {SUMMARY_VARIABLE}") from None
