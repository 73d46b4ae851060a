"""Reviewing the verdicts in the report, in Debian's headless Chromium: an analyst confirms, rejects, regrades
and adds pairs with a note, reloads, downloads decisions.yaml, and every command then honours exactly those
decisions. Skips without Chromium, except under CI (CI=true), where that is a failure."""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
import yaml

from yigai.decisions import ENTRY_KEYS, load_decisions

from . import browser
from .conftest import CITY, NATIONAL, SICHUAN

# A county's list whose items align with national 3, 7, 8, 9, 10, 20 and 21; two items carry markup.
PLANTED = """某县人民政府办公室关于印发某县深化医药卫生体制改革2024年重点工作任务的通知
1.推进药品耗材集中带量采购,落实国家组织药品集中采购中选结果,做好医保资金结余留用。
2.深化医疗服务价格改革<img src=x onerror="window.__pwned=2">,建立医疗服务价格动态调整机制。
3.推进医保支付方式改革,开展DRG/DIP支付方式改革 & 按病种付费。
4.建设智慧医院信息平台<img src=x onerror=window.__pwned=4>,推进互联网+医疗健康。
5.加强县域医共体建设,推进紧密型县域医疗卫生共同体建设。
6.深化公立医院薪酬制度改革,落实“两个允许”要求。
"""
NOTE = "key: value\n- x"
# every figure the summary shows: each topic's coverage and bar, each jurisdiction's, the mean
FIGURES = """return [...document.querySelectorAll('#topics tbody tr, #bars tbody tr[data-c]')].map(tr =>
  [...tr.querySelectorAll('td.num')].map(td => td.textContent).join(' ') + ' ' + tr.querySelector('.bar span').style.width)
  .concat([document.getElementById('mean').textContent]);"""


# The confidence of each pair the queue lists, read from the page's panels (one line of JSON a column)
CONFIDENCE_SHOWN = """
const lines = document.getElementById('report-details').textContent.split('\\n').filter(line => line);
return JSON.stringify([...document.querySelectorAll('#to-review li[data-key]')].map(li => {
  const [n, l] = li.dataset.key.split(':').map(Number);
  return JSON.parse(lines[li.dataset.c]).p.find(p => p[0] === n && p[1] === l)[9][0]; }));"""


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):  # type: ignore[no-untyped-def]
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads):  # type: ignore[no-untyped-def]
    browser.require()
    with browser.chromium(downloads=downloads) as d:
        yield d


def _run(*args: object) -> tuple[int, str, str]:
    from yigai_cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(a) for a in args])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def docs(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("review")
    planted = tmp / "planted.txt"
    planted.write_text(PLANTED, encoding="utf-8")
    report = tmp / "report.html"
    status, _, err = _run("report", NATIONAL, SICHUAN, CITY, planted, "-o", report)
    assert status == 0, err
    status, out, _ = _run("compare", NATIONAL, planted, "--format", "json")
    return tmp, planted, report, json.loads(out)


def _open(driver, path):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.as_uri())
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))


def _act(driver, column, national, local, verb):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    browser.cell(driver, column, national).click()
    driver.find_element(By.CSS_SELECTOR, f'#panel .pair[data-key="{national}:{local}"] button[data-verb="{verb}"]').click()


def _ratio(pairs: list[tuple[int, str]], items: int) -> float:
    grades: dict[int, str] = {}
    for national, grade in pairs:
        if grade == "full" or national not in grades:
            grades[national] = grade
    return (sum(g == "full" for g in grades.values()) + 0.5 * sum(g == "partial" for g in grades.values())) / items


def _plan(compared):  # type: ignore[no-untyped-def]
    """Which pairs to confirm, reject and regrade, and which gap to fill, chosen from what yigai found."""
    pairs = compared["pairs"]
    sole = [p for p in pairs if sum(q["national"] == p["national"] for q in pairs) == 1]
    fulls = [p for p in sole if p["grade"] == "full"]
    reject = next(p for p in sole if p["grade"] == "partial")
    # the item to add holds markup and words only it holds (智慧医院); the pairs decided on lie elsewhere
    added = next(i for i in compared["local"]["items"] if "智慧医院" in i["title"])
    confirm, regrade = [p for p in fulls if p["local"] != added["index"]][:2]
    gap = compared["coverage"]["uncovered"][0]
    return confirm, reject, regrade, gap, added


def _coverage_shown(driver, column):  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'#heatmap tfoot td.cv[data-c="{column}"]').text


def test_review_round_trip(driver, docs, downloads):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    tmp, planted, report, compared = docs
    confirm, reject, regrade, gap, added = _plan(compared)
    items = len(compared["national"]["items"])
    before = compared["coverage"]["ratio"]
    _open(driver, report)
    driver.execute_script("localStorage.clear()")
    _open(driver, report)
    column = browser.column_id(driver, "某县 2024 (planted.txt)")
    assert _coverage_shown(driver, column) == f"{round(before * 100)}%"
    initial = driver.execute_script(FIGURES)
    total = sum(len(json.loads(_run("compare", NATIONAL, local, "--format", "json")[1])["pairs"])
                for local in (SICHUAN, CITY, planted))
    assert driver.find_element(By.ID, "progress").text == f"0 of {total} pairs reviewed"

    # the first decision asks the reviewer's name, in the page, and is made once it is given
    _act(driver, column, confirm["national"], confirm["local"], "confirm")
    ask = driver.find_element(By.ID, "reviewer-ask")
    assert ask.is_displayed() and "✎" not in browser.cell(driver, column, confirm["national"]).text
    driver.find_element(By.ID, "reviewer").send_keys("王 <b>审</b>\n")
    assert not ask.is_displayed() and "✎" in browser.cell(driver, column, confirm["national"]).text
    _act(driver, column, reject["national"], reject["local"], "reject")
    _act(driver, column, regrade["national"], regrade["local"], "partial")
    cell = browser.cell(driver, column, reject["national"])
    assert cell.text == "✗✎" and "n" in cell.get_attribute("class").split()
    assert browser.cell(driver, column, regrade["national"]).text == "◐✎"

    # a counterpart yigai missed, found by its text, with a note
    browser.cell(driver, column, gap).click()
    form = driver.find_element(By.CSS_SELECTOR, "#panel form.add-form")
    form.find_element(By.CSS_SELECTOR, ".add-search").send_keys("智慧医院")
    options = form.find_elements(By.CSS_SELECTOR, "select.add-item option")
    assert [o.get_attribute("value") for o in options] == [str(added["index"])]
    assert "<img src=x onerror=window.__pwned=4>" in options[0].text
    Select(form.find_element(By.CSS_SELECTOR, "select.add-item")).select_by_value(str(added["index"]))
    form.find_element(By.CSS_SELECTOR, ".add-note").send_keys(NOTE)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert browser.cell(driver, column, gap).text == "◐✎"
    panel = driver.find_element(By.ID, "panel")
    assert "<img src=x onerror=window.__pwned=4>" in panel.text and panel.find_elements(By.TAG_NAME, "img") == []
    assert driver.find_element(By.CSS_SELECTOR, f'#panel .pair[data-key="{gap}:{added["index"]}"] .note-input'
                               ).get_attribute("value") == NOTE

    decided = [(confirm["national"], confirm["local"], "confirm"), (reject["national"], reject["local"], "reject"),
               (regrade["national"], regrade["local"], "regrade"), (gap, added["index"], "add")]
    kept = [(p["national"], p["grade"]) for p in compared["pairs"] if p is not reject]
    kept = [(n, "partial" if n == regrade["national"] else g) for n, g in kept] + [(gap, "partial")]
    after = _ratio(kept, items)
    assert after != before
    shown = f"{round(after * 100)}%"
    assert _coverage_shown(driver, column) == shown
    assert driver.find_element(By.ID, "progress").text == f"3 of {total} pairs reviewed"

    assert driver.find_element(By.CSS_SELECTOR, f'#bars tr[data-c="{column}"] td.num').text == shown
    figures = driver.execute_script(FIGURES)
    assert figures != initial  # the topics' figures and the mean moved with the decisions

    # a reload loses nothing
    driver.refresh()
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return document.documentElement.dataset.ready"))
    assert _coverage_shown(driver, column) == shown
    assert [browser.cell(driver, column, n).text[-1] for n, _, _ in decided] == ["✎"] * 4
    assert driver.find_element(By.ID, "progress").text == f"3 of {total} pairs reviewed"
    assert driver.find_element(By.ID, "reviewer").get_attribute("value") == "王 <b>审</b>"

    # the decisions file, downloaded
    for old in downloads.glob("*"):
        old.unlink()
    driver.find_element(By.ID, "download").click()
    saved = downloads / "decisions.yaml"
    WebDriverWait(driver, 10).until(lambda d: saved.exists() and not list(downloads.glob("*.crdownload")))
    text = saved.read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    assert set(raw) == {"national", "local", "decisions"} and raw["local"] == "某县"
    assert all(set(entry) <= set(ENTRY_KEYS) for entry in raw["decisions"])
    file = load_decisions(saved)
    assert [(d.national.index, d.local.index, d.action.value) for d in file.entries] == sorted(decided)
    assert {d.who for d in file.entries} == {"王 <b>审</b>"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d.when) for d in file.entries)
    entry = next(d for d in file.entries if d.action.value == "add")
    assert entry.note == NOTE and entry.local.title == added["title"] and entry.grade and entry.grade.value == "partial"

    # compare and matrix with it: exactly those four decisions, and the coverage the page showed
    status, out, err = _run("compare", NATIONAL, planted, "--decisions", saved, "--format", "json")
    assert status == 0 and "warning" not in err, err
    result = json.loads(out)
    found = [(p["national"], p["local"], p["decision"]["action"])
             for p in result["pairs"] + result["rejected"] if "decision" in p]
    assert sorted(found) == sorted(decided)
    assert result["coverage"]["ratio"] == round(after, 4)
    assert next(p for p in result["pairs"] if p["local"] == added["index"] and p["national"] == gap)["decision"]["note"] == NOTE
    status, out, _ = _run("compare", NATIONAL, planted, "--decisions", saved)
    assert status == 0 and out.count("✎") >= 3
    status, out, err = _run("matrix", NATIONAL, SICHUAN, CITY, planted, "--decisions", saved, "--format", "json")
    assert status == 0 and "not applied" not in err, err
    columns = json.loads(out)["columns"]
    marked = {c["label"]: sorted(cell["national"] for cell in c["cells"] if "decision" in cell) for c in columns}
    assert marked == {c["label"]: (sorted(n for n, _, _ in decided) if "planted" in c["source"] else []) for c in columns}
    assert next(c for c in columns if "planted" in c["source"])["coverage"] == round(after, 4)

    # a report made with the file starts reviewed
    again = tmp / "reviewed.html"
    status, _, err = _run("report", NATIONAL, SICHUAN, CITY, planted, "--decisions", saved, "-o", again)
    assert status == 0, err
    driver.execute_script("localStorage.clear()")
    _open(driver, again)
    assert driver.find_element(By.ID, "progress").text == f"3 of {total} pairs reviewed"
    assert _coverage_shown(driver, column) == shown
    assert driver.execute_script(FIGURES) == figures  # yigai's figures with the file: the page's own, to the percent
    assert [browser.cell(driver, column, n).text for n, _, _ in decided] == ["✓✎", "✗✎", "◐✎", "◐✎"]
    browser.cell(driver, column, gap).click()
    assert NOTE.replace("\n", " ") in driver.find_element(By.ID, "panel").text.replace("\n", " ")
    assert driver.execute_script("return window.__pwned") is None
    assert browser.errors(driver) == []


def test_undo_and_the_keyboard(driver, docs):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _, _, report, compared = docs
    _open(driver, report)
    driver.execute_script("localStorage.clear(); localStorage.setItem('yigai-reviewer', '李')")
    _open(driver, report)
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    assert driver.find_element(By.ID, "queue").get_attribute("open") is not None
    first = driver.find_element(By.CSS_SELECTOR, "#to-review li.current")
    column, key = first.get_attribute("data-c"), first.get_attribute("data-key")
    scores = json.loads(driver.execute_script(CONFIDENCE_SHOWN))
    assert scores == sorted(scores) and len(scores) > 10  # the least sure (lowest confidence) first
    national = int(key.split(":")[0])
    body.send_keys("r")
    assert browser.cell(driver, column, national).text.endswith("✎")
    assert driver.find_element(By.ID, "progress").text.startswith("1 of ")
    body.send_keys("u")
    assert "✎" not in browser.cell(driver, column, national).text
    assert driver.find_element(By.ID, "progress").text.startswith("0 of ")
    body.send_keys("j")
    second = driver.find_element(By.CSS_SELECTOR, "#to-review li.current").get_attribute("data-key")
    body.send_keys("k")
    assert driver.find_element(By.CSS_SELECTOR, "#to-review li.current").get_attribute("data-key") == key
    assert second != key or column != driver.find_element(By.CSS_SELECTOR, "#to-review li.current").get_attribute("data-c")
    body.send_keys("f")
    assert driver.find_element(By.CSS_SELECTOR, "#to-review li.current").text.endswith("confirm") or \
        driver.find_element(By.CSS_SELECTOR, "#to-review li.current").text.endswith("regrade")
    driver.find_element(By.ID, "undo").click()
    assert driver.find_element(By.ID, "progress").text.startswith("0 of ")
    body.send_keys(Keys.ESCAPE)
    assert not driver.find_element(By.ID, "panel").is_displayed()
    assert browser.errors(driver) == []


def test_the_page_opens_a_decisions_file(driver, docs):
    """The file input reads what yigai writes: compare --format decisions (its YAML, comments and all), a file
    written by hand, and a merged one; decisions land on their pairs, their text stays text."""
    from selenium.webdriver.common.by import By

    tmp, planted, report, compared = docs
    start = tmp / "start.yaml"
    assert _run("compare", NATIONAL, planted, "--format", "decisions", "-o", start)[0] == 0
    hand = tmp / "hand.yaml"
    pair = compared["pairs"][0]
    n_title = next(i["title"] for i in compared["national"]["items"] if i["index"] == pair["national"])
    hand.write_text(f"""# written by hand
local: 某县
decisions:
- action: reject   # not this one
  national:
    title: '{n_title}'
  local: {pair["local"]}
  note: |-
    two lines
    <img src=x onerror=window.__pwned=9>
""", encoding="utf-8")
    _open(driver, report)
    driver.execute_script("localStorage.clear(); localStorage.setItem('yigai-reviewer', '李')")
    _open(driver, report)
    column = browser.column_id(driver, "某县 2024 (planted.txt)")
    total = int(driver.find_element(By.ID, "progress").text.split(" of ")[1].split()[0])
    note = driver.find_element(By.ID, "review-note")

    def opened(path):  # type: ignore[no-untyped-def]
        """Open `path` in the page; what it said (a file is read after the input's event: wait for the word)."""
        from selenium.webdriver.support.ui import WebDriverWait

        driver.execute_script("document.getElementById('review-note').textContent = ''")
        driver.find_element(By.ID, "open-decisions").send_keys(str(path))
        WebDriverWait(driver, 10).until(lambda d: note.text.startswith(path.name + ":"))
        return note.text

    assert opened(start) == f"start.yaml: {len(compared['pairs'])} decisions opened"
    assert driver.find_element(By.ID, "progress").text == f"{len(compared['pairs'])} of {total} pairs reviewed"
    assert all(browser.cell(driver, column, p["national"]).text.endswith("✎") for p in compared["pairs"])
    # a block text is more YAML than the page reads: it says so, in one line, and changes nothing
    said = opened(hand)
    assert said.startswith("hand.yaml: line 8: a block text") and "yigai report" in said
    hand.write_text(hand.read_text(encoding="utf-8").replace(
        "  note: |-\n    two lines\n    <img src=x onerror=window.__pwned=9>\n",
        '  note: "two lines\\n<img src=x onerror=window.__pwned=9>"\n'), encoding="utf-8")
    assert opened(hand) == "hand.yaml: 1 decision opened"
    browser.cell(driver, column, pair["national"]).click()
    block = driver.find_element(By.CSS_SELECTOR, f'#panel .pair[data-key="{pair["national"]}:{pair["local"]}"]')
    assert "reject" in block.find_element(By.CSS_SELECTOR, ".decision").text
    assert block.find_element(By.CSS_SELECTOR, ".note-input").get_attribute("value") == \
        "two lines\n<img src=x onerror=window.__pwned=9>"
    # a merged file: quoted strings with their escapes, a conflict's comment; the last entry applies
    hostile = 'tab\there "quoted" back\\slash \u2028 <b>x</b> # no comment'
    entry = {"national": pair["national"], "local": pair["local"]}
    wang = tmp / "wang.yaml"
    wang.write_text(yaml.safe_dump({"local": "某县", "decisions": [{"action": "reject", **entry}]}), encoding="utf-8")
    li = tmp / "li.yaml"
    li.write_text(yaml.safe_dump({"local": "某县", "decisions": [{"action": "regrade", "grade": "partial", "note": hostile,
                                                                 **entry}]}, allow_unicode=True), encoding="utf-8")
    merged = tmp / "merged.yaml"
    assert _run("decisions", "merge", wang, li, "-o", merged)[0] == 1
    assert opened(merged) == "merged.yaml: 2 decisions opened"
    browser.cell(driver, column, pair["national"]).click()
    block = driver.find_element(By.CSS_SELECTOR, f'#panel .pair[data-key="{pair["national"]}:{pair["local"]}"]')
    assert "regrade as partial" in block.find_element(By.CSS_SELECTOR, ".decision").text
    assert block.find_element(By.CSS_SELECTOR, ".note-input").get_attribute("value") == hostile
    assert driver.execute_script("return window.__pwned") is None and browser.errors(driver) == []
    # printed (or listed), every decision shows under its pair
    driver.find_element(By.CSS_SELECTOR, "#panel .close").click()
    driver.find_element(By.ID, "expand").click()
    listed = driver.find_elements(By.CSS_SELECTOR, "#print-list .pair.decided .decision")
    assert len(listed) == len(compared["pairs"])
    assert driver.find_elements(By.CSS_SELECTOR, "#print-list .review-controls") == []  # several documents: no controls


def test_the_least_sure_pairs_come_first(driver, docs, tmp_path):
    """With the alignment's own confidence in the data, the queue follows it, not the score."""
    from selenium.webdriver.common.by import By

    _, _, report, _ = docs
    html = report.read_text(encoding="utf-8")
    found = re.search(r'(<script type="application/json" id="report-details">)(.*?)(</script>)', html, re.S)
    columns = [json.loads(line) for line in found.group(2).split("\n") if line]
    certainty = json.loads(re.search(r'id="report-data">(.*?)</script>', html, re.S).group(1))["certainty"]
    pairs = [p for c in columns for p in c["p"]]
    # a pair: [n, l, g, s, t, ns, nm, ls, lm, k, d] (yigai_cli.formats.report.Page); k = [value, level]
    for k, pair in enumerate(sorted(pairs, key=lambda p: -p[3])):  # the surest by score made the least sure
        pair.extend([None] * (10 - len(pair)))
        pair[9] = [round(k / len(pairs), 3), certainty.index("unsure" if k > len(pairs) / 2 else "sure")]
    page = tmp_path / "confidence.html"
    text = "\n".join(json.dumps(c, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
                     .replace("&", "\\u0026") for c in columns)
    page.write_text(html[:found.start(2)] + "\n" + text + "\n" + html[found.end(2):], encoding="utf-8")
    _open(driver, page)
    driver.find_element(By.CSS_SELECTOR, "#queue summary").click()
    from selenium.webdriver.support.ui import WebDriverWait

    # the list is drawn on the details' toggle event, which comes after the click
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#to-review li[data-key]"))
    shown = json.loads(driver.execute_script(CONFIDENCE_SHOWN))
    assert shown == sorted(shown) and shown[0] == 0 and len(shown) > 10
    assert "sure" in driver.find_element(By.CSS_SELECTOR, "#to-review li[data-key]").text
    assert browser.errors(driver) == []


def test_one_comparison_is_reviewed_in_its_list_of_pairs(driver, docs):
    from selenium.webdriver.common.by import By

    tmp, planted, _, compared = docs
    one = tmp / "one.html"
    assert _run("report", NATIONAL, planted, "-o", one)[0] == 0
    _open(driver, one)
    driver.execute_script("localStorage.clear(); localStorage.setItem('yigai-reviewer', '王')")
    _open(driver, one)
    driver.find_element(By.ID, "expand").click()
    pair = compared["pairs"][-1]
    key = f'{pair["national"]}:{pair["local"]}'
    driver.find_element(By.CSS_SELECTOR, f'#print-list .pair[data-key="{key}"] button[data-verb="reject"]').click()
    assert browser.cell(driver, "0", pair["national"]).text.endswith("✎")
    block = driver.find_element(By.CSS_SELECTOR, f'#print-list .pair[data-key="{key}"]')
    assert "reject" in block.find_element(By.CSS_SELECTOR, ".decision").text
    assert browser.errors(driver) == []


def test_several_documents_reviewed_give_a_file_each(driver, docs, downloads):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _, planted, report, compared = docs
    _open(driver, report)
    driver.execute_script("localStorage.clear(); localStorage.setItem('yigai-reviewer', '王')")
    _open(driver, report)
    pair = compared["pairs"][0]
    _act(driver, browser.column_id(driver, "某县 2024 (planted.txt)"), pair["national"], pair["local"], "reject")
    city = browser.column_id(driver, "某市 2023 (city-2023-draft.txt)")
    browser.cell(driver, city, 3).click()
    first = driver.find_element(By.CSS_SELECTOR, "#panel .pair")
    first.find_element(By.CSS_SELECTOR, 'button[data-verb="confirm"]').click()
    for old in downloads.glob("*"):
        old.unlink()
    driver.find_element(By.ID, "download").click()
    links = driver.find_elements(By.CSS_SELECTOR, "#review-note a.decisions-file")
    assert [a.text for a in links] == ["decisions-某市.yaml", "decisions-某县.yaml"]
    for link in links:
        link.click()
    WebDriverWait(driver, 10).until(lambda d: len(list(downloads.glob("decisions-*.yaml"))) == 2
                                    and not list(downloads.glob("*.crdownload")))
    county = load_decisions(downloads / "decisions-某县.yaml")
    assert county.local == "某县" and [(d.action.value, d.national.index) for d in county.entries] == \
        [("reject", pair["national"])]
    status, out, err = _run("matrix", NATIONAL, SICHUAN, CITY, planted, "--format", "json",
                            "--decisions", downloads / "decisions-某市.yaml", "--decisions", downloads / "decisions-某县.yaml")
    assert status == 0 and "not applied" not in err
    marked = {c["label"]: [cell["national"] for cell in c["cells"] if "decision" in cell] for c in json.loads(out)["columns"]}
    assert marked == {"四川 2021 (sichuan-2021.txt)": [], "某市 2023 (city-2023-draft.txt)": [3],
                      "某县 2024 (planted.txt)": [pair["national"]]}
