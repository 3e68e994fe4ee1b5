"""A step's row: the name whole where the dose can be shortened (pure, no Textual)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from backtui.core.model import Dose, Side
from backtui.core.step_row import ELLIPSIS, cell_width, crop, fit_name_and_dose

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=50
)
doses = st.text(st.sampled_from("0123456789 ×smreps½LR"), max_size=30)


@given(names, doses, doses, st.integers(-5, 90))
def test_the_parts_fill_the_width_and_never_more(name, long_dose, short_dose, width):
    row = fit_name_and_dose(name, long_dose, short_dose, width)
    assert row.width == max(width, 0)
    assert row.gap >= 0


@given(names, doses, doses, st.integers(0, 90))
def test_the_name_is_whole_whenever_it_and_the_short_dose_fit(name, long_dose, short_dose, width):
    row = fit_name_and_dose(name, long_dose, short_dose, width)
    if cell_width(name) + 1 + cell_width(short_dose) <= width:
        assert row.name == name
        assert row.gap >= 1
        assert row.dose in (long_dose, short_dose)
    if cell_width(name) + 1 + cell_width(long_dose) <= width:
        assert row.dose == long_dose


@given(names, doses, doses, st.integers(0, 90))
def test_a_cut_name_is_a_beginning_of_the_name_with_an_ellipsis(name, long_dose, short_dose, width):
    row = fit_name_and_dose(name, long_dose, short_dose, width)
    if row.name != name and row.name:
        assert row.name.endswith(ELLIPSIS)
        assert name.startswith(row.name.removesuffix(ELLIPSIS))


@given(names, st.integers(0, 60))
def test_crop_fits(text, width):
    assert cell_width(crop(text, width)) <= width


def test_the_examples_from_the_builder_at_80_columns():
    # 34 cells: what a step row has for name and dose at 80x24.
    row = fit_name_and_dose("Knee to chest with hip stretch", "10s each side", "10s", 34)
    assert (row.name, row.dose) == ("Knee to chest with hip stretch", "10s")
    row = fit_name_and_dose("Cat-cow", "2 sets of 10×10s", "10×10s ×2", 34)
    assert (row.name, row.gap, row.dose) == ("Cat-cow", 11, "2 sets of 10×10s")
    row = fit_name_and_dose(
        "Downward dog, pedalling the heels", "2 sets of 6 reps", "6 reps ×2", 34
    )
    assert (row.name, row.dose) == ("Downward dog, pedalling…", "6 reps ×2")


def test_wide_characters_count_two_cells():
    assert cell_width("腰痛") == 4
    assert crop("腰痛体操", 5) == "腰痛" + ELLIPSIS


def test_long_and_short_doses():
    hold = Dose(reps=None, hold_s=30, sets=1, sides=(Side.LEFT, Side.RIGHT), rest_s=0)
    assert (hold.describe(), hold.describe_short()) == ("30s each side", "30s")
    reps = Dose(reps=10, hold_s=3, sets=2, sides=(), rest_s=0)
    assert (reps.describe(), reps.describe_short()) == ("2 sets of 10×3s", "10×3s ×2")
    paced = Dose(reps=12, hold_s=None, sets=3, sides=(Side.RIGHT,), rest_s=0)
    assert (paced.describe(), paced.describe_short()) == ("3 sets of 12 reps right", "12 reps ×3 R")
    minutes = Dose(reps=None, hold_s=90, sets=1, sides=(), rest_s=0)
    assert minutes.describe_short() == "1m30s"


@given(
    st.one_of(st.none(), st.integers(1, 100)),
    st.one_of(st.none(), st.integers(1, 1800)),
    st.integers(1, 10),
    st.sampled_from([(), (Side.LEFT,), (Side.RIGHT,), (Side.LEFT, Side.RIGHT)]),
)
def test_the_short_dose_is_never_longer(reps, hold_s, sets, sides):
    dose = Dose(reps=reps, hold_s=hold_s, sets=sets, sides=sides, rest_s=0)
    assert cell_width(dose.describe_short()) <= cell_width(dose.describe())
