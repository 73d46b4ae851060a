"""The results cache (yigai.cache): a re-run reads and aligns only what changed, gives the same output as a run
without it, and a damaged, locked, deleted, read-only or full cache never fails or changes a run."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
from importlib import import_module
from pathlib import Path

import pytest
import yaml

from yigai.align import Grade, align
from yigai.cache import FILE_NAME, ColumnCache, Store, decode_columns, encode_columns
from yigai.decisions import load_decisions, to_yaml
from yigai.documents import read_document, read_ref
from yigai.matrix import matrix
from yigai.vocab import load_vocabulary

from .conftest import CITY, NATIONAL, NATIONAL_PAGE, SAMPLES

ROOT = Path(__file__).resolve().parent.parent
TROUBLE = "yigai: warning: cache "  # how a cache that cannot be used is reported
matrix_module = import_module("yigai.matrix")  # (`import yigai.matrix as m` names the function yigai.matrix)


@pytest.fixture(scope="module")
def national():
    return read_document(NATIONAL)


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.fixture
def folder(tmp_path):
    """The sample lists (the national page too: matrix finds it among the locals) in a folder of their own."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, docs / path.name)
    return docs


def _refs(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir())


def _cache_file() -> Path:
    return Path(os.environ["YIGAI_CACHE_DIR"]) / FILE_NAME


@pytest.fixture
def counted(monkeypatch):
    """The refs matrix reads and aligns itself (in this process: fewer refs than start a pool)."""
    seen: list[str] = []
    real = matrix_module._columns_of

    def counting(ref, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(ref)
        return real(ref, *args, **kwargs)

    monkeypatch.setattr(matrix_module, "_columns_of", counting)
    return seen


def _decisions_file(tmp_path: Path, vocabulary) -> Path:  # type: ignore[no-untyped-def]
    """Decisions on the city draft: its pairs confirmed, the first rejected, and one stale entry (a warning)."""
    alignment = align(read_document(NATIONAL), read_document(str(CITY)), vocabulary)
    data = yaml.safe_load(to_yaml(alignment))
    data["decisions"][0]["action"] = "reject"
    data["decisions"].append({"action": "reject", "national": {"index": 1}, "local": {"title": "一项已经删掉的任务"}})
    path = tmp_path / "city.decisions.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# -- a kept column is the computed one


def test_a_kept_column_equals_the_computed_one(national, vocabulary, tmp_path):
    decisions = (load_decisions(_decisions_file(tmp_path, vocabulary)),)
    refs = [str(CITY), str(SAMPLES / "sichuan-2021.txt"), str(SAMPLES / "provinces-2024-roundup.txt"), f"{NATIONAL_PAGE}#2"]
    for ref in refs:
        computed = matrix_module._columns_of(ref, national, vocabulary, decisions)
        assert computed
        assert decode_columns(encode_columns(computed)) == computed
    city = matrix_module._columns_of(str(CITY), national, vocabulary, decisions)[0]
    assert any(c.decision is not None for c in city.cells) and city.warnings  # the round trip above carried both
    assert len({g.value[0] for g in Grade}) == len(Grade)  # a grade is stored as its first letter


def test_a_warm_run_aligns_nothing_and_equals_a_cold_one(national, vocabulary, folder, counted):
    refs = _refs(folder)
    cold = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    assert len(counted) == len(refs)
    counted.clear()
    warm_cache = ColumnCache(Store(), national)
    warm = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=warm_cache)
    assert counted == []  # (the copy of the national page is not the national document's file: kept too)
    assert warm_cache.hits == len(refs)
    assert warm == cold == matrix(national, refs, vocabulary=vocabulary, workers=1)


def test_only_the_changed_document_is_aligned_again(national, vocabulary, folder, counted):
    refs = _refs(folder)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    changed = folder / "city-2023-draft.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "9.推进紧密型县域医共体建设。\n", encoding="utf-8")
    counted.clear()
    warm = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    assert counted == [str(changed)]
    assert warm == matrix(national, refs, vocabulary=vocabulary, workers=1)


def test_every_input_that_decides_a_column_is_in_its_key(national, vocabulary, tmp_path):
    store = Store()
    ref = str(CITY)

    def key(**given) -> str | None:  # type: ignore[no-untyped-def]
        return ColumnCache(store, given.pop("national", national), **given)._key(ref)

    extra = tmp_path / "extra.yaml"
    extra.write_text("instruments:\n  - name: 互联网医院\n    topic: 医疗服务\n", encoding="utf-8")
    decisions = _decisions_file(tmp_path, vocabulary)
    base = key()
    assert base is not None and base == key()
    others = {key(vocab_files=[str(extra)]), key(decisions=[load_decisions(decisions)]),
              key(national=read_document(f"{NATIONAL_PAGE}#2"))}
    extra.write_text("instruments:\n  - name: 互联网医院\n    topic: 医疗卫生\n", encoding="utf-8")
    others.add(key(vocab_files=[str(extra)]))
    assert base not in others and len(others) == 4
    copy = tmp_path / CITY.name
    shutil.copy(CITY, copy)
    assert ColumnCache(store, national)._key(str(copy)) != base  # the same bytes under another name
    assert ColumnCache(store, national, detail=True).known([ref]) == set()  # detail (the report): not kept


def test_what_is_never_kept(national, tmp_path):
    cache = ColumnCache(Store(), national)
    assert cache._key("-") is None
    assert cache._key("https://example.org/list.txt") is None
    assert cache._key(NATIONAL) is None  # the national document's file
    assert cache._key(str(tmp_path / "missing.txt")) is None  # reading it says why
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert cache._key(str(fifo)) is None  # (and not opened: that would block)
    scan = tmp_path / "scan.txt"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert cache._key(str(scan)) is None  # read by OCR, whose engine is not in the key


def test_the_cache_holds_no_document_text(national, vocabulary, folder):
    refs = _refs(folder)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    stored = b"".join(row[0] for row in sqlite3.connect(_cache_file()).execute("SELECT value FROM results"))
    assert stored
    texts = [item.text for ref in refs for document in read_ref(ref) for item in document.items if len(item.text) >= 12]
    assert texts
    assert not [t for t in texts if t[:12].encode() in stored or t[-12:].encode() in stored]


# -- the command line


def test_matrix_output_is_byte_identical_warm_cold_and_without_cache(cli, folder, tmp_path):
    args = ("matrix", NATIONAL, folder, "--format", "json")
    cold, warm = cli(*args), cli(*args)
    assert _cache_file().is_file()
    info = cli("cache", "info", "--format", "json").json()
    assert info["entries"] == len(_refs(folder)) and info["path"] == str(_cache_file())
    fresh = cli(*args, "--no-cache")
    assert cold.status == warm.status == fresh.status == 0
    assert cold.out == warm.out == fresh.out and cold.err == warm.err == fresh.err
    for fmt in ("csv", "markdown", "table"):
        assert cli("matrix", NATIONAL, folder, "--format", fmt).out == cli("matrix", NATIONAL, folder, "--format", fmt,
                                                                             "--no-cache").out


def test_no_cache_neither_reads_nor_writes(cli, folder):
    assert cli("matrix", NATIONAL, folder, "--format", "json", "--no-cache").status == 0
    assert not _cache_file().exists()


def test_cache_info_and_clear(cli, folder):
    empty = cli("cache", "info")
    assert empty.status == 0 and "(none yet)" in empty.out and "entries: 0" in empty.out
    cli("matrix", NATIONAL, folder, "--format", "json")
    shown = cli("cache", "info")
    assert str(_cache_file()) in shown.out and f"entries: {len(_refs(folder))}" in shown.out
    cleared = cli("cache", "clear")
    assert cleared.status == 0 and cleared.out.startswith("cleared ")
    assert not _cache_file().exists() and cli("cache", "info", "-f", "json").json()["entries"] == 0


def test_cache_info_on_a_damaged_file_says_so_in_one_line_and_clear_still_works(cli):
    _cache_file().parent.mkdir(parents=True, exist_ok=True)
    _cache_file().write_bytes(b"not a database " * 200)
    info = cli("cache", "info")
    assert info.status == 2 and info.err.count("\n") == 1 and info.err.startswith("yigai: error: ")
    assert "cache clear" in info.err
    assert cli("cache", "clear").status == 0 and not _cache_file().exists()


def test_the_cache_folder_comes_from_the_environment_else_the_platform(monkeypatch, tmp_path):
    from yigai.cache import folder

    monkeypatch.setenv("YIGAI_CACHE_DIR", str(tmp_path / "mine"))
    assert folder() == tmp_path / "mine"
    monkeypatch.delenv("YIGAI_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert folder() == tmp_path / "xdg" / "yigai"


# -- a cache that cannot be used: one warning, the same output


def _bypassed(cli, folder, expected: str, *args: object) -> str:  # type: ignore[no-untyped-def]
    """Run matrix on a troubled cache: the output of a run without it, and one warning line; return it."""
    result = cli("matrix", NATIONAL, folder, "--format", "json", *args)
    assert result.status == 0, result.err
    assert result.out == expected
    warnings = [line for line in result.err.splitlines() if line.startswith(TROUBLE)]
    assert len(warnings) == 1, result.err
    assert "yigai cache clear" in warnings[0]
    return warnings[0]


@pytest.fixture
def expected(cli, folder):  # type: ignore[no-untyped-def]
    return cli("matrix", NATIONAL, folder, "--format", "json", "--no-cache").out


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed-middle"])
def test_a_damaged_cache_file_is_bypassed(cli, folder, expected, damage):
    cli("matrix", NATIONAL, folder, "--format", "json")
    path = _cache_file()
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x5a" * len(data))
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    else:  # the pages between the header and the end
        path.write_bytes(data[:4096] + b"\0" * (len(data) - 8192) + data[-4096:])
    warning = _bypassed(cli, folder, expected)
    assert str(path) in warning
    _bypassed(cli, folder, expected)  # every run says so, until the cache is cleared
    cli("cache", "clear")
    rebuilt = cli("matrix", NATIONAL, folder, "--format", "json")
    assert rebuilt.out == expected and TROUBLE not in rebuilt.err


def test_a_damaged_result_is_caught_by_its_checksum(cli, folder, expected):
    cli("matrix", NATIONAL, folder, "--format", "json")
    with sqlite3.connect(_cache_file()) as connection:  # a result altered, its checksum not: a flipped bit
        connection.execute("UPDATE results SET value = CAST(replace(value, '\"f', '\"n') AS BLOB)")
    assert "checksum" in _bypassed(cli, folder, expected)


def test_a_locked_cache_is_bypassed(cli, folder, expected):
    cli("matrix", NATIONAL, folder, "--format", "json")
    holder = sqlite3.connect(_cache_file(), isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM results")  # not committed: the run must neither see it nor wait for it
    try:
        assert "locked" in _bypassed(cli, folder, expected)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_file_in_place_of_the_folder_is_bypassed(cli, folder, expected, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("YIGAI_CACHE_DIR", str(blocker))
    _bypassed(cli, folder, expected)
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_folder_that_cannot_be_created_is_bypassed(cli, folder, expected, monkeypatch):
    monkeypatch.setenv("YIGAI_CACHE_DIR", "/proc/yigai-cache")  # /proc takes no new folders, whoever asks
    _bypassed(cli, folder, expected)


def _read_only(paths: list[Path], on: bool) -> bool:
    """Make files and folders read-only (or writable again); for root, whom permissions do not stop, by the
    immutable attribute (chattr). False when that cannot be done here."""
    if os.geteuid() != 0:
        for path in paths:
            path.chmod((0o555 if path.is_dir() else 0o444) if on else (0o755 if path.is_dir() else 0o644))
        return True
    if shutil.which("chattr") is None:
        return False
    done = subprocess.run(["chattr", "+i" if on else "-i", *map(str, paths)], capture_output=True)
    return done.returncode == 0


def test_a_read_only_cache_is_bypassed(cli, folder, expected):
    cli("matrix", NATIONAL, folder, "--format", "json")
    (folder / "city-2023-draft.txt").write_text("1.推进紧密型县域医共体建设。\n2.深化药品集中带量采购。\n", encoding="utf-8")
    expected = cli("matrix", NATIONAL, folder, "--format", "json", "--no-cache").out
    path = _cache_file()
    locked = [path, path.parent]
    if not _read_only(locked, True):
        _read_only(locked, False)
        pytest.skip("root here cannot make a file read-only (no chattr +i)")
    try:
        _bypassed(cli, folder, expected)
    finally:
        _read_only(locked, False)
    assert cli("matrix", NATIONAL, folder, "--format", "json").out == expected  # writable again: used again


def test_a_full_disk_is_bypassed(folder, tmp_path):
    """A file-size limit (RLIMIT_FSIZE) stands in for a full disk: SQLite's writes fail as they would. (CSV: JSON
    spools its columns to a file of its own, which the limit would stop too.)"""
    env = {**os.environ, "YIGAI_CACHE_DIR": str(tmp_path / "full")}
    command = [sys.executable, "-m", "yigai_cli", "matrix", NATIONAL, str(folder), "--format", "csv"]

    def limited() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (12 * 1024, 12 * 1024))

    expected = subprocess.run([*command, "--no-cache"], env=env, capture_output=True, text=True, check=True).stdout
    result = subprocess.run(command, env=env, capture_output=True, text=True, preexec_fn=limited)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    warnings = [line for line in result.stderr.splitlines() if line.startswith(TROUBLE)]
    assert len(warnings) == 1 and "full" in warnings[0], result.stderr


# -- under a run: the cache damaged, locked or deleted while matrix works


@pytest.mark.parametrize("trouble", ["deleted", "damaged", "locked"])
def test_trouble_under_a_run_changes_nothing(national, vocabulary, folder, trouble):
    refs = _refs(folder)
    plain = matrix(national, refs, vocabulary=vocabulary, workers=1)
    said: list[str] = []
    store = Store(on_trouble=said.append, timeout=0.2)
    matrix(national, refs[:2], vocabulary=vocabulary, workers=1, cache=ColumnCache(store, national))  # made, some kept
    path, holders = store.path, []

    def strike(_: int) -> None:
        if trouble == "deleted":
            for name in (path.name, path.name + "-wal", path.name + "-shm"):
                path.with_name(name).unlink(missing_ok=True)
        elif trouble == "damaged":
            for name in (path.name, path.name + "-wal"):
                target = path.with_name(name)
                if target.exists():
                    target.write_bytes(b"\x5a" * max(8192, target.stat().st_size))
        elif not holders:
            holder = sqlite3.connect(path, isolation_level=None)
            holder.execute("BEGIN EXCLUSIVE")
            holders.append(holder)

    cache = ColumnCache(store, national)
    cache.flush = lambda real=cache.flush: (strike(0), real())[1]  # type: ignore[method-assign]  # before each write
    try:
        kept = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache, progress=strike)
    finally:
        for holder in holders:
            holder.close()
    assert kept == plain
    assert len(said) == (1 if trouble == "locked" else 0)  # (writes to a deleted or overwritten file go unnoticed)
    # the next run starts from what is there: a fresh file after a deletion, a damaged one bypassed (the run's last
    # writes may have rewritten every page the damage struck: a sound file, used)
    sound = trouble != "damaged" or _sound(path)
    again = Store(on_trouble=said.append)
    assert matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(again, national)) == plain
    assert len(said) == (1 if trouble == "locked" or not sound else 0)


def _sound(path: Path) -> bool:
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            return connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    except sqlite3.DatabaseError:
        return False


# -- two runs at once, and the bound on size


def test_two_runs_at_once(folder, tmp_path):
    env = {**os.environ, "YIGAI_CACHE_DIR": str(tmp_path / "shared")}
    command = [sys.executable, "-m", "yigai_cli", "matrix", NATIONAL, str(folder), "--format", "json"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert len({out for out, _ in outputs}) == 1 and not any(TROUBLE in err for _, err in outputs)
    again = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert again.stdout == outputs[0][0] and TROUBLE not in again.stderr


def test_writers_at_once_wait_for_each_other(tmp_path):
    said: list[str] = []
    path = tmp_path / "c" / FILE_NAME

    def write(tag: str) -> None:
        store = Store(path, on_trouble=said.append)
        for batch in range(40):
            store.put_many([(f"{tag}-{batch}-{n}", os.urandom(512)) for n in range(25)])
        store.close()

    threads = [threading.Thread(target=write, args=(tag,)) for tag in "abc"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert said == []
    assert Store(path).info().entries == 3 * 40 * 25


def test_the_size_is_bounded_and_the_least_recently_used_go_first(tmp_path):
    store = Store(tmp_path / FILE_NAME, limit=20_000)
    store.put_many([(f"old-{n}", b"x" * 1000) for n in range(15)])
    with sqlite3.connect(store.path) as connection:  # written an hour apart: old-0 first … old-14 last
        for n in range(15):
            connection.execute("UPDATE results SET used = used - ? WHERE key = ?", (100_000 - n * 3600, f"old-{n}"))
    assert store.get_many(["old-0"])  # read now: the most recently used of all
    store.put_many([(f"new-{n}", b"y" * 1000) for n in range(10)])
    info = store.info()
    assert info.stored <= 20_000 and info.entries == info.stored // 1000
    kept = store.get_many([f"old-{n}" for n in range(15)] + [f"new-{n}" for n in range(10)])
    assert all(f"new-{n}" in kept for n in range(10)) and "old-0" in kept
    assert "old-1" not in kept and "old-14" in kept  # the oldest unread went first


def test_yigai_itself_is_in_the_key(monkeypatch):
    import yigai
    from yigai.cache import _yigai

    before = _yigai.__wrapped__()
    monkeypatch.setattr(yigai, "__version__", "99.0")
    assert _yigai.__wrapped__() != before


def test_columns_read_by_ocr_are_not_kept(national, vocabulary):
    from dataclasses import replace

    cache = ColumnCache(Store(), national)
    assert cache.known([str(CITY)]) == set()
    column = matrix_module._columns_of(str(CITY), national, vocabulary)[0]
    assert cache.keyer is not None
    key = cache.keyer.read(str(CITY))[1]
    assert key is not None
    cache.keep(key, [replace(column, ocr=True)])
    cache.flush()
    assert cache.store.info().entries == 0
    cache.keep(key, [column])
    cache.flush()
    assert cache.store.info().entries == 1


def test_a_warm_run_with_decisions_says_the_same_warnings(cli, folder, tmp_path, vocabulary):
    decisions = _decisions_file(tmp_path, vocabulary)
    args = ("matrix", NATIONAL, folder, "--decisions", decisions, "--format", "json")
    cold, warm = cli(*args), cli(*args)
    assert cli("cache", "info", "-f", "json").json()["entries"] == len(_refs(folder))
    fresh = cli(*args, "--no-cache")
    assert "entry " in cold.err and '"decision"' in cold.out  # a stale entry warned of, the others applied
    assert cold.out == warm.out == fresh.out and cold.err == warm.err == fresh.err


def test_a_key_that_cannot_be_made_bypasses_the_cache(national, tmp_path):
    said: list[str] = []
    cache = ColumnCache(Store(on_trouble=said.append), national, vocab_files=[str(tmp_path / "gone.yaml")])
    assert cache.known([str(CITY)]) == set() and len(said) == 1 and "gone.yaml" in said[0]


def test_cache_info_on_a_gbk_console(tmp_path):
    env = {**os.environ, "YIGAI_CACHE_DIR": str(tmp_path / "缓存😀"), "PYTHONIOENCODING": "gbk"}
    shown = subprocess.run([sys.executable, "-m", "yigai_cli", "cache", "info"], env=env, capture_output=True)
    assert shown.returncode == 0 and shown.stderr == b""
    out = shown.stdout.decode("gbk")
    assert f"{tmp_path}/缓存?/{FILE_NAME}" in out and "entries: 0" in out  # what GBK lacks, as ?


# -- what the workers key, and the rendering kept beside a column


def test_a_file_changed_between_runs_is_keyed_by_what_it_holds_now(national, vocabulary, folder, counted):
    """Same size, same modification time: only its bytes tell; the parent no longer hashes what it hands out, the
    reader does, and keeps the new column under the new key."""
    refs = _refs(folder)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    changed = folder / "city-2023-draft.txt"
    before, info = changed.read_bytes(), changed.stat()
    after = before.replace("推进".encode(), "加快".encode(), 1)
    assert after != before and len(after) == len(before)
    changed.write_bytes(after)
    os.utime(changed, ns=(info.st_atime_ns, info.st_mtime_ns))
    counted.clear()
    cache = ColumnCache(Store(), national)
    warm = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache)
    assert counted == [str(changed)] and cache.hits == len(refs) - 1
    assert warm == matrix(national, refs, vocabulary=vocabulary, workers=1)
    stored = {row[0] for row in sqlite3.connect(_cache_file()).execute("SELECT key FROM results")}
    assert cache._key(str(changed)) in stored and len(stored) == len(refs) + 1  # the old one stays, unused


def test_a_file_changed_while_a_run_reads_is_kept_under_what_was_read(national, vocabulary, folder, counted):
    """Looked up with one text, read with another: the column is of the text read, and kept under its key."""
    refs = _refs(folder)
    changed = Path(refs[-1])
    text = changed.read_text(encoding="utf-8")

    def change_it(_: int) -> None:  # after the first ref is made: the cache was looked up already
        if changed.read_text(encoding="utf-8") == text:
            changed.write_text(text + "\n9.推进紧密型县域医共体建设。\n", encoding="utf-8")

    made = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national),
                  progress=change_it)
    assert made == matrix(national, refs, vocabulary=vocabulary, workers=1)  # (of the new text)
    counted.clear()
    cache = ColumnCache(Store(), national)
    assert matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache) == made
    assert counted == [] and cache.hits == len(refs)


class _Counted:
    """json_parts, counting its calls, under a tag of its own choosing."""

    def __init__(self, tag: str | None) -> None:
        from yigai_cli.formats.matrix import json_parts

        self.real, self.cache_tag, self.calls = json_parts, tag, 0

    def __call__(self, column):  # type: ignore[no-untyped-def]
        self.calls += 1
        return self.real(column)


def test_a_warm_run_copies_the_kept_rendering_of_the_same_make(national, vocabulary, folder):
    from yigai.matrix import summaries
    from yigai_cli.formats.matrix import json_parts

    refs = _refs(folder)

    def run(render):  # type: ignore[no-untyped-def]
        return list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=render,
                              cache=ColumnCache(Store(), national)))

    plain = list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=json_parts))
    assert json_parts.cache_tag
    cold = _Counted(json_parts.cache_tag)
    assert run(cold) == plain and cold.calls == len(plain)
    warm = _Counted(json_parts.cache_tag)
    assert run(warm) == plain and warm.calls == 0  # every column's JSON copied from the cache
    other = _Counted("another make")
    assert run(other) == plain and other.calls == len(plain)  # rendered again, not copied
    none = _Counted(None)
    assert run(none) == plain and none.calls == len(plain)


def test_a_warm_matrix_reads_the_summaries_without_decoding_cells(national, vocabulary, folder, monkeypatch):
    """What a warm run needs of a kept column (its summary, its JSON) is read from the value's header and copied; its
    cells are decoded only where they are rendered again (another renderer's make)."""
    from yigai.matrix import summaries
    from yigai_cli.formats.matrix import json_parts

    refs = _refs(folder)
    plain = list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=json_parts))
    list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=json_parts,
                   cache=ColumnCache(Store(), national)))
    decoded, loaded = [], []
    real, loads = cache_module._decode, cache_module.orjson.loads
    monkeypatch.setattr(cache_module, "_decode", lambda *args: decoded.append(args) or real(*args))
    monkeypatch.setattr(cache_module.orjson, "loads", lambda data: loaded.append(len(data)) or loads(data))
    for render in (json_parts, None):
        loaded.clear()
        cache = ColumnCache(Store(), national)
        warm = list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=render, cache=cache))
        assert cache.hits == len(refs) and decoded == [] and len(loaded) == len(refs)  # one header each, no cells
        assert warm == (plain if render else [(n, s, None) for n, s, _ in plain])
    other = list(summaries(national, refs, vocabulary=vocabulary, workers=1, render=_Counted("another make"),
                           cache=ColumnCache(Store(), national)))
    assert other == plain and len(decoded) == len(plain)


def test_warm_outputs_from_workers_are_those_of_a_run_without_the_cache(cli, folder, monkeypatch):
    """The parallel path: workers key, render and encode; the parent keeps; a warm run copies. Every format."""
    monkeypatch.setattr(matrix_module, "PARALLEL_FROM", 2)
    (folder / "city-2023-draft.txt").rename(folder / "城市 draft #1.txt")  # (a # and a space in a file name)
    for fmt in ("json", "csv", "markdown", "table"):
        args = ("matrix", NATIONAL, folder, "--format", fmt)
        fresh, cold, warm = cli(*args, "--no-cache"), cli(*args), cli(*args)
        assert fresh.status == cold.status == warm.status == 0
        assert fresh.out == cold.out == warm.out and len(fresh.out) > 1000, fmt
    assert cli("cache", "info", "-f", "json").json()["entries"] == len(_refs(folder))


cache_module = import_module("yigai.cache")


@pytest.fixture
def reads(monkeypatch):
    """The files the cache reads itself (to key them): the parent's look-up and, here, the one process's."""
    seen: list[str] = []
    real = cache_module._read_regular

    def counting(path):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path)

    monkeypatch.setattr(cache_module, "_read_regular", counting)
    return seen


def test_a_file_seen_as_it_was_kept_is_not_read_again(national, vocabulary, folder, counted, reads, monkeypatch):
    monkeypatch.setattr(cache_module, "_SETTLED", -1e9)  # every file unchanged for long enough (see _SETTLED)
    refs = _refs(folder)
    plain = matrix(national, refs, vocabulary=vocabulary, workers=1)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    counted.clear(), reads.clear()
    cache = ColumnCache(Store(), national)
    assert matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache) == plain
    assert counted == [] and reads == [] and cache.hits == len(refs)  # found by one stat each
    # rewritten, same size, same modification time: its change time tells; read, hashed, aligned again
    changed = folder / "city-2023-draft.txt"
    before, info = changed.read_bytes(), changed.stat()
    changed.write_bytes(before.replace("推进".encode(), "加快".encode(), 1))
    os.utime(changed, ns=(info.st_atime_ns, info.st_mtime_ns))
    counted.clear(), reads.clear()
    cache = ColumnCache(Store(), national)
    warm = matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache)
    assert counted == [str(changed)] and cache.hits == len(refs) - 1
    assert reads == [str(changed)] * 2  # looked up, then read to be aligned (by a worker, where there are some)
    assert warm == matrix(national, refs, vocabulary=vocabulary, workers=1)


def test_a_file_written_lately_is_read_again_and_found_by_its_bytes(national, vocabulary, folder, counted, reads,
                                                                     monkeypatch):
    """A file changed less than _SETTLED ago could change again unseen (within the file system's clock tick): it is
    kept without what it was seen as, and found by its bytes, then seen; so is a file checked out anew."""
    refs = _refs(folder)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))  # (all just made)
    assert {row[0] for row in sqlite3.connect(_cache_file()).execute("SELECT seen FROM results")} == {None}
    monkeypatch.setattr(cache_module, "_SETTLED", -1e9)
    counted.clear(), reads.clear()
    cache = ColumnCache(Store(), national)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache)
    assert counted == [] and sorted(reads) == sorted(refs) and cache.hits == len(refs)  # read, none aligned
    reads.clear()
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(Store(), national))
    assert reads == []  # seen since, found by a stat
    for path in refs:  # a fresh checkout: the same bytes in new files (new inodes, new times)
        data = Path(path).read_bytes()
        Path(path).unlink()
        Path(path).write_bytes(data)
    counted.clear(), reads.clear()
    cache = ColumnCache(Store(), national)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=cache)
    assert counted == [] and sorted(reads) == sorted(refs) and cache.hits == len(refs)


def test_a_folder_run_reads_no_file_the_cache_knows_to_tell_yigais_outputs(cli, folder, monkeypatch):
    """yigai's outputs in a folder are left out by their first 8 KB; a file a kept result was read from, unchanged
    since and not one of them, is not read again to tell. One that reads like an output stays left out, even once
    read and kept as a document given by itself; so does a file changed since into one."""
    monkeypatch.setattr(cache_module, "_SETTLED", -1e9)  # every file unchanged for long enough (see _SETTLED)
    looks = folder / "looks-like-output.txt"  # a list with a Markdown table's rule in its first 8 KB (its first line)
    looks.write_text("|---|\n" + (folder / "city-2023-draft.txt").read_text(encoding="utf-8"), encoding="utf-8")
    given = cli("matrix", NATIONAL, looks, "--format", "json")
    assert given.status == 0 and given.json()["columns"][0]["source"] == f"{looks}#1"  # read as a document, kept
    sniffed: list[str] = []
    real = matrix_module.written_by_yigai
    monkeypatch.setattr(matrix_module, "written_by_yigai", lambda path: sniffed.append(path) or real(path))
    args = ("matrix", NATIONAL, folder, "--format", "json")
    cold = cli(*args)
    assert sorted(sniffed) == _refs(folder)
    sniffed.clear()
    warm = cli(*args)
    assert sniffed == [str(looks)] and warm.out == cold.out == cli(*args, "--no-cache").out
    assert str(looks) not in {c["source"].split("#")[0] for c in warm.json()["columns"]}
    sichuan = folder / "sichuan-2021.txt"
    sichuan.write_text("|---|\n" + sichuan.read_text(encoding="utf-8"), encoding="utf-8")  # now reads like one
    sniffed.clear()
    changed = cli(*args)
    assert sorted(sniffed) == sorted([str(looks), str(sichuan)])
    assert str(sichuan) not in {c["source"].split("#")[0] for c in changed.json()["columns"]}
    assert changed.out == cli(*args, "--no-cache").out


def test_files_known_not_to_be_outputs_are_those_read_as_they_are_now(national, vocabulary, folder, monkeypatch):
    monkeypatch.setattr(cache_module, "_SETTLED", -1e9)
    refs = _refs(folder)
    store = Store()
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=ColumnCache(store, national))
    files = [(ref, os.stat(ref)) for ref in refs]
    assert store.not_outputs(files) == set(refs)
    assert store.not_outputs([("elsewhere/" + Path(ref).name, info) for ref, info in files]) == set()  # another path
    touched = folder / "baokang-county-2017.txt"
    touched.write_bytes(touched.read_bytes())  # the same bytes, written again: its change time tells
    assert store.not_outputs([(ref, os.stat(ref)) for ref in refs]) == set(refs) - {str(touched)}


def test_a_folder_is_asked_about_a_slice_at_a_time(tmp_path, monkeypatch):
    """What stat says of each file is held for a slice of the folder at a time, not for all of it (30,000 files held
    ~25 MiB more in the parent): the files the cache is asked about come in slices, and the folder's documents are
    the same as asked all at once."""
    for k in range(7):
        (tmp_path / f"doc-{k}.txt").write_text("（一）推进集采。\n", encoding="utf-8")
    asked: list[int] = []

    def known(files):  # type: ignore[no-untyped-def]
        asked.append(len(files))
        return {path for path, _ in files if not path.endswith("3.txt")}

    every = matrix_module._documents_under(str(tmp_path), known)
    monkeypatch.setattr(matrix_module, "KNOWN_AT_ONCE", 3)
    asked.clear()
    assert matrix_module._documents_under(str(tmp_path), known) == every == sorted(every)
    assert asked == [3, 3, 1] and len(every) == 7


def test_a_first_run_looks_nothing_up(national, vocabulary, folder, monkeypatch):
    """An empty cache holds nothing to find: no file is looked at for it (a stat and a digest each), all are kept."""
    looked: list[str] = []
    real = cache_module.Keyer.seen_now
    monkeypatch.setattr(cache_module.Keyer, "seen_now", lambda self, ref: looked.append(ref) or real(self, ref))
    refs = _refs(folder)
    first = ColumnCache(Store(), national)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=first)
    assert looked == [] and first.hits == 0
    second = ColumnCache(Store(), national)
    matrix(national, refs, vocabulary=vocabulary, workers=1, cache=second)
    assert looked == refs and second.hits == len(refs)
