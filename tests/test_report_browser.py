"""`yigai report` in a real browser: Debian's headless Chromium opens the file and a person's clicks are
replayed. Skips where no Chromium is installed, except under CI (CI=true), where that is a failure."""

from __future__ import annotations

import json

import pytest

from . import browser
from .conftest import BAOKANG, CITY, NATIONAL, ROUNDUP, SICHUAN

PLANTED = """某县人民政府办公室关于印发某县深化医药卫生体制改革2024年重点工作任务的通知
1.推进药品耗材集中带量采购<script>window.__pwned=1</script>,落实国家组织药品集中采购中选结果,做好医保资金结余留用。
2.深化医疗服务价格改革<img src=x onerror="window.__pwned=2">,建立医疗服务价格动态调整机制。
3.推进医保支付方式改革,开展DRG/DIP支付方式改革 & 按病种付费。
4.建设智慧医院</textarea></script><b onmouseover=alert(1)>信息平台</b>。
"""


@pytest.fixture(scope="module")
def driver():  # type: ignore[no-untyped-def]
    browser.require()
    with browser.chromium() as d:
        yield d


@pytest.fixture(scope="module")
def page(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The report on the bundled samples and a planted document, and what compare says of two of them."""
    from yigai_cli.main import main

    tmp = tmp_path_factory.mktemp("report")
    planted = tmp / "planted.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    out = tmp / "report.html"
    assert main(["report", NATIONAL, str(ROUNDUP), str(SICHUAN), str(CITY), str(BAOKANG), str(planted), "-o", str(out)]) == 0
    return tmp, out, planted


def _compare(national, local):  # type: ignore[no-untyped-def]
    import contextlib
    import io

    from yigai_cli.main import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["compare", str(national), str(local), "--format", "json"]) == 0
    return json.loads(buffer.getvalue())


def _open(driver, path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))


def _head_order(driver):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [th.get_attribute("data-c") for th in driver.find_elements(By.CSS_SELECTOR, "#heatmap tr.heads th.col")]


def test_heatmap_has_every_item_and_column(driver, page):
    from selenium.webdriver.common.by import By

    tmp, out, _ = page
    _open(driver, out)
    columns = 32 + 1 + 1 + 1 + 1
    assert len(driver.find_elements(By.CSS_SELECTOR, "#heatmap tr.heads th.col")) == columns
    # a few dozen columns are all on screen: every cell is drawn
    assert len(driver.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr[data-n]")) == 21
    assert len(driver.find_elements(By.CSS_SELECTOR, "#heatmap tbody td.g")) == 21 * columns
    assert len(driver.find_elements(By.CSS_SELECTOR, "#bars tbody tr[data-c]")) == columns
    driver.save_screenshot(str(tmp / "report.png"))
    assert (tmp / "report.png").stat().st_size > 10_000
    assert browser.errors(driver) == []


def test_clicking_a_cell_shows_that_pairs_sentences(driver, page):
    from selenium.webdriver.common.by import By

    _, out, _ = page
    _open(driver, out)
    pair = max(_compare(NATIONAL, SICHUAN)["pairs"], key=lambda p: p["score"])
    column = browser.column_id(driver, "四川 2021 (sichuan-2021.txt)")
    panel = driver.find_element(By.ID, "panel")
    assert not panel.is_displayed()
    browser.cell(driver, column, pair["national"]).click()
    assert panel.is_displayed()
    text = panel.text
    assert pair["local_sentence"] in text.replace("\n", "")
    assert pair["national_sentence"] in text.replace("\n", "")
    marks = [m.text for m in panel.find_elements(By.CSS_SELECTOR, ".quote.local mark")]
    assert marks and all(m in pair["local_sentence"] for m in marks)
    # another column's cell replaces the panel's content
    other = browser.column_id(driver, "某市 2023 (city-2023-draft.txt)")
    browser.cell(driver, other, pair["national"]).click()
    assert "某市 2023 (city-2023-draft.txt)" in panel.text and pair["local_sentence"] not in panel.text.replace("\n", "")
    assert browser.errors(driver) == []


def test_sorting_and_grouping_reorder_columns(driver, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _, out, _ = page
    _open(driver, out)
    given = _head_order(driver)
    coverage = {th.get_attribute("data-c"): float(th.get_attribute("data-coverage"))
                for th in driver.find_elements(By.CSS_SELECTOR, "#heatmap th.col")}
    Select(driver.find_element(By.ID, "sort")).select_by_value("coverage")
    ordered = _head_order(driver)
    assert ordered != given and sorted(ordered) == sorted(given)
    assert [coverage[c] for c in ordered] == sorted(coverage.values(), reverse=True)
    # every row's cells follow their column, and so do the summary bars
    for row in driver.find_elements(By.CSS_SELECTOR, "#heatmap tbody tr[data-n]"):
        assert [td.get_attribute("data-c") for td in row.find_elements(By.CSS_SELECTOR, "td.g")] == ordered
    assert [tr.get_attribute("data-c") for tr in driver.find_elements(By.CSS_SELECTOR, "#bars tbody tr[data-c]")] == ordered
    # the rank column: each jurisdiction's place by coverage
    ranks = [int(td.text) for td in driver.find_elements(By.CSS_SELECTOR, "#bars tbody tr[data-c] td.rank")]
    assert ranks == list(range(1, len(ordered) + 1))
    Select(driver.find_element(By.ID, "sort")).select_by_value("name")
    heads = driver.find_elements(By.CSS_SELECTOR, "#heatmap th.col")
    names = [th.get_attribute("data-name").split(" ")[0] for th in heads]
    assert [int(th.get_attribute("data-name-rank")) for th in heads] == list(range(len(heads)))
    assert names[:4] == ["北京", "天津", "河北", "山西"] and names[-3:] == ["保康县", "某市", "某县"]  # as --sort name
    driver.find_element(By.ID, "group").click()
    groups = driver.find_elements(By.CSS_SELECTOR, "#heatmap tr.groups th.group-start")
    assert [g.text.split(" ")[0] for g in groups] == ["省级", "市级", "县级"]
    assert sum(int(g.get_attribute("colspan")) for g in groups) == len(given)
    levels = [int(th.get_attribute("data-level")) for th in driver.find_elements(By.CSS_SELECTOR, "#heatmap th.col")]
    assert levels == sorted(levels)
    Select(driver.find_element(By.ID, "sort")).select_by_value("given")
    driver.find_element(By.ID, "group").click()
    assert _head_order(driver) == given
    assert browser.errors(driver) == []


def test_topic_filter_hides_other_rows(driver, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _, out, _ = page
    _open(driver, out)
    rows = "#heatmap tbody tr[data-n]"
    topics = [tr.get_attribute("data-topic") for tr in driver.find_elements(By.CSS_SELECTOR, rows)]
    Select(driver.find_element(By.ID, "topic")).select_by_value("疾控体系")
    shown = [tr.get_attribute("data-topic") for tr in driver.find_elements(By.CSS_SELECTOR, rows) if tr.is_displayed()]
    assert shown == ["疾控体系"] * topics.count("疾控体系") and len(shown) < len(topics)
    Select(driver.find_element(By.ID, "topic")).select_by_value("")
    assert [tr.get_attribute("data-topic") for tr in driver.find_elements(By.CSS_SELECTOR, rows) if tr.is_displayed()] == topics


def test_planted_markup_renders_as_text(driver, page):
    from selenium.webdriver.common.by import By

    _, out, planted = page
    _open(driver, out)
    assert driver.execute_script("return window.__pwned") is None
    assert len(driver.find_elements(By.TAG_NAME, "script")) == 4  # the page's data (three parts) and its own script
    pair = next(p for p in _compare(NATIONAL, planted)["pairs"] if p["local"] == 1)
    column = browser.column_id(driver, "某县 2024 (planted.txt)")
    browser.cell(driver, column, pair["national"]).click()
    panel = driver.find_element(By.ID, "panel")
    assert "<script>window.__pwned=1</script>" in panel.text
    assert panel.find_elements(By.TAG_NAME, "script") == [] and panel.find_elements(By.TAG_NAME, "img") == []
    # the jurisdiction's gaps and own items, one click away
    driver.find_element(By.CSS_SELECTOR, "#panel .close").click()
    driver.find_element(By.CSS_SELECTOR, f'.open-column[data-c="{column}"]').click()
    compared = _compare(NATIONAL, planted)
    gaps = panel.find_elements(By.CSS_SELECTOR, "ul.gaps li")
    assert len(gaps) == max(1, len(compared["coverage"]["uncovered"]))
    own = [li.text for li in panel.find_elements(By.CSS_SELECTOR, "ul.local-only li")]
    if compared["local_only"]:
        assert len(own) == len(compared["local_only"])
        assert any("<b onmouseover=alert(1)>" in text for text in own) == (4 in compared["local_only"])
    assert panel.find_elements(By.TAG_NAME, "b") == []
    assert driver.execute_script("return window.__pwned") is None
    assert browser.errors(driver) == []


def test_all_details_as_a_list(driver, page):
    from selenium.webdriver.common.by import By

    _, out, _ = page
    _open(driver, out)
    listing = driver.find_element(By.ID, "print-list")
    assert not listing.is_displayed()
    driver.find_element(By.ID, "expand").click()
    assert listing.is_displayed()
    sections = listing.find_elements(By.CSS_SELECTOR, "section.print-column")
    assert len(sections) == 36
    pairs = json.loads(driver.execute_script("return JSON.stringify(JSON.parse("
                                             "document.getElementById('report-data').textContent).columns.pairs)"))
    assert len(listing.find_elements(By.CSS_SELECTOR, ".pair")) == sum(pairs)
    assert browser.errors(driver) == []
