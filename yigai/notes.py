"""What the library tells the analyst besides its results (a document's text was read by OCR): passed to whoever
listens (the CLI writes it on stderr); with no one listening, nothing is said. Cheaper than logging to import."""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[str], None]] = []


def listen(listener: Callable[[str], None]) -> None:
    """Have `listener` told every note from now on (once, however often it is asked)."""
    if listener not in _listeners:
        _listeners.append(listener)


def tell(text: str) -> None:
    for listener in _listeners:
        listener(text)
