"""A form over declared fields (core/spec.py): one row per field, refusing what
the file format would refuse, with the message under the field.

A whole number is an Input checked against its declared range, a choice a
Select, a flag a Checkbox, one-line text an Input of the declared length and
multi-line text a TextArea. Subclasses say which fields, what they hold now,
and what the answer is made into.
"""

from __future__ import annotations

from typing import Any, TypeVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from backtui.core import spec
from backtui.core.text import clean
from backtui.tui.screens.base import Dialog
from backtui.tui.widgets.footer import BindingsFooter

ResultType = TypeVar("ResultType")


class SpecForm(Dialog[ResultType | None]):
    DEFAULT_CSS = """
    SpecForm {
        & .form-row { height: 1; }
        & .form-row.-tall { height: 4; }
        & .form-label { width: 15; }
        & .form-row Input, & .form-row Select, & .form-row TextArea { width: 1fr; }
        & .form-row TextArea { background: $boost; }
        & .field-error { padding-left: 15; display: none; }
        & .field-error.-shown { display: block; }
    }
    """

    AUTO_FOCUS = ".form-row > *"  # the first field, as the form is mounted

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Apply"),
        # Priority, so the app moves the focus before it hands on the next key:
        # `12<tab>5` arriving in one read fills two fields, as typed.
        Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
    ]

    def __init__(
        self,
        title: Text,
        fields: list[spec.SpecField],
        values: dict[str, Any],
        placeholders: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.values = values
        self.placeholders = placeholders or {}

    def made(self, values: dict[str, Any]) -> ResultType:
        """What the form's checked values make."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="spec-form"):
            yield Static(self.title_text, classes="dialog-question")
            for field in self.fields:
                tall = isinstance(field.kind, spec.Text) and field.kind.multiline
                with Horizontal(classes="form-row -tall" if tall else "form-row"):
                    yield Label(field.label, classes="form-label")
                    yield self._widget(field)
                if isinstance(field.kind, spec.Integer) or (
                    isinstance(field.kind, spec.Text) and field.kind.visible
                ):
                    yield Static("", id=f"error-{field.name}", classes="field-error")
            yield Static("", id="form-help", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Apply"), id="apply", variant="primary", compact=True)
                yield Button(Content("Cancel"), id="cancel", compact=True)
        yield BindingsFooter(compact=True)

    def _widget(self, field: spec.SpecField) -> Widget:
        kind = field.kind
        value = self.values.get(field.name)
        widget_id = f"field-{field.name}"
        if isinstance(kind, spec.Integer):
            return Input(
                "" if value is None else str(value),
                placeholder=self.placeholders.get(field.name, "none"),
                id=widget_id,
                compact=True,
            )
        if isinstance(kind, spec.Choice):
            shown = value if value is not None else field.spec.absent_means
            return Select(
                [(choice, choice) for choice in kind.values],
                value=Select.BLANK if shown is None else shown.value,
                allow_blank=shown is None,
                id=widget_id,
                compact=True,
            )
        if isinstance(kind, spec.Flag):
            return Checkbox("on", value=bool(value), id=widget_id, compact=True)
        assert isinstance(kind, spec.Text)
        if kind.multiline:
            return TextArea(value or "", id=widget_id, soft_wrap=True, compact=True)
        return Input(value or "", id=widget_id, compact=True, max_length=kind.max_len)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """The focused field's help, from its declaration, under the fields."""
        name = (event.widget.id or "").removeprefix("field-")
        field = next((f for f in self.fields if f.name == name), None)
        help_text = field.spec.help if field is not None else ""
        self.query_one("#form-help", Static).update(Text(help_text))

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def action_save(self) -> None:
        values: dict[str, Any] = {}
        first_error = None
        for field in self.fields:
            value, error = self._value(field)
            if error is not None and first_error is None:
                first_error = self.query_one(f"#field-{field.name}")
            values[field.name] = value
        if first_error is not None:
            first_error.focus()
            return
        self.dismiss(self.made(values))

    def _value(self, field: spec.SpecField) -> tuple[Any, str | None]:
        """A field's value, or its error (shown under it)."""
        kind = field.kind
        if isinstance(kind, spec.Choice):
            chosen = self.query_one(f"#field-{field.name}", Select).value
            if chosen is Select.BLANK:
                return None, None
            member = kind.enum(str(chosen))
            # What leaving it out means is the default: keep the file as it was
            # unless the person chose otherwise.
            if member == field.spec.absent_means and self.values.get(field.name) is None:
                return None, None
            return member, None
        if isinstance(kind, spec.Flag):
            return self.query_one(f"#field-{field.name}", Checkbox).value, None
        value: Any
        error: str | None = None
        if isinstance(kind, spec.Integer):
            entry = self.query_one(f"#field-{field.name}", Input)
            value, error = kind.parse_text(entry.value)
        else:
            assert isinstance(kind, spec.Text)
            widget = self.query_one(f"#field-{field.name}")
            typed = widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
            value = clean(typed, multiline=kind.multiline).strip()
            if kind.visible and not value:
                error = "must not be empty"
            elif len(value) > kind.max_len:
                error = f"at most {kind.max_len} characters"
        if self.query(f"#error-{field.name}"):
            message = self.query_one(f"#error-{field.name}", Static)
            message.update(Text(error or ""))
            message.set_class(error is not None, "-shown")
        self.query_one(f"#field-{field.name}").set_class(error is not None, "-invalid")
        return value, error
