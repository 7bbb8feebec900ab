"""Check a profile against saved pages: which rule takes each page, what each field reads, what
the pipeline's parsers make of it, and what is missing or fails (``onionwatch profile check``).

The page is read exactly as the crawler reads a fetched one (a Scrapy ``HtmlResponse`` and
:mod:`crawlers.pages`); its address is its path in the folder given (as ``crawl --from-dir``
serves it), or the ``url`` given for it. For every rule that does not take a page the check says
why (its URL pattern, or its ``match`` selector), so a profile is written by trying it.

>>> from crawlers.profile import parse_profile
>>> profile = parse_profile({"name": "m", "base_url": "http://127.0.0.1:8800", "pages": {"listing": {
...     "match": "div.item", "required": ["price"],
...     "fields": {"title": "h1", "price": "td.price", "stock": "td.stock"}}}})
>>> check = check_html(profile, b"<div class=item><h1>Pills</h1><td class=price>$5</td></div>", "/x")
>>> check.rule, check.ok, [(f.name, f.parsed) for f in check.fields]
('listing', True, [('title', None), ('price', {'amount': 5.0, 'currency': 'USD', 'usd': 5.0}), ('stock', None)])
>>> check.fields[2].problem
"missing: css 'td.stock' selects nothing"
>>> print(render_text(check))
/x: listing (rule listing)
  title     'Pills'
 *price     '$5' -> 5 USD
  stock     missing: css 'td.stock' selects nothing
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator

from scrapy.http import HtmlResponse

from onionwatch.pipeline.field_values import FieldValueError, parse_field, parses
from crawlers.pages import match_page, read_field
from crawlers.profile import MarketProfile, PageRule
from crawlers.saved_site import html_content_type, saved_pages
from crawlers.selectors import finds, read_texts, select

__all__ = ["FieldCheck", "PageCheck", "check_html", "check_paths", "render_text", "shown"]

#: The address saved pages are read under (never fetched: only its path is matched).
SAVED_HOST = "http://saved-page.invalid"


@dataclass
class FieldCheck:
    """One field of one page: the texts its selector read, its value (after ``re``), what the
    pipeline's parser made of it, and the problem, if any."""

    name: str
    raw: list[str]
    value: Any
    parsed: Any = None
    required: bool = False
    problem: str | None = None


@dataclass
class PageCheck:
    page: str
    path: str
    kind: str | None = None
    rule: str | None = None
    groups: dict[str, str] = field(default_factory=dict)
    content: dict[str, Any] | None = None
    fields: list[FieldCheck] = field(default_factory=list)
    #: why each rule that was tried did not take the page
    not_taken: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def failures(self) -> list[str]:
        """What makes the check fail: no rule took the page, a required field is missing or
        does not parse, the page could not be read."""
        if self.error:
            return [self.error]
        if self.rule is None:
            return ["no page rule takes this page"]
        return [f"required field {f.name}: {f.problem}" for f in self.fields if f.required and f.problem]

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ok=self.ok, failures=self.failures)
        return data


def _why_not(rule: PageRule, path: str | None, page) -> str:
    if path is not None and rule.match(path) is None:
        return f"url pattern {rule.url.pattern!r} does not match {path!r}"
    if rule.when is not None and not finds(page, rule.when):
        return f"match selector {rule.when} finds nothing"
    return "takes it"


def _field_checks(rule: PageRule, page) -> list[FieldCheck]:
    checks = []
    for spec in rule.fields:
        raw, value = read_field(page, spec)
        check = FieldCheck(spec.name, raw, value, required=spec.name in rule.required)
        if not raw:
            check.problem = f"missing: {spec.selector} selects nothing"
        elif value in (None, []):
            check.problem = f"re {spec.re.pattern!r} matches none of the {len(raw)} text(s)"
        elif parses(spec.name):
            try:
                check.parsed = parse_field(spec.name, value)
            except FieldValueError as exc:
                check.problem = f"does not parse: expected {exc}"
        checks.append(check)
    return checks


def check_html(profile: MarketProfile, body: bytes, path: str | None, *, page: str = "",
               url: str | None = None) -> PageCheck:
    """Check one page's HTML; ``path`` (``/path?query``) is what URL patterns see (None: test the
    ``match`` selectors only), ``url`` the page's address when known."""
    response = HtmlResponse(url or SAVED_HOST + (path or "/"), body=body,
                            headers={"Content-Type": html_content_type(body)})
    check = PageCheck(page=page or (path or ""), path=path or "")
    found = match_page(profile, response, path)
    for rule in profile.rules:
        if found is not None and rule is found[0]:
            break
        check.not_taken[rule.name] = _why_not(rule, path, response)
    if found is None:
        return check
    rule, check.groups = found
    check.kind, check.rule = rule.kind, rule.name
    if rule.content is not None:
        area = select(response, rule.content)
        text = " ".join(" ".join(t.split()) for t in read_texts(response, rule.content))
        check.content = {"selector": str(rule.content), "elements": len(area), "characters": len(text)}
    check.fields = _field_checks(rule, response)
    if rule.content is not None and not check.content["elements"]:
        check.fields.insert(0, FieldCheck("content", [], None, problem=f"{rule.content} selects nothing: the"
                                          " whole page will be read, chrome included"))
    return check


def check_paths(profile: MarketProfile, paths: Iterable[Path | str], *, url: str | None = None) -> Iterator[PageCheck]:
    """Check every saved page among ``paths`` (files, or folders read recursively)."""
    from urllib.parse import urlsplit

    for saved in saved_pages(paths):
        path = saved.url_path
        if url:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            body = saved.file.read_bytes()
        except OSError as exc:
            yield PageCheck(page=str(saved.file), path=path, error=f"unreadable: {exc.strerror or exc}")
            continue
        yield check_html(profile, body, path, page=str(saved.file), url=url)


_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def shown(text: Any, limit: int = 70) -> str:
    """A page's text made safe for a terminal: quoted, control characters escaped, cut at ``limit``.

    >>> print(shown("bob" + chr(27) + "[31m red"))
    'bob\\x1b[31m red'

    """
    text = str(text)
    cut = len(text) > limit
    text = "".join(c if c.isprintable() else _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 256
                                                                  else f"\\u{ord(c):04x}") for c in text[:limit])
    return "'" + text.replace("'", "\\'") + ("...'" if cut else "'")


def _parsed(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_parsed(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "currency" in value and "amount" in value:
            usd = f" (${value['usd']:,.2f})" if value.get("usd") is not None and value["currency"] != "USD" else ""
            return f"{value['amount']:g} {value['currency']}{usd}"
        return ", ".join(f"{k} {_parsed(v)}" for k, v in value.items())
    return str(value)


def render_text(check: PageCheck) -> str:
    """A page's check as lines for a terminal (page text quoted and escaped)."""
    if check.error:
        return f"{check.page}: ERROR {check.error}"
    if check.rule is None:
        lines = [f"{check.page}: NO RULE takes this page (its path: {check.path})"]
        lines += [f"  rule {name}: {why}" for name, why in check.not_taken.items()]
        return "\n".join(lines)
    lines = [f"{check.page}: {check.kind} (rule {check.rule})"]
    if check.groups:
        lines.append("  url groups " + ", ".join(f"{k}={shown(v)}" for k, v in check.groups.items()))
    if check.content and check.content["elements"]:
        lines.append(f"  content   {check.content['selector']}: {check.content['elements']} element(s),"
                     f" {check.content['characters']:,} characters of text")
    for f in check.fields:
        mark = "*" if f.required else " "
        head = f" {mark}{f.name:<9}"
        if f.problem and not f.raw:
            lines.append(f"{head} {f.problem}")
            continue
        raw = shown(f.raw[0]) + (f" (+{len(f.raw) - 1} more)" if len(f.raw) > 1 else "")
        value = f.value[0] if isinstance(f.value, list) and f.value else f.value
        text = raw if value == (f.raw[0] if f.raw else None) else f"{raw} re-> {shown(value)}"
        if f.problem:
            lines.append(f"{head} {text}: {f.problem}")
        elif f.parsed is not None:
            lines.append(f"{head} {text} -> {_parsed(f.parsed)}")
        else:
            lines.append(f"{head} {text}")
    lines += [f"  FAILED: {failure}" for failure in check.failures]
    return "\n".join(lines)
