"""`yigai compare` end to end: the obvious alignments hold, every format, every usage error."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, NATIONAL_PAGE


@pytest.fixture(scope="module")
def guangxi(request):
    from yigai.align import align
    from yigai.coverage import coverage
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary
    from yigai_cli.main import main  # noqa: F401  (module-scoped: one alignment for many asserts)

    alignment = align(read_document(NATIONAL), read_document(GUANGXI), load_vocabulary())
    return alignment, coverage(alignment)


def _grade(alignment, n, loc):
    return next((p.grade.value for p in alignment.pairs if (p.national, p.local) == (n, loc)), "none")


@pytest.mark.parametrize("n, loc", [(7, 14), (8, 6), (9, 12)])
def test_obvious_full_pairs(guangxi, n, loc):
    alignment, _ = guangxi
    assert _grade(alignment, n, loc) == "full"


def test_sanming_has_no_full_counterpart(guangxi):
    alignment, cover = guangxi
    assert all(p.grade.value != "full" for p in alignment.pairs_of(6))
    assert 6 not in cover.full


def test_coverage_ratio_follows_design(guangxi):
    _, cover = guangxi
    assert cover.ratio == pytest.approx((len(cover.full) + 0.5 * len(cover.partial)) / 21)
    assert sorted(cover.full + cover.partial + cover.uncovered) == list(range(1, 22))


def test_json_contract(cli):
    data = cli("compare", NATIONAL, GUANGXI, "--format", "json").json()
    assert set(data) >= {"national", "local", "pairs", "coverage", "local_only"}
    assert data["national"]["jurisdiction"] == "全国" and data["local"]["jurisdiction"] == "广西壮族自治区"
    pair = next(p for p in data["pairs"] if (p["national"], p["local"]) == (7, 14))
    assert pair["grade"] == "full" and "集中带量采购" in pair["evidence"]
    cov = data["coverage"]
    assert cov["total"] == 21 and set(cov) >= {"full", "partial", "uncovered", "ratio"}
    assert cov["ratio"] == pytest.approx((len(cov["full"]) + 0.5 * len(cov["partial"])) / 21, abs=1e-4)


def test_csv_one_row_per_pair(cli, guangxi):
    alignment, cover = guangxi
    out = cli("compare", NATIONAL, GUANGXI, "--format", "csv").out
    assert out.startswith("\ufeff")  # Excel and WPS read the file as UTF-8
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert len(rows) == len(alignment.pairs) + len(cover.uncovered) + len(cover.local_only)
    pair = next(r for r in rows if (r["national_index"], r["local_index"]) == ("7", "14"))
    assert pair["grade"] == "full" and ";" not in pair["local_index"]


def test_markdown_and_table(cli):
    md = cli("compare", NATIONAL, GUANGXI, "--format", "markdown").out
    assert "| # | national item |" in md and "Coverage **" in md
    table = cli("compare", NATIONAL, GUANGXI).out
    assert "Gaps" in table and "coverage" in table and "加大三明医改经" in table


def test_other_local_documents_align(cli):
    for local in (CITY, BAOKANG):
        data = cli("compare", NATIONAL, local, "--format", "json").json()
        assert 0.3 < data["coverage"]["ratio"] <= 1.0
        assert any(p["national"] == 8 for p in data["pairs"])  # both take up 医疗服务价格


def test_extra_vocabulary_adds_evidence(cli, tmp_path):
    national = tmp_path / "national.txt"
    topics = ["加强综合监管", "推动中医药发展", "深化医保支付方式改革", "推进家庭医生签约服务", "强化短缺药品保供"]
    # the local list words the same tasks its own way, as local lists do
    local_topics = ["做好短缺药监测", "做实签约服务", "推行DRG付费", "建设中医馆", "严厉打击欺诈骗保"]
    national.write_text("(一)推进智慧药房试点。建设云端药事服务平台。\n"
                        + "".join(f"({n}){t}。\n" for n, t in zip("二三四五六", topics)), encoding="utf-8")
    local = tmp_path / "local.txt"
    items = "".join(f"({n}){t}。\n" for n, t in zip("二三四五六", local_topics))
    local.write_text("(一)开展智能药柜布点,建设云端药事服务平台。\n" + items, encoding="utf-8")
    extra = tmp_path / "extra.yaml"
    extra.write_text("topics:\n  - topic: 智慧药事\n    instruments:\n      - name: 智慧药房\n"
                     "        aliases: [智能药柜, 云端药事]\n", encoding="utf-8")
    without = cli("compare", national, local, "--format", "json").json()
    assert all("智慧药房" not in p["evidence"] for p in without["pairs"])
    data = cli("compare", national, local, "--format", "json", "--vocab", extra).json()
    pair = next(p for p in data["pairs"] if (p["national"], p["local"]) == (1, 1))
    assert pair["evidence"][0] == "智慧药房"
    assert data["topics"]["1"] == "智慧药事"


@pytest.mark.parametrize(
    "args, message",
    [
        ((NATIONAL_PAGE, GUANGXI), "holds 2 documents (add a selector: #1 全国; #2 广西壮族自治区)"),
        ((NATIONAL, f"{NATIONAL_PAGE}#9"), "no document matches selector '9'"),
        ((NATIONAL, f"{NATIONAL_PAGE}#西藏"), "no document matches selector '西藏'"),
    ],
)
def test_usage_errors(cli, args, message):
    result = cli("compare", *args)
    assert result.status == 2 and result.out == ""
    assert result.err.count("\n") == 1 and message in result.err and result.err.startswith("yigai: error: ")


@pytest.mark.parametrize(
    "content, message",
    [
        ("topics: [unclosed", "invalid YAML at line"),
        ("- just a list", "not a yigai vocabulary"),
        ("topics:\n  - topic: x\n    instruments:\n      - aliases: [a]\n", "needs a 'name'"),
        ("topics:\n  - topic: x\n    instruments:\n      - name: y\n        patterns: ['(']\n", "bad pattern"),
    ],
)
def test_bad_vocabulary(cli, tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    result = cli("compare", NATIONAL, GUANGXI, "--vocab", bad)
    assert result.status == 2 and result.err.startswith(f"yigai: error: {bad}: ") and message in result.err


def test_output_onto_an_input_is_refused(cli, tmp_path):
    copy = tmp_path / "city.txt"
    copy.write_bytes(CITY.read_bytes())
    result = cli("compare", NATIONAL, copy, "--format", "json", "--output", copy)
    assert result.status == 2 and "overwrite an input" in result.err
    assert copy.read_bytes() == CITY.read_bytes()


def test_output_into_missing_directory(cli, tmp_path):
    result = cli("compare", NATIONAL, GUANGXI, "--format", "json", "--output", tmp_path / "no" / "out.json")
    assert result.status == 2 and "output directory does not exist" in result.err


@pytest.mark.parametrize("ref", [NATIONAL, GUANGXI, CITY, BAOKANG], ids=["national", "guangxi", "city", "baokang"])
def test_a_document_fully_covers_itself(ref):
    from yigai.align import align
    from yigai.coverage import coverage
    from yigai.documents import read_document
    from yigai.vocab import load_vocabulary

    document = read_document(str(ref))
    alignment = align(document, document, load_vocabulary())
    assert coverage(alignment).ratio == 1.0
    for item in document.items:
        assert any(p.local == item.index and p.grade.value == "full" for p in alignment.pairs_of(item.index))


def test_items_shuffled_keep_their_counterparts(tmp_path):
    """Alignment does not depend on order: renumbering a local list maps the same items to each other."""
    import random

    from yigai.align import align
    from yigai.documents import read_document
    from yigai.numbering import chinese_numeral
    from yigai.vocab import load_vocabulary

    guangxi = read_document(GUANGXI)
    order = list(guangxi.items)
    random.Random(3).shuffle(order)
    shuffled = tmp_path / "shuffled.txt"
    lines = [f"({chinese_numeral(k)}){item.text}" for k, item in enumerate(order, start=1)]
    shuffled.write_text("\n".join(lines), encoding="utf-8")
    vocabulary = load_vocabulary()
    national = read_document(NATIONAL)
    before = {(p.national, guangxi.item(p.local).title, p.grade) for p in align(national, guangxi, vocabulary).pairs}
    moved = read_document(str(shuffled))
    after = {(p.national, moved.item(p.local).title, p.grade) for p in align(national, moved, vocabulary).pairs}
    assert before == after


