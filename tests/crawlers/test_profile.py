"""Market profiles: bundled ones load; mistakes are reported with the field at fault."""
from __future__ import annotations

import pytest

from crawlers.profile import ProfileError, bundled_profiles, load_profile, parse_profile

GOOD = {"name": "m", "base_url": "http://127.0.0.1:1/", "follow": ["a.next"],
        "pages": {"listing": {"url": r"^/item/(?P<listing_id>\d+)$", "fields": {"title": "h1"},
                              "required": ["title"]}}}


def test_parse_good_profile():
    profile = parse_profile(GOOD)
    assert profile.base_url == "http://127.0.0.1:1"
    assert profile.pages["listing"].match("/item/5") == {"listing_id": "5"}
    assert profile.pages["listing"].match("/vendor/5") is None


@pytest.mark.parametrize("change, message", [
    ({"name": None}, "missing required key 'name'"),
    ({"pages": {"shop": {"url": "x", "fields": {}}}}, "pages.shop: unknown page kind"),
    ({"pages": {"listing": {"url": "(", "fields": {}}}}, "pages.listing.url: not a valid regex"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": {"css": "a", "xpath": "b"}}}}}, "exactly one of"),
    ({"pages": {"listing": {"url": "x", "fields": {"t": "h1"}, "required": ["price"]}}}, "undefined field"),
    ({"follow": "a.next"}, "follow: expected a list"),
])
def test_profile_errors_name_the_field(change, message):
    with pytest.raises(ProfileError, match=message):
        parse_profile({**GOOD, **change}, source="x.yaml")


def test_every_bundled_profile_loads():
    profiles = bundled_profiles()
    assert "sandbox-table" in profiles
    for name in profiles:
        assert load_profile(name).pages


def test_unknown_profile_lists_bundled():
    with pytest.raises(ProfileError, match="bundled: .*sandbox-table"):
        load_profile("no-such-market")
