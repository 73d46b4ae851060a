"""Splitting files into documents and documents into items, on the real samples."""

from __future__ import annotations

import pytest

from yigai.documents import read_documents
from yigai.segment import departments_of, targets_of

from .conftest import BAOKANG, CITY, NATIONAL_PAGE, ROUNDUP, SICHUAN


@pytest.mark.parametrize(
    "path, selector, count",
    [(NATIONAL_PAGE, 1, 21), (NATIONAL_PAGE, 2, 20), (SICHUAN, 1, 19), (CITY, 1, 25), (BAOKANG, 1, 60)],
)
def test_item_counts(path, selector, count):
    documents = read_documents(path)
    document = documents[selector - 1]
    assert len(document.items) == count
    assert [item.index for item in document.items] == list(range(1, count + 1))


def test_numbered_labels_match_indexes():
    national = read_documents(NATIONAL_PAGE)[0]
    assert national.item(1).label == "(一)" and national.item(21).label == "(二十一)"
    baokang = read_documents(BAOKANG)[0]
    assert baokang.item(60).label == "60." and baokang.item(60).title == "加强医改督查评估"


def test_sichuan_page_printed_twice_counts_once():
    assert len(read_documents(SICHUAN)) == 1


def test_national_page_holds_two_documents_with_metadata():
    national, guangxi = read_documents(NATIONAL_PAGE)
    assert (national.jurisdiction, national.level, national.year) == ("全国", "national", 2022)
    assert national.doc_number == "国办发〔2022〕14号"
    assert national.date == "2022-05-04" and national.issuer == ("国务院办公厅",)
    assert national.title == "国务院办公厅关于印发深化医药卫生体制改革2022年重点工作任务的通知"
    assert (guangxi.jurisdiction, guangxi.level, guangxi.year) == ("广西壮族自治区", "provincial", 2023)
    assert guangxi.doc_number is None  # 国卫体改发〔2023〕23号 is only cited in its preamble
    assert len(guangxi.issuer) == 6


def test_local_metadata():
    sichuan = read_documents(SICHUAN)[0]
    assert (sichuan.jurisdiction, sichuan.level, sichuan.year, sichuan.doc_number) == (
        "四川省", "provincial", 2021, "川办函〔2021〕56号")
    baokang = read_documents(BAOKANG)[0]
    assert (baokang.jurisdiction, baokang.level, baokang.year) == ("保康县", "county", 2017)
    city = read_documents(CITY)[0]
    assert (city.jurisdiction, city.level, city.year) == ("某市", "municipal", 2023)


def test_sections_are_headings_not_items():
    national = read_documents(NATIONAL_PAGE)[0]
    assert national.item(1).section == "一、加快构建有序的就医和诊疗新格局"
    assert national.item(6).section == "二、深入推广三明医改经验"
    assert all(not item.title.startswith(("一、", "二、")) for item in national.items)


def test_item_fields_national():
    national = read_documents(NATIONAL_PAGE)[0]
    item = national.item(7)
    assert item.title == "开展药品耗材集中带量采购工作"
    assert item.departments[:2] == ("国家医保局", "财政部")
    assert [(t.text, t.value, t.unit) for t in item.targets] == [("超过350个", 350, "个")]
    assert national.item(8).deadline == "2022年6月底前"
    assert "40%以上" in [t.text for t in national.item(9).targets]
    assert [(t.value, t.unit) for t in national.item(21).targets[:1]] == [(35000, "人")]
    assert "按职责分工负责" not in national.item(7).measures


def test_county_items_carry_department_and_deadline():
    baokang = read_documents(BAOKANG)[0]
    item = baokang.item(8)
    assert item.departments == ("县人社局",)
    assert item.deadline == "2017年9月底前"
    assert baokang.item(20).departments == ("县卫计局", "县人社局", "县发改局")


def test_roundup_splits_by_jurisdiction():
    documents = read_documents(ROUNDUP)
    names = [d.jurisdiction for d in documents]
    assert len(documents) >= 30 and len(set(names)) == len(names)
    assert "新疆维吾尔自治区" in names and "新疆尔自治区" not in names
    assert names[0] == "北京市" and names[-1] == "新疆生产建设兵团"
    assert all(d.items for d in documents)
    beijing = documents[0]
    assert [i.label for i in beijing.items if i.label] == ["一是", "二是", "三是", "四是"]
    assert all(d.year == 2024 for d in documents if d.jurisdiction == "北京市")


def test_departments_of():
    assert departments_of("国家医保局、财政部、国家卫生健康委等按职责分工负责") == ("国家医保局", "财政部", "国家卫生健康委")
    assert departments_of("县人社局负责,2017年9月底前完成") == ("县人社局",)
    assert departments_of("县卫计局、县人社局负责,排在第一位的部门为牵头部门") == ("县卫计局", "县人社局")


def test_targets_of():
    text = "超过350个,40%以上的统筹地区,培训3.5万人,覆盖全国95%的区县,2—3个设区的市,2022年6月底前"
    found = {t.text: (t.value, t.unit) for t in targets_of(text)}
    assert found == {"超过350个": (350, "个"), "40%以上的统筹地区": (40, "%"), "3.5万人": (35000, "人"), "95%的区县": (95, "%")}


def test_numbering_restarting_in_each_section_is_one_document(tmp_path):
    path = tmp_path / "sections.txt"
    path.write_text("某省深化医改2024年重点工作任务\n一、公立医院改革\n(一)推进公立医院高质量发展。\n(二)深化薪酬制度改革。\n"
                    "二、医保改革\n(一)推进医保支付方式改革。\n(二)完善多层次医疗保障。\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert [(i.index, i.label) for i in document.items] == [(1, "(一)"), (2, "(二)"), (3, "(一)"), (4, "(二)")]
    assert document.item(3).section == "二、医保改革"


@pytest.mark.parametrize("order", ["national first", "county first"])
def test_page_with_documents_numbered_in_different_styles(tmp_path, order):
    page = NATIONAL_PAGE.read_text(encoding="utf-8")
    national = page[: page.index("\n通知丨广西")]  # the national notice alone
    county = BAOKANG.read_text(encoding="utf-8")
    path = tmp_path / "mixed.txt"
    path.write_text(national + "\n" + county if order == "national first" else county + "\n" + national, encoding="utf-8")
    documents = read_documents(path)
    counts = {d.jurisdiction: len(d.items) for d in documents}
    assert counts == {"全国": 21, "保康县": 60}


def test_sub_points_stay_with_their_item(tmp_path):
    path = tmp_path / "sub.txt"
    path.write_text("某县2024年医改重点任务\n(一)推进医保支付方式改革。(县医保局负责)\n1.开展DRG付费。\n2.推进按床日付费。\n"
                    "(二)加强综合监管。(县卫健局负责)\n以上任务只列牵头部门。\n(三)推动中医药发展。\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert [i.label for i in document.items] == ["(一)", "(二)", "(三)"]
    assert document.item(1).text.split("\n")[1:] == ["1.开展DRG付费。", "2.推进按床日付费。"]
    assert "以上任务" not in document.item(2).text


def _the_document(tmp_path, text: str):  # type: ignore[no-untyped-def]
    """The one document a text file holding `text` reads to."""
    path = tmp_path / "document.txt"
    path.write_text(text, encoding="utf-8")
    (document,) = read_documents(path)
    return document


SUMMARY = ("某区卫生健康局2023年工作总结和2024年工作计划\n一、2023年工作开展情况\n"
           "(一)医改重点任务稳步推进。一是深化医联体建设;二是推进薪酬制度改革。\n"
           "(二)公共卫生体系不断健全。疾控中心完成机构改革。\n"
           "二、存在的问题\n基层人才仍然短缺,一是招不来,二是留不住。\n"
           "三、2024年工作计划\n1.推动城市医疗集团网格化建设。\n2.提升家庭医生签约服务质量。\n"
           "各科室要抓好落实。\n")


def test_a_later_list_in_another_style_under_its_own_heading_is_the_document_s_too(tmp_path):
    # a work summary numbers a year's results (一), (二) … and the next year's tasks 1., 2. …
    document = _the_document(tmp_path, SUMMARY)
    assert [(i.index, i.label) for i in document.items] == [(1, "(一)"), (2, "(二)"), (3, "1."), (4, "2.")]
    assert document.item(3).section == "三、2024年工作计划"
    assert document.item(3).title == "推动城市医疗集团网格化建设"
    # the problems between the two lists, and the closing line, are nobody's
    assert not any("人才" in i.text or "抓好落实" in i.text for i in document.items)
    assert "二、存在的问题" not in document.item(2).text


@pytest.mark.parametrize("trailer", [
    "以上任务请各单位抓好落实:\n1.按季度报送进展。\n2.年底前报送总结。\n",  # no heading of its own: a closing note
    "三、附件\n附件:1.任务分工表\n2.进度安排表\n",  # an annex's attachments
    "三、工作要求\n1.加强组织领导。\n",  # one numbered line is no list
])
def test_numbered_lines_after_the_items_that_are_no_list_of_tasks_stay_out(tmp_path, trailer):
    path = tmp_path / "plan.txt"
    path.write_text("某县2024年医改重点任务\n一、重点任务\n(一)推进医保支付方式改革。\n(二)加强综合监管。\n"
                    + trailer, encoding="utf-8")
    (document,) = read_documents(path)
    assert [i.label for i in document.items] == ["(一)", "(二)"]


def _pairwise_drop_repeats(parts):  # type: ignore[no-untyped-def]
    """A document printed twice counts once: the definition, comparing each with every earlier one."""
    kept, seen = [], []
    for part in parts:
        if part.style is None:
            kept.append(part)
            continue
        items = {line for line in part.lines if part.style.match(line)}
        if any(len(items & other) >= 0.8 * max(len(items), 1) for other in seen):
            continue
        seen.append(items)
        kept.append(part)
    return kept


def test_repeated_documents_are_dropped_as_the_pairwise_definition_says() -> None:
    import random

    from yigai.numbering import ITEM_STYLES
    from yigai.split import Part, _drop_repeats

    rng = random.Random(3)
    style = ITEM_STYLES[1]
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(0, 12)):
            lines = [f"{k}.任务{rng.randint(0, 9)}" for k in range(1, rng.randint(0, 8) + 1)] + ["附件"]
            parts.append(Part(tuple(lines), None if rng.random() < 0.1 else style))
        assert _drop_repeats(parts) == _pairwise_drop_repeats(parts)


def test_alignment_reads_no_promises_and_promises_read_later_are_the_items_own():
    """Promises are read when asked for: a matrix over thousands of documents never asks. Asked for later,
    they are what the item's own text says (not another item's)."""
    from yigai.align import align
    from yigai.vocab import load_vocabulary

    national, guangxi = read_documents(NATIONAL_PAGE)
    align(national, guangxi, load_vocabulary())
    assert not any("_promises" in item.__dict__ for item in guangxi.items)
    county = read_documents(BAOKANG)[0]
    with_deadline = [item for item in county.items if item.deadline]
    assert with_deadline and all(item.deadline in item.text for item in with_deadline)
    assert all(d in item.text for item in county.items for d in item.departments)
    assert all(t.text in item.text for item in county.items for t in item.targets)


NEWS = """保康县召开2024年深化医改工作推进会
会议要求，一是深化药品耗材集中带量采购，全面落实国家和省级集采结果。二是推进医疗服务价格动态调整。三是全面推开按疾病诊断相关分组付费改革，到2025年底实现全覆盖。
保康县卫生健康局
2024年3月5日
"""


def test_a_news_article_s_headline_and_signature_are_its_header_not_tasks(tmp_path):
    path = tmp_path / "news.txt"
    path.write_text(NEWS, encoding="utf-8")
    (document,) = read_documents(path)
    assert document.title == "保康县召开2024年深化医改工作推进会"
    assert (document.jurisdiction, document.level, document.year) == ("保康县", "county", 2024)
    assert document.date == "2024-03-05" and document.issuer == ("保康县卫生健康局",)
    assert [i.label for i in document.items] == ["一是", "二是", "三是"]
    assert document.items[0].title.startswith("深化药品耗材集中带量采购")


PRESS_PAGE = """岚山省人民政府门户网站
首页 | 政务公开 | 政务服务
【字号:大 中 小】【打印】【关闭】
岚山省深化医改交出年度“成绩单”
发布时间:2024-12-20 09:47
12月19日,省政府新闻办召开新闻发布会。省医保局局长介绍,全省推进DRG/DIP支付方式改革,实现统筹地区全覆盖。“我们还开展了医保基金专项整治,全年追回医保基金5.7亿元。”唐某表示。
“中医药简便验廉,是群众家门口的好帮手。”聂某说。
编辑:何某
相关阅读:
· 我省出台推进县域医共体高质量发展若干措施
· 省医保局:第五批省级集采结果明年1月起落地执行

主办单位:岚山省人民政府办公厅
"""


def test_a_news_page_s_masthead_links_and_quotes_are_read_as_a_reader_reads_them(tmp_path):
    """The site's name over the page is not the headline; the links to other pages under 相关阅读 are no tasks; a
    quote's closing mark and who said it stay with the quote."""
    document = _the_document(tmp_path, PRESS_PAGE)
    assert document.title == "岚山省深化医改交出年度“成绩单”"
    texts = [item.text for item in document.items]
    assert texts[-1] == "“中医药简便验廉,是群众家门口的好帮手。”聂某说。"
    assert "“我们还开展了医保基金专项整治,全年追回医保基金5.7亿元。”唐某表示。" in texts
    assert not any("若干措施" in t or "相关阅读" in t or t.startswith("”") for t in texts)


NEWSPAPER_PAGE = """某江日报　2024年12月30日　星期一　第6版　民生·健康
医改这一年:看病离家更近
一年来,我省持续深化紧密型县域医共体建设,组建医共体83个。"以前看个心脏,要坐一个多钟头的车去县城,现在在镇上就能看。"章某说。
(相关报道见第7版)
本版稿件由民生健康新闻部编发  某江日报社出版  今日12版
"""


def test_a_newspaper_pages_masthead_foot_and_straight_quotes_are_read_as_a_reader_reads_them(tmp_path):
    document = _the_document(tmp_path, NEWSPAPER_PAGE)
    assert document.title == "医改这一年:看病离家更近"
    texts = [item.text for item in document.items]
    assert texts[-1] == '"以前看个心脏,要坐一个多钟头的车去县城,现在在镇上就能看。"章某说。'
    assert not any("版" in t for t in texts)


def test_a_summary_tables_completion_column_joins_its_tasks_text(tmp_path):
    document = _the_document(tmp_path, "某区2023年深化医改重点任务完成情况\n序号\t任务内容\t牵头单位\t完成情况\n"
                                       "1\t推进紧密型医联体建设\t区卫健局\t已完成,组建紧密型医联体2个\n"
                                       "2\t深化DRG付费改革\t区医保局\t已完成,病组覆盖率93%\n")
    assert [i.title for i in document.items] == ["推进紧密型医联体建设", "深化DRG付费改革"]
    assert "组建紧密型医联体2个" in document.items[0].text and document.items[1].measures.startswith("已完成")


def test_a_meetings_requirements_one_by_one_are_its_items(tmp_path):
    # 一要…二要… as 一是…二是…; the 一要 inside 统一要求 starts nothing
    document = _the_document(tmp_path, "某区召开2024年深化医改工作推进会\n会议要求，各部门要按照统一要求抓好落实。"
                                       "一要深化紧密型医疗集团建设。完善集团内双向转诊机制。二要推进公立医院高质量发展。"
                                       "深化薪酬制度改革。\n")
    assert [i.label for i in document.items] == ["一要", "二要"]
    assert document.items[0].text.endswith("完善集团内双向转诊机制。")


def test_a_text_of_short_lines_only_is_still_read(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("推进紧密型县域医共体建设\n深化公立医院薪酬制度改革\n", encoding="utf-8")
    (document,) = read_documents(path)
    assert [i.text for i in document.items] == ["推进紧密型县域医共体建设", "深化公立医院薪酬制度改革"]


def test_reading_asks_each_line_about_each_numbering_style_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Splitting a file and segmenting its documents match a line against a numbering style at most once (they
    matched the same lines again at every step), and read what they read before."""
    from collections import Counter

    from yigai.clean import clean
    from yigai.load import load
    from yigai.numbering import Style
    from yigai.segment import segment
    from yigai.split import split

    from .conftest import SAMPLES

    original = Style.match
    paths = sorted(SAMPLES.glob("*.txt"))
    assert len(paths) >= 5
    for path in paths:
        text = clean(load(path).text)
        calls: Counter[tuple[str, str]] = Counter()

        def counted(self: Style, line: str, calls: Counter[tuple[str, str]] = calls):  # type: ignore[no-untyped-def]
            calls[self.name, line] += 1
            return original(self, line)

        monkeypatch.setattr(Style, "match", counted)
        documents = [segment(part, str(path), str(n)) for n, part in enumerate(split(text), start=1)]
        monkeypatch.undo()
        assert documents == read_documents(path)
        printed = Counter(line.strip() for line in text.split("\n"))
        assert calls and all(n <= printed[line] for (_, line), n in calls.items()), path.name


def test_parts_made_by_hand_are_matched_when_asked() -> None:
    """A Part built without the split's matches (tests, callers) segments as one the split made."""
    from yigai.segment import segment
    from yigai.split import Part, split

    text = "某县2023年重点工作任务\n1.推进医共体建设。\n(1)完善总额付费。\n2.深化集采。(县医保局负责)\n各地要抓好落实。"
    made = split(text)[0]
    assert made.matched is not None and made.matched.lines == made.lines
    by_hand = Part(made.lines, made.style)
    assert by_hand == made and by_hand.matched is None
    assert segment(by_hand, "x", "1") == segment(made, "x", "1")


def test_views_of_lines_match_as_each_style_matches_each_line() -> None:
    """numbering.Lines: whatever views are taken and asked in whatever order, each answers what the style says."""
    import random

    from yigai.numbering import ITEM_STYLES, SECTION_ITEMS, Lines

    rng = random.Random(2)
    pool = ["1.任务", "(一)任务", "(2)小项", "一、章节", "正文", "12.", "(十一)推进", "3、落实"]
    styles = [*ITEM_STYLES, SECTION_ITEMS]
    for _ in range(500):
        views = [Lines(rng.choice(pool) for _ in range(rng.randint(0, 15)))]
        for _ in range(6):
            view = rng.choice(views)
            start = rng.randint(0, len(view))
            views.append(view[start : rng.randint(start, len(view))])
            view, style = rng.choice(views), rng.choice(styles)
            assert view.matches(style) == [style.match(line) for line in view.lines]
            if len(view):
                at = rng.randrange(len(view))
                assert view.match(style, at) == style.match(view.lines[at])


@pytest.mark.parametrize("header, name, level", [
    ("楚南省医疗保障局关于印发《2023年全省医疗保障工作要点》的通知", "楚南省", "provincial"),  # a province not in the table
    ("某省深化医改2024年重点工作任务", "某省", "provincial"),
    ("宛丰市卫生健康委员会关于印发2023年全市卫生健康工作要点的通知", "宛丰市", "municipal"),
    ("栖凤区卫生健康局2023年工作总结和2024年工作计划", "栖凤区", "county"),
    ("各市州医疗保障局,省医疗保障事业管理局:", "", "unknown"),  # the addressees
    ("2023年度全市卫生健康工作要点", "", "unknown"),  # the whole of a city not named
    ("2023年全省卫生健康工作要点", "", "unknown"),
])
def test_the_issuer_is_read_from_a_bare_name_and_never_from_addressees_or_whole_of(header, name, level):
    from yigai.jurisdiction import identify

    found = identify([header])
    assert (found.name, found.level) == (name, level)


REVIEW = ("2024年深化医改进展\n一、推广三明医改经验\n(一)医疗服务价格改革稳妥推进。五个试点城市完成调价。\n"
          "(二)医保支付方式改革全面深化。DRG/DIP覆盖全部统筹地区。\n"
          "二、促进中医药传承创新发展\n中医药传承创新发展迈出新步伐。一是实施重大工程;二是建设中医医学中心。\n"
          "三、公立医院改革\n(一)薪酬制度改革稳步推进。落实两个允许。\n"
          "四、加强卫生健康人才队伍建设\n每千人口执业医师数达到3.5人。\n"
          "五、保障措施\n各地要加强组织领导。\n"
          "下一步,各地区各部门将持续深化医改。\n")


def test_a_section_with_prose_beneath_and_nothing_numbered_is_a_task_of_its_own(tmp_path):
    document = _the_document(tmp_path, REVIEW)
    assert [(i.index, i.label, i.title) for i in document.items] == [
        (1, "(一)", "医疗服务价格改革稳妥推进"), (2, "(二)", "医保支付方式改革全面深化"),
        (3, "二、", "促进中医药传承创新发展"), (4, "(一)", "薪酬制度改革稳步推进"),
        (5, "四、", "加强卫生健康人才队伍建设")]
    assert document.item(3).section == "二、促进中医药传承创新发展"
    assert "一是实施重大工程" in document.item(3).text
    assert document.item(4).section == "三、公立医院改革"
    # the frame's section (保障措施) and the closing paragraph are no task
    assert "组织领导" not in document.item(5).text and "下一步" not in document.item(5).text


def test_sections_before_the_first_item_and_the_problems_section_stay_frame(tmp_path):
    document = _the_document(tmp_path, "某县关于2023年深化医改工作情况的报告\n一、总体情况\n全县医改取得明显成效。\n"
                             "二、主要工作\n(一)推进医共体建设。六统一全面落实。\n(二)做实家庭医生签约服务。签约率达到45%。\n"
                             "三、存在的问题\n基层人才短缺。\n四、下一步工作打算\n(一)深化医共体改革。\n")
    assert [i.title for i in document.items] == ["推进医共体建设", "做实家庭医生签约服务", "深化医共体改革"]


def test_a_summary_s_paragraph_of_problems_is_no_task(tmp_path):
    document = _the_document(tmp_path, "某市2023年深化医改工作总结\n"
                             "聚焦三医协同,改革合力持续增强。一是完善领导体制;二是推进薪酬制度改革。\n"
                             "在看到成绩的同时,全市医改工作还存在一些短板和不足。一是改革系统集成不够;二是基层人才短缺。\n"
                             "2024年,重点抓好以下工作。一是深化医保支付方式改革;二是推进医共体建设。\n")
    assert [i.title.rstrip(";") for i in document.items] == ["完善领导体制", "推进薪酬制度改革", "深化医保支付方式改革",
                                                            "推进医共体建设"]


REPORT = ("某市卫生健康委2023年度绩效管理工作自查报告\n一、总体情况\n2023年完成市级绩效任务42项。\n二、主要做法和工作成效\n"
          "(一)强化责任担当,全面高效履职\n1.推动优质医疗资源扩容布局。一是推进新院区建设;二是争创省级区域医疗中心。\n"
          "2.深化公立医院综合改革。落实薪酬制度改革。\n3.推进紧密型城市医疗集团建设。组建城市医疗集团2个。\n"
          "(二)聚焦群众需求,提升服务水平\n4.做实家庭医生签约服务。重点人群签约率达到75%。\n"
          "5.深化疾病预防控制体系改革。完成市疾控中心机构改革。\n"
          "三、存在的问题和不足\n一是基层人才短缺;二是信息化水平不高。\n")


def test_a_report_s_tasks_grouped_under_headings_numbered_in_an_outer_style_are_its_items(tmp_path):
    # (一)强化责任担当,全面高效履职 is a heading over tasks numbered 1., 2. …, not a task holding them as sub-points
    document = _the_document(tmp_path, REPORT)
    assert [(i.index, i.label, i.title) for i in document.items] == [
        (1, "1.", "推动优质医疗资源扩容布局"), (2, "2.", "深化公立医院综合改革"), (3, "3.", "推进紧密型城市医疗集团建设"),
        (4, "4.", "做实家庭医生签约服务"), (5, "5.", "深化疾病预防控制体系改革")]
    assert document.item(3).section == "(一)强化责任担当,全面高效履职"
    assert document.item(4).section == "(二)聚焦群众需求,提升服务水平"
    assert "聚焦群众需求" not in document.item(3).text and "基层人才" not in document.item(5).text


@pytest.mark.parametrize("text", [
    # each (一) a task with a sentence of its own, its 1. 2. its measures
    "某县2024年医改重点任务\n(一)推进医保支付方式改革。全面推开DRG付费。\n1.开展DRG付费。\n2.推进按床日付费。\n"
    "(二)推动中医药发展。建设中医馆。\n1.建设中医馆。\n2.培养中医人才。\n",
    # title-only (一) lines, each one task (no comma between two phrases), over its measures: tasks, not groups
    "某县2024年医改重点任务\n(一)深化医保支付方式改革\n1.推进DRG付费。\n2.推进按病种付费。\n"
    "(二)推进药品耗材集中带量采购\n3.落实集采中选结果。\n4.落实结余留用。\n",
    # title-only (一) lines with a measure or so each: tasks, not groups
    "某县2024年医改重点任务\n(一)推进医保支付方式改革\n1.开展DRG付费。\n(二)推动中医药发展\n2.建设中医馆。\n"
    "(三)加强综合监管\n3.开展专项检查。\n",
])
def test_outer_lines_that_are_tasks_stay_the_items(tmp_path, text):
    document = _the_document(tmp_path, text)
    assert all(i.label.startswith("(") for i in document.items)


@pytest.mark.parametrize("kind", ["通报", "公示", "总结"])
def test_a_title_broken_over_lines_is_joined_up_to_the_addressees_not_into_them(tmp_path, kind: str) -> None:
    document = _the_document(tmp_path, f"某省深化医药卫生体制改革领导小组秘书处\n某医改秘〔2023〕5号\n关于2022年度全省深化医改\n"
                                       f"重点任务落实情况的{kind}\n各设区市深化医改领导小组,省医改领导小组各成员单位:\n"
                                       "一、主要成效\n(一)分级诊疗体系建设持续推进。全省组建紧密型县域医共体92个。\n"
                                       "(二)药品耗材集中带量采购常态化开展。累计落地集采药品390个。\n")
    assert document.title == f"关于2022年度全省深化医改重点任务落实情况的{kind}"


def test_a_title_is_not_joined_to_the_addressees_whatever_it_ends_with(tmp_path) -> None:
    document = _the_document(tmp_path, "某县人民医院关于调整住院部探视时间的告知\n广大患者及家属:\n"
                                       "一、探视时间。每日15:00-17:00。\n二、陪护管理。每位患者限留陪护1人。\n")
    assert document.title == "某县人民医院关于调整住院部探视时间的告知"


# A 医保局's 工作要点 whose sections number their points in two styles (each department wrote its own): the first two
# sections, and a last one; the tests put what they need between.
TWO_STYLES_HEAD = ("某市医疗保障局2024年工作要点\n一、持续推进全民参保\n1.深入实施全民参保计划。开展参保扩面。\n"
                   "2.优化参保缴费服务。推行线上缴费。\n二、深化医保支付方式改革\n"
                   "(一)全面落实DRG/DIP 2.0版分组方案。实现统筹区全覆盖。\n(二)完善支付方式配套机制。落实结余留用。\n")
TWO_STYLES_LAST = ("常态化开展集中带量采购\n1.落实国家和省级集采任务。按时完成约定采购量。\n"
                   "2.落实集采结余留用政策。及时拨付结余留用资金。\n")


def test_sections_that_number_their_points_in_different_styles_are_all_read(tmp_path) -> None:
    # 一、 and 三、 number 1., 2.; 二、 numbers (一), (二)
    document = _the_document(tmp_path, TWO_STYLES_HEAD + "三、" + TWO_STYLES_LAST)
    assert [item.title for item in document.items] == [
        "深入实施全民参保计划", "优化参保缴费服务", "全面落实DRG/DIP 2.0版分组方案", "完善支付方式配套机制",
        "落实国家和省级集采任务", "落实集采结余留用政策"]
    assert [item.index for item in document.items] == [1, 2, 3, 4, 5, 6]
    assert document.items[0].section.startswith("一、") and document.items[2].section.startswith("二、")


def test_a_summarys_title_is_found_below_its_issuers_line(tmp_path) -> None:
    document = _the_document(tmp_path, "某县深化医药卫生体制改革领导小组办公室\n某县2023年深化医改工作总结及2024年工作计划\n"
                                       "一、2023年工作开展情况\n(一)紧密型县域医共体建设持续深化。组建医共体2个。\n"
                                       "(二)药品耗材集中带量采购落地见效。落地集采药品390个。\n")
    assert document.title == "某县2023年深化医改工作总结及2024年工作计划"


def test_sections_in_another_style_keep_every_item_of_the_document_in_order(tmp_path) -> None:
    # a section that is an item of its own (prose beneath, nothing numbered) after the others is kept, in its place
    prose = "三、加强医保基金监管\n全面开展医保基金使用常态化监管,推进智能监控全覆盖。\n"
    document = _the_document(tmp_path, TWO_STYLES_HEAD + prose + "四、" + TWO_STYLES_LAST)
    assert [item.label for item in document.items] == ["1.", "2.", "(一)", "(二)", "三、", "1.", "2."]
    assert [item.index for item in document.items] == list(range(1, 8))
