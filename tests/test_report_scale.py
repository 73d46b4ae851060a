"""The report at thousands of columns: a page of 5,200 columns (made from a few real alignments, each column
under a name of its own), opened in Debian's headless Chromium. The heatmap draws only what is on screen;
scrolling draws the rest; a cell far to the right opens with its sentences; the overview counts every column.
Skips where no Chromium is installed, except under CI (CI=true), where that is a failure."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from . import browser
from .conftest import CITY, NATIONAL, ROUNDUP, SICHUAN

COLUMNS = 5200
PLANTED_AT = 5000  # the column (as given) that holds the planted document

PLANTED = """某县人民政府办公室关于印发某县深化医药卫生体制改革2024年重点工作任务的通知
1.推进药品耗材集中带量采购<script>window.__pwned=1</script>,落实国家组织药品集中采购中选结果,做好医保资金结余留用。
2.深化医疗服务价格改革<img src=x onerror="window.__pwned=2">,建立医疗服务价格动态调整机制。
3.推进医保支付方式改革,开展DRG/DIP支付方式改革 & 按病种付费。
"""


def _compare(national, local):  # type: ignore[no-untyped-def]
    import contextlib
    import io

    from yigai_cli.main import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["compare", str(national), str(local), "--format", "json"]) == 0
    return json.loads(buffer.getvalue())


@pytest.fixture(scope="module")
def large(tmp_path_factory):  # type: ignore[no-untyped-def]
    """A report of COLUMNS columns: the real columns of a few documents, repeated under names of their own
    (县00000, 县00001, …), the planted document at PLANTED_AT; written by the report's own Page."""
    from yigai.align import topics_of
    from yigai.documents import read_document
    from yigai.matrix import matrix
    from yigai.vocab import load_vocabulary
    from yigai_cli.formats.report import Page

    tmp = tmp_path_factory.mktemp("scale")
    planted = tmp / "planted.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    national = read_document(NATIONAL)
    vocabulary = load_vocabulary()
    real = matrix(national, [str(SICHUAN), str(CITY), str(ROUNDUP)], detail=True, vocabulary=vocabulary)
    mine = matrix(national, [str(planted)], detail=True, vocabulary=vocabulary)[0]
    page = Page(national, topics_of(national, vocabulary), vocabulary)
    columns = [replace(mine if k == PLANTED_AT else real[k % len(real)], name=f"县{k:05d}", label="")
               for k in range(COLUMNS)]
    kept = [page.add(column) for column in columns]
    out = tmp / "large.html"
    out.write_bytes(page.html(page.finish(kept)))
    return out, planted, columns, kept


@pytest.fixture(scope="module")
def driver():  # type: ignore[no-untyped-def]
    browser.require()
    with browser.chromium() as d:
        yield d


def _open(driver, path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))


def _drawn(driver) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(c) for c in driver.execute_script(
        "return [...document.querySelectorAll('#heatmap th.col')].map(th => th.dataset.c)")]


def _scroll_to(driver, column: int) -> None:  # type: ignore[no-untyped-def]
    """Scroll the heatmap (as a person drags its scroll bar) until `column` is drawn."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("""
        const box = document.getElementById('heat-scroll');
        const cell = document.querySelector('#heatmap th.col').offsetWidth;
        const lead = document.querySelector('#heatmap th.topic');
        box.scrollLeft = lead.offsetLeft + lead.offsetWidth + arguments[0] * cell - box.clientWidth / 2;""", column)
    WebDriverWait(driver, 10).until(lambda d: column in _drawn(d))


def _documents(large):  # type: ignore[no-untyped-def]
    """The distinct documents the large report was made of."""
    from yigai.documents import read_documents

    return [d for path in (SICHUAN, CITY, ROUNDUP, large[1]) for d in read_documents(path)]


def test_the_file_holds_every_column_once(large):
    out, _, _, kept = large
    html = out.read_text(encoding="utf-8")
    details = re.search(r'<script type="application/json" id="report-details">(.*?)</script>', html, re.S)
    assert details and len([line for line in details.group(1).split("\n") if line]) == COLUMNS
    assert all(c.document is None and c.pairs == () and c.cells == () for c in kept)  # what the caller keeps
    # the planted markup stays inside its JSON: four script elements, nothing else opens or closes one
    assert html.count("<script") == 4 and html.count("</script>") == 4 and "<img" not in html
    # compact: the texts of the repeated documents are written once (the table does not grow with the columns),
    # a column is its grades and its items' and pairs' references
    texts = json.loads(re.search(r'id="report-texts">(.*?)</script>', html, re.S).group(1))
    assert len(texts) == len(set(texts))
    assert sum(map(len, texts)) < 2 * sum(len(i.text) for c in _documents(large) for i in c.items)
    assert out.stat().st_size < COLUMNS * 2000


def test_only_what_is_on_screen_is_drawn_and_scrolling_draws_the_rest(driver, large):
    out, _, _, _ = large
    _open(driver, out)
    drawn = _drawn(driver)
    assert drawn and drawn[0] == 0 and len(drawn) < 120  # a window of the 5,200 columns
    cells = driver.execute_script("return document.querySelectorAll('#heatmap td.g').length")
    assert cells == 21 * len(drawn)
    # the table is as wide as all the columns: its scroll bar is the whole heatmap's
    widths = driver.execute_script("const box = document.getElementById('heat-scroll');"
                                   "return [box.scrollWidth, document.querySelector('#heatmap th.col').offsetWidth]")
    assert widths[0] >= COLUMNS * widths[1]
    _scroll_to(driver, COLUMNS - 1)
    drawn = _drawn(driver)
    assert COLUMNS - 1 in drawn and 0 not in drawn and len(drawn) < 120
    assert driver.execute_script(f"return document.querySelectorAll('#heatmap td.g[data-c=\"{COLUMNS - 1}\"]').length") == 21
    assert browser.errors(driver) == []


def test_a_cell_far_to_the_right_shows_its_sentences(driver, large):
    from selenium.webdriver.common.by import By

    out, planted, _, _ = large
    _open(driver, out)
    assert PLANTED_AT not in _drawn(driver)
    _scroll_to(driver, PLANTED_AT)
    pair = next(p for p in _compare(NATIONAL, planted)["pairs"] if p["local"] == 1)
    browser.cell(driver, str(PLANTED_AT), pair["national"]).click()
    panel = driver.find_element(By.ID, "panel")
    assert panel.is_displayed() and f"县{PLANTED_AT:05d}" in panel.text
    text = panel.text.replace("\n", "")
    assert pair["local_sentence"] in text and pair["national_sentence"] in text
    assert "<script>window.__pwned=1</script>" in panel.text  # the document's markup, as text
    assert panel.find_elements(By.TAG_NAME, "script") == [] and driver.execute_script("return window.__pwned") is None
    assert browser.errors(driver) == []


def test_sorting_thousands_of_columns(driver, large):
    from selenium.webdriver.support.ui import Select

    out, _, columns, _ = large
    _open(driver, out)
    Select(driver.find_element("id", "sort")).select_by_value("coverage")
    drawn = _drawn(driver)
    best = max(c.coverage for c in columns)
    assert abs(columns[drawn[0]].coverage - best) < 1e-3
    coverage = [columns[c].coverage for c in drawn]
    assert coverage == sorted(coverage, reverse=True)
    ranks = driver.execute_script("return [...document.querySelectorAll('#bars tr[data-c] td.rank')].map(td => +td.textContent)")
    assert ranks[:5] == [1, 2, 3, 4, 5]
    assert browser.errors(driver) == []


def test_the_overview_counts_every_column(driver, large):
    from selenium.webdriver.common.by import By

    out, _, columns, _ = large
    _open(driver, out)
    levels = {"省级": sum(c.level == "provincial" for c in columns), "市级": sum(c.level == "municipal" for c in columns),
              "县级": sum(c.level == "county" for c in columns)}
    heads = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "#topics thead th.lv")]
    shown = {h.split(" ")[0]: int(h.split("(")[1].rstrip(")").replace(",", "")) for h in heads}
    assert {k: v for k, v in shown.items() if v} == {k: v for k, v in levels.items() if v}
    # each topic's coverage among the provinces' lists, as the columns say
    national = driver.execute_script("return JSON.parse(document.getElementById('report-data').textContent).national")
    order = driver.execute_script("return JSON.parse(document.getElementById('report-data').textContent).order")
    row = driver.find_element(By.CSS_SELECTOR, "#topics tbody tr")
    topic = row.get_attribute("data-topic")
    rows = [r for r, index in enumerate(order) if (national[str(index)]["topic"] or "其他") == topic]
    weight = {"full": 1.0, "partial": 0.5, "none": 0.0}
    provincial = [weight[c.cells[r].grade.value] for c in columns if c.level == "provincial" for r in rows]
    cell = row.find_element(By.CSS_SELECTOR, 'td.lv[data-level="1"]')
    assert cell.text == f"{round(sum(provincial) / len(provincial) * 100)}%"
    # the spread: every column in one tenth of coverage
    counts = [b.get_attribute("title") for b in driver.find_elements(By.CSS_SELECTOR, "#spread .bin")]
    assert len(counts) == 10 and sum(int(t.split(" ")[0].replace(",", "")) for t in counts) == COLUMNS
    # the ranked list scrolls through all of them
    driver.execute_script("const box = document.getElementById('bars-box'); box.scrollTop = box.scrollHeight;")
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 10).until(lambda d: d.execute_script(
        f"return [...document.querySelectorAll('#bars tr[data-c]')].some(tr => tr.dataset.c === '{COLUMNS - 1}')"))
    # and finding one by name narrows the list and the heatmap to it
    driver.find_element(By.ID, "find").send_keys(f"县{PLANTED_AT:05d}")
    assert _drawn(driver) == [PLANTED_AT]
    assert [tr.get_attribute("data-c") for tr in driver.find_elements(By.CSS_SELECTOR, "#bars tr[data-c]")] == [str(PLANTED_AT)]
    assert browser.errors(driver) == []


def test_all_details_as_a_list_stops_at_500(driver, large):
    from selenium.webdriver.common.by import By

    out, _, _, _ = large
    _open(driver, out)
    driver.find_element(By.ID, "expand").click()
    listing = driver.find_element(By.ID, "print-list")
    assert len(listing.find_elements(By.CSS_SELECTOR, "section.print-column")) == 500
    assert "The first 500 of 5,200 jurisdictions" in listing.text
    driver.find_element(By.ID, "find").send_keys(f"县{PLANTED_AT:05d}")
    driver.find_element(By.ID, "expand").click()
    sections = listing.find_elements(By.CSS_SELECTOR, "section.print-column")
    assert len(sections) == 1 and f"县{PLANTED_AT:05d}" in sections[0].text
    assert browser.errors(driver) == []
