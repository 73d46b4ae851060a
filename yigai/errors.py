"""The one error type the library raises for bad input; the CLI turns it into one line and exit 2."""

from __future__ import annotations

# What a message quotes from the user's input (a file name, a selector, a pattern) is cut to this many
# characters: a message is one readable line, whatever it was given.
QUOTE_MAX = 200


def shown(value: object, limit: int = QUOTE_MAX) -> str:
    """`value` as text, its middle cut out when it is longer than `limit` characters."""
    text = value if isinstance(value, str) else object.__repr__(value) if not isinstance(value, int | float) else str(value)
    text = text.replace("\n", " ").replace("\r", " ")
    if len(text) <= limit:
        return text
    keep = (limit - 1) // 2
    return f"{text[:keep]}…{text[-keep:]}"



class InputError(Exception):
    """A problem with something the user gave us: a file, a selector, a vocabulary."""

    def __init__(self, source: str, problem: str, hint: str = "") -> None:
        self.source = source
        self.problem = problem
        self.hint = hint
        super().__init__(self.line())

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # rebuilt from its three parts when a matrix worker sends it back (the default passes only the line)
        return (type(self), (self.source, self.problem, self.hint))

    def line(self) -> str:
        """`<source>: <problem> (<hint>)`, the text after `yigai: error: `."""
        text = f"{shown(self.source)}: {self.problem}" if self.source else self.problem
        return f"{text} ({self.hint})" if self.hint else text
