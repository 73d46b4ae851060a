"""Property tests: cleaning and segmenting never crash on arbitrary text and never lose an item."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from yigai.clean import clean
from yigai.errors import InputError
from yigai.numbering import chinese_number
from yigai.numbering import chinese_numeral as chinese
from yigai.segment import segment
from yigai.split import split

# Item bodies drawn from reform wording: characters, commas and stops, no markers or parentheses.
_ALPHABET = "推进医疗服务价格改革药品耗材集中带量采购医保支付方式公立医院卫生健康基层,、。"
_body = st.text(alphabet=_ALPHABET, min_size=2, max_size=80).filter(
    lambda s: s.strip("。,、") != ""
)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_clean_never_crashes_and_never_grows_lines(text):
    cleaned = clean(text)
    assert isinstance(cleaned, str)
    assert cleaned.count("\n") <= text.count("\n") + text.count("\r")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_pipeline_never_crashes(text):
    for number, part in enumerate(split(clean(text)), start=1):
        try:
            document = segment(part, "arbitrary.txt", str(number))
        except InputError as exc:
            assert "no tasks found" in exc.problem
            continue
        assert [item.index for item in document.items] == list(range(1, len(document.items) + 1))


@settings(max_examples=150, deadline=None)
@given(st.lists(_body, min_size=2, max_size=40), st.booleans())
def test_numbered_items_keep_their_text(bodies, arabic):
    labels = [f"{n}." if arabic else f"({chinese(n)})" for n in range(1, len(bodies) + 1)]
    text = "标题\n" + "\n".join(label + body for label, body in zip(labels, bodies))
    (part,) = split(clean(text))
    document = segment(part, "generated.txt", "1")
    assert [item.label for item in document.items] == labels
    assert [item.text for item in document.items] == [body.strip() for body in bodies]


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numbers(n):
    assert chinese_number(chinese(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="医保药改革DRG", min_size=1, max_size=6), min_size=1, max_size=80),
       st.text(alphabet="医保药改革DRG,。", max_size=300))
def test_vocabulary_matcher_finds_what_the_longest_first_alternation_found(literals, text):
    import re

    from yigai.vocab import Instrument, Vocabulary

    plain = re.compile("(?=(" + "|".join(re.escape(w) for w in sorted(literals, key=len, reverse=True)) + "))")
    vocabulary = Vocabulary(tuple(Instrument(w, "t", (w,)) for w in sorted(literals)))
    found = [(m.start, m.surface) for m in vocabulary.mentions(text)]
    assert found == [(m.start(), m.group(1)) for m in plain.finditer(text)]
