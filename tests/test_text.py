from hypothesis import given
from hypothesis import strategies as st

from backtui.core.text import break_long_words, cell_width, clean, visible


def test_clean_strips_escape_sequences_and_bidi_controls():
    assert clean("ab\x1b[31mred\x07\u202eevil") == "ab[31mredevil"


def test_clean_keeps_newlines_only_when_multiline():
    assert clean("a\r\nb\tc") == "a b c"
    assert clean("a\r\nb\n", multiline=True) == "a\nb\n"


def test_visible_escapes_controls():
    assert visible("x\x1by\u202e") == "x\\x1by\\u202e"
    assert visible("plain é") == "plain é"


words = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=120)


@given(words, st.integers(1, 60))
def test_breaking_long_words_only_adds_line_breaks(text, width):
    assert break_long_words(text, width).replace("\n", "") == text.replace("\n", "")


@given(words, st.integers(2, 60))
def test_after_breaking_every_word_fits(text, width):
    assert all(cell_width(word) <= width for word in break_long_words(text, width).split())


@given(st.lists(st.text("abc-", min_size=1, max_size=12), min_size=1, max_size=8))
def test_words_that_fit_are_left_to_the_wrap(parts):
    text = " ".join(parts)
    assert break_long_words(text, 12) == text


def test_a_path_breaks_after_a_slash():
    path = "/home/someone/.config/backtui/routines/morning-stretches.toml"
    assert break_long_words(f"Saved to {path}.", 24).split("\n") == [
        "Saved to /home/someone/.config/",
        "backtui/routines/",
        "morning-stretches.toml.",
    ]
    # No separator at all: broken at the width, the only place left.
    assert break_long_words("x" * 10, 4) == "xxxx\nxxxx\nxx"
