"""Clean scraped text: a list of named steps, each small and tested on its own.

Order matters: widths are normalised first so that every later pattern sees ASCII parentheses,
and Traditional characters become Simplified before spam and chrome patterns (written in
Simplified) are matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from .numbering import ITEM_STYLES, SECTION
from .resources import load_data

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Step:
    """One cleaning step: a name for logs and tests, and the function it applies."""

    name: str
    apply: Callable[[str], str]


# Full-width ASCII (！ to ～) and the ideographic space map to their ASCII forms, so that
# （一） and (一), ２０２２ and 2022, read alike; the Chinese comma and stop (、。) are kept.
_WIDTH: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0xFEFF: None, 0x200B: None})


# str.translate looks every character up (~70 ns each, 0.5 s on 20 MB); only the runs that change are
_WIDE_RUN = re.compile("[" + "".join(re.escape(chr(code)) for code in _WIDTH) + "]+")


def normalize_width(text: str) -> str:
    """（一）２０２２年　->  (一)2022年 ; also drops zero-width characters."""
    return _WIDE_RUN.sub(lambda m: m.group().translate(_WIDTH), text)


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """醫藥衛生體製改革 -> 医药卫生体制改革 (OpenCC t2s; Simplified text passes unchanged)."""
    if not text.isascii():
        return _converter().convert(text)
    return text


_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)"
)
# Some pages gloss characters with pinyin: 體(ti) 製、會(hui) . Only a lower-case syllable in
# parentheses right after a character is taken, so (DRG), (2022) and (试行) stay.
_PINYIN = re.compile(rf"(?<=[{_CJK}])\({_SYLLABLE}[1-5]?\) ?")


# Every gloss opens with "(" and a lower-case letter: a text without one is returned as it is (the pattern,
# which opens with a look-behind, is otherwise tried at every position of the text).
_GLOSS_START = re.compile(r"\([a-z]")


def strip_pinyin(text: str) -> str:
    """體(ti) 製改革 -> 體製改革."""
    return _PINYIN.sub("", text) if _GLOSS_START.search(text) else text


@cache
def _spam_pattern() -> re.Pattern[str]:
    spam = load_data("cleaning.yaml")["spam"]
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    brands, latin, suffixes = alt(spam["brands"]), alt(spam["latin_brands"]), alt(spam["suffixes"])
    # A digit prefix is taken only from the start of a run of digits: `\d*` tried again at every digit
    # of a long number is quadratic.
    return re.compile(
        rf"(?<!\d)\d*(?i:{latin})(?:{suffixes})*"          # 1xbet体育
        rf"|(?<!\d)\d+(?:{brands})(?:{suffixes})*"         # 18新利手机
        rf"|(?:{brands})(?:{suffixes})+"                    # 新利体育 (but not 创新利用)
    )


@cache
def _spam_words() -> tuple[Any, Any]:
    """The brands in one automaton, the Latin ones (matched ignoring case) in another, lower-case."""
    import ahocorasick

    spam = load_data("cleaning.yaml")["spam"]
    found = []
    for words in (spam["brands"], [w.lower() for w in spam["latin_brands"]]):
        automaton = ahocorasick.Automaton()
        for word in words:
            automaton.add_word(word, word)
        if words:
            automaton.make_automaton()
        found.append(automaton)
    return found[0], found[1]


# Characters that a case-insensitive ASCII letter matches besides its two cases (K: Kelvin, İ, ı, ſ)
_OTHER_CASES = ("\u212a", "\u0130", "\u0131", "\u017f")


def _may_hold_spam(text: str) -> bool:
    """False only where the spam pattern cannot match: every match holds a brand, or a Latin brand in some
    case (whose lower-case form text.lower() then holds, unless one of _OTHER_CASES stands in it)."""
    brands, latin = _spam_words()
    if len(brands) and next(brands.iter(text), None) is not None:
        return True
    return len(latin) > 0 and (any(ch in text for ch in _OTHER_CASES) or next(latin.iter(text.lower()), None) is not None)


def strip_spam(text: str) -> str:
    """高值18新利手机集中采购 -> 高值集中采购; 1xbet体育 disappears; DRG, 5G, 3+N stay."""
    # The pattern tries every position of the text (its digit prefix may be empty): only the lines that
    # hold a brand are given to it. No match spans a line.
    if not _may_hold_spam(text):
        return text
    pattern = _spam_pattern()
    return "\n".join(pattern.sub("", line) if _may_hold_spam(line) else line for line in text.split("\n"))


def _anchored(pattern: str) -> bool:
    """Whether every match of `pattern` starts where the text does: it opens with `^` and has no `|` outside
    brackets and parentheses (`^a|b` matches b anywhere)."""
    if not pattern.startswith("^"):
        return False
    depth, at, in_class = 0, 1, False
    while at < len(pattern):
        ch = pattern[at]
        if ch == "\\":
            at += 1
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            at += pattern.startswith("^", at + 1) + pattern.startswith("]", at + 1 + pattern.startswith("^", at + 1))
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        at += 1
    return True


@cache
def _chrome_patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None]:
    """The chrome lines' patterns, as one to match at a line's start and one to search it for (None: none left).

    Searched as one alternation, every pattern was tried at every position of every line (a fifth of reading a
    document); those anchored at the start are tried there only."""
    patterns = load_data("cleaning.yaml")["chrome_lines"]
    at_start = [p for p in patterns if _anchored(p)]
    anywhere = [p for p in patterns if not _anchored(p)]
    either = lambda ps: re.compile("|".join(f"(?:{p})" for p in ps)) if ps else None  # noqa: E731
    return either(at_start) or re.compile("(?!)"), either(anywhere)


def _is_chrome(line: str) -> bool:
    at_start, anywhere = _chrome_patterns()
    return at_start.match(line) is not None or (anywhere is not None and anywhere.search(line) is not None)


@cache
def _footer_pattern() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_data("cleaning.yaml")["footer_words"]))


# A footer or link line is short and reads like no part of the text: no item number, no sentence end.
_FOOTER_MAX = 200
_SENTENCE_ENDS = ("。", ";", "!", "?", ":", "”", "」")


def _is_footer(line: str) -> bool:
    if len(line) > _FOOTER_MAX or line.endswith(_SENTENCE_ENDS) or not _footer_pattern().search(line):
        return False
    return not _numbered(line)


def _numbered(line: str) -> bool:
    return bool(SECTION.match(line) or any(style.match(line) for style in ITEM_STYLES))


# Anchored at the start only: trailing white space goes with str.strip(), since `\s+$` retried at every
# position of a long run of spaces is quadratic.
_BULLETS = re.compile(r"^[\s•·●▪◆■□◇○>»|-]+(?=\S)")
_BULLET_CHARACTERS = frozenset("•·●▪◆■□◇○>»|-")


def _may_open_with_bullets(line: str) -> bool:
    r"""Whether _BULLETS may match: the line opens with one of its characters (\s is what str.isspace() accepts).
    Most lines open with text: asking the first character costs a fifth of trying the pattern."""
    first = line[:1]
    return first in _BULLET_CHARACTERS or first.isspace()


@cache
def _link_list_pattern() -> re.Pattern[str]:
    return re.compile(load_data("cleaning.yaml")["link_lists"])


def strip_web_chrome(text: str) -> str:
    """Drops navigation, share buttons, page metadata, footers and lists of links to other pages; strips bullets
    and indentation."""
    kept = []
    links = False  # inside a list of links (相关阅读: and the headlines under it)
    for line in text.split("\n"):
        line = (_BULLETS.sub("", line) if _may_open_with_bullets(line) else line).strip()
        if line in {"•", "·", "|", "-"}:
            line = ""
        if links:
            # (a headline is short and no sentence; a numbered line is the next document's task, not a link)
            links = bool(line) and not line.endswith(_SENTENCE_ENDS) and len(line) <= _FOOTER_MAX and not _numbered(line)
            if links:
                continue
        if line and _link_list_pattern().match(line):
            links = True
            continue
        if line and (_is_chrome(line) or _is_footer(line)):
            continue
        kept.append(line)
    return "\n".join(kept)


# A repeated block shorter than this is left alone: short runs repeat legitimately (a signature).
_MIN_REPEAT_RUN = 3


def dedupe_repeat(text: str) -> str:
    """A page that prints the document twice keeps the first copy; a line printed twice in a row, once."""
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    first: dict[str, int] = {}
    drop: set[int] = set()
    j = 0
    while j < len(filled):
        line = lines[filled[j]]
        p = first.get(line)
        if p is not None:
            run = 0
            while p + run < j and j + run < len(filled) and lines[filled[p + run]] == lines[filled[j + run]]:
                run += 1
            if run >= _MIN_REPEAT_RUN or (p == j - 1 and run >= 1):
                drop.update(filled[j : j + run])
                j += run
                continue
        first.setdefault(line, j)
        j += 1
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


STEPS: tuple[Step, ...] = (
    Step("normalize-width", normalize_width),
    Step("to-simplified", to_simplified),
    Step("strip-pinyin", strip_pinyin),
    Step("strip-spam", strip_spam),
    Step("strip-web-chrome", strip_web_chrome),
    Step("dedupe-repeat", dedupe_repeat),
)


def clean(text: str, steps: tuple[Step, ...] = STEPS) -> str:
    """Apply every cleaning step in order."""
    for step in steps:
        text = step.apply(text)
    return text
