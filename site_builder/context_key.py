"""The key of a page that has no key of its own: its context as text, each report, entry and agency in
it standing for what it is made from, so that an unchanged context is not rendered again.

A report stands for its stored file's digest (``ReportStore.digest``) and its findings, an agency for
its names, kind, region and reports, an entry for its place in the site, its agency and its report;
other objects for their fields. A context holding anything else
has no key (the page is rendered every time).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from archive.agencies import Agency
from archive.model import Report
from site_builder.site import Page, ReportEntry, Site


def context_key(site: Site, page: Page, context: dict[str, Any]) -> str | None:
    try:
        return inputs_key(site, [page.title, context])
    except (TypeError, ValueError):
        return None


def inputs_key(site: Site, value: Any) -> str:
    """``value`` as text, each report, entry and agency in it standing for its digest (for a page's own
    key: a page that knows what its context is made from, smaller than the context)."""
    return json.dumps(value, default=partial(_plain, site), ensure_ascii=False)


def _standing_for(site: Site, value: Any, made_of: Callable[[], Any]) -> str:
    """A report, an entry or an agency in a page's context: a digest of what it is made from, made once
    a build (a report is in the contexts of many pages). Known by the object itself, held meanwhile (a
    full report and its summary differ in their findings)."""
    found = site.standing_for.get(id(value))
    if found is None:
        text = json.dumps(made_of(), default=partial(_plain, site), ensure_ascii=False)
        found = site.standing_for[id(value)] = (value, hashlib.sha256(text.encode("utf-8")).hexdigest())
    return found[1]


def _plain(site: Site, value: Any) -> Any:
    if isinstance(value, ReportEntry):
        return _standing_for(site, value, lambda: ["entry", value.path, value.title, value.year_label,
                                                   value.original_path, value.agency, value.report])
    if isinstance(value, Report):
        return _standing_for(site, value, lambda: ["report", value.id, site.store.digest(value),
                                                   [f.to_dict() for f in value.findings]])
    if isinstance(value, Agency):
        return _standing_for(site, value, lambda: ["agency", value.key, value.name, value.slug, value.kind,
                                                   value.region.to_dict(), value.names_seen, [r.id for r in value.reports]])
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(type(value).__name__)
