"""Regular expressions the schema documents and the server applies the same way.

They are written for both engines that read them: Python's `re` (the server,
and the fuzzer that makes test data) and ECMA-262 (what OpenAPI tools use).
The two disagree on `\\s` (Python's counts U+001C-U+001F and U+0085, ECMA's
counts U+FEFF), so whitespace is spelled out as Python's `str.isspace()` has it.
"""

# An id: a positive 64-bit integer in decimal, without leading zeros.
ID = r"^[1-9][0-9]{0,18}$"
# A list position: the nextCursor of the previous page (an id or a position); empty for the first page.
CURSOR = r"^([1-9][0-9]{0,18})?$"

WHITESPACE = r"\t\n\u000b\u000c\r\u001c-\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Text that isn't empty once trimmed (str.strip()): one character that isn't whitespace.
NOT_BLANK = rf"[^{WHITESPACE}]"
# Control characters that posts and messages drop (config/kernel/text.py keeps tab and newline, which are whitespace).
CONTROL = r"\u0000-\u001f\u007f"
# Characters that take no room on screen (config/kernel/text.py INVISIBLE).
INVISIBLE = r"\u00ad\u200b-\u200d\u2060\ufeff"
# A post with something to show: one character that is neither whitespace, control nor invisible.
VISIBLE = rf"[^{WHITESPACE}{CONTROL}{INVISIBLE}]"
# A message with something in it: one character left after dropping controls and trimming.
MESSAGE_NOT_BLANK = rf"[^{WHITESPACE}{CONTROL}]"

# An email address in its common form: a dot-atom, then a domain whose last label has two or more letters.
# Django's EmailValidator (which allauth applies) judges; it also takes rarer forms (quoted, IDN, IP literals).
_ATOM = r"[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+"
_LABEL = r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = rf"^{_ATOM}(\.{_ATOM})*@{_LABEL}(\.{_LABEL})*\.[A-Za-z][A-Za-z-]{{0,61}}[A-Za-z]$"
