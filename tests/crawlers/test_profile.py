"""Market profiles: bundled ones load; mistakes are reported with the field at fault."""
from __future__ import annotations

import pytest

from crawlers.onion import v3_address
from crawlers.profile import ProfileError, bundled_profiles, load_profile, parse_profile

GOOD = {"name": "m", "base_url": "http://127.0.0.1:1/", "follow": ["a.next"],
        "pages": {"listing": {"url": r"^/item/(?P<listing_id>\d+)$", "fields": {"title": "h1"},
                              "required": ["title"]}}}


def test_parse_good_profile():
    profile = parse_profile(GOOD)
    assert profile.base_url == "http://127.0.0.1:1"
    assert profile.pages["listing"][0].match("/item/5") == {"listing_id": "5"}
    assert profile.pages["listing"][0].match("/vendor/5") is None


@pytest.mark.parametrize("change, message", [
    ({"name": None}, "missing required key 'name'"),
    ({"pages": {"shop": {"url": "x", "fields": {}}}}, "pages.shop: unknown page kind"),
    ({"pages": {"listing": {"url": "(", "fields": {}}}}, "pages.listing.url: not a valid regex"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"css": "a", "xpath": "b"}}}}}, "exactly one of"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": "h1"}, "required": ["price"]}}}, "undefined field"),
    ({"follow": "a.next"}, "follow: expected a list"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": "h1"}, "photos": 3}}}, "pages.listing.photos: expected a CSS"),
    ({"pages": {"vendor": {"url": "x", "fields": {"t": "h1"}, "photos": "img"}}}, "listing pages only"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": "h1"}, "photo": "img"}}}, r"unknown key\(s\) \['photo'\]"),
    # selectors are compiled when the profile loads: a bad one names its key
    ({"pages": {"listing": {"url": "x", "fields": {"t": "div["}}}}, r"pages.listing.fields.t.css: bad CSS selector 'div\['"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"xpath": "//a/text("}}}}}, r"pages.listing.fields.t.xpath: bad XPath"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"xpath": "nope:f(.)"}}}}}, r"pages.listing.fields.t.xpath: bad XPath"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"css": "h1", "re": "(["}}}}}, r"pages.listing.fields.t.re: bad regular"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"xpath": "//a[re:test(@href, '(')]"}}}}},
     r"pages.listing.fields.t.xpath: bad XPath .*unterminated"),
    ({"pages": {"listing": {"url": "x", "match": "div..x", "fields": {"t": "h1"}}}}, r"pages.listing.match: bad CSS"),
    ({"pages": {"listing": {"url": "x", "content": {"xpath": "//["}, "fields": {"t": "h1"}}}}, r"pages.listing.content: bad XPath"),
    ({"pages": {"listing": [{"url": "x", "fields": {"t": "h1"}}, {"url": "y", "fields": {"t": "h1["}}]}},
     r"pages.listing\[1\].fields.t.css: bad CSS"),
    ({"pages": {"listing": {"fields": {"t": "h1"}}}}, r"pages.listing: needs 'fields' and 'url'"),
    ({"pages": {"listing": {"url": "x", "fields": {"content": "div"}}}}, r"pages.listing.fields.content: 'content' is written"),
    ({"follow": ["a.next", "a["]}, r"follow\[1\]: .*bad CSS selector"),
    ({"family": ["table"]}, r"family: expected a name"),
])
def test_profile_errors_name_the_field(change, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile({**GOOD, **change}, source="x.yaml")


def test_every_bundled_profile_loads():
    profiles = bundled_profiles()
    assert "sandbox-table" in profiles
    for name in profiles:
        assert load_profile(name).pages
        if name.startswith("sandbox-"):
            assert load_profile(name).pages["listing"][0].photos  # every sandbox family shows photos


def test_unknown_profile_lists_bundled():
    with pytest.raises(ProfileError, match="bundled: .*sandbox-table"):
        load_profile("no-such-market")


@pytest.mark.parametrize("session, message", [
    ({"login": "yes"}, "session.login: expected true or false"),
    ({"max_wait": -1}, "session.max_wait: expected a number >= 0"),
    ({"login_path": "login"}, "session.login_path: must start with '/'"),
    ({"captcha": "img"}, "session: unknown key"),
    ("form#login", "session: expected a mapping"),
])
def test_session_block_errors_name_the_key(session, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile({**GOOD, "session": session}, source="x.yaml")


def test_session_block_defaults_and_overrides():
    profile = parse_profile({**GOOD, "session": {"login_path": "/signin", "queue": "div.ddos", "retries": 2}})
    assert (profile.session.login_path, profile.session.queue, profile.session.retries) == ("/signin", "div.ddos", 2)
    assert parse_profile(GOOD).session.logged_out == "form#login"


def test_file_errors_name_the_line(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("name: m\nbase_url: http://mldgu6s524gdcrtbqbr4grhfghtnjnm6g6maqrb45frlhk6whrnlskad.onion\npages:\n  listing:\n    url: '(['\n    fields: {title: h1}\n"
                    "session:\n  retries: many\n")
    with pytest.raises(ProfileError, match=r"m.yaml, line 5: pages.listing.url: not a valid regex"):
        load_profile(str(path))
    path.write_text("name: m\nbase_url: http://mldgu6s524gdcrtbqbr4grhfghtnjnm6g6maqrb45frlhk6whrnlskad.onion\npages:\n  listing:\n    url: x\n    fields: {title: h1}\n"
                    "session:\n  retries: many\n")
    with pytest.raises(ProfileError, match=r"m.yaml, line 8: session.retries: expected a number"):
        load_profile(str(path))


def test_errors_in_a_list_of_rules_name_the_rule_and_line(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("name: m\nbase_url: http://mldgu6s524gdcrtbqbr4grhfghtnjnm6g6maqrb45frlhk6whrnlskad.onion\npages:\n  vendor:\n    - url: '^/u/'\n      fields: {handle: h1}\n"
                    "    - match: li.on\n      fields:\n        handle: {xpath: '//h1[', re: x}\n")
    with pytest.raises(ProfileError, match=r"m.yaml, line 9: pages.vendor\[1\].fields.handle.xpath: bad XPath '//h1\['"):
        load_profile(str(path))


def test_several_rules_a_kind_are_tried_in_order():
    profile = parse_profile({**GOOD, "pages": {"vendor": [
        {"name": "tab-a", "url": "^/u/", "match": "div.a", "fields": {"handle": "h1"}},
        {"name": "tab-b", "url": "^/u/", "fields": {"handle": "h2"}}]}})
    assert [r.name for r in profile.rules] == ["tab-a", "tab-b"]
    assert profile.pages["vendor"][0].match("/u/x") == {} and profile.pages["vendor"][1].match("/x") is None


#: A valid v3 address (any 32-byte key, its checksum and version 3), and the same with one letter changed.
V3 = v3_address(bytes(range(32)))
MISTYPED = V3[:5] + ("b" if V3[5] != "b" else "c") + V3[6:]


@pytest.mark.parametrize("base_url", [f"http://{V3}", f"http://{V3.upper()}/", f"https://shop.{V3}", "http://127.0.0.1:8800",
                                      "http://localhost:1", "http://[::1]:8800", "http://127.4.5.6", "http://expyuzz4wqqyqhjn.onion"])
def test_onion_and_loopback_addresses_are_accepted(base_url):
    assert parse_profile({**GOOD, "base_url": base_url}).base_url == base_url.rstrip("/")


@pytest.mark.parametrize("change, message", [
    ({"base_url": "http://market.example.com"}, r"base_url: 'http://market.example.com' is neither an onion service"),
    ({"base_url": "http://10.1.2.3:8080"}, r"neither an onion service .* `allow_clearnet: true`"),
    ({"base_url": "http://203.0.113.9"}, r"neither an onion service"),
    ({"mirrors": ["http://mirror.example.org"]}, r"mirrors\[0\]: 'http://mirror.example.org' is neither"),
    ({"base_url": f"http://{MISTYPED}"}, r"base_url: .*checksum does not match"),
    ({"base_url": "http://m.onion"}, r"base_url: .*'m' has 1 characters; a v3 address has 56"),
    ({"base_url": "http://" + "a" * 56 + ".onion"}, r"base_url: .*not a v3 onion address \(version byte 0"),
    ({"allow_clearnet": "yes"}, r"allow_clearnet: expected true or false"),
    ({"settings": {"DOWNLOAD_DELAY": "abc"}}, r"settings.DOWNLOAD_DELAY: expected a number of seconds \(0 or more\), got 'abc'"),
    ({"settings": {"DOWNLOAD_DELAY": -1}}, r"settings.DOWNLOAD_DELAY: expected a number of seconds"),
    ({"settings": {"CONCURRENT_REQUESTS_PER_DOMAIN": 2.5}}, r"CONCURRENT_REQUESTS_PER_DOMAIN: expected a whole number"),
    ({"settings": {"RETRY_TIMES": True}}, r"RETRY_TIMES: expected a whole number"),
    ({"settings": {"AUTOTHROTTLE_ENABLED": "on"}}, r"AUTOTHROTTLE_ENABLED: expected true or false, got 'on'"),
    ({"settings": {"USER_AGENT": "curl"}}, r"settings.USER_AGENT: not a setting a profile may change"),
])
def test_addresses_and_settings_are_checked_when_the_profile_loads(change, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile({**GOOD, **change}, source="x.yaml")


def test_allow_clearnet_admits_a_lab_host():
    profile = parse_profile({**GOOD, "base_url": "http://market.example.com", "mirrors": ["http://10.0.0.2"],
                             "allow_clearnet": True})
    assert profile.allow_clearnet and profile.hosts == {"market.example.com", "10.0.0.2"}


def test_a_wrong_setting_in_a_file_names_its_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(f"name: m\nbase_url: http://{V3}\nsettings:\n  DOWNLOAD_DELAY: abc\npages:\n  listing:\n"
                    "    url: x\n    fields: {title: h1}\n")
    with pytest.raises(ProfileError, match=r"p.yaml, line 4: settings.DOWNLOAD_DELAY: expected a number"):
        load_profile(str(path))


def test_v2_profiles_load_for_replay_and_say_so():
    for name in ("dream", "apollon"):
        profile = load_profile(name)
        assert profile.v2_addresses == (profile.base_url,)
    assert parse_profile({**GOOD, "base_url": f"http://{V3}"}).v2_addresses == ()


def test_a_crawl_with_a_wrong_setting_or_a_v2_address_stops_before_it_starts(tmp_path):
    from .crawl_helpers import run_onionwatch, write_profile

    wrong = write_profile(tmp_path, name="typed", base_url="http://127.0.0.1:9", settings={"DOWNLOAD_DELAY": "abc"})
    done = run_onionwatch("crawl", "--profile", str(wrong), "--no-index", "--data-dir", str(tmp_path / "data"), timeout=120)
    assert done.returncode != 0
    assert "settings.DOWNLOAD_DELAY: expected a number of seconds" in done.stderr
    assert "Traceback" not in done.stderr and "finished" not in done.stdout + done.stderr
    done = run_onionwatch("crawl", "--profile", "dream", "--no-index", "--data-dir", str(tmp_path / "data"), timeout=120)
    assert done.returncode != 0 and "v2 onion address" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "warc").exists() or not any((tmp_path / "data" / "warc").iterdir())


def test_another_base_url_is_held_to_the_same_rule_unless_replaying():
    profile = parse_profile(GOOD)
    assert profile.with_base_url(f"http://{V3}/").base_url == f"http://{V3}"
    with pytest.raises(ProfileError, match="'http://market.example.com' is neither an onion service"):
        profile.with_base_url("http://market.example.com")
    assert profile.with_base_url("http://market.example.com", replaying=True).base_url == "http://market.example.com"
