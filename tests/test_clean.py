"""Each cleaning step on a before/after example taken from the sample documents."""

from __future__ import annotations

from yigai.clean import (
    clean,
    dedupe_repeat,
    normalize_width,
    strip_pinyin,
    strip_spam,
    strip_web_chrome,
    to_simplified,
)


def test_normalize_width():
    assert normalize_width("（一）２０２２年６月底前，ＤＲＧ") == "(一)2022年6月底前,DRG"
    assert normalize_width("国务院办公厅\u3000\u30002022") == "国务院办公厅  2022"


def test_to_simplified_baokang():
    before = "製定關於深化醫療聯合體建設和發展的實施方案。(縣衛計局負責,2017年10月底前完成)"
    after = "制定关于深化医疗联合体建设和发展的实施方案。(县卫计局负责,2017年10月底前完成)"
    assert to_simplified(before) == after


def test_to_simplified_leaves_simplified_text_alone():
    text = "推进医疗服务价格改革。各省份2022年6月底前印发建立医疗服务价格动态调整机制相关文件"
    assert to_simplified(text) == text


def test_strip_pinyin_baokang():
    assert strip_pinyin("保康縣深化醫藥衛生體(ti) 製改革") == "保康縣深化醫藥衛生體製改革"
    assert strip_pinyin("開發區管委會(hui) ,五道峽") == "開發區管委會,五道峽"
    assert strip_pinyin("黨(dang) 的十八大") == "黨的十八大"


def test_strip_pinyin_keeps_real_parentheses():
    text = "按疾病诊断相关分组(DRG)付费、办法(试行)、年度(2022)、建设成省级区域(X西)、附件(1)"
    assert strip_pinyin(text) == text


def test_strip_spam():
    assert strip_spam("製定開展高值18新利手机集中采購的實施方案") == "製定開展高值集中采購的實施方案"
    assert strip_spam("深化公1xbet体育立医院内部改革") == "深化公立医院内部改革"


def test_strip_spam_keeps_real_latin_terms():
    text = "DRG/DIP、DRGs付费,5G+医疗健康,京津冀“3+N”联盟,HPV疫苗,“互联网+”医疗,创新利用数据"
    assert strip_spam(text) == text


def test_strip_web_chrome_sichuan():
    before = "\n".join([
        "当前位置:政务公开 > 政策文件",
        "  • 索 引 号 : 008282882/2021-00544",
        "  • 四川省人民政府办公厅关于推进医药卫生体制改革2021年重点工作的通知",
        "扫一扫在手机打开当前页",
        "  • 图片解读:",
        "  • 微信",
        "    (一)大力推广三明医改经验。",
        "电信与信息服务业务经营许可证编号:京ICP证140722号",
    ])
    assert strip_web_chrome(before).split("\n") == [
        "四川省人民政府办公厅关于推进医药卫生体制改革2021年重点工作的通知",
        "(一)大力推广三明医改经验。",
    ]


def test_dedupe_repeat_keeps_first_copy():
    block = [
        "四川省人民政府办公厅",
        "关于推进医药卫生体制改革2021年重点工作的通知",
        "(一)大力推广三明医改经验。",
        "(二)推进药品耗材集中采购。",
    ]
    text = "\n".join(block + ["", "2021年8月11日", ""] + block + ["2021年8月11日"])
    assert dedupe_repeat(text).split("\n") == block + ["", "2021年8月11日", ""]


def test_dedupe_repeat_drops_a_line_printed_twice_in_a_row():
    title = "2023年某市委某市人民政府关于推进卫生健康高质量发展的实施方案征求意见稿"
    assert dedupe_repeat(f"{title}\n{title}\n一、主要目标") == f"{title}\n一、主要目标"


def test_dedupe_repeat_keeps_a_repeated_signature():
    text = "四川省人民政府办公厅\n关于推进的通知\n(一)甲。\n四川省人民政府办公厅\n2021年8月11日"
    assert dedupe_repeat(text) == text


def test_clean_runs_every_step():
    text = "　　•（一）製定開展高值18新利手机集中采購的實施方案。(縣衛計局負責)\n扫一扫在手机打开当前页"
    assert clean(text) == "(一)制定开展高值集中采购的实施方案。(县卫计局负责)"


def test_strip_web_chrome_drops_a_bracketed_editor_line_and_the_sites_owner():
    text = "推进医联体建设。\n【责任编辑:韩某】\n主办:某市人民政府办公室  承办:某市政务数据服务中心"
    assert strip_web_chrome(text) == "推进医联体建设。"
    # a bulletin's distribution lines (版记)
    assert strip_web_chrome("推进医联体建设。\n报:县委、县政府主要领导\n送:县医改领导小组各成员单位\n发:各乡镇人民政府") == (
        "推进医联体建设。")


def test_the_links_under_a_related_reading_heading_are_dropped_up_to_the_next_text():
    links = ["相关阅读:", "· 我省出台推进县域医共体高质量发展若干措施", "· 省医保局:第五批省级集采结果明年1月起落地执行"]
    # a blank line, a sentence, or a numbered task (an untitled list straight after the links) ends the links
    assert strip_web_chrome("\n".join([*links, "", "主体内容。"])) == "\n主体内容。"
    assert strip_web_chrome("\n".join([*links, "(一)推进医联体建设", "(二)深化医保支付方式改革"])) == (
        "(一)推进医联体建设\n(二)深化医保支付方式改革")


def test_strip_web_chrome_keeps_a_task_that_cites_a_web_address():
    task = "(一)推进医保信息平台建设,详见https://www.nhsa.gov.cn。"
    prose = "各地要落实ICP备案管理要求,版权所有单位负责审核。"
    footer = ["版权所有:国家医疗保障局 京ICP备18022874号-1", "https://www.nhsa.gov.cn",
              "网站标识码bm01000001 京公网安备11010502039662号"]
    assert strip_web_chrome("\n".join([task, prose, *footer])).split("\n") == [task, prose]


def test_a_one_line_task_list_with_a_web_address_is_read(cli, tmp_path):
    doc = tmp_path / "one.txt"
    doc.write_text("(一)推进医保信息平台建设,详见https://www.nhsa.gov.cn。\n", encoding="utf-8")
    items = cli("parse", doc, "--format", "json").json()["documents"][0]["items"]
    assert len(items) == 1 and "详见https://www.nhsa.gov.cn" in items[0]["text"]


def test_spam_is_stripped_as_the_pattern_strips_it_over_the_whole_text() -> None:
    """Only lines holding a brand are given to the spam pattern: the answer is the pattern's over the text."""
    import random

    from yigai.clean import _spam_pattern, normalize_width, strip_spam
    from yigai.resources import load_data

    spam = load_data("cleaning.yaml")["spam"]
    pieces = [*spam["brands"], *spam["latin_brands"], *(w.upper() for w in spam["latin_brands"]), *spam["suffixes"],
              "1xBET", "\u212a", "bet\u0130", "\u017f", "18", "7", "\n", "医保", "DRG", "半", "利", " ", "。"]
    rng = random.Random(5)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert strip_spam(text) == _spam_pattern().sub("", text), text
    assert strip_spam("高值18新利手机集中采购\n1XBET体育\n山东半岛") == "高值集中采购\n\n山东半岛"
    wide = "".join(chr(c) for c in range(0xFF01, 0xFF5F)) + "\u3000\xa0\u2002\u2003\u2009\ufeff\u200b医改（一）"
    from yigai.clean import _WIDTH

    for _ in range(500):
        text = "".join(rng.choice(wide + "abc\n") for _ in range(rng.randint(0, 20)))
        assert normalize_width(text) == text.translate(_WIDTH)


def test_chrome_lines_are_found_as_the_whole_alternation_finds_them():
    """The chrome patterns anchored at a line's start are tried there only; a line is chrome exactly where
    searching it for any of the patterns finds one."""
    import re

    from yigai.clean import _anchored, _is_chrome
    from yigai.resources import load_data

    from .conftest import SAMPLES

    patterns = load_data("cleaning.yaml")["chrome_lines"]
    every = re.compile("|".join(f"(?:{p})" for p in patterns))
    lines = [line.strip() for path in SAMPLES.glob("*.txt") for line in path.read_text(encoding="utf-8").split("\n")]
    lines += ["当前位置:首页", "扫一扫在手机打开当前页", "人气: 123", "2023-01-05 10:20", "微信 分享", "来源:新华社",
              "责任编辑:张三", "政策解读", "上一篇:关于…", "医保支付方式改革当前位置", "打印本页", "人气:x"]
    assert sum(map(_is_chrome, lines)) >= 10
    assert [_is_chrome(line) for line in lines] == [every.search(line) is not None for line in lines]
    assert _anchored("^(a|b)") and _anchored("^[|]x") and _anchored("^[]|]") and _anchored(r"^(\(|x)")
    assert not _anchored("^a|b") and not _anchored(r"^\|x|y") and not _anchored("a^")


def test_pinyin_is_stripped_as_the_pattern_strips_it_everywhere():
    """strip_pinyin skips texts that hold no "(" before a lower-case letter; on any text it answers as the
    pattern alone does."""
    import random

    from yigai.clean import _PINYIN, strip_pinyin

    rng = random.Random(7)
    pieces = ["體", "(", ")", "ti", "(ti)", "(hui3) ", "(Ti)", "(DRG)", "2", " ", "改革", "(试行)", "(zh", "ang", "1"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    assert sum(_PINYIN.search(t) is not None for t in texts) > 100
    assert [strip_pinyin(t) for t in texts] == [_PINYIN.sub("", t) for t in texts]


def test_bullets_are_looked_for_only_where_the_pattern_could_find_them() -> None:
    """strip_web_chrome tries the bullet pattern only on lines whose first character it could take: none is passed
    over that the pattern would strip (every character as the first)."""
    from yigai.clean import _BULLETS, _may_open_with_bullets, strip_web_chrome

    taken = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and _BULLETS.match(chr(c) + "推进")]
    assert "•" in taken and "\u3000" in taken and "-" in taken
    assert all(_may_open_with_bullets(c + "推进") for c in taken)
    assert not _may_open_with_bullets("推进") and not _may_open_with_bullets("")
    assert strip_web_chrome("\u2003• 推进医联体建设。\n推进医联体建设。") == "推进医联体建设。\n推进医联体建设。"
