"""Vocabulary senses and instrument ownership: an alias counts only in its sense, an item only for its own task."""

from __future__ import annotations

import pytest

from yigai.errors import InputError
from yigai.vocab import load_vocabulary

from .conftest import NATIONAL


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


@pytest.mark.parametrize("text, present, absent", [
    ("提高重大疫情监测预警、流调溯源能力。", "监测预警", None),
    # bare 中医 naming a hospital among others, or one kind of service in a list, is no 中医药 measure
    ("以县人民医院、县中医院为牵头单位组建医共体。", "县域医共体", "中医药"),
    ("重点提高护理、手术、中医等体现技术劳务价值的医疗服务价格。", None, "中医药"),
    ("扩大中医优势病种按病种付费范围。", "中医药", None),
    ("加强县中医医院中医特色专科建设。", "中医药", None),
    # 直接结算 of the 医保 fund with drug makers is 集采's payment, not settlement across places
    ("扩大医保基金与医药企业直接结算范围。", None, "异地就医"),
    ("推进住院费用跨省直接结算。", "异地就医", None),
    # the diseases in a 医保 sentence are what insurance pays for, not prevention
    ("实现高血压、糖尿病等门诊慢特病相关治疗费用跨省直接结算。", "门诊共济", "慢性病防治"),
    ("推进高血压、糖尿病患者规范管理。", "慢性病防治", None),
    # ... and in a 家庭医生签约 or 基本公卫 sentence they name the programme's 重点人群
    ("优先为高血压、糖尿病患者提供家庭医生签约服务。", "家庭医生签约", "慢性病防治"),
    # a township hospital is 基层's task where it is built or staffed, elsewhere the place of another task
    ("推进乡镇卫生院标准化建设。", "乡村医疗卫生", None),
    ("实现乡镇卫生院保障基本医疗服务改革全覆盖。", "乡村医疗卫生", None),
    ("提高乡镇卫生院基本药物配备使用比例。", None, "乡村医疗卫生"),
    # 县域内就诊率 is a 医共体's assessment figure in a sentence on one, else 分级诊疗's
    ("完善医共体绩效评价,重点考核县域内就诊率。", "县域医共体", "分级诊疗"),
    ("力争县域内就诊率达到90%。", "分级诊疗", None),
    # the 医改领导小组's office is who is reported to, not the leadership arrangement
    ("将整改方案报送省医改领导小组秘书处。", None, "医改领导体制"),
    ("由县长担任医改领导小组组长。", "医改领导体制", None),
    ("建立医疗卫生机构和医务人员信用档案,实施失信联合惩戒。", "综合监管", None),
    ("健全短缺药品监测预警和分级应对机制。", None, "监测预警"),
    ("落实集中带量采购医保资金结余留用政策。", "结余留用", "总额付费"),
    ("推进紧密型县域医共体总额付费,结余留用、合理超支分担。", "总额付费", "结余留用"),
    ("开展国家区域医疗中心建设项目。", "国家医学中心", "区域医疗中心"),
    ("建设一批省级区域医疗中心。", "区域医疗中心", "国家医学中心"),
    ("推广长期处方服务并完善相关医保支付政策。", None, "医保支付方式改革"),
    ("加强重大疫情防控救治体系建设。", "监测预警", "疫情防控"),
    ("做好新冠重大疫情防控。", "疫情防控", "监测预警"),
    ("实施公立医院改革与高质量发展示范项目。", "公立医院改革与高质量发展示范项目", "公立医院高质量发展"),
    ("发挥高水平公立医院高质量发展示范引领作用。", "公立医院高质量发展", "公立医院改革与高质量发展示范项目"),
    ("实施一流学科培优行动,动态调整学科专业设置。", None, "医疗服务价格动态调整"),
    ("建立医疗服务价格动态调整机制。", "医疗服务价格动态调整", None),
    ("围绕茶叶、中药材等主导产业新建种植基地。", None, "中医药"),
    ("深化医保支付方式改革,推行按病种付费。", "医保支付方式改革", None),
    # private providers are 社会办医's task, except where they take part in another one
    ("支持社会办医疗机构牵头组建医联体,促进社会办医持续健康规范发展。", "社会办医", None),
    ("医保定点社会办医疗机构可自愿参加集采,执行同等中选价格。", "集中带量采购", "社会办医"),
    ("鼓励社会办医疗机构医生参与家庭医生签约服务。", "家庭医生签约", "社会办医"),
    # the purchase's promised quantity is 集采's own term (国办发〔2021〕2号)
    ("以上年度实际使用量为基础,科学确定约定采购量比例。", "集中带量采购", None),
    # the village doctor (村医) printed inside 乡村医疗卫生机构 is no word of the sentence around that name
    ("合理提高医保基金对乡村医疗卫生机构的总额控制指标。", "总额付费", "乡村医疗卫生"),
    ("推进乡村医疗卫生机构标准化建设。", "乡村医疗卫生", None),
    # an indicator the pay reform moves, reported as a result, is no measure of it
    ("全省三级公立医院人员支出占业务支出比例提高到41.7%。", None, "薪酬制度改革"),
    ("合理确定公立医院薪酬水平,落实“两个允许”要求。", "薪酬制度改革", None),
    # the hospitals' old debts are the government's to resolve; their own debt risk is the hospital reform's
    ("按规定稳妥化解公立医院长期债务。", "政府投入", "公立医院综合改革"),
    ("加强公立医院负债风险防控。", "公立医院综合改革", "政府投入"),
    ("稳妥化解地方政府债务风险。", None, "公立医院综合改革"),
    # the fund's use is the fraud rules' object only where it is overseen
    ("建立医疗集团医保基金使用监测考核机制,提高医保基金使用效率。", None, "医保基金监管"),
    ("开展医保基金使用专项检查,追回违规资金。", "医保基金监管", None),
    ("责任单位:市医疗保障局基金监管科", None, "医保基金监管"),
    # the disease-control agencies are their reform's task where they are built, 医防协同's partner beside a hospital
    ("推进市县疾控中心标准化建设,提升实验室检测能力。", "疾控体系改革", None),
    ("建立疾控机构与医共体协作机制,由县疾控中心派员参与公共卫生服务指导。", None, "疾控体系改革"),
])
def test_an_alias_counts_only_in_its_sense(vocabulary, text, present, absent):
    found = vocabulary.find(text)
    if present:
        assert present in found
    if absent:
        assert absent not in found


def test_one_form_may_be_a_sense_of_two_instruments(vocabulary):
    found = vocabulary.find("集采药品结余留用;医共体打包付费结余留用。")
    assert {"结余留用", "总额付费"} <= found
    assert vocabulary.resolve("结余留用") >= {"结余留用", "总额付费"}


def test_a_programme_named_without_its_level_names_the_level_its_item_names(vocabulary):
    title = "加快推进区域医疗中心建设"
    national = title + "。推进3个国家区域医疗中心项目建设,启动第二批省级区域医疗中心遴选。"
    provincial = title + "。启动第二批省级区域医疗中心遴选。"
    assert {"国家医学中心", "区域医疗中心"} <= vocabulary.find(title, national)
    assert "国家医学中心" not in vocabulary.find(title, provincial)
    assert "国家医学中心" not in vocabulary.find("建设省级区域医疗中心", national)


def test_a_needed_word_inside_the_alias_itself_does_not_count(tmp_path):
    extra = _write(tmp_path, "topics:\n  - topic: 信息化\n    instruments:\n      - name: 智慧药房\n"
                             "        aliases: [{alias: 云药房, needs: [药房]}]\n")
    vocabulary = load_vocabulary([extra])
    assert "智慧药房" not in vocabulary.find("建设云药房。")
    assert "智慧药房" in vocabulary.find("建设云药房,推进医院药房改造。")


def test_vocab_file_sense_in_item_looks_at_the_whole_item(tmp_path):
    extra = _write(tmp_path, "topics:\n  - topic: 信息化\n    instruments:\n      - name: 智慧药房\n"
                             "        aliases: [{alias: 云药房, in_item: [处方流转]}]\n")
    vocabulary = load_vocabulary([extra])
    assert "智慧药房" in vocabulary.find("建设云药房", "建设云药房。推进处方流转。")
    assert "智慧药房" not in vocabulary.find("建设云药房", "建设云药房。")


def _write(tmp_path, body: str):
    path = tmp_path / "extra.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_vocab_file_adds_a_sense(tmp_path):
    extra = _write(tmp_path, "topics:\n  - topic: 信息化\n    instruments:\n      - name: 智慧药房\n"
                             "        aliases: [{alias: 云药房, needs: [处方]}]\n")
    vocabulary = load_vocabulary([extra])
    assert "智慧药房" in vocabulary.find("推进云药房处方流转。")
    assert "智慧药房" not in vocabulary.find("建设云药房。")


@pytest.mark.parametrize("entry, problem", [
    ("{alias: 云药房}", "give needs, unless, not_in or in_item"),
    ("{needs: [处方]}", "a sense needs 'alias'"),
    ("{alias: 云药房, needs: 处方}", "'needs' must be a list of non-empty strings"),
    ("{alias: 云药房, when: [处方]}", "unknown key 'when'"),
    ("{alias: 云药房, not_in: [智慧药房]}", "does not contain the alias"),
])
def test_bad_sense_names_file_entry_and_problem(tmp_path, entry, problem):
    extra = _write(tmp_path, f"topics:\n  - topic: 信息化\n    instruments:\n      - name: 智慧药房\n"
                             f"        aliases: [{entry}]\n")
    with pytest.raises(InputError) as raised:
        load_vocabulary([extra])
    line = raised.value.line()
    assert str(extra) in line and "智慧药房" in line and problem in line


def test_an_item_owns_what_is_its_task_not_its_setting(vocabulary):
    from yigai.align import owned_instruments
    from yigai.documents import read_document

    national = read_document(NATIONAL)
    owned = owned_instruments(national, vocabulary)
    # 县域医共体: item 3's own task (county medical communities); item 5 names it only for 总额付费
    assert "县域医共体" in owned[2] and "县域医共体" not in owned[4]
    assert "总额付费" in owned[4]
    # item 19 (drug supply) names 城市医疗集团、县域医共体 only as places for linked drug management
    assert "城市医疗集团" not in owned[18] and "基本药物" in owned[18]
    # item 20 (TCM) names 乡镇卫生院 only as where a 中医馆 goes
    assert "乡村医疗卫生" not in owned[19] and "中医药" in owned[19]
    # what a title names is owned whatever the counts
    assert "医疗服务价格改革" in owned[7]
