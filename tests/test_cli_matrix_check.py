"""`yigai matrix` and `yigai check` end to end: expansion, formats, gates and exit codes."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SAMPLES, SICHUAN


def test_matrix_expands_roundup_into_jurisdictions(cli):
    data = cli("matrix", NATIONAL, ROUNDUP, CITY, "--format", "json").json()
    names = [c["name"] for c in data["columns"]]
    assert len(names) >= 31 and names[-1] == "某市" and "四川" in names
    for column in data["columns"]:
        assert len(column["cells"]) == 21
        assert {c["grade"] for c in column["cells"]} <= {"full", "partial", "none"}
        graded = [c["grade"] for c in column["cells"]]
        expected = (graded.count("full") + 0.5 * graded.count("partial")) / 21
        assert column["coverage"] == pytest.approx(expected, abs=1e-4)


def test_matrix_directory_and_glob(cli):
    by_dir = cli("matrix", NATIONAL, SAMPLES, "--format", "json").json()
    by_glob = cli("matrix", NATIONAL, f"{SAMPLES}/*.txt", "--format", "json").json()
    assert [c["source"] for c in by_dir["columns"]] == [c["source"] for c in by_glob["columns"]]
    # baokang, city, Guangxi (the national list on the same page gets no column of its own), round-up, sichuan
    assert len(by_dir["columns"]) == 1 + 1 + 1 + 32 + 1
    assert "全国" not in [c["name"] for c in by_dir["columns"]]



def test_the_national_list_gets_no_column_under_another_name(cli, tmp_path):
    """Found in the folder through a link or a copy-free second name, the national list is still itself;
    the page's other document (Guangxi) keeps its column, and so does a real copy of the national page."""
    import shutil

    from .conftest import NATIONAL_PAGE

    folder = tmp_path / "lists"
    folder.mkdir()
    (folder / "link.txt").symlink_to(NATIONAL_PAGE)
    (folder / "hard.txt").hardlink_to(NATIONAL_PAGE)
    shutil.copy(NATIONAL_PAGE, folder / "copy.txt")
    columns = cli("matrix", NATIONAL, str(folder), "--format", "json").json()["columns"]
    sources = sorted(c["source"].rsplit("/", 1)[1] for c in columns)
    assert sources == ["copy.txt#1", "copy.txt#2", "hard.txt#2", "link.txt#2"]

def test_matrix_csv_and_markdown(cli):
    out = cli("matrix", NATIONAL, SICHUAN, BAOKANG, "--format", "csv").out
    assert out.startswith("\ufeff")  # UTF-8 with BOM, as zh-CN Excel needs
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[0][:2] == ["national_index", "national_title"] and len(rows) == 1 + 21 + 1
    assert rows[-1][1] == "coverage"
    md = cli("matrix", NATIONAL, SICHUAN, "--format", "markdown").out
    assert "| # | national item | 四川 2021 (sichuan-2021.txt) | picked up |" in md


def test_matrix_table_transposes_when_forced(cli):
    out = cli("matrix", NATIONAL, SICHUAN, CITY, "--transpose").out
    assert "jurisdiction" in out and "四川" in out


def test_matrix_bad_inputs(cli, tmp_path):
    assert "pattern matches no file" in cli("matrix", NATIONAL, f"{tmp_path}/*.txt").err
    empty_dir = tmp_path / "empty"
    empty_dir.mkdir()
    result = cli("matrix", NATIONAL, empty_dir)
    assert result.status == 2 and "holds no supported documents" in result.err


def test_check_passes_and_fails_with_exit_codes(cli):
    assert cli("check", NATIONAL, GUANGXI, "--min-coverage", "0.5").status == 0
    failing = cli("check", NATIONAL, GUANGXI, "--min-coverage", "0.99")
    assert failing.status == 1
    ratio = cli("compare", NATIONAL, GUANGXI, "--format", "json").json()["coverage"]["ratio"]
    assert f"FAIL  coverage {round(ratio * 100)}% < 99% (--min-coverage 0.99)" in failing.out
    assert "uncovered national items" in failing.out


def test_check_prints_the_exact_ratio(cli):
    data = cli("compare", NATIONAL, CITY, "--format", "json").json()
    cov = data["coverage"]
    exact = (len(cov["full"]) + 0.5 * len(cov["partial"])) / cov["total"]
    check = cli("check", NATIONAL, CITY, "--min-coverage", "1", "--format", "json").json()
    assert check["gates"][0]["value"] == exact
    failing = cli("check", NATIONAL, CITY, "--min-coverage", "1").out
    assert f"FAIL  coverage {round(exact * 100)}% < 100% (--min-coverage 1)" in failing


def test_check_require(cli):
    passing = cli("check", NATIONAL, GUANGXI, "--require", "集采", "--require", "价格改革")
    assert passing.status == 0, passing.out
    failing = cli("check", NATIONAL, GUANGXI, "--require", "三明医改经验", "--format", "json")
    assert failing.status == 1
    data = failing.json()
    assert data["passed"] is False and 6 in data["required"]["三明医改经验"]
    assert any("三明医改经验" in f for f in data["failures"])
    unknown = cli("check", NATIONAL, GUANGXI, "--require", "不存在的术语")
    assert unknown.status == 2 and "neither a topic nor an instrument" in unknown.err
    typo = cli("check", NATIONAL, GUANGXI, "--require", "价格改变")
    assert typo.status == 2 and "did you mean 价格改革" in typo.err and typo.err.count("\n") == 1


def test_check_max_uncovered(cli):
    data = cli("compare", NATIONAL, CITY, "--format", "json").json()
    uncovered = len(data["coverage"]["uncovered"])
    assert cli("check", NATIONAL, CITY, "--max-uncovered", uncovered).status == 0
    assert cli("check", NATIONAL, CITY, "--max-uncovered", max(uncovered - 1, 0)).status == (1 if uncovered else 0)


def test_check_junit_parses(cli):
    result = cli("check", NATIONAL, GUANGXI, "--min-coverage", "0.99", "--format", "junit")
    assert result.status == 1
    suite = ET.fromstring(result.out.split("?>", 1)[1]).find("testsuite")
    assert int(suite.get("tests")) == 1
    failed = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert [case.get("name") for case in failed] == ["--min-coverage 0.99"]
    assert failed[0].find("failure").text.startswith("6 ✗ ")


def test_check_github_escapes_and_writes_summary(cli, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    odd = tmp_path / "draft,v1:50%.txt"
    odd.write_bytes(CITY.read_bytes())
    result = cli("check", NATIONAL, odd, "--min-coverage", "1", "--format", "github")
    assert result.status == 1
    errors = [line for line in result.out.splitlines() if line.startswith("::error ")]
    assert errors and all("draft%2Cv1%3A50%25.txt" in line for line in errors)
    assert all("\n" not in line for line in errors)
    assert "yigai check: ❌ failed" in summary.read_text(encoding="utf-8")


def test_github_escaping_of_data():
    from yigai_cli.formats.check import _escape_data, _escape_property

    assert _escape_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert _escape_property("x:y,z%") == "x%3Ay%2Cz%25"


def test_check_json_is_compare_plus_verdict(cli):
    data = cli("check", NATIONAL, GUANGXI, "--format", "json").json()
    assert data["passed"] is True and data["failures"] == []
    assert json.dumps(data["coverage"]) == json.dumps(cli("compare", NATIONAL, GUANGXI, "--format", "json").json()["coverage"])


def test_wide_matrices_transpose_and_page():
    from yigai.documents import read_document, read_documents
    from yigai.matrix import column
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats import matrix as fmt

    national = read_document(NATIONAL)
    vocabulary = load_vocabulary()
    columns = [column(national, d, vocabulary) for d in read_documents(ROUNDUP)[:12]]
    assert fmt.needs_transpose(national, columns, {}, width=100)
    assert not fmt.needs_transpose(national, columns[:2], {}, width=100)
    parts = fmt.as_table(national, columns, {}, transpose=True, width=100).renderables
    pages = [part for part in parts if part.title]
    assert len(pages) >= 2  # 21 item columns do not fit in 100 characters: paged
    assert sum(len(page.columns) - 2 for page in pages) == 21
    # each page is followed by a legend with the titles of its items
    legends = [part for part in parts if not part.title]
    assert len(legends) == len(pages)
    assert sum(legend.row_count for legend in legends) == 21


def test_three_locals_fit_eighty_columns_untransposed(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = cli("matrix", NATIONAL, SICHUAN, f"{ROUNDUP}#四川", CITY).out
    assert "jurisdiction" not in out and "national item" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    # the two 四川 columns are told apart, and the legend says which file each came from
    assert "四川 2021 (sichuan-2021.txt)" in out and "四川 2024 (provinces-2024-roundup.txt)" in out


def test_column_labels_are_unique_and_say_where_they_come_from(cli):
    data = cli("matrix", NATIONAL, SICHUAN, ROUNDUP, GUANGXI, "--format", "json").json()
    labels = [c["label"] for c in data["columns"]]
    assert len(set(labels)) == len(labels)
    assert "四川 2021 (sichuan-2021.txt)" in labels and "四川 2024 (provinces-2024-roundup.txt)" in labels
    names = [c["name"] for c in data["columns"]]
    assert names.count("四川") == 2 and names.count("广西") == 2  # `name` keeps its meaning
    twice = cli("matrix", NATIONAL, SICHUAN, SICHUAN, "--format", "json").json()
    assert [c["label"] for c in twice["columns"]] == ["四川 2021 (sichuan-2021.txt)", "四川 2021 (sichuan-2021.txt) [2]"]
    assert {c["level"] for c in data["columns"]} == {"provincial"}


def test_matrix_transposed_csv_and_markdown_keep_item_titles(cli):
    plain = list(csv.reader(io.StringIO(cli("matrix", NATIONAL, SICHUAN, BAOKANG, "--format", "csv").out)))
    rows = list(csv.reader(io.StringIO(cli("matrix", NATIONAL, SICHUAN, BAOKANG, "--format", "csv", "--transpose").out)))
    assert len(rows) == 1 + 2 and len(rows[0]) == 5 + 21
    assert rows[0][5] == f"1 {plain[1][1]}"  # the item's number and title
    for k, row in enumerate(rows[1:]):
        assert row[0] == plain[0][2 + k]
        assert row[5:] == [plain[1 + i][2 + k] for i in range(21)]  # the same grades, swapped
    md = cli("matrix", NATIONAL, SICHUAN, BAOKANG, "--format", "markdown", "--transpose").out
    assert "| 四川 2021 (sichuan-2021.txt) |" in md and f"1. {plain[1][1]}" in md
    refused = cli("matrix", NATIONAL, SICHUAN, "--format", "json", "--transpose")
    assert refused.status == 2 and refused.err.startswith("yigai: error: --transpose:") and refused.out == ""


@pytest.mark.parametrize("order", ["coverage", "name", "level"])
def test_matrix_sort(cli, order):
    given = cli("matrix", NATIONAL, CITY, BAOKANG, SICHUAN, GUANGXI, "--format", "json").json()["columns"]
    columns = cli("matrix", NATIONAL, CITY, BAOKANG, SICHUAN, GUANGXI, "--format", "json", "--sort", order).json()["columns"]
    assert sorted(c["label"] for c in columns) == sorted(c["label"] for c in given)
    if order == "coverage":
        assert [c["coverage"] for c in columns] == sorted((c["coverage"] for c in given), reverse=True)
    elif order == "name":  # provinces by division code (广西 45, 四川 51), then the others by pinyin (bao < mou)
        assert [c["name"] for c in columns] == ["广西", "四川", "保康县", "某市"]
    else:
        ranks = {"provincial": 1, "municipal": 2, "county": 3, "unknown": 4}
        assert [ranks[c["level"]] for c in columns] == sorted(ranks[c["level"]] for c in given)
        assert columns[-1]["level"] in {"county", "unknown"} and columns[0]["level"] == "provincial"


def test_parallel_and_serial_columns_are_identical_with_detail(monkeypatch):
    import importlib

    from yigai.documents import read_document

    m = importlib.import_module("yigai.matrix")  # (`yigai.matrix` the attribute is the API's function)

    national = read_document(NATIONAL)
    refs = [str(SICHUAN), str(CITY), str(BAOKANG), GUANGXI]
    serial = m.matrix(national, refs, workers=1, detail=True)
    monkeypatch.setattr(m, "PARALLEL_FROM", 2)
    parallel = m.matrix(national, refs, workers=2, detail=True)

    def seen(columns):  # scores to 1e-6: BLAS sums in another order with one thread per worker (1e-10 apart)
        return [(c.as_dict(), c.document, [(p.national, p.local, p.grade, round(p.score, 6), p.evidence, p.national_sentence,
                                            p.local_sentence, p.instruments, p.local_terms) for p in c.pairs])
                for c in columns]

    assert seen(serial) == seen(parallel)
    assert all(c.pairs and c.document is not None for c in serial)
    plain = m.matrix(national, refs, workers=1)
    assert [c.as_dict() for c in plain] == [c.as_dict() for c in serial]  # detail adds, changes nothing
    assert all(not c.pairs and c.document is None for c in plain)


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from yigai_cli import main as cli_main

    ticks = []
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert cli_main._with_progress(lambda tick: ticks.append(tick) or "done", 100) == "done"
    assert ticks == [None]  # no bar when stderr is not a terminal
    assert cli_main._with_progress(lambda tick: ticks.append(tick) or "small", 5) == "small"


def test_progress_bar_advances_on_a_terminal(monkeypatch):
    from yigai_cli import main as cli_main

    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    calls = []

    def work(tick):
        for _ in range(30):
            tick(1)
            calls.append(1)
        return "done"

    assert cli_main._with_progress(work, 30) == "done" and len(calls) == 30


def _blas_held() -> int:
    from yigai import align

    return align._HELD[0]


def test_a_matrix_worker_holds_one_blas_thread_for_its_life():
    """Set once per worker, not once per document (~0.05 ms each): the hold must outlive the initializer."""
    import gc
    import multiprocessing
    import os

    from yigai.documents import read_ref
    from yigai.matrix import _init_worker

    national = read_ref(NATIONAL)[0]
    with multiprocessing.Pool(1, initializer=_init_worker, initargs=(national, (), os.getpid())) as pool:
        pool.apply(gc.collect)
        assert pool.apply(_blas_held) == 1
