"""A task list is told from other health texts by what its items do: notices, reminders, tips and news stories
name the same institutions, but they get no pair, and `check` fails them with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from yigai.documents import read_document, read_documents
from yigai.model import Item
from yigai.tasks import is_task, read_tasks
from yigai.vocab import load_vocabulary

from .conftest import BAOKANG, CITY, GUANGXI, NATIONAL, ROUNDUP, SICHUAN

FIXTURES = Path(__file__).parent / "fixtures"
NOT_TASK_LISTS = sorted((FIXTURES / "nonplan").glob("*.txt"))
PLANS = [NATIONAL, GUANGXI, SICHUAN, CITY, BAOKANG]


def _item(title: str, measures: str = "") -> Item:
    text = title + "。" + measures
    return Item(index=1, label="1.", section="", title=title, text=text, measures=measures)


@pytest.mark.parametrize("title, measures, task", [
    ("推进紧密型县域医共体建设", "推动医共体内统一管理", True),
    ("深化医疗服务价格改革", "建立动态调整机制", True),
    ("坚持良好卫生习惯", "勤洗手,室内经常开窗通风", False),  # a verb, but on a habit, not an institution
    ("需要带什么", "成人请携带身份证;儿童请携带预防接种证", False),
    ("家庭医生可以帮您预约", "已签约家庭医生的居民,可以直接联系家庭医生团队", False),  # addressed to the public
    ("普通门诊诊查费", "由每人次8元调整为10元", False),
])
def test_an_item_is_a_task_when_it_acts_on_an_institution(title: str, measures: str, task: bool) -> None:
    assert is_task(_item(title, measures)) is task


BULLETIN = """某县医改工作简报
【医共体建设】今年以来,我县组建两个紧密型县域医共体,覆盖全县15家乡镇卫生院。
6月,县委编办、县人社局联合印发医共体编制周转使用办法,将空编统一划入医共体“编制池”。
医共体统一招聘“县管乡用”医务人员37名,县级医院下派医师驻点乡镇卫生院常态化帮扶58人次。
1—8月,全县县域内就诊率达到89.4%,同比提高2.1个百分点。
【药品保障】全县公立医疗机构累计落地执行集采药品386种,节约费用约1260万元。
村卫生室药品配送周期由原来的7天缩短至3天以内。
"""


def test_a_report_of_reform_work_done_reads_as_one(tmp_path: Path) -> None:
    # a bulletin tells what was done (组建, 印发, 招聘, 下派 … a named instrument), not what will be
    path = tmp_path / "bulletin.txt"
    path.write_text(BULLETIN, encoding="utf-8")
    document = read_document(str(path))
    assert not read_tasks(document).reads_as_tasks  # by the language of plans alone
    reading = read_tasks(document, load_vocabulary())
    assert reading.reads_as_tasks and reading.tasks == 4  # the four that did something to a named instrument


def test_申请_is_no_request_to_the_public() -> None:
    assert is_task(_item("完善医疗机构申请审批制度", "优化审批服务"))


@pytest.mark.parametrize("ref", PLANS, ids=lambda r: str(r).rsplit("/", 1)[-1])
def test_every_sample_plan_reads_as_a_task_list(ref) -> None:  # type: ignore[no-untyped-def]
    assert read_tasks(read_document(str(ref))).reads_as_tasks


def test_every_round_up_paragraph_reads_as_a_task_list() -> None:
    shares = [read_tasks(d).share for d in read_documents(ROUNDUP)]
    assert len(shares) >= 31 and min(shares) >= 0.5


def test_the_texts_that_are_no_task_lists_are_there() -> None:
    assert len(NOT_TASK_LISTS) >= 5


@pytest.mark.parametrize("text", NOT_TASK_LISTS, ids=lambda p: p.name)
def test_a_health_text_that_is_no_task_list_gets_no_pair(cli, text: Path) -> None:
    reading = read_tasks(read_document(str(text)), load_vocabulary())
    assert not reading.reads_as_tasks and reading.share < reading.threshold
    result = cli("compare", NATIONAL, text, "--format", "json")
    data = result.json()
    assert result.status == 0
    assert not [p for p in data["pairs"] if p["grade"] == "full"] and data["coverage"]["ratio"] <= 0.05
    warning = [line for line in result.err.splitlines() if "does not read as a reform task list" in line]
    assert len(warning) == 1 and str(text) in warning[0] and "items say what a government body will do" in warning[0]


@pytest.mark.parametrize("text", NOT_TASK_LISTS[:2], ids=lambda p: p.name)
def test_check_fails_a_text_that_is_no_task_list_with_the_reason(cli, text: Path) -> None:
    result = cli("check", NATIONAL, text, "--min-coverage", "0", "--format", "json")
    data = result.json()
    assert result.status == 1 and not data["passed"]
    assert any(f.startswith("does not read as a reform task list: only") for f in data["failures"])
