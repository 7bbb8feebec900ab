"""Item pipelines: crawled records to JSON Lines."""
