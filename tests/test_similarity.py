"""The vectorised TF-IDF (yigai.similarity) gives the numbers of the plain definition written out here."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN
from yigai import similarity
from yigai.align import _unit
from yigai.documents import read_document, read_documents

_NON_TEXT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9+]+")


def ngrams(text: str) -> Counter[str]:
    grams: Counter[str] = Counter()
    for run in _NON_TEXT.split(text):
        for n in (2, 3):
            grams.update(run[i : i + n] for i in range(len(run) - n + 1))
    return grams


def plain_cosines(n_items: list[str], n_sentences: list[str], l_items: list[str], l_sentences: list[str]):  # type: ignore[no-untyped-def]
    """TF-IDF over the pair's items, one n-gram at a time."""
    national, local = [ngrams(t) for t in n_items], [ngrams(t) for t in l_items]
    df: Counter[str] = Counter()
    for grams in national + local:
        df.update(grams.keys())
    total = len(national) + len(local)
    idf = {g: math.log((total + 1) / (c + 1)) + 1.0 for g, c in df.items()}
    shared = set().union(*(g.keys() for g in national)) & set().union(*(g.keys() for g in local))
    index = {g: k for k, g in enumerate(sorted(shared))}

    def rows(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), max(len(index), 1)), dtype=np.float32)
        for r, text in enumerate(texts):
            norm = 0.0
            for gram, count in ngrams(text).items():
                weight = (1.0 + math.log(count)) * idf.get(gram, 1.0)
                norm += weight * weight
                if gram in index:
                    out[r, index[gram]] = weight
            if norm > 0:
                out[r] /= math.sqrt(norm)
        return out

    return rows(n_items) @ rows(l_items).T, rows(n_sentences) @ rows(l_sentences).T


def texts_of(document):  # type: ignore[no-untyped-def]
    units = [_unit(i) for i in document.items]
    return [u.text for u in units], [s for u in units for s in u.sentences]


def test_the_samples_score_as_the_plain_definition_says() -> None:
    n_items, n_sentences = texts_of(read_document(NATIONAL))
    reference = similarity.side(n_items, n_sentences)
    locals_ = [read_document(GUANGXI), read_document(str(SICHUAN)), read_document(str(CITY)),
               read_document(str(BAOKANG)), *read_documents(ROUNDUP)]
    for document in locals_:
        l_items, l_sentences = texts_of(document)
        text, sentence = similarity.cosines(reference, l_items, l_sentences)
        plain_text, plain_sentence = plain_cosines(n_items, n_sentences, l_items, l_sentences)
        assert text.dtype == np.float32 and text.shape == plain_text.shape
        np.testing.assert_allclose(text, plain_text, rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(sentence, plain_sentence, rtol=1e-6, atol=1e-7)


def test_ngram_codes_sort_as_their_strings() -> None:
    b = similarity.bags(["医保DRG改革", "ab+c。医改"])
    decoded = ["".join(chr((int(code) >> shift) & 0xFFFF) for shift in (32, 16, 0) if (int(code) >> shift) & 0xFFFF)
               for code in b.grams]
    assert decoded == sorted(set(ngrams("医保DRG改革")) | set(ngrams("ab+c。医改")))
    counted = {(int(r), decoded[g]): int(c) for r, g, c in zip(b.rows, b.gram, b.counts)}
    assert counted == {(r, g): c for r, t in enumerate(["医保DRG改革", "ab+c。医改"]) for g, c in ngrams(t).items()}



def test_more_texts_than_one_key_holds_are_counted_alike() -> None:
    """From 2**15 texts on, the text no longer fits beside the n-gram code in one sort key: the other path
    must count the same."""
    texts = [f"医保{k % 7}DRG改革{'集采' * (k % 3)}" for k in range(1 << 15)] + ["ab+c。医改"]
    b = similarity.bags(texts)
    decoded = ["".join(chr((int(code) >> shift) & 0xFFFF) for shift in (32, 16, 0) if (int(code) >> shift) & 0xFFFF)
               for code in b.grams]
    assert decoded == sorted(decoded) and len(set(decoded)) == len(decoded)
    for row in (0, 1, 2, 5, (1 << 15) - 1, 1 << 15):
        kept = b.rows == row
        assert {decoded[g]: int(c) for g, c in zip(b.gram[kept], b.counts[kept])} == ngrams(texts[row])

_SHORT_TEXT = st.text(alphabet=st.sampled_from([*"医保药改革采购集中带量DRG+ 。,"]), max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(_SHORT_TEXT, min_size=1, max_size=30), st.lists(_SHORT_TEXT, max_size=30), st.integers(1, 9))
def test_a_long_documents_products_taken_a_slice_at_a_time_are_the_whole_ones(l_items, l_sentences, slice_texts,
                                                                             ) -> None:  # type: ignore[no-untyped-def]
    """A local document of more than SLICED_FROM texts has its rows made a slice at a time (memory): every product
    as the whole rows give it, a slice ending among the items or the sentences, or on their border."""
    n_items, n_sentences = texts_of(read_document(NATIONAL))
    reference = similarity.side(n_items, n_sentences)
    whole = similarity.cosines(reference, l_items, l_sentences)
    sliced_from, texts = similarity.SLICED_FROM, similarity.SLICE_TEXTS
    try:
        similarity.SLICED_FROM, similarity.SLICE_TEXTS = 0, slice_texts
        sliced = similarity.cosines(reference, l_items, l_sentences)
    finally:
        similarity.SLICED_FROM, similarity.SLICE_TEXTS = sliced_from, texts
    for a, b in zip(whole, sliced):
        assert a.dtype == b.dtype == np.float32 and a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_a_document_within_one_slice_gets_the_whole_products_bit_for_bit() -> None:
    n_items, n_sentences = texts_of(read_document(NATIONAL))
    reference = similarity.side(n_items, n_sentences)
    l_items, l_sentences = texts_of(read_document(str(BAOKANG)))
    whole = similarity.cosines(reference, l_items, l_sentences)
    sliced_from = similarity.SLICED_FROM
    try:
        similarity.SLICED_FROM = 0  # sliced, in one slice: the same shapes multiplied, the same bits
        sliced = similarity.cosines(reference, l_items, l_sentences)
    finally:
        similarity.SLICED_FROM = sliced_from
    assert all(np.array_equal(a, b) for a, b in zip(whole, sliced))


_TEXT = st.text(alphabet=st.sampled_from([*"医保药改革采购集中带量DRGdip+12 。,;、(", chr(0x9FFF), chr(0x4E00), "\n", "𠀀"]),
                max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5), st.lists(_TEXT, max_size=5),
       st.lists(_TEXT, min_size=1, max_size=5), st.lists(_TEXT, max_size=5))
def test_any_text_scores_as_the_plain_definition_says(n_items, n_sentences, l_items, l_sentences) -> None:  # type: ignore[no-untyped-def]
    text, sentence = similarity.cosines(similarity.side(n_items, n_sentences), l_items, l_sentences)
    plain_text, plain_sentence = plain_cosines(n_items, n_sentences, l_items, l_sentences)
    np.testing.assert_allclose(text, plain_text, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(sentence, plain_sentence, rtol=1e-6, atol=1e-7)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 40), st.integers(1, 40), st.sampled_from([np.float32, np.float64]), st.integers(0, 2**32 - 1),
       st.sampled_from([1.0, 1e-3, 100.0, 0.0]))
def test_z_scores_are_numpys_bit_for_bit(rows, columns, kind, seed, scale) -> None:  # type: ignore[no-untyped-def]
    """align._z skips numpy's mean/std wrappers; its numbers must be theirs exactly (the printed scores
    depend on them)."""
    from yigai.align import _z

    matrix = (np.random.default_rng(seed).random((rows, columns)) ** 3 * scale).astype(kind)
    std = float(matrix.std())
    plain = np.zeros_like(matrix, dtype=np.float64) if std < 1e-9 else (matrix - float(matrix.mean())) / std
    found = _z(matrix)
    assert found.dtype == plain.dtype and np.array_equal(found, plain)


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=30))
def test_every_key_layout_counts_alike(texts: list[str]) -> None:
    """Past 2**15 texts the n-gram codes are packed in 15 bits a character, past 2**18 n-grams are numbered
    first: forced here on a few texts, each way must give the same bags, code for code."""
    from unittest import mock

    found = []
    for wide, narrow in ((1 << 15, 1 << 18), (0, 1 << 18), (0, 0)):
        with mock.patch.object(similarity, "WIDE_TEXTS", wide), mock.patch.object(similarity, "NARROW_TEXTS", narrow):
            found.append(similarity.bags(texts))
    for other in found[1:]:
        for name in ("grams", "gram", "counts", "rows"):
            assert np.array_equal(getattr(other, name), getattr(found[0], name)), name
            assert getattr(other, name).dtype == getattr(found[0], name).dtype


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=12), st.integers(0, 2**32 - 1))
def test_a_sides_entries_of_some_ngrams_are_those_a_mask_finds(texts: list[str], seed: int) -> None:
    """Side.entries_of gathers each n-gram's run of entries: the entries whose n-gram is asked for, in order."""
    reference = similarity.side(texts[:1], texts[1:])
    grams = len(reference.bags.grams)
    asked = np.flatnonzero(np.random.default_rng(seed).random(grams) < 0.3)
    expected = np.flatnonzero(np.isin(reference.bags.gram, asked))
    assert np.array_equal(reference.entries_of(asked), expected)
    assert np.array_equal(reference.entries_of(np.arange(grams)), np.arange(len(reference.bags.gram)))
