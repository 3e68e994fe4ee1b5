"""Small modal questions: choose one of a few answers, or type a line."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from backtui.tui.screens.base import Dialog


class ChoiceScreen(Dialog[str | None]):
    """A question with a button per answer; Escape answers None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str | Text, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.question = Text(question) if isinstance(question, str) else question
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.question, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                for index, (key, label) in enumerate(self.choices):
                    yield Button(
                        Content(label),
                        id=f"choice-{key}",
                        variant="primary" if index == 0 else "default",
                        compact=True,
                    )

    @on(Button.Pressed)
    def choose(self, event: Button.Pressed) -> None:
        assert event.button.id is not None
        self.dismiss(event.button.id.removeprefix("choice-"))


class PromptScreen(Dialog[str | None]):
    """One line of text, checked by `check` (which returns an error or None)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(Content(self.title_text), classes="dialog-question")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static("", id="prompt-error", classes="field-error")
            yield Label(Content("Enter to confirm, Escape to cancel"), classes="dialog-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        error = self.check(value) if self.check else (None if value else "Please type something")
        if error:
            self.query_one("#prompt-error", Static).update(Text(error))
            return
        self.dismiss(value)
