"""Grades a reader would give: `full` when the local item's main task is the national task, `partial` when it
carries one measure of it; slogans that name the reform as a whole are no evidence for any one task."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigai.align import _head_instruments, _prepare, align
from yigai.documents import read_document
from yigai.errors import InputError
from yigai.vocab import load_vocabulary

from .conftest import NATIONAL

VOCABULARY = load_vocabulary()


def _local(tmp_path: Path, body: str):  # type: ignore[no-untyped-def]
    return _titled(tmp_path, "XX市2024年深化医药卫生体制改革重点工作任务", body)


def _titled(tmp_path: Path, title: str, body: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "local.txt"
    path.write_text(title + "\n" + body, encoding="utf-8")
    return read_document(str(path))


@pytest.mark.parametrize("slogan", ["三医协同发展和治理", "“三医”协同发展和治理", "医保、医疗、医药协同发展和治理",
                                    "深化医药卫生体制改革", "健康中国建设", "健康四川建设", "优质医疗资源扩容和区域均衡布局",
                                    "有序就医和诊疗新格局", "有序就医格局"])
def test_a_slogan_reads_as_a_clause_break(slogan: str) -> None:
    text = f"进一步促进{slogan},加强组织领导。"
    assert slogan not in VOCABULARY.without_slogans(text)
    assert VOCABULARY.without_slogans(text).endswith(",加强组织领导。")


@pytest.mark.parametrize("programme", ["健康中国行动", "健康乡村建设", "健康城市建设", "三明医改经验"])
def test_a_named_programme_is_no_slogan(programme: str) -> None:
    assert programme in VOCABULARY.without_slogans(f"深入推进{programme}。")


def test_a_slogan_shared_with_the_national_list_makes_no_pair(tmp_path: Path) -> None:
    national = read_document(NATIONAL)
    local = _local(tmp_path, "(一)全力促进医疗、医保、医药协同发展和治理。强化组织领导,深化医药卫生体制改革。\n"
                             "(二)推进健康XX建设。加强宣传引导,营造良好氛围。\n")
    assert align(national, local, VOCABULARY).pairs == ()


def test_the_main_task_is_the_titles_first_clauses(tmp_path: Path) -> None:
    local = _local(tmp_path, "(一)常态化开展药品耗材集中带量采购,深化医疗服务价格改革,推进DRG付费,落实两个允许。\n"
                             "(二)深入推进紧密型县域医共体建设。完善医保总额付费。\n")
    chained, single = (_head_instruments(_prepare(i, VOCABULARY.slogan_pattern), VOCABULARY) for i in local.items)
    # four tasks in a chain: the first leads, the others are measures among many
    assert chained == {"集中带量采购"}
    assert single == {"县域医共体"}


def test_a_chains_later_clauses_on_the_first_ones_topic_belong_to_the_main_task(tmp_path: Path) -> None:
    local = _local(tmp_path, "(一)推进国家区域医疗中心建设,扩容布局省级区域医疗中心,推行DRG付费,落实两个允许。\n"
                             "(二)推行DRG付费,推进国家区域医疗中心建设,扩容布局省级区域医疗中心,落实两个允许。\n")
    one_topic, led_by_another = (_head_instruments(_prepare(i, VOCABULARY.slogan_pattern), VOCABULARY)
                                 for i in local.items)
    # the national and the provincial centres are one task's parts; payment and pay are other tasks
    assert one_topic == {"国家医学中心", "区域医疗中心"}
    # led by payment, the centres are measures among many
    assert led_by_another == {"DRG"}


def _grades(tmp_path: Path, body: str) -> dict[tuple[int, int], str]:
    national = read_document(NATIONAL)
    return {(p.national, p.local): p.grade.value for p in align(national, _local(tmp_path, body), VOCABULARY).pairs}


OTHER_ITEMS = ("(三)加强疾病预防控制体系建设。完善传染病监测预警机制。\n"
               "(四)推进紧密型县域医共体建设。推动医共体内统一管理。\n"
               "(五)推动中医药传承创新发展。建设中医馆。\n")


def test_a_title_listing_tasks_of_many_topics_is_a_bundle_partial_for_each(tmp_path: Path) -> None:
    grades = _grades(tmp_path, "(一)常态化开展药品耗材集中带量采购,深化医疗服务价格改革,推进DRG付费改革,落实“两个允许”要求。\n"
                               "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n" + OTHER_ITEMS)
    assert grades.get((7, 1)) == "partial"  # 集采 is one of four tasks listed: no one of them is the item's task
    assert grades.get((8, 1)) in (None, "partial") and grades.get((9, 1)) in (None, "partial")
    assert grades.get((9, 2)) == "full"  # an item whose main task is 医保支付方式改革


def test_clauses_on_one_task_are_one_task(tmp_path: Path) -> None:
    grades = _grades(tmp_path, "(一)常态化开展药品耗材集中带量采购,扩大集采品种范围,落实集采医保资金结余留用政策。\n"
                               "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n" + OTHER_ITEMS)
    assert grades.get((7, 1)) == "full"


def test_a_slogan_listed_beside_two_tasks_makes_a_bundle_but_not_as_the_aim(tmp_path: Path) -> None:
    listed = _grades(tmp_path, "(一)强化“三医”协同,推进药品耗材集中带量采购,深化医疗服务价格改革。\n"
                               "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n" + OTHER_ITEMS)
    assert listed.get((7, 1)) in (None, "partial") and listed.get((8, 1)) in (None, "partial")
    framed = _grades(tmp_path, "(一)为促进“三医”协同发展和治理,推进药品耗材集中带量采购,深化医疗服务价格改革。\n"
                               "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n" + OTHER_ITEMS)
    assert "full" in (framed.get((7, 1)), framed.get((8, 1)))  # two co-equal tasks under a purpose clause


def test_a_measure_of_another_topic_in_the_national_body_is_partial(tmp_path: Path) -> None:
    # national 6 is 推广三明医改经验 and names 医改领导小组 in its body; national 17 is 政府投入 and names the funded
    # 公立医院改革与高质量发展示范项目, a programme of public-hospital reform (national 16)
    grades = _grades(tmp_path, "(一)健全医改领导体制。由党委和政府主要负责同志担任医改领导小组组长,"
                               "一位政府负责同志统一分管医疗、医保、医药工作。\n"
                               "(二)推进公立医院改革与高质量发展示范项目。完善示范项目评估,推动公立医院综合改革。\n"
                               + OTHER_ITEMS)
    assert grades.get((6, 1)) == "partial"
    assert grades.get((17, 2)) in (None, "partial")
    assert grades.get((16, 2)) == "full"


def test_a_topic_within_the_national_titles_topic_is_its_task(tmp_path: Path) -> None:
    # 医联体 are within 分级诊疗; national 3 (市县级医院, topic 分级诊疗) names 医共体 and 城市医疗集团 in its body
    grades = _grades(tmp_path, "(一)深入推进紧密型县域医共体建设。推动医共体内行政、人事、财务统一管理。\n"
                               "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n"
                               "(三)加强疾病预防控制体系建设。完善传染病监测预警机制。\n"
                               "(四)推动中医药传承创新发展。建设中医馆。\n")
    assert grades.get((3, 1)) == "full"


def _pairs_by_one_rule(tmp_path: Path, body: str, rule: str, level: float):  # type: ignore[no-untyped-def]
    """The pairs of a local list against the national one with every decision level out of reach but `rule`'s."""
    from yigai.align import Thresholds

    out_of_reach = {"full": 99.0, "full_mutual": 99.0, "pair": 99.0, "head_pair": 99.0, "bundle_pair": 99.0}
    local = _local(tmp_path, body + OTHER_ITEMS[:OTHER_ITEMS.index("(四)")])
    return align(read_document(NATIONAL), local, VOCABULARY, Thresholds(**{**out_of_reach, rule: level})).pairs


def test_an_instrument_that_is_the_local_main_task_carries_a_measure_at_a_lower_score(tmp_path: Path) -> None:
    # national 3 owns 社会办医, a measure of it beside its task (市县级医院: 医共体, 医疗集团). Local 1's main task is
    # it; local 2's is 中医药 and names it in a later sentence. With every other level out of reach, only the main-task
    # rule can make a pair, and only at its own level. (A local title on national 3's task itself, 紧密型县域医共体, is
    # full at that level: see the title rule below.)
    body = ("(一)促进社会办医持续规范发展。加强宣传引导,营造良好氛围。\n"
            "(二)推动中医药传承创新发展。促进社会办医持续规范发展。\n")
    low = _pairs_by_one_rule(tmp_path, body, "head_pair", -99.0)
    assert {(p.national, p.local, p.grade.value) for p in low if p.national == 3} == {(3, 1, "partial")}
    assert "社会办医" in next(p for p in low if (p.national, p.local) == (3, 1)).instruments
    assert not _pairs_by_one_rule(tmp_path, body, "head_pair", 99.0)


def test_a_task_a_listing_item_names_is_a_measure_of_the_national_item_whose_main_task_it_is(tmp_path: Path) -> None:
    # Local 1 lists four tasks in one sentence: each is a national item's main task (集采 7, price 8, payment 9,
    # pay 10). Local 2 is one task (中医药) and names 县域医共体, national 3's, in passing. With every other level out of
    # reach, only the listing rule can make a pair: one for each listed task, none for the single-task item.
    body = ("(一)推进药品耗材集中带量采购,深化医疗服务价格改革,推行DRG付费,深化薪酬制度改革。\n"
            "(二)推动中医药传承创新发展。推进紧密型县域医共体建设。\n")
    low = _pairs_by_one_rule(tmp_path, body, "bundle_pair", -99.0)
    assert {(p.national, p.local, p.grade.value) for p in low} == {(k, 1, "partial") for k in (7, 8, 9, 10)}
    assert not _pairs_by_one_rule(tmp_path, body, "bundle_pair", 99.0)


def test_a_slogan_headings_body_gives_its_task_where_one_topic_leads(tmp_path: Path) -> None:
    from yigai.align import _head_and_chain

    local = _local(tmp_path, "(一)促进优质医疗资源扩容提质。构建紧密型城市医疗集团,建设临床研究中心,推进省级区域医疗中心建设。"
                             "到2025年建成2个省级区域医疗中心。建设一批省级临床重点专科。\n"
                             "(二)促进优质医疗资源扩容提质。构建紧密型城市医疗集团,建设临床研究中心,推进省级区域医疗中心建设。\n")
    led, listed = (_head_and_chain(_prepare(i, VOCABULARY.slogan_pattern), VOCABULARY) for i in local.items)
    # the first sentence lists three tasks, the body names 区域医疗中心's in three sentences, the others in one
    assert led == ((local.items[0].title, frozenset({"区域医疗中心", "临床重点专科"})), False)
    # one sentence under the heading: nothing leads, a bundle
    assert listed[1] is True


def test_a_heading_over_sentences_on_many_tasks_is_a_bundle(tmp_path: Path) -> None:
    from yigai.align import _head_and_chain

    # each sentence is one task, and names no more than two topics: only the body as a whole lists many
    local = _local(tmp_path, "(一)全面加强重点领域改革。加快推进疾控体系改革。推进药品耗材集中带量采购。深化医保支付方式改革。\n"
                             "(二)全面加强重点领域改革。推进药品耗材集中带量采购。扩大集采品种范围。落实集采中选结果。\n"
                             "(三)深入推进紧密型县域医共体建设。完善医保总额付费,推进药品耗材集中带量采购,深化薪酬制度改革。\n")
    many, one, titled = (_head_and_chain(_prepare(i, VOCABULARY.slogan_pattern), VOCABULARY) for i in local.items)
    assert many[1] is True  # three tasks, none leading: a list of tasks, partial for each
    assert one == ((local.items[1].title, frozenset({"集中带量采购"})), False)  # one task in three sentences
    assert titled[1] is False  # a title that names its task is the main one, whatever its body lists
    grades = {(p.national, p.local): p.grade.value for p in align(read_document(NATIONAL), local, VOCABULARY).pairs}
    assert grades.get((7, 1)) in (None, "partial") and grades.get((12, 1)) in (None, "partial")
    assert grades.get((7, 2)) == "full"


def test_within_must_name_a_topic(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("topics:\n  - topic: 新题\n    within: 没有这个\n    instruments:\n      - name: 新工具\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_vocabulary([extra])
    assert "没有这个" in str(caught.value) and "no topic" in str(caught.value)
    extra.write_text("topics:\n  - topic: 新题\n    within: 分级诊疗\n    instruments:\n      - name: 新工具\n", encoding="utf-8")
    assert "新题" in load_vocabulary([extra]).family("分级诊疗")


def test_a_bad_slogan_pattern_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("topics: []\nslogans: ['(?:[一-龥]|[一-龥])*囧']\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_vocabulary([extra])
    assert "slogan 1" in str(caught.value)


# items that name their task by generic words only: no 医, 药, 卫生 … of their own
GENERIC_ITEMS = ("(一)制定编制备案制管理方案。(县编办负责)\n(二)统筹推进人才队伍和信息化建设。\n"
                 "(三)推进药品耗材集中带量采购。\n(四)深化医保支付方式改革。\n")


@pytest.mark.parametrize("title, read", [("XX县2024年深化医药卫生体制改革重点工作任务", True),
                                         ("XX市卫生健康委2024年工作要点", True),
                                         ("XX县2024年教育综合改革重点工作任务", False),
                                         ("", False)])
def test_a_generic_word_is_a_health_task_in_a_document_on_health(tmp_path: Path, title: str, read: bool) -> None:
    # the items' own words are the same in every document: only the title says whether it is on health
    body = GENERIC_ITEMS if title else "2024年重点工作任务\n" + GENERIC_ITEMS
    local = _titled(tmp_path, title, body)
    assert VOCABULARY.on_health(local.title) is read
    alignment = align(read_document(NATIONAL), local, VOCABULARY)
    staffing = {p.national for p in alignment.pairs if p.local == 1}
    # national 10 is 深化公立医院人事薪酬制度改革: 编制备案制 is its measure in a health plan, and no one's elsewhere
    assert (10 in staffing) is read
    # the specific items pair whatever the title
    assert {p.national for p in alignment.pairs if p.local == 3} >= {7}


def test_wording_alike_under_titles_on_other_tasks_is_no_pair(tmp_path: Path) -> None:
    # 深入实施健康扶贫工程 is worded like national 15's 深入实施健康中国行动 and names no instrument of it; the item
    # printing national 21's title whole is its counterpart by wording alone
    local = _local(tmp_path, "(一)深入实施健康扶贫工程。努力解决农村贫困人口因病致贫、因病返贫问题。\n"
                             "(二)协同推进相关领域改革。\n"
                             "(三)推进药品耗材集中带量采购。\n(四)深化医保支付方式改革。\n")
    pairs = align(read_document(NATIONAL), local, VOCABULARY).pairs
    assert not [p for p in pairs if p.local == 1]
    assert (21, 2) in {(p.national, p.local) for p in pairs}


def test_an_instrument_two_national_items_own_alike_is_no_evidence_by_itself(tmp_path: Path) -> None:
    from yigai.align import _contested, prepare

    # national 16 names 妇幼保健机构 once (绩效考核 of 公立医院、妇幼保健机构), and so does national 21, each beside as
    # much of its topic: both own it, and it tells neither apart
    reference = prepare(read_document(NATIONAL), VOCABULARY)
    assert "妇幼健康" in reference.contested
    local = _local(tmp_path, "(一)做实妇幼健康服务。全面落实母婴安全五项制度,加强妇幼健康服务体系建设。\n"
                             "(二)推进药品耗材集中带量采购。\n(三)深化医保支付方式改革。\n")
    assert not [p for p in align(read_document(NATIONAL), local, VOCABULARY).pairs if p.local == 1]
    # owned by a title, an instrument is that item's task, however many others name it
    assert _contested([frozenset({"甲", "乙"}), frozenset({"甲"}), frozenset({"乙"})],
                      [frozenset({"甲"}), frozenset(), frozenset()]) == {"乙"}


@pytest.mark.parametrize("text, instrument, setting", [
    ("在紧密型县域医共体实行医保基金打包付费", "县域医共体", True),
    ("县域医共体内实行统一用药目录", "县域医共体", True),
    ("推进紧密型县域医共体建设", "县域医共体", False),
    ("在推进紧密型县域医共体建设中", "县域医共体", False),  # what is pushed on is the 医共体 itself
    ("对紧密型县域医共体实行总额付费、结余留用", "县域医共体", True),  # the place a method is applied to
    ("加大对商业保险机构大病保险承办工作的监管力度", "商业健康保险", False),  # 对 names what is acted on, not where
    ("在县域医共体实行打包付费,推进县域医共体建设", "县域医共体", False),  # a setting once, the task once
])
def test_a_place_named_only_as_where_another_task_is_done_is_its_setting(text: str, instrument: str,
                                                                         setting: bool) -> None:
    from yigai.align import _framed, _setting

    mentions = VOCABULARY.mentions_of(text, "", True)
    assert instrument in {m.instrument for m in mentions}
    assert (instrument in _framed(text, mentions, _setting)) is setting


def test_a_place_that_is_only_the_setting_of_a_local_items_task_is_no_evidence_for_its_owner(tmp_path: Path) -> None:
    # national 3 owns 县域医共体; a payment item that pays a 医共体 as a whole is national 9's, not 3's
    framed = _grades(tmp_path, "(一)深化医保支付方式改革。推行DRG付费,在紧密型县域医共体实行医保基金打包付费。\n"
                               "(二)推进药品耗材集中带量采购。\n(三)加强疾病预防控制体系建设。\n")
    assert (9, 1) in framed and (3, 1) not in framed
    built = _grades(tmp_path, "(一)深化医保支付方式改革。推行DRG付费,推进紧密型县域医共体建设。\n"
                              "(二)推进药品耗材集中带量采购。\n(三)加强疾病预防控制体系建设。\n")
    assert built.get((3, 1)) == "partial"


@pytest.mark.parametrize("text, background, national, measure", [
    # a 医改领导小组's deputy head attending is an office, not the 医改领导体制 measure of national 6
    ("4月17日,全省深化医改工作推进会召开。副省长、省医改领导小组副组长某某出席会议并讲话。会议要求,要全面推开DRG/DIP支付方式改革。",
     "出席", 9, "DRG"),
    # 乙类乙管 names the 新冠 policy (national 14) as the year's background, not as a measure of this report
    ("会议指出,2023年是全面贯彻党的二十大精神的开局之年,也是新冠病毒感染实施“乙类乙管”后的第一年。"
     "会议要求,要全面推开DRG/DIP支付方式改革。要优化新冠病毒感染“乙类乙管”下的医疗服务和药品保障。", "开局之年", 14, "优化新冠"),
], ids=["who attended", "what the year is"])
def test_a_news_sentence_on_who_attended_or_what_the_year_is_is_no_evidence(
        tmp_path: Path, text: str, background: str, national: int, measure: str) -> None:
    news = _titled(tmp_path, "全省深化医药卫生体制改革工作推进会召开", text)
    pairs = {(p.national, p.local) for p in align(read_document(NATIONAL), news, VOCABULARY).pairs}
    assert not [p for p in pairs if p[1] == next(i.index for i in news.items if background in i.text)]
    assert (national, next(i.index for i in news.items if measure in i.text)) in pairs


def test_the_leadership_office_as_a_measure_is_evidence(tmp_path: Path) -> None:
    plan = _local(tmp_path, "(一)健全医改领导体制。由党委和政府主要负责同志担任医改领导小组组长。\n"
                            "(二)推进药品耗材集中带量采购。\n(三)深化医保支付方式改革。\n")
    assert (6, 1) in {(p.national, p.local) for p in align(read_document(NATIONAL), plan, VOCABULARY).pairs}


def test_an_item_that_states_the_plans_frame_gets_no_pair(tmp_path: Path) -> None:
    # 指导思想 names the reform's instruments as a whole; the same words in a task are a measure
    frame = ("坚持以人民健康为中心,以紧密型县域医共体建设为抓手,推进分级诊疗,"
             "推动医疗、医保、医药协同发展和治理。")
    plan = _local(tmp_path, f"一、总体要求\n(一)指导思想。{frame}\n(二)基本原则。坚持公益性,推进分级诊疗。\n"
                            f"二、重点任务\n(一)推进紧密型县域医共体建设。{frame}\n(二)推进药品耗材集中带量采购。\n")
    pairs = {(p.national, p.local) for p in align(read_document(NATIONAL), plan, VOCABULARY).pairs}
    assert not [p for p in pairs if p[1] in (1, 2)]
    assert (3, 3) in pairs and (7, 4) in pairs


PLAN_ON_ONE_REFORM = ("一、主要任务\n"
                      "(一)健全医共体管理体制。成立县医共体管理委员会,医共体设立理事会,实行理事会领导下的总院长负责制。\n"
                      "(二)推进财务统一管理。医共体设立财务管理中心,对成员单位实行统一核算。\n"
                      "(三)推进资产物资统一管理。医共体内设备统一调配,物资统一采购。\n"
                      "(四)实施医保基金打包付费。对医共体实行医保基金总额付费,结余留用、合理超支分担。\n"
                      "(五)推进医防融合。医共体牵头医院设立公共卫生科,推进慢性病医防融合管理。\n"
                      "(六)推动上下联动和双向转诊。医共体内畅通双向转诊通道。\n"
                      "(七)夯实工作基础。完善相关制度。医共体建立统一的信息平台,实现成员单位互联互通。\n"
                      "二、保障措施\n(一)加强组织领导。县政府成立医共体建设领导小组。\n")


def test_in_a_plan_on_one_reform_an_item_that_builds_a_part_of_it_is_its_full_counterpart(tmp_path: Path) -> None:
    # every item names 医共体, so no item's score stands out from the plan's own mean; what the title names is the
    # reform the plan builds (national 3's), and an item whose main task is that reform alone builds a part of it
    national = read_document(NATIONAL)
    plan = _titled(tmp_path, "某县紧密型县域医共体建设实施方案", PLAN_ON_ONE_REFORM)
    grades = {(p.national, p.local): p.grade.value for p in align(national, plan, VOCABULARY).pairs}
    # (the seventh names nothing in its title and next sentence, its body is on the reform)
    assert all(grades.get((3, b)) == "full" for b in (1, 2, 3, 7))
    # an item on another task in the plan (医保 payment, 医防融合) is that task's
    assert grades.get((3, 4)) != "full" and grades.get((3, 5)) != "full"
    # a support item names the reform as what it supports: no pair by it
    assert not [pair for pair in grades if pair[1] == 8]
    # the same items in a list on the reform as a whole are read by the other rules
    listed = _titled(tmp_path, "某县2023年深化医药卫生体制改革重点工作任务", PLAN_ON_ONE_REFORM)
    assert {(p.national, p.local): p.grade.value for p in align(national, listed, VOCABULARY).pairs} != grades


def test_only_a_plan_is_on_one_reform_not_a_headline_that_names_a_figure(tmp_path: Path) -> None:
    from yigai.align import _theme

    plan = _titled(tmp_path, "某县紧密型县域医共体建设实施方案", PLAN_ON_ONE_REFORM)
    news = _titled(tmp_path, "某市2023年深化医改工作综述:县域内就诊率达91.6% 群众看病就医更省心", PLAN_ON_ONE_REFORM)
    assert _theme(plan, VOCABULARY) == {"县域医共体"} and not _theme(news, VOCABULARY)


COUNTY_PLAN = Path(__file__).resolve().parent.parent / "bench" / "heldout" / "texts" / "county-2023-medical-community-plan.txt"


def test_in_a_plan_on_one_reform_another_task_named_in_passing_pairs_only_where_it_stands_out(tmp_path: Path) -> None:
    national = read_document(NATIONAL)
    plan = read_document(str(COUNTY_PLAN))
    scored = {(p.national, p.local): p for p in align(national, plan, VOCABULARY).pairs}
    # 政府投入 in the body of 健全医共体管理体制, 行业监管 in 强化部门协同: the setting of the plan's work
    assert (17, 3) not in scored and (11, 3) not in scored and (11, 17) not in scored
    # 集采中选药品 and 国家基本药物 under 统一药品耗材目录和配送 stand out as a full pair would: measures of those tasks
    assert (7, 8) in scored and (19, 8) in scored
    # the same items in a list on the reform as a whole are read by the other rules, and pair
    listed = _titled(tmp_path, "某县2023年深化医药卫生体制改革重点工作任务",
                     COUNTY_PLAN.read_text(encoding="utf-8").split("\n", 1)[1])
    assert {(17, 3), (11, 3), (11, 17)} <= {(p.national, p.local) for p in align(national, listed, VOCABULARY).pairs}


def test_a_local_title_whose_main_task_the_national_title_names_is_full_whatever_its_body_leans_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the body is on 城市医疗集团 and 医共体 (national 3's, and more of it than 5's), the title is national 5's task: a
    # reader grades 5 full
    body = ("(一)分级诊疗制度建设深入推进。组建紧密型城市医疗集团,推进紧密型县域医共体建设,城市医疗集团牵头医院带动"
            "社区卫生服务中心,县域医共体统一管理乡镇卫生院,畅通双向转诊通道。\n"
            "(二)推进药品耗材集中带量采购。\n(三)深化医保支付方式改革。\n(四)加强疾病预防控制体系建设。\n"
            "(五)推动中医药传承创新发展。\n(六)深化公立医院薪酬制度改革。\n"
            "(七)持续推进分级诊疗和优化就医秩序。落实基层首诊,完善双向转诊,优化就医秩序。\n")
    assert _grades(tmp_path, body).get((5, 1)) == "full"
    # it is the title that decides: read by the other rules alone, the pair is a measure of 5
    import yigai.align

    # national 4's task holds the topics within its title's (家庭医生签约 within the 基层 services)
    signing = ("(一)做实家庭医生签约服务。组建家庭医生团队,重点人群签约率达到75%。推进医共体内慢病一体化管理。\n"
               "(二)提升基层医疗卫生服务水平。推进乡镇卫生院和村卫生室标准化建设,实施基本公共卫生服务项目,"
               "落实乡村医生待遇,推进家庭医生签约服务。\n"
               "(三)推进药品耗材集中带量采购。\n(四)深化医保支付方式改革。\n(五)加强疾病预防控制体系建设。\n")
    assert _grades(tmp_path, signing).get((4, 1)) == "full"
    monkeypatch.setattr(yigai.align, "_titled_alike", lambda *_: False)
    assert _grades(tmp_path, body).get((5, 1)) == "partial"
    assert _grades(tmp_path, signing).get((4, 1)) == "partial"
