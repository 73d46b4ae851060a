"""yigai's JSON is byte for byte what json.dumps(ensure_ascii=False, indent=2) writes, whoever writes it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import NATIONAL, SAMPLES
from tests.snapshot import sample_documents
from yigai.align import align
from yigai.coverage import coverage
from yigai.documents import read_document, read_documents
from yigai.matrix import column
from yigai.vocab import load_vocabulary
from yigai_cli import jsonout
from yigai_cli.formats import compare, matrix, parse


def standard(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def test_every_sample_output_is_written_as_the_standard_encoder_writes_it() -> None:
    vocabulary = load_vocabulary()
    national = read_document(NATIONAL)
    documents = [d for _, d in sample_documents()]
    outputs = []
    for document in documents:
        alignment = align(national, document, vocabulary)
        outputs.append(compare.as_json(alignment, coverage(alignment)))
    outputs.append(matrix.as_json(national, [column(national, d, vocabulary) for d in documents]))
    outputs.append(parse.as_json([(str(path), read_documents(path)) for path in sorted(SAMPLES.glob("*.txt"))]))
    for written in outputs:
        data = json.loads(written)  # the same values, keys in the same order
        assert written == standard(data)
        assert jsonout._plain(data)  # written by orjson, not handed back to the standard encoder


_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["\u2028", "\x7f", "\x00", '"\\/', "医改"])
_LEAF = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | _TEXT
         | st.floats(allow_nan=True, allow_infinity=True) | st.floats(min_value=-1e-3, max_value=1e-3)
         | st.sampled_from([0.0001, 1e-05, 1e16, 0.1 + 0.2, -0.0, 2.5e-4]))
_JSON = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                     | st.dictionaries(_TEXT | st.integers(-5, 5), inner, max_size=4), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_any_value_is_written_as_the_standard_encoder_writes_it(data: object) -> None:
    assert jsonout.dumps(data) == standard(data)
