"""A routine as a sheet to print or paste: one model, written as HTML or Markdown.

`build` turns a routine into a `Handout`, every word of it decided here: the
name and description, each step's name, position, dose in words, the move's
instructions, breathing cue and cautions, the balance verdict, the total time
(from the session's own timeline, at the person's pacing, as `backtui plan`
adds it up), and the one caution with the warning signs, in the words the app
uses elsewhere. `to_html` and `to_markdown` only lay that model out, so the two
forms cannot say different things.

Text from a routine file is untrusted. `build` strips what must not reach a
screen (`text.clean`); each writer then escapes what its format would obey:
`html.escape` for the page, a backslash before Markdown's marks for the notes,
so a name can never become a heading, a link, a script or an image. The page
stands alone: inline CSS, system fonts, nothing fetched from anywhere.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from backtui.core.balance import BALANCED, unbalanced
from backtui.core.model import Dose, Exercise, Routine, Spine
from backtui.core.pacing import DEFAULT_PACING, Pacing
from backtui.core.plan import plan
from backtui.core.presenter import DISCLAIMER, POSITION_WORDS, UNBALANCED_NOTE, WARNING_SIGNS
from backtui.core.routine_file import routine_document
from backtui.core.store import RoutineStore
from backtui.core.text import clean

# What `backtui export --format` writes, and the file name ending of each.
FORMATS = ("toml", "html", "md", "json")
SUFFIXES = {"toml": ".toml", "html": ".html", "md": ".md", "json": ".json"}
HANDOUTS = ("html", "md")  # the forms for people; toml and json are the routine file

NOTHING_TO_BALANCE = "No extension moves, so nothing to balance."

# The labels, shared by both writers.
TOTAL = "Total time"
BALANCE = "Balance"
DIRECTIONS = "Directions"
POSITION = "Position"
DOSE = "Dose"
NOTE = "Note"
BREATHE = "Breathe"
TAKE_CARE = "Take care"
WARNING = "Warning signs"
MADE_WITH = "Made with backtui."


@dataclass(frozen=True, slots=True)
class HandoutStep:
    number: int
    name: str
    position: str  # in words: "lying on your back"
    dose: str  # in words: "10 reps each side (lift 1 s, hold 1 s, lower 2 s: 4 s a rep)"
    rest: str  # "then rest 15 s", or ""
    note: str  # the routine's note for this step
    how: tuple[str, ...]  # the move's instructions, in order
    cue: str  # the breathing cue
    cautions: tuple[str, ...]

    @property
    def dose_line(self) -> str:
        return f"{self.dose}; {self.rest}" if self.rest else self.dose


@dataclass(frozen=True, slots=True)
class Handout:
    name: str
    description: tuple[str, ...]  # paragraphs
    total: str
    balance: tuple[str, ...]  # the verdict, then one line per unbalanced step
    directions: str  # how many moves of each spinal direction
    steps: tuple[HandoutStep, ...]
    disclaimer: str = DISCLAIMER
    warning_signs: str = WARNING_SIGNS


# --- words ---------------------------------------------------------------------------


def seconds_words(seconds: int) -> str:
    """`45 s`, `2 min`, `1 min 30 s`."""
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def dose_words(dose: Dose) -> str:
    """A step's dose as a person reads it on paper: "30 s each side", "2 sets of
    10 reps (lift 2 s, hold 4 s, lower 2 s: 8 s a rep)", "6 reps, one breath each
    (in 4 s, out 6 s)". The stages are the runner's: lift, hold, lower."""
    if dose.reps is None:
        head = seconds_words(dose.work_s)
    else:
        head = f"{dose.reps} rep{'' if dose.reps == 1 else 's'}"
    if dose.sets > 1:
        head = f"{dose.sets} sets of {head}"
    if len(dose.sides) == 2:
        head += " each side"
    elif len(dose.sides) == 1:
        head += f", {dose.sides[0]} side only"
    if dose.reps is None:
        return head
    if dose.self_paced:
        return f"{head}, at your own pace"
    if dose.breath_led:
        return f"{head}, one breath each ({_stages(dose, 'in', 'out')})"
    if dose.lift_s or dose.lower_s:
        return f"{head} ({_stages(dose, 'lift', 'lower')}: {seconds_words(dose.rep_s)} a rep)"
    return f"{head} of {seconds_words(dose.rep_s)}"


def _stages(dose: Dose, lift: str, lower: str) -> str:
    stages = ((lift, dose.lift_s), ("hold", dose.hold_s or 0), (lower, dose.lower_s))
    return ", ".join(f"{word} {seconds_words(s)}" for word, s in stages if s)


def rest_words(dose: Dose, *, last: bool) -> str:
    """The rest a step has: between its sets, and after it unless it ends the session."""
    if not dose.rest_s:
        return ""
    rest = seconds_words(dose.rest_s)
    if dose.sets > 1:
        return f"rest {rest} between sets{'' if last else ' and after'}"
    return "" if last else f"then rest {rest}"


def total_words(seconds: int) -> str:
    """The session's length, as `backtui plan` counts it."""
    minutes = max(1, round(seconds / 60))
    return (
        f"about {minutes} min ({seconds_words(seconds)}, with the get-ready, "
        "rests and changes of position)"
    )


def balance_lines(routine: Routine, catalog: Mapping[str, Exercise]) -> tuple[str, ...]:
    """The balance rule's verdict (CONTRACT §5), then each unbalanced step."""
    lookup = routine.lookup(catalog)
    warnings = unbalanced(routine, catalog)
    if warnings:  # after the "Balance:" label, a sentence of its own
        lines = [UNBALANCED_NOTE.removeprefix("Note: "), *(w.message(lookup) for w in warnings)]
        return tuple(_sentence(line) for line in lines)
    spines = {lookup[s.exercise].spine for s in routine.steps if s.exercise in lookup}
    if Spine.EXTENSION not in spines:
        return (NOTHING_TO_BALANCE,)
    return (_sentence(BALANCED.removeprefix("Balanced: ")),)  # not "Balance: Balanced: …"


def _sentence(line: str) -> str:
    return line[:1].upper() + line[1:]


def directions(routine: Routine, catalog: Mapping[str, Exercise]) -> str:
    """How many moves bend the back each way: "2 flexion, 1 extension, 2 neutral"."""
    lookup = routine.lookup(catalog)
    counts = Counter(lookup[s.exercise].spine for s in routine.steps if s.exercise in lookup)
    return ", ".join(f"{counts[spine]} {spine}" for spine in Spine if counts[spine])


def _paragraphs(text: str) -> tuple[str, ...]:
    blocks = re.split(r"\n\s*\n", clean(text, multiline=True))
    joined = (" ".join(line.strip() for line in block.splitlines()) for block in blocks)
    return tuple(p for p in (" ".join(j.split()) for j in joined) if p)


def _line(text: str) -> str:
    return " ".join(clean(text).split())


def build(
    routine: Routine, catalog: Mapping[str, Exercise], pacing: Pacing = DEFAULT_PACING
) -> Handout:
    """The handout of `routine`, as the person's settings (`pacing`) would run it."""
    applied = pacing.applied(routine)  # their rest and breath where the routine sets none
    lookup = routine.lookup(catalog)
    steps = []
    last = len(routine.steps)
    for number, step in enumerate(applied.steps, start=1):
        exercise = lookup.get(step.exercise)
        if exercise is None:  # an unknown move: the session holds it for the default time
            steps.append(HandoutStep(number, _line(step.exercise), "", "", "", "", (), "", ()))
            continue
        dose = step.dose(exercise, applied.breath)
        steps.append(
            HandoutStep(
                number=number,
                name=_line(exercise.name),
                position=POSITION_WORDS[exercise.position],
                dose=dose_words(dose),
                rest=rest_words(dose, last=number == last),
                note=_line(step.note),
                how=tuple(_line(line) for line in exercise.steps),
                cue=_line(exercise.cue),
                cautions=tuple(_line(line) for line in exercise.cautions),
            )
        )
    return Handout(
        name=_line(routine.name) or "Routine",
        description=_paragraphs(routine.description),
        total=total_words(plan(routine, catalog, pacing).total_s),
        balance=tuple(_line(line) for line in balance_lines(routine, catalog)),
        directions=directions(routine, catalog),
        steps=tuple(steps),
    )


# --- HTML ----------------------------------------------------------------------------

# Sizes in pt and mm, no page width: the printer's paper (A4 or Letter) sets it.
_CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0; background: #fff; color: #1b1b1b;
  font: 12pt/1.45 system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  overflow-wrap: anywhere;
}
main { max-width: 44em; margin: 0 auto; padding: 1.5em 1.25em 3em; }
h1 { font-size: 1.8em; line-height: 1.2; margin: 0 0 0.4em; }
h2 { font-size: 1.2em; line-height: 1.25; margin: 0 0 0.3em; }
p { margin: 0.3em 0; }
ul, ol { margin: 0.3em 0; padding-left: 1.5em; }
.facts p { margin: 0.15em 0; }
.safety {
  margin: 1em 0 1.2em; padding: 0.5em 0.9em;
  border: 1.5pt solid #9b2c2c; border-radius: 4pt; background: #fdf2f2;
}
ol.steps { list-style: none; padding: 0; margin: 0; }
li.step { border-top: 1pt solid #999; padding: 0.7em 0 0.6em; break-inside: avoid; }
.number { display: inline-block; min-width: 1.5em; }
.dose { font-weight: 600; }
.cue { font-style: italic; }
.cautions { color: #7a1f1f; }
footer { margin-top: 1.5em; font-size: 0.85em; color: #555; }
@page { margin: 15mm 14mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; }
  .safety { background: none; }
  h1, h2 { break-after: avoid; }
}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def to_html(handout: Handout) -> str:
    """One page that stands alone: inline CSS, no script, nothing fetched."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(handout.name)}</title>",
        f"<style>\n{_CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>{_h(handout.name)}</h1>",
        *(f"<p>{_h(p)}</p>" for p in handout.description),
        '<div class="facts">',
        f"<p><strong>{TOTAL}:</strong> {_h(handout.total)}</p>",
        f"<p><strong>{BALANCE}:</strong> {_h(handout.balance[0])}</p>",
    ]
    if len(handout.balance) > 1:
        out.append("<ul>" + "".join(f"<li>{_h(line)}</li>" for line in handout.balance[1:]))
        out.append("</ul>")
    if handout.directions:
        out.append(f"<p><strong>{DIRECTIONS}:</strong> {_h(handout.directions)}</p>")
    out += [
        "</div>",
        "</header>",
        '<section class="safety">',
        f"<p>{_h(handout.disclaimer)}</p>",
        f"<p><strong>{WARNING}:</strong> {_h(handout.warning_signs)}</p>",
        "</section>",
        '<ol class="steps">',
    ]
    for step in handout.steps:
        out.append(f'<li class="step" id="step-{step.number}">')
        out.append(f'<h2><span class="number">{step.number}.</span> {_h(step.name)}</h2>')
        if step.dose:
            out.append(f'<p class="dose">{_h(step.dose_line)}</p>')
        if step.position:
            out.append(f"<p>{POSITION}: {_h(step.position)}</p>")
        if step.note:
            out.append(f'<p class="note"><strong>{NOTE}:</strong> {_h(step.note)}</p>')
        if step.how:
            out.append('<ol class="how">' + "".join(f"<li>{_h(line)}</li>" for line in step.how))
            out.append("</ol>")
        if step.cue:
            out.append(f'<p class="cue">{BREATHE}: {_h(step.cue)}</p>')
        if step.cautions:
            out.append(f'<ul class="cautions" aria-label="{TAKE_CARE}">')
            out += [f"<li>{TAKE_CARE}: {_h(line)}</li>" for line in step.cautions]
            out.append("</ul>")
        out.append("</li>")
    out += ["</ol>", f"<footer>{MADE_WITH}</footer>", "</main>", "</body>", "</html>", ""]
    return "\n".join(out)


# --- Markdown ------------------------------------------------------------------------

# Marks Markdown obeys anywhere in a line (CommonMark lets a backslash escape any
# ASCII punctuation): code, emphasis, links and images, raw HTML, headings,
# tables, strike-through, entities.
_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>#|~&])")
# Marks obeyed only at the start of a block: lists, quotes, setext underlines.
_MD_START = re.compile(r"^([-+=])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")
# Bare addresses that GitHub-flavoured Markdown turns into links by itself.
_MD_SCHEME = re.compile(r"(?<=[A-Za-z]):(?=//)")
_MD_WWW = re.compile(r"(?i)\b(www)\.")


def md_escape(text: str) -> str:
    """File text as Markdown that shows exactly that text and obeys none of it."""
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    text = _MD_SCHEME.sub(r"\\:", text).replace("//", r"\/\/")
    text = _MD_WWW.sub(r"\1\\.", text)
    text = _MD_START.sub(r"\\\1", text)
    return _MD_ORDERED.sub(r"\1\\\2", text)


def to_markdown(handout: Handout) -> str:
    """The handout for pasting into notes: headings, lists, a quoted caution."""
    m = md_escape
    out = [f"# {m(handout.name)}", ""]
    for paragraph in handout.description:
        out += [m(paragraph), ""]
    out.append(f"- **{TOTAL}:** {m(handout.total)}")
    out.append(f"- **{BALANCE}:** {m(handout.balance[0])}")
    out += [f"  - {m(line)}" for line in handout.balance[1:]]
    if handout.directions:
        out.append(f"- **{DIRECTIONS}:** {m(handout.directions)}")
    out += ["", f"> {m(handout.disclaimer)}", ">", f"> **{WARNING}:** {m(handout.warning_signs)}"]
    for step in handout.steps:
        out += ["", f"## {step.number}. {m(step.name)}", ""]
        details = [
            (DOSE, step.dose_line if step.dose else ""),
            (POSITION, step.position),
            (NOTE, step.note),
        ]
        out += [f"- **{label}:** {m(value)}" for label, value in details if value]
        if step.how:
            out.append("")
            out += [f"{n}. {m(line)}" for n, line in enumerate(step.how, start=1)]
        if step.cue:
            out += ["", f"*{BREATHE}:* {m(step.cue)}"]
        if step.cautions:
            out += ["", f"**{TAKE_CARE}:**", ""]
            out += [f"- {m(line)}" for line in step.cautions]
    out += ["", "---", "", MADE_WITH, ""]
    return "\n".join(out)


# --- every form of `backtui export` ----------------------------------------------------


def export_text(
    form: str, routine: Routine, store: RoutineStore, pacing: Pacing = DEFAULT_PACING
) -> str:
    """What `backtui export --format FORM` writes: the routine file (toml, the
    default, or the same document as JSON, as `backtui schema routine` describes
    it), both self-contained; or a handout for people (html, md)."""
    if form == "toml":
        return store.export(routine)
    if form == "json":
        document = routine_document(store.self_contained(routine))
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    handout = build(routine, store.catalog, pacing)
    if form == "html":
        return to_html(handout)
    if form == "md":
        return to_markdown(handout)
    raise ValueError(f"unknown export format {form!r}; one of {', '.join(FORMATS)}")
