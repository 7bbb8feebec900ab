"""extract/components"""
