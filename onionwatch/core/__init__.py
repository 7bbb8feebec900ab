"""The ground every layer stands on: the data model, the configuration and the data-directory layout,
and the one JSON Lines reader. It imports no stage and nothing above it."""
