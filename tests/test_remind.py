"""`backtui remind --ics`: a daily calendar event with an alarm, read back with icalendar."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from backtui.cli import main
from backtui.core import locations
from backtui.core.reminder import LINE_OCTETS, Reminder, fold, ics, parse_time
from helpers import write

HOSTILE = 'A, b; c\\d "e"\nsecond line\x1b[2J\x1b]0;pwned\x07\u202eend, ' + "腰痛" * 20


def remind(capsysbinary, *args: str) -> bytes:
    assert main(["remind", "--ics", *args]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    return out


def the_event(raw: bytes):
    calendar = Calendar.from_ical(raw)
    (event,) = calendar.walk("VEVENT")
    return event


def physical_lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    lines = raw[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines), "a bare line end"
    return lines


def test_a_daily_event_with_an_alarm_at_the_time_asked(capsysbinary):
    raw = remind(capsysbinary, "--time", "07:30", "--routine", "morning")
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and "backtui" in str(calendar["PRODID"])
    event = the_event(raw)
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, start.tzinfo) == (7, 30, None)  # floating local time
    assert start.date() in {datetime.now().date(), datetime.now(UTC).date()}
    assert event.decoded("DURATION") > timedelta(0)
    assert str(event["SUMMARY"]) == "Back routine: Morning"
    assert "backtui run morning" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == "backtui-daily-morning@backtui"
    stamp = event.decoded("DTSTAMP")
    assert stamp.tzinfo is not None and abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)
    assert str(alarm["DESCRIPTION"]) == "Back routine: Morning"
    for line in physical_lines(raw):
        assert len(line) <= LINE_OCTETS


def test_the_default_time_is_eight_and_no_routine_means_any(capsysbinary):
    event = the_event(remind(capsysbinary))
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (8, 0)
    assert str(event["SUMMARY"]) == "Back routine"
    assert "backtui list" in str(event["DESCRIPTION"])


def test_the_uid_is_the_same_each_time_for_one_routine(capsysbinary):
    first = the_event(remind(capsysbinary, "--routine", "Morning"))  # by name, any case
    again = the_event(remind(capsysbinary, "--routine", "morning", "--time", "18:15"))
    other = the_event(remind(capsysbinary, "--routine", "quick-relief"))
    assert first["UID"] == again["UID"] != other["UID"]


@pytest.mark.parametrize("text", ["24:00", "08:60", "8", "8am", "08:00:00", "", "-1:30", "٠٨:٠٠"])
def test_a_bad_time_is_refused(text, capsysbinary):
    with pytest.raises(SystemExit) as stop:
        main(["remind", "--ics", "--time", text])
    assert stop.value.code == 2
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"argument --time:" in err


@pytest.mark.parametrize(("text", "expected"), [("8:05", (8, 5)), ("23:59", (23, 59))])
def test_times_that_are_read(text, expected):
    assert parse_time(text) == expected


def test_an_unknown_routine_gets_a_suggestion(capsysbinary):
    assert main(["remind", "--ics", "--routine", "mornin"]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b""
    assert err == b'backtui: no saved routine "mornin"; did you mean morning?\n'


def test_ics_is_required_so_other_kinds_can_come(capsysbinary):
    with pytest.raises(SystemExit) as stop:
        main(["remind"])
    assert stop.value.code == 2
    assert b"--ics" in capsysbinary.readouterr().err


def test_a_hostile_routine_name_from_a_file_reaches_the_calendar_as_plain_text(capsysbinary):
    write(
        locations.routines_dir() / "hostile.toml",
        'schema = 1\nname = "A, b; c\\\\d \\"e\\"\\u001b[2J\\u001b]0;x\\u0007\\u202eend 腰痛"\n'
        "[[steps]]\nexercise = 'cat'\nreps = 5\n",
    )
    raw = remind(capsysbinary, "--routine", "hostile")
    assert b"\x1b" not in raw and b"\x07" not in raw and "\u202e".encode() not in raw
    event = the_event(raw)
    assert str(event["SUMMARY"]) == 'Back routine: A, b; c\\d "e"[2J]0;xend 腰痛'
    assert b"SUMMARY:Back routine: A\\, b\\; c\\\\d" in raw


def hostile_reminder() -> Reminder:
    return Reminder(6, 5, HOSTILE, "backtui run hostile", "hostile")


def test_hostile_text_is_escaped_stripped_and_folded_on_characters():
    text = ics(
        hostile_reminder(), first_day=date(2024, 5, 10), stamp=datetime(2024, 5, 10, tzinfo=UTC)
    )
    raw = text.encode("utf-8")
    for line in physical_lines(raw):
        assert len(line) <= LINE_OCTETS
        line.decode("utf-8")  # never cut inside a character
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    event = the_event(raw)
    shown = 'A, b; c\\d "e" second line[2J]0;pwnedend, ' + "腰痛" * 20
    assert str(event["SUMMARY"]) == f"Back routine: {shown}"
    assert str(event.walk("VALARM")[0]["DESCRIPTION"]) == f"Back routine: {shown}"
    assert event["RRULE"]["FREQ"] == ["DAILY"]
    assert "SUMMARY:Back routine: A\\, b\\; c\\\\d" in text


def test_folding_keeps_short_lines_and_splits_long_ones():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    folded = fold("X:" + "é" * 80)
    assert all(len(part.encode()) <= LINE_OCTETS for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "é" * 80


def test_output_to_a_file_is_written_whole(tmp_path, capsysbinary):
    target = tmp_path / "back.ics"
    assert main(["remind", "--ics", "--routine", "morning", "-o", str(target)]) == 0
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"wrote" in err
    assert the_event(target.read_bytes())["RRULE"]["FREQ"] == ["DAILY"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_refuses_what_is_not_a_regular_file(tmp_path, capsysbinary):
    elsewhere = write(tmp_path / "elsewhere.txt", "the link's target")
    os.symlink(elsewhere, tmp_path / "back.ics")
    assert main(["remind", "--ics", "-o", str(tmp_path / "back.ics")]) == 1
    assert b"not writing to" in capsysbinary.readouterr().err
    assert elsewhere.read_text() == "the link's target"
    assert main(["remind", "--ics", "-o", str(tmp_path)]) == 1
    assert b"a folder" in capsysbinary.readouterr().err


def test_a_routine_file_outside_the_folder_is_named_by_its_path(tmp_path, capsysbinary):
    path = write(
        tmp_path / "my routines" / "wall.toml",
        "schema = 1\nname = 'Wall, then floor'\n[[steps]]\nexercise = 'cat'\nreps = 5\n",
    )
    event = the_event(remind(capsysbinary, "--routine", str(path)))
    assert str(event["SUMMARY"]) == "Back routine: Wall, then floor"
    assert f"backtui run '{path}'" in str(event["DESCRIPTION"])
    assert str(event["UID"]).startswith("backtui-daily-file-")


def test_an_invalid_routine_is_reported_where_it_is(tmp_path, capsysbinary):
    path = write(tmp_path / "bad.toml", "schema = 1\nname = 'x'\n[[steps]]\nexercise = 'kat'\n")
    assert main(["remind", "--ics", "--routine", str(path)]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"unknown exercise 'kat'" in err
