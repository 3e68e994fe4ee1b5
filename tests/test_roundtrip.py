"""Property: writing then reading any valid routine gives back an equal routine."""

from hypothesis import given, settings
from hypothesis import strategies as st

from backtui.core import model
from backtui.core.model import Breath, Category, Exercise, Position, Routine, Side, Spine, Step
from backtui.core.routine_file import dumps_routine, loads_routine
from backtui.core.text import clean

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=60).map(
    lambda s: clean(s).strip()
)
name = text.filter(bool).map(lambda s: s[: model.NAME_MAX])
ids = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,2}\Z")
custom_ids = ids.map(lambda s: f"my-{s}")


def exercises(exercise_id):
    return st.builds(
        Exercise,
        id=st.just(exercise_id),
        name=name,
        spine=st.sampled_from(Spine),
        category=st.sampled_from(Category),
        position=st.sampled_from(Position),
        steps=st.lists(text.filter(bool), min_size=1, max_size=4).map(tuple),
        sided=st.booleans(),
        hold_s=st.none() | st.integers(*model.HOLD_RANGE),
        reps=st.none() | st.integers(*model.REPS_RANGE),
        sets=st.none() | st.integers(*model.SETS_RANGE),
        rest_s=st.none() | st.integers(*model.REST_RANGE),
        cue=text,
        cautions=st.lists(text.filter(bool), max_size=3).map(tuple),
        counters=st.lists(st.sampled_from(["childs-pose", "cat"]), max_size=2).map(tuple),
        aliases=st.lists(text.filter(bool), max_size=3).map(tuple),
    )


@st.composite
def routines(draw, catalog):
    custom_names = draw(st.lists(custom_ids, max_size=3, unique=True))
    custom = {i: draw(exercises(i)) for i in custom_names}
    known = {**{k: catalog[k] for k in list(catalog)}, **custom}
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        exercise_id = draw(st.sampled_from(sorted(known)))
        sided = known[exercise_id].sided
        steps.append(
            Step(
                exercise=exercise_id,
                reps=draw(st.none() | st.integers(*model.REPS_RANGE)),
                hold_s=draw(st.none() | st.integers(*model.HOLD_RANGE)),
                sets=draw(st.none() | st.integers(*model.SETS_RANGE)),
                side=draw(st.none() | st.sampled_from(Side)) if sided else None,
                rest_s=draw(st.none() | st.integers(*model.REST_RANGE)),
                note=draw(text.map(lambda s: s[: model.NOTE_MAX])),
            )
        )
    breath = draw(
        st.none()
        | st.builds(Breath, st.integers(*model.INHALE_RANGE), st.integers(*model.EXHALE_RANGE))
    )
    return Routine(
        name=draw(name),
        steps=tuple(steps),
        description=draw(text),
        breath=breath,
        exercises=custom,
    )


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_write_then_read_is_identity(catalog, data):
    routine = data.draw(routines(catalog))
    written = dumps_routine(routine)
    result = loads_routine(written.encode(), catalog, "gen.toml")
    assert [str(p) for p in result.problems] == []
    assert result.routine == routine
    # And writing the read routine gives the very same bytes.
    assert dumps_routine(result.routine) == written
