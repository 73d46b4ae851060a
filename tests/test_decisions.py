"""Analyst decisions (--decisions): applied after align, honoured by coverage and the gates, kept across redrafts."""

from __future__ import annotations

import csv
import io
import re

import pytest
import yaml

from yigai.align import Grade, align
from yigai.coverage import coverage
from yigai.decisions import Action, apply_decisions, find_item, fingerprint, load_decisions, parse_decisions, to_yaml
from yigai.documents import read_document
from yigai.numbering import chinese_numeral
from yigai.vocab import load_vocabulary

from .conftest import CITY, GUANGXI, NATIONAL


@pytest.fixture(scope="module")
def city():
    alignment = align(read_document(NATIONAL), read_document(str(CITY)), load_vocabulary())
    return alignment


def _entry(action, n_item, l_item, **extra):
    return {"action": action, "national": {"title": n_item.title}, "local": {"title": l_item.title}, **extra}


def _write(path, entries, **head):
    path.write_text(yaml.safe_dump({**head, "decisions": entries}, allow_unicode=True), encoding="utf-8")
    return path


def _sole_pair(alignment):
    """A national item whose only counterpart is one pair: rejecting it leaves the item uncovered."""
    for item in alignment.national.items:
        pairs = alignment.pairs_of(item.index)
        if len(pairs) == 1:
            return pairs[0]
    pytest.skip("every covered national item has several pairs")


def test_reject_turns_a_pair_into_a_gap_and_the_gate_fails(cli, city, tmp_path):
    pair = _sole_pair(city)
    uncovered = len(coverage(city).uncovered)
    n_item, l_item = city.national.item(pair.national), city.local.item(pair.local)
    decisions = _write(tmp_path / "d.yaml", [_entry("reject", n_item, l_item, note="only the setting", who="王")])

    assert cli("check", NATIONAL, CITY, "--max-uncovered", uncovered).status == 0
    failing = cli("check", NATIONAL, CITY, "--max-uncovered", uncovered, "--decisions", decisions, "--format", "json")
    assert failing.status == 1, failing.out
    data = failing.json()
    assert pair.national in data["coverage"]["uncovered"]
    assert (pair.national, pair.local) not in {(p["national"], p["local"]) for p in data["pairs"]}
    rejected = data["rejected"][0]
    assert (rejected["national"], rejected["local"]) == (pair.national, pair.local)
    assert rejected["decision"] == {**rejected["decision"], "action": "reject", "machine": pair.grade.value,
                                    "note": "only the setting", "who": "王"}
    assert failing.err == ""


def test_add_and_regrade_change_coverage(city):
    cover = coverage(city)
    gap = city.national.item(cover.uncovered[0])
    full = next(p for p in city.pairs if p.grade is Grade.FULL)
    decisions = parse_decisions(yaml.safe_dump({"decisions": [
        _entry("add", gap, city.local.item(1), grade="partial"),
        {"action": "regrade", "national": full.national, "local": full.local, "grade": "partial"},
    ]}, allow_unicode=True), "d.yaml")
    decided, warnings = apply_decisions(city, [decisions])
    after = coverage(decided)
    assert warnings == ()
    assert gap.index in after.partial and gap.index not in after.uncovered
    assert decided.grade_of(full.national) in (Grade.FULL, Grade.PARTIAL)
    regraded = next(p for p in decided.pairs if (p.national, p.local) == (full.national, full.local))
    assert regraded.grade is Grade.PARTIAL and regraded.decision.machine is Grade.FULL
    assert regraded.as_dict()["decision"]["action"] == "regrade"
    assert city.pairs == align(city.national, city.local, load_vocabulary()).pairs  # the input is not changed


def _redraft(path, reorder):
    """The city draft with its items in another order and renumbered, under one heading."""
    lines = CITY.read_text(encoding="utf-8").split("\n")
    item_lines = [line for line in lines if re.match(r"^\([一二三四五六七八九十]+\)", line)]
    head = [line for line in lines[:3]]
    body = [re.sub(r"^\([一二三四五六七八九十]+\)", f"({chinese_numeral(n)})", line)
            for n, line in enumerate(reorder(item_lines), start=1)]
    path.write_text("\n".join(head + ["一、重点任务"] + body) + "\n", encoding="utf-8")
    return path


def test_a_reordered_redraft_keeps_the_decisions(cli, city, tmp_path):
    pair = _sole_pair(city)
    l_item = city.local.item(pair.local)
    # The analyst's file as yigai starts it, with one pair rejected.
    started = cli("compare", NATIONAL, CITY, "--format", "decisions").out
    data = yaml.safe_load(started)
    entry = next(e for e in data["decisions"] if (e["national"]["index"], e["local"]["index"]) == (pair.national, pair.local))
    entry["action"] = "reject"
    decisions = _write(tmp_path / "city.yaml", data["decisions"], local=data["local"])

    redraft = _redraft(tmp_path / "city-v2.txt", lambda items: items[::-1])
    moved = read_document(str(redraft))
    new_index = next(i.index for i in moved.items if fingerprint(i) == fingerprint(l_item))
    assert new_index != pair.local  # the item was renumbered
    result = cli("compare", NATIONAL, redraft, "--decisions", decisions, "--format", "json")
    assert result.status == 0 and result.err == ""  # every entry found its items
    out = result.json()
    assert [(r["national"], r["local"]) for r in out["rejected"]] == [(pair.national, new_index)]
    assert pair.national in out["coverage"]["uncovered"]
    # confirmations followed their items too: every decided pair names the moved local item by its new number
    titles = {i.index: i.title for i in moved.items}
    confirmed = {(e["national"]["index"], e["local"]["title"]) for e in data["decisions"] if e["action"] == "confirm"}
    decided = {(p["national"], titles[p["local"]]) for p in out["pairs"] if "decision" in p}
    assert decided == confirmed


def test_a_stale_entry_warns_and_is_not_applied(cli, city, tmp_path):
    pair = _sole_pair(city)
    n_item = city.national.item(pair.national)
    entries = [
        {"action": "reject", "national": {"title": n_item.title}, "local": {"title": "一项已经删掉的任务", "index": pair.local}},
        {"action": "add", "grade": "full", "national": {"title": "推进"}, "local": 1},
    ]
    decisions = _write(tmp_path / "stale.yaml", entries)
    result = cli("compare", NATIONAL, CITY, "--decisions", decisions, "--format", "json")
    assert result.status == 0
    warnings = result.err.strip().split("\n")
    assert len(warnings) == 2
    assert warnings[0].startswith(f"yigai: warning: {decisions}: entry 1: reject not applied: local item '一项已经删掉的任务'")
    assert "matches no item" in warnings[0]
    assert "entry 2" in warnings[1] and re.search(r"matches \d+ items \(", warnings[1])
    assert (pair.national, pair.local) in {(p["national"], p["local"]) for p in result.json()["pairs"]}


def test_items_found_by_fingerprint_title_or_index(city):
    item = city.local.item(3)
    assert find_item(parse_ref({"fingerprint": fingerprint(item)}), city.local)[0] == item
    assert find_item(parse_ref({"title": item.title[:6]}), city.local)[0] == item
    assert find_item(parse_ref(3), city.local)[0] == item
    # a fingerprint that no longer matches (the text was edited) falls back on the title
    assert find_item(parse_ref({"fingerprint": "0000000000", "title": item.title}), city.local)[0] == item


def parse_ref(value):
    return parse_decisions(yaml.safe_dump({"decisions": [{"action": "confirm", "national": value, "local": value}]},
                                          allow_unicode=True), "x.yaml").entries[0].national


def test_started_file_round_trips(city):
    text = to_yaml(city)
    decisions = parse_decisions(text, "started.yaml")
    assert len(decisions.entries) == len(city.pairs)
    assert {e.action for e in decisions.entries} == {Action.CONFIRM}
    decided, warnings = apply_decisions(city, [decisions])
    assert warnings == ()
    assert [(p.national, p.local, p.grade) for p in decided.pairs] == [(p.national, p.local, p.grade) for p in
                                                                      sorted(city.pairs, key=lambda p: (p.national, -p.score))]


def test_matrix_applies_decisions_to_the_columns_they_name(cli, city, tmp_path):
    pair = _sole_pair(city)
    entry = _entry("reject", city.national.item(pair.national), city.local.item(pair.local))
    decisions = _write(tmp_path / "d.yaml", [entry], local="某市")
    data = cli("matrix", NATIONAL, GUANGXI, CITY, "--decisions", decisions, "--format", "json").json()
    guangxi, city_column = data["columns"]
    cell = city_column["cells"][pair.national - 1]
    assert cell["grade"] == "none" and cell["decision"]["action"] == "reject"
    assert all("decision" not in c for c in guangxi["cells"])  # written for 某市 only
    assert "✎" in cli("matrix", NATIONAL, CITY, "--decisions", decisions).out
    assert "✎" not in cli("matrix", NATIONAL, CITY).out


def test_table_csv_and_markdown_mark_decided_pairs(cli, city, tmp_path):
    pair = _sole_pair(city)
    decisions = _write(tmp_path / "d.yaml", [_entry("reject", city.national.item(pair.national), city.local.item(pair.local))])
    table = cli("compare", NATIONAL, CITY, "--decisions", decisions).out
    assert "⊘" in table and "1 ⊘ rejected" in table and "⊘" not in cli("compare", NATIONAL, CITY).out
    assert "⊘" in cli("compare", NATIONAL, CITY, "--decisions", decisions, "--format", "markdown").out
    out = cli("compare", NATIONAL, CITY, "--decisions", decisions, "--format", "csv").out
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))  # the 对标 table: one row per pair
    rejected = [r for r in rows if r["grade"] == "rejected"]
    assert [(r["national_index"], r["local_index"], r["decision"]) for r in rejected] == [
        (str(pair.national), str(pair.local), "reject")]


@pytest.mark.parametrize("content, problem", [
    ("decisions: [{action: reject, national: 1}]", "entry 1 (line 1): no 'local' item"),
    ("decisions:\n  - {action: confirm, national: 1, local: 2}\n  - {action: refute, national: 1, local: 2}",
     "entry 2 (line 3): unknown action 'refute' (did you mean 'reject'?)"),
    ("decisions:\n  - {action: add, national: 1, local: 2}", "entry 1 (line 2): 'add' needs a grade"),
    ("decisions:\n  - {action: regrade, grade: none, national: 1, local: 2}", "grade 'none' is not full or partial"),
    ("decisions:\n  - {action: confirm, national: {idx: 1}, local: 2}", "'national' has an unknown key 'idx'"),
    ("decisions:\n  - {action: confirm, national: 0, local: 2}", "'national.index' must be a whole number from 1"),
    ("decisions:\n  - {action: confirm, natonal: 1, local: 2}", "unknown key 'natonal' (did you mean 'national'?)"),
    ("decisions: {a: 1}", "not a yigai decisions file"),
    ("decisions: [\n", "invalid YAML at line 2"),
])
def test_bad_decisions_file_is_one_line_and_exit_2(cli, tmp_path, content, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    for command in (["compare", NATIONAL, CITY], ["check", NATIONAL, CITY], ["matrix", NATIONAL, CITY], ["diff", CITY, CITY]):
        result = cli(*command, "--decisions", path)
        assert result.status == 2 and result.out == ""
        assert result.err.startswith(f"yigai: error: {path}: ") and problem in result.err, result.err
        assert result.err.count("\n") == 1


def test_missing_decisions_file(cli, tmp_path):
    result = cli("compare", NATIONAL, CITY, "--decisions", tmp_path / "nope.yaml")
    assert result.status == 2 and "no such decisions file" in result.err


def test_load_reads_dates_as_text(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("decisions:\n  - {action: confirm, national: 1, local: 1, when: 2024-05-01, who: 李}\n", encoding="utf-8")
    assert load_decisions(path).entries[0].when == "2024-05-01"


def test_the_readme_example_applies_to_the_sample():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Correcting yigai: decisions", 1)[1]
    example = re.findall(r"```yaml\n(.*?)```", section, re.S)[0]
    alignment = align(read_document(NATIONAL), read_document(GUANGXI), load_vocabulary())
    decided, warnings = apply_decisions(alignment, [parse_decisions(example, "README.md")])
    assert warnings == ()
    assert [(p.national, p.local) for p in decided.rejected] == [(4, 18)]
    assert decided.grade_of(6) is Grade.PARTIAL and alignment.grade_of(6) is Grade.NONE
