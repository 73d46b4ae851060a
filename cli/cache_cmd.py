"""`yigai cache info` and `yigai cache clear`: the results matrix keeps between runs (yigai.cache)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

cache_app = typer.Typer(
    help="The results kept between runs, so that a re-run aligns only the documents that changed.",
    no_args_is_help=True,
    epilog="""\b
Examples:
  yigai cache info                       where the cache is, its size and how many results it holds
  yigai cache clear                      empty it (the next matrix reads and aligns everything again)
  YIGAI_CACHE_DIR=/tmp/c yigai matrix national.txt drafts/    a cache of its own
  yigai matrix national.txt drafts/ --no-cache                 neither read nor written
""",
)


class InfoFormat(str, Enum):
    text = "text"
    json = "json"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@cache_app.callback()
def cache() -> None:
    """The results kept between runs, so that a re-run aligns only the documents that changed."""


@cache_app.command("info", epilog="""\b
Examples:
  yigai cache info                    the folder, size on disk, results held and the limit
  yigai cache info --format json      the same, for a script
  YIGAI_CACHE_DIR=/tmp/c yigai cache info
""")
def info(
    format: Annotated[InfoFormat, typer.Option("--format", "-f", help="Output format.")] = InfoFormat.text,
) -> None:
    """Where the cache is, its size on disk, the results it holds and its limit."""
    import sqlite3

    from yigai.cache import ENV_FOLDER, Store
    from yigai.errors import InputError

    store = Store()
    try:
        found = store.info()
    except sqlite3.Error as exc:
        raise InputError(str(store.path), f"cannot be read: {' '.join(str(exc).split())}",
                         "yigai cache clear empties it") from None
    if format is InfoFormat.json:
        import orjson

        sys.stdout.write(orjson.dumps({"path": str(found.path), "exists": found.exists, "bytes": found.bytes_on_disk,
                                       "entries": found.entries, "stored_bytes": found.stored, "limit_bytes": found.limit},
                                      option=orjson.OPT_INDENT_2).decode() + "\n")
        return
    lines = [f"cache:   {found.path}" + ("" if found.exists else " (none yet)"),
             f"size:    {_megabytes(found.bytes_on_disk)} on disk, {_megabytes(found.stored)} of results "
             f"(limit {_megabytes(found.limit)}; the least recently used go first)",
             f"entries: {found.entries}",
             f"({ENV_FOLDER} sets the folder; yigai cache clear empties it; --no-cache runs without it)"]
    from .formats.cells import one_line

    sys.stdout.write("".join(one_line(line) + "\n" for line in lines))


@cache_app.command("clear", epilog="""\b
Examples:
  yigai cache clear                   every kept result removed
  yigai cache clear && yigai matrix national.txt drafts/    a run that reads and aligns everything again
  YIGAI_CACHE_DIR=/tmp/c yigai cache clear
""")
def clear() -> None:
    """Remove every kept result (the next run reads and aligns everything again)."""
    from yigai.cache import Store
    from yigai.errors import InputError

    from .formats.cells import one_line

    store = Store()
    try:
        freed = store.clear()
    except OSError as exc:
        raise InputError(str(store.path), f"cannot be removed: {exc.strerror or exc}",
                         "check the folder's permissions") from None
    sys.stdout.write(one_line(f"cleared {store.path} ({_megabytes(freed)})") + "\n")
