"""Making untrusted text safe to show.

Text from a routine file may carry escape sequences meant for the terminal, or
bidirectional overrides that make it read differently from what it is. Display
text keeps only printable characters; diagnostics show the hidden ones escaped,
so a person can see what is wrong with their file.
"""

from __future__ import annotations

import re
import unicodedata

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


def char_width(char: str) -> int:
    """Cells one character takes in a terminal: 0 for combining marks, 2 for wide ones."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    return sum(char_width(char) for char in text)


_WORD = re.compile(r"\S+")
_PATH_BREAKS = "/\\"  # a path breaks after a folder separator,
_WORD_BREAKS = "-_.:"  # else after a hyphen, underscore, dot or colon


def break_long_words(text: str, width: int) -> str:
    """Break each word wider than `width` cells into lines that fit.

    A terminal wraps text at spaces and folds a word that fits on no line
    wherever the line ends, mid-word. A path is such a word: it is broken
    here, after the last `/` that keeps the line within `width`, else after
    the last `-`, `_`, `.` or `:`, and only as a last resort at the width.
    Words that fit and the spaces between words are left for the wrap.
    """
    width = max(width, 1)

    def split(word: str) -> str:
        lines = []
        while cell_width(word) > width:
            end, used = 0, 0
            while end < len(word) and used + char_width(word[end]) <= width:
                used += char_width(word[end])
                end += 1
            end = max(end, 1)  # a character wider than the width still moves on
            head = word[:end]
            cut = next(
                (
                    index + 1
                    for breaks in (_PATH_BREAKS, _WORD_BREAKS)
                    if (index := max(head.rfind(c, 1) for c in breaks)) >= 1
                ),
                end,
            )
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
        return "\n".join(lines)

    return _WORD.sub(lambda match: split(match.group()), text)
