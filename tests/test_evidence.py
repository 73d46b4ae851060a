"""Evidence an analyst can check: every graded pair quotes a sentence of each item, verbatim."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigai.align import Thresholds

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN

FLOOR = Thresholds().sentence_floor
UNRELATED = sorted((Path(__file__).parent / "fixtures" / "unrelated").glob("*.txt"))
LOCALS = [GUANGXI, SICHUAN, CITY, BAOKANG, *(f"{ROUNDUP}#{k}" for k in range(1, 33))]  # every sample, every paragraph


@pytest.mark.parametrize("local", LOCALS, ids=lambda ref: str(ref).rsplit("/", 1)[-1])
def test_every_pair_quotes_both_items(cli, local):
    data = cli("compare", NATIONAL, local, "--format", "json").json()
    national = {item["index"]: item["text"] for item in data["national"]["items"]}
    local_items = {item["index"]: item["text"] for item in data["local"]["items"]}
    assert data["pairs"], "the sample should align somewhere"
    for pair in data["pairs"]:
        assert pair["local_sentence"] and pair["local_sentence"] in local_items[pair["local"]]
        assert pair["national_sentence"] and pair["national_sentence"] in national[pair["national"]]
        assert set(pair["instruments"]) <= set(pair["evidence"]) or len(pair["evidence"]) == 4
        assert all(term in pair["local_sentence"] for term in pair["local_terms"])
        # something really shared: an instrument both name, or sentences alike beyond what unrelated text reaches
        assert pair["instruments"] or pair["sentence_similarity"] >= FLOOR


def test_quoted_sentence_names_the_shared_instrument(cli):
    data = cli("compare", NATIONAL, GUANGXI, "--format", "json").json()
    pair = next(p for p in data["pairs"] if (p["national"], p["local"]) == (7, 14))
    assert "集中带量采购" in pair["instruments"]
    assert any(term in pair["local_sentence"] for term in ("集采", "带量采购", "集中采购", "集中带量采购"))


def test_table_quotes_the_local_sentence_not_labels():
    from yigai.align import align
    from yigai.coverage import coverage
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats.compare import excerpt, wide_table

    alignment = align(read_document(NATIONAL), read_document(GUANGXI), load_vocabulary())
    table = wide_table(alignment, coverage(alignment)).renderables[0]
    evidence = [str(cell) for cell in table.columns[-1]._cells]
    pair = max(alignment.pairs_of(9), key=lambda p: p.score)
    assert evidence[8].split("\n")[0] == excerpt(pair.local_sentence, pair.local_terms)
    assert any(term in evidence[8] for term in pair.local_terms)


def test_excerpt_keeps_the_shared_term_in_view():
    from yigai_cli.formats.compare import excerpt

    sentence = "一" * 50 + "集中带量采购" + "二" * 50
    short = excerpt(sentence, ("集中带量采购",), width=30)
    assert "集中带量采购" in short and short.startswith("…") and short.endswith("…")
    assert len(short) <= 32
    assert excerpt("短句。", ("短句",)) == "短句。"


@pytest.mark.parametrize("text", UNRELATED, ids=lambda p: p.name)
def test_text_on_another_subject_gets_no_match(cli, text):
    result = cli("compare", NATIONAL, text, "--format", "json")
    data = result.json()
    assert not [p for p in data["pairs"] if p["grade"] == "full"]
    assert data["coverage"]["ratio"] <= 0.05
    # a plan on another subject names no instrument; one line with no task is not even a task list
    expected = ("does not read as a reform task list" if text.name == "junk-oneline.txt"
                else "does not read as a health-reform list")
    assert expected in result.err and str(text) in result.err


@pytest.mark.parametrize("local", LOCALS, ids=lambda ref: str(ref).rsplit("/", 1)[-1])
def test_health_reform_lists_read_as_such(cli, local):
    assert "does not read as a health-reform list" not in cli("compare", NATIONAL, local, "--format", "json").err


def test_unrelated_fixtures_are_there():
    assert len(UNRELATED) >= 5 and any(p.name == "junk-oneline.txt" for p in UNRELATED)


@pytest.mark.parametrize("local", [GUANGXI, SICHUAN, BAOKANG, f"{ROUNDUP}#5"])
def test_pairs_without_quotes_are_the_same_pairs(local):
    """A matrix that prints only grades asks for no quotes: the pairs, grades and scores are the same."""
    from dataclasses import replace

    from yigai.align import align
    from yigai.documents import read_ref
    from yigai.vocab import load_vocabulary

    vocabulary = load_vocabulary()
    national, document = read_ref(NATIONAL)[0], read_ref(str(local))[0]
    quoted = align(national, document, vocabulary).pairs
    bare = align(national, document, vocabulary, quotes=False).pairs
    assert quoted and all(p.local_sentence for p in quoted) and not any(p.local_sentence for p in bare)
    unquoted = [replace(p, national_sentence="", local_sentence="", instruments=(), local_terms=()) for p in quoted]
    assert bare == tuple(unquoted)


def test_a_local_item_is_full_for_at_most_two_national_items():
    """A merge of two national tasks into one local item is full for both; a summary sentence matching more keeps
    its two strongest full, the rest partial (the pairs themselves stay)."""
    from yigai.align import Grade, Pair, _capped

    def pair(national: int, local: int, score: float, grade: Grade = Grade.FULL) -> Pair:
        return Pair(national, local, grade, score, ())

    pairs = [pair(1, 5, 2.5), pair(2, 5, 3.1), pair(3, 5, 2.2), pair(4, 5, 3.1), pair(6, 5, 1.5, Grade.PARTIAL),
             pair(7, 8, 2.1), pair(9, 8, 2.0)]
    grades = _capped([(p.national, p.local, p.grade, p.score) for p in pairs], 2)
    graded = {(p.national, p.local): grade for p, grade in zip(pairs, grades)}
    assert graded == {(1, 5): Grade.PARTIAL, (2, 5): Grade.FULL, (3, 5): Grade.PARTIAL, (4, 5): Grade.FULL,
                      (6, 5): Grade.PARTIAL, (7, 8): Grade.FULL, (9, 8): Grade.FULL}


def test_no_local_item_of_any_sample_is_full_for_three_national_items():
    from collections import Counter

    from yigai.align import Grade, align
    from yigai.documents import read_documents, read_ref
    from yigai.vocab import load_vocabulary

    vocabulary = load_vocabulary()
    national = read_ref(NATIONAL)[0]
    for local in [read_ref(GUANGXI)[0], *(read_documents(p)[0] for p in (SICHUAN, BAOKANG, CITY)), *read_documents(ROUNDUP)]:
        fulls = Counter(p.local for p in align(national, local, vocabulary).pairs if p.grade is Grade.FULL)
        assert max(fulls.values(), default=0) <= 2, local.name
