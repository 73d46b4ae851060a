"""--output onto a stream is written in place; a replaced file keeps its mode and owner; a write-protected file,
a planted link or a planted file in a shared folder is refused; an extension yigai cannot write is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CITY, NATIONAL, SICHUAN

AS_ROOT = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                             reason="planting another user's file needs root (CI runs as root)")


def _yigai(*args: object, shell: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own (a shell redirection is needed for the streams)."""
    command = [sys.executable, "-m", "yigai_cli", *map(str, args)]
    if shell is not None:
        import shlex

        return subprocess.run(f"{shlex.join(command)} {shell}", shell=True, capture_output=True, text=True, cwd=cwd,
                              timeout=60)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=60)


@pytest.mark.parametrize("stream, redirect", [("/dev/stdout", ">>"), ("/dev/stderr", "2>>"), ("-", ">>"),
                                              ("/dev/fd/1", ">>")])
def test_a_log_the_shell_appends_to_keeps_what_it_held(tmp_path, stream, redirect):
    log = tmp_path / "log"
    log.write_text("earlier line\n", encoding="utf-8")
    inode = log.stat().st_ino
    result = _yigai("parse", CITY, "-f", "json", "-o", stream, shell=f"{redirect} {log}")
    assert result.returncode == 0, result.stderr
    with log.open("a", encoding="utf-8") as handle:  # the shell's later writes land in the same file
        handle.write("later line\n")
    text = log.read_text(encoding="utf-8")
    assert log.stat().st_ino == inode, "the log was replaced by a new file"
    assert text.startswith("earlier line\n{") and text.endswith("}\nlater line\n") and '"items"' in text
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".yigai-")]


@pytest.mark.parametrize("command", ["parse", "compare", "matrix", "check", "diff"])
def test_every_command_writes_a_pipe_in_place(command):
    args = {"parse": [CITY], "compare": [NATIONAL, CITY], "matrix": [NATIONAL, CITY], "check": [NATIONAL, CITY],
            "diff": [SICHUAN, CITY]}[command]
    result = _yigai(command, *args, "-f", "json", "-o", "/dev/stdout", shell="| cat")
    assert result.returncode == 0 and result.stdout.lstrip().startswith("{"), result.stderr


def test_report_to_a_stream_and_to_html_only(tmp_path):
    page = _yigai("report", NATIONAL, CITY, "-o", "-", shell=f"> {tmp_path / 'page'}")
    assert page.returncode == 0 and (tmp_path / "page").read_bytes().startswith(b"<!")
    for name in ("report.txt", "report.pdf", "report"):
        refused = _yigai("report", NATIONAL, CITY, "-o", tmp_path / name)
        assert refused.returncode == 2 and refused.stderr.count("\n") == 1
        assert "writes .html or .htm files only" in refused.stderr and not (tmp_path / name).exists()


@pytest.mark.parametrize("name", ["out.xls", "out.pdf", "out.docx", "out.doc", "out.html", "out.png", "out.zip"])
@pytest.mark.parametrize("command", ["parse", "compare", "matrix", "check", "diff", "vocab"])
def test_an_extension_yigai_cannot_write_is_refused(cli, tmp_path, command, name):
    args = {"parse": [CITY], "compare": [NATIONAL, CITY], "matrix": [NATIONAL, CITY], "check": [NATIONAL, CITY],
            "diff": [SICHUAN, CITY], "vocab": []}[command]
    result = cli(command, *args, "-o", tmp_path / name)
    suffix = Path(name).suffix
    assert result.status == 2 and result.err.count("\n") == 1, result.err
    assert f"yigai cannot write {suffix} files (this command writes .txt" in result.err or (
        f"yigai cannot write {suffix} files (this command writes " in result.err and ".txt" in result.err)
    assert list(tmp_path.iterdir()) == []


def test_a_replaced_file_keeps_its_mode(cli, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o604)
    assert cli("parse", CITY, "-o", out).status == 0
    assert out.stat().st_mode & 0o777 == 0o604 and out.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize("mode", [0o444, 0o400, 0o000])
def test_a_write_protected_file_is_refused(cli, tmp_path, mode):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(mode)
    result = cli("parse", CITY, "-o", out)
    out.chmod(0o644)
    assert (result.status, result.err) == (2, f"yigai: error: {out}: output is read-only (write-protected) "
                                              "(make it writable, or choose another --output)\n")
    assert out.read_text(encoding="utf-8") == "old"


@AS_ROOT
def test_a_replaced_file_keeps_its_owner(cli, tmp_path):
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    os.chown(out, 65534, 65534)
    out.chmod(0o640)
    assert cli("parse", CITY, "-o", out).status == 0
    info = out.stat()
    assert (info.st_uid, info.st_gid, info.st_mode & 0o777) == (65534, 65534, 0o640)


def _shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o1777)  # as /tmp: world-writable, sticky
    return folder


@AS_ROOT
@pytest.mark.parametrize("command", ["parse", "report"])
def test_a_link_another_user_planted_in_a_shared_folder_is_refused(cli, tmp_path, command):
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    victim.chmod(0o644)
    name = "out.html" if command == "report" else "out.json"
    link = _shared(tmp_path) / name
    link.symlink_to(victim)
    os.chown(link, 65534, 65534, follow_symlinks=False)
    args = ["report", NATIONAL, CITY] if command == "report" else ["parse", CITY]
    result = cli(*args, "-o", link)
    assert (result.status, result.err) == (2, f"yigai: error: {link}: output is a symbolic link another user owns in a "
                                              "shared folder (remove the link, or write into a folder of your own)\n")
    assert victim.read_text(encoding="utf-8") == "precious" and victim.stat().st_mode & 0o777 == 0o644


@AS_ROOT
def test_a_file_another_user_planted_in_a_shared_folder_is_refused(cli, tmp_path):
    planted = _shared(tmp_path) / "out.json"
    planted.write_text("theirs", encoding="utf-8")
    os.chown(planted, 65534, 65534)
    result = cli("parse", CITY, "-o", planted)
    assert result.status == 2 and "output is a file another user owns in a shared folder" in result.err
    assert planted.read_text(encoding="utf-8") == "theirs"


def test_ones_own_link_in_a_shared_folder_is_followed(cli, tmp_path):
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    link = _shared(tmp_path) / "out.json"
    link.symlink_to(target)
    assert cli("parse", CITY, "-o", link).status == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("{")
