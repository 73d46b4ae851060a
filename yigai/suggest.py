"""Candidate instruments the vocabulary lacks: specific phrases that recur across several jurisdictions' items.

A missing alias is a large share of alignment errors (see FINDINGS), and an alias fitted to one
document does not generalise. What does: a phrase many jurisdictions print independently (国考,
医联(共)体, 亲自抓医改) names something. yigai proposes; the analyst confirms, names and files it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import yaml

from .model import Document
from .vocab import Vocabulary

_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")
# Policy verbs and function characters open or close many phrases without naming anything:
# 推进医联体 is 医联体; 医联体建设 is 医联体.
_VERBS = ("推进", "推动", "加强", "加快", "完善", "健全", "深化", "落实", "开展", "建立", "提升", "提高", "支持", "实施",
          "强化", "促进", "探索", "扩大", "持续", "全面", "进一步", "积极", "稳步", "大力", "继续", "做好", "统筹", "鼓励")
_EDGE = set("的和与及等在对为是了并或把将从由以其各该中上下内")
_TAILS = ("建设", "工作", "改革", "机制", "体系", "制度", "水平", "能力", "服务", "管理", "试点", "任务", "政策")


@dataclass(frozen=True)
class Candidate:
    """A phrase, the jurisdictions whose items print it, and one item where it stands."""

    phrase: str
    jurisdictions: tuple[str, ...]
    items: int
    example: str

    def as_dict(self) -> dict[str, object]:
        return {"phrase": self.phrase, "jurisdictions": list(self.jurisdictions), "items": self.items,
                "example": self.example}


# Instruments are named by nouns (公立医院绩效考核), abbreviations (国考, 医改: jieba's `j`) or Latin
# acronyms (DRG); a phrase is never split by a conjunction, preposition or particle (和, 为, 的).
_HEADS = {"n", "nz", "nt", "nl", "ng", "vn", "j", "eng"}
_NAMES = {"j", "eng", "nz"}  # a word of these kinds is a candidate on its own; other single words need 3 characters
_BREAKS = ("c", "p", "u", "r", "m", "q", "x")


def _words(text: str) -> list[list[tuple[str, str]]]:
    """The text's runs of characters, each cut into (word, part of speech) by jieba's dictionary."""
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)  # it announces building its dictionary on stderr
    return [[(w.word, w.flag) for w in jieba.posseg.lcut(run)] for run in _RUN.findall(text)]


def _grams(text: str, shortest: int, longest: int, words: int = 4) -> dict[str, list[tuple[str, str]]]:
    """Phrases of one to `words` whole words, with the word before and after each occurrence ("" at an edge).

    Whole words only, so that 持续推进 never yields the fragment 续推.
    """
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for run in _words(text):
        for i in range(len(run)):
            for j in range(i + 1, min(i + words, len(run)) + 1):
                if run[j - 1][1].startswith(_BREAKS):
                    break
                phrase = "".join(w for w, _ in run[i:j])
                if len(phrase) > longest:
                    break
                if len(phrase) >= shortest and _well_formed(run[i:j]):
                    found[phrase].append((run[i - 1][0] if i else "", run[j][0] if j < len(run) else ""))
    return found


def _variety(sides: list[str]) -> int:
    """Distinct neighbours on one side; each edge of a run counts as its own (a phrase standing alone)."""
    return len({s for s in sides if s}) + sum(1 for s in sides if not s)


def _well_formed(words: list[tuple[str, str]]) -> bool:
    """A phrase opens on a content word and ends on a name: not a policy verb, a generic tail, a function word."""
    (first, _), (last, tag) = words[0], words[-1]
    if first in _VERBS or last in _VERBS or last in _TAILS or tag not in _HEADS:
        return False
    if len(words) == 1 and tag not in _NAMES and len(last) < 3:
        return False
    return not (len(first) == 1 and first in _EDGE) and not (len(last) == 1 and last in _EDGE)


def suggest(documents: list[Document], vocabulary: Vocabulary, least: int = 3, limit: int = 40,
            shortest: int = 2, longest: int = 8, most_share: float = 0.08) -> list[Candidate]:
    """Phrases in the items of at least `least` jurisdictions that no instrument of the vocabulary prints.

    A phrase in more than `most_share` of all items is a slogan every document repeats, not an
    instrument; a phrase inside a longer candidate found as widely is dropped for the longer one.
    """
    where: dict[str, set[str]] = defaultdict(set)
    in_items: dict[str, int] = defaultdict(int)
    left: dict[str, list[str]] = defaultdict(list)
    right: dict[str, list[str]] = defaultdict(list)
    example: dict[str, str] = {}
    total = 0
    for document in documents:
        name = document.short_name or document.jurisdiction or document.source
        for item in document.items:
            total += 1
            text = item.title + "。" + item.measures
            for gram, sides in _grams(text, shortest, longest).items():
                where[gram].add(name)
                in_items[gram] += 1
                example.setdefault(gram, text)
                left[gram] += [a for a, _ in sides]
                right[gram] += [b for _, b in sides]
    surfaces = [s for i in vocabulary.instruments for s in (i.name, *i.aliases)]
    widespread = {g: w for g, w in where.items() if len(w) >= least and in_items[g] <= max(most_share * total, least)}
    kept = []
    for gram, places in widespread.items():
        # A word stands among varied neighbours; a fragment (续推 of 持续推进) always has the same one.
        if _variety(left[gram]) < 2 or _variety(right[gram]) < 2:
            continue
        if vocabulary.find(gram) or any(gram in s for s in surfaces):
            continue
        kept.append(Candidate(gram, tuple(sorted(places)), in_items[gram], _around(example[gram], gram)))
    # Closed phrases only: 家庭医生签约 drops 家庭医生签 when the two are printed by the same jurisdictions.
    by_phrase = {c.phrase: c for c in kept}
    closed = [c for c in kept if not any(o.phrase != c.phrase and c.phrase in o.phrase and len(o.jurisdictions) >=
                                         len(c.jurisdictions) for o in by_phrase.values())]
    closed.sort(key=lambda c: (-len(c.jurisdictions), -len(c.phrase), c.phrase))
    return closed[:limit]


def _around(text: str, phrase: str, width: int = 14) -> str:
    at = text.find(phrase)
    start = max(0, at - width)
    return ("…" if start else "") + text[start : at + len(phrase) + width] + "…"


SKELETON = """\
# Candidate instruments yigai's vocabulary lacks: phrases printed in the items of {least} or more of these
# {count} jurisdictions that no instrument of the vocabulary names. Keep the ones that name a reform measure:
# give each its proper name, move it under the right topic (see `yigai vocab`), add the other ways it is
# printed, and delete the rest. Then pass the file with --vocab (same format as data/vocabulary.yaml).
"""


def to_yaml(candidates: list[Candidate], least: int, count: int) -> str:
    """A vocabulary file the analyst edits and passes with --vocab."""
    lines = [SKELETON.format(least=least, count=count), "topics:",
             "  - topic: 待定   # to be decided: move each instrument to its topic", "    instruments:"]
    for c in candidates:
        places = "、".join(c.jurisdictions[:6]) + ("…" if len(c.jurisdictions) > 6 else "")
        lines.append(f"      # {len(c.jurisdictions)} jurisdictions ({places}), {c.items} items: "
                     f"{' '.join(c.example.split())}")
        entry = yaml.safe_dump([{"name": c.phrase, "aliases": [c.phrase]}], allow_unicode=True, default_flow_style=None,
                               sort_keys=False, width=1000).rstrip("\n")
        lines += ["      " + line for line in entry.split("\n")]
    if not candidates:
        lines[-1] += " []"
    return "\n".join(lines) + "\n"
