"""`yigai check` reads like a CI tool: one PASS/FAIL line per gate, ratios as given, JUnit and GitHub conventions."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from yigai.align import Grade, align
from yigai.coverage import coverage, percent, whole_percent
from yigai.documents import read_document
from yigai.gate import parse_ratio, required_items
from yigai.vocab import load_vocabulary

from .conftest import CITY, GUANGXI, NATIONAL, SICHUAN


@pytest.fixture(scope="module")
def city():
    alignment = align(read_document(NATIONAL), read_document(str(CITY)), load_vocabulary())
    return alignment, coverage(alignment)


def test_human_output_has_one_line_per_gate_and_the_gaps(cli, city):
    alignment, cover = city
    result = cli("check", NATIONAL, CITY, "--min-coverage", "0.8", "--max-uncovered", len(cover.uncovered))
    passes = whole_percent(cover.ratio) >= 80
    assert result.status == (0 if passes else 1)
    lines = result.out.splitlines()
    mark = "PASS" if passes else "FAIL"
    op = ">=" if passes else "<"
    assert f"{mark}  coverage {percent(cover.ratio)} {op} 80% (--min-coverage 0.8)" in lines
    assert f"PASS  uncovered {len(cover.uncovered)} <= {len(cover.uncovered)} (--max-uncovered {len(cover.uncovered)})" in lines
    for index in cover.uncovered:  # every gap listed with its title
        item = alignment.national.item(index)
        assert any(line.endswith(item.label + item.title) and re.match(rf"^ .\s*{index} ✗ ", line) for line in lines)
    assert lines[-1] == ("PASSED: 2 of 2 gates passed" if mark == "PASS" else "FAILED: 1 of 2 gates failed")


@pytest.mark.parametrize("given, ratio", [("0.8", 0.8), ("80%", 0.8), ("65.5%", 0.655), ("1", 1.0), ("0", 0.0), (".5", 0.5)])
def test_min_coverage_takes_a_ratio_or_a_percentage(given, ratio):
    assert parse_ratio(given) == pytest.approx(ratio)


@pytest.mark.parametrize("given, problem", [("x", "'x' is not a ratio"), ("80", "'80' is more than 100% (write 0.8 or 80%)"),
                                            ("150%", "'150%' is more than 100%"), ("-0.1", "'-0.1' is not a ratio"),
                                            ("", "'' is not a ratio")])
def test_bad_min_coverage_is_yigais_one_line_error(cli, given, problem):
    result = cli("check", NATIONAL, CITY, "--min-coverage", given)
    assert result.status == 2 and result.out == ""
    assert result.err == f"yigai: error: --min-coverage: {problem}" + ("" if "(" in problem else " (write 0.8 or 80%)") + "\n"


def test_80_percent_and_0_8_are_the_same_gate(cli):
    a = cli("check", NATIONAL, CITY, "--min-coverage", "80%", "--format", "json").json()
    b = cli("check", NATIONAL, CITY, "--min-coverage", "0.8", "--format", "json").json()
    assert a["passed"] == b["passed"] and a["gates"][0]["detail"] == b["gates"][0]["detail"]


@pytest.mark.parametrize("ratio, shown", [(2 / 3, "67%"), (0.125, "13%"), (0.145, "15%"), (0.6649, "66%"), (1.0, "100%"),
                                          (0.0, "0%"), (0.005, "1%"), (0.79996, "80%")])
def test_one_rounding_halves_up(ratio, shown):
    assert percent(ratio) == shown


def test_check_gates_on_the_coverage_compare_prints(cli, monkeypatch, city):
    """The city draft's coverage is no whole percentage (13.5 of 21 = 64.29%): compare prints 64%, so
    --min-coverage 64% passes and 65% fails, and a threshold between the two printed values passes."""
    _, cover = city
    whole = percent(cover.ratio)  # as every output prints it
    assert cover.ratio * 100 != int(cover.ratio * 100)  # the case that needs one rounding everywhere
    below, above = int(whole[:-1]), int(whole[:-1]) + 1
    monkeypatch.setenv("COLUMNS", "100")
    assert f"coverage {whole} (" in cli("compare", NATIONAL, CITY).out
    assert f"Coverage **{whole}**" in cli("compare", NATIONAL, CITY, "--format", "markdown").out
    table = " ".join(cli("matrix", NATIONAL, CITY, "--format", "markdown").out.split()).replace("**", "")
    assert f"| coverage | {whole} |" in table
    between = (below - 0.5) / 100
    for given, status, line in ((f"{below}%", 0, f"PASS  coverage {whole} >= {below}% (--min-coverage {below / 100:g})"),
                                (f"{between:g}", 0, f"PASS  coverage {whole} >= {between * 100:g}% (--min-coverage {between:g})"),
                                (f"{above}%", 1, f"FAIL  coverage {whole} < {above}% (--min-coverage {above / 100:g})")):
        result = cli("check", NATIONAL, CITY, "--min-coverage", given)
        assert result.status == status and line in result.out.splitlines(), result.out


def test_no_gate_warns_once(cli, tmp_path):
    result = cli("check", NATIONAL, CITY)
    assert result.status == 0 and result.err == ""  # on the terminal the text says it: not on stderr too
    assert result.out.count("no gate given (--min-coverage") == 1 and result.out.splitlines()[-1] == "PASSED (no gate given)"
    several = cli("check", NATIONAL, CITY, SICHUAN)
    assert several.out.count("no gate given (--min-coverage") == 1 and several.out.startswith("WARN  no gate given")
    assert "no gate given" not in several.err
    for args in (["--format", "json"], ["-o", tmp_path / "check.txt"]):  # stdout does not say it: stderr does, once
        quiet = cli("check", NATIONAL, CITY, *args)
        assert quiet.err.count("no gate given") == 1 and quiet.err.startswith("yigai: warning: no gate given")


def test_require_counts_partial_and_require_full_does_not(cli, city):
    alignment, _ = city
    vocabulary = load_vocabulary()
    term = next((t for t in vocabulary.topics
                 if (items := required_items(t, alignment, vocabulary))
                 and all(alignment.grade_of(i) is not Grade.NONE for i in items)
                 and any(alignment.grade_of(i) is Grade.PARTIAL for i in items)), None)
    if term is None:
        pytest.skip("no topic is covered only partly in this pair")
    assert cli("check", NATIONAL, CITY, "--require", term).status == 0
    full = cli("check", NATIONAL, CITY, "--require-full", term)
    assert full.status == 1 and f"FAIL  --require-full {term}: " in full.out and "fully covered; lacking" in full.out
    assert "a partial counterpart counts" in " ".join(cli("check", "--help").out.split())


def test_swapped_arguments_are_a_usage_error(cli):
    result = cli("check", GUANGXI, NATIONAL, "--min-coverage", "0.1")
    assert result.status == 2 and result.out == ""
    assert "is the national document" in result.err and "yigai check NATIONAL LOCAL" in result.err


def _check_junit_structure(xml: str) -> ET.Element:
    """The common JUnit XML schema's rules: counts add up, at most one failure per case, skipped counted."""
    root = ET.fromstring(xml.split("?>", 1)[1])
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in root:
        assert suite.tag == "testsuite" and suite.get("name") and suite.get("timestamp")
        cases = suite.findall("testcase")
        assert all(child.tag in {"properties", "testcase", "system-out", "system-err"} for child in suite)
        failures = sum(case.find("failure") is not None for case in cases)
        skipped = sum(case.find("skipped") is not None for case in cases)
        for case in cases:
            assert case.get("name") and case.get("classname")
            assert len(case.findall("failure")) <= 1 and len(case.findall("error")) == 0
            assert case.find("failure") is None or case.find("failure").get("message")
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == failures and int(suite.get("skipped")) == skipped
        assert int(suite.get("errors")) == 0 and float(suite.get("time")) >= 0
        for key in totals:
            totals[key] += int(suite.get(key))
    assert {key: int(root.get(key)) for key in totals} == totals
    return root


def test_junit_one_case_per_gate(cli):
    result = cli("check", NATIONAL, CITY, "--min-coverage", "1", "--require", "集采", "--max-uncovered", "0", "--format", "junit")
    root = _check_junit_structure(result.out)
    cases = root.find("testsuite").findall("testcase")
    assert [c.get("name") for c in cases] == ["--min-coverage 1", "--max-uncovered 0", "--require 集采"]
    assert cases[0].find("failure") is not None and result.status == 1


def test_junit_counts_skipped_and_several_drafts(cli):
    root = _check_junit_structure(cli("check", NATIONAL, CITY, SICHUAN, "--format", "junit").out)
    assert int(root.get("skipped")) == 2 and len(root) == 2
    three = cli("check", NATIONAL, CITY, SICHUAN, GUANGXI, "--min-coverage", "0.7", "--format", "junit")
    root = _check_junit_structure(three.out)
    assert int(root.get("tests")) == 3 and len(root) == 3


def test_github_errors_per_failed_gate_notice_and_summary(cli, city, tmp_path, monkeypatch):
    _, cover = city
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    gates = ["--min-coverage", "1", "--max-uncovered", "0", "--require", "集采"]
    result = cli("check", NATIONAL, CITY, *gates, "--format", "github")
    lines = result.out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 2 and all(line.startswith(f"::error file={CITY},title=yigai check%3A --") for line in errors)
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(notices) == 1 and f"coverage {whole_percent(cover.ratio)}%" in notices[0]
    text = summary.read_text(encoding="utf-8")
    assert "| `--min-coverage 1` | ❌ FAIL |" in text and "| `--require 集采` |" in text


def test_check_help_shows_an_example_of_each_gate(cli):
    out = cli("check", "--help").out
    for gate in ("--min-coverage 0.8", "--require 集采", "--require-full", "--max-uncovered 3", "--changed-since", "--decisions"):
        assert "yigai check national.txt" in out and gate in out
    assert "RATIO" in out and "TERM" in out


@pytest.mark.parametrize("title, found", [("XX省2024年深化医药卫生体制改革重点工作任务", (2,)),
                                          ("XX省2024年教育综合改革重点工作任务", ())])
def test_require_finds_a_task_named_by_a_generic_word_in_a_list_on_health(tmp_path, title, found):
    # item 2 names 人才队伍 and no health word of its own: it is the reference's 人才 task where the list is on health,
    # as alignment reads it (see Vocabulary.on_health)
    path = tmp_path / "reference.txt"
    path.write_text(f"{title}\n(一)推进药品耗材集中带量采购。\n(二)统筹推进人才队伍建设。\n(三)深化医保支付方式改革。\n",
                    encoding="utf-8")
    reference = read_document(str(path))
    vocabulary = load_vocabulary()
    alignment = align(reference, read_document(str(CITY)), vocabulary)
    assert required_items("人才培养与评价", alignment, vocabulary) == found
