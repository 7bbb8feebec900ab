"""search_index"""
