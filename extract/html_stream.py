"""A page read as a stream of tags and text, keeping no tree: the fallback of
:func:`extract.html.html_to_text` for pages lxml cannot hold.

libxml2 (under lxml) stops building its tree at a nesting depth (256 elements, 2048 with
``huge_tree``) and drops the rest of the page, reporting it only in the parser's error log. A
market page nested 20,000 ``<div>`` deep, by accident or to hide text from scrapers, would lose
its text silently. Here Python's own tokenizer (:class:`html.parser.HTMLParser`) reads the page
and feeds the same rules as the tree walk, with only a list of the open elements: memory and
time grow with the page, not with its depth. End tags close the nearest open element of their
name (and any left open inside it); an end tag with no open element is ignored, as browsers do.

>>> from extract.html import html_to_text
>>> deep = "<div>" * 5000 + "<p>Ships from: Germany</p>" + "</div>" * 5000 + "<p>end</p>"
>>> html_to_text(deep)
'Ships from: Germany\\nend'
"""
from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

__all__ = ["stream_html", "VOID_TAGS"]

#: Elements that never have content or an end tag.
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                       "track", "wbr", "keygen"})


class _Stream(HTMLParser):
    def __init__(self, rules) -> None:
        super().__init__(convert_charrefs=True)
        self.rules = rules
        self.open: list[str] = []  # elements entered, innermost last
        self.counts: Counter[str] = Counter()  # how many of each are open: end tags are matched in O(1)
        self.skip: str | None = None  # an element whose content is not text (script, nav...)
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip is not None:
            self.skip_depth += tag == self.skip
            return
        values = {k: "" if v is None else v for k, v in attrs}
        if not self.rules.start(tag, values.get):
            if tag not in VOID_TAGS:
                self.skip, self.skip_depth = tag, 1
            return
        if tag in VOID_TAGS:
            self.rules.end()
            return
        self.open.append(tag)
        self.counts[tag] += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip is not None:
            if tag == self.skip:
                self.skip_depth -= 1
                if not self.skip_depth:
                    self.skip = None
            return
        if not self.counts[tag]:
            return
        while self.open:
            inner = self.open.pop()
            self.counts[inner] -= 1
            self.rules.end()
            if inner == tag:
                return

    def handle_data(self, data: str) -> None:
        if self.skip is None:
            self.rules.text(data)

    def close(self) -> None:
        super().close()
        while self.open:
            self.counts[self.open.pop()] -= 1
            self.rules.end()


def stream_html(html: str | bytes, rules) -> None:
    """Feed ``html`` to ``rules`` (:class:`extract.html._Rules`) as a stream. Bytes are read as UTF-8."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    stream = _Stream(rules)
    stream.feed(html)
    stream.close()
