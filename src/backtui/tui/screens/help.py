"""The `?` screen, built from the bindings themselves so it can never drift from the keys.

Every key shown comes from the `BINDINGS` of the screen, of the widgets on it
and of the app, with the person's keymap applied; only what no binding carries
(the mouse, the spine markers) is written here by hand; the one caution is the core's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from backtui.core.model import Spine
from backtui.core.presenter import DISCLAIMER
from backtui.tui.screens.base import Dialog

KEYMAP_NOTE = (
    "Other keys: name a binding's id in the [keymap] table of config.toml "
    '("builder.help" = "f1"); `backtui keys` lists the ids.'
)

SPINE_NOTES = Text.assemble(
    ("Spine markers\n", "bold underline"),
    *(part for spine in Spine for part in ((f"  {spine.marker}  ", "bold"), f"{spine}\n")),
    "  ½  one side at a time\n  !  extension step with no flexion after it\n",
)


@dataclass(frozen=True, slots=True)
class KeySection:
    title: str
    rows: tuple[tuple[str, str], ...]  # (keys as shown, what they do)


# Textual's own classes whose bindings a person uses here (focus, copy, quit); the
# bindings of Textual's widgets (Input, OptionList…) are their inner workings.
_TEXTUAL_CLASSES_SHOWN = (App, Screen)


def _own_bindings(node: DOMNode) -> list[Binding]:
    """A node's bindings, its classes' own and inherited, most specific first."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        if not (cls.__module__.startswith("backtui.") or cls in _TEXTUAL_CLASSES_SHOWN):
            continue
        for binding in cls.__dict__.get("BINDINGS", ()):
            found.extend(Binding.make_bindings([binding]))
    if isinstance(node, App) and node.ENABLE_COMMAND_PALETTE:
        found.append(Binding(node.COMMAND_PALETTE_BINDING, "command_palette", "All commands"))
    return found


def _section_title(node: DOMNode) -> str:
    return node.BINDING_GROUP_TITLE or type(node).__name__


def key_sections(
    app: App, nodes: Iterable[DOMNode], keymap: Mapping[str, str] | None = None
) -> list[KeySection]:
    """What each key does, grouped by where it works, with the keymap applied.

    Widgets side by side never hide each other's keys (each works where it has
    focus); a key the screen binds hides the app's binding of the same key, as
    Textual itself resolves them.
    """
    keymap = keymap or {}
    taken: set[str] = set()  # keys already claimed by a more specific node
    sections: list[KeySection] = []
    seen_types: set[type] = set()
    for node in nodes:
        if type(node) in seen_types:
            continue
        seen_types.add(type(node))
        rows: dict[tuple[str, str], list[str]] = {}  # (action, description) -> keys shown
        claimed: set[str] = set()
        for binding in _own_bindings(node):
            if binding.system or not binding.description:
                continue
            keys = [k.strip() for k in keymap.get(binding.id or "", binding.key).split(",")]
            what = binding.tooltip or binding.description
            shown = rows.setdefault((binding.action, what), [])
            for key in keys:
                if not key or key in taken:
                    continue
                claimed.add(key)
                own_display = binding.key_display if key == binding.key else None
                display = app.get_key_display(Binding(key, "", key_display=own_display))
                if display not in shown:
                    shown.append(display)
        if isinstance(node, Screen):
            taken |= claimed
        lines = tuple((" / ".join(keys), what) for (_, what), keys in rows.items() if keys)
        if lines:
            sections.append(KeySection(_section_title(node), lines))
    return sections


def screen_nodes(screen: Screen) -> list[DOMNode]:
    """The screen's widgets that carry bindings, the screen, then the app."""
    widgets = [node for node in screen.walk_children() if _own_bindings(node)]
    return [*widgets, screen, screen.app]


def help_text(sections: Iterable[KeySection], notes: Text | None = None) -> Text:
    text = Text()
    for section in sections:
        text.append(f"{section.title}\n", "bold underline")
        for keys, description in section.rows:
            text.append(f"  {keys:<16}", "bold")
            text.append(f"{description}\n")
        text.append("\n")
    if notes is not None:
        text.append_text(notes)
        text.append("\n")
    text.append(f"{KEYMAP_NOTE}\n\n", "dim")
    text.append(DISCLAIMER, "italic")
    return text


class HelpScreen(Dialog[None]):
    """Keys of the screen underneath, then the notes no binding carries."""

    DEFAULT_CSS = """
    HelpScreen #help-box { width: 72; height: 90%; }
    """

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, sections: Iterable[KeySection], notes: Text | None = None) -> None:
        super().__init__()
        self.body = help_text(sections, notes)

    @classmethod
    def for_screen(cls, screen: Screen, notes: Text | None = None) -> HelpScreen:
        keymap = getattr(screen.app, "keymap", None)
        return cls(key_sections(screen.app, screen_nodes(screen), keymap), notes)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box", id="help-box"):
            yield Static(self.body)
