"""Titles rewritten in a small alphabet (yigai.similarity.titles) score as rapidfuzz scores them as printed."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from tests.conftest import BAOKANG, NATIONAL, ROUNDUP, SICHUAN
from yigai import similarity
from yigai.documents import read_document, read_documents


def printed(reference: list[str], local: list[str]) -> np.ndarray:
    return process.cdist(reference, local, scorer=fuzz.partial_ratio, workers=1)


def test_sample_titles_score_as_printed() -> None:
    national = [i.title for i in read_document(NATIONAL).items]
    prepared = similarity.titles(national)
    assert prepared.foreign is not None  # the national list's titles fit in one byte a character
    locals_ = [read_document(str(SICHUAN)), read_document(str(BAOKANG)), *read_documents(ROUNDUP)]
    for local in locals_:
        titles = [i.title for i in local.items]
        assert np.array_equal(similarity.title_similarity(prepared, titles), printed(national, titles))


# a few characters shared, some only on one side, punctuation that regular expressions treat specially
_CHARACTERS = st.sampled_from(list("医保改革药品集采县域共体DRG-]^\\[.* 。,"))
_TITLE = st.text(_CHARACTERS, max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE, min_size=1, max_size=5), st.lists(_TITLE, min_size=1, max_size=5))
def test_any_titles_score_as_printed(reference: list[str], local: list[str]) -> None:
    assert np.array_equal(similarity.title_similarity(similarity.titles(reference), local), printed(reference, local))


def test_too_many_characters_for_one_byte_keeps_the_titles() -> None:
    reference = ["".join(chr(0x4E00 + k) for k in range(300))]
    prepared = similarity.titles(reference)
    assert prepared.foreign is None
    local = [chr(0x4E00 + 5) + chr(0x4E00 + 7) + "县"]
    assert np.array_equal(similarity.title_similarity(prepared, local), printed(reference, local))


def test_titles_scored_before_score_the_same(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(similarity, "TITLES_SEEN", 3)  # the memory is emptied on the way
    national = [i.title for i in read_document(NATIONAL).items]
    prepared = similarity.titles(national)
    local = [i.title for i in read_document(str(SICHUAN)).items]
    for titles in (local[:4], local[2:9], local[:1] * 3, local[::-1], []):
        found = similarity.title_similarity(prepared, titles)
        assert found.dtype == np.float32 and found.shape == (len(national), len(titles))
        assert np.array_equal(found, printed(national, titles))
    assert len(prepared.seen) <= 3 + len(local)
