"""The reform vocabulary: named instruments, their aliases, and the topics they belong to."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, shown
from .resources import DuplicateKey, data_path, read_yaml


@dataclass(frozen=True)
class Sense:
    """An alias that names the instrument only in some contexts (监测预警 means epidemic early warning only
    beside 疫情/传染病, not in 短缺药品监测预警). All conditions look at the sentence the alias stands in."""

    alias: str
    needs: tuple[str, ...] = ()  # one of these must stand in the same sentence
    unless: tuple[str, ...] = ()  # none of these may stand in the same sentence
    not_in: tuple[str, ...] = ()  # longer phrases that hold the alias and mean something else
    # a generic word (动态调整, 绩效考核): one of these must stand somewhere in the item, since a sentence of a
    # health item need not repeat 医 or 药 but an item of a plan on schools or rivers holds none
    needs_in_item: tuple[str, ...] = ()
    # one of these must stand somewhere in the item (a programme's name without its level names the level the item
    # names elsewhere: 区域医疗中心建设 over 国家区域医疗中心 项目)
    in_item: tuple[str, ...] = ()

    def holds(self, text: str, start: int, item: str = "", health: bool = False) -> bool:
        """Whether the alias printed at `start` of `text` (a sentence or a whole item) is read in this sense;
        `health`: the text stands in a document on health (see Vocabulary.on_health), where a generic word needs
        no health word of its own item."""
        if self.needs_in_item and not health:
            context = (item or text).replace(self.alias, "")  # a health word besides the alias itself (中药 has 药)
            if not any(word in context for word in self.needs_in_item):
                return False
        if self.in_item and not any(word in (item or text) for word in self.in_item):
            return False
        for phrase in self.not_in:
            offset = phrase.find(self.alias)
            while offset >= 0:
                if start >= offset and text.startswith(phrase, start - offset):
                    return False
                offset = phrase.find(self.alias, offset + 1)
        if not (self.needs or self.unless):
            return True
        # (the words around the alias: a needed word inside the alias itself, 村医 in 乡村医疗卫生机构, says nothing)
        sentence = _sentence_around(text, start, len(self.alias)).replace(self.alias, "\x00")
        if self.needs and not any(word in sentence for word in self.needs):
            return False
        return not any(word in sentence for word in self.unless)


_SENTENCE_END = "。;!?\n"


def _sentence_around(text: str, start: int, length: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    ends = [k for k in (text.find(ch, start + length) for ch in _SENTENCE_END) if k >= 0]
    return text[left : min(ends, default=len(text))]


@dataclass(frozen=True)
class Instrument:
    """A named reform instrument (集中带量采购, DRG, 两个允许…) and every way it is printed."""

    name: str
    topic: str
    aliases: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    senses: tuple[Sense, ...] = ()  # aliases that count only in some contexts


@dataclass(frozen=True)
class Mention:
    """An instrument found in a text, with the printed form and where it stands."""

    instrument: str
    surface: str
    start: int
    specific: bool = True  # False for a generic word (动态调整) read as the instrument in a health item


@dataclass(frozen=True)
class Vocabulary:
    instruments: tuple[Instrument, ...]
    # phrases that name the reform as a whole (三医协同发展和治理, 深化医改, 健康中国建设 as a goal): every plan
    # prints them, so they are no evidence that two items carry the same task, and matching does not read them
    slogans: tuple[str, ...] = ()  # regular expressions (a literal is its own pattern)
    # (topic, broader topic): a topic that is the means of a broader task (医联体 of 分级诊疗, 家庭医生签约 of the
    # 基层 services), so that an item whose task is the broader one has the narrower one's instruments as its own
    within: tuple[tuple[str, str], ...] = ()
    # words that make a text one on health (医, 药, 卫生 …): a generic word names an instrument only in such a text
    health_words: tuple[str, ...] = ()

    def on_health(self, title: str) -> bool:
        """Whether a document whose title is `title` is on health (深化医药卫生体制改革…, 卫生健康工作要点, 医疗保障…):
        every item of it is read as a health item, whether it repeats a health word or not (制定编制备案制管理方案 in a
        county's reform list is the health workforce's; in a list on schools it would be the schools')."""
        return any(word in title for word in self.health_words)

    def broader(self, topic: str) -> str:
        """The topic a topic is within, or the topic itself."""
        return self._broader.get(topic, topic)

    @cached_property
    def _broader(self) -> dict[str, str]:
        # (the first pair naming a topic holds, as a scan of `within` finds it; alignment asks for every clause)
        table: dict[str, str] = {}
        for narrower, broader in self.within:
            table.setdefault(narrower, broader)
        return table

    def family(self, topic: str) -> frozenset[str]:
        """A topic and the topics within it."""
        return frozenset({topic} | {narrower for narrower, broader in self.within if broader == topic})

    @cached_property
    def slogan_pattern(self) -> re.Pattern[str] | None:
        """The slogans, longest first, as one pattern (None when there are none)."""
        return re.compile("|".join(sorted(self.slogans, key=len, reverse=True))) if self.slogans else None

    def without_slogans(self, text: str) -> str:
        """`text` with every slogan replaced by a comma: what matching reads."""
        pattern = self.slogan_pattern
        return pattern.sub(",", text) if pattern is not None else text

    @cached_property
    def _by_surface(self) -> dict[str, str]:
        table: dict[str, str] = {}
        for instrument in self.instruments:
            # a name written as one of its own senses (监测预警) counts only in that sense
            name = () if any(s.alias == instrument.name for s in instrument.senses) else (instrument.name,)
            for alias in (*name, *instrument.aliases):
                table.setdefault(alias, instrument.name)
        return table

    @cached_property
    def _senses(self) -> dict[str, list[tuple[Sense, str]]]:
        """Printed forms that name an instrument only in some contexts (one form may name several)."""
        table: dict[str, list[tuple[Sense, str]]] = {}
        for instrument in self.instruments:
            for sense in instrument.senses:
                table.setdefault(sense.alias, []).append((sense, instrument.name))
        return table

    @cached_property
    def _literals(self) -> Any:
        """Every printed form, in one Aho-Corasick automaton: all of them are found in one pass over a text."""
        import ahocorasick

        automaton = ahocorasick.Automaton()
        for literal in {*self._by_surface, *self._senses}:
            automaton.add_word(literal, len(literal))
        automaton.make_automaton()
        return automaton

    @cached_property
    def _patterns(self) -> re.Pattern[str] | None:
        """The instruments' regular expressions, in their order, tried where no printed form starts (see
        _pattern_mentions)."""
        parts = [p for i in self.instruments for p in i.patterns]
        return re.compile("(?:" + "|".join(parts) + ")") if parts else None

    def _pattern_mentions(self, text: str) -> Iterator[tuple[int, str]]:
        """Where the patterns match in `text`, overlapping matches too: each position a match starts, with the first
        pattern's match there. (Searched from the position after each start: a lookahead finditer gives the same,
        but tries every position of the text in Python's engine, where a search skips in C to the first character
        a pattern can start with.)"""
        pattern = self._patterns
        if pattern is None:
            return
        at, end = 0, len(text)
        while at <= end and (m := pattern.search(text, at)) is not None:  # (a search from past the end finds the end)
            yield m.start(), m.group(0)
            at = m.start() + 1

    @cached_property
    def _pattern_owner(self) -> list[tuple[re.Pattern[str], str]]:
        return [(re.compile(p), i.name) for i in self.instruments for p in i.patterns]

    @cached_property
    def topic_of(self) -> dict[str, str]:
        return {i.name: i.topic for i in self.instruments}

    @cached_property
    def topics(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(i.topic for i in self.instruments))

    @cached_property
    def instrument_column(self) -> dict[str, int]:
        """Each instrument's position in `instruments`."""
        return {i.name: k for k, i in enumerate(self.instruments)}

    @cached_property
    def topic_column(self) -> dict[str, int]:
        """Each topic's position in `topics`."""
        return {t: k for k, t in enumerate(self.topics)}

    def mentions(self, text: str, item: str = "", health: bool = False) -> list[Mention]:
        """Every instrument mention in `text`, longest form first at each position; `item` is the whole item's
        text when `text` is one of its sentences (generic words are read in the light of the whole item), `health`
        whether the item stands in a document on health (see on_health: then generic words need no health word)."""
        longest: dict[int, int] = {}  # start -> length of the longest printed form starting there
        for end, length in self._literals.iter(text):
            start = end - length + 1
            if length > longest.get(start, 0):
                longest[start] = length
        surfaces = {start: text[start : start + length] for start, length in longest.items()}
        for start, surface in self._pattern_mentions(text):
            surfaces.setdefault(start, surface)
        found = []
        for start in sorted(surfaces):
            surface = surfaces[start]
            name = self._by_surface.get(surface)
            if name is None and surface not in self._senses:
                name = next((owner for p, owner in self._pattern_owner if p.fullmatch(surface)), None)
            if name is not None:
                found.append(Mention(name, surface, start))
            for sense, owner in self._senses.get(surface, ()):
                if owner != name and sense.holds(text, start, item, health):
                    found.append(Mention(owner, surface, start, not sense.needs_in_item))
        return found

    @cached_property
    def _seen(self) -> dict[tuple[str, str, bool], tuple[tuple[Mention, ...], frozenset[str]]]:
        return {}

    # A document's texts are read several times while it is aligned, the national list's for every document;
    # past this many texts the memory is emptied (a document needs a few hundred; ~0.5 kB each).
    _REMEMBERED = 20_000

    def _remembered(self, text: str, item: str, health: bool) -> tuple[tuple[Mention, ...], frozenset[str]]:
        key = (text, item, health)
        found = self._seen.get(key)
        if found is None:
            if len(self._seen) >= self._REMEMBERED:
                self._seen.clear()
            mentions = tuple(self.mentions(text, item, health))
            found = self._seen[key] = (mentions, frozenset(m.instrument for m in mentions))
        return found

    def mentions_of(self, text: str, item: str = "", health: bool = False) -> tuple[Mention, ...]:
        """`mentions`, remembered: a national list is read against many documents, its texts recur."""
        return self._remembered(text, item, health)[0]

    def find(self, text: str, item: str = "", health: bool = False) -> frozenset[str]:
        """The instruments `text` mentions (`item`, `health`: as for `mentions`)."""
        return self._remembered(text, item, health)[1]

    def suggest(self, term: str, limit: int = 3) -> list[str]:
        """Topics and names closest to a term the vocabulary does not know (for error messages)."""
        from rapidfuzz import fuzz, process

        names = list(dict.fromkeys([*self.topics, *self._by_surface, *self._senses]))
        found = process.extract(term, names, scorer=fuzz.ratio, limit=limit, score_cutoff=50)
        return [name for name, _, _ in found]

    def resolve(self, term: str) -> frozenset[str]:
        """Instruments a user's term names: a topic, an instrument, or any alias of one."""
        if term in self.topics:
            return frozenset(i.name for i in self.instruments if i.topic == term)
        if term in self._by_surface:
            return frozenset({self._by_surface[term]})
        return frozenset(owner for _, owner in self._senses.get(term, ()))


# Bounds on a vocabulary file: the bundled one is some tens of kilobytes and a thousand instruments. YAML
# anchors let a small file repeat one list many times over, so counts are checked as the entries are read.
MAX_VOCAB_BYTES = 8 * 1024 * 1024
MAX_INSTRUMENTS = 50_000
MAX_ALIASES = 500_000
MAX_PATTERNS = 2_000
MAX_ALIAS_CHARS = 200


def _check_pattern(pattern: Any, where: str, source: str) -> None:
    """A pattern must be text, compile alone and in the vocabulary's combined pattern, and run in linear time."""
    if not isinstance(pattern, str) or not pattern:
        raise InputError(source, f"{where}: each pattern must be non-empty text", "quote it in the YAML file")
    shown_pattern = shown(pattern, 60)
    try:
        re.compile(pattern)
        tree = _parser.parse(pattern)
    except re.error as exc:
        raise InputError(source, f"{where}: bad pattern '{shown_pattern}': {exc.msg}", "fix the regular expression") from None
    problem = "names a group (write (?:…))" if tree.state.groupdict else _backtracking(tree)
    if problem:
        raise InputError(source, f"{where}: pattern '{shown_pattern}' {problem}", "use bounded repeats such as {1,3}")
    try:
        re.compile(f"(?=(x|{pattern}))")  # as the patterns are combined
    except re.error as exc:
        problem = ("inline flags such as (?i) apply only at the start: write (?i:…)" if "global flags" in exc.msg
                   else f"{exc.msg} among the other patterns")
        raise InputError(source, f"{where}: bad pattern '{shown_pattern}': {problem}", "fix the regular expression") from None


try:  # the standard library's regex parser, to inspect a pattern's structure (sre_parse before 3.11)
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse as _parser  # type: ignore[no-redef]


def _backtracking(tree: Any, inside_repeat: bool = False) -> str | None:
    """Why a parsed pattern can take more than linear time, or None: a repeat without an upper bound
    (retried at every position of the lookahead that combines patterns), a repeat inside a repeat, an
    alternation inside a repeat (the parser factors `[一-龥]|[一-龥]` into a common part and two empty
    choices: 2**40 ways to fail over 40 characters), or a reference to a group (group numbers change when
    patterns are combined). A choice of single characters (a|b) is a character class to the parser: allowed."""
    constants = _parser
    for op, av in tree:
        name = str(op)
        if name in {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}:
            low, high, sub = av
            if high == constants.MAXREPEAT:
                return "repeats without an upper bound (*, + or {n,})"
            if inside_repeat and high > 1:
                return "nests one repeat inside another"
            found = _backtracking(sub, inside_repeat or high > 1)
        elif name in {"GROUPREF", "GROUPREF_EXISTS"}:
            return "refers back to a group"
        elif name == "SUBPATTERN":
            found = _backtracking(av[-1], inside_repeat)
        elif name == "BRANCH":
            if inside_repeat:  # (?:[一-龥]|[一-龥]){0,40}: overlapping choices, tried in every combination
                return "repeats an alternation (a|b inside a repeat): its choices can overlap"
            found = next((f for f in (_backtracking(b, inside_repeat) for b in av[1]) if f), None)
        elif name in {"ASSERT", "ASSERT_NOT"}:
            found = _backtracking(av[1], inside_repeat)
        elif name == "ATOMIC_GROUP":
            found = _backtracking(av, inside_repeat)
        else:
            found = None
        if found:
            return found
    return None


def _words(data: Any, key: str, where: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise InputError(source, f"{where}: '{key}' must be a list of non-empty strings", "quote odd values")
    return tuple(value)


def _check_vocabulary(data: Any, source: str) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise InputError(source, "not a yigai vocabulary: expected a top-level 'topics' list", "see data/vocabulary.yaml")


def _instruments_from(data: Any, source: str, health_words: tuple[str, ...]) -> list[Instrument]:
    _check_vocabulary(data, source)
    instruments = []
    counts = {"instruments": 0, "aliases": 0, "patterns": 0}
    limits = {"instruments": MAX_INSTRUMENTS, "aliases": MAX_ALIASES, "patterns": MAX_PATTERNS}

    def count(kind: str, n: int) -> None:
        counts[kind] += n
        if counts[kind] > limits[kind]:
            raise InputError(source, f"vocabulary holds more than {limits[kind]:,} {kind}", "split it, or check for "
                             "YAML anchors (*name) that repeat a list")

    for t, topic in enumerate(data["topics"], start=1):
        well_formed = isinstance(topic, dict) and isinstance(topic.get("topic"), str)
        if not well_formed or not isinstance(topic.get("instruments"), list):
            raise InputError(source, f"topic #{t} needs 'topic' (text) and 'instruments' (a list)", "see data/vocabulary.yaml")
        count("instruments", len(topic["instruments"]))
        for k, entry in enumerate(topic["instruments"], start=1):
            where = f"topic '{shown(topic['topic'], 40)}', instrument #{k}"
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
                raise InputError(source, f"{where} needs a 'name'", "see data/vocabulary.yaml")
            aliases = entry.get("aliases", [])
            patterns = entry.get("patterns", [])
            if not isinstance(aliases, list):
                raise InputError(source, f"{where}: 'aliases' must be a list", "see data/vocabulary.yaml")
            count("aliases", len(aliases))
            too_long = next((a for a in (entry["name"], *aliases) if isinstance(a, str) and len(a) > MAX_ALIAS_CHARS), None)
            if too_long is not None:
                raise InputError(source, f"{where} ({shown(entry['name'], 40)}): '{shown(too_long, 40)}' is longer "
                                 f"than {MAX_ALIAS_CHARS} characters",
                                 "an alias is a printed name, not a passage")
            named = f"{where} ({shown(entry['name'], 40)})"
            senses = tuple(_sense(a, named, source) for a in aliases if isinstance(a, dict))
            # generic: words every sector's plans use (双随机, 运营管理); they name the instrument only in an item
            # about health. One may be a sense as well ({alias: 信息平台, not_in: [医保信息平台]}).
            generic = entry.get("generic", [])
            written = generic if isinstance(generic, list) else []
            generic_senses = [_sense(g, named, source) for g in written if isinstance(g, dict)]
            plain = [g for g in written if not isinstance(g, dict)] if generic_senses else generic
            words = _words({"generic": plain}, "generic", named, source)
            if (words or generic_senses) and not health_words:
                raise InputError(source, f"{where}: 'generic' aliases need the vocabulary's 'health_words'",
                                 "see data/vocabulary.yaml")
            senses += tuple(Sense(alias, needs_in_item=health_words) for alias in words)
            senses += tuple(replace(sense, needs_in_item=health_words) for sense in generic_senses)
            aliases = [a for a in aliases if not isinstance(a, dict)]
            if not all(isinstance(a, str) and a for a in aliases):
                raise InputError(source, f"{where}: each alias must be non-empty text or a sense "
                                 "({alias: …, needs: […], unless: […], not_in: […]})", "quote odd values")
            if not isinstance(patterns, list):
                raise InputError(source, f"{where}: 'patterns' must be a list", "see data/vocabulary.yaml")
            count("patterns", len(patterns))
            for pattern in patterns:
                _check_pattern(pattern, named, source)
            instruments.append(Instrument(entry["name"], topic["topic"], tuple(aliases), tuple(patterns), senses))
    return instruments


_SENSE_KEYS = {"alias", "needs", "unless", "not_in", "in_item"}


def _sense(data: dict[Any, Any], where: str, source: str) -> Sense:
    """A sense entry: {alias: 监测预警, needs: [疫情, 传染病], unless: [短缺药品], not_in: [...]}."""
    alias = data.get("alias")
    if not isinstance(alias, str) or not alias:
        raise InputError(source, f"{where}: a sense needs 'alias' (non-empty text)", "e.g. {alias: 监测预警, needs: [疫情]}")
    unknown = sorted(str(k) for k in data if k not in _SENSE_KEYS)
    if unknown:
        raise InputError(source, f"{where}, sense '{alias}': unknown key {unknown[0][:40]!r}",
                         "a sense takes alias, needs, unless, not_in, in_item")
    words: dict[str, tuple[str, ...]] = {}
    for key in ("needs", "unless", "not_in", "in_item"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise InputError(source, f"{where}, sense '{alias}': '{key}' must be a list of non-empty strings", "quote odd values")
        words[key] = tuple(value)
    if not any(words.values()):
        raise InputError(source, f"{where}, sense '{alias}': give needs, unless, not_in or in_item",
                         "or list it as a plain alias")
    for phrase in words["not_in"]:
        if alias not in phrase:
            raise InputError(source, f"{where}, sense '{alias}': not_in phrase '{phrase}' does not contain the alias",
                             "list longer phrases that hold the alias")
    return Sense(alias, words["needs"], words["unless"], words["not_in"], in_item=words["in_item"])


def _read_yaml(path: Path) -> Any:
    name = str(path)
    if not os.path.isfile(path):  # (a FIFO or a device is no file: never opened)
        problem = "no such vocabulary file" if not os.path.exists(path) else "is not a file"
        raise InputError(name, problem, "check the --vocab path")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_VOCAB_BYTES + 1)
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or type(exc).__name__}", "check the --vocab path") from None
    if len(data) > MAX_VOCAB_BYTES:
        raise InputError(name, f"vocabulary is larger than {MAX_VOCAB_BYTES // 1024 // 1024} MB", "split it into several files")
    try:
        return read_yaml(data.decode("utf-8"))  # libyaml's parser where present
    except UnicodeDecodeError:
        raise InputError(name, "vocabulary is not UTF-8 text", "re-save it as UTF-8") from None
    except RecursionError:
        raise InputError(name, "vocabulary nests too deep", "a vocabulary is topics, instruments and aliases") from None
    except (ValueError, OverflowError):  # an alias 2024-02-30 is read as a date, 5,000 digits as a number
        raise InputError(name, "vocabulary holds a value that is no valid date or number (a day such as 2024-02-30?)",
                         "quote it") from None
    except DuplicateKey as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else 0
        raise InputError(name, f"{exc.problem} (line {line})", "merge the two: YAML would keep only the last") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(name, f"invalid YAML{where}", "fix the file's syntax") from None


def load_vocabulary(extra: list[Path] | tuple[Path, ...] = ()) -> Vocabulary:
    """The bundled vocabulary, extended by the analyst's files (their instruments add to it)."""
    base = data_path("vocabulary.yaml")
    files = [(str(base), _read_yaml(base))] + [(str(path), _read_yaml(Path(path))) for path in extra]
    health_words: tuple[str, ...] = ()
    slogans: tuple[str, ...] = ()
    for source, data in files:
        _check_vocabulary(data, source)
        health_words += _words(data, "health_words", "top level", source)
        found = _words(data, "slogans", "top level", source)
        for k, pattern in enumerate(found):
            _check_pattern(pattern, f"slogan {k + 1}", source)
        slogans += found
    instruments = _instruments_from(files[0][1], files[0][0], health_words)
    withins = [(source, _within(data, source)) for source, data in files]
    within = {t: b for _, declared in withins for t, b in declared.items()}
    by_name = {i.name: i for i in instruments}
    for source, data in files[1:]:
        for added in _instruments_from(data, source, health_words):
            old = by_name.get(added.name)
            if old is not None:  # same instrument: new aliases extend it
                added = Instrument(old.name, old.topic, old.aliases + added.aliases, old.patterns + added.patterns,
                                   old.senses + added.senses)
            by_name[added.name] = added
    known = {i.topic for i in by_name.values()}
    for source, declared in withins:
        for topic, broader in declared.items():
            if broader not in known:
                raise InputError(source, f"topic '{shown(topic, 40)}' is within '{shown(broader, 40)}', which is no topic",
                                 "name a topic of the vocabulary")
    return Vocabulary(tuple(by_name.values()), tuple(dict.fromkeys(slogans)), tuple(within.items()),
                      tuple(dict.fromkeys(health_words)))


def _within(data: Any, source: str) -> dict[str, str]:
    """The `within:` of each topic that has one (one level: a broader topic is within none)."""
    found = {}
    for topic in data["topics"]:
        broader = topic.get("within") if isinstance(topic, dict) else None
        if broader is None:
            continue
        if not isinstance(broader, str) or not broader or broader == topic["topic"]:
            raise InputError(source, f"topic '{shown(str(topic['topic']), 40)}': 'within' must name another topic",
                             "e.g. within: 分级诊疗")
        found[topic["topic"]] = broader
    return found
