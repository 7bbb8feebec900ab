"""onionwatch: monitor dark-web drug marketplaces, end to end, on the investigator's own machine."""
__version__ = "0.1.0"
