"""onionwatch/sandbox"""
