"""Market profiles: one declarative YAML file a market, read into a :class:`MarketProfile`.

A profile says where a market starts, which links to follow, how to recognise its listing and
vendor pages (by URL and/or by what they show) and which CSS or XPath selector reads each field
(the page rules: :mod:`crawlers.page_rules`). A new market is a new profile, not new code. See ``docs/market-profiles.md`` for the guide.

>>> profile = parse_profile({
...     "name": "demo", "base_url": "http://127.0.0.1:8800", "follow": ["a.next"],
...     "pages": {"listing": {"url": "^/item/(?P<listing_id>\\\\d+)$", "fields": {"title": "h1"}}}})
>>> profile.pages["listing"][0].match("/item/12")
{'listing_id': '12'}
>>> parse_profile({"name": "demo", "base_url": "http://127.0.0.1:8800",
...                "pages": {"listing": {"url": "x", "fields": {"title": {"xpath": "//h1["}}}}})
Traceback (most recent call last):
...
crawlers.page_rules.ProfileError: profile: pages.listing.fields.title.xpath: bad XPath '//h1[': Invalid expression
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
from crawlers.onion import is_loopback, onion_version
from crawlers.page_rules import FieldRule, PageRule, ProfileError, page_rules, selector_of
from crawlers.settings import check_profile_settings

__all__ = ["MarketProfile", "PageRule", "FieldRule", "ProfileError", "load_profile", "parse_profile",
           "bundled_profiles"]

PAGE_KINDS = ("listing", "vendor")
#: Every key a profile may have at its top level; anything else is a typo and an error.
TOP_LEVEL_KEYS = frozenset({"name", "family", "base_url", "mirrors", "allow_hosts", "start_paths", "follow",
                            "pages", "settings", "session", "allow_clearnet"})


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
    #: lab use only: the base URL and mirrors may be hosts other than onion services and loopback
    allow_clearnet: bool = False

    def with_base_url(self, base_url: str, *, replaying: bool = False) -> "MarketProfile":
        """The profile at another address, held to the same rule as the profile's own ``base_url``
        unless ``replaying`` an archive (the address a past crawl recorded is never fetched)."""
        if not replaying:
            _check_address(base_url, "base_url", self.source or self.name, self.allow_clearnet)
        return replace(self, base_url=base_url.rstrip("/"))

    @property
    def hosts(self) -> frozenset[str]:
        """The host names the crawler may fetch from: base URL, mirrors and ``allow_hosts``."""
        names = {urlsplit(u).hostname for u in (self.base_url, *self.mirrors)} | set(self.allow_hosts)
        return frozenset(n.lower() for n in names if n)

    @property
    def v2_addresses(self) -> tuple[str, ...]:
        """The base URL and mirrors that are v2 onion addresses: Tor no longer reaches them, so
        they serve to replay archives (``reindex``, ``profile check``, ``crawl --from-dir``), not to crawl."""
        return tuple(u for u in (self.base_url, *self.mirrors) if onion_version(urlsplit(u).hostname or "") == 2)

    @property
    def rules(self) -> tuple[PageRule, ...]:
        """Every page rule, in the order they are tried (kinds in profile order)."""
        return tuple(rule for rules in self.pages.values() for rule in rules)


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
            pages[kind] = page_rules(kind, page, f"pages.{kind}")
        except ProfileError as exc:
            raise ProfileError(f"{where}: {exc}") from None
    follow = data.get("follow") or []
    if not isinstance(follow, list) or not all(isinstance(s, str) for s in follow):
        raise ProfileError(f"{where}: follow: expected a list of CSS selectors")
    for i, css in enumerate(follow):
        try:
            selector_of(css, f"follow[{i}]", what="a CSS selector of links")
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
    allow_clearnet = data.get("allow_clearnet", False)
    if not isinstance(allow_clearnet, bool):
        raise ProfileError(f"{where}: allow_clearnet: expected true or false, got {allow_clearnet!r}")
    for i, url in enumerate([data["base_url"], *(data.get("mirrors") or [])]):
        _check_address(str(url), "base_url" if i == 0 else f"mirrors[{i - 1}]", where, allow_clearnet)
    problems = check_profile_settings(data.get("settings") or {})
    if problems:
        raise ProfileError(f"{where}: settings.{problems[0]}" + "".join(f"; settings.{p}" for p in problems[1:]))
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
        allow_clearnet=allow_clearnet,
    )


def _check_address(url: str, key: str, where: str, allow_clearnet: bool) -> None:
    """An http(s) URL whose host is an onion service or loopback, or any host with ``allow_clearnet``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("http", "https") or not host:
        raise ProfileError(f"{where}: {key}: {url!r} is not an http(s) URL with a host")
    try:
        version = onion_version(host)
    except ValueError as exc:
        raise ProfileError(f"{where}: {key}: {url!r}: {exc}") from None
    if version is None and not is_loopback(host) and not allow_clearnet:
        raise ProfileError(f"{where}: {key}: {url!r} is neither an onion service (a v3 .onion address) nor"
                           " loopback (127.0.0.1, for the sandbox); markets are crawled through Tor. For a lab"
                           " copy on another host, add `allow_clearnet: true` to the profile")


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
