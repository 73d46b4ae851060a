"""Align a national document's items with a local document's items.

Every national x local item pair is scored on three signals, each normalised *within the document
pair* (z-scores over the whole score matrix), because absolute similarity scales differ from one
pair of documents to the next:

- text: TF-IDF cosine over character 2-3-grams of the whole items (lead-department notes removed);
- sentence: the best-matching sentence pair of the two items (a partial match is usually one
  shared measure in one sentence);
- vocabulary: shared reform instruments, each weighted by how specific it is (inverse frequency
  over both documents' items), so that 中医药 shared by many items counts less than 两个允许.

A pair is `partial` when its combined score stands out and it carries a named measure of the
national item (a shared instrument, or a strongly alike sentence). It is `full` when the two items'
main subjects are the same task: one is the other's best match and their titles agree (a shared
topic of the vocabulary, or wording rapidfuzz finds much alike), or each is the other's best match
by a wide margin. Nothing here is tied to a document pair.
"""

from __future__ import annotations

import gc
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any

import numpy as np

from . import similarity
from .model import Document, Item, ItemReadings
from .resources import load_data
from .segment import DEPARTMENT_NOTE
from .tasks import TaskReading, read_tasks
from .vocab import Mention, Vocabulary


class Grade(str, Enum):
    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"


# The grades as plain names for the loops that read or give one per pair or item: Grade.FULL is looked up through
# the enum's class (~0.2 us, a few hundred a document)
_FULL, _PARTIAL, _NONE = Grade.FULL, Grade.PARTIAL, Grade.NONE


@dataclass(frozen=True)
class Pair:
    """A national item carried out (fully or partly) by a local item, with the sentences that say so."""

    national: int
    local: int
    grade: Grade
    score: float
    evidence: tuple[str, ...]  # the instruments both items name, most specific first
    national_sentence: str = ""  # the sentence of the national item that matches best (a substring of its text)
    local_sentence: str = ""  # its counterpart in the local item (a substring of the local item's text)
    instruments: tuple[str, ...] = ()  # the instruments both of those sentences name
    local_terms: tuple[str, ...] = ()  # how the local sentence prints them (to highlight)
    sentence_similarity: float = 0.0  # TF-IDF cosine of the two items' most alike sentences
    confidence: float = 1.0  # how likely a careful reader finds the same pair (see Confidence)
    certainty: str = "sure"  # the confidence in a word: sure, likely or unsure

    def as_dict(self) -> dict[str, object]:
        return {"national": self.national, "local": self.local, "grade": self.grade.value,
                "score": round(self.score, 3), "evidence": list(self.evidence),
                "national_sentence": self.national_sentence, "local_sentence": self.local_sentence,
                "instruments": list(self.instruments), "local_terms": list(self.local_terms),
                "sentence_similarity": round(self.sentence_similarity, 3),
                "confidence": {"value": round(self.confidence, 3), "level": self.certainty}}


@dataclass(frozen=True)
class Alignment:
    national: Document
    local: Document
    pairs: tuple[Pair, ...]
    topics: dict[int, str]  # national item index -> its topic ("" when none)
    subject_share: float = 1.0  # share of the local items that name a specific reform instrument
    on_subject: bool = True  # False: the local document does not read as a health-reform list
    tasks: TaskReading | None = None  # how far the local document reads as a task list (None: not read)

    @property
    def reads_as_tasks(self) -> bool:
        """False for a notice, a tip sheet or a news story: no pair is found in such a text."""
        return self.tasks is None or self.tasks.reads_as_tasks

    @cached_property
    def _by_national(self) -> dict[int, list[Pair]]:
        # every report asks for every national item's pairs: one pass over the pairs, not one per item
        found: dict[int, list[Pair]] = {}
        for p in self.pairs:
            found.setdefault(p.national, []).append(p)
        return found

    def pairs_of(self, national_index: int) -> list[Pair]:
        return list(self._by_national.get(national_index, ()))

    def grade_of(self, national_index: int) -> Grade:
        return self.grades.get(national_index, Grade.NONE)

    @cached_property
    def grades(self) -> dict[int, Grade]:
        """Every national item's grade (its best pair's), in the national list's order."""
        paired = self._by_national
        full = {p.national for p in self.pairs if p.grade is _FULL}
        return {item.index: _FULL if item.index in full else _PARTIAL if item.index in paired else _NONE
                for item in self.national.items}


@dataclass(frozen=True)
class Thresholds:
    """Decision levels, in standard deviations of the document pair's own score distribution."""

    # combined score of a best-match pair to be `full`; the main-task rules (same subject, no bundle) do most of the
    # work, so a pair need stand out less (2.0 before them; 1.5-1.75 measured alike on every file at once)
    full: float = 1.75
    full_mutual: float = 3.0  # a pair each side's best match, this strong, is `full` whatever the titles say
    pair: float = 1.0  # combined score for any pair (`partial` when not `full`)
    # a local item whose main task is an instrument the national item owns carries a measure of it even where the
    # rest of the two items differ: it needs to stand out this much only
    head_pair: float = 0.8
    # a local item that lists many tasks (a summary sentence: 推进A,深化B,落实C) spreads its vocabulary over all of
    # them, so its likeness to any one national item is low; one of its tasks that is a national item's main task
    # (an instrument of that item's title) is a measure of it where the pair stands above the document pair's mean
    bundle_pair: float = 0.0
    # A partial pair carries a named measure of the national item: a shared instrument of the
    # vocabulary, or, where the vocabulary has no name for it, a sentence this much alike (under titles that say the
    # same task: see same_subject in signals).
    sentence_alone: float = 2.0
    # Standing out within a document pair is not enough: some pair always does. A pair must share something
    # real: an instrument (sense-checked, the national item's own), or a sentence pair at least this alike
    # (TF-IDF cosine), a level no sentence pair of texts on other subjects reaches (tests/fixtures/unrelated/).
    sentence_floor: float = 0.4
    # A list on health reform names a specific instrument (集采, DRG, 家庭医生签约 …) in a good share of its items;
    # a plan on schools, rivers or social assistance in hardly any (at most 1 in 10 among the texts in
    # tests/fixtures/unrelated/). Below this share the local document is off the subject: nothing in it is
    # `full`, and a pair needs a specific instrument both name.
    on_subject: float = 0.2
    # One local item may carry out two national tasks in full (a merge: 集采 with its 医保支付), hardly more: an
    # item that matches three or more in full is a summary sentence that names each (news round-ups), and its
    # matches beyond the two strongest are partial.
    full_per_local: int = 2


# Whether two items share a task is read from their content; the titles then say whether it is the
# main task of both (full) or one measure of one (partial), so titles weigh on the grade, not the pair.
WEIGHTS = {"text": 1.0, "sentence": 0.6, "vocabulary": 0.8}
TITLE_ALIKE = 2.0  # z of rapidfuzz's partial_ratio between titles that say the same thing in other words
HEAD_CLAUSES = 2  # a title chaining more tasks than this has its first as its main one (see _head)
GATHERED_TOPICS = 2  # a national item with no instrument in its title, owning instruments of more topics, gathers tasks

_PRINTED_SENTENCE = re.compile(r"[^。;!?\n]+[。;!?]?")
_FOUR_CJK = re.compile(r"(?:[^\u4e00-\u9fff]*[\u4e00-\u9fff]){4}")  # a sentence needs four characters to be read


@dataclass(frozen=True)
class _Unit:
    """One item prepared for matching."""

    title: str
    text: str
    sentences: tuple[str, ...]  # what matching reads: each printed sentence without lead-department notes
    printed: tuple[str, ...]  # the same sentences as printed in the item's text, for evidence
    title_slogans: int = 0  # slogans the printed title holds (三医协同 listed beside two tasks makes a bundle of three)
    health: bool = False  # its document is on health: generic words need no health word of the item's own (on_health)


def _prepare(item: Item, slogans: re.Pattern[str] | None = None, health: bool = False) -> _Unit:
    """An item as matching reads it: its slogans (see Vocabulary.slogans) read as clause breaks (`health`: see
    _Unit)."""
    def read(text: str) -> str:
        return slogans.sub(",", text) if slogans is not None else text

    text = read(item.title + "。" + item.measures)
    sentences, printed = [], []
    for m in _PRINTED_SENTENCE.finditer(item.text):
        printed_sentence = m.group(0)
        # (a note opens with a bracket: most sentences have none to remove)
        plain = DEPARTMENT_NOTE.sub("", printed_sentence) if "(" in printed_sentence else printed_sentence
        matched = read(plain).strip()
        if _FOUR_CJK.match(matched):
            sentences.append(matched)
            printed.append(printed_sentence.strip())
    title = read(item.title)
    if not sentences:
        sentences, printed = [title], [item.text.strip() or item.title]
    return _Unit(title, text, tuple(sentences), tuple(printed), _listed_slogans(item.title, slogans), health)


_PURPOSE = ("为", "围绕", "按照", "坚持", "以", "在")  # a clause that frames the sentence: 为促进…, 围绕…, 在…方面


def _listed_slogans(title: str, slogans: re.Pattern[str] | None) -> int:
    """How many slogans a title lists as tasks beside its others (强化“三医”协同,夯实基层…,推动公立医院改革): not those
    in a clause that frames it (为促进…协同发展和治理,…) nor in its last clause, which states the aim (…,促进优质医疗
    资源扩容和均衡布局)."""
    if slogans is None or _CLAUSE_BREAK.search(title) is None:  # one clause: it is the last
        return 0
    clauses = [c.group(0).strip() for c in _CLAUSE.finditer(title)][:-1]
    return sum(len(slogans.findall(c)) for c in clauses if not c.startswith(_PURPOSE))


@lru_cache(maxsize=4096)  # reference items recur (owned_instruments, several alignments of one list)
def _unit(item: Item, slogans: re.Pattern[str] | None = None, health: bool = False) -> _Unit:
    return _prepare(item, slogans, health)


@dataclass(frozen=True)
class _Reading:
    """What alignment reads of a local item whatever the national list: the item prepared, the instruments it
    names, its main task (see _head) and whether its head chains tasks (see _chained)."""

    unit: _Unit
    found: frozenset[str]
    specific: frozenset[str]  # the instruments it names by a specific form (see _specific)
    head: tuple[str, frozenset[str]]
    chained: bool
    titled: bool  # its printed title names an instrument (its head is read from the title, not from its body)


# Local lists copy one another (a county's items are often its province's, word for word): an item read once is
# read again from here, per vocabulary (the last one), up to this many items (a few MB).
_READ: ItemReadings[_Reading] = ItemReadings(4096)


def _readings(document: Document, vocabulary: Vocabulary) -> list[_Reading]:
    """Each local item's reading, remembered (an item is known by all that _prepare reads of it)."""
    health = vocabulary.on_health(document.title)
    return [_READ.get(item, vocabulary, lambda item: _read(item, vocabulary, health), health) for item in document.items]


def _read(item: Item, vocabulary: Vocabulary, health: bool = False) -> _Reading:
    unit = _prepare(item, vocabulary.slogan_pattern, health)
    if _is_frame(unit):
        return _Reading(unit, frozenset(), _specific(unit.text, vocabulary), (unit.title, frozenset()), False, False)
    head, chained = _head_and_chain(unit, vocabulary)
    found = vocabulary.find(unit.text, "", health)
    mentions = vocabulary.mentions_of(unit.text, "", health)
    # (a main task is never a setting; a sentence on who attended a meeting, or on what year this is, is nobody's
    # task, its title included)
    framed = ((_framed(unit.text, mentions, _setting) - head[1]) | _in_sentences(unit.text, mentions, _ATTENDANCE)
              | _in_sentences(unit.text, mentions, _BACKGROUND))
    titled = bool(vocabulary.find(unit.title, unit.text, health))
    return _Reading(unit, found - framed, _specific(unit.text, vocabulary), head, chained, titled)


# An item that states a plan's frame, not a task (一、总体要求 under it (一)指导思想, (二)基本原则): its words are the
# reform's as a whole, no national item's counterpart. Goals (工作目标) are not among them: their targets name the
# instruments a reader pairs (国家区域医疗中心 3个, DRG/DIP 75%).
_FRAME_ITEM = re.compile(r"指导思想|基本原则|工作原则|总体要求")


def _is_frame(unit: _Unit) -> bool:
    return bool(_FRAME_ITEM.fullmatch(unit.title.strip().rstrip("。:")))


# Where another task is done, not what is done: 在紧密型县域医共体实行医保基金打包付费, 医共体内实行统一用药目录.
# A place named after 在 (and its modifiers), or before 内, frames the clause's task; after 对, only where a method is
# applied to it (对医共体实行总额付费): 对商业保险机构…加强监管 names what is acted on.
_SETTING_BEFORE = re.compile(r"(在|对)(?:紧密型|县域|城市|全市|全县|全区|各|所有|试点|已建成?的?)*$")
_SETTING_AFTER = re.compile(r"^(?:内|之内)")
_APPLIED = re.compile(r"^(?:实行|推行|试行|实施|开展)")  # 对医共体实行总额付费: the place a method is applied to


# A news report's sentence on who attended and who spoke: the instruments in it are people's offices
# (省医改领导小组副组长杨启明出席会议并讲话), not measures.
_ATTENDANCE = re.compile(r"出席|主持|列席|参加会议|作交流发言|作典型发言")
# A sentence on what the year is (2023年是全面贯彻…的开局之年,也是新冠病毒感染实施“乙类乙管”后的第一年): background, the
# tasks named in it are no measure of this text's.
_BACKGROUND = re.compile(r"是[^。;,]*(?:之年|的一年|第一年|关键期|攻坚期|开局年)")


def _framed(text: str, mentions: Sequence[Mention], frame: Callable[[str, Mention], bool]) -> frozenset[str]:
    """The instruments every mention of which in `text` stands in `frame` (_setting; _in_sentences)."""
    framed: dict[str, bool] = {}
    for m in mentions:
        framed[m.instrument] = framed.get(m.instrument, True) and frame(text, m)
    return frozenset(name for name, only in framed.items() if only)


def _setting(text: str, m: Mention) -> bool:
    """Whether mention `m` names where another task is done (_SETTING_BEFORE, _SETTING_AFTER)."""
    end = m.start + len(m.surface)
    before = _SETTING_BEFORE.search(text, max(0, m.start - 12), m.start)
    if before is not None and (before.group(1) == "在" or _APPLIED.match(text[end : end + 2])):
        return True
    return bool(_SETTING_AFTER.match(text[end : end + 2]))


def _in_sentences(text: str, mentions: Sequence[Mention], kind: re.Pattern[str]) -> frozenset[str]:
    """The instruments every mention of which stands in a sentence of a `kind` (_ATTENDANCE, _BACKGROUND): the
    sentences are read once, and each mention placed among them (linear in the text, however many mentions)."""
    if not kind.search(text):
        return frozenset()
    spans = [(m.start(), m.end()) for m in _PRINTED_SENTENCE.finditer(text) if kind.search(m.group(0))]
    starts = [start for start, _ in spans]

    def inside(_: str, m: Mention) -> bool:
        at = bisect_right(starts, m.start) - 1
        return at >= 0 and m.start < spans[at][1]

    return _framed(text, mentions, inside)


def _starts(units: list[_Unit]) -> list[int]:
    """Where each unit's sentences start in the list of all their sentences."""
    return list(accumulate((len(u.sentences) for u in units[:-1]), initial=0))


@dataclass(frozen=True, eq=False)
class Reference:
    """The national list's side of every pair, read once however many local documents it is read against:
    its items prepared for matching, its side of the TF-IDF space, the instruments each item owns, its
    titles' instruments and topics, and each item's topic."""

    document: Document
    vocabulary: Vocabulary
    units: list[_Unit]
    space: similarity.Side
    starts: list[int]
    owned: list[frozenset[str]]
    title_topics: list[set[str]]
    topics: dict[int, str]
    sentence_names: list[list[frozenset[str]]]  # per item, the instruments each of its sentences names
    titles: similarity.Titles
    title_topic_rows: np.ndarray  # title_topics as rows of a topic incidence matrix (see _topic_rows)
    subject_rows: np.ndarray  # per item, the instruments a local item's main task may name to be this task (signals)
    chained: np.ndarray  # per item, whether its title lists many tasks (a bundle is the full counterpart of a bundle)
    # instruments that two items or more own, none by its title (each names it as often, beside as much of its topic:
    # 妇幼保健机构 in 加强公立医院、妇幼保健机构绩效考核 and in the gathering item): they weigh in the score, but tell
    # none of those items apart, and are no evidence of a pair by themselves
    contested: frozenset[str] = frozenset()
    _idf: dict[int, dict[str, float]] = field(default_factory=dict)  # see idf

    @cached_property
    def supporting(self) -> tuple[bool, ...]:
        """Per item, whether it supports the list's tasks rather than carries one (_SUPPORT): a list read against
        itself, or a provincial plan as the reference, has its support items' counterparts in support items."""
        return _supporting(self.document)

    @cached_property
    def owned_counts(self) -> Counter[str]:
        """How many items own each instrument (this side's share of a pair's document frequencies)."""
        return Counter(name for found in self.owned for name in found)

    @cached_property
    def owners(self) -> dict[str, tuple[int, ...]]:
        """Per instrument, the items that own it (0-based, in order)."""
        found: dict[str, list[int]] = {}
        for a, names in enumerate(self.owned):
            for name in names:
                found.setdefault(name, []).append(a)
        return {name: tuple(at) for name, at in found.items()}

    def idf(self, total: int) -> dict[str, float]:
        """Per instrument an item owns, its idf over a document pair of `total` items where no local item names it
        (remembered per item count, as similarity.Side.idf is: a copy is changed where local items name one)."""
        found = self._idf.get(total)
        if found is None:
            if len(self._idf) >= 64:
                self._idf.clear()
            found = self._idf[total] = {name: math.log((total + 1) / (c + 0.5)) for name, c in self.owned_counts.items()}
        return found

    @cached_property
    def subject_holders(self) -> dict[str, tuple[int, ...]]:
        """Per instrument, the items whose subject_rows hold it (0-based, in order)."""
        rows = self.subject_rows
        return {name: tuple(np.flatnonzero(rows[:, column]).tolist())
                for name, column in self.vocabulary.instrument_column.items() if rows[:, column].any()}

    @cached_property
    def gathers(self) -> np.ndarray:
        """Per item, whether it gathers tasks: no instrument a local item's main task may name (see signals)."""
        return ~np.asarray(self.subject_rows.any(axis=1), dtype=bool)


_PREPARED: list[Reference] = []  # the last one: compare, check and matrix read one national list at a time


def prepare(national: Document, vocabulary: Vocabulary) -> Reference:
    """The national side of alignment (remembered for the last national list and vocabulary given)."""
    if _PREPARED and _PREPARED[0].document is national and _PREPARED[0].vocabulary is vocabulary:
        return _PREPARED[0]
    health = vocabulary.on_health(national.title)
    units = [_unit(i, vocabulary.slogan_pattern, health) for i in national.items]
    title_found = [vocabulary.find(u.title, u.text, health) for u in units]
    owned = owned_instruments(national, vocabulary)
    title_topics = [{vocabulary.topic_of[x] for x in found} for found in title_found]
    reference = Reference(
        national, vocabulary, units, similarity.side([u.text for u in units], [x for u in units for x in u.sentences]),
        _starts(units), owned,
        title_topics, topics_of(national, vocabulary),
        [[vocabulary.find(x, u.text, health) for x in u.sentences] for u in units], similarity.titles([u.title for u in units]),
        _topic_rows(title_topics, vocabulary), _subject_rows(owned, title_topics, vocabulary),
        np.array([_chained(u, vocabulary) for u in units], dtype=bool), _contested(owned, title_found))
    _PREPARED[:] = [reference]
    return reference


def _contested(owned: list[frozenset[str]], title_found: list[frozenset[str]]) -> frozenset[str]:
    """The instruments more than one item owns, none of them by its title (see Reference.contested)."""
    owners = Counter(name for names in owned for name in names)
    in_titles = frozenset().union(*title_found)
    return frozenset(name for name, count in owners.items() if count > 1 and name not in in_titles)


@lru_cache(maxsize=1)
def _blas() -> Any:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


_HELD = [0]  # how many one_blas_thread() blocks are open in this process


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """The matrices alignment multiplies are small: a second BLAS thread costs more than it saves (measured:
    a product of 0.04-0.23 ms took ~8 ms with two threads, and the CPU time of both). Setting the limit costs
    ~0.05 ms itself: a run over many documents holds it once around them all, and each alignment inside
    finds it held."""
    if _HELD[0]:
        yield
        return
    with _blas().limit(limits=1, user_api="blas"):
        _HELD[0] += 1
        try:
            yield
        finally:
            _HELD[0] -= 1


def _z(matrix: np.ndarray) -> np.ndarray:
    """(matrix - mean) / std, with the mean and std that matrix.mean() and matrix.std() give, bit for bit
    (the same reductions and casts, in the matrix's own float type), without their wrappers' ~8 us: six
    z-scores a document."""
    n = matrix.size
    kind = matrix.dtype.type
    # The scalar steps in Python floats, as numpy takes them: a float32 sum over an intp count divides in float64,
    # and a float32 square root is the float64 one rounded to float32 (exact: 53 bits hold twice 24 and 2 more);
    # numpy's scalar arithmetic cost a third of a z-score.
    mean = kind(float(np.add.reduce(matrix, axis=None)) / n)
    deviation = np.subtract(matrix, mean)
    np.square(deviation, out=deviation)
    std = float(kind(math.sqrt(float(kind(float(np.add.reduce(deviation, axis=None)) / n)))))
    if std < 1e-9:
        return np.zeros_like(matrix, dtype=np.float64)
    return (matrix - float(mean)) / std


def _block_max(matrix: np.ndarray, row_starts: list[int], col_starts: list[int]) -> np.ndarray:
    """Max over blocks: sentence x sentence similarities -> item x item best sentence pair."""
    rows = np.maximum.reduceat(matrix, row_starts, axis=0)
    return np.maximum.reduceat(rows, col_starts, axis=1)


@dataclass(frozen=True)
class Signals:
    """The per-pair signals, raw and normalised; kept for evidence and for the benchmark."""

    text: np.ndarray
    sentence: np.ndarray
    vocabulary: np.ndarray
    title: np.ndarray
    combined: np.ndarray
    shared: dict[tuple[int, int], list[str]]  # (a, b) -> the instruments both name, most specific first (pairs
    # that share none are absent)
    same_subject: np.ndarray  # the local item's main task is the national item's (see signals)
    other_subject: np.ndarray  # the local item's main task names instruments, none of them the national item's
    chained: np.ndarray  # per local item: its title chains more tasks than a main one and a co-equal second
    heads: list[frozenset[str]]  # per local item: the instruments its main task names (see _head)
    national_units: list[_Unit]
    local_units: list[_Unit]
    sentence_pairs: np.ndarray  # every national sentence x every local sentence (TF-IDF cosine)
    national_starts: list[int]  # where each national item's sentences start in sentence_pairs' rows
    local_starts: list[int]  # and each local item's, in its columns
    specific: tuple[frozenset[str], ...]  # per local item, the instruments it names by a specific form
    z_sentence: np.ndarray  # _z(sentence), as combined read it
    titled: tuple[bool, ...]  # per local item, whether its printed title names an instrument (_Reading.titled)

    @cached_property
    def best_local_of(self) -> np.ndarray:
        """Per national item, its best local match by the combined score (asked by the rules and the confidence)."""
        return self.combined.argmax(axis=1)

    @cached_property
    def best_national_of(self) -> np.ndarray:
        """Per local item, its best national match by the combined score."""
        return self.combined.argmax(axis=0)

    def sentence_block(self, a: int, b: int) -> np.ndarray:
        """Sentence x sentence similarities of national item a and local item b (0-based)."""
        n_end = self.national_starts[a] + len(self.national_units[a].sentences)
        l_end = self.local_starts[b] + len(self.local_units[b].sentences)
        return self.sentence_pairs[self.national_starts[a] : n_end, self.local_starts[b] : l_end]


def signals(national: Document, local: Document, vocabulary: Vocabulary, reference: Reference | None = None) -> Signals:
    """Score every national x local item pair."""
    reference = reference or prepare(national, vocabulary)
    n_units = reference.units
    readings = _readings(local, vocabulary)
    l_units = [r.unit for r in readings]

    # Text and sentence similarity in one TF-IDF space.
    l_sent = [s for u in l_units for s in u.sentences]
    n_starts, l_starts = reference.starts, _starts(l_units)
    with one_blas_thread():
        text, sentence_sim = similarity.cosines(reference.space, [u.text for u in l_units], l_sent)
    sentence = _block_max(sentence_sim, n_starts, l_starts)

    # Instruments, weighted by specificity within this document pair.
    vocab, shared = _instrument_scores(reference, [r.found for r in readings])

    # Titles: what each item is mainly about.
    heads = [r.head for r in readings]
    fuzzy = similarity.title_similarity(reference.titles, [text for text, _ in heads])
    l_title_found = [found for _, found in heads]
    title = _z(np.asarray(fuzzy, dtype=np.float64))
    # Same main subject: the local item's main task names an instrument the national item owns, or one of the
    # national title's topics that no national item owns (a sibling instrument: 按床日付费 beside DRG); or, for
    # what the vocabulary does not name, the titles are worded much alike.
    # (incidence rows: something in common is a nonzero product)
    named = np.array([bool(found) for found in l_title_found])[None, :]
    # Wording alike speaks only where the vocabulary does not name the two tasks (深入实施健康扶贫工程 is worded like
    # 深入实施健康中国行动 and is another task; an item that gathers tasks has only its wording), and the national
    # title printed whole in the local one is the same task whatever the vocabulary names.
    unnamed = ~named | reference.gathers[:, None]
    same_subject = (_subject_shared(reference, l_title_found) | ((title >= TITLE_ALIKE) & unnamed)
                    | (np.asarray(fuzzy) >= 100.0))
    # a main task the vocabulary names, and names as some other item's: no strength of wording makes it this one's
    other_subject = ~same_subject & named

    z_sentence = _z(sentence)
    combined = (
        WEIGHTS["text"] * _z(text) + WEIGHTS["sentence"] * z_sentence + WEIGHTS["vocabulary"] * _z(vocab)
    ) / sum(WEIGHTS.values())
    chained = np.array([r.chained for r in readings], dtype=bool)
    return Signals(text, sentence, vocab, title, _z(combined), shared, same_subject, other_subject, chained,
                   l_title_found, n_units, l_units, sentence_sim, n_starts, l_starts, tuple(r.specific for r in readings),
                   z_sentence, tuple(r.titled for r in readings))


def _subject_shared(reference: Reference, l_title_found: list[frozenset[str]]) -> np.ndarray:
    """Per national x local item, whether the local item's main task names an instrument of the national item's
    subject (Reference.subject_rows): marked from each local instrument's holders (a product of incidence matrices
    took a third longer)."""
    shared = np.zeros((len(reference.units), len(l_title_found)), dtype=bool)
    holders = reference.subject_holders
    at = [(a, b) for b, found in enumerate(l_title_found) for name in found for a in holders.get(name, ())]
    if at:
        at_a, at_b = zip(*at)
        shared[at_a, at_b] = True
    return shared


def _instrument_scores(reference: Reference, l_found: list[frozenset[str]],
                       ) -> tuple[np.ndarray, dict[tuple[int, int], list[str]]]:
    """Per national x local item, the instruments both name, weighted by specificity within the document pair
    (idf over both documents' items; cosine of the two items' idf weights); and which they are, most specific
    first. Only the pairs that share an instrument are visited: each local instrument's owners among the national
    items are known once (Reference.owners), and the idf of the instruments no local item names are those of the
    pair's item count alone (Reference.idf)."""
    n_found = reference.owned
    total = len(n_found) + len(l_found)
    local_counts = Counter(name for found in l_found for name in found)
    owned = reference.owned_counts
    idf = reference.idf(total).copy()
    for name, c in local_counts.items():
        idf[name] = math.log((total + 1) / (owned.get(name, 0) + c + 0.5))
    owners = reference.owners
    pairs = sorted({(a, b) for b, lf in enumerate(l_found) for name in lf for a in owners.get(name, ())})
    vocab = np.zeros((len(n_found), len(l_found)))
    shared: dict[tuple[int, int], list[str]] = {}
    if not pairs:
        return vocab, shared
    # fsum (exact, whatever the order) and the name tie-break: a set's order changes from run to run, the answers
    # must not
    mass = idf.__getitem__
    n_mass = {a: math.sqrt(math.fsum(map(mass, n_found[a]))) for a in {a for a, _ in pairs}}
    l_mass = {b: math.sqrt(math.fsum(map(mass, l_found[b]))) for b in {b for _, b in pairs}}
    rank = {x: k for k, x in enumerate(sorted(local_counts, key=lambda x: (-idf[x], x)))}
    contested = reference.contested
    values = []
    for a, b in pairs:
        common = n_found[a] & l_found[b]
        values.append(math.fsum(map(mass, common)) / (n_mass[a] * l_mass[b]))
        shared[a, b] = sorted(common - contested if contested else common, key=rank.__getitem__)
    at_a, at_b = zip(*pairs)
    vocab[at_a, at_b] = values
    return vocab, shared


_CLAUSE = re.compile(r"[^,;:，；：。]+")
_CLAUSE_BREAK = re.compile(r"[,;:，；：。]")


def _head(unit: _Unit, vocabulary: Vocabulary) -> tuple[str, frozenset[str]]:
    """An item's main task, as text and instruments: its title, where the title is one task; where the title
    chains several (a round-up's sentence, 推进A,深化B,落实C,健全D), the first two clauses that name an
    instrument (a main task and a co-equal second) if no more do, else the first alone: the later ones are
    measures among many. A title that names no instrument (全面加强重点领域改革, or a slogan alone: 加快构建有序就医格局)
    is read with the item's next sentence, by the same rule; where that sentence lists many tasks, with the whole body
    (_leading_topic)."""
    return _head_and_chain(unit, vocabulary)[0]


def _body(unit: _Unit) -> tuple[str, ...]:
    """The sentences after an item's title (a title left too short to read, 推动优质医疗资源扩容… without its slogan,
    is not among the sentences)."""
    return unit.sentences[1:] if _FOUR_CJK.match(unit.title) else unit.sentences


def _following(unit: _Unit) -> str:
    """The sentence after an item's title."""
    rest = _body(unit)
    return rest[0] if rest else ""


def _main_of(sentence: str, clauses: list[tuple[str, frozenset[str]]],
             named: list[tuple[str, frozenset[str]]], vocabulary: Vocabulary) -> tuple[str, frozenset[str]]:
    """The main task of a sentence whose clauses (`named`: those that name an instrument, at least one) are given.
    Where more clauses name instruments than a main task and a co-equal second, the first is the main one, with the
    later ones on its topic only (推进国家区域医疗中心建设,扩容省级区域医疗中心,布局建设省级医学中心: one task's parts)."""
    if len(named) == len(clauses) == 1:
        return sentence, named[0][1]
    if len(named) > HEAD_CLAUSES:
        topics = _topics(named[0][1], vocabulary)
        named = [named[0], *(c for c in named[1:] if _topics(c[1], vocabulary) <= topics)]
    return ",".join(text for text, _ in named), frozenset().union(*(found for _, found in named))


def _broad_topic(name: str, vocabulary: Vocabulary) -> str:
    """An instrument's topic, a topic within another read as that one."""
    return vocabulary.broader(vocabulary.topic_of[name])


def _topics(found: frozenset[str], vocabulary: Vocabulary) -> set[str]:
    return {_broad_topic(name, vocabulary) for name in found}


def _chained(unit: _Unit, vocabulary: Vocabulary) -> bool:
    """Whether an item's head lists more tasks than `_head` takes as its main ones (a summary sentence: 推进A,深化B,
    落实C; a heading that names no task over 推进A、B、C和D): its title, or where the title names nothing the next
    sentence, names instruments of more topics than that (a topic within another counts as that one). Clauses on one
    task (推进集采,扩大集采范围,落实中选结果) are one task however many. A heading that names no task is a list of
    tasks too where its sentences, each on one, name more topics than that and none leads (统筹相关领域改革。推进A。
    促进B。深化C。): a round-up's paragraph under a heading of its own."""
    return _head_and_chain(unit, vocabulary)[1]


def _head_and_chain(unit: _Unit, vocabulary: Vocabulary) -> tuple[tuple[str, frozenset[str]], bool]:
    """`_head` and `_chained` of one item, from one reading of its clauses: both read the title's, or where the title
    names nothing the next sentence's."""
    for is_title in (True, False):
        sentence = unit.title if is_title else _following(unit)  # (the next sentence only when the title names nothing)
        clauses = [(c.group(0), vocabulary.find(c.group(0), unit.text, unit.health)) for c in _CLAUSE.finditer(sentence)]
        named = [(text, found) for text, found in clauses if found]
        if not named:
            continue
        topics = _topics(frozenset().union(*(found for _, found in named)), vocabulary)
        chained = len(topics) + (unit.title_slogans if is_title else 0) > HEAD_CLAUSES
        if not is_title:
            counts, by_topic = _body_topics(unit, vocabulary)
            leading = _leading_topic(counts, by_topic)
            if chained and leading is not None:
                return (unit.title, leading), False
            if not chained and leading is None and len(counts) > HEAD_CLAUSES:
                chained = True
        head = _main_of(sentence, clauses, named, vocabulary)
        return (head if is_title else (unit.title, head[1])), chained
    return (unit.title, frozenset()), False


def _body_topics(unit: _Unit, vocabulary: Vocabulary) -> tuple[Counter[str], dict[str, set[str]]]:
    """Per topic an item's body names (a topic within another as that one): how many of its sentences name it, and
    which of its instruments the body names."""
    counts: Counter[str] = Counter()
    named: dict[str, set[str]] = {}
    for sentence in _body(unit):
        by_topic: dict[str, set[str]] = {}
        for name in vocabulary.find(sentence, unit.text, unit.health):
            by_topic.setdefault(_broad_topic(name, vocabulary), set()).add(name)
        counts.update(by_topic.keys())  # (one a sentence)
        for topic, names in by_topic.items():
            named.setdefault(topic, set()).update(names)
    return counts, named


def _leading_topic(counts: Counter[str], named: dict[str, set[str]]) -> frozenset[str] | None:
    """Under a heading that names no task (促进优质医疗资源扩容提质), a first sentence that lists many is read with the
    rest of the body (its topics as _body_topics counts them): where one topic is named in more of its sentences than
    any other, and in two at least, that topic is the item's task (its instruments the body names); else None (the
    item is a bundle)."""
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return frozenset(named[ranked[0][0]])


def _head_instruments(unit: _Unit, vocabulary: Vocabulary) -> frozenset[str]:
    return _head(unit, vocabulary)[1]


def _subject_rows(owned: list[frozenset[str]], title_topics: list[set[str]], vocabulary: Vocabulary) -> np.ndarray:
    """Per national item, the instruments a local item's main task may name to be this item's task: the instruments of
    its title's topics (and of the topics within them: 医联体 within 分级诊疗), each one's holder being the item
    that owns it among the items whose titles share its topic. An instrument the item names in its body, of
    another topic, is one measure of it (医改领导小组 in an item on 推广三明医改经验; a funded 示范项目 in an item on
    政府投入): an item wholly about that is a partial counterpart. An item whose title names nothing falls back on
    what it owns, unless those span many topics (协同推进相关领域改革: 医养结合, 临床研究, 全科医生 …): it gathers
    tasks, no local item's main task is all of it, so none is its `full` counterpart by instruments."""
    families = [frozenset().union(*(vocabulary.family(t) for t in topics)) for topics in title_topics]
    holders: dict[str, list[int]] = {}  # instrument -> the items owning it whose title's topics hold it
    for k, (mine, family) in enumerate(zip(owned, families)):
        for name in mine:
            if vocabulary.topic_of[name] in family:
                holders.setdefault(name, []).append(k)
    rows = []
    for mine, family in zip(owned, families):
        if not family:
            gathers = len({vocabulary.topic_of[x] for x in mine}) > GATHERED_TOPICS
            rows.append(frozenset() if gathers else mine)
            continue
        rows.append(frozenset(i.name for i in vocabulary.instruments
                              if i.topic in family and (i.name in mine or not holders.get(i.name))))
    return _instrument_rows(rows, vocabulary)


def _instrument_rows(found: list[frozenset[str]], vocabulary: Vocabulary) -> np.ndarray:
    """One row per item, one column per instrument of the vocabulary: 1 where the item names it."""
    return _incidence(found, vocabulary.instrument_column)


def _topic_rows(topics: list[set[str]], vocabulary: Vocabulary) -> np.ndarray:
    """One row per item, one column per topic of the vocabulary: 1 where the item's title names the topic."""
    return _incidence(topics, vocabulary.topic_column)


def _incidence(held: list[frozenset[str]] | list[set[str]], column: dict[str, int]) -> np.ndarray:
    """One row per item, one column per name of `column`: 1 where the item holds the name."""
    width = len(column)
    rows = np.zeros((len(held), width), dtype=np.float32)
    # (one assignment through the flat array, not one a row)
    rows.reshape(-1)[[r * width + column[x] for r, names in enumerate(held) for x in names]] = 1.0
    return rows


def _quote(s: Signals, a: int, b: int, vocabulary: Vocabulary, n_found: list[frozenset[str]], l_found: list[frozenset[str]],
           ) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """The sentence pair that shows why items a and b match: the most alike pair of sentences that name a
    shared instrument, or, where none does, the most alike pair; with the instruments both sentences name
    (`n_found`, `l_found`: the instruments each sentence of the two items names)."""
    block = s.sentence_block(a, b)
    n_unit, l_unit = s.national_units[a], s.local_units[b]
    in_order = s.shared.get((a, b), [])
    shared = set(in_order)
    best: tuple[float, int, int, tuple[str, ...]] | None = None
    if shared:
        similar = block.tolist()  # the same values, as floats (indexing an array one value at a time is slow)
        for i, n_sentence_names in enumerate(n_found):
            n_names = n_sentence_names & shared
            if not n_names:
                continue
            row = similar[i]
            for j, l_names in enumerate(l_found):
                both = n_names & l_names
                if both and (best is None or (len(both), row[j]) > (len(best[3]), best[0])):
                    best = (row[j], i, j, tuple(x for x in in_order if x in both))
    if best is None:
        top_i, top_j = np.unravel_index(int(block.argmax()), block.shape)
        best = (float(block[top_i, top_j]), int(top_i), int(top_j), ())
    _, i, j, names = best
    local = l_unit.printed[j]
    mentions = vocabulary.mentions_of(local, l_unit.text, l_unit.health)
    terms = tuple(dict.fromkeys(m.surface for m in mentions if m.instrument in names))
    return n_unit.printed[i], local, names, terms


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off (where the caller has not held it off already): aligning a long
    list makes some hundred thousand small objects (pairs, their evidence, per-item readings) that live until it
    returns and form no cycle, and the collector's passes over them and everything else alive made a 16,000-item list
    cost 1.4x an item what a 4,000-item one does (without them: the same an item)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def align(national: Document, local: Document, vocabulary: Vocabulary, thresholds: Thresholds = Thresholds(),
          reference: Reference | None = None, quotes: bool = True) -> Alignment:
    """Pairs of national and local items graded full or partial, with evidence (`reference`: the national
    side prepared by `prepare`, for many local documents). Without `quotes` the pairs carry no quoted
    sentences (their grades and scores are the same): a matrix that prints only grades skips a tenth of
    the work."""
    with _collector_paused():
        return _aligned(national, local, vocabulary, thresholds, reference, quotes)


def _aligned(national: Document, local: Document, vocabulary: Vocabulary, thresholds: Thresholds,
             reference: Reference | None, quotes: bool) -> Alignment:
    reference = reference or prepare(national, vocabulary)
    tasks = read_tasks(local, vocabulary)
    if not tasks.reads_as_tasks:
        # a notice, a reminder or a news story names the system's institutions in every paragraph and carries
        # out no task: it has no counterpart for one
        return Alignment(national, local, (), dict(reference.topics), 0.0, False, tasks)
    s = signals(national, local, vocabulary, reference)
    combined = s.combined
    z_sentence, specific = s.z_sentence, s.specific
    share = sum(bool(found) for found in specific) / len(specific) if specific else 0.0
    on_subject = share >= thresholds.on_subject
    found: list[_Found] = []
    theme, supporting = _theme(local, vocabulary), _supporting(local)
    themed = _themed(theme, supporting, vocabulary, reference, s)
    # a pair shares an instrument exactly where its vocabulary score is above 0 (every idf is)
    # what the rules read of each candidate pair, gathered at once (one array operation each, not one a pair)
    at_a, at_b = ((s.vocabulary > 0) | (s.sentence >= thresholds.sentence_floor)).nonzero()
    best_local_of, best_national_of = s.best_local_of, s.best_national_of
    first, second = best_local_of[at_a] == at_b, best_national_of[at_b] == at_a
    names: dict[int, list[frozenset[str]]] = {}  # per local item, each sentence's instruments (for quotes)
    for a, b, score, best, mutual, bundle, listed, same, other, z_alone, similar in zip(
            at_a.tolist(), at_b.tolist(), combined[at_a, at_b].tolist(), (first | second).tolist(),
            (first & second).tolist(), (s.chained[at_b] & ~reference.chained[at_a]).tolist(), s.chained[at_b].tolist(),
            s.same_subject[at_a, at_b].tolist(), s.other_subject[at_a, at_b].tolist(), z_sentence[at_a, at_b].tolist(),
            s.sentence[at_a, at_b].tolist()):
        common = s.shared.get((a, b), [])
        support = supporting[b] and not reference.supporting[a]
        if support:
            # a support item (三、保障措施 (一)加强组织领导) names the plan's reform as what it supports, not as a task
            common = [name for name in common if name not in theme]
            if not common:
                continue
        if not on_subject and not set(common) & specific[b]:
            continue  # off the subject, only a specific instrument both name counts
        if not common and not same:
            # wording alike and no instrument in common, under titles on other tasks (深入实施健康扶贫工程 beside
            # 深入实施健康中国行动; 推进公立医院综合改革 beside an item on 政府投入 that names it): no evidence of one task
            continue
        # (bundle: a list of tasks is partial for each; a bundle's full for a bundle)
        if on_subject and a in themed.get(b, ()):
            grade = _FULL
        elif on_subject and not bundle and not support and ((best and score >= thresholds.full and same) or (
            mutual and score >= thresholds.full_mutual and not other
        ) or (same and not listed and score >= thresholds.head_pair and _titled_alike(reference, s, a, b))):
            grade = _FULL
        elif score >= (thresholds.full if theme and _in_passing(common, s.heads[b], theme) else thresholds.pair) and (
            common or z_alone >= thresholds.sentence_alone
        ):
            grade = _PARTIAL
        elif score >= thresholds.head_pair and s.heads[b].intersection(common):
            grade = _PARTIAL
        elif score >= thresholds.bundle_pair and listed and _names_subject(reference, a, common):
            grade = _PARTIAL
        else:
            continue
        quoted: tuple[str, str, tuple[str, ...], tuple[str, ...]] = ("", "", (), ())
        if quotes:
            if common and b not in names:
                unit = s.local_units[b]
                names[b] = [vocabulary.find(x, unit.text, unit.health) for x in unit.sentences]
            quoted = _quote(s, a, b, vocabulary, reference.sentence_names[a], names.get(b, []))
        found.append((a, b, grade, score, tuple(common[:4]), quoted, similar))
    return Alignment(national, local, _rated(found, s, thresholds.full_per_local), dict(reference.topics), share,
                     on_subject, tasks)


def _in_passing(common: list[str], head: frozenset[str], theme: frozenset[str]) -> bool:
    """Whether what a pair shares stands in the local item's body only, and is no part of the plan's reform."""
    return bool(common) and not head.intersection(common) and not set(common) <= theme


def _theme(local: Document, vocabulary: Vocabulary) -> frozenset[str]:
    """The reform a plan on one reform builds: the instruments of one topic its title names (紧密型县域医共体建设实施方案);
    none for a list on the reform as a whole (深化医药卫生体制改革2024年重点工作任务 names no instrument)."""
    if not _PLAN_TITLE.search(local.title):
        return frozenset()  # (a news headline's figure, 县域内就诊率达91.6%, names what it reports, not a reform built)
    theme = vocabulary.find(local.title, local.title, True)
    return theme if theme and len(_topics(theme, vocabulary)) == 1 else frozenset()


# What a plan calls itself (实施方案, 行动计划, 实施意见, 若干措施, 办法)
_PLAN_TITLE = re.compile(r"方案|计划|意见|措施|规划|办法|细则")


def _themed(theme: frozenset[str], supporting: tuple[bool, ...], vocabulary: Vocabulary, reference: Reference,
            s: Signals) -> dict[int, frozenset[int]]:
    """In a plan on one reform (_theme), per local item whose main task names that reform alone (健全医共体管理体制;
    推进财务统一管理, read with its next sentence), or names nothing over a body on it (建机制,完善核心要素管理与调整机制 over
    DIP 病种组合、病种分值), the national items whose subject the reform is. Such an item builds
    a part of the reform and is its full counterpart, however little its score stands out: every item of the plan
    names the reform, and scores are read against the document pair's own mean. Frame and support items (指导思想;
    三、保障措施 (一)加强组织领导) are no part of it."""
    if not theme:
        return {}
    holders = reference.subject_holders
    owners = frozenset(a for name in theme for a in holders.get(name, ()))
    if not owners:
        return {}
    return {b: owners for b, (head, support, unit) in enumerate(zip(s.heads, supporting, s.local_units))
            if (head <= theme if head else bool(theme & vocabulary.find(unit.text, "", unit.health)))
            and not support and not _is_frame(unit)}


# The sections of a plan that support its tasks rather than carry them (三、保障措施, 组织实施)
_SUPPORT = re.compile(r"保障措施|组织实施|组织保障|保障机制|工作要求|实施步骤|工作保障")


def _supporting(document: Document) -> tuple[bool, ...]:
    """Per item, whether it stands in a section that supports the tasks (_SUPPORT)."""
    return tuple(bool(_SUPPORT.search(item.section)) for item in document.items)


def _titled_alike(reference: Reference, s: Signals, a: int, b: int) -> bool:
    """Whether the local item's printed title has for its main task national item a's task (what its title names,
    with the topics within it: Reference.subject_rows): the task a reader reads as the same (分级诊疗制度建设深入推进
    under 持续推进分级诊疗和优化就医秩序; 做实家庭医生签约服务 under 提升基层医疗卫生服务水平), however much else either body
    holds (the local body on 城市医疗集团 and 医共体 makes another national item its best match)."""
    holders = reference.subject_holders
    return s.titled[b] and any(a in holders.get(name, ()) for name in s.heads[b])


def _names_subject(reference: Reference, a: int, common: list[str]) -> bool:
    """Whether one of the instruments given is national item a's main task (of its title's topics, see _subject_rows)."""
    holders = reference.subject_holders
    return any(a in holders.get(name, ()) for name in common)


_Found = tuple[int, int, Grade, float, tuple[str, ...], tuple[str, str, tuple[str, ...], tuple[str, ...]], float]


def _rated(found: list[_Found], s: Signals, full_per_local: int) -> tuple[Pair, ...]:
    """The pairs found (0-based items, grade, score, evidence, quotes, sentence similarity), each local item full
    for at most `full_per_local` national items (see _capped), with their confidence: each pair built once."""
    if not found:
        return ()
    grades = _capped([(a, b, grade, score) for a, b, grade, score, *_ in found], full_per_local)
    model = Confidence.load()
    rows = _features([f[0] for f in found], [f[1] for f in found], [len(f[4]) for f in found],
                     [g is _FULL for g in grades], s)
    # (np.stack's layout, one feature a column, at a third of its cost)
    confidences = model.probabilities(np.array([rows[name] for name in model.features]).T.copy()).tolist()
    return tuple(Pair(a + 1, b + 1, grade, score, evidence, *quoted, similar, c, model.level(c))
                 for (a, b, _, score, evidence, quoted, similar), grade, c in zip(found, grades, confidences))


def _capped(found: list[tuple[int, int, Grade, float]], limit: int) -> list[Grade]:
    """The grades of the pairs (national, local, grade, score), each local item full for at most `limit` national
    items: its strongest, ties the earlier national item; the others partial."""
    fulls: dict[int, list[tuple[float, int, int]]] = {}
    for k, (a, b, grade, score) in enumerate(found):
        if grade is _FULL:
            fulls.setdefault(b, []).append((-score, a, k))
    grades = [grade for _, _, grade, _ in found]
    for held in fulls.values():
        if len(held) > limit:
            for _, _, k in sorted(held)[limit:]:
                grades[k] = _PARTIAL
    return grades


def confident(alignment: Alignment, minimum: float) -> Alignment:
    """The alignment with only the pairs at least `minimum` sure (coverage follows the pairs kept)."""
    return replace(alignment, pairs=tuple(p for p in alignment.pairs if p.confidence >= minimum))


def _specific(text: str, vocabulary: Vocabulary) -> frozenset[str]:
    """Instruments a text names by a specific form (not by a generic word that every sector's plans use)."""
    return frozenset(m.instrument for m in vocabulary.mentions_of(text) if m.specific)


def owned_instruments(reference: Document, vocabulary: Vocabulary) -> list[frozenset[str]]:
    """Per reference item, the instruments that are its own task: those its title names, and those it
    mentions more often than any other item does (a tie goes to the item holding more of the instrument's
    topic). An item that names an instrument only as the setting of its task (医共体 in an item on 总额付费)
    does not own it, so that instrument is no evidence for that item."""
    health = vocabulary.on_health(reference.title)
    units = [_unit(item, vocabulary.slogan_pattern, health) for item in reference.items]
    counts = [Counter(m.instrument for m in vocabulary.mentions_of(u.text, "", health)) for u in units]
    topic_mass = [Counter(vocabulary.topic_of[name] for name in c.elements()) for c in counts]
    best: dict[str, tuple[int, int]] = {}
    for k, c in enumerate(counts):
        for name, n in c.items():
            best[name] = max(best.get(name, (0, 0)), (n, topic_mass[k][vocabulary.topic_of[name]]))
    owned = []
    for k, u in enumerate(units):
        in_title = vocabulary.find(u.title, u.text, health)
        owned.append(frozenset(name for name, n in counts[k].items()
                               if name in in_title or (n, topic_mass[k][vocabulary.topic_of[name]]) == best[name]))
    return owned


def topics_of(document: Document, vocabulary: Vocabulary) -> dict[int, str]:
    """Each item's topic ("" when the vocabulary names none of its instruments)."""
    health = vocabulary.on_health(document.title)
    return {item.index: _topic(item, vocabulary, health) for item in document.items}


def _topic(item: Item, vocabulary: Vocabulary, health: bool = False) -> str:
    """The topic an item is mainly about: its title's instruments first, then its text's (`health`: its document is
    on health, see Vocabulary.on_health)."""
    whole = item.title + "。" + item.measures
    for text in (item.title, whole):
        counts = Counter(vocabulary.topic_of[m.instrument] for m in vocabulary.mentions_of(text, whole, health))
        if counts:
            return counts.most_common(1)[0][0]
    return ""


@dataclass(frozen=True)
class Confidence:
    """How likely a careful reader finds a pair: a logistic model of the signals that decided it, with the levels
    that name it (data/confidence.yaml, written by bench/confidence.py, which prints how well it is calibrated)."""

    features: tuple[str, ...]
    weights: tuple[float, ...]
    intercept: float
    sure: float  # from this probability a pair is `sure`
    unsure: float  # below this, `unsure`; between the two, `likely`

    @staticmethod
    @lru_cache(maxsize=1)
    def load() -> Confidence:
        data = load_data("confidence.yaml")
        model = data["model"]
        return Confidence(tuple(model), tuple(float(model[k]) for k in model), float(data["intercept"]),
                          float(data["levels"]["sure"]), float(data["levels"]["unsure"]))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(rows @ np.asarray(self.weights) + self.intercept)))

    def level(self, p: float) -> str:
        return "sure" if p >= self.sure else "unsure" if p < self.unsure else "likely"


def pair_features(pairs: tuple[Pair, ...], s: Signals) -> dict[str, np.ndarray]:
    """The signals that decided each pair, as the confidence model reads them (one array per feature)."""
    return _features([p.national - 1 for p in pairs], [p.local - 1 for p in pairs], [len(p.evidence) for p in pairs],
                     [p.grade is Grade.FULL for p in pairs], s)


def _features(national: list[int], local: list[int], shared: list[int], full: list[bool], s: Signals,
              ) -> dict[str, np.ndarray]:
    """pair_features of the pairs given by their items (0-based), how many instruments each shares (its evidence)
    and whether each is full."""
    a = np.array(national)
    b = np.array(local)
    best_local_of, best_national_of = s.best_local_of, s.best_national_of
    partners = Counter(local)  # a summary sentence pairs with many national items
    return {
        "score": s.combined[a, b],
        "shared": np.array([min(n, 3) for n in shared], dtype=np.float64),
        "sentence": s.sentence[a, b],
        "mutual": ((best_local_of[a] == b) & (best_national_of[b] == a)).astype(np.float64),
        "same_subject": s.same_subject[a, b].astype(np.float64),
        "full": np.array(full, dtype=np.float64),
        "chained": s.chained[b].astype(np.float64),
        "partners": np.array([min(partners[x], 5) for x in local], dtype=np.float64),
    }
