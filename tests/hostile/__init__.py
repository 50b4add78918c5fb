"""Hostile input, in one place: NUL bytes, decoding bombs, huge dimensions, metadata, bad frames.

Later features add their cases here (and their inputs to the lists below).
"""

NUL_TEXTS = ["a\x00b", "\x00", "trailing\x00"]

# Images that cost more to decode than their size suggests, or carry what must not be published.
