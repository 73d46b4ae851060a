"""Document text put where it could act: cells of files analysts open (Markdown, CSV and xlsx read by Excel or
WPS), XML (JUnit, xlsx), and the terminal.

Document text (and a file's name) is untrusted. In Markdown it must not close a cell, become markup or a
`javascript:` link; in a spreadsheet it must not be run as a formula; in XML it must hold no character XML 1.0
forbids; on a terminal no escape sequence may reach it (`ESC]52;` writes the clipboard, `ESC]8;;` makes a link,
`ESC]0;` the window title). Each rule is one function here, used by every writer.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from typing import Any

# What Excel and WPS read as the start of a formula: = + - @, and a tab or line break before one; WPS takes the
# full-width forms an input method types (＝＋－＠) as well.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# Characters shown visibly rather than passed on: C0 controls, DEL, C1 controls (\x9b is a one-byte CSI),
# the bidirectional marks, overrides and isolates (they reorder what a terminal or an editor shows), lone
# surrogates and the two non-characters XML 1.0 forbids. One class, so each text is one regex pass.
_HIDDEN = "\\x7f-\\x9f\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069\\ud800-\\udfff\\ufffe\\uffff"


@functools.cache
def _hidden(keep: str) -> re.Pattern[str]:
    controls = "".join(f"\\x{code:02x}" for code in range(0x20) if chr(code) not in keep)
    return re.compile(f"[{controls}{_HIDDEN}]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return "^" + chr(code + 0x40)  # ^[ for ESC, ^G for BEL, as less and git show them
    if code == 0x7F:
        return "^?"
    return f"<U+{code:04X}>"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control, escape and bidi-override character shown as less shows it (^[, <U+202E>);
    `keep`: the white space ("\n", "\t\n", "\t\n\r") the place it goes may hold."""
    return _hidden(keep).sub(_shown, text)


def one_line(text: str) -> str:
    """A message for the terminal: one line, nothing in it a terminal would act on (a line break shows as ^J)."""
    return visible(text)


def xml_text(text: str) -> str:
    """Text XML 1.0 accepts (JUnit, xlsx): what it forbids is shown visibly; tabs and line breaks stay."""
    return visible(text, "\t\n\r")

DECIDED = "✎"  # marks a pair (compare, matrix) or a link (diff) an analyst decided on (--decisions)
UNSURE = "(?)"  # marks a pair yigai is unsure of (its confidence level is `unsure`): the ones to check first


def decisions_line(decided: int, rejected: int, what: str) -> str:
    """The summary's word on the analyst's decisions, empty when there were none."""
    return f"{DECIDED} analyst decisions: {decided} {what} decided, {rejected} ⊘ rejected" if decided or rejected else ""


def markdown_cell(text: str, newline: str = " ") -> str:
    """Text for Markdown (a table cell, a heading, a list): backslashes, pipes, brackets and `<` escaped, so that
    it closes no cell and makes no link, image or tag (`[x](javascript:…)`, `<javascript:…>`); line breaks as
    `newline`; control characters shown visibly."""
    text = visible(text, "\n").replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")
    return text.replace("[", "\\[").replace("]", "\\]").replace("\n", newline)


def inert(value: Any) -> Any:
    """A spreadsheet cell (CSV, xlsx): text a spreadsheet would run as a formula gets a leading apostrophe, and
    control characters are shown visibly; other values pass."""
    if not isinstance(value, str):
        return value
    value = xml_text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


class CsvWriter:
    """csv.writer whose every cell, the header's too, goes through `inert`: no CSV yigai writes starts a formula."""

    def __init__(self, buffer: Any, **options: Any) -> None:
        self._writer = csv.writer(buffer, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([inert(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
