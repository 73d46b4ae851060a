"""Documents as they arrive: a page fetched from its address (http, https), or standard input (`-`).

What is fetched goes to the same reader as a saved file (yigai.load): the bytes, a file suffix the
Content-Type implies, and the charset the page declares (in its Content-Type header, else in its meta tag).
Every failure is one InputError naming the address: no answer in time, too large, too many redirects, an
HTTP error status, no connection.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass

from .errors import InputError

STDIN = "-"
TIMEOUT = 15.0  # seconds: to connect, between two reads, and for the whole page
MAX_REDIRECTS = 5
# what a Content-Type says the body is, as the file suffix the reader knows it by
_SUFFIXES = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt", "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_stdin: bytes | None = None


@dataclass(frozen=True)
class Fetched:
    data: bytes
    suffix: str  # "" when the Content-Type names nothing the reader knows
    charset: str | None  # as declared by the server or the page; None: the reader detects it


def is_url(ref: str) -> bool:
    return ref[:8].lower().startswith(("http://", "https://"))


def read_stdin(limit: int) -> bytes:
    """Standard input's bytes (read once: `-#1` and `-#2` name documents of the same input)."""
    global _stdin
    if _stdin is None:
        stream = sys.stdin.buffer if sys.stdin is not None else None
        if stream is None:
            raise InputError(STDIN, "there is no standard input", "give a file instead")
        if stream.isatty():
            raise InputError(STDIN, "standard input is a terminal", "pipe a document in: yigai parse - < list.txt")
        _stdin = stream.read(limit + 1)
    return _stdin


def declared_charset(content_type: str | None, head: bytes) -> str | None:
    """The charset of the Content-Type header, else of the page's first <meta> that names one."""
    if content_type:
        found = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
        if found:
            return _known(found[1])
    found_meta = _META_CHARSET.search(head[:4096])
    return _known(found_meta[1].decode("ascii")) if found_meta else None


def _known(name: str) -> str | None:
    """A codec Python knows for the declared name; GB2312 and GBK pages are read as GB18030, their superset."""
    import codecs

    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None  # a charset no codec reads: the reader detects the encoding itself
    return "gb18030" if codec in {"gb2312", "gbk"} else codec


def fetch(url: str, limit: int) -> Fetched:
    """The page at `url`, at most `limit` bytes, or an InputError that says what went wrong."""
    import httpx

    timeout = httpx.Timeout(TIMEOUT)
    try:
        with httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS, timeout=timeout,
                          headers={"User-Agent": "yigai"}) as client, client.stream("GET", url) as response:
            if response.status_code >= 400:
                raise InputError(url, f"the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                                 "check the address, or save the page and give the file")
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise _too_large(url, limit)
            data = _body(response, url, limit)
            content_type = response.headers.get("content-type")
    except httpx.TooManyRedirects:
        raise InputError(url, f"redirected more than {MAX_REDIRECTS} times",
                         "open it in a browser and give the final address") from None
    except httpx.TimeoutException:
        raise InputError(url, f"no answer within {TIMEOUT:g} s", "try again later, or save the page and give the file") from None
    except httpx.InvalidURL as exc:
        raise InputError(url, f"is not a valid address ({exc})", "check the address") from None
    except httpx.TransportError as exc:
        raise InputError(url, f"cannot be fetched ({_reason(exc)})", "check the address and the connection") from None
    mime = (content_type or "").split(";")[0].strip().lower()
    return Fetched(data, _SUFFIXES.get(mime, ""), declared_charset(content_type, data))


def _body(response: object, url: str, limit: int) -> bytes:
    """The body, refused as soon as it passes `limit` bytes or takes longer than TIMEOUT in all."""
    started = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # type: ignore[attr-defined]
        size += len(chunk)
        if size > limit:
            raise _too_large(url, limit)
        if time.monotonic() - started > TIMEOUT:  # a server sending a byte at a time never times out a read
            raise InputError(url, f"not received within {TIMEOUT:g} s", "try again later, or save the page and give the file")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, limit: int) -> InputError:
    return InputError(url, f"page is larger than the {limit / 1024 / 1024:g} MB yigai reads", "save the document itself")


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:120]
