"""`yigai diff`: a redraft made by known edits (tests/fixtures/diff/make_redraft.py) is read back as those edits."""

from __future__ import annotations

import csv
import importlib.util
import io
from pathlib import Path

import pytest

from .conftest import ROUNDUP, SICHUAN

FIXTURES = Path(__file__).parent / "fixtures" / "diff"
OLD = FIXTURES / "guangxi-2023.txt"
NEW = FIXTURES / "guangxi-redraft.txt"


def _maker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_redraft", FIXTURES / "make_redraft.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


EDITS = _maker().EDITS


@pytest.fixture(scope="module")
def result():
    from yigai.diff import diff
    from yigai.documents import read_document
    from yigai.promises import load_departments
    from yigai.vocab import load_vocabulary

    return diff(read_document(str(OLD)), read_document(str(NEW)), load_vocabulary(), load_departments())


def test_redraft_fixture_is_what_the_script_makes(tmp_path, monkeypatch):
    maker = _maker()
    monkeypatch.setattr(maker, "HERE", tmp_path)
    (tmp_path / "guangxi-2023.txt").write_bytes(OLD.read_bytes())
    maker.main()
    assert (tmp_path / "guangxi-redraft.txt").read_text(encoding="utf-8") == NEW.read_text(encoding="utf-8")


def test_kept_items_find_their_new_place(result):
    for old, new in EDITS["kept"].items():
        change = result.of_old(old)
        assert change.change.value == "kept" and change.counterparts == (new,), old


def test_dropped_merged_split_new(result):
    assert [c.index for c in result.old_items if c.change.value == "dropped"] == EDITS["dropped"]
    for old, new in EDITS["merged"].items():
        assert result.of_old(old).change.value == "merged" and result.of_old(old).counterparts == (new,)
    merged_into = set(EDITS["merged"].values())
    assert all(result.of_new(n).change.value == "merged" for n in merged_into)
    for old, news in EDITS["split"].items():
        assert result.of_old(old).change.value == "split" and list(result.of_old(old).counterparts) == news
    assert [c.index for c in result.new_items if c.change.value == "new"] == EDITS["new"]


def test_a_raised_target_strengthens_a_lowered_one_weakens(result):
    for old, new in EDITS["strengthened"].items():
        change = result.of_old(old)
        assert change.change.value == "strengthened" and change.counterparts == (new,)
        assert any("500个" in d and "600个" in d for d in change.details)
    for old, new in EDITS["weakened"].items():
        change = result.of_old(old)
        assert change.change.value == "weakened" and change.counterparts == (new,)
        assert any("20个" in d and "10个" in d and "looser" in d for d in change.details)


def test_same_relative_deadline_in_each_year_is_no_change(result):
    # 年底前 in 2023 and 年底前 in 2024: the same promise, each of its own year
    assert all("deadline" not in d for c in result.old_items for d in c.details)


def test_a_list_against_itself_is_all_kept(cli):
    data = cli("diff", OLD, OLD, "--format", "json").json()
    assert {c["change"] for c in data["old_items"]} == {"kept"}
    assert all(c["counterparts"] == [c["index"]] and not c["reworded"] for c in data["old_items"])
    assert data["counts"]["kept"] == 20 and data["counts"]["new"] == 0


def test_fail_on_dropped_is_a_ci_gate(cli):
    failed = cli("diff", OLD, NEW, "--fail-on", "dropped")
    assert failed.status == 1 and "1 item dropped (--fail-on dropped)" in failed.err
    assert cli("diff", OLD, OLD, "--fail-on", "dropped").status == 0
    assert cli("diff", OLD, NEW).status == 0
    assert cli("diff", OLD, NEW, "--fail-on", "split").status == 1  # one old item split, counted once
    assert "1 item split" in cli("diff", OLD, NEW, "--fail-on", "split").err


def test_formats(cli, tmp_path):
    table = cli("diff", OLD, NEW).out
    assert "广西壮族自治区 2023" in table and "strengthened" in table and "dropped" in table
    markdown = cli("diff", OLD, NEW, "--format", "markdown").out
    assert "| old item | change | new item | what moved |" in markdown and "超过600个" in markdown
    out = tmp_path / "diff.csv"
    assert cli("diff", OLD, NEW, "-o", out).status == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {r["change"] for r in rows} >= {"kept", "merged", "split", "dropped", "new", "strengthened", "weakened"}
    assert [r for r in rows if r["change"] == "dropped"][0]["old_index"] == "9"


def test_later_list_first_warns(cli):
    result = cli("diff", NEW, OLD, "--format", "json")
    assert result.status == 0 and "later than" in result.err


def test_sichuan_2021_against_its_2024_paragraph(cli):
    data = cli("diff", SICHUAN, f"{ROUNDUP}#四川", "--format", "json").json()
    old = {c["index"]: c for c in data["old_items"]}
    # 2024 names 集采结余留用, 医疗服务价格, 医保支付方式 and 综合监管 in one clause: those tasks live on, together
    assert [old[k]["change"] for k in (2, 3, 4, 6)] == ["merged"] * 4
    assert all(old[k]["counterparts"] == [2] for k in (2, 3, 4, 6))
    # 公立医院高质量发展 lives on as 2024's 十条措施 (3), its hospitals' debts and branch sites (4: 分院区, held back
    # under the 2021 guidance) and its 目标年薪制 pilot (5)
    assert old[5]["change"] == "split" and old[5]["counterparts"] == [3, 4, 5]
    # 公共卫生: 疾控 and 医防协同 are one clause of 2024
    assert old[12]["counterparts"] == [7] and old[13]["counterparts"] == [7]
    # every 2024 task continues one of 2021
    assert [c["index"] for c in data["new_items"] if c["change"] == "new"] == []


LINKS = FIXTURES / "redraft-links.yaml"  # a reject, an add, a regrade and a stale entry
DECISIONS = LINKS.read_text(encoding="utf-8")


def test_decisions_correct_the_links_before_items_are_read(cli, tmp_path):
    """OLD is the reference of a diff's decisions: a rejected link is gone both ways, an added one links a
    dropped task, a regrade to partial makes a kept task merged; a stale entry warns, naming itself."""
    path = tmp_path / "links.yaml"
    path.write_text(DECISIONS, encoding="utf-8")
    before = cli("diff", OLD, NEW, "--format", "json").json()
    result = cli("diff", OLD, NEW, "--format", "json", "--decisions", path)
    assert result.status == 0
    assert result.err.count("\n") == 1 and "entry 4: confirm not applied" in result.err
    data = result.json()
    was = {c["index"]: c for c in before["old_items"]}
    old = {c["index"]: c for c in data["old_items"]}
    new = {c["index"]: c for c in data["new_items"]}
    assert was[1]["counterparts"] == [1] and 1 not in old[1]["counterparts"]
    assert not any(k["old"] == 1 and k["new"] == 1 for k in data["links"])
    assert data["rejected"] == [{"old": 1, "new": 1, "decision": data["rejected"][0]["decision"]}]
    assert data["rejected"][0]["decision"]["who"] == "李" and data["rejected"][0]["decision"]["machine"] == "full"
    assert was[9]["change"] == "dropped" and old[9]["change"] == "kept" and old[9]["counterparts"] == [20]
    assert new[20]["change"] != "new"
    assert was[14]["change"] == "strengthened" and old[14]["change"] == "merged"
    decided = [k for k in data["links"] if "decision" in k]
    assert {(k["old"], k["new"], k["decision"]["action"]) for k in decided} == {(9, 20, "add"), (14, 10, "regrade")}
    # what no entry touches reads as before
    untouched = set(range(2, 21)) - {9, 14}
    assert all(old[k]["change"] == was[k]["change"] for k in untouched)


def test_decisions_show_in_every_format_and_are_never_overwritten(cli, tmp_path):
    path = tmp_path / "links.yaml"
    path.write_text(DECISIONS, encoding="utf-8")
    table = cli("diff", OLD, NEW, "--decisions", path).out
    assert "✎ analyst decisions: 2 links decided, 1 ⊘ rejected" in table
    markdown = cli("diff", OLD, NEW, "--decisions", path, "--format", "markdown").out
    assert "推进健康医疗大数据开发应用 ✎ |" in markdown
    rows = list(csv.DictReader(io.StringIO(cli("diff", OLD, NEW, "--decisions", path, "-f", "csv").out.removeprefix("\ufeff"))))
    assert {(r["old_index"], r["new_index"]) for r in rows if r["decided"] == "yes"} == {("9", "20"), ("14", "10")}
    refused = cli("diff", OLD, NEW, "--decisions", path, "-o", path)
    assert refused.status == 2 and path.read_text(encoding="utf-8") == DECISIONS


def test_the_links_compare_writes_down_give_the_same_diff(cli, tmp_path):
    """`compare OLD NEW --format decisions` confirms every pair yigai found one way; applied to the diff of the
    redraft, they leave every item as it was, and no entry warns."""
    path = tmp_path / "links.yaml"
    assert cli("compare", OLD, NEW, "--format", "decisions", "-o", path).status == 0
    plain = cli("diff", OLD, NEW, "--format", "json").json()
    confirmed = cli("diff", OLD, NEW, "--format", "json", "--decisions", path)
    assert confirmed.err == ""
    assert confirmed.json()["old_items"] == plain["old_items"] and confirmed.json()["new_items"] == plain["new_items"]


MERGED_INTO = "四川省还将强化“三医”协同治理"  # the round-up's sentence five of Sichuan's 2021 tasks merged into


def test_a_summary_against_a_numbered_list_is_said(cli):
    result = cli("diff", SICHUAN, f"{ROUNDUP}#四川")
    assert result.status == 0
    warning = [line for line in result.err.splitlines() if "reads as a summary" in line]
    assert len(warning) == 1 and warning[0].startswith("yigai: warning: ")
    assert "7 sentences, not numbered tasks" in warning[0] and "shows as dropped, which it need not be" in warning[0]
    backwards = cli("diff", f"{ROUNDUP}#四川", SICHUAN).err
    assert "shows as new, which it need not be" in backwards
    assert "reads as a summary" not in cli("diff", OLD, NEW).err  # two numbered lists


def test_each_sentence_once_and_no_empty_column(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # each cell on one line: a sentence is counted whole
    table = cli("diff", SICHUAN, f"{ROUNDUP}#四川").out
    data = cli("diff", SICHUAN, f"{ROUNDUP}#四川", "--format", "json").json()
    rows_into_2 = sum(2 in c["counterparts"] for c in data["old_items"])
    assert rows_into_2 >= 4 and table.count(MERGED_INTO) == 1
    assert table.count("│ 2 (above)") == rows_into_2 - 1
    assert "what moved" not in table  # nothing moved: the column would be empty
    markdown = cli("diff", SICHUAN, f"{ROUNDUP}#四川", "--format", "markdown").out
    assert markdown.count(MERGED_INTO) == 1 and "| old item | change | new item |\n" in markdown
    assert all(line.count("|") == 4 for line in markdown.splitlines() if line.startswith("|"))
    moved = cli("diff", OLD, NEW).out  # targets moved: the column is there, and filled
    assert "what moved" in moved and "超过600个" in moved
