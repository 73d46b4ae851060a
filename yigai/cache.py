"""Results kept between runs, so that a re-run redoes only what changed.

A matrix over a folder of 3,000 lists spends nearly all its time reading and aligning each list; when ten of them
changed since the last run, the other 2,990 columns are the same as before. They are kept in one SQLite file under
the user's cache folder (`YIGAI_CACHE_DIR` overrides it), each under a key made of everything that decides it:
the file's bytes and name, the national document, the vocabulary, the decisions, the options, and yigai itself
(its version and the bytes of its code and data, so an upgrade or a local change never reuses an old result).

The cache is an aid, never a dependency: a corrupt, locked, read-only or full cache is reported once (to
`on_trouble`) and left alone for the rest of the run, which computes what it could not read. It holds what a
column needs (grades, local item numbers, scores, coverage, labels, decisions applied), not the documents' text,
and its size is bounded: past the limit the entries used least recently go first.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import os
import sqlite3
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson

from .align import Grade
from .decisions import Action, Applied, Decision, Decisions, DecisionWarning, ItemRef
from .documents import parse_ref
from .engines import is_image
from .errors import InputError
from .fetch import STDIN, is_url
from .load import MAX_BYTES
from .load import _read_at_most as read_at_most
from .matrix import HEAD_BYTES, Cell, Column, Summary, looks_written_by_yigai
from .model import Document
from .readers import sniff

Key = bytes | str  # (a column's key is the 32 bytes of a digest)
ENV_FOLDER = "YIGAI_CACHE_DIR"
FILE_NAME = "results.sqlite3"
DEFAULT_LIMIT = 256 * 1024 * 1024  # bytes of stored results; a column is ~1 KB, so ~200,000 columns
SCHEMA = 5  # the layout of the table and of a stored column; a new layout starts an empty table
# A second run writing at the same moment holds the lock for a few milliseconds; one that holds it for longer
# than this (a loaded machine can stretch a write to seconds) is treated as a locked cache (bypassed).
BUSY_SECONDS = 5.0
_TOUCH_AFTER = 3600  # seconds: a hit marks its entry used again at most once an hour (a warm run writes little)
_BATCH = 200  # results written per transaction
_LOOK_UP = 500  # files hashed, then looked up, at a time

# Libraries whose behaviour goes into a result (reading, conversion, similarity): their versions are in every key.
_LIBRARIES = ("opencc", "charset-normalizer", "numpy", "rapidfuzz", "selectolax", "python-docx", "pypdf", "openpyxl",
              "pyahocorasick", "jieba")
# What yigai reads in its own process; other files go through an outside engine (OCR, LibreOffice) whose version
# is not in the key, so their results are never kept.
_KEPT_KINDS = frozenset({"text", "html", "docx", "xlsx", "pdf"})


def folder() -> Path:
    """Where the cache lives: $YIGAI_CACHE_DIR, else the platform's cache folder for yigai."""
    given = os.environ.get(ENV_FOLDER)
    if given:
        return Path(given)
    import platformdirs

    return platformdirs.user_cache_path("yigai", appauthor=False)


@dataclass(frozen=True)
class Info:
    """What `yigai cache info` shows."""

    path: Path
    exists: bool
    bytes_on_disk: int  # the database and its write-ahead log
    entries: int
    stored: int  # bytes of results in it
    limit: int


class Store:
    """Bytes by key in one SQLite file (WAL: readers never wait; one writer at a time), at most `limit` bytes of
    values, least recently used evicted first. Every failure disables it for the rest of its life, told once."""

    def __init__(self, path: Path | None = None, limit: int = DEFAULT_LIMIT,
                 on_trouble: Callable[[str], None] | None = None, timeout: float = BUSY_SECONDS) -> None:
        self.path = path or folder() / FILE_NAME
        self.limit = limit
        self.timeout = timeout
        self.on_trouble = on_trouble
        self.broken = False
        self._connection: sqlite3.Connection | None = None

    # -- connection and failures

    def _trouble(self, exc: BaseException) -> None:
        if not self.broken and self.on_trouble is not None:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            self.on_trouble(f"cache {self.path}: {detail}; it is left alone this run "
                            "(results are computed afresh; `yigai cache clear` empties it)")
        self.broken = True
        self.close()

    def _connect(self) -> sqlite3.Connection | None:
        if self.broken:
            return None
        if self._connection is not None:
            return self._connection
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            self._connection = connection
            self._set_up(connection)
        except Exception as exc:  # whatever goes wrong with the cache, the run goes on without it
            self._trouble(exc)
            return None
        return self._connection

    def _set_up(self, connection: sqlite3.Connection) -> None:
        """WAL and the table. Runs opening a new cache at once race to switch it to WAL, and the loser is told
        `database is locked` at once, without waiting (SQLite's busy handler does not cover that switch): tried again
        until the busy timeout."""
        give_up = time.monotonic() + self.timeout
        while True:
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")  # a lost last write costs a recomputation, not a wrong result
                self._prepare(connection)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > give_up:
                    raise
                time.sleep(0.02)

    @staticmethod
    def _prepare(connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA:
            return
        with _transaction(connection):
            if connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA:  # another run made it meanwhile
                return
            connection.execute("DROP TABLE IF EXISTS results")
            connection.execute("DROP TABLE IF EXISTS totals")
            # A rowid table, the values in the order written: WITHOUT ROWID kept each 1-4 KB value inside the key's
            # B-tree, and inserting random keys cost 5x as much. The total size is kept by triggers: summing the
            # sizes on every write read the whole table, a cost that grew with every entry (10 s over 30,000).
            # `seen`: the file as it was when it was read (Keyer.seen), `ref`: the ref it was read from (Keyer.ref):
            # what finds a result without reading its file again (ColumnCache.look_up); `plain`: the file as it was,
            # whatever it was read for (identity), where it was not one of yigai's outputs (Store.not_outputs)
            connection.execute("CREATE TABLE results (key BLOB PRIMARY KEY, value BLOB NOT NULL, sum INTEGER NOT NULL, "
                               "size INTEGER NOT NULL, used INTEGER NOT NULL, seen BLOB, ref BLOB, plain BLOB)")
            connection.execute("CREATE INDEX results_used ON results (used)")
            connection.execute("CREATE INDEX results_seen ON results (seen)")
            connection.execute("CREATE INDEX results_ref ON results (ref)")
            connection.execute("CREATE INDEX results_plain ON results (plain)")
            connection.execute("CREATE TABLE totals (id INTEGER PRIMARY KEY, stored INTEGER NOT NULL)")
            connection.execute("INSERT INTO totals VALUES (0, 0)")
            connection.execute("CREATE TRIGGER results_added AFTER INSERT ON results "
                               "BEGIN UPDATE totals SET stored = stored + NEW.size WHERE id = 0; END")
            connection.execute("CREATE TRIGGER results_removed AFTER DELETE ON results "
                               "BEGIN UPDATE totals SET stored = stored - OLD.size WHERE id = 0; END")
            connection.execute("CREATE TRIGGER results_resized AFTER UPDATE OF size ON results "
                               "BEGIN UPDATE totals SET stored = stored + NEW.size - OLD.size WHERE id = 0; END")
            connection.execute(f"PRAGMA user_version = {SCHEMA}")

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except sqlite3.Error:
                pass
            self._connection = None

    # -- reading and writing

    def has_many(self, keys: Sequence[Key]) -> set[Key]:
        """Those of `keys` the store holds (their values are read, and checked, when asked for)."""
        return set(self._find("key", "key", keys))

    def _find(self, column: str, wanted: str, values: Sequence[Any]) -> dict[Any, Any]:
        """{column: wanted} of the rows whose `column` is among `values`."""
        connection = self._connect()
        if connection is None or not values:
            return {}
        found: dict[Any, Any] = {}
        try:
            for start in range(0, len(values), 500):
                chunk = list(values[start:start + 500])
                found.update(connection.execute(f"SELECT {column}, {wanted} FROM results WHERE {column} IN "
                                                f"({','.join('?' * len(chunk))})", chunk))
        except Exception as exc:  # (as in _connect)
            self._trouble(exc)
            return {}
        return found

    def holds_nothing(self) -> bool:
        """Whether no result is kept (a first run: nothing to look up; True too where the store cannot be read)."""
        connection = self._connect()
        if connection is None:
            return True
        try:
            return connection.execute("SELECT 1 FROM results LIMIT 1").fetchone() is None
        except Exception as exc:  # (as in _connect)
            self._trouble(exc)
            return True

    def keys_seen(self, seen: Sequence[bytes]) -> dict[bytes, bytes]:
        """The keys of the results kept from files seen as `seen` says (Keyer.seen), by what was seen."""
        return self._find("seen", "key", seen)

    def refs_kept(self, refs: Sequence[bytes]) -> set[bytes]:
        """Those of `refs` (Keyer.ref) some result was kept from."""
        return set(self._find("ref", "ref", refs))

    def not_outputs(self, files: Sequence[tuple[str, os.stat_result]]) -> set[str]:
        """The paths of those files (path, what stat says of it now) that some result was read from as they are now,
        and were not one of yigai's outputs then (nor now: a write changes what stat says). A matrix over a folder
        skips its outputs (yigai.matrix.written_by_yigai, 8 KB read a file): these need not be read again."""
        ids = {identity(path, info): path for path, info in files}
        return {ids[found] for found in self._find("plain", "plain", list(ids))}

    def get_many(self, keys: Sequence[Key]) -> dict[Key, bytes]:
        """The values stored under those of `keys` the store holds (checked against their checksums)."""
        connection = self._connect()
        if connection is None or not keys:
            return {}
        found: dict[Key, bytes] = {}
        stale: list[Key] = []
        now, bad = int(time.time()), 0
        try:
            for start in range(0, len(keys), 500):
                chunk = list(keys[start:start + 500])
                rows = connection.execute(f"SELECT key, value, sum, used FROM results WHERE key IN "
                                          f"({','.join('?' * len(chunk))})", chunk).fetchall()
                for key, value, checksum, used in rows:
                    if not isinstance(value, bytes) or _checksum(value) != checksum:
                        bad += 1
                        continue
                    found[key] = value
                    if used < now - _TOUCH_AFTER:
                        stale.append(key)
            if bad:
                raise sqlite3.DatabaseError(f"{bad} stored {'result does' if bad == 1 else 'results do'} "
                                            "not match their checksum (the file is damaged)")
            if stale:
                with _transaction(connection):
                    connection.executemany("UPDATE results SET used = ? WHERE key = ?", ((now, k) for k in stale))
        except Exception as exc:  # (as in _connect)
            self._trouble(exc)
        return found

    def put_many(self, rows: Iterable[tuple[Key, bytes]]) -> None:
        """Store values (replacing any under the same key), then evict down to the limit."""
        self.put_results([(key, value, None, None, None) for key, value in rows])

    def put_results(self, rows: Sequence[tuple[Key, bytes, bytes | None, bytes | None, bytes | None]],
                    seen: Sequence[tuple[bytes, bytes | None, Key]] = ()) -> None:
        """Store values with what finds them again (key, value, seen, ref, plain), replacing any under the same key;
        mark kept results as seen again (seen, plain, key); then evict down to the limit."""
        connection = self._connect()
        if connection is None or not (rows or seen):
            return
        now = int(time.time())
        try:
            with _transaction(connection):
                # (an upsert, not INSERT OR REPLACE: the row it replaced would not be taken off the total)
                connection.executemany("INSERT INTO results (key, value, sum, size, used, seen, ref, plain) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET "
                                       "value = excluded.value, sum = excluded.sum, size = excluded.size, "
                                       "used = excluded.used, seen = excluded.seen, ref = excluded.ref, "
                                       "plain = excluded.plain",
                                       ((k, v, _checksum(v), len(v), now, s, r, p) for k, v, s, r, p in rows))
                connection.executemany("UPDATE results SET seen = ?, plain = ? WHERE key = ?", seen)
                self._evict(connection)
        except Exception as exc:  # (as in _connect)
            self._trouble(exc)

    def _evict(self, connection: sqlite3.Connection) -> None:
        """Remove the least recently used entries until the values fit in 90% of the limit (a margin, so that
        eviction runs once in a while, not on every write)."""
        stored = connection.execute("SELECT stored FROM totals WHERE id = 0").fetchone()[0]
        if stored <= self.limit:
            return
        goal, freed = stored - self.limit * 0.9, 0
        doomed = []
        for key, size in connection.execute("SELECT key, size FROM results ORDER BY used, key"):
            doomed.append((key,))
            freed += size
            if freed >= goal:
                break
        connection.executemany("DELETE FROM results WHERE key = ?", doomed)

    # -- what the commands show and do

    def info(self) -> Info:
        """Where the cache is, its size on disk and the entries it holds (read only: a damaged file is reported)."""
        files = [self.path, self.path.with_name(self.path.name + "-wal")]
        on_disk = sum(f.stat().st_size for f in files if f.is_file())
        if not self.path.is_file():
            return Info(self.path, False, on_disk, 0, 0, self.limit)
        connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=self.timeout)
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                return Info(self.path, True, on_disk, 0, 0, self.limit)
            entries, stored = connection.execute("SELECT count(*), total(size) FROM results").fetchone()
        finally:
            connection.close()
        return Info(self.path, True, on_disk, int(entries), int(stored), self.limit)

    def clear(self) -> int:
        """Remove the cache's files (whatever state they are in); how many bytes they held."""
        self.close()
        freed = 0
        for name in (self.path.name, self.path.name + "-wal", self.path.name + "-shm"):
            target = self.path.with_name(name)
            if target.is_file():
                freed += target.stat().st_size
                target.unlink()
        return freed


class _transaction:
    """BEGIN IMMEDIATE … COMMIT (or ROLLBACK): the write lock is taken at the start, so two runs writing at once
    wait for each other (up to the busy timeout) instead of failing halfway."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def __enter__(self) -> None:
        self.connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is None:
            self.connection.execute("COMMIT")
        elif self.connection.in_transaction:
            try:
                self.connection.execute("ROLLBACK")
            except sqlite3.Error:
                pass


def _checksum(value: bytes) -> int:
    """What tells a damaged value (a flipped bit, a torn page): CRC-32, ~4x as fast as the 16-byte BLAKE2b it
    replaced over a column's ~4 KB (neither was a defence against a forged file: it would carry its own sums)."""
    return zlib.crc32(value)


# ------------------------------------------------------------------------------------------------ matrix columns


# A file is known by what it was seen as (Keyer.seen) only once it has not changed for this long: a write within the
# file system's clock tick after it was read would leave it looking the same (git's "racily clean" files).
_SETTLED = 2.0


@dataclass(frozen=True)
class Keyer:
    """How a local file's columns are keyed: everything besides the file that decides them (`context`), the ref as
    given and the file's bytes. Small and picklable: a matrix's workers key the files they read, from the bytes they
    read (so that a file changed since it was looked up is kept under the key of what was aligned).

    A result is also kept with what its file was seen as when it was read (`seen`: device, inode, size, times) and
    its ref (`ref`), so that a later run finds it without reading the file again, or reads again only the files of
    refs kept before (a copy or a fresh checkout of a folder: the same bytes, seen anew)."""

    context: bytes
    national_file: tuple[int, int] | None = None  # (device, inode) of the national document's file

    def read(self, ref: str) -> tuple[bytes | None, Kept | None]:
        """The bytes of the ref's file and what it is kept under (None for what is never kept: standard input and
        addresses (no file to hash; nor are their bytes read here), the national document's own file, files read
        by an outside engine); bytes None where they cannot be read (reading them again says why)."""
        try:
            path, _ = parse_ref(ref)
            if path == STDIN or is_url(path):
                return None, None
            data, info = _read_regular(path)
        except (OSError, ValueError, InputError):
            return None, None
        if data is None or info is None:
            return None, None
        if self.national_file == (info.st_dev, info.st_ino) or not _read_in_process(data, os.path.splitext(path)[1].lower()):
            return data, None  # (the national file: kept or not depends on where it is, not on what it holds)
        if time.time() - max(info.st_mtime, info.st_ctime) <= _SETTLED:
            return data, Kept(self.key(ref, data), None, self.ref(ref))
        plain = None if looks_written_by_yigai(data[:HEAD_BYTES], lambda: io.BytesIO(data)) else identity(path, info)
        return data, Kept(self.key(ref, data), self.seen(ref, info), self.ref(ref), plain)

    def key(self, ref: str, data: bytes) -> bytes:
        digest = hashlib.sha256(self.context)
        digest.update(ref.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(data)
        return digest.digest()

    def seen(self, ref: str, info: os.stat_result) -> bytes:
        """The ref's file as `stat` sees it: a write changes its change time (which no one can set back), a new file
        in its place its inode."""
        digest = hashlib.sha256(self.context)
        digest.update(b"\0seen\0" + ref.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(f"{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}".encode())
        return digest.digest()

    def ref(self, ref: str) -> bytes:
        return hashlib.sha256(self.context + b"\0ref\0" + ref.encode("utf-8", "surrogatepass")).digest()

    def seen_now(self, ref: str) -> bytes | None:
        """`seen` of the ref's file as it is now, by one stat (None: no file that is kept)."""
        try:
            path, _ = parse_ref(ref)
            if path == STDIN or is_url(path):
                return None
            info = os.stat(path)
        except (OSError, ValueError, InputError):
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES or self.national_file == (info.st_dev, info.st_ino):
            return None
        return self.seen(ref, info)


@dataclass(frozen=True)
class Kept:
    """What a ref's columns are kept under: the key (its bytes), what its file was seen as (None: changed too
    lately to tell) and the ref."""

    key: bytes
    seen: bytes | None
    ref: bytes
    plain: bytes | None = None  # the file's identity, when it was seen and is not one of yigai's outputs


def identity(path: str, info: os.stat_result) -> bytes:
    """A file as stat sees it (see Keyer.seen), whatever it is read for: a write changes its change time, a new
    file in its place its inode."""
    return hashlib.sha256(f"yigai-file\0{path}\0{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} "
                          f"{info.st_ctime_ns}".encode("utf-8", "surrogatepass")).digest()


class ColumnCache:
    """The columns of one matrix's inputs (national document, vocabulary files, decisions, detail): what
    `yigai.matrix.matrix` looks up before it aligns and keeps after.

    A ref's key adds the ref as given and its file's bytes (Keyer). Not kept: standard input and addresses (no file
    to hash), the national document's own file found among the locals, files read by an outside engine, and
    columns with detail (they carry the document's text, for the report)."""

    def __init__(self, store: Store, national: Document, vocab_files: Sequence[str] = (),
                 decisions: Sequence[Decisions] = (), detail: bool = False, min_confidence: float | None = None) -> None:
        self.store = store
        self.national = national
        self._keyer: Keyer | None = None
        if not detail:
            try:
                context = _context(national, vocab_files, decisions, detail, min_confidence)
            except Exception as exc:  # (a vocabulary file gone since it was loaded, yigai's files unreadable)
                store._trouble(exc)
            else:
                try:
                    national_file = os.stat(national.source)
                    self._keyer = Keyer(context, (national_file.st_dev, national_file.st_ino))
                except (OSError, ValueError):  # standard input or an address
                    self._keyer = Keyer(context)
        self._pending: list[tuple[bytes, bytes, bytes | None, bytes | None, bytes | None]] = []
        self._seen_again: list[tuple[bytes, bytes | None, bytes]] = []  # (seen, plain, key) of results found by reading
        self.hits = 0
        # What look_up found: the positions (among its refs) of the kept ones and their keys, 32 bytes each. A
        # run's 30,000 keys as text in a dict, with the sets that sorted them, took 19 MiB of the parent.
        self._kept_at = array("q")
        self._kept_keys = bytearray()
        self._window: dict[int, bytes | None] = {}  # values read ahead (see `fetch`)
        self._cells: dict[tuple[Any, ...], Cell] = {}

    @property
    def keyer(self) -> Keyer | None:
        """How refs are keyed (None: nothing is kept, the cache is off or broken)."""
        return None if self.store.broken else self._keyer

    @property
    def enabled(self) -> bool:
        return self.keyer is not None

    def look_up(self, refs: Sequence[str]) -> bytearray:
        """For each ref, 1 where its columns are kept and its file has not changed since: `fetch` gives them, a window
        at a time, so that a warm run over 30,000 documents never holds 30,000 columns. A chunk of refs at a time:
        each file is looked at (one stat) and found by what it was seen as; the others whose ref was kept before are
        read and hashed (a file changed, or the same bytes seen anew). Only the keys of the kept ones are held."""
        found = bytearray(len(refs))
        self._kept_at, self._kept_keys, self._window, self._seen_again = array("q"), bytearray(), {}, []
        if self.keyer is not None and self.store.holds_nothing():  # (a stat and a digest a ref spared: ~15 us)
            refs = ()
        for start in range(0, len(refs), _LOOK_UP):
            keyer = self.keyer
            if keyer is None:
                break
            chunk = range(start, min(start + _LOOK_UP, len(refs)))
            seen = [(at, s) for at in chunk for s in [keyer.seen_now(refs[at])] if s is not None]
            by_seen = self.store.keys_seen([s for _, s in seen])
            hits = {at: by_seen[s] for at, s in seen if s in by_seen}
            looked = {at for at, _ in seen}  # (the others are never kept)
            rest = [(at, keyer.ref(refs[at])) for at in chunk if at in looked and at not in hits]
            kept_refs = self.store.refs_kept([r for _, r in rest])
            read = [(at, kept) for at, r in rest if r in kept_refs for kept in [keyer.read(refs[at])[1]] if kept]
            present = self.store.has_many([kept.key for _, kept in read])
            for at, kept in read:
                if kept.key in present:
                    hits[at] = kept.key
                    if kept.seen is not None:
                        self._seen_again.append((kept.seen, kept.plain, kept.key))
            for at in sorted(hits):
                found[at] = 1
                self._kept_at.append(at)
                self._kept_keys += hits[at]
        self.hits = len(self._kept_at)
        return found

    def known(self, refs: Sequence[str]) -> set[str]:
        """Those refs whose columns are kept (look_up, as a set)."""
        return {ref for ref, hit in zip(refs, self.look_up(refs)) if hit}

    def _value(self, at: int) -> bytes | None:
        """The kept value of the ref look_up found at `at` (None where it can no longer be read)."""
        if at not in self._window:
            k = bisect.bisect_left(self._kept_at, at)
            if k == len(self._kept_at) or self._kept_at[k] != at:
                return None
            ahead = range(k, min(k + _BATCH, len(self._kept_at)))
            keys = [bytes(self._kept_keys[32 * j : 32 * j + 32]) for j in ahead]
            values = self.store.get_many(keys)
            self._window = {self._kept_at[j]: values.get(key) for j, key in zip(ahead, keys)}
            self._cells = {}  # (equal cells shared within a window: across the run they would add up)
        return self._window.pop(at, None)

    def fetch(self, at: int) -> list[Column] | None:
        """The kept columns of the ref look_up found at `at` (None where they can no longer be read: compute them)."""
        value = self._value(at)
        if value is None:
            return None
        try:
            return decode_columns(value, self._cells)
        except Exception as exc:  # a stored result of another shape: the cache is not to be trusted
            self.store._trouble(ValueError(f"a stored result cannot be read ({type(exc).__name__})"))
            return None

    def fetch_summaries(self, at: int, render: Callable[[Column], Any] | None) -> list[tuple[Summary, Any]] | None:
        """As `fetch`, each column as its summary and what `render` makes of it: what was kept of the rendering
        where `render` names its make (a `cache_tag`) and it is the same, else rendered from the kept column."""
        value = self._value(at)
        if value is None:
            return None
        try:
            rows, size, tag, lengths, start = _header(value)
            summaries = [_summary(row) for row in rows]
            if render is None:
                return [(s, None) for s in summaries]
            if tag is not None and tag == getattr(render, "cache_tag", None):
                return list(zip(summaries, _rendered(value, start + size, lengths)))
            return [(s, render(c)) for s, c in zip(summaries, decode_columns(value, self._cells))]
        except Exception as exc:  # (as in fetch)
            self.store._trouble(ValueError(f"a stored result cannot be read ({type(exc).__name__})"))
            return None

    def keep(self, kept: Kept, columns: list[Column]) -> None:
        """Remember a ref's columns under its key (written in batches; `flush` writes the rest)."""
        if any(c.ocr for c in columns):
            return
        try:
            value = pack(columns)
        except Exception:  # not storable (a figure that is not finite, a name that is not UTF-8): computed next time
            return
        self.keep_packed(kept, value)

    def keep_packed(self, kept: Kept, value: bytes | None) -> None:
        """Remember a ref's columns as `pack` gave them (where they were made: a matrix's worker), under the key made
        from the bytes they were read from; value None: not to be kept."""
        if value is None or self.store.broken:
            return
        self._pending.append((kept.key, value, kept.seen, kept.ref, kept.plain))
        if len(self._pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        seen, self._seen_again = self._seen_again, []
        self.store.put_results(pending, seen)

    def _key(self, ref: str) -> bytes | None:
        """The ref's key as its file reads now (None: never kept)."""
        kept = self._keyer.read(ref)[1] if self._keyer is not None else None
        return kept.key if kept is not None else None


def _read_regular(path: str) -> tuple[bytes | None, os.stat_result | None]:
    """The bytes of a regular file of at most MAX_BYTES, as load.read_bytes reads them, and what fstat said of it;
    (None, None) for anything else (read_bytes, reading it again, says what is wrong)."""
    info = os.stat(path)  # before opening: a FIFO is never opened, a huge file never read
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return None, None
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)  # (the file opened, should the path have been swapped since)
        if not stat.S_ISREG(info.st_mode):
            return None, None
        data = read_at_most(fd, info.st_size, MAX_BYTES + 1)
    finally:
        os.close(fd)
    return (data, info) if len(data) <= MAX_BYTES else (None, None)


def _read_in_process(data: bytes, suffix: str) -> bool:
    return not is_image(data) and sniff(data, suffix) in _KEPT_KINDS


def _context(national: Document, vocab_files: Sequence[str], decisions: Sequence[Decisions], detail: bool,
             min_confidence: float | None = None) -> bytes:
    """Everything besides the local file that decides a column, as one digest."""
    digest = hashlib.sha256(f"yigai-columns/{SCHEMA}\0{_yigai()}\0{detail}\0{min_confidence!r}\0".encode())
    digest.update(repr(national).encode("utf-8", "surrogatepass"))  # every field, every item: what alignment reads
    for path in vocab_files:
        digest.update(b"\0vocab\0" + Path(path).read_bytes())
    digest.update(b"\0decisions\0" + repr(tuple(decisions)).encode("utf-8", "surrogatepass"))
    return digest.digest()


@cache
def _yigai() -> str:
    """yigai's version, the bytes of its code and data files, and the versions of Python and of the libraries it
    reads with."""
    from . import __version__
    from .resources import data_path

    digest = hashlib.sha256(f"{__version__}\0{sys.version}".encode())  # (Python's own: its Unicode tables, say)
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), *data_path("vocabulary.yaml").parent.glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-".encode())
    return digest.hexdigest()


# A column as stored: JSON arrays, the cells as parallel lists (grades as one letter each).
_LETTER = {g: g.value[0] for g in Grade}
_GRADE = {letter: g for g, letter in _LETTER.items()}
_LETTERS = frozenset(_GRADE)


def encode_columns(columns: Sequence[Column]) -> bytes:
    """Columns (without detail) as compact JSON; ValueError for a figure JSON would not carry exactly."""
    return orjson.dumps([_encode(c) for c in columns])


def decode_columns(value: bytes, cells: dict[tuple[Any, ...], Cell] | None = None) -> list[Column]:
    """Columns from `encode_columns` (or from the value `pack` made of them); `cells`: the cells decoded so far,
    shared (see _cells)."""
    if b"\n" in value:  # packed: a header line before the columns (compact JSON holds no line break)
        _, size, _, _, start = _header(value)
        rows = orjson.loads(value[start : start + size])
    else:
        rows = orjson.loads(value)
    return [_decode(c, {} if cells is None else cells) for c in rows]


def pack(columns: Sequence[Column], rendered: Sequence[Any] | None = None, tag: str | None = None) -> bytes:
    """A kept value: one header line, the columns (encode_columns), then, where a renderer that names its make
    (`tag`) rendered them as bytes (a tuple of bytes a column), what it made, so that a warm run copies that instead
    of rendering again. The header (JSON) holds each column's summary, the columns' length, the tag and the lengths
    of the rendered parts: a warm matrix reads it alone, not the cells (decoding them cost ~25 us a column, a third
    of what a warm run spent on each). ValueError (or TypeError) where the columns cannot be kept (encode_columns)."""
    encoded = encode_columns(columns)
    lengths: list[list[int]] = []
    body = b""
    if tag is not None and rendered is not None:
        try:
            body = b"".join([p for r in rendered for p in r])  # (TypeError: not bytes, not in tuples)
            lengths = [[len(p) for p in r] for r in rendered]
        except TypeError:
            body, tag = b"", None
    else:
        tag = None
    header = orjson.dumps([[_summary_row(c) for c in columns], len(encoded), tag, lengths])
    return b"".join((header, b"\n", encoded, body))


def _header(value: bytes) -> tuple[list[list[Any]], int, str | None, list[list[int]], int]:
    """A packed value's header: the summaries' rows, the columns' length, the renderer's tag, the lengths of what it
    rendered, and where the columns start."""
    end = value.index(b"\n")
    rows, size, tag, lengths = orjson.loads(value[:end])
    if len(lengths) != (len(rows) if tag is not None else 0):
        raise ValueError("rendered parts for another number of columns")
    return rows, size, tag, lengths, end + 1


def _rendered(value: bytes, at: int, lengths: list[list[int]]) -> list[tuple[bytes, ...]]:
    """What the renderer made of each column, from `at` (the end of the columns) to the value's end."""
    rendered = []
    for each in lengths:
        parts = []
        for length in each:
            parts.append(value[at : at + length])
            at += length
        rendered.append(tuple(parts))
    if at != len(value):
        raise ValueError("rendered parts of another length")
    return rendered


def _summary_row(c: Column) -> list[object]:
    """What a column's Summary holds, as the header of its kept value holds it (_summary reads it back)."""
    return [c.name, c.source, c.year, c.coverage, c.grades, list(c.decided),
            [[w.source, w.entry, w.problem, w.hint] for w in c.warnings], c.jurisdiction, c.level, c.label]


def _summary(row: list[Any]) -> Summary:
    """A kept column's summary, from its row in the header (without its cells: what a warm matrix needs)."""
    name, source, year, ratio, grades, decided, warnings, jurisdiction, level, label = row
    if not set(grades) <= _LETTERS:
        raise ValueError("a grade that is none of f, p, n")
    return Summary(name, source, year, ratio, grades, tuple(decided), tuple(DecisionWarning(*w) for w in warnings),
                   jurisdiction, level, label)


def _encode(c: Column) -> list[object]:
    if c.pairs or c.document is not None or c.ocr:
        raise ValueError("columns with detail, or read by OCR, are not kept")
    figures = [c.coverage, *(cell.score for cell in c.cells), *(r for _, _, r in c.by_topic)]
    if not all(isinstance(f, float) and f - f == 0 for f in figures):  # NaN and infinities become null in JSON
        raise ValueError("a figure is not a finite float")
    cells = c.cells
    return [c.name, c.source, c.year, c.coverage, [x.national for x in cells], "".join(_LETTER[x.grade] for x in cells),
            [list(x.local) for x in cells], [x.score for x in cells],
            [[n, _applied(x.decision)] for n, x in enumerate(cells) if x.decision is not None],
            [[w.source, w.entry, w.problem, w.hint] for w in c.warnings],
            c.jurisdiction, c.level, c.label, list(c.local_only), [list(t) for t in c.by_topic]]


def _decode(row: list[Any], seen: dict[tuple[Any, ...], Cell]) -> Column:
    (name, source, year, ratio, nationals, grades, locals_, scores, decided, warnings, jurisdiction, level, label,
     local_only, by_topic) = row
    if not (len(nationals) == len(grades) == len(locals_) == len(scores)):
        raise ValueError("cells of unequal length")
    if decided:
        applied: list[Applied | None] = [None] * len(nationals)
        for n, a in decided:
            applied[n] = _unapplied(a)
        cells = tuple(map(Cell, nationals, map(_GRADE.__getitem__, grades), map(tuple, locals_), scores, applied))
    else:
        cells = _cells(nationals, grades, locals_, scores, seen)
    return Column(name, source, year, ratio, cells, tuple(DecisionWarning(*w) for w in warnings),
                  jurisdiction=jurisdiction, level=level, label=label, local_only=tuple(local_only),
                  by_topic=tuple(map(tuple, by_topic)))


def _cells(nationals: list[int], grades: str, locals_: list[list[int]], scores: list[float],
           seen: dict[tuple[Any, ...], Cell]) -> tuple[Cell, ...]:
    """Cells, one instance for equal ones (they are frozen): nine in ten cells of a matrix repeat another
    column's (an item no list carries, say), and a look-up costs a fifth of making a Cell."""
    cells = []
    for n, g, local, score in zip(nationals, grades, map(tuple, locals_), scores):
        key = (n, g, local, score if score else repr(score))  # (0.0 and -0.0 are equal, and print differently)
        cell = seen.get(key)
        if cell is None:
            cell = seen[key] = Cell(n, _GRADE[g], local, score)
        cells.append(cell)
    return tuple(cells)


def _applied(a: Applied) -> list[object]:
    d = a.decision
    return [d.action.value, _ref(d.national), _ref(d.local), d.grade.value if d.grade else None, d.note, d.who, d.when,
            d.source, d.entry, a.machine.value]


def _ref(r: ItemRef) -> list[object]:
    return [r.index, r.title, r.fingerprint]


def _unapplied(row: list[Any]) -> Applied:
    action, national, local, grade, note, who, when, source, entry, machine = row
    decision = Decision(Action(action), ItemRef(*national), ItemRef(*local), Grade(grade) if grade is not None else None,
                        note, who, when, source, entry)
    return Applied(decision, Grade(machine))
