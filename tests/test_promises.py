"""What items promise: targets with their subject, deadlines as dates, departments by function."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import BAOKANG, CITY, NATIONAL_PAGE, ROUNDUP
from yigai.documents import read_documents
from yigai.promises import deadline_of, deadlines_in, load_departments, plain_years, targets_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_national_and_guangxi_procurement_targets_keep_their_subject():
    national, guangxi = read_documents(NATIONAL_PAGE)
    (n,) = national.item(7).targets
    assert n.subject == "每个省份国家和地方采购药品通用名数合计"
    assert (n.comparator, n.value, n.unit, n.bound) == ("超过", 350, "个", "at_least")
    local = {t.subject: t for t in guangxi.item(14).targets}
    assert local["全区集采药品数"].value == 500 and local["全区集采药品数"].due == 2023
    assert local["集采医用耗材种类"].unit == "类"


def test_a_number_that_counts_what_follows_takes_that_as_subject():
    national = read_documents(NATIONAL_PAGE)[0]
    first, second = national.item(9).targets
    assert first.text == "40%以上" and first.subject.startswith("统筹地区开展") and "DRG" in first.subject
    assert second.comparator == "达到" and second.subject.endswith("住院医保基金支出的比例")


def test_city_target_due_year_and_comparator():
    city = read_documents(CITY)[0]
    (target,) = city.item(7).targets
    assert (target.subject, target.comparator, target.value, target.due) == ("县域住院率", "达", 85, 2025)


def test_ceiling_baseline_and_listed_figures():
    ceiling = targets_of("全县公立医院医疗费用平均增长幅度控制在10%以下。")
    assert [(t.bound, t.value) for t in ceiling] == [("at_most", 10)]
    raised = targets_of("城乡居民医保财政补助由每人每年420元提高到450元。")
    assert [(t.subject, t.value) for t in raised] == [("城乡居民医保财政补助", 450)]  # 420 is where it starts
    listed = targets_of("市域内、县域内住院率稳定在95%、85%左右。")
    assert [t.subject for t in listed] == ["市域内、县域内住院率"] * 2


def test_full_coverage_is_a_target_only_at_the_end_of_a_clause():
    (target,) = targets_of("2024年9月底前实现DRG/DIP付费统筹地区全覆盖。")
    assert (target.subject, target.value, target.unit, target.due) == ("DRG/DIP付费统筹地区", 100, "%", 2024)
    assert targets_of("对集采中选品种实施全覆盖检查和抽检。") == ()


@pytest.mark.parametrize(("printed", "year", "date"), [
    ("县人社局负责,2017年9月底前完成", None, "2017-09-30"),
    ("2017年底以前完成", None, "2017-12-31"),
    ("2017年年底前覆盖", None, "2017-12-31"),
    ("年底前将医疗服务价格调出成本监审目录", 2022, "2022-12-31"),
    ("年内开展1次调价评估", 2022, "2022-12-31"),
    ("10月底前完成", 2017, "2017-10-31"),
    ("2024年上半年完成", None, "2024-06-30"),
    ("到2025年县域住院率达85%", 2023, "2025-12-31"),
    ("力争到2023年底,全区集采药品数超过500个", None, "2023-12-31"),
    ("2022年6月中旬前印发", None, "2022-06-20"),
    ("2024年6月30日前完成", None, "2024-06-30"),
    ("到2025年3月31日,实现全覆盖", None, "2025-03-31"),
    ("11月15日前报送", 2024, "2024-11-15"),
])
def test_deadlines_in_every_printed_form(printed, year, date):
    deadline = deadline_of(None, printed)
    assert deadline is not None and deadline.text in printed
    assert deadline.date(year) == date


@pytest.mark.parametrize("text", ["持续推进分级诊疗", "比2020年提高5个百分点", "2022年5月印发实施", "守牢底线", "县域内就诊",
                                  "于2024年3月5日印发", "2024年3月5日", "2月30日前"])
def test_no_deadline(text):
    assert deadlines_in(text) == []


def test_relative_deadline_has_no_date_without_a_document_year():
    deadline = deadline_of(None, "年底前完成")
    assert deadline is not None and deadline.year is None and deadline.date() is None


def test_plain_years_skip_deadlines():
    assert plain_years("2024年,北京市将深化三医联动") == [2024]
    assert plain_years("到2025年县域住院率达85%") == []
    assert plain_years("力争到2023年底,全区集采药品数超过500个") == []


@pytest.mark.parametrize(("name", "year", "function"), [
    ("国家医保局", 2022, "medical-insurance"),
    ("自治区医疗保障局", 2023, "medical-insurance"),
    ("县医保局", 2024, "medical-insurance"),
    ("县人社局", 2017, "medical-insurance"),
    ("县人社局", 2017, "human-resources"),
    ("国家卫生健康委", 2022, "health"),
    ("省卫生健康委", 2021, "health"),
    ("县卫计局", 2017, "health"),
    ("财政厅", 2023, "finance"),
])
def test_departments_map_to_functions_across_levels_and_years(name, year, function):
    assert function in load_departments().functions_of(name, year)


def test_names_out_of_use_lose_their_old_function():
    departments = load_departments()
    assert "medical-insurance" not in departments.functions_of("县人社局", 2023)
    assert departments.functions_of("县保险协会", 2017) == ()


def test_every_lead_of_the_samples_with_a_known_function():
    departments = load_departments()
    leads = [(d, i.departments[0]) for path in (NATIONAL_PAGE, BAOKANG) for d in read_documents(path)
             for i in d.items if i.departments]
    unknown = [name for d, name in leads if not departments.functions_of(name, d.year)]
    assert unknown == []


def test_a_list_numbered_only_with_sections_has_them_as_items():
    (document,) = read_documents(FIXTURES / "sections-only-2024.txt")
    assert [i.label for i in document.items] == ["一、", "二、", "三、", "四、"]
    assert document.item(2).title == "常态化开展药品和医用耗材集中带量采购"
    assert document.item(3).departments == ("省医保局", "省卫生健康委")
    assert document.year == 2024  # 到2025年 in item 4 is a target's year, not the document's


def test_sections_printed_as_headings_with_paragraphs_beneath():
    (document,) = read_documents(FIXTURES / "sections-only-headings.txt")
    assert [(i.label, i.title) for i in document.items] == [
        ("一、", "推进紧密型县域医共体建设"), ("二、", "开展药品集中带量采购"), ("三、", "深化医保支付方式改革")]
    assert "健全医共体内双向转诊机制" in document.item(1).text
    assert "各乡镇" not in document.item(3).text  # the closing line is not the last item's
    assert document.item(3).due is not None and document.item(3).due.date(document.year) == "2024-09-30"


def test_roundup_paragraphs_without_a_year_take_the_roundups():
    years = {d.jurisdiction: d.year for d in read_documents(ROUNDUP)}
    assert years["天津市"] == 2024 and years["云南省"] == 2024 and years["广东省"] == 2024
    assert set(years.values()) == {2024}


def test_extraction_is_linear_on_long_digit_runs():
    text = "超过" + "9" * 200_000 + "。" + "2024年" * 20_000
    started = time.perf_counter()
    targets_of(text)
    deadlines_in(text)
    plain_years(text)
    assert time.perf_counter() - started < 5.0


# Text drawn from how targets and deadlines are printed: digits, units, comparators, years, stops.
_ALPHABET = "0123456789.%个家人元万亿超过达到以上以下不少于控制在全覆盖年月底前内到力争由提高的,。、;县域住院率"
_PROMISE_TEXT = st.text(alphabet=_ALPHABET, max_size=200)


@settings(max_examples=300, deadline=None)
@given(_PROMISE_TEXT)
def test_targets_are_printed_in_the_text(text):
    for target in targets_of(text):
        assert target.text in text and target.value >= 0 and target.bound in {"at_least", "at_most", "about"}
        assert set(target.subject) <= set(text)  # as printed (覆盖全国95%的区县 joins what is around the figure)


@settings(max_examples=300, deadline=None)
@given(_PROMISE_TEXT)
def test_deadlines_are_printed_and_read_as_real_dates(text):
    import datetime

    for deadline in deadlines_in(text):
        assert deadline.text in text
        datetime.date.fromisoformat(deadline.date(2024) or "")  # a real calendar date


def test_a_subject_that_names_who_acts_keeps_it():
    (target,) = targets_of("由政府主导的家庭医生签约覆盖率达到80%。")
    assert target.subject == "由政府主导的家庭医生签约覆盖率"
