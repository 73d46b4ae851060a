"""Writing results: to stdout, or to a file whole-or-nothing, never onto a file yigai reads.

One guard serves every file yigai writes (--output, the GitHub step summary, any report):

- it is never an input document, a --vocab or a --decisions file, however the path is spelled
  (`./x.txt`, `a/../x.txt`, a hard or symbolic link, `x.txt#1`): paths are compared resolved, and by inode;
- a symbolic link is followed: the file it points to is written (the link stays), unless that file is
  one of the above; a link that points nowhere is refused;
- a stream is written in place, never replaced: `-`, `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, a device, a
  pipe or a terminal (`-o /dev/stdout >> log` appends to `log`, as the shell asked);
- a regular file is written to a temporary file in the same folder and renamed into place, so it is
  whole or untouched; it keeps the mode (and, where permitted, the owner) of the file it replaces, or gets
  the usual ones (umask); a write-protected file (no write permission, 0444) is refused, as the shell's `>` would;
- in a world-writable sticky folder (/tmp), a link or a file owned by another user (and not by the folder's
  owner) is refused, as the kernel's protected_symlinks and protected_regular refuse them: another user may
  have planted it there to make yigai write elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

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


# Extensions of files yigai never writes (documents, office files, pages, images, archives): text or a workbook
# under such a name is a file its program cannot open, or one that opens as something else.
FOREIGN = frozenset(
    ".xls .xlsm .xlsb .xlt .xltx .ods .et .ett .numbers .pdf .ofd .doc .docx .docm .dot .dotx .odt .rtf .wps .wpt "
    ".pages .ppt .pptx .odp .dps .html .htm .xhtml .shtml .mht .mhtml .epub .png .jpg .jpeg .gif .bmp .tif .tiff .webp "
    ".svg .zip .gz .tgz .bz2 .xz .zst .7z .rar .tar .exe .dll .so".split()
)


def refuse_foreign(output: Path | None, writes: tuple[str, ...]) -> None:
    """Refuse an --output whose extension names a format yigai cannot write; `writes`: the extensions it can."""
    if output is None or is_stream(output):
        return
    suffix = output.suffix.lower()
    if suffix in FOREIGN and suffix not in writes:
        raise InputError(str(output), f"yigai cannot write {suffix} files",
                         f"this command writes {', '.join(writes)}: name the file so")


def writable_suffixes(offered: tuple[str, ...]) -> tuple[str, ...]:
    """The extensions a command writes, given the formats it offers (`.txt` for any text)."""
    found = [_SUFFIX[f] for f in offered if f in _SUFFIX]
    return tuple(dict.fromkeys([*found, ".txt"]))


def resolve_format(given: str | None, output: Path | None, offered: tuple[str, ...], default: str) -> str:
    """The output format: as given, else what --output's extension says, else the default.

    A format the extension contradicts (`-f table -o c.xlsx`), or an extension no format has (`-o c.pdf`), is
    refused: never a silently wrong file."""
    if output is None:
        return given or default
    refuse_foreign(output, writable_suffixes(offered))
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
    """Files yigai reads in this run, which it must never write: named as given, looked at when asked (device and
    inode), not held resolved: a run may read 30,000 files, and it asks about one or two outputs."""

    named: tuple[tuple[Sequence[str], str], ...]  # (files, what they are: "an input file", "the --vocab file")

    def _files(self) -> Iterator[tuple[str, str, os.stat_result]]:
        for names, what in self.named:
            for ref in names:
                for name in _spellings(str(ref)) if what == _INPUT else [str(ref)]:
                    info = _stat(name)
                    if info is not None and stat.S_ISREG(info.st_mode):
                        yield name, what, info

    def why(self, path: str) -> str | None:
        """What `path` is, when it names a protected file: the same device and inode (whatever path, link or hard
        link leads there; a path that names no file names none of them). Resolving every input's path as well
        cost four system calls a file, and found nothing more."""
        info = _stat(path)
        if info is not None:
            for _, what, found in self._files():
                if (found.st_dev, found.st_ino) == (info.st_dev, info.st_ino):
                    return what
        return None


_INPUT = "an input file"


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
    return Protected(((tuple(inputs), _INPUT), (tuple(str(p) for p in vocab), "the --vocab file"),
                      (tuple(str(p) for p in decisions), "the --decisions file")))


STDOUT = "-"  # --output - : standard output

# Paths that name an open file descriptor of this process: writing them must reuse that descriptor's file as it is
# (opened by the shell with `>>`, a pipe, a terminal), never replace it.
_DESCRIPTOR = re.compile(r"^/(?:dev/(?:stdout|stderr|stdin|fd/\d+)|proc/(?:self|thread-self|\d+)(?:/task/\d+)?/fd/\d+)$")


def _link_chain(name: str) -> list[str]:
    """`name` and each path its symbolic links lead to in turn (absolute, folders resolved), up to 40 hops."""
    path = os.path.abspath(name)
    chain = [path]
    for _ in range(40):
        try:
            folder = os.path.realpath(os.path.dirname(path))
            path = os.path.join(folder, os.path.basename(path))
            if path != chain[-1]:
                chain.append(path)
            if not os.path.islink(path):
                break
            path = os.path.normpath(os.path.join(folder, os.readlink(path)))
            chain.append(path)
        except (OSError, ValueError):
            break
    return chain


def is_stream(path: Path | str) -> bool:
    """Whether `path` is written in place: `-`, a descriptor (/dev/stdout, /dev/fd/3), or anything not a regular file
    (a device, a pipe, a terminal, a socket)."""
    name = str(path)
    if name == STDOUT:
        return True
    info = _stat(name)
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        return True
    return any(_DESCRIPTOR.match(hop) for hop in _link_chain(name))


def _std_stream(name: str) -> int | None:
    """1 or 2 when `name` is standard output or standard error (the same open file), else None."""
    if name == STDOUT:
        return 1
    info = _stat(name)
    for fd in (1, 2):
        try:
            open_file = os.fstat(fd)
        except OSError:
            continue
        if info is not None and (info.st_dev, info.st_ino) == (open_file.st_dev, open_file.st_ino):
            return fd
    return None


def _planted(path: str, info: os.stat_result, euid: int) -> bool:
    """A link or file another user may have planted: in a world-writable sticky folder, owned neither by us nor
    by the folder's owner (the kernel's protected_symlinks / protected_regular rule)."""
    folder = _stat(os.path.dirname(path) or ".")
    if folder is None or not (folder.st_mode & stat.S_ISVTX and folder.st_mode & stat.S_IWOTH):
        return False
    return info.st_uid not in (euid, folder.st_uid)


def _check_owner(name: str, role: str, refuse) -> None:  # type: ignore[no-untyped-def]
    """Refuse a planted link or file in a shared folder, and a write-protected file (see the module's docstring)."""
    euid = os.geteuid() if hasattr(os, "geteuid") else 0
    for hop in _link_chain(name):
        try:
            info = os.lstat(hop)
        except (OSError, ValueError):
            continue
        if stat.S_ISLNK(info.st_mode) and _planted(hop, info, euid):
            raise refuse(f"{role} is a symbolic link another user owns in a shared folder",
                         "remove the link, or write into a folder of your own")
        if stat.S_ISREG(info.st_mode):
            if _planted(hop, info, euid):
                raise refuse(f"{role} is a file another user owns in a shared folder",
                             "remove it, or write into a folder of your own")
            if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(hop, os.W_OK):
                raise refuse(f"{role} is read-only (write-protected)", "make it writable, or choose another --output")


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

    if name == STDOUT:
        return
    info = _stat(name)  # follows links as the kernel does (/dev/stdout -> /proc/self/fd/1 -> a pipe)
    if info is None and os.path.islink(name):
        raise refuse(f"{role} is a symbolic link to a missing file", "remove the link or name another file")
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise refuse(f"{role} is a directory", "name a file")
    what = protected.why(name)
    if what is not None:
        raise refuse(f"{role} would overwrite {what}", "choose another --output")
    if is_stream(name):
        if info is not None and not os.access(name, os.W_OK):
            raise refuse(f"cannot write {role}: permission denied", "check the permissions")
        return  # a device, a pipe, a descriptor: written in place
    _check_owner(name, role, refuse)
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


def _keep_owner(tmp: str, target: str) -> None:
    """The replacement keeps the owner and group of the file it replaces, where the user may give them."""
    info = _stat(target)
    if info is None or not hasattr(os, "chown"):
        return
    try:
        os.chown(tmp, info.st_uid, info.st_gid)
    except OSError:  # not root: a file of one's own stays one's own
        pass


@contextmanager
def _in_place(name: str) -> Iterator[Callable[[bytes], object]]:
    """Write to a stream as it is open: stdout/stderr through their descriptor (what the shell opened with `>>`
    stays appended to), anything else opened without truncating or creating."""
    fd = _std_stream(name)
    if fd is not None:
        stream = sys.stdout if fd == 1 else sys.stderr
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            yield buffer.write
            buffer.flush()
        else:  # a text stream without bytes (a test's capture)
            yield lambda data: stream.write(data.decode("utf-8", "replace"))
            stream.flush()
        return
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    if not stat.S_ISCHR((_stat(name) or os.stat_result((0,) * 10)).st_mode):
        flags |= os.O_APPEND  # a descriptor the shell opened with `>` is at its end anyway; `>>` must stay so
    with open(os.open(name, flags), "wb") as handle:
        yield handle.write


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
    with writing_file(path, role) as write:
        write(data)


@contextmanager
def writing_file(path: Path, role: str = "output") -> Iterator[Callable[[bytes], object]]:
    """Write `path` piece by piece, as write_file writes it whole: devices and pipes as the pieces come, a regular
    file to a temporary file renamed into place once the last piece is in (removed if anything fails before)."""
    name = str(path)
    target = os.path.realpath(name)

    def failed(exc: OSError) -> InputError:
        return InputError(name, f"cannot write {role}: {exc.strerror or type(exc).__name__}", "check the path")

    try:
        stream = is_stream(name)
        if not stream:
            _check_owner(name, role, lambda problem, fix: InputError(name, problem, fix))  # again: a link planted since
            # A short temporary name: one derived from a long output name would pass the file system's limit.
            fd, tmp = tempfile.mkstemp(prefix=".yigai-", suffix=".tmp", dir=os.path.dirname(target) or ".")
    except OSError as exc:
        raise failed(exc) from None
    if stream:
        try:
            with _in_place(name) as write:
                yield write
        except OSError as exc:
            raise failed(exc) from None
        return
    try:
        with os.fdopen(fd, "wb", buffering=1 << 16) as handle:  # (pieces of a few KB: a system call every 64 KB)
            yield handle.write
        _keep_owner(tmp, target)  # before the mode: a change of owner clears set-id bits
        os.chmod(tmp, _mode_for(target))  # mkstemp makes the file private; an output is an ordinary file
        os.replace(tmp, target)
    except BaseException as exc:  # an error, or SIGINT/SIGTERM: no temporary file is left behind
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise failed(exc) from None
        raise


def emit(text: str, output: Path | None) -> None:
    """Print `text`, or write it to `output` as UTF-8 (see write_file); `emitting` says how."""
    with emitting(output) as write:
        write(text)


@contextmanager
def emitting(output: Path | None) -> Iterator[Callable[[str], None]]:
    """`emit`, piece by piece: what the pieces make together is written as `emit` writes their whole text (the same
    bytes), without that text ever being held; a file is written whole or not at all."""
    last = [""]  # the last character written: a stream's text ends with a line break
    if output is None or str(output) == STDOUT:
        from .formats.cells import visible

        tty, held = sys.stdout.isatty(), [""]

        def shown(piece: str) -> None:
            if piece:
                sys.stdout.write(piece)
                last[0] = piece[-1]

        def console(piece: str) -> None:
            piece = for_console(piece)
            if tty:  # as emit: escape sequences shown, \r\n as \n (a \r at a piece's end waits for the next piece)
                piece = held[0] + piece
                held[0] = "\r" if piece.endswith("\r") else ""
                piece = visible(piece[: len(piece) - len(held[0])].replace("\r\n", "\n"), "\t\n")
            shown(piece)

        yield console
        shown(visible(held[0], "\t\n"))
        if last[0] != "\n":
            sys.stdout.write("\n")
        return
    with writing_file(output) as write:

        def encoded(piece: str) -> None:
            if piece:
                write(piece.encode("utf-8", "replace"))
                last[0] = piece[-1]

        yield encoded
        if is_stream(output) and last[0] != "\n":
            write(b"\n")  # a stream reads on (`>> log`): the next writer starts on a line of its own


def emit_bytes(data: bytes, output: Path | None, what: str) -> None:
    """A binary file (an xlsx workbook) to `output` (see write_file), or to stdout when that is not a terminal."""
    if output is None or str(output) == STDOUT:
        if sys.stdout.isatty():
            raise InputError("-", f"{what} is a binary file", "write it with --output FILE.xlsx")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(data, output)


def emit_file(handle: BinaryIO, output: Path | None, what: str) -> None:
    """emit_bytes for a file made in a temporary file (an xlsx workbook): copied from its start, a piece at a time."""
    if output is None or str(output) == STDOUT:
        if sys.stdout.isatty():
            raise InputError("-", f"{what} is a binary file", "write it with --output FILE.xlsx")
        sys.stdout.flush()
        handle.seek(0)
        shutil.copyfileobj(handle, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    with writing_file(output) as write:
        handle.seek(0)
        while piece := handle.read(1 << 20):
            write(piece)


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
