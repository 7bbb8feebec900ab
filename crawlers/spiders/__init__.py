"""crawlers/spiders"""
