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
    path = tmp_path / "local.txt"
    path.write_text("XX市2024年深化医药卫生体制改革重点工作任务\n" + body, encoding="utf-8")
    return read_document(str(path))


@pytest.mark.parametrize("slogan", ["三医协同发展和治理", "“三医”协同发展和治理", "医保、医疗、医药协同发展和治理",
                                    "深化医药卫生体制改革", "健康中国建设", "健康四川建设", "优质医疗资源扩容和区域均衡布局"])
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


def test_a_task_named_third_in_a_chain_is_partial(tmp_path: Path) -> None:
    national = read_document(NATIONAL)
    local = _local(tmp_path, "(一)常态化开展药品耗材集中带量采购,深化医疗服务价格改革,推进DRG付费改革,落实“两个允许”要求。\n"
                             "(二)深入推进医保支付方式改革。推行DRG付费,推进门诊按人头付费。\n"
                             "(三)加强疾病预防控制体系建设。完善传染病监测预警机制。\n"
                             "(四)推进紧密型县域医共体建设。推动医共体内统一管理。\n"
                             "(五)推动中医药传承创新发展。建设中医馆。\n")
    grades = {(p.national, p.local): p.grade.value for p in align(national, local, VOCABULARY).pairs}
    assert grades.get((7, 1)) == "full"  # 集采 leads the chain
    assert grades.get((8, 1)) in (None, "partial") and grades.get((9, 1)) in (None, "partial")  # measures among four
    assert grades.get((9, 2)) == "full"  # an item whose main task is 医保支付方式改革


def test_a_bad_slogan_pattern_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("topics: []\nslogans: ['(?:[一-龥]|[一-龥])*囧']\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_vocabulary([extra])
    assert "slogan 1" in str(caught.value)
