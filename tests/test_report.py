"""`yigai report` without a browser: what the file holds, how it escapes, where it may be written."""

from __future__ import annotations

import json
import re

import pytest

from yigai_cli.formats.report import spans

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, NATIONAL_PAGE, ROUNDUP, SICHUAN

PLANTED = """某县人民政府办公室关于印发某县深化医药卫生体制改革2024年重点工作任务的通知
1.推进药品耗材集中带量采购<script>alert(1)</script>,落实国家组织药品集中采购中选结果,做好医保资金结余留用。
2.建设智慧医院</script><img src=x onerror=alert(2)>信息平台 & 互联网+医疗健康。
"""


def _script(html: str, name: str) -> str:
    found = re.search(rf'<script type="application/json" id="{name}">(.*?)</script>', html, re.S)
    assert found, f"the page embeds its {name}"
    return found.group(1)


def _data(html: str) -> dict:
    """The page's data as its script reads it: the summary, each column's panels decoded (as detail() in
    report-data.js decodes them), the national and local sentences looked up."""
    data = json.loads(_script(html, "report-data"))
    texts = json.loads(_script(html, "report-texts"))
    lines = [line for line in _script(html, "report-details").split("\n") if line]
    summary = data["columns"]
    assert len(lines) == len(summary["label"])
    columns = []
    for k, line in enumerate(lines):
        raw = json.loads(line)
        items = {}
        for row in raw["i"]:
            row = row + [None] * (7 - len(row))
            item = {"label": row[1], "f": row[2], "title": texts[row[3]]}
            item |= {"x": texts[row[4]]} if row[4] is not None else {}
            item |= {"text": texts[row[5]]} if row[5] is not None else {}
            item |= data["promises"][row[6]] if row[6] is not None else {}
            items[str(row[0])] = item
        pairs = []
        for row in raw["p"]:
            row = row + [None] * (11 - len(row))
            local = items[str(row[1])]
            whole = local.get("text") or local["title"] + local.get("x", "")
            sentence = row[7] if isinstance(row[7], str) else _slice16(whole, *row[7])
            pairs.append({"n": row[0], "l": row[1], "g": row[2], "s": row[3], "t": row[4],
                          "national_sentence": data["sentences"][row[5]], "nm": data["marks"][row[6]],
                          "local_sentence": sentence, "lm": row[8]}
                         | ({"k": {"value": row[9][0], "level": data["certainty"][row[9][1]]}} if row[9] else {})
                         | ({"d": row[10]} if row[10] else {}))
        grades = summary["grades"][k]
        columns.append({field: values[k] for field, values in summary.items()} | {
            "items": items, "pairs": pairs, "decisions": raw.get("d", {}), "title": raw["t"], "names": raw["m"],
            "gaps": [n for n, g in zip(data["order"], grades) if g.lower() == "n"]})
    return data | {"columns": columns}


def _slice16(text: str, start: int, end: int) -> str:
    """text[start:end] counted in UTF-16 units, as the page's script counts."""
    return text.encode("utf-16-le")[2 * start:2 * end].decode("utf-16-le")


def test_spans_merge_overlapping_terms_and_count_utf16():
    assert spans("推进药品耗材集中带量采购工作", ["集中带量采购", "带量采购"]) == [[6, 12]]
    assert spans("DRG付费和DIP付费,DRG", ["DRG", "DIP"]) == [[0, 3], [6, 9], [12, 15]]
    assert spans("没有", ["集采"]) == [] and spans("", ["集采"]) == []
    # a character beyond the BMP takes two UTF-16 units in the page's script
    assert spans("𠮷集采", ["集采"]) == [[2, 4]]


def test_report_is_one_self_contained_file(cli, tmp_path):
    out = tmp_path / "report.html"
    result = cli("report", NATIONAL, SICHUAN, ROUNDUP, "-o", out)
    assert result.status == 0 and result.out == ""
    # Sichuan 2021 predates the national 2022 list: the one thing said
    assert result.err.count("\n") == 1 and "older than the reference" in result.err and "sichuan-2021" in result.err
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    # nothing fetched: no external script, style sheet, font, image or frame
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", html)
    assert "@import" not in html and "url(" not in html and "http://" not in html and "https://" not in html
    assert "Microsoft YaHei" in html and "PingFang SC" in html and "Noto Sans CJK SC" in html
    data = _data(html)
    assert len(data["columns"]) == 33 and len(data["national"]) == 21
    assert all(len(c["grades"]) == 21 and set(c["grades"]) <= set("fpnFPN") for c in data["columns"])
    # the heatmap is drawn by the page (what is on screen): the file holds no cell of it
    markup = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    assert '<td class="g' not in markup and "<th class=\"col\"" not in markup and "data-c=" not in markup


def _pairs(data: dict, column: int) -> list[dict]:
    """A column's pairs with their strings looked up (the page lists each sentence and term once)."""
    c = data["columns"][column]
    return [{"national": p["n"], "local": p["l"], "grade": p["g"], "national_sentence": p["national_sentence"],
             "local_sentence": p["local_sentence"], "terms": [data["terms"][t] for t in p["t"]],
             "local_marks": p["lm"], "national_marks": p["nm"]} for p in c["pairs"]]


def test_report_data_matches_compare(cli, tmp_path):
    out = tmp_path / "report.html"
    assert cli("report", NATIONAL, SICHUAN, CITY, "-o", out).status == 0
    data = _data(out.read_text(encoding="utf-8"))
    for k, local in enumerate((SICHUAN, CITY)):
        pairs = _pairs(data, k)
        compared = cli("compare", NATIONAL, local, "--format", "json").json()
        assert [(p["national"], p["local"], p["grade"][0], p["national_sentence"], p["local_sentence"]) for p in pairs] == \
            [(p["national"], p["local"], p["grade"][0], p["national_sentence"], p["local_sentence"]) for p in compared["pairs"]]
        assert data["columns"][k]["gaps"] == compared["coverage"]["uncovered"]
        items = data["columns"][k]["items"]  # every local item; those in no pair are its own
        assert [int(i) for i in items] == [i["index"] for i in compared["local"]["items"]]
        assert [int(i) for i in items if int(i) not in {p["local"] for p in pairs}] == compared["local_only"]
        for i in compared["local"]["items"]:  # the title once, then what follows it: the whole text again
            shown = items[str(i["index"])]
            assert (shown.get("text") or shown["title"] + shown.get("x", "")).strip() in i["text"]
        for pair, theirs in zip(pairs, compared["pairs"]):
            assert pair["terms"] == (theirs["instruments"] or theirs["evidence"])
            marked = [pair["local_sentence"][a:b] for a, b in pair["local_marks"]]
            # every highlight is made of the shared terms as the local sentence prints them
            assert all(any(t in m for t in theirs["local_terms"]) for m in marked)
            assert bool(marked) == bool(theirs["local_terms"])
            assert all(pair["national_sentence"][a:b] for a, b in pair["national_marks"])


def test_planted_markup_is_escaped_everywhere(cli, tmp_path):
    planted = tmp_path / "<b>planted<i>.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    out = tmp_path / "report.html"
    assert cli("report", NATIONAL, planted, "-o", out).status == 0
    html = out.read_text(encoding="utf-8")
    # the data (summary, texts, panels) and the page's own script
    assert html.count("<script") == 4 and html.count("</script>") == 4
    assert "<img" not in html and "<b>planted" not in html
    assert "&lt;b&gt;planted&lt;i&gt;.txt" in html  # a file name is document text too
    data = _data(html)
    sentences = [p["local_sentence"] for p in _pairs(data, 0)]
    assert any("<script>alert(1)</script>" in s for s in sentences)  # intact once parsed, inert in the page


@pytest.mark.parametrize("order", ["coverage", "name", "level"])
def test_report_sort_orders_columns_and_keeps_given_ids(cli, tmp_path, order):
    out = tmp_path / "report.html"
    assert cli("report", NATIONAL, CITY, BAOKANG, SICHUAN, GUANGXI, "--sort", order, "-o", out).status == 0
    html = out.read_text(encoding="utf-8")
    columns = _data(html)["columns"]
    given = [c["label"] for c in cli("matrix", NATIONAL, CITY, BAOKANG, SICHUAN, GUANGXI, "--format", "json").json()["columns"]]
    assert [c["label"] for c in columns] == given  # the data is in the order given; the page sorts
    # what the page sorts by (report-heatmap.js currentOrder) gives matrix's order
    key = {"coverage": lambda k: (-columns[k]["cov"], k), "name": lambda k: columns[k]["rank"],
           "level": lambda k: (columns[k]["level"], columns[k]["rank"])}[order]
    matrix = cli("matrix", NATIONAL, CITY, BAOKANG, SICHUAN, GUANGXI, "--format", "json", "--sort", order).json()
    assert [columns[k]["label"] for k in sorted(range(len(columns)), key=key)] == [c["label"] for c in matrix["columns"]]
    assert f'<option value="{order}" selected>' in html


def test_report_of_one_comparison(cli, tmp_path):
    out = tmp_path / "one.html"
    assert cli("report", NATIONAL, GUANGXI, "-o", out).status == 0
    html = out.read_text(encoding="utf-8")
    assert re.search(r'广西 2023 \(national-2022_guangxi-2023.txt\): coverage <strong id="mean">\d+%</strong>', html)
    assert "mean coverage <strong" not in html and len(_data(html)["columns"]) == 1


def test_report_output_guard(cli, tmp_path, monkeypatch):
    onto_input = cli("report", NATIONAL, SICHUAN, "-o", SICHUAN)
    assert onto_input.status == 2 and "would overwrite an input" in onto_input.err
    missing = cli("report", NATIONAL, SICHUAN, "-o", tmp_path / "no" / "report.html")
    assert missing.status == 2 and "output directory does not exist" in missing.err
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    terminal = cli("report", NATIONAL, SICHUAN)
    assert terminal.status == 2 and "give --output report.html" in terminal.err and terminal.out == ""


def test_report_bad_input_is_one_line(cli, tmp_path):
    result = cli("report", NATIONAL, tmp_path / "missing.txt", "-o", tmp_path / "r.html")
    assert result.status == 2 and result.err.startswith("yigai: error: ") and result.err.count("\n") == 1
    assert not (tmp_path / "r.html").exists()
    ambiguous = cli("report", NATIONAL_PAGE, SICHUAN, "-o", tmp_path / "r.html")
    assert ambiguous.status == 2 and "add a selector" in ambiguous.err


def test_report_shows_the_analysts_decisions(cli, tmp_path):
    import yaml

    compared = cli("compare", NATIONAL, CITY, "--format", "json").json()
    n = {i["index"]: i for i in compared["national"]["items"]}
    loc = {i["index"]: i for i in compared["local"]["items"]}
    rejected = next(p for p in compared["pairs"] if sum(q["national"] == p["national"] for q in compared["pairs"]) == 1)
    kept = next(p for p in compared["pairs"] if p["national"] != rejected["national"])
    decisions = tmp_path / "d.yaml"
    decisions.write_text(yaml.safe_dump({"decisions": [
        {"action": "reject", "national": {"title": n[rejected["national"]]["title"]},
         "local": {"title": loc[rejected["local"]]["title"]}, "note": "<i>only the setting</i>", "who": "王"},
        {"action": "confirm", "national": {"title": n[kept["national"]]["title"]},
         "local": {"title": loc[kept["local"]]["title"]}},
    ]}, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "report.html"
    result = cli("report", NATIONAL, CITY, "--decisions", decisions, "-o", out)
    assert result.status == 0, result.err
    html = out.read_text(encoding="utf-8")
    column = _data(html)["columns"][0]
    assert column["decisions"][str(rejected["national"])] == {"action": "reject", "machine": rejected["grade"],
                                                              "note": "<i>only the setting</i>", "who": "王"}
    assert rejected["national"] in column["gaps"]  # the rejected pair no longer covers its item
    confirmed = [p for p in column["pairs"] if (p["n"], p["l"]) == (kept["national"], kept["local"])]
    assert confirmed and confirmed[0]["d"]["action"] == "confirm"
    # two cells carry a decision: upper case in the column's grades (the page marks them ✎)
    assert sum(g.isupper() for g in column["grades"]) == 2 and "<i>only" not in html


def test_min_confidence_holds_in_a_column_with_decisions(cli, tmp_path):
    """A column with an analyst's decisions is aligned again for its rejected pairs: with --min-confidence, its
    panels list the pairs its grades count (those at least that sure, and the decided ones), as a column
    without decisions does; not every pair yigai made."""
    import yaml

    compared = cli("compare", NATIONAL, CITY, "--format", "json").json()["pairs"]
    least = 0.95
    sure = [p for p in compared if p["confidence"]["value"] >= least]
    assert sure and len(sure) < len(compared)  # some pairs below the bar, else this shows nothing
    decisions = tmp_path / "d.yaml"
    decisions.write_text(yaml.safe_dump({"local": "某市", "decisions": [
        {"action": "confirm", "national": sure[0]["national"], "local": sure[0]["local"]}]}), encoding="utf-8")
    pages = {}
    for name, extra in (("plain", []), ("decided", ["--decisions", decisions])):
        out = tmp_path / f"{name}.html"
        assert cli("report", NATIONAL, CITY, "--min-confidence", least, *extra, "-o", out).status == 0
        pages[name] = _data(out.read_text(encoding="utf-8"))["columns"][0]
    assert any(p.get("d") for p in pages["decided"]["pairs"])  # the decision is in the page
    pairs = {name: [(p["n"], p["l"]) for p in page["pairs"]] for name, page in pages.items()}
    assert pairs["decided"] == pairs["plain"] and len(pairs["plain"]) < len(compared)
    assert all(p["k"]["value"] >= least for page in pages.values() for p in page["pairs"])


def test_report_data_for_the_review(cli, tmp_path):
    """What the page's review needs: every item's fingerprint, each document's key and the name its decisions
    file gives it (one no other column answers to), yigai's own grade under a decision, rejected pairs kept."""
    import yaml

    from yigai.decisions import fingerprint
    from yigai.documents import read_document

    compared = cli("compare", NATIONAL, CITY, "--format", "json").json()
    sole = next(p for p in compared["pairs"] if sum(q["national"] == p["national"] for q in compared["pairs"]) == 1)
    full = next(p for p in compared["pairs"] if p["grade"] == "full" and p is not sole)
    decisions = tmp_path / "d.yaml"
    decisions.write_text(yaml.safe_dump({"local": "某市", "decisions": [
        {"action": "reject", "national": sole["national"], "local": sole["local"]},
        {"action": "regrade", "grade": "partial", "national": full["national"], "local": full["local"]},
    ]}), encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli("report", NATIONAL, CITY, SICHUAN, ROUNDUP, "--decisions", decisions, "-o", out).status == 0
    data = _data(out.read_text(encoding="utf-8"))
    national = read_document(NATIONAL)
    assert [data["national"][str(i.index)]["f"] for i in national.items] == [fingerprint(i) for i in national.items]
    city = data["columns"][0]
    local = read_document(str(CITY))
    assert [city["items"][str(i.index)]["f"] for i in local.items] == [fingerprint(i) for i in local.items]
    assert city["file_name"] == "某市"
    sichuan = data["columns"][1]
    # 四川省 names the 2024 list of the round-up too: the 2021 file's decisions name it by its file
    assert sichuan["file_name"] == "sichuan-2021.txt" and "四川省" in sichuan["names"]
    assert len({c["key"] for c in data["columns"]}) == len(data["columns"])
    pairs = {(p["n"], p["l"]): p for p in city["pairs"]}
    assert pairs[(sole["national"], sole["local"])]["d"]["action"] == "reject"  # kept, so the page can undo it
    assert pairs[(sole["national"], sole["local"])]["g"] == sole["grade"][0]
    assert pairs[(full["national"], full["local"])]["g"] == "f"  # yigai's grade; the decision says partial
    assert pairs[(full["national"], full["local"])]["d"]["grade"] == "partial"
    assert all("d" not in p for c in data["columns"][1:] for p in c["pairs"])  # the file is for 某市 only


def test_confidence_is_carried_for_every_pair_yigai_made():
    from yigai.align import Grade, Pair
    from yigai_cli.formats.report import _confidence

    assert _confidence(Pair(1, 2, Grade.FULL, 3.0, (), confidence=0.4321, certainty="unsure")) == {
        "value": 0.432, "level": "unsure"}
    assert _confidence(Pair(1, 2, Grade.PARTIAL, 1.0, ())) == {"value": 1.0, "level": "sure"}


def test_a_failure_writing_down_a_column_stops_the_report(cli, tmp_path, monkeypatch):
    """The columns are written into the page as the alignment gives them: what goes wrong there ends the run
    as anywhere else, with no page written."""
    from yigai_cli.formats import report

    def broken(self, panel):  # type: ignore[no-untyped-def]
        raise RuntimeError("a column that cannot be written down")

    monkeypatch.setattr(report.Page, "take", broken)
    out = tmp_path / "r.html"
    result = cli("report", NATIONAL, SICHUAN, CITY, "-o", out)
    assert result.status == 3 and "internal error" in result.err and "cannot be written down" in result.err
    assert not out.exists()


def test_columns_made_by_workers_give_the_same_page(cli, tmp_path, monkeypatch):
    """Worker processes make each column's part of the page (its panels, with positions in tables only the
    page holds): the page is the same byte for byte as when this process makes them all, labelled across
    every column (the round-up's 32 jurisdictions and two lists of one place), with decisions applied."""
    import importlib

    import yaml

    decisions = tmp_path / "d.yaml"
    decisions.write_text(yaml.safe_dump({"decisions": [
        {"action": "reject", "national": 2, "local": 1, "note": "<b>不对应</b>"},
        {"action": "add", "grade": "full", "national": 20, "local": 3},
    ]}, allow_unicode=True), encoding="utf-8")
    here = tmp_path / "here.html"
    refs = (SICHUAN, CITY, ROUNDUP, SICHUAN, BAOKANG)
    assert cli("report", NATIONAL, *refs, "--decisions", decisions, "-o", here).status == 0
    monkeypatch.setattr(importlib.import_module("yigai.matrix"), "PARALLEL_FROM", 2)  # (yigai.matrix: the function)
    workers = tmp_path / "workers.html"
    assert cli("report", NATIONAL, *refs, "--decisions", decisions, "-o", workers).status == 0
    assert workers.read_bytes() == here.read_bytes()
    data = _data(here.read_text(encoding="utf-8"))
    assert [c["label"] for c in data["columns"]][-2:] == ["四川 2021 (sichuan-2021.txt) [2]",
                                                          "保康县 2017 (baokang-county-2017.txt)"]
    assert sum(len(c["decisions"]) for c in data["columns"]) > 0  # the decisions were applied (in the workers too)


def test_a_text_that_reads_like_a_position_is_written_as_text():
    """A column's panels come from a worker with holes where the page's tables give positions; a document whose
    title, written in the panels as it is, is exactly what such a hole looks like (NUL and digits: no reader
    lets one through, a library caller may) is still written as its own text, every position still filled in."""
    from dataclasses import replace

    from yigai.align import topics_of
    from yigai.documents import read_document
    from yigai.matrix import matrix
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats.report import Page

    national, vocabulary = read_document(NATIONAL), load_vocabulary()
    city = matrix(national, [str(CITY)], detail=True, vocabulary=vocabulary)[0]
    assert city.document is not None
    page = Page(national, topics_of(national, vocabulary), vocabulary)
    odd = replace(city, document=replace(city.document, title="\x005"))
    assert page.panels(odd).tree is not None  # (the way round the holes, taken)
    percent = replace(city, document=replace(city.document, title="降至30%以下 %d %s %%"))  # (the template's own %)
    kept = [page.add(c) for c in (city, odd, percent)]
    data = _data(page.html(page.finish(kept)).decode("utf-8"))
    plain, held, printed = data["columns"]
    assert held["title"] == "\x005" and plain["title"] == city.document.title
    assert printed["title"] == "降至30%以下 %d %s %%"
    assert held["items"] == plain["items"] == printed["items"] and held["pairs"] == plain["pairs"] == printed["pairs"]


def test_local_sentences_are_ranges_of_their_items_counted_as_the_page_counts(cli, tmp_path):
    """A local sentence is written as [start, end] of its item's text in UTF-16 units: characters beyond the
    BMP (𠮷) and line separators in the text still give back the sentence compare reports."""
    text = ("某县人民政府办公室关于印发某县深化医药卫生体制改革2024年重点工作任务的通知\n"
            "1.𠮷推进药品耗材集中带量采购,落实国家组织药品集中采购中选结果。𠮷𠮷做好医保资金结余留用\u2028工作。"
            "推进医保支付方式改革,开展DRG/DIP支付方式改革。\n"
            "2.深化𠮷医疗服务价格改革,建立医疗服务价格动态调整机制。\n")
    local = tmp_path / "astral.txt"
    local.write_text(text, encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli("report", NATIONAL, local, "-o", out).status == 0
    html = out.read_text(encoding="utf-8")
    raw = re.search(r'id="report-details">(.*?)</script>', html, re.S).group(1)
    ranges = [p[7] for line in raw.split("\n") if line for p in json.loads(line)["p"]]
    compared = cli("compare", NATIONAL, local, "--format", "json").json()["pairs"]
    assert compared and all(isinstance(r, list) for r in ranges)  # every sentence found in its item
    assert [p["local_sentence"] for p in _pairs(_data(html), 0)] == [p["local_sentence"] for p in compared]
    assert any("𠮷" in p["local_sentence"] for p in compared)
