"""A local web server for the built site, optionally under a sub-path (as a portal would host it)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site's files; with ``prefix`` (e.g. ``/nianbao``) only under that path."""

    prefix = ""
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
