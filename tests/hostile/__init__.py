"""Hostile input, in one place, so later features add their cases beside these.

- test_nul_bytes: a NUL in any path, query, form or JSON body, on every route;
- test_images: decoding bombs, huge dimensions and frame counts, files damaged
  past their header, metadata (EXIF, comments, text chunks, XMP) that must not survive;
- test_socket_frames: non-JSON and binary frames, frame floods, too many sockets.

Their inputs: the lists below and tests/images_hostile.py.
"""

NUL_TEXTS = ["a\x00b", "\x00", "trailing\x00"]

# Images that cost more to decode than their size suggests, or carry what must not be published.
