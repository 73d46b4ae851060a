"""Titles' topics compared as bits (Vocabulary.topic_bits) decide `same_subject` as comparing the sets does."""

from __future__ import annotations

import numpy as np

from tests.conftest import BAOKANG, GUANGXI, NATIONAL, ROUNDUP, SICHUAN
from yigai.align import prepare, signals
from yigai.documents import read_document, read_documents
from yigai.vocab import Vocabulary, load_vocabulary


def test_bits_and_sets_give_the_same_subjects() -> None:
    national = read_document(NATIONAL)
    with_bits = load_vocabulary()
    assert with_bits.topic_bits is not None
    with_sets = Vocabulary(with_bits.instruments)
    with_sets.__dict__["topic_bits"] = None  # as a vocabulary of more topics than an int64 holds
    locals_ = [read_document(GUANGXI), read_document(str(SICHUAN)), read_document(str(BAOKANG)), *read_documents(ROUNDUP)]
    same = 0
    for local in locals_:
        a = signals(national, local, with_bits, prepare(national, with_bits)).same_subject
        b = signals(national, local, with_sets, prepare(national, with_sets)).same_subject
        assert np.array_equal(a, b)
        same += int(a.sum())
    assert same > 0


def test_each_topic_has_a_bit_of_its_own() -> None:
    vocabulary = load_vocabulary()
    bits = vocabulary.topic_bits or {}
    assert set(bits) == set(vocabulary.topics)
    assert len(set(bits.values())) == len(bits) and all(bin(b).count("1") == 1 for b in bits.values())
