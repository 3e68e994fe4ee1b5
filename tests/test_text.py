from backtui.core.text import clean, visible


def test_clean_strips_escape_sequences_and_bidi_controls():
    assert clean("ab\x1b[31mred\x07\u202eevil") == "ab[31mredevil"


def test_clean_keeps_newlines_only_when_multiline():
    assert clean("a\r\nb\tc") == "a b c"
    assert clean("a\r\nb\n", multiline=True) == "a\nb\n"


def test_visible_escapes_controls():
    assert visible("x\x1by\u202e") == "x\\x1by\\u202e"
    assert visible("plain é") == "plain é"
