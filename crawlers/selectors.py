"""Profile selectors, compiled when the profile loads and read the same way everywhere.

A profile names parts of a page with CSS (``cssselect`` through parsel, with parsel's ``::text``
and ``::attr(name)``) or XPath 1.0 (lxml, with parsel's ``has-class()`` and the EXSLT ``re:`` and
``set:`` functions). Both are compiled to XPath when the profile loads, so a typo is a
:class:`SelectorError` naming the profile key at fault before anything is fetched, never a
traceback per page.

An XPath may select elements, attributes or text nodes, or compute a string, number or boolean
(``normalize-space(//h1)``, ``substring-before(//td[@class='price'], ' ')``, ``count(//tr)``):
every result becomes text.

:func:`read_texts`, :func:`finds` and :func:`matches` run on every page a crawl fetches, so they
evaluate each XPath as compiled once (an ``lxml.etree.XPath`` a path, kept in a cache: lxml
evaluates a compiled path under its own lock, so it may be shared) on the page's lxml tree, and
read lxml's results directly; :func:`select` gives parsel's ``SelectorList`` for the rest.

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
from functools import lru_cache
from typing import Any

from cssselect import SelectorError as _CssError
from lxml import etree
from parsel.csstranslator import HTMLTranslator
from w3lib.html import strip_html5_whitespace

__all__ = ["CompiledSelector", "SelectorError", "compile_selector", "compile_regex", "read_texts", "select", "css_found",
           "first_match", "finds", "matches", "link_urls"]

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


@lru_cache(maxsize=4096)
def _xpath(path: str) -> etree.XPath:
    """A path compiled once, as parsel evaluates it (its namespaces, no "smart" strings)."""
    return etree.XPath(path, namespaces=_NAMESPACES, smart_strings=False)


@lru_cache(maxsize=1024)
def _css_xpath(css: str) -> etree.XPath:
    return _xpath(_TRANSLATOR.css_to_xpath(css))


def _tree(root):
    """The lxml element under a Scrapy response (its cached selector) or a parsel ``Selector``."""
    return getattr(root, "selector", root).root


def _found(root, path: etree.XPath) -> list:
    """lxml's results of a compiled path on a page: elements and strings, or the one string,
    number or boolean an XPath function computed."""
    result = path(_tree(root))
    return result if isinstance(result, list) else [result]


def finds(root, selector: CompiledSelector) -> bool:
    """Whether a selector finds something: an element or a non-empty text, or (an XPath test
    such as ``boolean(...) and ...``) a true, non-zero result.

    >>> from parsel import Selector
    >>> page = Selector(text="<p class=a>x</p>")
    >>> finds(page, compile_selector(css="p.a", where="w")), finds(page, compile_selector(xpath="count(//b) > 0", where="w"))
    (True, False)
    """
    return any(not (isinstance(f, (bool, int, float, str)) and not f) for f in _found(root, _xpath(selector.path)))


def matches(root, css: str) -> bool:
    """Whether a CSS selector (a profile's ``session:`` marker) matches anything on a page: what
    ``bool(response.css(css))`` says, from a path compiled once.

    >>> from parsel import Selector
    >>> page = Selector(text="<form id=login><input type=password></form>")
    >>> matches(page, "form#login"), matches(page, "div#queue"), matches(page, "form input[type=password]")
    (True, False, True)
    """
    return bool(_found(root, _css_xpath(css)))


def css_found(root, css: str) -> list:
    """What a CSS selector finds on a page, from a path compiled once: lxml elements, or the
    strings a ``::text`` or ``::attr()`` selects.

    >>> from parsel import Selector
    >>> page = Selector(text="<p><img src=a.jpg><img data-src=b.jpg></p>")
    >>> [e.get("src") for e in css_found(page, "p img")], css_found(page, "img::attr(data-src)")
    (['a.jpg', None], ['b.jpg'])
    """
    return _found(root, _css_xpath(css))


def link_urls(root, css: str) -> list[str]:
    """The links a CSS selector (a profile's ``follow`` entry) finds on a page, as Scrapy's
    ``response.follow_all(css=...)`` reads them: the ``href`` of ``<a>`` and ``<link>`` elements,
    or the text an ``::attr()`` selected; other elements and anchors without ``href`` are skipped.

    >>> from parsel import Selector
    >>> page = Selector(text="<a class=n href=' /p/2 '>2</a><a class=n>x</a><span class=n>s</span>")
    >>> link_urls(page, "a.n, span.n"), link_urls(page, "a.n::attr(href)")
    (['/p/2'], ['/p/2'])
    """
    urls = []
    for found in css_found(root, css):
        if isinstance(found, str):
            urls.append(strip_html5_whitespace(found))
        elif getattr(found, "tag", None) in ("a", "link") and (href := found.get("href")) is not None:
            urls.append(strip_html5_whitespace(href))
    return urls


_STRING = etree.XPath("string()", smart_strings=False)


def _text_of(value, attr: str | None, keep_whitespace: bool) -> str:
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (str, int, float)):
        text = value if isinstance(value, str) else f"{value:g}"
    elif attr:
        text = value.get(attr) or ""
    else:
        text = _STRING(value) or ""
    return text.strip() if keep_whitespace or attr else " ".join(text.split())


def read_texts(root, selector: CompiledSelector, *, attr: str | None = None,
               keep_whitespace: bool = False) -> list[str]:
    """The non-empty texts a selector reads, in page order: an element's text content (its
    whitespace collapsed unless ``keep_whitespace``), an attribute (``attr``), a text node or the
    value an XPath function computed.

    >>> from parsel import Selector
    >>> page = Selector(text="<ul><li> a  b </li><li></li><li data-x=7>c</li></ul>")
    >>> read_texts(page, compile_selector(css="li", where="w")), read_texts(page, compile_selector(css="li", where="w"), attr="data-x")
    (['a b', 'c'], ['7'])
    >>> read_texts(page, compile_selector(xpath="count(//li)", where="w")), read_texts(page, compile_selector(css="li::text", where="w"), keep_whitespace=True)
    (['3'], ['a  b', 'c'])
    """
    return [t for t in (_text_of(value, attr, keep_whitespace) for value in _found(root, _xpath(selector.path))) if t]


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
