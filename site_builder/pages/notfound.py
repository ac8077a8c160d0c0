"""The 404 page. Servers show it for any missing path, at any depth (…/nianbao/reports/old/x.html), so
it must not depend on where it is shown: its style and icon are inside it (allowed by the hashes in
its Content-Security-Policy, not by 'unsafe-inline'), and its links lead to the site's root.

With ``--site-url`` the links are absolute. Without it they are relative to the root, and a small
script (also pinned by its hash) rewrites them for the address actually shown: the site's root is
the part of the path before the last of the site's own folders (reports/, compare/ …), or the
path's own folder when it has none of them. Without JavaScript, the links are right for a missing
page at the root, and the page is readable in every case.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from site_builder.context import CSP
from site_builder.site import Page, Site

SITE_FOLDERS = {"reports", "agencies", "compare", "regions", "pages", "data", "static", "originals", "search"}
STATIC = Path(__file__).resolve().parent.parent / "static"

REWRITE = """document.addEventListener("DOMContentLoaded", function () {
  var folders = %s;
  var parts = location.pathname.split("/");
  var cut = parts.length - 1;
  for (var i = parts.length - 2; i > 0; i--) {
    if (folders.indexOf(parts[i]) >= 0) { cut = i; break; }
  }
  var root = parts.slice(0, cut).join("/") + "/";
  var relative = /^(?![a-z][a-z0-9+.-]*:|\\/|#)/i;
  document.querySelectorAll("a[href], form[action]").forEach(function (node) {
    var name = node.hasAttribute("href") ? "href" : "action";
    var value = node.getAttribute(name);
    if (relative.test(value)) { node.setAttribute(name, root + value); }
  });
});"""


def pages(site: Site) -> list[Page]:
    return [Page("404.html", "notfound", "404.html", lambda: _context(site), title="页面不存在", in_sitemap=False)]


def _context(site: Site) -> dict[str, object]:
    css = (STATIC / "site.css").read_text("utf-8")
    icon = "data:image/svg+xml," + quote((STATIC / "favicon.svg").read_text("utf-8").strip(), safe="")
    base = (site.site_url or "").rstrip("/")
    script = None if base else REWRITE % json.dumps(sorted(SITE_FOLDERS), separators=(",", ":"))
    csp = CSP.replace("style-src 'self'", f"style-src {_hash(css)}")
    csp = csp.replace("script-src 'self'", f"script-src {_hash(script)}" if script else "script-src 'none'")

    def url(target: str) -> str:
        return f"{base}/{target}" if base else target

    return {
        "csp": csp,
        "url": url,
        "inline_css": Markup(css),
        "inline_script": Markup(script) if script else None,
        "icon": icon,
    }


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
