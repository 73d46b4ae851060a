"""The one error type the library raises for bad input; the CLI turns it into one line and exit 2."""

from __future__ import annotations


class InputError(Exception):
    """A problem with something the user gave us: a file, a selector, a vocabulary."""

    def __init__(self, source: str, problem: str, hint: str = "") -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        super().__init__(self.line())

    def line(self) -> str:
        """`<source>: <problem> (<hint>)`, the text after `yigai: error: `."""
        text = f"{self.source}: {self.problem}" if self.source else self.problem
        return f"{text} ({self.hint})" if self.hint else text
