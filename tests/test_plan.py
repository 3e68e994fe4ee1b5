"""`backtui plan`: the runner's own timeline, phase by phase, for every starter."""

from __future__ import annotations

import json
import re

import pytest

from backtui.cli import main
from backtui.core import locations
from backtui.core.balance import unbalanced
from backtui.core.plan import KINDS, plan
from backtui.core.routine_file import read_routine
from backtui.core.session import Session
from helpers import FakeClock

STARTERS = sorted(p.stem for p in locations.starters_dir().glob("*.toml"))
# What each starter says of its length, where it says one (in its name or note).
STATED_MINUTES = {"desk-break": (2, 3), "evening-wind-down": (8, 12), "extension-series": (6, 10)}


@pytest.mark.parametrize("starter", STARTERS)
def test_every_starter_plans_to_the_runners_total(starter, catalog, capsys):
    assert main(["plan", str(locations.starters_dir() / f"{starter}.toml"), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    routine = read_routine(locations.starters_dir() / f"{starter}.toml", catalog).routine
    assert routine is not None and not unbalanced(routine, catalog)
    assert document["routine"] == routine.name
    assert document["total_s"] == Session(routine, catalog, FakeClock()).total_s
    assert document["total_s"] == sum(p["seconds"] for p in document["phases"])
    first, *rest = document["phases"]
    assert first["kind"] == "get-ready" and first["exercise"] is None
    for phase in rest:
        assert set(phase) == {"kind", "exercise", "seconds", "step", "rep", "set", "side"}
        assert phase["kind"] in KINDS and phase["exercise"] in catalog
        assert phase["seconds"] > 0 and 1 <= phase["step"] <= len(routine.steps)
        assert phase["side"] in ("left", "right", None)
        if phase["kind"] in ("lift", "lower"):
            assert phase["rep"] is not None
        elif phase["kind"] != "hold":  # a hold is a rep's, or a timed hold of its own
            assert phase["rep"] is None
    if starter in STATED_MINUTES:
        low, high = STATED_MINUTES[starter]
        assert low * 60 <= document["total_s"] <= high * 60


def test_reps_open_into_lift_hold_lower_at_a_safe_pace(catalog):
    from backtui.core.model import Routine, Step

    timeline = plan(Routine("Strength", (Step("superman"), Step("side-leg-raise"))), catalog)
    for exercise, at_least in (("superman", 5), ("side-leg-raise", 4)):
        reps = [p for p in timeline.phases if p.exercise == exercise and p.rep == 1]
        assert [p.kind for p in reps if p.side in (None, "left")] == ["lift", "hold", "lower"]
        assert sum(p.seconds for p in reps if p.side in (None, "left")) >= at_least


def test_the_table_reads_as_a_timeline(capsys):
    assert main(["plan", str(locations.starters_dir() / "extension-series.toml")]) == 0
    table = capsys.readouterr().out
    assert table.startswith("Extension series: ")
    assert re.search(r"\d+ reps +\d+ +Back push-up \(lift \d+, hold \d+, lower \d+ s\)", table)
    assert "position" in table and table.rstrip().endswith("end")


def test_a_broken_routine_is_reported_not_planned(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("schema = 1\nname = 'x'\n[[steps]]\nexercise = 'nope'\n")
    assert main(["plan", str(bad)]) == 1
    assert "unknown exercise" in capsys.readouterr().err
