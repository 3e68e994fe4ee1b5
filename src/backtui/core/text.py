"""Making untrusted text safe to show.

Text from a routine file may carry escape sequences meant for the terminal, or
bidirectional overrides that make it read differently from what it is. Display
text keeps only printable characters; diagnostics show the hidden ones escaped,
so a person can see what is wrong with their file.
"""

from __future__ import annotations

import re
import unicodedata

# What must never reach a terminal as it is, written as regex escapes that Python
# and ECMA-262 (JSON Schema) read alike: C0 and C1 controls (DEL included); the
# bidi marks, embeddings, overrides and isolates, which make text read differently
# from what it is; zero-width and other invisible characters, which make two names
# that look alike differ (or a name of nothing look like one); and the Unicode line
# and paragraph separators, which some terminals and editors break lines at.
_BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVISIBLE = r"\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff"
_SEPARATORS = r"\u2028\u2029"
HIDDEN_OR_NEWLINE_CHARS = r"\u0000-\u001f\u007f-\u009f" + _BIDI + _INVISIBLE + _SEPARATORS
# Lone surrogates are Python's alone: a file name's undecodable bytes, as os.fsdecode
# gives them (b"\x9b" is "\udc9b"). No TOML text holds one; JSON Schema (ECMA-262
# without the u flag) would read the range as half of every emoji, so it stays out
# of the shared pattern.
_SURROGATES = r"\ud800-\udfff"
_HIDDEN = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f" + _BIDI + _INVISIBLE + _SURROGATES + "]"
)
_HIDDEN_OR_NEWLINE = re.compile(f"[{HIDDEN_OR_NEWLINE_CHARS}{_SURROGATES}]")
_HIDDEN_BUT_NEWLINE = re.compile(
    r"[\u0000-\u0009\u000b-\u001f\u007f-\u009f"
    + _BIDI
    + _INVISIBLE
    + _SEPARATORS
    + _SURROGATES
    + "]"
)

# Text that shows something: a character that is neither white space nor hidden.
# `clean(text).strip()` is non-empty exactly when this is found in `text`; the
# reader and the JSON Schema both use it, so they agree by construction.
VISIBLE_PATTERN = rf"[^\s{HIDDEN_OR_NEWLINE_CHARS}]"


def clean(text: str, *, multiline: bool = False) -> str:
    """Drop what must not reach a terminal (see above): the text to show in the app.

    Tabs become spaces; newlines (and the Unicode line and paragraph separators)
    survive as newlines only if asked, else they become spaces.
    """
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if multiline:
        return _HIDDEN.sub("", text)
    return _HIDDEN_OR_NEWLINE.sub("", text.replace("\n", " "))


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode: show that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Text safe for a terminal, for diagnostics: every path and every piece of a
    file that the command line prints goes through here.

    What `clean` drops is shown escaped instead (`\x1b`, `\u202e`, a file name's
    undecodable byte as `\x9b`), so a person sees what is wrong with their file
    and the terminal obeys none of it. The result is printable in any encoding
    once the stream escapes what it cannot encode (the command line's do).
    """
    pattern = _HIDDEN_BUT_NEWLINE if keep_newlines else _HIDDEN_OR_NEWLINE
    return pattern.sub(_escape, text)


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
