r"""Page rules of a market profile: how a kind of page is recognised and how its fields are read.

:func:`page_rules` checks one ``pages.<kind>`` entry of a profile (a rule, or a list of rules) and
compiles every selector and pattern in it (:mod:`crawlers.selectors`), so a mistake is a
:class:`ProfileError` naming its key before anything is fetched. :mod:`crawlers.profile` reads the
rest of the profile; :mod:`crawlers.pages` applies the rules to pages.

>>> [rule] = page_rules("listing", {"url": "^/item/", "fields": {"title": {"css": "h1", "re": r"^(\w+)"}}}, "pages.listing")
>>> rule.name, rule.fields[0].selector.path
('listing', 'descendant-or-self::h1')
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from crawlers.selectors import CompiledSelector, SelectorError, compile_regex, compile_selector, finds

__all__ = ["FieldRule", "PageRule", "ProfileError", "page_rules", "selector_of", "RULE_KEYS", "FIELD_KEYS",
           "RESERVED_FIELDS"]

#: Every key a page rule may have.
RULE_KEYS = frozenset({"name", "url", "match", "content", "fields", "required", "photos"})
#: Every key a field given as a mapping may have.
FIELD_KEYS = frozenset({"css", "xpath", "all", "attr", "keep_whitespace", "re"})
#: Field names the crawler writes itself into a record's ``fields`` (a profile may not use them).
RESERVED_FIELDS = frozenset({"content", "photos", "pages"})



class ProfileError(ValueError):
    """A market profile is missing something or has a value of the wrong kind."""


@dataclass(frozen=True)
class FieldRule:
    """How to read one field: a CSS or XPath selector, one value or all, text or an attribute,
    and an optional ``re`` post-filter (like Scrapy's ``re_first``) applied to each value."""

    name: str
    css: str | None = None
    xpath: str | None = None
    all: bool = False
    attr: str | None = None
    keep_whitespace: bool = False
    re: re.Pattern | None = None
    selector: CompiledSelector | None = None


@dataclass(frozen=True)
class PageRule:
    """A kind of page: recognised by a regex over the URL's path and query and/or by a selector
    that must find something on the page; read by field rules.

    The regex sees ``/path?query`` (no scheme or host), so ``^/vendor/(?P<handle>[^/?#]+)$`` takes a
    vendor's profile page but not the second page of its listings (``/vendor/x?page=2``).
    A kind may have several rules (a vendor's profile tab and its PGP tab): their records, which
    share a key, are merged (:func:`crawlers.pages.merge_records`).
    """

    kind: str
    url: re.Pattern | None
    fields: tuple[FieldRule, ...]
    required: tuple[str, ...] = ()
    #: CSS selector of the page's product photos (``img`` elements, or links to the pictures):
    #: the crawler fetches them through the same circuit and archives them (listing pages only).
    photos: str | None = None
    name: str = ""
    #: a selector that must find something on the page for this rule to apply
    when: CompiledSelector | None = None
    #: the listing's own area of the page: facts come from there, not from the page's chrome
    content: CompiledSelector | None = None

    def match(self, path: str) -> dict[str, str] | None:
        """The URL's named groups when the URL pattern matches ``path`` (``{}`` without a pattern)."""
        if self.url is None:
            return {}
        found = self.url.search(path)
        return found.groupdict() if found else None

    def applies(self, path: str | None, page) -> dict[str, str] | None:
        """The URL groups when this rule takes the page (a parsel selector or response), else None.
        With ``path`` None (a saved page whose address is unknown) the URL pattern is not tested."""
        groups = {} if path is None else self.match(path)
        if groups is None:
            return None
        if self.when is not None and not finds(page, self.when):
            return None
        return groups


def selector_of(spec: Any, where: str, *, what: str) -> CompiledSelector:
    """A profile's selector given as a CSS string or as ``{css: ...}`` / ``{xpath: ...}``."""
    if isinstance(spec, str):
        spec = {"css": spec}
    if not isinstance(spec, dict) or set(spec) - {"css", "xpath"} or bool(spec.get("css")) == bool(spec.get("xpath")):
        raise ProfileError(f"{where}: expected {what}: a CSS selector string, or {{css: ...}} or {{xpath: ...}}")
    try:
        return compile_selector(css=spec.get("css"), xpath=spec.get("xpath"), where=where)
    except SelectorError as exc:
        raise ProfileError(str(exc)) from None


def _field_rule(name: str, spec: Any, where: str) -> FieldRule:
    where = f"{where}.{name}"
    if name in RESERVED_FIELDS:
        raise ProfileError(f"{where}: '{name}' is written by the crawler itself; name the field otherwise"
                           + (" (the listing's own area is the rule's 'content' key)" if name == "content" else ""))
    if isinstance(spec, str):
        spec = {"css": spec}
    if not isinstance(spec, dict):
        raise ProfileError(f"{where}: expected a CSS selector string or a mapping, got {spec!r}")
    unknown = set(spec) - FIELD_KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {sorted(unknown)} (known: {', '.join(sorted(FIELD_KEYS))})")
    if bool(spec.get("css")) == bool(spec.get("xpath")):
        raise ProfileError(f"{where}: give exactly one of 'css' or 'xpath'")
    for flag in ("all", "keep_whitespace"):
        if flag in spec and not isinstance(spec[flag], bool):
            raise ProfileError(f"{where}.{flag}: expected true or false, got {spec[flag]!r}")
    if spec.get("attr") is not None and not isinstance(spec["attr"], str):
        raise ProfileError(f"{where}.attr: expected an attribute name, got {spec['attr']!r}")
    language = "css" if spec.get("css") else "xpath"
    selector = selector_of({language: spec[language]}, f"{where}.{language}", what="a selector")
    try:
        pattern = compile_regex(spec["re"], f"{where}.re") if "re" in spec else None
    except SelectorError as exc:
        raise ProfileError(str(exc)) from None
    return FieldRule(name=name, css=spec.get("css"), xpath=spec.get("xpath"), all=bool(spec.get("all")),
                     attr=spec.get("attr"), keep_whitespace=bool(spec.get("keep_whitespace")), re=pattern,
                     selector=selector)


def _page_rule(kind: str, page: Any, where: str, index: int | None) -> PageRule:
    if not isinstance(page, dict) or "fields" not in page or not ("url" in page or "match" in page):
        raise ProfileError(f"{where}: needs 'fields' and 'url' (a path regex) and/or 'match' (a selector"
                           " the page must show)")
    unknown_keys = set(page) - RULE_KEYS
    if unknown_keys:
        raise ProfileError(f"{where}: unknown key(s) {sorted(unknown_keys)} (known: {', '.join(sorted(RULE_KEYS))})")
    pattern = None
    if page.get("url") is not None:
        try:
            pattern = re.compile(page["url"])
        except (re.error, TypeError) as exc:
            raise ProfileError(f"{where}.url: not a valid regex: {exc}") from exc
    if not isinstance(page["fields"], dict) or not page["fields"]:
        raise ProfileError(f"{where}.fields: expected a mapping of field names to selectors")
    fields = tuple(_field_rule(str(n), s, f"{where}.fields") for n, s in page["fields"].items())
    required = page.get("required") or ()
    if not isinstance(required, (list, tuple)):
        raise ProfileError(f"{where}.required: expected a list of field names")
    missing = set(required) - {f.name for f in fields}
    if missing:
        raise ProfileError(f"{where}.required names undefined field(s) {sorted(missing)}")
    photos = page.get("photos")
    if photos is not None and (not isinstance(photos, str) or not photos.strip()):
        raise ProfileError(f"{where}.photos: expected a CSS selector of the photos (img elements)")
    if photos:
        if kind != "listing":
            raise ProfileError(f"{where}.photos: photos are read on listing pages only")
        selector_of(photos, f"{where}.photos", what="a CSS selector of the photos")
    when = selector_of(page["match"], f"{where}.match", what="a selector") if page.get("match") is not None else None
    content = selector_of(page["content"], f"{where}.content", what="a selector of the listing's own area") \
        if page.get("content") is not None else None
    name = page.get("name") or (kind if index is None else f"{kind}[{index}]")
    return PageRule(kind=kind, url=pattern, fields=fields, required=tuple(required), photos=photos,
                    name=str(name), when=when, content=content)


def page_rules(kind: str, page: Any, where: str) -> tuple[PageRule, ...]:
    """A kind's rules: one mapping, or a list of them (tried in order)."""
    if isinstance(page, list):
        if not page:
            raise ProfileError(f"{where}: an empty list of rules")
        rules = tuple(_page_rule(kind, p, f"{where}[{i}]", i) for i, p in enumerate(page))
        names = [r.name for r in rules]
        if len(set(names)) != len(names):
            raise ProfileError(f"{where}: two rules share a name ({', '.join(names)})")
        return rules
    return (_page_rule(kind, page, where, None),)
