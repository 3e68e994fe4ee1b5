"""The handout (`backtui export --format html|md|json`): what it says, and that a
hostile file can make it say nothing else.

The page and the notes are checked as a reader meets them: the HTML through a
parser (its text, its tags and attributes), the Markdown rendered by a
CommonMark renderer; never against a whole expected file.
"""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt
from textual.widgets import Input

from backtui import cli
from backtui.cli import load_user_catalog, main
from backtui.core import handout, locations, presenter, store
from backtui.core.catalog import load_catalog
from backtui.core.model import (
    Category,
    Dose,
    Exercise,
    Position,
    Routine,
    Side,
    Spine,
    Step,
)
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.plan import plan
from backtui.core.reader import Problems
from backtui.core.routine_file import parse_routine, read_routine, routine_schema
from backtui.core.store import RoutineStore
from backtui.core.text import clean
from backtui.tui.app import BackTUI
from helpers import answer_prompt, run_command, write

STARTERS = sorted(locations.starters_dir().glob("*.toml"))


# --- reading what was written, as a browser or a notes app would ------------------


class Page(HTMLParser):
    """An HTML page's text (entities decoded), its tags and every attribute."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.parts: list[str] = []
        self.headings: list[str] = []
        self._in: list[str] = []
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)
        self._in.append(tag)
        if tag in ("h1", "h2", "h3"):
            self.headings.append("")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        if "style" in self._in:
            return
        self.parts.append(data)
        if {"h1", "h2", "h3"} & set(self._in):
            self.headings[-1] = words(self.headings[-1] + data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def rendered(markdown: str) -> Page:
    """Markdown as a CommonMark renderer (with GitHub's tables and strike-through) shows it."""
    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    return Page(renderer.render(markdown))


def words(text: str) -> str:
    return " ".join(text.split())


# Tags a handout may use; anything else (script, img, a, link, iframe…) came from a file.
PAGE_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "header", "div", "p"}
PAGE_TAGS |= {"strong", "ul", "ol", "li", "section", "h1", "h2", "span", "footer"}
NOTES_TAGS = {"h1", "h2", "p", "ul", "ol", "li", "strong", "em", "blockquote", "hr"}


@pytest.fixture(scope="module")
def builtin():
    return load_catalog(locations.builtin_catalog_dir()).catalog


def starter(name: str, catalog) -> Routine:
    routine = read_routine(locations.starters_dir() / f"{name}.toml", catalog).routine
    assert routine is not None
    return routine


def both(routine, catalog, pacing: Pacing = DEFAULT_PACING) -> dict[str, Page]:
    made = handout.build(routine, catalog, pacing)
    return {
        "html": Page(handout.to_html(made)),
        "md": rendered(handout.to_markdown(made)),
    }


# --- every step, its name and dose, in each form ---------------------------------


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.stem)
def test_every_step_is_there_with_its_name_and_dose(path, builtin):
    routine = read_routine(path, builtin).routine
    assert routine is not None
    made = handout.build(routine, builtin)
    lookup = routine.lookup(builtin)
    assert len(made.steps) == len(routine.steps)
    for form, page in both(routine, builtin).items():
        text = page.text
        assert routine.name in page.headings[0], form
        # One heading per step, numbered, in the routine's order.
        assert [words(h) for h in page.headings[1:]] == [
            f"{n}. {lookup[s.exercise].name}" for n, s in enumerate(routine.steps, start=1)
        ], form
        for step, shown in zip(routine.steps, made.steps, strict=True):
            exercise = lookup[step.exercise]
            dose = handout.dose_words(step.dose(exercise, routine.breath))
            assert shown.dose == dose
            assert dose in text, (form, dose)
            assert presenter.POSITION_WORDS[exercise.position] in text
            for line in (*exercise.steps, *exercise.cautions):
                assert words(line) in text, (form, line)
            assert words(exercise.cue) in text
            if step.note:
                assert words(step.note) in text
        assert words(routine.description) in text


def test_the_one_caution_and_the_warning_signs_are_the_apps_own_words(builtin):
    for form, page in both(starter("morning", builtin), builtin).items():
        assert presenter.DISCLAIMER in page.text, form
        assert presenter.WARNING_SIGNS in page.text, form


def test_the_total_is_the_sessions_own_at_the_persons_pacing(builtin):
    routine = starter("morning", builtin)
    for pacing in (DEFAULT_PACING, Pacing(get_ready_s=30, position_change_s=20, rest_s=40)):
        total = plan(routine, builtin, pacing).total_s
        assert total == pacing.estimate_seconds(routine, builtin)
        made = handout.build(routine, builtin, pacing)
        assert handout.seconds_words(total) in made.total
        assert f"about {round(total / 60)} min" in made.total
        for page in both(routine, builtin, pacing).values():
            assert made.total in page.text
    slow = handout.build(routine, builtin, Pacing(rest_s=40))
    assert "then rest 15 s" in slow.steps[2].rest  # the routine's own rest wins
    assert slow.steps[0].rest == "then rest 5 s"
    assert slow.steps[-1].rest == ""  # nothing after the last step


def test_the_balance_verdict_and_each_unbalanced_step(builtin):
    arching = Routine("Arch", (Step("superman"), Step("prone-press-up")))
    lines = handout.balance_lines(arching, builtin)
    assert lines[0] == "This routine has back-arching work with no bending forward after it."
    assert lines[1].startswith("Step 1, Superman: extension with no flexion after it")
    assert lines[2].startswith("Step 2, Prone press-up")
    for page in both(arching, builtin).values():
        assert all(line in page.text for line in lines)
    assert handout.balance_lines(starter("morning", builtin), builtin) == (
        "Every extension move is followed by flexion.",  # after "Balance:", not "Balanced:" again
    )
    calm = Routine("Calm", (Step("therapeutic-breath"),))
    assert handout.balance_lines(calm, builtin) == (handout.NOTHING_TO_BALANCE,)
    assert handout.directions(arching, builtin) == "2 extension"


# --- the dose in words -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "said"),
    [
        (Dose(None, 30, 1, (Side.LEFT, Side.RIGHT), 0), "30 s each side"),
        (Dose(None, 90, 1, (), 0), "1 min 30 s"),
        (Dose(None, 120, 2, (), 10), "2 sets of 2 min"),
        (Dose(None, 20, 1, (Side.RIGHT,), 0), "20 s, right side only"),
        (Dose(10, 3, 1, (), 0), "10 reps of 3 s"),
        (Dose(1, 3, 1, (), 0), "1 rep of 3 s"),
        (Dose(12, None, 1, (), 0), "12 reps, at your own pace"),
        (
            Dose(10, 1, 1, (), 0, lift_s=2, lower_s=2),
            "10 reps (lift 2 s, hold 1 s, lower 2 s: 5 s a rep)",
        ),
        (
            Dose(10, 0, 2, (Side.LEFT, Side.RIGHT), 0, lift_s=2, lower_s=3),
            "2 sets of 10 reps each side (lift 2 s, lower 3 s: 5 s a rep)",
        ),
        (
            Dose(6, 0, 1, (), 0, lift_s=4, lower_s=6, breath_led=True),
            "6 reps, one breath each (in 4 s, out 6 s)",
        ),
        (
            Dose(6, 2, 1, (), 0, lift_s=4, lower_s=6, breath_led=True),
            "6 reps, one breath each (in 4 s, hold 2 s, out 6 s)",
        ),
    ],
)
def test_a_dose_in_words(dose, said):
    assert handout.dose_words(dose) == said


def test_rests_in_words():
    one = Dose(None, 30, 1, (), 15)
    assert handout.rest_words(one, last=False) == "then rest 15 s"
    assert handout.rest_words(one, last=True) == ""
    sets = Dose(None, 30, 3, (), 20)
    assert handout.rest_words(sets, last=False) == "rest 20 s between sets and after"
    assert handout.rest_words(sets, last=True) == "rest 20 s between sets"
    assert handout.rest_words(Dose(None, 30, 1, (), 0), last=False) == ""


# --- a hostile file says nothing but its text --------------------------------------------

SCRIPT = "<script>alert(1)</script>"
LINK = "[link](http://x)"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]8;;http://evil\x07click\x1b]8;;\x07"
HOSTILE_NAME = f"{SCRIPT}{LINK}"
HOSTILE_MOVE = f"# heading {ESCAPES}"
HOSTILE_DESCRIPTION = (
    "# heading\n\n"
    f"{LINK} ![img](http://x/y.png) <img src=x onerror=alert(1)>\n"
    "- list\n===\n1. one\n> quote\n"
    "`code` *em* _u_ ~~s~~ | a | b | &lt;b&gt; www.evil.example https://evil.example"
)


def toml_text(value: str) -> str:
    return json.dumps(value)  # a TOML basic string: the same escapes as JSON


def hostile_file(tmp_path: Path) -> Path:
    return write(
        tmp_path / "hostile.toml",
        "schema = 1\n"
        f"name = {toml_text(HOSTILE_NAME)}\n"
        f"description = {toml_text(HOSTILE_DESCRIPTION)}\n"
        "[[steps]]\nexercise = 'evil-move'\nreps = 5\n"
        f"note = {toml_text('<b>' + ESCAPES + '</b> [x](javascript:alert(1))')}\n"
        "[[steps]]\nexercise = 'childs-pose'\n"
        "[exercises.evil-move]\n"
        f"name = {toml_text(HOSTILE_MOVE)}\n"
        "spine = 'flexion'\ncategory = 'stretch'\nposition = 'standing'\nhold_s = 3\n"
        f"steps = [{toml_text(SCRIPT)}, {toml_text('- ' + LINK)}, {toml_text('1) ' + ESCAPES)}]\n"
        f"cue = {toml_text('<!-- ' + ESCAPES + ' -->')}\n"
        f"cautions = [{toml_text('</li></ul><a href=http://x>x</a>')}, "
        f"{toml_text(chr(0x202E) + 'evil' + chr(0x9B) + '31m')}]\n",
    )


def hostile_routine() -> tuple[Routine, dict[str, Exercise]]:
    """The same, made in memory: the handout must not rely on the reader's cleaning."""
    move = Exercise(
        "evil-move",
        HOSTILE_MOVE,
        Spine.FLEXION,
        Category.STRETCH,
        Position.STANDING,
        (SCRIPT, f"- {LINK}", f"1) {ESCAPES}"),
        hold_s=3,
        cue=f"<!-- {ESCAPES} -->",
        cautions=("</li></ul><a href=http://x>x</a>", "\u202eevil\x9b31m"),
    )
    routine = Routine(
        HOSTILE_NAME,
        (Step("evil-move", reps=5, note=f"<b>{ESCAPES}</b> [x](javascript:alert(1))"),),
        description=HOSTILE_DESCRIPTION,
        exercises={"evil-move": move},
    )
    return routine, {}


def hostile_routines(tmp_path, builtin):
    from_file = read_routine(hostile_file(tmp_path), builtin)
    assert from_file.routine is not None, from_file.problems
    in_memory, catalog = hostile_routine()
    return [(from_file.routine, builtin), (in_memory, catalog)]


def no_hidden_characters(text: str) -> None:
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)


def test_a_hostile_file_comes_out_escaped_in_html(tmp_path, builtin):
    for routine, catalog in hostile_routines(tmp_path, builtin):
        source = handout.to_html(handout.build(routine, catalog))
        no_hidden_characters(source)
        page = Page(source)
        assert set(page.tags) <= PAGE_TAGS, set(page.tags) - PAGE_TAGS
        assert not {name for name, _ in page.attributes} & {"src", "href", "onerror"}
        assert page.tags.count("h1") == 1 and page.tags.count("h2") == len(routine.steps)
        text = page.text
        # Every mark shows as the text it is.
        assert HOSTILE_NAME in text and SCRIPT in text and LINK in text
        assert "# heading [31mred[0m ]8;;http://evilclick]8;;" in text
        assert "</li></ul><a href=http://x>x</a>" in text
        assert "<!-- " in text and "&lt;b&gt;" in text
        assert page.headings[0] == HOSTILE_NAME


def test_a_hostile_file_comes_out_escaped_in_markdown(tmp_path, builtin):
    for routine, catalog in hostile_routines(tmp_path, builtin):
        source = handout.to_markdown(handout.build(routine, catalog))
        no_hidden_characters(source)
        assert "://" not in source  # no bare address for a notes app to make a link of
        assert not re.search(r"(?i)(?<!\\)www\.", source)
        page = rendered(source)
        assert set(page.tags) <= NOTES_TAGS, set(page.tags) - NOTES_TAGS
        assert not page.attributes  # no link, no image, no raw HTML
        # Headings: the routine's name, then one per step; none from the file's text.
        assert page.tags.count("h1") == 1 and page.tags.count("h2") == len(routine.steps)
        assert "blockquote" in page.tags and page.tags.count("blockquote") == 1  # the caution
        assert page.tags.count("hr") == 1  # before "Made with backtui": no setext heading
        text = page.text
        assert page.headings[0] == HOSTILE_NAME
        assert page.headings[1] == f"1. {words(clean(HOSTILE_MOVE))}"
        for shown in (SCRIPT, LINK, "# heading", "![img](http://x/y.png)", "`code` *em* _u_"):
            assert shown in text, shown
        assert "~~s~~ | a | b | &lt;b&gt; www.evil.example https://evil.example" in text
        assert "- list === 1. one > quote" in text  # one paragraph, none of it obeyed
        assert "[x](javascript:alert(1))" in text
        assert "1) [31mred[0m" in text


def test_markdown_escaping_leaves_ordinary_words_alone():
    for plain in ("Child's pose", "Cat-cow", "Knees to chest (gently)", "Stop! Breathe."):
        assert handout.md_escape(plain) == plain
    assert handout.md_escape("2. then") == "2\\. then"
    assert handout.md_escape("-- x") == "\\-- x"


# --- the page fetches nothing and prints on A4 and Letter ------------------------------


@pytest.mark.parametrize("path", STARTERS, ids=lambda p: p.stem)
def test_the_page_stands_alone(path, builtin):
    routine = read_routine(path, builtin).routine
    source = handout.to_html(handout.build(routine, builtin))
    lowered = source.lower()
    for fetch in ("http", "//", "@import", "url(", "src=", "href=", "<script", "<link"):
        assert fetch not in lowered, fetch
    page = Page(source)
    assert set(page.tags) <= PAGE_TAGS


def test_the_page_has_a_print_stylesheet_for_any_paper(builtin):
    source = handout.to_html(handout.build(starter("morning", builtin), builtin))
    css = source[source.index("<style>") : source.index("</style>")]
    assert "@media print" in css
    page_rule = re.search(r"@page\s*{([^}]*)}", css)
    assert page_rule and "mm" in page_rule.group(1)
    assert "size" not in page_rule.group(1)  # the printer's paper: A4 or Letter
    assert not re.search(r"\d\s*(px|in|cm)\b", css)  # no fixed width in screen or paper units
    assert '<meta charset="utf-8">' in source
    assert "break-inside: avoid" in css  # a step is not split across two pages


# --- the command line -----------------------------------------------------------------


def test_toml_stays_the_default_and_unchanged(capsys):
    assert main(["export", "morning"]) == 0
    default = capsys.readouterr().out
    assert main(["export", "morning", "--format", "toml"]) == 0
    assert capsys.readouterr().out == default
    assert default == (locations.routines_dir() / "morning.toml").read_text()


@pytest.mark.parametrize("form", ["html", "md"])
def test_export_a_handout_to_stdout(form, capsys):
    assert main(["export", "morning", "--format", form]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    page = Page(out) if form == "html" else rendered(out)
    assert page.headings[0] == "Morning"
    assert "Superman" in page.text and "10 reps (lift 2 s, hold 1 s, lower 2 s" in page.text


def test_the_handouts_total_is_what_plan_prints(capsys):
    write(locations.config_file(), "get_ready_s = 45\n")
    assert main(["plan", "morning", "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total_s"]
    assert main(["export", "morning", "--format", "md"]) == 0
    assert handout.seconds_words(total) in capsys.readouterr().out
    assert main(["export", "morning", "--format", "html"]) == 0
    assert handout.seconds_words(total) in capsys.readouterr().out


def test_export_json_is_the_routine_the_schema_describes(tmp_path, capsys, builtin):
    write(
        locations.user_catalog_dir() / "mine.toml",
        "[exercises.wall-sit]\nname = 'Wall sit'\nspine = 'neutral'\n"
        "category = 'strengthening'\nposition = 'standing'\nsteps = ['Lean.']\n",
    )
    source = write(
        tmp_path / "w.toml",
        "schema = 1\nname = 'Wall'\n[breath]\ninhale_s = 5\nexhale_s = 7\n"
        "[[steps]]\nexercise = 'wall-sit'\nhold_s = 40\n[[steps]]\nexercise = 'cat-cow'\n",
    )
    assert main(["import", str(source)]) == 0
    capsys.readouterr()
    assert main(["export", "wall", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert main(["schema", "routine"]) == 0
    schema = json.loads(capsys.readouterr().out)
    Draft202012Validator(schema).validate(document)
    Draft202012Validator(routine_schema()).validate(document)
    assert "wall-sit" in document["exercises"]  # self-contained, as the toml export
    # Read back (without the user's exercise) it is the same routine.
    saved = read_routine(locations.routines_dir() / "wall.toml", load_user_catalog()).routine
    (locations.user_catalog_dir() / "mine.toml").unlink()
    again = parse_routine(document, builtin, Problems("json"))
    assert again is not None and saved is not None
    assert again.steps == saved.steps and again.breath == saved.breath and again.name == "Wall"


@pytest.mark.parametrize("form", ["html", "md", "json"])
def test_export_o_writes_the_whole_file_atomically(form, tmp_path, capsys, monkeypatch):
    assert main(["list"]) == 0  # first use writes the starters: before the spy
    capsys.readouterr()
    written: list[Path] = []
    real = store.atomic_write

    def spy(path, text):
        written.append(path)
        real(path, text)

    monkeypatch.setattr(store, "atomic_write", spy)  # cli imports it when it writes
    target = write(tmp_path / "out" / f"morning.{form}", "old")
    os.chmod(target, 0o600)
    assert main(["export", "morning", "--format", form, "-o", str(target)]) == 0
    assert capsys.readouterr() == ("", "")
    assert written == [target]
    text = target.read_text()
    assert "Morning" in text and text != "old"
    assert os.stat(target).st_mode & 0o777 == 0o600  # the file's mode is kept
    assert [p.name for p in target.parent.iterdir()] == [target.name]  # no temporary left


@pytest.mark.parametrize("kind", ["symlink", "fifo", "folder"])
def test_export_o_refuses_what_is_not_a_regular_file(kind, tmp_path, capsys):
    if kind == "symlink":
        elsewhere = write(tmp_path / "elsewhere.txt", "the link's target")
        target = tmp_path / "out.html"
        os.symlink(elsewhere, target)
    elif kind == "fifo":
        target = tmp_path / "out.html"
        os.mkfifo(target)
    else:
        target = tmp_path / "out"
        target.mkdir()
    before = os.lstat(target)
    assert main(["export", "morning", "--format", "html", "-o", str(target)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("backtui: not writing to ") and "regular file" in err
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if kind == "symlink":
        assert (tmp_path / "elsewhere.txt").read_text() == "the link's target"


def test_an_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as raised:
        main(["export", "morning", "--format", "pdf"])
    assert raised.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err


def test_the_command_line_offers_every_format_the_core_writes():
    parser = cli._parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    export = commands.choices["export"]
    formats = next(a for a in export._actions if a.dest == "format")
    assert tuple(formats.choices) == handout.FORMATS
    assert formats.default == "toml"
    assert set(handout.SUFFIXES) == set(handout.FORMATS)


def test_a_hostile_file_through_the_command_line(tmp_path, capsys):
    path = hostile_file(tmp_path)
    assert main(["export", str(path), "--format", "html"]) == 0
    out = capsys.readouterr().out
    no_hidden_characters(out)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert main(["export", str(path), "--format", "md"]) == 0
    out = capsys.readouterr().out
    no_hidden_characters(out)
    assert rendered(out).tags.count("h2") == 2 and "<script>" not in out


# --- the builder's export --------------------------------------------------------------


def test_the_document_writes_a_handout_named_for_its_form(tmp_path, builtin):
    from backtui.core.document import Done, RoutineDocument

    store = RoutineStore(tmp_path / "routines", builtin)
    document = RoutineDocument(store, builtin)
    document.edit(starter("morning", builtin), "open")
    assert document.export_name("html").endswith(".html")
    assert document.export_default(tmp_path, form="md") == str(tmp_path / "morning.md")
    assert document.export_target(str(tmp_path), tmp_path, form="html") == (
        tmp_path / "morning.html"
    )
    result = document.export(tmp_path / "morning.md", "md", Pacing(get_ready_s=60))
    assert isinstance(result, Done) and result.message.startswith("Handout written to ")
    text = (tmp_path / "morning.md").read_text()
    made = handout.build(document.routine, builtin, Pacing(get_ready_s=60))
    assert text == handout.to_markdown(made)
    assert isinstance(document.export(tmp_path / "x.toml"), Done)  # the routine file, as before
    assert (tmp_path / "x.toml").read_text() == store.export(document.routine)


@pytest.mark.parametrize(("title", "suffix"), [("HTML", ".html"), ("Markdown", ".md")])
async def test_the_palette_exports_a_handout_and_says_where(title, suffix, tmp_path):
    app = BackTUI()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+o", *"morning", "enter")
        await run_command(pilot, f"Export handout ({title})")
        box = app.screen.query_one(Input)
        assert box.value == str(Path.home() / f"morning{suffix}")  # beside the toml export
        target = tmp_path / f"sheet{suffix}"
        await answer_prompt(pilot, str(target))
        await pilot.pause()
        assert target.exists() and "Superman" in target.read_text()
        said = ["".join(n.message.split()) for n in app._notifications]  # long paths wrap
        assert f"Handoutwrittento{target}" in said, said
