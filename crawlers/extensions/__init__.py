"""Scrapy extensions: progress output."""
