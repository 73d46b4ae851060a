"""The reform thesaurus: each printed form of an instrument that official texts use (full names, abbreviations,
bracketed and quoted forms, older and provincial names) is found as that instrument, and a form that reads
otherwise in another context is not. Sentences are written as lists print them, after cleaning (full-width
brackets become ASCII ones: 医共(联)体)."""

from __future__ import annotations

import pytest

from yigai.clean import clean
from yigai.vocab import load_vocabulary


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary()


# (sentence, the instrument it names by that form)
NAMES = [
    # 医联体 family: bracketed forms, the city and county programmes' other names
    ("持续推进医共(联)体提质增效。", "县域医共体"),
    ("深化医联(共)体建设,夯实基层网底。", "医联体"),
    ("开展城市紧密型医疗集团建设试点。", "城市医疗集团"),
    ("组建县域医疗集团,推进县乡一体化管理。", "县域医共体"),
    ("深化县域医疗卫生一体化改革。", "县域医共体"),
    ("以县为单位组建总医院,实行人财物统一管理。", "县域医共体"),
    # 国家医学中心 / 区域医疗中心 family
    ("推进国家医学中心和国家区域医疗中心“双中心”建设。", "国家医学中心"),
    ("建设国家儿童区域医疗中心。", "国家医学中心"),
    ("扩容布局省级区域(专科)医疗中心,布局建设省级医学中心。", "区域医疗中心"),
    # the rural hub of a county is 基层, not the provincial 区域医疗中心
    ("建设5个农村区域医疗卫生中心。", "基层医疗卫生服务能力"),
    ("推进县域医疗卫生次中心建设。", "基层医疗卫生服务能力"),
    # 县医院 capacity: 急诊急救 and its 五大中心
    ("在县域推广胸痛中心、卒中中心等五大中心建设。", "县级医院能力"),
    # 公立医院 programmes
    ("实施公立医院改革和高质量发展示范项目。", "公立医院改革与高质量发展示范项目"),
    ("建好高质量发展示范城市。", "公立医院改革与高质量发展示范项目"),
    ("开展公立医院高质量发展评价。", "公立医院高质量发展"),
    ("开展委省共建高质量发展试点医院建设。", "公立医院高质量发展"),
    ("做好三级公立医院绩效考核“国考”工作。", "公立医院绩效考核"),
    ("三级公立医院设置总会计师。", "现代医院管理制度"),
    ("加强公立医院党的建设。", "公立医院党建"),
    # 三医联动 as a measure, 健康中国行动 as the programme, 供应保障 of drugs
    ("制定深化“三医”联动改革实施方案。", "三医联动"),
    ("统筹推进医疗、医保、医药联动改革。", "三医联动"),
    ("印发健康四川行动2024年度考核方案。", "健康中国行动"),
    ("深入实施健康中国行动。", "健康中国行动"),
    ("强化短缺药品和易短缺药品供应保障。", "短缺药品"),
    ("做好医用耗材供应保障。", "短缺药品"),
    ("推进社区卫生服务中心标准化建设。", "社区卫生服务"),
    # 医保 and 医药: older and newer names
    ("落实药品耗材集中采购医保资金结余留用政策。", "集中带量采购"),
    ("规范药品集中招标采购。", "集中带量采购"),
    ("坚持带量采购、量价挂钩。", "集中带量采购"),
    ("严格执行国家医保药品目录。", "医保谈判药品"),
    ("推行按病组付费。", "DRG"),
    ("完善复合型医保支付方式体系。", "医保支付方式改革"),
    ("推进新农合支付方式改革。", "基本医保"),
    ("做好城乡居民参保缴费工作。", "基本医保"),
    ("完善门诊特殊慢性病保障。", "门诊共济"),
    ("落实高血压、糖尿病门诊用药保障“两病”政策。", "门诊共济"),
    ("鼓励发展普惠型商业补充医疗保险。", "商业健康保险"),
    ("支持商业保险机构参与医疗保障。", "商业健康保险"),
    ("夯实基本医保、大病保险、医疗救助三重保障。", "大病保险与医疗救助"),
    ("支持商业保险机构等社会力量参与医保经办。", "医保经办"),
    ("推广医保电子凭证应用。", "医保信息化"),
    ("建成全省统一的医保信息平台。", "医保信息化"),
    ("严厉打击欺诈骗取医保基金行为。", "医保基金监管"),
    ("全部取消药品加成。", "公立医院综合改革"),
    # 三明, 基层, 人才, 薪酬
    ("推动由党委和政府主要负责同志担任医改领导小组“双组长”。", "医改领导体制"),
    ("一位政府负责同志统一分管医疗、医保、医药工作。", "医改领导体制"),
    ("推进家医签约服务。", "家庭医生签约"),
    ("推行“县聘乡用”“乡管村用”。", "乡村医疗卫生"),
    ("实施万名医师支援农村卫生工程。", "城乡对口支援"),
    ("组织城市三级医院对口支援县级医院。", "城乡对口支援"),
    ("做好百名卫生首席专家下基层工作。", "城乡对口支援"),
    ("落实“一类保障、二类管理”政策。", "薪酬制度改革"),
    ("落实“一类保障，二类管理”政策。", "薪酬制度改革"),
    ("允许医疗卫生机构突破现行事业单位工资调控水平。", "两个允许"),
    ("指导三级医院试点开展高级职称自主评审。", "编制人事管理"),
    ("提高乡村全科执业（助理）医师数量。", "全科医生"),
    ("实施卫生健康人才培养强基工程。", "人才培养与评价"),
    ("深入实施新一轮强基层行动,提升基层医疗卫生服务能力。", "基层医疗卫生服务能力"),
]

# (sentence, an instrument it must not be read as)
NOT_NAMES = [
    ("公务员招录“国考”报名。", "公立医院绩效考核"),
    ("建立民营医院高质量发展评价体系。", "公立医院高质量发展"),
    ("县域医疗集团实行统一管理。", "城市医疗集团"),
    ("中国人民解放军总医院海南医院。", "县域医共体"),
    ("建设5个农村区域医疗卫生中心。", "区域医疗中心"),
    ("建设国家儿童区域医疗中心。", "区域医疗中心"),
    ("全国首个“委省共建”卫生健康高质量发展示范省落户。", "国家医学中心"),
    ("胸痛、卒中双中心联合救治。", "国家医学中心"),
    ("实行党委领导下的院长负责制。", "公立医院党建"),
    # slogans that name the whole reform, or its goal, are no instrument
    ("促进医保、医疗、医药协同发展和治理。", "三医联动"),
    ("持续推动“三医”协同发展和治理。", "三医联动"),
    ("推进三医协同发展和治理。", "三医联动"),
    ("开展医疗、医保、医药联动促进中医药传承创新发展试点。", "三医联动"),
    ("全面推进健康中国建设。", "健康中国行动"),
    ("加快推进健康西藏建设。", "健康中国行动"),
    ("做好能源和粮食供应保障。", "短缺药品"),
    ("力争全部社区卫生服务中心和乡镇卫生院设置中医馆。", "社区卫生服务"),
    ("职工参加养老保险参保缴费。", "基本医保"),
    ("发展政策性农业保险和商业保险。", "商业健康保险"),
    ("培养多元复合型人才。", "医保支付方式改革"),
    ("推进医保信息平台与商业健康保险信息平台信息共享。", "医保信息化"),
    ("做好冬季能源供应保障。", "短缺药品"),
    ("开展党员干部下基层调研。", "城乡对口支援"),
    ("开展东西部对口支援。", "城乡对口支援"),
    ("实施一流学科建设和高层次人才强基工程。", "人才培养与评价"),
]


@pytest.mark.parametrize("text, instrument", NAMES)
def test_a_printed_form_names_its_instrument(vocabulary, text, instrument):
    assert instrument in vocabulary.find(clean(text))


@pytest.mark.parametrize("text, instrument", NOT_NAMES)
def test_a_form_read_in_another_sense_names_nothing_here(vocabulary, text, instrument):
    assert instrument not in vocabulary.find(clean(text))


def test_full_width_brackets_read_like_ascii_ones(vocabulary):
    # a list typed with （） is cleaned to (), and the bracketed form is found either way
    assert "县域医共体" in vocabulary.find(clean("持续推进医共（联）体提质增效。"))
