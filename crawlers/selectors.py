"""Profile selectors, compiled when the profile loads and read the same way everywhere.

A profile names parts of a page with CSS (``cssselect`` through parsel, with parsel's ``::text``
and ``::attr(name)``) or XPath 1.0 (lxml, with parsel's ``has-class()`` and the EXSLT ``re:`` and
``set:`` functions). Both are compiled to XPath when the profile loads, so a typo is a
:class:`SelectorError` naming the profile key at fault before anything is fetched, never a
traceback per page.

An XPath may select elements, attributes or text nodes, or compute a string, number or boolean
(``normalize-space(//h1)``, ``substring-before(//td[@class='price'], ' ')``, ``count(//tr)``):
every result becomes text.

>>> sel = compile_selector(xpath="substring-before(//td, ' (')", where="pages.listing.fields.vendor")
>>> from parsel import Selector
>>> read_texts(Selector(text="<table><tr><td>bob (99%)</td></tr></table>"), sel)
['bob']
>>> compile_selector(css="div[", where="pages.listing.fields.title")
Traceback (most recent call last):
...
crawlers.selectors.SelectorError: pages.listing.fields.title: bad CSS selector 'div[': Expected ident or '*', got <EOF at 4>
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cssselect import SelectorError as _CssError
from lxml import etree
from parsel.csstranslator import HTMLTranslator

__all__ = ["CompiledSelector", "SelectorError", "compile_selector", "compile_regex", "read_texts", "select",
           "first_match", "finds"]

#: The namespaces parsel registers for XPath (EXSLT regular expressions and sets).
_NAMESPACES = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
_TRANSLATOR = HTMLTranslator()
#: A small page every XPath is tried on once, so unknown functions and prefixes fail at load time.
_PROBE = etree.fromstring("<html><head><title>t</title></head><body><div id='d' class='x'><a href='/a?b=1'>a</a>"
                          "<table><tr><th>k</th><td>v</td></tr></table><ul><li class='on'>l</li></ul>"
                          "<span>s</span><p>p</p><pre>k</pre><img src='i'/><form action='f'><input name='n'"
                          " value='v'/></form></div></body></html>", etree.HTMLParser())


class SelectorError(ValueError):
    """A selector or pattern of a profile does not compile; the message names its key."""


@dataclass(frozen=True)
class CompiledSelector:
    """A selector as the profile wrote it (``css`` or ``xpath``) and the XPath it runs as."""

    source: str
    language: str  # "css" or "xpath"
    path: str

    def __str__(self) -> str:
        return f"{self.language} {self.source!r}"


def compile_selector(*, css: str | None = None, xpath: str | None = None, where: str) -> CompiledSelector:
    """Compile one CSS or XPath selector; :class:`SelectorError` names ``where`` when it is bad."""
    if css is not None:
        if not isinstance(css, str) or not css.strip():
            raise SelectorError(f"{where}: expected a CSS selector string, got {css!r}")
        try:
            path = _TRANSLATOR.css_to_xpath(css)
        except _CssError as exc:
            raise SelectorError(f"{where}: bad CSS selector {css!r}: {exc}") from None
        return CompiledSelector(css, "css", path)
    if not isinstance(xpath, str) or not xpath.strip():
        raise SelectorError(f"{where}: expected an XPath expression string, got {xpath!r}")
    try:
        # evaluated once on a tiny page: unknown functions and prefixes fail here, not per page
        etree.XPath(xpath, namespaces=_NAMESPACES)(_PROBE)
    except Exception as exc:  # noqa: BLE001  (XPath syntax, unknown function, a bad re:test pattern, ...)
        raise SelectorError(f"{where}: bad XPath {xpath!r}: {exc}") from None
    return CompiledSelector(xpath, "xpath", xpath)


def compile_regex(pattern: Any, where: str) -> re.Pattern:
    """A field's ``re`` post-filter, compiled; an error names ``where``."""
    if not isinstance(pattern, str) or not pattern:
        raise SelectorError(f"{where}: expected a regular expression string, got {pattern!r}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise SelectorError(f"{where}: bad regular expression {pattern!r}: {exc}") from None


def select(root, selector: CompiledSelector):
    """Run a compiled selector on a parsel ``Selector`` or Scrapy response: a ``SelectorList``."""
    return root.xpath(selector.path, namespaces=_NAMESPACES)


def finds(root, selector: CompiledSelector) -> bool:
    """Whether a selector finds something: an element or a non-empty text, or (an XPath test
    such as ``boolean(...) and ...``) a true, non-zero result.

    >>> from parsel import Selector
    >>> page = Selector(text="<p class=a>x</p>")
    >>> finds(page, compile_selector(css="p.a", where="w")), finds(page, compile_selector(xpath="count(//b) > 0", where="w"))
    (True, False)
    """
    return any(not (isinstance(f.root, (bool, int, float, str)) and not f.root) for f in select(root, selector))


def _text_of(found, attr: str | None, keep_whitespace: bool) -> str:
    value = found.root
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = value if isinstance(value, str) else f"{value:g}"
    elif attr:
        text = found.attrib.get(attr) or ""
    else:
        text = found.xpath("string()").get() or ""
    return text.strip() if keep_whitespace or attr else " ".join(text.split())


def read_texts(root, selector: CompiledSelector, *, attr: str | None = None,
               keep_whitespace: bool = False) -> list[str]:
    """The non-empty texts a selector reads, in page order: an element's text content (its
    whitespace collapsed unless ``keep_whitespace``), an attribute (``attr``), a text node or the
    value an XPath function computed."""
    return [t for t in (_text_of(found, attr, keep_whitespace) for found in select(root, selector)) if t]


def first_match(pattern: re.Pattern, text: str) -> str | None:
    """Like Scrapy's ``re_first``: the first match's group ``extract`` if named, else its first
    group, else the whole match; None when nothing matches.

    >>> first_match(re.compile(r"^(\\w+)"), "bob [rank 3]"), first_match(re.compile(r"\\d+"), "none")
    ('bob', None)
    """
    found = pattern.search(text)
    if not found:
        return None
    if "extract" in pattern.groupindex:
        value = found.group("extract")
    elif pattern.groups:
        value = next((g for g in found.groups() if g is not None), "")
    else:
        value = found.group(0)
    return value.strip() if value else None
