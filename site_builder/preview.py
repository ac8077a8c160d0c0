"""A local web server for the built site, optionally under a sub-path (as a portal would host it)."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
"""Debian's chromium: the browser of the tests, the screenshots and the benchmarks (never one a tool downloads)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Headless chromium as root on a closed network: without the background-networking flags it keeps
trying to reach Google's hosts."""


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; with ``prefix`` (e.g. ``/nianbao``) only under that path."""

    prefix = ""
    protocol_version = "HTTP/1.1"  # keep-alive: the search reads many small ranges
    disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK stall between them
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
    }

    def translate_path(self, path: str) -> str:
        if self.prefix:
            if path != self.prefix and not path.startswith(self.prefix + "/"):
                return str(Path(self.directory) / ".not-in-site" / "missing")
            path = path[len(self.prefix) :] or "/"
        return super().translate_path(path)

    def send_head(self) -> Any:
        """A file, or with ``Range: bytes=a-b`` (the browser search reads pack files in ranges) the
        part asked for: 206 with ``Content-Range``, or 416 when it starts past the end."""
        self.range_asked = None
        match = _RANGE.fullmatch(self.headers.get("Range", "").strip())
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):
            return super().send_head()
        size = os.path.getsize(path)
        start_text, end_text = match.groups()
        if start_text:
            start = int(start_text)
            end = min(int(end_text), size - 1) if end_text else size - 1
        elif end_text:  # the last N bytes
            start, end = max(0, size - int(end_text)), size - 1
        else:
            return super().send_head()
        if start >= size or end < start:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        handle = open(path, "rb")  # noqa: SIM115 (closed by do_GET's copyfile)
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.range_asked = end - start + 1
        return handle

    def copyfile(self, source: Any, outputfile: Any) -> None:
        length = getattr(self, "range_asked", None)
        if length is None:
            super().copyfile(source, outputfile)
            return
        remaining = length
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing file gets the site's own 404 page, as a web server configured for the site would send it."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def make_server(out: Path, port: int = 0, prefix: str = "") -> http.server.ThreadingHTTPServer:
    handler_class = type("Handler", (SiteHandler,), {"prefix": prefix.rstrip("/")})
    handler = functools.partial(handler_class, directory=str(out))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextmanager
def running(out: Path, prefix: str = "") -> Iterator[str]:
    """Serve ``out`` in a background thread; yields the site's base URL (ending in /)."""
    server = make_server(out, 0, prefix)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}/"
    finally:
        server.shutdown()
        server.server_close()


def sample_pages(out: Path) -> dict[str, str]:
    """One page of each kind in a built site (kind → path relative to the site root).

    For agencies and reports the largest page is taken: the one with the most to show.
    """

    def largest(pattern: str, besides: tuple[str, ...] = ()) -> str | None:
        found = [p for p in out.glob(pattern) if p.name not in besides]
        files = sorted(found, key=lambda p: (-p.stat().st_size, p.name))
        return files[0].relative_to(out).as_posix() if files else None

    candidates = {
        "home": "index.html",
        "report": largest("reports/*.html"),
        "agency": largest("agencies/*.html"),
        "compare": largest("compare/[0-9][0-9][0-9][0-9].html"),
        "problems": largest("compare/*-problems.html"),
        "data": "data/index.html",
        "themes": "themes/index.html",
        "theme": largest("themes/*.html", ("index.html", "uncovered.html")),
        "uncovered": "themes/uncovered.html",
        "search": "search.html",
        "about": "pages/about.html",
        "help": "pages/help.html",
        "notfound": "404.html",
    }
    return {kind: path for kind, path in candidates.items() if path and (out / path).is_file()}
