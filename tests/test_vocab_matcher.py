"""The vocabulary's one-pass matcher finds what one regular expression over every printed form finds: the same
mentions, overlapping ones included, in the same order, with the same senses and patterns."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NATIONAL
from tests.snapshot import sample_documents
from yigai.align import _unit
from yigai.documents import read_document
from yigai.vocab import Instrument, Mention, Sense, Vocabulary, load_vocabulary

VOCABULARY = load_vocabulary()


def regex_mentions(vocabulary: Vocabulary, text: str, item: str = "") -> list[Mention]:
    """Every printed form in one alternation, longest first, then the patterns; a lookahead finds overlaps."""
    literals = sorted({*vocabulary._by_surface, *vocabulary._senses}, key=len, reverse=True)
    parts = [re.escape(s) for s in literals] + [p for i in vocabulary.instruments for p in i.patterns]
    found = []
    for m in re.compile("(?=(" + "|".join(parts) + "))").finditer(text):
        surface = m.group(1)
        name = vocabulary._by_surface.get(surface)
        if name is None and surface not in vocabulary._senses:
            name = next((i.name for i in vocabulary.instruments for p in i.patterns if re.fullmatch(p, surface)), None)
        if name is not None:
            found.append(Mention(name, surface, m.start()))
        for sense, owner in vocabulary._senses.get(surface, ()):
            if owner != name and sense.holds(text, m.start(), item):
                found.append(Mention(owner, surface, m.start(), not sense.needs_in_item))
    return found


def test_every_sample_text_has_the_same_mentions() -> None:
    documents = [read_document(NATIONAL)] + [d for _, d in sample_documents()]
    checked = 0
    for document in documents:
        for item in document.items:
            unit = _unit(item)
            for text, context in ((unit.text, ""), (unit.title, unit.text), (item.text, ""),
                                  *((s, unit.text) for s in unit.sentences)):
                assert VOCABULARY.mentions(text, context) == regex_mentions(VOCABULARY, text, context)
                checked += bool(VOCABULARY.mentions(text, context))
    assert checked > 1000


def test_overlapping_and_nested_forms() -> None:
    text = "推进医疗服务价格动态调整,健康中国行动和健康城市建设"
    found = VOCABULARY.mentions(text)
    assert found == regex_mentions(VOCABULARY, text)
    assert len({m.start for m in found}) >= 3  # overlapping mentions and the two patterns


_WORDS = sorted({*VOCABULARY._by_surface, *VOCABULARY._senses})
_PIECES = _WORDS + [w[: len(w) // 2] for w in _WORDS if len(w) > 2] + [w[len(w) // 2 :] for w in _WORDS if len(w) > 2]
_PIECES += [w for i in VOCABULARY.instruments for s in i.senses for w in (*s.needs, *s.unless, *s.not_in)]
_PIECES += ["。", ",", ";", "\n", "健康", "行动", "建设", "X", "医", "药", "疫情", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25), st.lists(st.sampled_from(_PIECES), max_size=25))
def test_any_text_has_the_same_mentions(pieces, context) -> None:  # type: ignore[no-untyped-def]
    text, item = "".join(pieces), "".join(context)
    assert VOCABULARY.mentions(text, item) == regex_mentions(VOCABULARY, text, item)
    assert VOCABULARY.mentions(text) == regex_mentions(VOCABULARY, text)


# patterns that overlap printed forms and each other, a pattern that can match nothing, senses of a plain form
SMALL = Vocabulary((
    Instrument("医保", "t", ("医保", "医保支付"), ("医保[a-c]+", "保[ab]"), (Sense("医保", needs=("改革",)),)),
    Instrument("支付", "u", ("支付", "付"), ("付c*",), (Sense("医保支付", unless=("x",), not_in=("医保支付方式",)),)),
    Instrument("方式", "u", (), ("方[式]",), (Sense("方式", needs_in_item=("医",)),)),
))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"医保支付方式改革abcx。", "医保支付方式"]), max_size=30), st.sampled_from(["", "医", "x"]))
def test_overlapping_patterns_and_senses_of_a_small_vocabulary(pieces: list[str], item: str) -> None:
    text = "".join(pieces)
    assert SMALL.mentions(text, item) == regex_mentions(SMALL, text, item)


def test_a_pattern_that_matches_empty_text_ends() -> None:
    # each match is searched for from the position after the last one's start: an empty match at the end of the
    # text must not be found again and again
    vocabulary = Vocabulary((Instrument("甲", "t", ("甲",), ("x?",)), Instrument("乙", "t", (), ("健康[一-龥]{1,3}行动",))))
    for text in ("", "ab", "健康城市行动x", "x健康乡村行动健康行动"):
        assert vocabulary.mentions(text) == regex_mentions(vocabulary, text)
