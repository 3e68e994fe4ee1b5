"""Making untrusted text safe to show.

Text from a routine file may carry escape sequences meant for the terminal, or
bidirectional overrides that make it read differently from what it is. Display
text keeps only printable characters; diagnostics show the hidden ones escaped,
so a person can see what is wrong with their file.
"""

from __future__ import annotations

import re

# C0 and C1 controls (DEL included) and the bidi embedding / isolate controls,
# written as regex escapes that Python and ECMA-262 (JSON Schema) read alike.
_BIDI = r"\u202a-\u202e\u2066-\u2069"
HIDDEN_OR_NEWLINE_CHARS = r"\u0000-\u001f\u007f-\u009f" + _BIDI
_HIDDEN = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f" + _BIDI + "]")
_HIDDEN_OR_NEWLINE = re.compile(f"[{HIDDEN_OR_NEWLINE_CHARS}]")

# Text that shows something: a character that is neither white space nor hidden.
# `clean(text).strip()` is non-empty exactly when this is found in `text`; the
# reader and the JSON Schema both use it, so they agree by construction.
VISIBLE_PATTERN = rf"[^\s{HIDDEN_OR_NEWLINE_CHARS}]"


def clean(text: str, *, multiline: bool = False) -> str:
    """Drop control characters; tabs become spaces, newlines survive only if asked."""
    text = text.replace("\t", " ")
    if multiline:
        return _HIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _HIDDEN_OR_NEWLINE.sub("", text.replace("\r\n", " ").replace("\n", " "))


def visible(text: str) -> str:
    """Escape control characters so diagnostics show them instead of obeying them."""
    return _HIDDEN_OR_NEWLINE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
