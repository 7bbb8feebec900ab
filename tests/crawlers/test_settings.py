"""Crawl settings: a flag beats the market profile, which beats onionwatch's defaults, whatever
order the three are put in (Scrapy's priorities, not the order of dict updates)."""
from __future__ import annotations

from itertools import permutations

import pytest
from scrapy.settings import Settings

from crawlers.settings import BASE_SETTINGS, add_settings, crawl_settings
from crawlers.spiders.market import MarketSpider

SOURCES = {
    "defaults": BASE_SETTINGS,
    "profile": {"DOWNLOAD_DELAY": 2.0, "DOWNLOAD_TIMEOUT": 90, "RETRY_TIMES": 5},
    "run": {"DOWNLOAD_DELAY": 0.5, "RETRY_TIMES": 1, "ONIONWATCH_MARKET": "m"},
}


@pytest.mark.parametrize("order", list(permutations(SOURCES)), ids="-".join)
def test_flag_beats_profile_beats_default_in_any_order(order):
    settings = Settings()
    for source in order:
        add_settings(settings, source, SOURCES[source])
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.5  # the flag, over the profile's 2.0 and the default 0.0
    assert settings.getint("RETRY_TIMES") == 1  # the flag, over the profile's 5 and the default 3
    assert settings.getint("DOWNLOAD_TIMEOUT") == 90  # the profile, over the default 60
    assert settings["USER_AGENT"] == BASE_SETTINGS["USER_AGENT"]  # the default, over Scrapy's own
    assert settings.getpriority("DOWNLOAD_DELAY") == 40 and settings.getpriority("DOWNLOAD_TIMEOUT") == 30


def test_crawl_settings_gives_the_same_as_any_order():
    built = crawl_settings(SOURCES["profile"], SOURCES["run"])
    reverse = Settings()
    for source in reversed(list(SOURCES)):
        add_settings(reverse, source, SOURCES[source])
    for name in ("DOWNLOAD_DELAY", "RETRY_TIMES", "DOWNLOAD_TIMEOUT", "USER_AGENT", "ONIONWATCH_MARKET",
                 "CONCURRENT_REQUESTS"):
        assert built[name] == reverse[name], name


def test_the_spider_class_does_not_undo_them():
    # what a Scrapy crawler does with its spider class before anything runs
    settings = crawl_settings({"DOWNLOAD_DELAY": 3.0}, {"DOWNLOAD_DELAY": 1.5})
    MarketSpider.update_settings(settings)
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.5
    assert settings.getdict("DOWNLOADER_MIDDLEWARES") == BASE_SETTINGS["DOWNLOADER_MIDDLEWARES"]


def test_profile_may_only_set_politeness():
    with pytest.raises(ValueError, match=r"profile settings not allowed: \['ONIONWATCH_PROXY'\]"):
        crawl_settings({"ONIONWATCH_PROXY": "socks5h://elsewhere:9050"})
    with pytest.raises(ValueError, match="unknown settings source 'spider'"):
        add_settings(Settings(), "spider", {})
