"""Documents as they arrive: an address fetched (against a server on 127.0.0.1 that this test starts, never
the network) and standard input (`-`), read as the same file saved would be."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import GUANGXI, NATIONAL_PAGE, SICHUAN
from .render import to_html

TEXT = SICHUAN.read_text(encoding="utf-8")


class Handler(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, content_type: str, body: bytes, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        path = self.path
        if path in self.pages:
            content_type, body = self.pages[path]
            self._send(200, content_type, body)
        elif path == "/slow":
            time.sleep(3)
            self._send(200, "text/plain", b"late")
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(40):
                    self.wfile.write("一".encode())
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/huge":  # no Content-Length: it streams until yigai stops reading
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(64):
                    self.wfile.write(("推进医改。" * 10_000).encode())
            except OSError:
                pass
        elif path == "/huge-declared":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/page.html")
            self.end_headers()
        else:
            self._send(404, "text/html", b"<html><body>not here</body></html>")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # yigai hung up on purpose (too slow, too large): the server's write fails quietly


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    # the sample as scraped holds a few characters GBK lacks (no-break and em spaces, a bullet)
    page = to_html(TEXT.translate({0xA0: " ", 0x2003: " ", 0x2022: "·"}), tmp_path_factory.mktemp("pages") / "page.html")
    html = page.read_text(encoding="utf-8")
    gbk_meta = html.replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">')
    Handler.pages = {
        "/page.html": ("text/html; charset=utf-8", html.encode("utf-8")),
        "/gbk.html": ("text/html; charset=GBK", html.replace('charset="utf-8"', 'charset="gbk"').encode("gbk")),
        "/gbk-meta.html": ("text/html", gbk_meta.encode("gbk")),
        "/list.txt?id=3&x=*": ("text/plain; charset=utf-8", TEXT.encode("utf-8")),
        "/both.txt": ("text/plain; charset=utf-8", NATIONAL_PAGE.read_bytes()),
    }
    httpd = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _items(cli, *args):
    result = cli("parse", *args, "--format", "json")
    assert result.status == 0, result.err
    return [[i["title"] for i in d["items"]] for d in result.json()["documents"]]


@pytest.mark.parametrize("page", ["/page.html", "/gbk.html", "/gbk-meta.html", "/moved", "/list.txt?id=3&x=*"])
def test_a_page_reads_as_the_saved_file(cli, server, page, tmp_path):
    content_type, body = Handler.pages.get(page, Handler.pages["/page.html"])
    saved = tmp_path / ("saved.html" if "html" in content_type else "saved.txt")
    saved.write_bytes(body)
    fetched = _items(cli, server + page)
    assert fetched == _items(cli, saved) and len(fetched[0]) == 19


def test_the_declared_charset_wins(server):
    from yigai.fetch import declared_charset, fetch

    assert declared_charset("text/html; charset=GB2312", b"") == "gb18030"
    assert declared_charset("text/html", b'<meta charset="utf-8">') == "utf-8"
    assert declared_charset(None, b"<meta http-equiv=Content-Type content='text/html; charset=gbk'>") == "gb18030"
    assert declared_charset("text/html; charset=x-unknown", b"") is None
    assert fetch(f"{server}/gbk-meta.html", 1 << 20).charset == "gb18030"


def test_an_address_takes_a_selector_and_compares(cli, server):
    fetched = cli("compare", f"{server}/both.txt#1", GUANGXI, "--format", "json")
    saved = cli("compare", f"{NATIONAL_PAGE}#1", GUANGXI, "--format", "json")
    assert fetched.status == 0 and fetched.json()["pairs"] == saved.json()["pairs"]
    assert fetched.json()["national"]["source"] == f"{server}/both.txt"


def test_matrix_takes_addresses(cli, server):
    data = cli("matrix", f"{NATIONAL_PAGE}#1", f"{server}/list.txt?id=3&x=*", "--format", "json").json()
    assert [c["name"] for c in data["columns"]] == ["四川"]


def _refused(cli, url: str, message: str) -> float:
    started = time.monotonic()
    result = cli("parse", url)
    elapsed = time.monotonic() - started
    assert result.status == 2 and result.out == "", result.out
    assert result.err.startswith(f"yigai: error: {url}: ") and result.err.count("\n") == 1, result.err
    assert message in result.err, result.err
    return elapsed


def test_a_slow_server_times_out(cli, server, monkeypatch):
    monkeypatch.setattr("yigai.fetch.TIMEOUT", 0.5)
    assert _refused(cli, f"{server}/slow", "no answer within 0.5 s") < 2.5


def test_a_dripping_server_times_out_as_a_whole(cli, server, monkeypatch):
    monkeypatch.setattr("yigai.fetch.TIMEOUT", 0.8)  # each read comes in 0.1 s; the whole would take 4 s
    assert _refused(cli, f"{server}/drip", "not received within 0.8 s") < 2.5


def test_a_huge_body_is_cut_off(cli, server, monkeypatch):
    monkeypatch.setattr("yigai.load.MAX_BYTES", 1024 * 1024)
    _refused(cli, f"{server}/huge", "page is larger than the 1 MB yigai reads")
    _refused(cli, f"{server}/huge-declared", "page is larger than the 1 MB yigai reads")


def test_a_redirect_loop_stops(cli, server):
    _refused(cli, f"{server}/loop", "redirected more than 5 times")


def test_a_missing_page(cli, server):
    _refused(cli, f"{server}/gone.html", "the server answered HTTP 404 Not Found")


def test_no_server(cli):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _refused(cli, f"http://127.0.0.1:{port}/x.html", "cannot be fetched (")


def _yigai(*args: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "yigai_cli", *args], input=stdin, capture_output=True)


def test_standard_input(cli):
    piped = _yigai("parse", "-", "--format", "json", stdin=SICHUAN.read_bytes())
    assert piped.returncode == 0, piped.stderr
    import json

    assert [[i["title"] for i in d["items"]] for d in json.loads(piped.stdout)["documents"]] == _items(cli, SICHUAN)
    # read once, used twice; after `--`, as any argument that starts with a dash
    both = _yigai("compare", "--format", "json", "--", "-#1", "-#2", stdin=NATIONAL_PAGE.read_bytes())
    assert both.returncode == 0 and json.loads(both.stdout)["coverage"]["total"] == 21
    gbk = _yigai("parse", "-", stdin=TEXT.encode("gb18030"))
    assert gbk.returncode == 0 and "四川省" in gbk.stdout.decode("utf-8")
    empty = _yigai("parse", "-", stdin=b"")
    assert empty.returncode == 2 and empty.stderr.decode() == "yigai: error: -: file is empty (give a document with text)\n"
