"""The build's link check (``site_builder.links.LinkChecker``): pages added as they are written, the
broken links named once all the site's files are known."""

from __future__ import annotations

from site_builder.links import LinkChecker, page_links

PAGES = {
    "index.html": '<a href="a/one.html#top">1</a><a href="a/two.html#gone">2</a><a href="missing.html">m</a>'
                  '<a href="#here">h</a><p id="here"></p>',
    "a/one.html": '<h1 id="top">one</h1><a href="../index.html">home</a><a href="../missing.html">m</a>'
                  '<a href="../data.csv#x">csv</a>',
    "a/two.html": '<h1 id="top">two</h1><a href="../gone.html#top">g</a><a href="one.html#top">1</a>',
}
FILES = {"index.html", "a/one.html", "a/two.html", "data.csv"}


def checked(known: bool) -> list[str]:
    checker = LinkChecker()
    for path, html in PAGES.items():
        if known:  # as a rebuild adds an unchanged page: its links as the last build found them
            checker.add_found(path, page_links(path, html))
        else:
            checker.add(path, html)
    return checker.problems(FILES)


def test_a_site_whose_links_all_resolve_has_no_problem() -> None:
    checker = LinkChecker()
    checker.add("index.html", '<a href="a/one.html#top">1</a>')
    checker.add("a/one.html", '<h1 id="top"></h1><a href="../index.html">home</a>')
    assert checker.problems({"index.html", "a/one.html"}) == []


def test_each_missing_file_and_anchor_is_named_once_with_the_first_page_linking_to_it() -> None:
    # missing.html is linked from index.html and a/one.html: named once, for index.html (added first)
    assert checked(known=False) == [
        "a/one.html: 锚点不存在 ../data.csv#x",
        "a/two.html: 链接的文件不存在 ../gone.html#top",
        "index.html: 链接的文件不存在 missing.html",
        "index.html: 锚点不存在 a/two.html#gone",
    ]


def test_pages_added_with_their_known_links_are_checked_as_pages_parsed() -> None:
    assert checked(known=True) == checked(known=False)
