"""Screenshots of every page type at phone and desktop width: ``make screenshots``.

Serves the built site under /nianbao/ on localhost and drives Debian's chromium with Playwright.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.preview import CHROMIUM, CHROMIUM_ARGS, running, sample_pages  # noqa: E402

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
MAX_HEIGHT = 2400
SEARCH_EXAMPLE = "search.html?q=%E4%BE%9D%E7%94%B3%E8%AF%B7%E5%85%AC%E5%BC%80+%E7%AD%94%E5%A4%8D"
"""A search with results (依申请公开 答复), as the search-results screenshots show it."""
"""Long pages are cut at this height (pixels) to keep the images small enough for the README."""


def take(site: Path, out: Path, max_height: int = MAX_HEIGHT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = {**sample_pages(site), "search-results": SEARCH_EXAMPLE}
    with running(site, "/nianbao") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height}, device_scale_factor=1, locale="zh-CN"
                )
                page = context.new_page()
                for kind, path in pages.items():
                    page.goto(base + path, wait_until="networkidle")
                    target = out / f"{kind}-{device}.png"
                    height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
                    page.screenshot(
                        path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
                    )
                    written.append(target)
                context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "output", help="the built site (archive build)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="where to write the PNGs")
    parser.add_argument("--max-height", type=int, default=MAX_HEIGHT, help="cut long pages at this height (px)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"错误：{args.site} 中没有网站，请先运行 archive build", file=sys.stderr)
        return 1
    for path in take(args.site, args.out, args.max_height):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
