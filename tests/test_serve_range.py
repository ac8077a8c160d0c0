"""`archive serve` answers HTTP Range requests (the browser search reads pack files in ranges)."""

from __future__ import annotations

import http.client
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from site_builder.preview import running


def _get(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.parametrize("prefix", ["", "/nianbao"])
def test_ranges(tmp_path: Path, prefix: str) -> None:
    data = bytes(range(256)) * 40
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "p-0.pack").write_bytes(data)
    (tmp_path / "404.html").write_text("<!DOCTYPE html><title>404</title>", "utf-8")
    with running(tmp_path, prefix) as base:
        url = base + "search/p-0.pack"
        status, headers, body = _get(url, {"Range": "bytes=100-355"})
        assert (status, body) == (206, data[100:356])
        assert headers["Content-Range"] == f"bytes 100-355/{len(data)}"
        assert headers["Content-Length"] == "256"
        status, headers, body = _get(url, {"Range": f"bytes={len(data) - 10}-{len(data) + 50}"})  # past the end: cut
        assert (status, body) == (206, data[-10:])
        status, _, body = _get(url, {"Range": "bytes=-7"})  # the last 7 bytes
        assert (status, body) == (206, data[-7:])
        status, _, body = _get(url, {"Range": "bytes=9000-"})
        assert (status, body) == (206, data[9000:])
        status, headers, _ = _get(url, {"Range": f"bytes={len(data)}-"})
        assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"
        status, _, body = _get(url, {})
        assert (status, body) == (200, data)
        status, _, body = _get(base + "search/missing.pack", {"Range": "bytes=0-9"})
        assert status == 404 and b"404" in body


def test_one_connection_serves_many_ranges(tmp_path: Path) -> None:
    """HTTP/1.1 keep-alive: the search's many small range reads do not each open a connection."""
    data = bytes(range(256)) * 8
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "p-0.pack").write_bytes(data)
    (tmp_path / "search" / "manifest.json").write_text("{}", "utf-8")
    with running(tmp_path, "") as base:
        host = urllib.parse.urlsplit(base)
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
        connection.connect()
        sock = connection.sock
        for start in (0, 300, 1000):
            connection.request("GET", "/search/p-0.pack", headers={"Range": f"bytes={start}-{start + 99}"})
            response = connection.getresponse()
            assert (response.status, response.read()) == (206, data[start : start + 100])
        connection.request("GET", "/search/manifest.json")
        response = connection.getresponse()
        assert (response.status, response.read()) == (200, b"{}")
        assert connection.sock is sock and response.version == 11
        connection.close()
