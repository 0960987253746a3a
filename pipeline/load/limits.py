"""How big a notice can be: the one place the size limits are defined.

A notice is a few pages; even a scanned one with its attachments is far below
50 MB. Anything bigger is a mistake or an attack, and reading it would fill
memory before any stage could object, so the limits are checked on sizes the
file declares (its length, a zip's member sizes) before its bytes are read.
"""

from __future__ import annotations

MB = 1024 * 1024

# a file larger than this is refused from its size alone
MAX_BYTES = 50 * MB
# a zip-based document (DOCX) may not unpack to more than a notice file may be
MAX_UNPACKED_BYTES = MAX_BYTES
# a part that unpacks to more than this many times its packed size is made, not written;
# real Word parts stay below 40 times (styles.xml is the most repetitive), bombs reach 1000
MAX_RATIO = 200
# parts below this size are not judged by their ratio: tiny files compress oddly
RATIO_FLOOR_BYTES = 1 * MB
