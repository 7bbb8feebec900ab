"""Market profiles: one declarative YAML file a market, read into a :class:`MarketProfile`.

A profile says where a market starts, which links to follow, how to recognise its listing and
vendor pages by URL, and which CSS (or XPath) selector reads each field. A new market is a new
profile, not new code. See ``docs/market-profiles.md`` for the guide.

>>> profile = parse_profile({
...     "name": "demo", "base_url": "http://127.0.0.1:8800", "follow": ["a.next"],
...     "pages": {"listing": {"url": "^/item/(?P<listing_id>\\\\d+)$", "fields": {"title": "h1"}}}})
>>> profile.pages["listing"][0].match("/item/12")
{'listing_id': '12'}
>>> parse_profile({"name": "demo", "base_url": "http://m.onion",
...                "pages": {"listing": {"url": "x", "fields": {"title": {"xpath": "//h1["}}}}})
Traceback (most recent call last):
...
crawlers.profile.ProfileError: profile: pages.listing.fields.title.xpath: bad XPath '//h1[': Invalid expression
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from crawlers.defences import SessionSpec, parse_session
from crawlers.selectors import CompiledSelector, SelectorError, compile_regex, compile_selector, finds

__all__ = ["MarketProfile", "PageRule", "FieldRule", "ProfileError", "load_profile", "parse_profile",
           "bundled_profiles"]

PAGE_KINDS = ("listing", "vendor")
#: Every key a profile may have at its top level; anything else is a typo and an error.
TOP_LEVEL_KEYS = frozenset({"name", "family", "base_url", "mirrors", "allow_hosts", "start_paths", "follow",
                            "pages", "settings", "session"})
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


@dataclass(frozen=True)
class MarketProfile:
    name: str
    base_url: str
    start_paths: tuple[str, ...] = ("/",)
    follow: tuple[str, ...] = ()
    #: page kind -> its rules, in the order they are tried
    pages: dict[str, tuple[PageRule, ...]] = field(default_factory=dict)
    family: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    source: str | None = None
    mirrors: tuple[str, ...] = ()
    allow_hosts: tuple[str, ...] = ()
    session: SessionSpec = field(default_factory=SessionSpec)

    def with_base_url(self, base_url: str) -> "MarketProfile":
        return replace(self, base_url=base_url.rstrip("/"))

    @property
    def hosts(self) -> frozenset[str]:
        """The host names the crawler may fetch from: base URL, mirrors and ``allow_hosts``."""
        names = {urlsplit(u).hostname for u in (self.base_url, *self.mirrors)} | set(self.allow_hosts)
        return frozenset(n.lower() for n in names if n)

    @property
    def rules(self) -> tuple[PageRule, ...]:
        """Every page rule, in the order they are tried (kinds in profile order)."""
        return tuple(rule for rules in self.pages.values() for rule in rules)


def _selector(spec: Any, where: str, *, what: str) -> CompiledSelector:
    """A selector given as a CSS string or as ``{css: ...}`` / ``{xpath: ...}``."""
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
    selector = _selector({language: spec[language]}, f"{where}.{language}", what="a selector")
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
        _selector(photos, f"{where}.photos", what="a CSS selector of the photos")
    when = _selector(page["match"], f"{where}.match", what="a selector") if page.get("match") is not None else None
    content = _selector(page["content"], f"{where}.content", what="a selector of the listing's own area") \
        if page.get("content") is not None else None
    name = page.get("name") or (kind if index is None else f"{kind}[{index}]")
    return PageRule(kind=kind, url=pattern, fields=fields, required=tuple(required), photos=photos,
                    name=str(name), when=when, content=content)


def _page_rules(kind: str, page: Any, where: str) -> tuple[PageRule, ...]:
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


def parse_profile(data: Any, *, source: str | None = None) -> MarketProfile:
    """Check a profile's parsed YAML and build the profile, every selector compiled; errors
    name the key at fault."""
    where = source or "profile"
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: a profile is a mapping of keys (name, base_url, pages, ...)")
    for key in ("name", "base_url", "pages"):
        if not data.get(key):
            raise ProfileError(f"{where}: missing required key '{key}'")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ProfileError(f"{where}: unknown key(s) {sorted(unknown)} (known: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    if not isinstance(data["pages"], dict):
        raise ProfileError(f"{where}: pages: expected a mapping of page kinds ({', '.join(PAGE_KINDS)})")
    pages: dict[str, tuple[PageRule, ...]] = {}
    for kind, page in data["pages"].items():
        if kind not in PAGE_KINDS:
            raise ProfileError(f"{where}: pages.{kind}: unknown page kind (use one of {', '.join(PAGE_KINDS)})")
        try:
            pages[kind] = _page_rules(kind, page, f"pages.{kind}")
        except ProfileError as exc:
            raise ProfileError(f"{where}: {exc}") from None
    follow = data.get("follow") or []
    if not isinstance(follow, list) or not all(isinstance(s, str) for s in follow):
        raise ProfileError(f"{where}: follow: expected a list of CSS selectors")
    for i, css in enumerate(follow):
        try:
            _selector(css, f"follow[{i}]", what="a CSS selector of links")
        except ProfileError as exc:
            raise ProfileError(f"{where}: {exc}") from None
    if data.get("family") is not None and not isinstance(data["family"], str):
        raise ProfileError(f"{where}: family: expected a name (a string), got {data['family']!r}")
    if not isinstance(data.get("settings") or {}, dict):
        raise ProfileError(f"{where}: settings: expected a mapping of Scrapy settings")
    for key in ("mirrors", "allow_hosts", "start_paths"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProfileError(f"{where}: {key}: expected a list of strings")
    for url in [data["base_url"], *(data.get("mirrors") or [])]:
        parts = urlsplit(str(url))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProfileError(f"{where}: {'base_url' if url == data['base_url'] else 'mirrors'}:"
                               f" {url!r} is not an http(s) URL with a host")
    try:
        session = parse_session(data.get("session"), where)
    except ValueError as exc:
        raise ProfileError(str(exc)) from exc
    return MarketProfile(
        name=str(data["name"]),
        base_url=str(data["base_url"]).rstrip("/"),
        start_paths=tuple(data.get("start_paths") or ("/",)),
        follow=tuple(follow),
        pages=pages,
        family=data.get("family"),
        settings=dict(data.get("settings") or {}),
        source=source,
        mirrors=tuple(str(u).rstrip("/") for u in data.get("mirrors") or ()),
        allow_hosts=tuple(data.get("allow_hosts") or ()),
        session=session,
    )


def bundled_profiles() -> dict[str, Path]:
    """The profiles shipped with onionwatch, by file stem."""
    folder = resources.files("crawlers") / "profiles"
    return {Path(p.name).stem: Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml")}


def load_profile(name_or_path: str) -> MarketProfile:
    """Load a profile from a YAML file path, or by the name of a bundled profile."""
    path = Path(name_or_path)
    if not path.exists():
        bundled = bundled_profiles()
        if name_or_path not in bundled:
            raise ProfileError(
                f"no profile file {name_or_path!r} and no bundled profile of that name"
                f" (bundled: {', '.join(sorted(bundled)) or 'none'})"
            )
        path = bundled[name_or_path]
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML: {exc}") from exc
    try:
        return parse_profile(data, source=str(path))
    except ProfileError as exc:
        raise ProfileError(_with_line(str(exc), str(path), text)) from None


_FIELD_PATH = re.compile(r"^([A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*)(?=:| )")


def _with_line(message: str, source: str, text: str) -> str:
    """``source, line N: field: problem`` when the field the message names is found in the YAML.

    >>> _with_line("p.yaml: pages.listing.url: bad", "p.yaml", "name: x\\npages:\\n  listing:\\n    url: '('\\n")
    'p.yaml, line 4: pages.listing.url: bad'
    """
    rest = message[len(source) + 2:] if message.startswith(source + ": ") else message
    found = _FIELD_PATH.match(rest)
    if not found:
        return message
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return message
    line = None
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", found.group(1)):
        if part.startswith("[") and isinstance(node, yaml.SequenceNode):
            index = int(part[1:-1])
            if index >= len(node.value):
                break
            node = node.value[index]
            line = node.start_mark.line + 1
            continue
        if not isinstance(node, yaml.MappingNode):
            break
        for key, value in node.value:
            if getattr(key, "value", None) == part:
                line, node = key.start_mark.line + 1, value
                break
        else:
            break
    return f"{source}, line {line}: {rest}" if line else message
